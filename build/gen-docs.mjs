// Regenerates docs/config.md and schema/corral.schema.json from src/config/schema.ts (bundles src/config/docs.ts into .cache/ first).
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url);
const at = (path) => new URL(path, root).pathname;
const bundled = at('.cache/config-docs.mjs');

await build({
  entryPoints: [at('src/config/docs.ts')],
  outfile: bundled,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

const { renderConfigMarkdown, renderJsonSchema } = await import(`${pathToFileURL(bundled).href}?t=${Date.now()}`);

mkdirSync(at('docs'), { recursive: true });
mkdirSync(at('schema'), { recursive: true });
writeFileSync(at('docs/config.md'), renderConfigMarkdown());
writeFileSync(at('schema/corral.schema.json'), `${JSON.stringify(renderJsonSchema(), null, 2)}\n`);
console.log('wrote docs/config.md and schema/corral.schema.json');
