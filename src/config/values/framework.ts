// The `framework` value type: "auto", "none", or the name of a framework whose build corral recognises.
import { FRAMEWORK_NAMES, type FrameworkName } from '../../frameworks/types.ts';
import { choiceType } from './choice.ts';

export type FrameworkChoice = FrameworkName | 'auto' | 'none';

export const frameworkType = choiceType<FrameworkChoice>(['auto', 'none', ...FRAMEWORK_NAMES]);
