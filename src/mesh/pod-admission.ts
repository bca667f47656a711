// Admission for Pods the mesh manages (meshed pods, or any pod of a meshed
// namespace): the workload label is the control plane's to set, a workload
// annotation must be usable as a Dataplane's workload label, and, when so
// configured, a namespace holds data plane proxies of one mesh only.
//
// Rules ratchet on UPDATE: they apply when the update introduces or changes
// the value checked, so a pod admitted before a namespace was meshed (or
// before the flag was enabled) can still have its finalizers or other
// metadata updated by the garbage collector or its owner. Subresource writes
// (status, binding) are not checked, as Kuma's webhook does not see them.

import { fieldError, forbidden, invalid } from '../api/errors.js';
import { meshOf, SIDECAR_INJECTION_LABEL, WORKLOAD_LABEL } from '../api/kuma/labels.js';
import type { KObject } from '../api/object.js';
import { isDNS1035Label } from '../api/validation/names.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../registry/admission.js';
import type { Registry } from '../registry/registry.js';
import type { MeshConfig } from './config.js';
import { podMesh, sidecarInjection, SIDECAR_INJECTION_VALUES, WORKLOAD_ANNOTATION, type SidecarInjection } from './pod-mesh.js';

export const WORKLOAD_LABEL_ON_POD_MESSAGE = `cannot manually set ${WORKLOAD_LABEL} label on Pod; it is automatically managed by Kuma`;
export const WORKLOAD_ANNOTATION_FIELD = `metadata.annotations[${WORKLOAD_ANNOTATION}]`;

export function multipleMeshesMessage(podMesh: string, namespace: string, otherMesh: string): string {
  return (
    `pod is in mesh "${podMesh}" but namespace "${namespace}" already contains dataplanes in mesh "${otherMesh}"; ` +
    'only one mesh per namespace is allowed when runtime.kubernetes.disallowMultipleMeshesPerNamespace is enabled'
  );
}

export const SIDECAR_INJECTION_FIELD = `metadata.labels[${SIDECAR_INJECTION_LABEL}]`;
const ACCEPTED = Object.keys(SIDECAR_INJECTION_VALUES);

/** A value Kuma cannot read fails the injection, so the pod is refused rather than silently left out of the mesh. */
function injectionValueError(name: string, namespace: string, i: SidecarInjection) {
  if (i.from === 'pod') return invalid('Pod', '', name, [fieldError.notSupported(SIDECAR_INJECTION_FIELD, i.invalid, ACCEPTED)]);
  const supported = ACCEPTED.map((v) => JSON.stringify(v)).join(', ');
  return forbidden(`pods "${name}" is forbidden: namespace "${namespace}" has label ${SIDECAR_INJECTION_LABEL}=${JSON.stringify(i.invalid)}, which is not supported (supported values: ${supported})`, { name, kind: 'pods' });
}

const changed = (a: AdmissionAttributes, read: (o: KObject) => string | undefined) =>
  a.operation === 'CREATE' || !a.old || read(a.obj!) !== read(a.old);

export function podAdmission(registry: Registry, config: Pick<MeshConfig, 'disallowMultipleMeshesPerNamespace'>): AdmissionPlugin {
  const namespaces = () => registry.forKind('', 'Namespace')!;
  const dataplanes = () => registry.forKind('kuma.io', 'Dataplane');
  const getNamespace = async (name: string) => {
    try {
      return await namespaces().get(undefined, name);
    } catch {
      return undefined; // NamespaceLifecycle reports a missing namespace
    }
  };
  return {
    name: 'MeshPod',
    handles: (def, op) => def.group === '' && def.kind === 'Pod' && op !== 'DELETE',
    async validate(a) {
      if (a.ctx.subresource || !a.obj || !a.namespace) return;
      const pod = a.obj;
      const ns = await getNamespace(a.namespace);
      const injection = sidecarInjection(pod, ns);
      if (injection.invalid !== undefined && changed(a, (o) => sidecarInjection(o, ns).invalid)) throw injectionValueError(a.name, a.namespace, injection);
      if (!injection.meshed) return;
      if (pod.metadata.labels?.[WORKLOAD_LABEL] !== undefined && changed(a, (o) => o.metadata.labels?.[WORKLOAD_LABEL])) {
        throw forbidden(WORKLOAD_LABEL_ON_POD_MESSAGE, { name: a.name, kind: 'pods' });
      }
      const annotation = pod.metadata.annotations?.[WORKLOAD_ANNOTATION];
      if (annotation && changed(a, (o) => o.metadata.annotations?.[WORKLOAD_ANNOTATION])) {
        const msgs = isDNS1035Label(annotation);
        if (msgs.length) throw invalid('Pod', '', a.name, msgs.map((m) => fieldError.invalid(WORKLOAD_ANNOTATION_FIELD, annotation, m)));
      }
      if (!config.disallowMultipleMeshesPerNamespace) return;
      const mesh = podMesh(pod, ns);
      if (!changed(a, (o) => podMesh(o, ns))) return;
      const store = dataplanes();
      if (!store) return;
      const others = new Set<string>();
      // The pod's own Dataplane (same name) does not count: its mesh follows the pod.
      for (const dp of (await store.list(a.namespace)).items) if (dp.metadata.name !== a.name) others.add(meshOf(dp));
      others.delete(mesh);
      if (others.size === 0) return;
      const other = [...others].sort()[0];
      throw forbidden(multipleMeshesMessage(mesh, a.namespace, other), { name: a.name, kind: 'pods' });
    },
  };
}
