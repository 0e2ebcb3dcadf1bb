// The file a process appends its log lines to (`logto`): opened with O_APPEND, reopened on demand, and a write failure reported once with the lines it dropped counted.
import { closeSync, constants, fchownSync, fstatSync, openSync, writeSync } from 'node:fs';
import { writeAll } from './block-writer.ts';

/** Append only: every write(2) lands at the file's end as it is then, even after a truncation by another process. */
const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;
/** A new log file: its owner writes, its group reads. */
const MODE = 0o640;
const NEWLINE = 0x0a;

export interface LogFileOptions {
  /** Names the process in the lines written to stderr (`corral worker 2 (pid 4711)`). */
  label: string;
  /** The process's bindings as JSON members, for the line this file writes itself once writing works again. */
  bindingsJson: string;
  /** Chown a file this process opens to these ids (the master, for workers that run as `uid`/`gid`). */
  owner?: { uid: number | undefined; gid: number | undefined };
  /** Bytes past which `onFull` is called after a write (once, until the next reopen); absent: never. */
  maxSize?: number;
  /** Called (later, not within the write) once the file has grown past `maxSize`. */
  onFull?: () => void;
  /** Where the one-line reports go; stderr by default. */
  report?: (text: string) => void;
}

/** An errno code and its text: `ENOSPC (no space left on device)`. */
function describe(err: unknown): string {
  const { code, message } = err as NodeJS.ErrnoException;
  const text = message.replace(/^[A-Z]+: /, '').replace(/, (open|write) .*$/, '');
  return code === undefined ? message : `${code} (${text})`;
}

function toStderr(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    // stderr is gone too: there is no one left to tell.
  }
}

function countLines(bytes: Buffer, from: number, length: number): number {
  let lines = 0;
  for (let at = bytes.indexOf(NEWLINE, from); at >= 0 && at < length; at = bytes.indexOf(NEWLINE, at + 1)) lines++;
  return lines;
}

/**
 * Every process opens the same path with O_APPEND and writes its blocks to it: on a local filesystem one write(2)
 * in append mode lands whole at the end, so the processes' blocks never interleave mid-line, and no process has to
 * carry another's lines. When a write fails (a full disk, a file made unwritable, an I/O error) the process says so
 * once on stderr, drops the lines it cannot write and counts them, and tries again with the next block: the first
 * block that goes through is preceded by a line that gives the count. Nothing here ever throws at a caller.
 */
export class LogFile {
  private fd: number;
  /** The error writes fail with (described), while they do. */
  private failing: string | undefined;
  private failingSince = 0;
  private dropped = 0;
  /** A write failed part way through a line: the next one starts on a new line. */
  private cutLine = false;
  private reopenFailing = false;
  private toldFull = false;
  private readonly report: (text: string) => void;

  /** Opens `path` (created with mode 0640 if missing); throws when it cannot, with the error of open(2). */
  constructor(
    readonly path: string,
    private readonly options: LogFileOptions,
  ) {
    this.report = options.report ?? toStderr;
    this.fd = this.openPath();
  }

  /** Appends `bytes` up to `length`: a BlockOutput (see block-writer.ts). */
  readonly write = (bytes: Buffer, length: number): void => {
    if (this.failing !== undefined && !this.recovered()) {
      this.dropped += countLines(bytes, 0, length);
      return;
    }
    try {
      writeAll(this.fd, bytes, length);
    } catch (err) {
      const written = (err as { written?: number }).written ?? 0;
      this.fail(err, countLines(bytes, written, length), written > 0 && bytes[written - 1] !== NEWLINE);
      return;
    }
    const { maxSize, onFull } = this.options;
    if (maxSize !== undefined && onFull !== undefined && !this.toldFull && this.size() >= maxSize) {
      this.toldFull = true;
      setImmediate(onFull);
    }
  };

  /** The size of the file open now, from fstat(2); 0 when it cannot be read. */
  size(): number {
    try {
      return fstatSync(this.fd).size;
    } catch {
      return 0;
    }
  }

  /**
   * Opens the path anew and writes there from now on; the file open until now is closed. When the path cannot be
   * opened (its directory is gone, or it is no longer writable), the lines go on to the file open now, and the
   * failure is reported once, until a reopen works again. Returns the failure, described, or undefined.
   */
  reopen(): string | undefined {
    let fd: number;
    try {
      fd = this.openPath();
    } catch (err) {
      const problem = describe(err);
      if (!this.reopenFailing) {
        this.reopenFailing = true;
        this.report(
          `corral: ${this.options.label}: cannot reopen the log file ${this.path}: ${problem}; lines go on to the file ` +
            'open until now (under its old name if it was renamed): make the directory and the file writable again, ' +
            'then send SIGUSR1 to the master\n',
        );
      }
      return problem;
    }
    this.reopenFailing = false;
    const old = this.fd;
    this.fd = fd;
    this.toldFull = false;
    try {
      closeSync(old);
    } catch {
      // already closed: nothing to do
    }
    return undefined;
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  private openPath(): number {
    const fd = openSync(this.path, FLAGS, MODE);
    const owner = this.options.owner;
    if (owner !== undefined && (owner.uid !== undefined || owner.gid !== undefined) && process.getuid?.() === 0) {
      try {
        fchownSync(fd, owner.uid ?? -1, owner.gid ?? -1);
      } catch (err) {
        closeSync(fd);
        throw err;
      }
    }
    return fd;
  }

  private fail(err: unknown, lines: number, cut: boolean): void {
    this.dropped += lines;
    this.cutLine ||= cut;
    if (this.failing !== undefined) return;
    this.failing = describe(err);
    this.failingSince = Date.now();
    this.report(
      `corral: ${this.options.label}: cannot write the log file ${this.path}: ${this.failing}; log lines are ` +
        'dropped and counted until writing works again (serving goes on): free space on its disk, or make the file ' +
        'writable again (SIGUSR1 to the master reopens it)\n',
    );
  }

  /** While writes fail: tries to write the line that ends the failure, and says whether it went through. */
  private recovered(): boolean {
    const seconds = Math.round((Date.now() - this.failingSince) / 1000);
    const message = `the log file is writable again: ${this.dropped} lines were dropped over ${seconds} s`;
    const fields = `"path":${JSON.stringify(this.path)},"error":${JSON.stringify(this.failing)},"dropped":${this.dropped}`;
    const bindings = this.options.bindingsJson === '' ? '' : `,${this.options.bindingsJson}`;
    const line =
      `${this.cutLine ? '\n' : ''}{"level":"warn","time":"${new Date().toISOString()}"${bindings},${fields},` +
      `"msg":${JSON.stringify(message)}}\n`;
    const bytes = Buffer.from(line);
    try {
      writeAll(this.fd, bytes, bytes.length);
    } catch (err) {
      // Part of the line may be in: the next attempt starts on a new line.
      this.cutLine = ((err as { written?: number }).written ?? 0) > 0;
      return false;
    }
    this.report(`corral: ${this.options.label}: ${message} (${this.path})\n`);
    this.failing = undefined;
    this.dropped = 0;
    this.cutLine = false;
    return true;
  }
}
