// MeshIdentity and MeshTrust live in the mesh system namespace only: the
// identity controllers read them there and nowhere else, so one written
// elsewhere would be silently ignored. Kuma's admission refuses it with the
// sentence kept below, which Kuma users (and their scripts) know.

import { forbidden } from '../api/errors.js';
import type { AdmissionPlugin } from '../registry/admission.js';
import type { MeshConfig } from './config.js';
import { isControlPlane } from './workload-admission.js';

/** The kuma.io kinds Kuma marks `allowed_on_system_namespace_only`. */
export const SYSTEM_NAMESPACE_ONLY_KINDS: ReadonlySet<string> = new Set(['MeshIdentity', 'MeshTrust']);

/** Kuma's message, after kube's `<resource> "<name>" is forbidden:` prefix. */
export function systemNamespaceOnlyMessage(plural: string, name: string, kind: string, systemNamespace: string): string {
  return `${plural}.kuma.io "${name}" is forbidden: resource type ${kind} can be created only in the system namespace:${systemNamespace}`;
}

export function systemNamespaceAdmission(config: Pick<MeshConfig, 'systemNamespace'>): AdmissionPlugin {
  return {
    name: 'MeshSystemNamespaceOnly',
    handles: (def, op) => def.group === 'kuma.io' && op !== 'DELETE' && SYSTEM_NAMESPACE_ONLY_KINDS.has(def.kind),
    validate(a) {
      if (a.namespace === config.systemNamespace || isControlPlane(a.ctx.user)) return;
      throw forbidden(systemNamespaceOnlyMessage(a.def.plural, a.name, a.def.kind, config.systemNamespace), { name: a.name, group: 'kuma.io', kind: a.def.plural });
    },
  };
}
