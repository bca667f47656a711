// `workplane set image workload/NAME CONTAINER=IMAGE... -n NS`: what
// `kubectl set image` does for Deployments, for compute.miloapis.com
// Workloads (kubectl only knows the built-in kinds). It reads the Workload,
// builds a JSON patch replacing the named containers' images (each guarded
// by a `test` of the container's name, so a concurrent reorder fails instead
// of patching the wrong container) and prints kubectl's line.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../api/errors.js';
import { isPlainObject, type KObject } from '../api/object.js';
import { HttpClient } from '../client/http-client.js';
import { loadKubeconfig } from '../client/kubeconfig.js';

export const WORKLOAD_GVR = { group: 'compute.miloapis.com', version: 'v1alpha1', resource: 'workloads' };
const QUALIFIED = 'workload.compute.miloapis.com';
const RESOURCE_NAMES = new Set(['workload', 'workloads', 'cwl', 'workload.compute.miloapis.com', 'workloads.compute.miloapis.com']);

export const SET_IMAGE_USAGE = `Update the container images of a compute.miloapis.com Workload.

Usage:
  workplane set image workload/NAME CONTAINER=IMAGE [CONTAINER=IMAGE...] [-n NAMESPACE] [--kubeconfig FILE] [--context NAME]

A CONTAINER of '*' sets the image of every container.

Example:
  workplane set image workload/web-app nginx=nginx:1.26 -n project-myproject`;

export interface SetImageArgs {
  name: string;
  images: Record<string, string>;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

export type JsonPatchOp = { op: 'test' | 'replace'; path: string; value: unknown };

/** Parses the arguments after `set image`; throws with a kubectl-style message when they are wrong. */
export function parseSetImageArgs(argv: string[]): SetImageArgs {
  const positional: string[] = [];
  const out: Partial<SetImageArgs> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const flag = /^(--?[a-z-]+)(?:=(.*))?$/.exec(a);
    if (!flag || a === '-') {
      positional.push(a);
      continue;
    }
    const value = () => {
      if (flag[2] !== undefined) return flag[2];
      if (i + 1 >= argv.length) throw new Error(`flag needs an argument: ${flag[1]}`);
      return argv[++i];
    };
    if (flag[1] === '-n' || flag[1] === '--namespace') out.namespace = value();
    else if (flag[1] === '--kubeconfig') out.kubeconfig = value();
    else if (flag[1] === '--context') out.context = value();
    else throw new Error(`unknown flag: ${flag[1]}`);
  }
  let target = positional.shift();
  if (!target) throw new Error('you must specify a workload, e.g. workload/web-app');
  if (!target.includes('/')) {
    // `workload web-app nginx=...` as well as `workload/web-app nginx=...`.
    const name = positional.shift();
    if (!name || name.includes('=')) throw new Error(`you must specify the name of the ${target}, e.g. workload/web-app`);
    target = `${target}/${name}`;
  }
  const [resource, name] = target.split('/', 2);
  if (!RESOURCE_NAMES.has(resource.toLowerCase())) {
    throw new Error(`set image supports only compute.miloapis.com workloads (workload/NAME), not "${resource}"`);
  }
  if (!name) throw new Error('you must specify the name of the workload, e.g. workload/web-app');
  const images: Record<string, string> = {};
  for (const p of positional) {
    const eq = p.indexOf('=');
    if (eq <= 0 || eq === p.length - 1) throw new Error(`expected CONTAINER=IMAGE, got "${p}"`);
    images[p.slice(0, eq)] = p.slice(eq + 1);
  }
  if (!Object.keys(images).length) throw new Error('at least one image update is required');
  return { ...out, name, images } as SetImageArgs;
}

/** The JSON patch setting the images (empty when nothing changes); throws when a named container does not exist. */
export function buildImagePatch(workload: KObject, images: Record<string, string>): JsonPatchOp[] {
  const spec = isPlainObject(workload.spec) && isPlainObject(workload.spec.template) && isPlainObject(workload.spec.template.spec) ? workload.spec.template.spec : {};
  const ops: JsonPatchOp[] = [];
  const found = new Set<string>();
  for (const list of ['initContainers', 'containers']) {
    const containers = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
    containers.forEach((c, i) => {
      if (!isPlainObject(c) || typeof c.name !== 'string') return;
      const image = images[c.name] ?? images['*'];
      if (image === undefined) return;
      found.add(c.name);
      if (c.image === image) return;
      const base = `/spec/template/spec/${list}/${i}`;
      ops.push({ op: 'test', path: `${base}/name`, value: c.name }, { op: 'replace', path: `${base}/image`, value: image });
    });
  }
  const missing = Object.keys(images).filter((n) => n !== '*' && !found.has(n));
  if (missing.length) throw new Error(`unable to find container named "${missing[0]}"`);
  return ops;
}

const defaultKubeconfig = () => process.env.KUBECONFIG?.split(':')[0] || join(homedir(), '.kube', 'config');

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs `set image` with the arguments after `set image`; returns the exit code. */
export async function runSetImage(argv: string[], io: Io = stdio): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.out(SET_IMAGE_USAGE);
    return 0;
  }
  let args: SetImageArgs;
  try {
    args = parseSetImageArgs(argv);
  } catch (e) {
    io.err(`error: ${(e as Error).message}\nSee 'workplane set image --help' for usage.`);
    return 1;
  }
  const kubeconfig = args.kubeconfig ?? defaultKubeconfig();
  let client: HttpClient | undefined;
  try {
    const namespace = args.namespace ?? (await loadKubeconfig(kubeconfig, args.context)).namespace ?? 'default';
    client = await HttpClient.fromKubeconfig(kubeconfig, { context: args.context });
    const workloads = client.resource(WORKLOAD_GVR);
    const w = await workloads.get(namespace, args.name);
    if (!w) throw new ApiError(404, 'NotFound', `workloads.compute.miloapis.com "${args.name}" not found`);
    const ops = buildImagePatch(w, args.images);
    if (ops.length) await workloads.patch(namespace, args.name, 'json', ops, { fieldManager: 'workplane-set' });
    // As kubectl: a no-op prints nothing.
    if (ops.length) io.out(`${QUALIFIED}/${args.name} image updated`);
    return 0;
  } catch (e) {
    io.err(e instanceof ApiError ? `Error from server (${e.reason}): ${e.message}` : `error: ${(e as Error).message}`);
    return 1;
  } finally {
    client?.close();
  }
}

/** `workplane set <subcommand>`: only `image` exists. */
export async function runSet(argv: string[], io: Io = stdio): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'image') return runSetImage(rest, io);
  io.err(`error: unknown command "set ${sub ?? ''}"; available: set image\n\n${SET_IMAGE_USAGE}`);
  return sub === undefined || sub === '--help' || sub === '-h' ? 0 : 2;
}
