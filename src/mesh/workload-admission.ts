// Kinds only the control plane writes: Workload (generated from the proxies
// that reference it; seeds 000-002: "Manual creation is not supported") and
// DataplaneInsight (what the DP server observed). Anyone else's create or
// update, status included, is refused with 403. Deletes are allowed so users
// can clean up orphans (a Workload left behind by a multi-mesh conflict);
// the controllers recreate whatever is still referenced.

import type { UserInfo } from '../api/definition.js';
import { forbidden } from '../api/errors.js';
import { SYSTEM_USER } from '../controlplane/system-user.js';
import type { AdmissionPlugin } from '../registry/admission.js';

/** The control plane's in-process components act as SYSTEM_USER; no other identity shares its name. */
export function isControlPlane(user: UserInfo): boolean {
  return user.username === SYSTEM_USER.username;
}

const REASONS: Record<string, string> = {
  Workload: 'Workload resources are managed by the control plane; manual creation or modification is not supported',
  DataplaneInsight: 'DataplaneInsight resources are written by the control plane only',
};

export function controlPlaneOwnedMessage(kind: string, plural: string, name: string): string {
  return `${plural}.kuma.io "${name}" is forbidden: ${REASONS[kind]}`;
}

export function controlPlaneOwnedAdmission(): AdmissionPlugin {
  return {
    name: 'MeshControlPlaneOwned',
    handles: (def, op) => def.group === 'kuma.io' && op !== 'DELETE' && def.kind in REASONS,
    validate(a) {
      if (isControlPlane(a.ctx.user)) return;
      throw forbidden(controlPlaneOwnedMessage(a.def.kind, a.def.plural, a.name), { name: a.name, group: 'kuma.io', kind: a.def.plural });
    },
  };
}
