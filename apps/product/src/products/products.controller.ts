import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowApiKey, CurrentPrincipal, Scopes, type Principal } from '@sso/auth';
import { ApiPageResponse, pageOf, type Page } from '@sso/platform';
import { ProductDto } from './dto/product.dto.js';
import { SearchProductsQuery } from './dto/search-products.query.js';
import { pageLimitFor, refuseUnappliedFilters } from './key-search-limits.js';
import { productView, type ProductView } from './product-view.js';
import { ProductsService } from './products.service.js';

// Shaped like the validation pipe's answer, so every bad input reads the same.
const uuid = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new BadRequestException({ message: ['id must be a UUID'], code: 'validation_failed', error: 'Bad Request' }) });

/**
 * The catalog is shared data: read with product:read, changed with product:write, or with a
 * legacy API key holding the Algolia ACL (index `products`). Every answered request is
 * reported to usage-tracking by the usage recorder.
 */
@ApiTags('products')
@ApiBearerAuth()
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Scopes('product:read')
  @AllowApiKey('search')
  @ApiOperation({ summary: "Search the catalog by name and description, in name order, a page at a time; an API key's maxHitsPerQuery caps limit" })
  @ApiPageResponse()
  async search(@Query() query: SearchProductsQuery, @CurrentPrincipal() who: Principal): Promise<Page<ProductView>> {
    const limit = pageLimitFor(who, query.limit);
    if (query.page !== undefined && query.offset !== 0) {
      throw new BadRequestException({ message: ['page and offset cannot be used together'], code: 'validation_failed', error: 'Bad Request' });
    }
    const offset = query.page === undefined ? query.offset : query.page * limit;
    const [items, total] = await this.products.search(query.query, offset, limit);
    return pageOf(items.map(productView), total, { offset, limit });
  }

  @Get(':id')
  @Scopes('product:read')
  @AllowApiKey('search')
  async get(@Param('id', uuid) id: string, @CurrentPrincipal() who: Principal): Promise<ProductView> {
    refuseUnappliedFilters(who);
    return productView(await this.products.get(id));
  }

  @Post()
  @Scopes('product:write')
  @AllowApiKey('addObject')
  async create(@Body() body: ProductDto): Promise<ProductView> {
    return productView(await this.products.create(body));
  }

  @Put(':id')
  @Scopes('product:write')
  @AllowApiKey('addObject')
  @ApiOperation({ summary: 'Replace a product' })
  async replace(@Param('id', uuid) id: string, @Body() body: ProductDto): Promise<ProductView> {
    return productView(await this.products.replace(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('product:write')
  @AllowApiKey('deleteObject')
  delete(@Param('id', uuid) id: string): Promise<void> {
    return this.products.delete(id);
  }
}
