import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 1_024)
  password!: string;

  @ApiPropertyOptional({ description: 'space-separated subset of the user’s scopes' })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  scope?: string;
}
