// The DefaultTolerationSeconds admission plugin, as in kube: every new pod
// tolerates the not-ready and unreachable NoExecute taints for a while
// (300 s by default) unless it already says how it tolerates them, so pods
// leave a failed node after that time instead of at once.

import { isPlainObject } from '../../api/object.js';
import type { AdmissionPlugin } from '../../registry/admission.js';
import { DEFAULT_NODE_LIFECYCLE_OPTIONS } from './options.js';
import { NO_EXECUTE, TAINT_NOT_READY, TAINT_UNREACHABLE } from './taints.js';

export function defaultTolerationSeconds(seconds: number = DEFAULT_NODE_LIFECYCLE_OPTIONS.evictionSeconds): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    handles: (def, op) => def.group === '' && def.kind === 'Pod' && op === 'CREATE',
    admit(a) {
      const pod = a.obj;
      if (!pod || a.ctx.subresource) return;
      const spec = isPlainObject(pod.spec) ? pod.spec : (pod.spec = {});
      const tolerations = Array.isArray(spec.tolerations) ? [...spec.tolerations] : [];
      const added: Record<string, unknown>[] = [];
      for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
        // An empty key or effect already covers the taint (kube checks the same way).
        const covered = tolerations.some((t) => isPlainObject(t) && (!t.key || t.key === key) && (!t.effect || t.effect === NO_EXECUTE));
        if (!covered) added.push({ key, operator: 'Exists', effect: NO_EXECUTE, tolerationSeconds: seconds });
      }
      if (added.length) spec.tolerations = [...tolerations, ...added];
    },
  };
}
