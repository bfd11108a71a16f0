import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsString, Length, Matches } from 'class-validator';
import { SCOPE_PATTERN } from '@sso/contracts';

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
}
