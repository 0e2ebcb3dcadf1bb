// Builds the throw-away directory tree (files, dotfiles, symlinks, a sibling dir) the static tests serve from.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BIG_FILE_SIZE = 8 * 1024 * 1024;

export interface FixtureTree {
  /** The temp directory holding everything. */
  base: string;
  /** The mount directory: <base>/static. */
  root: string;
  /** True when a FIFO could be created at <root>/fifo. */
  hasFifo: boolean;
  remove(): void;
}

/** Creates the tree; call remove() in afterAll. */
export function createFixtureTree(): FixtureTree {
  const base = mkdtempSync(path.join(tmpdir(), 'corral-static-'));
  const root = path.join(base, 'static');
  const file = (relative: string, content: string | Buffer) => {
    const target = path.join(base, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  };

  file('static/index.html', '<h1>root index</h1>\n');
  file('static/a.txt', 'hello text\n');
  file('static/style.css', 'body { color: red; }\n');
  file('static/app.js', 'console.log(1);\n');
  file('static/data.json', '{"ok":true}\n');
  file('static/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  file('static/pixel.png', Buffer.from('89504e470d0a1a0a', 'hex'));
  file('static/blob.unknownext', 'opaque');
  file('static/empty.txt', '');
  file('static/a b.txt', 'spaced\n');
  file('static/caf\u00e9.txt', 'unicode\n');
  file('static/dir/index.html', '<p>dir index</p>\n');
  file('static/dir/page.txt', 'page\n');
  file('static/caf\u00e9-dir/index.html', '<p>unicode dir index</p>\n');
  mkdirSync(path.join(root, 'noindex'));
  file('static/.env', 'SECRET=1\n');
  file('static/.git/config', '[core]\n');
  file('static/sub/.hidden', 'hidden\n');
  file('static/sub/visible.txt', 'visible\n');
  file('static/big.bin', Buffer.alloc(BIG_FILE_SIZE, 7));
  file('static-private/key.txt', 'sibling secret\n');
  file('outside/secret.txt', 'outside secret\n');
  file('outside/index.html', '<p>outside index</p>\n');

  // Symlinks: one staying inside the root, several leading out of it or to hidden names.
  symlinkSync('a.txt', path.join(root, 'link-in.txt'));
  symlinkSync('dir', path.join(root, 'link-dir'));
  symlinkSync('../outside/secret.txt', path.join(root, 'link-out.txt'));
  symlinkSync('../outside', path.join(root, 'dir-out'));
  symlinkSync('../static-private/key.txt', path.join(root, 'link-sibling.txt'));
  symlinkSync('.env', path.join(root, 'link-dotenv.txt'));
  symlinkSync(path.join(base, 'outside', 'index.html'), path.join(root, 'abs-link-out.html'));
  mkdirSync(path.join(root, 'escaping-index'));
  symlinkSync('../../outside/index.html', path.join(root, 'escaping-index', 'index.html'));
  symlinkSync('missing-target.txt', path.join(root, 'dangling.txt'));
  symlinkSync('loop-b', path.join(root, 'loop-a'));
  symlinkSync('loop-a', path.join(root, 'loop-b'));

  let hasFifo = false;
  try {
    execFileSync('mkfifo', [path.join(root, 'fifo')], { stdio: 'ignore', timeout: 5_000 });
    hasFifo = true;
  } catch {
    // No mkfifo here: the FIFO case is skipped.
  }

  return { base, root, hasFifo, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** Descriptors this process holds open on `file` (Linux only; an empty list elsewhere). */
export function openDescriptorsOf(file: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
  return entries.filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  });
}
