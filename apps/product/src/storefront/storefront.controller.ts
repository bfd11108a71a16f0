import { Controller, Get, Header, Inject, Logger, NotFoundException, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ApiKeyStore, Public } from '@sso/auth';
import { apiKeyHash, PRODUCTS_INDEX } from '@sso/contracts';
import { SERVICE_CONFIG } from '@sso/platform';
import type { Response } from 'express';
import type { ProductConfig } from '../config.js';
import { STOREFRONT_ASSETS } from './storefront.constants.js';
import type { StorefrontAssets } from './storefront-assets.js';
import { unfitForBrowsers } from './storefront-key.js';

/** The page loads only its own script and styles, and talks only to this origin. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The storefront's configuration as the page reads it: the application id, the index and a search-only key. */
export interface StorefrontConfig {
  applicationId: string;
  indexName: string;
  searchKey: string | null;
}

/**
 * The storefront sample at /storefront/: a page built with instantsearch.js that searches the
 * catalog from the browser with STOREFRONT_SEARCH_KEY. The key is put in the page only while it
 * is a live search-only key; anything more (an admin or write key) is refused with a log line.
 */
@ApiExcludeController()
@Controller('storefront')
export class StorefrontController {
  private readonly logger = new Logger('Storefront');

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ProductConfig,
    @Inject(STOREFRONT_ASSETS) private readonly assets: StorefrontAssets | undefined,
    private readonly keys: ApiKeyStore,
  ) {}

  @Get()
  @Public()
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('Referrer-Policy', 'strict-origin-when-cross-origin')
  @Header('Cache-Control', 'no-store')
  async page(@Res({ passthrough: true }) response: Response): Promise<string> {
    const { page } = this.built();
    const config: StorefrontConfig = { applicationId: this.config.API_KEYS_APP_ID, indexName: PRODUCTS_INDEX, searchKey: await this.searchKey() };
    response.type('html');
    // JSON inside <script>: no "</script>" can close the element early.
    return page.replace('{{config}}', () => JSON.stringify(config).replaceAll('<', '\\u003c'));
  }

  @Get('storefront.js')
  @Public()
  script(@Res({ passthrough: true }) response: Response): string {
    response.type('js');
    return this.built().script;
  }

  @Get('storefront.css')
  @Public()
  styles(@Res({ passthrough: true }) response: Response): string {
    response.type('css');
    return this.built().styles;
  }

  private built(): StorefrontAssets {
    if (!this.assets) throw new NotFoundException({ message: 'the storefront is not built: run the product build', code: 'storefront_not_built', error: 'Not Found' });
    return this.assets;
  }

  private async searchKey(): Promise<string | null> {
    const key = this.config.STOREFRONT_SEARCH_KEY;
    if (!key) return null;
    let record;
    try {
      record = await this.keys.find(apiKeyHash(key));
    } catch {
      throw new ServiceUnavailableException({ message: 'the search key cannot be checked now', code: 'api_key_unavailable', error: 'Service Unavailable' });
    }
    const unfit = unfitForBrowsers(record);
    if (unfit === undefined) return key;
    this.logger.warn(`STOREFRONT_SEARCH_KEY is not put in the page: ${unfit}`);
    return null;
  }
}
