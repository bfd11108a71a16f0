import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SCOPE_PATTERN } from '@sso/contracts';

const SCOPE_MESSAGE = 'each scope must be <audience>:read, :write or :admin';

export class CreateUserDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{1,64}$/, { message: 'username must be 1 to 64 of A-Z a-z 0-9 . _ @ -' })
  username!: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @Length(12, 1_024)
  password!: string;

  @ApiProperty({ type: [String], example: ['billing:read'] })
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(SCOPE_PATTERN, { each: true, message: SCOPE_MESSAGE })
  scopes!: string[];
}

export class UpdateUserDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(SCOPE_PATTERN, { each: true, message: SCOPE_MESSAGE })
  scopes?: string[];

  @ApiPropertyOptional({ minLength: 12 })
  @IsOptional()
  @IsString()
  @Length(12, 1_024)
  password?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
