// `npm run texts`: writes src/i18n/catalog.ts from data/i18n/nl, the texts the code is written
// against. Run it after adding a text or changing its placeholders; a test fails while it is stale.
import { writeFileSync } from 'node:fs';
import { CATALOG_FILE, catalogSource } from '../src/i18n/catalog-source.js';

writeFileSync(CATALOG_FILE, catalogSource());
console.log(`wrote ${CATALOG_FILE}`);
