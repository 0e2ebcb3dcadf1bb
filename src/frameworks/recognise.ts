// Finds which framework's build a project directory holds, trying each framework in a fixed order.
import { astro } from './astro.ts';
import { nestjs } from './nestjs.ts';
import { next } from './next.ts';
import { nuxt } from './nuxt.ts';
import { reactRouter } from './react-router.ts';
import { sveltekit } from './sveltekit.ts';
import { tanstackStart } from './tanstack-start.ts';
import type { Framework, FrameworkName, FrameworkPlan } from './types.ts';

/** Every framework, in FRAMEWORK_NAMES order: the ones with a marker file of their own come before the shared layouts. */
const frameworks: Record<FrameworkName, Framework> = {
  next,
  nuxt,
  sveltekit,
  astro,
  'react-router': reactRouter,
  'tanstack-start': tanstackStart,
  nestjs,
};

export type Recognition = FrameworkPlan | { problem: string; title: string } | undefined;

/**
 * `wanted` "auto": the first framework whose build (or project) is in `dir`, or undefined. A framework's name: that
 * one's plan, or a problem when its build is not there.
 */
export function recogniseFramework(dir: string, wanted: FrameworkName | 'auto'): Recognition {
  const candidates = wanted === 'auto' ? Object.values(frameworks) : [frameworks[wanted]];
  for (const framework of candidates) {
    const found = framework.recognise(dir);
    if (found === undefined) continue;
    return 'problem' in found ? { ...found, title: framework.title } : found;
  }
  if (wanted === 'auto') return undefined;
  return { title: frameworks[wanted].title, problem: `no ${frameworks[wanted].title} project or build is there` };
}
