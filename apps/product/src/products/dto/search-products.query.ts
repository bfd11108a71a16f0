import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@sso/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A catalog search: the collections' `offset`/`limit`, or the contract's zero-based `page` of `limit` products. */
export class SearchProductsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive text found in the name or the description' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  query?: string;

  @ApiPropertyOptional({ description: 'Zero-based page of `limit` products, as in Algolia: the same as offset = page × limit. Not with a non-zero offset.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  page?: number;
}
