import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class NamespaceParams {
  @ApiProperty({ example: 'ui.theme', pattern: NAMESPACE_PATTERN.source })
  @IsString()
  @Matches(NAMESPACE_PATTERN, { message: 'namespace must be 1 to 64 of a-z 0-9 . _ - starting with a letter or digit' })
  namespace!: string;
}
