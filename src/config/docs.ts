// Entry point for build/gen-docs.mjs: the two generated references, docs/config.md and schema/corral.schema.json.
export { renderConfigMarkdown } from './docs/markdown.ts';
export { renderJsonSchema } from './docs/json-schema.ts';
