#!/usr/bin/env node
// The back office of the article, against the product service: index records with the
// algoliasearch client and a key holding `addObject`, then wait until they are searchable.
//
//   ALGOLIA_API_KEY=ak_… node apps/product/samples/index-products.mjs [records.json]
//
// PRODUCT_URL (default http://localhost:3005) is where product listens; ALGOLIA_APP_ID
// (default SSODEMO) is the application id keys are issued for; ALGOLIA_INDEX defaults to products.
import { readFile } from 'node:fs/promises';
import { algoliasearch } from 'algoliasearch';

const apiKey = process.env.ALGOLIA_API_KEY;
if (!apiKey) {
  process.stderr.write('ALGOLIA_API_KEY is required: a key of the key service with the addObject ACL\n');
  process.exit(2);
}
const product = new URL(process.env.PRODUCT_URL ?? 'http://localhost:3005');
const protocol = product.protocol.replace(':', '');
const client = algoliasearch(process.env.ALGOLIA_APP_ID ?? 'SSODEMO', apiKey, {
  hosts: [{ url: product.hostname, port: Number(product.port) || (protocol === 'https' ? 443 : 80), protocol, accept: 'readWrite' }],
});
const indexName = process.env.ALGOLIA_INDEX ?? 'products';
const records = JSON.parse(await readFile(process.argv[2] ?? new URL('./products.json', import.meta.url), 'utf8'));

try {
  const responses = await client.saveObjects({ indexName, objects: records });
  for (const { taskID } of responses) await client.waitForTask({ indexName, taskID });
  const objectIDs = responses.flatMap((response) => response.objectIDs);
  process.stdout.write(`${JSON.stringify({ indexed: objectIDs.length, indexName, objectIDs })}\n`);
} catch (error) {
  process.stderr.write(`indexing failed: ${error.status ?? ''} ${error.message}\n`);
  process.exit(1);
}
