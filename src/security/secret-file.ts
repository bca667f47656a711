// Reading and writing files that hold secrets (keys, tokens). Writes go
// through a temporary file and a rename so a crash or a concurrent reader
// never sees half a key, and the file is created 0600 so it is never readable
// by others, not even for an instant.
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

export const SECRET_FILE_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;

/** Returns the file's text, or undefined when it does not exist. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Atomically replaces `path` with `data`, mode 0600; creates the parent directory (0700) if needed. */
export async function writeSecretFile(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: SECRET_DIR_MODE });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', SECRET_FILE_MODE);
  try {
    await handle.writeFile(data, 'utf8');
    // The umask may have cleared bits we asked for, never added any; chmod makes the mode exact.
    await handle.chmod(SECRET_FILE_MODE);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  // rename keeps the temporary file's mode, but be explicit for filesystems that do not.
  await chmod(path, SECRET_FILE_MODE);
}
