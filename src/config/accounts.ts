// Turns the `uid` and `gid` settings into numeric ids, from /etc/passwd and /etc/group for names.
import { readFileSync } from 'node:fs';

interface Entry {
  id: number;
  /** The primary group, for a passwd entry. */
  group: number | undefined;
}

/** Finds `name` in a passwd- or group-format file (name:x:id:group:...). */
function lookUp(file: string, name: string): Entry | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [entryName, , id, group] = line.split(':');
    if (entryName === name && id !== undefined)
      return { id: Number(id), group: group === undefined ? undefined : Number(group) };
  }
  return undefined;
}

export type Ids = { uid?: number; gid?: number };

/**
 * Resolves `uid` and `gid`. A user given by name without `gid` brings its primary group, so that workers never keep
 * root's group. Problems go to `errors`, prefixed by `where`.
 */
export function resolveAccounts(
  uid: string | number | undefined,
  gid: string | number | undefined,
  where: (key: 'uid' | 'gid') => string,
  errors: string[],
): Ids {
  const ids: Ids = {};
  if (typeof uid === 'number') ids.uid = uid;
  else if (uid !== undefined) {
    const user = lookUp('/etc/passwd', uid);
    if (user === undefined)
      errors.push(`${where('uid')}no user "${uid}" in /etc/passwd (give a user name or a numeric id)`);
    else {
      ids.uid = user.id;
      if (gid === undefined && user.group !== undefined) ids.gid = user.group;
    }
  }
  if (typeof gid === 'number') ids.gid = gid;
  else if (gid !== undefined) {
    const group = lookUp('/etc/group', gid);
    if (group === undefined)
      errors.push(`${where('gid')}no group "${gid}" in /etc/group (give a group name or a numeric id)`);
    else ids.gid = group.id;
  }
  return ids;
}
