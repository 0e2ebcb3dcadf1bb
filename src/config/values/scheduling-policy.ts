// The `scheduling-policy` value type: who accepts the connections of a shared listener, the workers themselves (shared) or the master in turn (round-robin).

import { defineValueType, ok, refuse } from '../value-type.ts';

/** `shared`: every worker accepts from the one listening socket; `round-robin`: the master accepts and hands each connection to the next worker. */
export type SchedulingPolicy = 'shared' | 'round-robin';

const choices: readonly SchedulingPolicy[] = ['shared', 'round-robin'];

export const schedulingPolicyType = defineValueType<SchedulingPolicy>({
  expected: 'one of "shared", "round-robin"',
  label: choices.join(' | '),
  json: { enum: [...choices] },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const text = raw.trim().toLowerCase();
    return (choices as readonly string[]).includes(text) ? ok(text as SchedulingPolicy) : refuse();
  },
});
