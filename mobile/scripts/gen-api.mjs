// Generates src/api/schema.d.ts from the API's committed OpenAPI document.
//   node scripts/gen-api.mjs          write the file
//   node scripts/gen-api.mjs --check  fail (exit 1) when the committed file is stale
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const specPath = resolve(here, '../../openapi.json');
const outPath = resolve(here, '../src/api/schema.d.ts');
const check = process.argv.includes('--check');

const spec = JSON.parse(readFileSync(specPath, 'utf8'));

// A `$ref` to a component the document does not define is an error in the
// document: fail loudly, naming every such schema, instead of guessing a type.
const schemas = spec.components?.schemas ?? {};
const dangling = new Set();
(function visit(node) {
  if (Array.isArray(node)) return node.forEach(visit);
  if (!node || typeof node !== 'object') return;
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    const name = ref.slice('#/components/schemas/'.length);
    if (!(name in schemas)) dangling.add(name);
  }
  Object.values(node).forEach(visit);
})(spec);
if (dangling.size > 0) {
  console.error(
    `gen-api: error: openapi.json references schemas it does not define: ${[...dangling].sort().join(', ')}. Fix the document (or the API that generates it) and run again.`,
  );
  process.exit(1);
}

const ast = await openapiTS(spec, { alphabetize: false, exportType: false });
const header =
  '/**\n * Generated from openapi.json by `npm run gen:api`. Do not edit by hand.\n */\n\n';
const output = header + astToString(ast);

if (check) {
  const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
  if (current !== output) {
    console.error('check:api: src/api/schema.d.ts is stale; run `npm run gen:api` and commit the result.');
    process.exit(1);
  }
  console.log('check:api: src/api/schema.d.ts matches openapi.json');
} else {
  writeFileSync(outPath, output);
  console.log(`gen:api: wrote ${outPath.slice(resolve(here, '..').length + 1)}`);
}
