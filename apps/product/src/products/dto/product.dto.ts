import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

/** A whole product, for creation and for replacement (PUT). */
export class ProductDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2_000, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  description?: string;

  @ApiProperty({ description: 'Minor units (cents)', example: 1999 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  price!: number;

  @ApiProperty({ example: 'EUR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Facetable; omitted means none' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  brand?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Facetable; omitted means none' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;
}
