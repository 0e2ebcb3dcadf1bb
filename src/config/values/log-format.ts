// The `log-format` value type: how access lines are written, "json" (corral's own line) or "combined" (the combined log format of nginx and Apache).
import { choiceType } from './choice.ts';

export type LogFormat = 'json' | 'combined';

export const logFormatType = choiceType<LogFormat>(['json', 'combined']);
