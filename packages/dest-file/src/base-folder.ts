import { DeltavError } from '@deltav/core';
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { FileErrorCodes } from './errors.js';

/** Tests whether absolute `path` lies strictly inside absolute folder `base`. */
function isInside(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function outsideBase(path: string, resolved: string, base: string): DeltavError {
  return new DeltavError(
    FileErrorCodes.OUTSIDE_BASE,
    `FileDestination: path "${path}" resolves to ${resolved}, which is outside the base folder ${base}. Fix: give a path inside ${base}; relative paths resolve against it, and "../" may not climb out of it.`,
  );
}

/** Rejects an absolute path that lies outside `base`, judging by the path's text alone. */
export function assertInsideBase(base: string | undefined, path: string, template: string): void {
  if (base === undefined || isInside(base, path)) return;
  throw outsideBase(template, path, base);
}

/**
 * Rejects a path whose nearest existing folder is, after following symbolic links,
 * outside the real location of `base`. This catches a link inside the base folder that
 * points elsewhere, which the text check cannot see.
 */
export async function assertRealPathInsideBase(base: string | undefined, path: string, template: string): Promise<void> {
  if (base === undefined) return;

  const realBase = await realpath(base).catch(() => base);
  let folder = dirname(path);
  for (;;) {
    const real = await realpath(folder).catch(() => undefined);
    if (real !== undefined) {
      if (real === realBase || isInside(realBase, real)) return;
      throw outsideBase(template, `${real} (after following links)`, realBase);
    }
    const parent = dirname(folder);
    if (parent === folder) return;
    folder = parent;
  }
}
