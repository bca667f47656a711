// The objects a pod spec names: the Secrets, ConfigMaps and ServiceAccount a
// node needs to run it. The Node authorizer lets a node read exactly these.

import type { KObject } from '../object.js';

export interface PodReferences {
  serviceAccount: string;
  secrets: Set<string>;
  configMaps: Set<string>;
}

type Named = { name?: unknown } | undefined;
type EnvVar = { valueFrom?: { secretKeyRef?: Named; configMapKeyRef?: Named } };
type EnvFrom = { secretRef?: Named; configMapRef?: Named };
type Container = { env?: EnvVar[]; envFrom?: EnvFrom[] };
type Projection = { secret?: Named; configMap?: Named };
type Volume = { secret?: { secretName?: unknown }; configMap?: Named; projected?: { sources?: Projection[] } };

const add = (set: Set<string>, v: unknown) => typeof v === 'string' && v !== '' && set.add(v);

export function podReferences(pod: KObject): PodReferences {
  const spec = (pod.spec ?? {}) as {
    serviceAccountName?: string;
    imagePullSecrets?: Named[];
    volumes?: Volume[];
    containers?: Container[];
    initContainers?: Container[];
    ephemeralContainers?: Container[];
  };
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  for (const s of spec.imagePullSecrets ?? []) add(secrets, s?.name);
  for (const v of spec.volumes ?? []) {
    add(secrets, v?.secret?.secretName);
    add(configMaps, v?.configMap?.name);
    for (const p of v?.projected?.sources ?? []) {
      add(secrets, p?.secret?.name);
      add(configMaps, p?.configMap?.name);
    }
  }
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c?.env ?? []) {
      add(secrets, e?.valueFrom?.secretKeyRef?.name);
      add(configMaps, e?.valueFrom?.configMapKeyRef?.name);
    }
    for (const e of c?.envFrom ?? []) {
      add(secrets, e?.secretRef?.name);
      add(configMaps, e?.configMapRef?.name);
    }
  }
  return { serviceAccount: spec.serviceAccountName || 'default', secrets, configMaps };
}
