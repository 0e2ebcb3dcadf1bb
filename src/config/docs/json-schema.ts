// Derives the JSON Schema for config files (schema/corral.schema.json) from the settings table, so editors can complete and check keys.
import { settingList } from '../schema.ts';
import type { Setting } from '../setting.ts';
import { ignoredOptions } from '../uwsgi-ignored.ts';
import type { JsonSchema } from '../value-type.ts';

/** What a file may give for a setting: one item, or for a list also a list (and a mapping for NAME=VALUE lists). */
function valueSchema(setting: Setting): JsonSchema {
  const item = setting.type.json;
  if (!setting.list) return item;
  const forms: JsonSchema[] = [item, { type: 'array', items: item }];
  if (setting.mapping) forms.push({ type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } });
  return { anyOf: forms };
}

export function renderJsonSchema(): object {
  const properties: Record<string, JsonSchema> = {};
  for (const setting of settingList) {
    const value = valueSchema(setting);
    const defaults = setting.default === undefined ? {} : { default: setting.default };
    properties[setting.key] = { description: setting.description, ...value, ...defaults };
    for (const alias of setting.aliases)
      properties[alias] = {
        description: `Another name for "${setting.key}". ${setting.description}`,
        ...value,
        ...defaults,
      };
  }
  for (const option of ignoredOptions) {
    properties[option.key] = {
      description: `uWSGI option that corral accepts and ignores, with a warning: ${option.reason}.`,
      deprecated: true,
    };
  }
  for (const section of ['corral', 'uwsgi']) {
    properties[section] = {
      description: `The settings, nested under "${section}:" (as uWSGI's own YAML and JSON files do).`,
      $ref: '#',
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'corral config file',
    description:
      'Settings for corral, in YAML or JSON. Generated from src/config/schema.ts by build/gen-docs.mjs; see docs/config.md.',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}
