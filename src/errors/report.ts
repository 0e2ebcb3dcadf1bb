// Prints a fatal error for the person at the terminal: one plain line on stderr, never a stack trace.
export function reportFatal(message: string): void {
  process.stderr.write(`corral: ${message}\n`);
}
