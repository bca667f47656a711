// Core admission plugins: NamespaceLifecycle (content only in existing, active
// namespaces; system namespaces cannot be deleted) and ServiceAccount (a pod's
// service account must exist, as in Kubernetes).

import { ApiError, forbidden } from '../api/errors.js';
import type { AdmissionPlugin } from '../registry/admission.js';
import type { Registry } from '../registry/registry.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function namespaceLifecycle(registry: Registry, immortal: string[] = SYSTEM_NAMESPACES): AdmissionPlugin {
  const namespaces = () => registry.forKind('', 'Namespace')!;
  return {
    name: 'NamespaceLifecycle',
    handles: (def) => def.namespaced || (def.group === '' && def.kind === 'Namespace'),
    async validate(a) {
      const { def } = a;
      if (def.group === '' && def.kind === 'Namespace') {
        if (a.operation === 'DELETE' && immortal.includes(a.name)) {
          throw forbidden(`namespaces "${a.name}" is forbidden: this namespace may not be deleted`, { name: a.name, kind: 'namespaces' });
        }
        return;
      }
      if (a.operation !== 'CREATE' || def.virtual) return;
      const ns = a.namespace!;
      let nsObj;
      try {
        nsObj = await namespaces().get(undefined, ns);
      } catch (e) {
        if (e instanceof ApiError && e.code === 404) throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
        throw e;
      }
      if (nsObj.metadata.deletionTimestamp) {
        const what = def.group ? `${def.plural}.${def.group}` : def.plural;
        throw forbidden(`${what} "${a.name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, {
          name: a.name,
          group: def.group,
          kind: def.plural,
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
        });
      }
    },
  };
}

export function serviceAccountAdmission(registry: Registry): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    handles: (def, op) => def.group === '' && def.kind === 'Pod' && op === 'CREATE',
    async admit(a) {
      const spec = (a.obj!.spec ??= {}) as Record<string, unknown>;
      if (!spec.serviceAccountName) spec.serviceAccountName = (spec.serviceAccount as string) || 'default';
      spec.serviceAccount = spec.serviceAccountName;
    },
    async validate(a) {
      const spec = a.obj!.spec as Record<string, unknown>;
      const sa = spec.serviceAccountName as string;
      const store = registry.forKind('', 'ServiceAccount')!;
      try {
        await store.get(a.namespace, sa);
      } catch (e) {
        // A new namespace's `default` account is created by a controller a moment later.
        if (e instanceof ApiError && e.code === 404 && sa === 'default' && (await appears(() => store.get(a.namespace, sa)))) return;
        if (e instanceof ApiError && e.code === 404) {
          throw forbidden(`pods "${a.name}" is forbidden: error looking up service account ${a.namespace}/${sa}: serviceaccount "${sa}" not found`, {
            name: a.name,
            kind: 'pods',
          });
        }
        throw e;
      }
    },
  };
}

async function appears(get: () => Promise<unknown>, tries = 20, delayMs = 100): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    await new Promise((r) => setTimeout(r, delayMs));
    try {
      await get();
      return true;
    } catch {
      /* not yet */
    }
  }
  return false;
}
