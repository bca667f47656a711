// The identity files `workplane dp run --identity-dir DIR` keeps for the
// application: DIR/cert.pem, DIR/key.pem (0600) and DIR/bundle.pem. Each is
// replaced atomically (temporary file, fsync, rename), so a reader never
// sees a half-written file; all temporaries are written before the first
// rename, which keeps the window where key and certificate disagree to a
// few renames.

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const IDENTITY_FILES = { cert: 'cert.pem', key: 'key.pem', bundle: 'bundle.pem' } as const;

export interface IdentityFiles {
  certPem: string;
  bundlePem: string;
  /** Written only when given (the key changes less often than the certificate). */
  keyPem?: string;
}

async function writeTemp(path: string, data: string, mode: number): Promise<string> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode); // open's mode is filtered by the umask
    await fh.sync();
  } finally {
    await fh.close();
  }
  return tmp;
}

export async function writeIdentityFiles(dir: string, files: IdentityFiles): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const plan: [string, string, number][] = [];
  if (files.keyPem !== undefined) plan.push([IDENTITY_FILES.key, files.keyPem, 0o600]);
  plan.push([IDENTITY_FILES.cert, files.certPem, 0o644], [IDENTITY_FILES.bundle, files.bundlePem, 0o644]);
  const temps: string[] = [];
  try {
    for (const [name, data, mode] of plan) temps.push(await writeTemp(join(dir, name), data, mode));
    for (let i = 0; i < plan.length; i++) await rename(temps[i]!, join(dir, plan[i]![0]));
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw e;
  }
}
