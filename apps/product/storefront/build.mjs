#!/usr/bin/env node
// Bundles the storefront (instantsearch.js and Algolia's lite client from npm, no CDN) into
// dist/public/storefront, beside the page and its styles, which product serves at /storefront/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const source = dirname(fileURLToPath(import.meta.url));
const target = join(source, '../dist/public/storefront');
mkdirSync(target, { recursive: true });

await build({
  entryPoints: [join(source, 'storefront.js')],
  outfile: join(target, 'storefront.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'storefront.css']) copyFileSync(join(source, file), join(target, file));
