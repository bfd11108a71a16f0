import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { SCOPE_PATTERN } from '@sso/contracts';
import { GRANT_TYPES, TOKEN_ENDPOINT_AUTH_METHODS, type GrantType, type TokenEndpointAuthMethod } from '../client-metadata.js';

/** `name` and `scopes` as the contract has always named them; the rest with RFC 7591's names. */
export class CreateClientDto {
  @ApiProperty()
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ type: [String], example: ['usage-tracking:read'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(SCOPE_PATTERN, { each: true, message: 'each scope must be <audience>:read, :write or :admin' })
  scopes!: string[];

  @ApiPropertyOptional({ enum: TOKEN_ENDPOINT_AUTH_METHODS, default: 'client_secret_basic', description: '`none`: a public client (no secret; PKCE)' })
  @IsOptional()
  @IsIn(TOKEN_ENDPOINT_AUTH_METHODS)
  token_endpoint_auth_method?: TokenEndpointAuthMethod;

  @ApiPropertyOptional({ type: [String], enum: GRANT_TYPES, description: 'default: client_credentials and token exchange; for a public client, authorization_code and refresh_token' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(GRANT_TYPES.length)
  @IsIn(GRANT_TYPES, { each: true })
  grant_types?: GrantType[];

  @ApiPropertyOptional({ type: [String], example: ['https://console.example.com/callback'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(2_000, { each: true })
  redirect_uris?: string[];

  @ApiPropertyOptional({ type: [String], example: ['https://console.example.com/'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(2_000, { each: true })
  post_logout_redirect_uris?: string[];
}
