// The `scheduling-policy` value type: who accepts the connections of a shared listener, the workers themselves (shared) or the master in turn (round-robin).
import { choiceType } from './choice.ts';

/** `shared`: every worker accepts from the one listening socket; `round-robin`: the master accepts and hands each connection to the next worker. */
export type SchedulingPolicy = 'shared' | 'round-robin';

export const schedulingPolicyType = choiceType<SchedulingPolicy>(['shared', 'round-robin']);
