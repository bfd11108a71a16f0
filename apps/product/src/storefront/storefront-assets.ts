import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `storefront/build.mjs` writes the page, its bundle and its styles (from src/ or dist/ alike). */
const ASSETS_DIR = fileURLToPath(new URL('../../dist/public/storefront/', import.meta.url));

export interface StorefrontAssets {
  /** The page, with `{{config}}` where the page's configuration goes. */
  page: string;
  script: string;
  styles: string;
}

/** The built storefront, or undefined when it was not built (the routes then answer 404). */
export function readStorefrontAssets(directory = ASSETS_DIR): StorefrontAssets | undefined {
  try {
    const read = (file: string) => readFileSync(`${directory}${file}`, 'utf8');
    return { page: read('index.html'), script: read('storefront.js'), styles: read('storefront.css') };
  } catch {
    return undefined;
  }
}
