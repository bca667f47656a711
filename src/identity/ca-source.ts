// Reading the PEM a MeshIdentity's `ca.certificate` / `ca.privateKey` data
// source points at: a Secret in the identity's namespace (data key `value`
// unless named), a file on the control plane host, an environment variable
// of the control plane, or the value inline. Failures say which source.

import { readFile } from 'node:fs/promises';
import { DEFAULT_SECRET_KEY } from '../api/kuma/mesh-identity-schema.js';
import { isPlainObject } from '../api/object.js';
import type { ResourceClient } from '../client/types.js';

export class CaSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaSourceError';
  }
}

/** The text of a Secret's data key (base64 `data`, or `stringData` as written). */
export function secretValue(secret: { data?: unknown; stringData?: unknown }, key: string): string | undefined {
  const data = isPlainObject(secret.data) ? secret.data : {};
  if (typeof data[key] === 'string') return Buffer.from(data[key], 'base64').toString('utf8');
  const sd = isPlainObject(secret.stringData) ? secret.stringData : {};
  return typeof sd[key] === 'string' ? sd[key] : undefined;
}

export async function readDataSource(ds: unknown, what: string, namespace: string, secrets: ResourceClient, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (!isPlainObject(ds)) throw new CaSourceError(`${what}: not defined`);
  const sub = (k: string) => (isPlainObject(ds[k]) ? (ds[k] as Record<string, unknown>) : {});
  switch (ds.type) {
    case 'Secret': {
      const name = String(sub('secretRef').name ?? '');
      const key = String(sub('secretRef').key ?? DEFAULT_SECRET_KEY);
      const secret = await secrets.get(namespace, name);
      if (!secret) throw new CaSourceError(`${what}: secret "${namespace}/${name}" not found`);
      const v = secretValue(secret as { data?: unknown }, key);
      if (v === undefined) throw new CaSourceError(`${what}: secret "${namespace}/${name}" has no key "${key}"`);
      return v;
    }
    case 'File': {
      const path = String(sub('file').path ?? '');
      try {
        return await readFile(path, 'utf8');
      } catch (e) {
        throw new CaSourceError(`${what}: cannot read file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    case 'EnvVar': {
      const name = String(sub('envVar').name ?? '');
      const v = env[name];
      if (v === undefined || v === '') throw new CaSourceError(`${what}: environment variable ${name} is not set`);
      return v;
    }
    case 'InsecureInline':
      return String(sub('insecureInline').value ?? '');
    default:
      throw new CaSourceError(`${what}: unsupported data source type ${String(ds.type)}`);
  }
}

/** Whether a data source needs re-reading over time (files and variables are not watched). */
export const isPolledSource = (ds: unknown) => isPlainObject(ds) && ds.type === 'File';
