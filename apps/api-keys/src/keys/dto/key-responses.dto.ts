import { ApiProperty } from '@nestjs/swagger';
import { API_KEY_ACLS } from '@sso/contracts';
import type { ApiKeyView } from '../key-views.js';

/** POST /1/keys and POST /1/keys/:key/restore (Algolia's AddApiKeyResponse). */
export class CreatedKeyDto {
  @ApiProperty({ description: 'POST: the new key, shown this once. Restore: the key id.' }) key!: string;
  @ApiProperty({ format: 'date-time', description: 'RFC 3339, as Algolia answers' }) createdAt!: string;
}

/** PUT /1/keys/:key (Algolia's UpdateApiKeyResponse). */
export class UpdatedKeyDto {
  @ApiProperty({ description: 'The key id (never the key)' }) key!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** DELETE /1/keys/:key (Algolia's DeleteApiKeyResponse). */
export class DeletedKeyDto {
  @ApiProperty({ format: 'date-time' }) deletedAt!: string;
}

/** GET /1/keys/:key (Algolia's GetApiKeyResponse, with `value` masked, plus keyId and lastUsedAt). */
export class ApiKeyViewDto implements ApiKeyView {
  @ApiProperty({ example: 'ak_AbCd…', description: 'The visible part of the key, masked' }) value!: string;
  @ApiProperty({ description: 'Unix seconds' }) createdAt!: number;
  @ApiProperty({ enum: API_KEY_ACLS, isArray: true }) acl!: string[];
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) indexes!: string[];
  @ApiProperty({ type: [String] }) referers!: string[];
  @ApiProperty() maxHitsPerQuery!: number;
  @ApiProperty() maxQueriesPerIPPerHour!: number;
  @ApiProperty() queryParameters!: string;
  @ApiProperty({ description: 'Seconds left before the key is deleted; 0 = never' }) validity!: number;
  @ApiProperty({ format: 'uuid' }) keyId!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Unix seconds of the last accepted use' }) lastUsedAt!: number | null;
}

/** GET /1/keys (Algolia's ListApiKeysResponse). */
export class KeyListDto {
  @ApiProperty({ type: [ApiKeyViewDto] }) keys!: ApiKeyViewDto[];
}
