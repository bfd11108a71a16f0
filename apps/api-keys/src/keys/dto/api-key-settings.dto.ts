import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { API_KEY_ACLS } from '@sso/contracts';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, type ValidationArguments } from 'class-validator';

export const MAX_VALIDITY_SECONDS = 10 * 365 * 24 * 3_600;
export const MAX_LIST_ENTRIES = 100;
/** A name or pattern with `*` only at its start or end (or `*` alone), no control characters. */
const PATTERN = /^(?:\*|\*?[^*\p{Cc}]+\*?)$/u;
/** Unreserved and sub-delimiter characters or %XX escapes, as a URL query string is written. */
const URL_ENCODED = /^(?:[A-Za-z0-9\-._~!$'()*+,;:@/?=&]|%[0-9A-Fa-f]{2})*$/;

const unknownAcls = ({ value }: ValidationArguments) => {
  const unknown = Array.isArray(value) ? value.filter((entry) => !(API_KEY_ACLS as readonly unknown[]).includes(entry)) : [];
  const named = unknown.length > 0 ? `unknown ACL ${unknown.map((entry) => JSON.stringify(entry)).join(', ')}` : 'only ACL names are allowed';
  return `acl: ${named} (known: ${API_KEY_ACLS.join(', ')})`;
};

/**
 * The body of POST /1/keys and PUT /1/keys/:key, as Algolia's `ApiKey` (algoliasearch v5,
 * @algolia/client-search). Unknown fields are refused; every unset field takes its default,
 * which is how a PUT replaces a key's settings.
 */
export class ApiKeySettingsDto {
  @ApiProperty({ enum: API_KEY_ACLS, isArray: true })
  @IsDefined({ message: 'acl is required: an array of ACL names such as ["search"]' })
  @IsArray({ message: 'acl must be an array of ACL names such as ["search"]' })
  @ArrayMaxSize(API_KEY_ACLS.length, { message: `acl has at most ${API_KEY_ACLS.length} entries` })
  @IsIn(API_KEY_ACLS, { each: true, message: unknownAcls })
  acl!: string[];

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(1000, { message: 'description must be at most 1000 characters' })
  description?: string;

  @ApiPropertyOptional({ type: [String], example: ['products', 'dev_*'] })
  @IsOptional()
  @IsArray({ message: 'indexes must be an array of index names or patterns' })
  @ArrayMaxSize(MAX_LIST_ENTRIES, { message: `indexes has at most ${MAX_LIST_ENTRIES} entries` })
  @IsString({ each: true, message: 'indexes must contain only strings' })
  @MaxLength(255, { each: true, message: 'each index name must be at most 255 characters' })
  @Matches(PATTERN, { each: true, message: 'indexes: a name or pattern may have * only at its start or end' })
  indexes?: string[];

  @ApiPropertyOptional({ type: [String], example: ['https://example.com/*', '*.example.com'] })
  @IsOptional()
  @IsArray({ message: 'referers must be an array of referer patterns' })
  @ArrayMaxSize(MAX_LIST_ENTRIES, { message: `referers has at most ${MAX_LIST_ENTRIES} entries` })
  @IsString({ each: true, message: 'referers must contain only strings' })
  @MaxLength(255, { each: true, message: 'each referer must be at most 255 characters' })
  @Matches(PATTERN, { each: true, message: 'referers: a pattern may have * only at its start or end' })
  referers?: string[];

  @ApiPropertyOptional({ description: 'Seconds until the key is deleted; 0 = never', default: 0 })
  @IsOptional()
  @IsInt({ message: 'validity must be a whole number of seconds' })
  @Min(0, { message: 'validity must be 0 (never expires) or a positive number of seconds' })
  @Max(MAX_VALIDITY_SECONDS, { message: `validity must be at most ${MAX_VALIDITY_SECONDS} seconds (10 years)` })
  validity?: number;

  @ApiPropertyOptional({ description: '0 = no cap', default: 0 })
  @IsOptional()
  @IsInt({ message: 'maxHitsPerQuery must be a whole number' })
  @Min(0, { message: 'maxHitsPerQuery must be 0 (no cap) or positive' })
  @Max(1_000, { message: 'maxHitsPerQuery must be at most 1000' })
  maxHitsPerQuery?: number;

  @ApiPropertyOptional({ description: '0 = no limit', default: 0 })
  @IsOptional()
  @IsInt({ message: 'maxQueriesPerIPPerHour must be a whole number' })
  @Min(0, { message: 'maxQueriesPerIPPerHour must be 0 (no limit) or positive' })
  @Max(1_000_000_000, { message: 'maxQueriesPerIPPerHour must be at most 1000000000' })
  maxQueriesPerIPPerHour?: number;

  @ApiPropertyOptional({ example: 'filters=brand%3AAcme&hitsPerPage=20' })
  @IsOptional()
  @IsString({ message: 'queryParameters must be a URL-encoded string' })
  @MaxLength(2048, { message: 'queryParameters must be at most 2048 characters' })
  @Matches(URL_ENCODED, { message: 'queryParameters must be a URL-encoded query string such as "filters=brand%3AAcme&hitsPerPage=20"' })
  queryParameters?: string;
}

/** A key's settings with every default applied. */
export interface KeySettings {
  acl: string[];
  description: string;
  indexes: string[];
  referers: string[];
  validity: number;
  maxHitsPerQuery: number;
  maxQueriesPerIPPerHour: number;
  queryParameters: string;
}

export function withDefaults(dto: ApiKeySettingsDto): KeySettings {
  return {
    acl: [...new Set(dto.acl)],
    description: dto.description ?? '',
    indexes: dto.indexes ?? [],
    referers: dto.referers ?? [],
    validity: dto.validity ?? 0,
    maxHitsPerQuery: dto.maxHitsPerQuery ?? 0,
    maxQueriesPerIPPerHour: dto.maxQueriesPerIPPerHour ?? 0,
    queryParameters: dto.queryParameters ?? '',
  };
}
