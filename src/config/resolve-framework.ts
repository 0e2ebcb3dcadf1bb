// Recognises a framework's build in the project directory (`framework`) and fills in the settings the user left unset.
import { resolve } from 'node:path';
import { literal } from '../frameworks/files.ts';
import { recogniseFramework } from '../frameworks/recognise.ts';
import { IMMUTABLE_SECONDS } from '../frameworks/types.ts';
import type { Entry } from './collect.ts';
import type { SettingValues } from './schema.ts';
import type { FrameworkChoice } from './values/framework.ts';
import type { FrameworkConfig } from './types.ts';

export interface FrameworkOutcome {
  /** The settings to resolve: the user's, with the framework's choices where the user gave none. */
  values: SettingValues;
  framework: FrameworkConfig | undefined;
}

/**
 * With `framework` "auto" (the default) corral looks only when no `module` is given; with a framework's name it looks
 * whatever else is set, and a build that is not there is an error; "none" never looks. The framework's choices fill
 * `module`, `static-map`, `check-static` and `static-expires` only where the user gave no value of their own, and its
 * env variables only those the user's `env` does not set (the worker also keeps any the environment already has).
 */
export function resolveFramework(
  values: SettingValues,
  entries: ReadonlyMap<string, Entry>,
  dir: string,
  prefix: (key: keyof SettingValues) => string,
  errors: string[],
): FrameworkOutcome {
  const given = (key: keyof SettingValues) => {
    const origin = entries.get(key)?.origin.kind;
    return origin !== undefined && origin !== 'default';
  };
  const wanted: FrameworkChoice = values.framework;
  if (wanted === 'none' || (wanted === 'auto' && given('module'))) return { values, framework: undefined };
  const found = recogniseFramework(dir, wanted);
  if (found === undefined) return { values, framework: undefined };
  if ('problem' in found) {
    // Named by the user: the message starts where they named it. Found by looking: the directory is the place.
    const where = given('framework') ? prefix('framework') : '';
    errors.push(`${where}${dir}: ${found.problem} (to serve something else, set \`module\`, or \`framework: none\`)`);
    return { values, framework: undefined };
  }
  const adjusted: SettingValues = { ...values };
  let glue = false;
  if (!given('module')) {
    adjusted.module = { file: found.module.file, exportName: found.module.exportName };
    glue = found.module.glue === true;
  }
  if (!given('check-static')) adjusted['check-static'] = found.checkStatic;
  if (!given('static-map')) adjusted['static-map'] = found.staticMap;
  if (!given('static-expires'))
    adjusted['static-expires'] = found.immutable.map((assets) => ({
      pattern: `^${literal(resolve(dir, assets.dir))}/${exceptions(assets.except)}`,
      seconds: IMMUTABLE_SECONDS,
    }));
  const userEnv = new Set(values.env.map(([name]) => name));
  const env = Object.fromEntries(Object.entries(found.env).filter(([name]) => !userEnv.has(name)));
  return {
    values: adjusted,
    framework: {
      name: found.name,
      title: found.title,
      dir,
      evidence: found.evidence,
      glue,
      env,
      forwardedProto: found.forwardedProto === true,
    },
  };
}

/** A lookahead that keeps the named files (relative to the asset directory) out of the rule: `(?!(?:a|b)$)`. */
function exceptions(except: readonly string[] | undefined): string {
  return except === undefined || except.length === 0 ? '' : `(?!(?:${except.map(literal).join('|')})$)`;
}
