// The storefront of the article's first sample: instantsearch.js and Algolia's lite client,
// searching the product catalog with a public, search-only key. The page hands over only the
// application id, the key and the index; the client sends them as query parameters.
import { liteClient } from 'algoliasearch/lite';
import instantsearch from 'instantsearch.js';
import { configure, hits, pagination, refinementList, searchBox, stats } from 'instantsearch.js/es/widgets';

const config = JSON.parse(document.getElementById('storefront-config').textContent);
// The catalog is where the page comes from. product's page never sets catalogUrl; a copy of the page
// served elsewhere does (the browser test's foreign site, which the key's referers refuse).
const catalog = new URL(config.catalogUrl ?? location.origin);

const price = (hit) => new Intl.NumberFormat(undefined, { style: 'currency', currency: hit.currency }).format(hit.price / 100);

function startSearch(searchClient) {
  const search = instantsearch({ indexName: config.indexName, searchClient });
  search.addWidgets([
    configure({ hitsPerPage: 8 }),
    searchBox({ container: '#searchbox', placeholder: 'Search products', showReset: true }),
    stats({ container: '#stats' }),
    refinementList({ container: '#brand', attribute: 'brand' }),
    refinementList({ container: '#category', attribute: 'category' }),
    hits({
      container: '#hits',
      templates: {
        item: (hit, { html, components }) => html`
          <article class="product">
            <h2>${components.Highlight({ hit, attribute: 'name' })}</h2>
            <p>${components.Highlight({ hit, attribute: 'description' })}</p>
            <p class="price">${price(hit)}</p>
          </article>
        `,
        empty: (results, { html }) => html`<p>No product matches “${results.query}”.</p>`,
      },
    }),
    pagination({ container: '#pagination' }),
  ]);
  search.start();
}

if (config.searchKey) startSearch(liteClient(config.applicationId, config.searchKey, { hosts: [{ url: catalog.host, protocol: catalog.protocol.replace(':', ''), accept: 'read' }] }));
else document.getElementById('hits').textContent = 'This storefront has no search key yet: give product a search-only key in STOREFRONT_SEARCH_KEY.';
