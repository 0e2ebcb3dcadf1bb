// The static-map value type: "/PREFIX=DIR", with the prefix normalized (one leading "/", no trailing "/" unless it is "/").
import { prefixPairType } from './prefix-pair.ts';

/** A static mount before resolution: `dir` is still as written. */
export interface MountSpec {
  prefix: string;
  dir: string;
}

export const staticMountType = prefixPairType<MountSpec>('DIR', 'directory', (prefix, dir) => ({ prefix, dir }));
