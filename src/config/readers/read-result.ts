// The shape every config reader returns (values keyed as written, with line numbers), and the builder readers fill it with.
import { expandValue, type ExpandContext } from './expand.ts';

export interface ReadResult {
  /** Settings as written in the file (keys not yet checked); strings already had %d, %% and $(NAME) expanded. */
  values: Record<string, unknown>;
  /** 1-based line of each key's first occurrence. */
  lines: Record<string, number>;
  /** For list values (a YAML/JSON list or mapping, or a repeated INI key): the line of each item, when known. */
  itemLines: Record<string, (number | undefined)[]>;
  /** Keys given more than once (an INI key repeated, or a key in both the corral and uwsgi sections); their value is the list of occurrences. */
  repeated: string[];
  warnings: string[];
  /** Syntax errors and failed expansions, each starting with file:line. */
  errors: string[];
}

export interface ReadContext extends ExpandContext {
  /** The file as the user named it, used in messages. */
  file: string;
}

export class ReadResultBuilder {
  readonly result: ReadResult = {
    values: Object.create(null) as Record<string, unknown>,
    lines: Object.create(null) as Record<string, number>,
    itemLines: Object.create(null) as Record<string, (number | undefined)[]>,
    repeated: [],
    warnings: [],
    errors: [],
  };

  constructor(private readonly context: ReadContext) {}

  /** `file:line: ` */
  at(line: number | undefined): string {
    return line === undefined ? `${this.context.file}: ` : `${this.context.file}:${line}: `;
  }

  error(line: number | undefined, message: string): void {
    this.result.errors.push(`${this.at(line)}${message}`);
  }

  warn(line: number | undefined, message: string): void {
    this.result.warnings.push(`${this.at(line)}${message}`);
  }

  /** Adds one occurrence of a key; a second occurrence turns the value into the list of occurrences. */
  add(key: string, value: unknown, line: number | undefined, itemLines?: (number | undefined)[]): void {
    const { value: expanded, missing } = expandValue(value, this.context);
    for (const name of missing) this.error(line, `${key}: $(${name}) is not set in the environment`);
    const { values, lines } = this.result;
    if (!(key in values)) {
      values[key] = expanded;
      if (line !== undefined) lines[key] = line;
      if (itemLines !== undefined) this.result.itemLines[key] = itemLines;
      return;
    }
    if (!this.result.repeated.includes(key)) {
      this.result.repeated.push(key);
      values[key] = [values[key]];
      this.result.itemLines[key] = [lines[key]];
    }
    (values[key] as unknown[]).push(expanded);
    this.result.itemLines[key]!.push(line);
  }
}
