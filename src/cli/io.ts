/** Where a run of the command writes: process.stdout and process.stderr, or a test's recorders. */

/** A stream the command writes to; `isTTY` and `columns` as a terminal's stream has them. */
export type CliStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
}
