import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Checks that a file can be written at `file`: it is not a folder, and its nearest existing
 * ancestor is a writable folder, so the missing folders can be created. Returns the
 * problem, or `undefined` when the path looks writable.
 */
export async function checkWritablePath(file: string): Promise<string | undefined> {
  const target = resolve(file);
  const own = await statOrUndefined(target);
  if (own?.isDirectory()) return `"${target}" is a folder; expected the path of a file inside it`;

  let folder = dirname(target);
  for (;;) {
    const found = await statOrUndefined(folder);
    if (found !== undefined) {
      if (!found.isDirectory()) return `cannot create the folder of "${target}": "${folder}" is a file, not a folder`;
      break;
    }
    const parent = dirname(folder);
    if (parent === folder) return `no existing folder above "${target}"`;
    folder = parent;
  }

  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch {
    return `folder "${folder}" is not writable by this user; fix its permissions or choose another path`;
  }
  return undefined;
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}
