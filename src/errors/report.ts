// Prints a fatal error for the person at the terminal: plain lines on stderr, never a stack trace.
export function reportFatal(message: string): void {
  // A config error lists every problem, one per line: each line gets the prefix.
  process.stderr.write(
    message
      .split('\n')
      .map((line) => `corral: ${line}\n`)
      .join(''),
  );
}
