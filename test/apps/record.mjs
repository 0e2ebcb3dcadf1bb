// Test plumbing shared by the apps under test/apps: notes written to files, so that any of corral's workers can read
// what another one saw (a client that went away, how often a stream waited for 'drain').
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.APP_RECORD_DIR;

/** Writes `text` as the note named `id` (ids are the tests' own: letters, digits and dashes), whole or not at all. */
export function record(id, text) {
  if (dir === undefined || !/^[\w-]+$/.test(id)) return;
  const partial = join(dir, `.${id}.${process.pid}`);
  writeFileSync(partial, text);
  renameSync(partial, join(dir, id));
}

/** The note named `id`, or 'none' when nothing was recorded under it yet. */
export function readRecord(id) {
  if (dir === undefined || !/^[\w-]+$/.test(id)) return 'none';
  try {
    return readFileSync(join(dir, id), 'utf8');
  } catch {
    return 'none';
  }
}
