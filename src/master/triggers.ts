// What starts a reload besides SIGHUP: `touch-reload` files whose mtime changes (the same watch serves touch-logreopen), and `watch` directories where a file changes (debounced).
import { unwatchFile, watch, watchFile, type FSWatcher, type Stats } from 'node:fs';
import type { Logger } from '../log/logger.ts';

/** How often a touch-reload file's mtime is read. */
const TOUCH_POLL_MS = 500;
/** A burst of changes under a watched directory (an editor's save, a git checkout) makes one reload, this long after the last. */
const WATCH_DEBOUNCE_MS = 300;

/** Paths under a watched directory that never trigger a reload. */
const IGNORED = /(^|[/\\])(node_modules|\.git)([/\\]|$)|(^|[/\\])\.[^/\\]*$/;

/**
 * Calls `touched` with the file's path each time the modification time of one of `files` changes (`touch` it), read
 * every TOUCH_POLL_MS; a file that does not exist yet is watched all the same. Returns a function that stops.
 */
export function watchTouchedFiles(files: readonly string[], touched: (file: string) => void): () => void {
  const stops = files.map((file) => {
    const onChange = (current: Stats, previous: Stats) => {
      if (current.mtimeMs !== previous.mtimeMs) touched(file);
    };
    watchFile(file, { interval: TOUCH_POLL_MS, persistent: false }, onChange);
    return () => unwatchFile(file, onChange);
  });
  return () => {
    for (const stop of stops) stop();
  };
}

/** Starts watching; `reload` gets the trigger's description. Returns a function that stops every watch. */
export function watchReloadTriggers(
  touchReload: readonly string[],
  dirs: readonly string[],
  log: Logger,
  reload: (trigger: string) => void,
): () => void {
  const stops: Array<() => void> = [watchTouchedFiles(touchReload, (file) => reload(`touch-reload ${file}`))];
  for (const dir of dirs) {
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { recursive: true, persistent: false }, (_event, name) => {
        if (name !== null && IGNORED.test(name)) return;
        clearTimeout(timer);
        timer = setTimeout(() => reload(`watch ${dir}${name === null ? '' : `: ${name}`}`), WATCH_DEBOUNCE_MS);
      });
    } catch (err) {
      log.error({ dir, err }, 'watch: cannot watch this directory; changes under it do not reload');
      continue;
    }
    watcher.on('error', (err) => log.error({ dir, err }, 'watch: watching this directory failed'));
    stops.push(() => {
      clearTimeout(timer);
      watcher.close();
    });
  }
  return () => {
    for (const stop of stops) stop();
  };
}
