// Schema of compute.miloapis.com/v1alpha1 Workload: a replicated pod template
// placed in a project namespace, optionally joined to a Network.

import { Type } from '@sinclair/typebox';
import { conditionsList, int32, int64, opt, str, strEnum, stringMap } from '../schemas/index.js';
import { PodTemplateSpecSchema } from '../schemas/pod-spec.js';
import { LabelSelectorSchema } from '../schemas/references.js';

export const WORKLOAD_PHASES = ['Pending', 'Provisioning', 'Running', 'Failed', 'Deleting'] as const;
export type WorkloadPhase = (typeof WORKLOAD_PHASES)[number];

// `replicas >= 0` and the presence of `template` are checked in
// workload-validation.ts (kube's wording, one message per problem).
export const ComputeWorkloadSpecSchema = Type.Object(
  {
    replicas: opt(int32('Desired number of pods. Defaults to 1; must be 0 or more.', { default: 1 })),
    selector: opt({
      ...LabelSelectorSchema,
      description: "Selects the workload's pods; must match the template's labels. Defaults to the template's labels. Cannot be changed.",
    }),
    template: opt({ ...PodTemplateSpecSchema, description: 'The pods to run: their labels and spec. Required.' }),
    networkRef: opt(
      Type.Object(
        { name: opt(str('Name of a Network in the same namespace.')) },
        { description: 'The Network whose address block the pods get their IPs from.' },
      ),
    ),
    provider: opt(
      Type.Object(
        { nodeSelector: opt(stringMap('Labels a node must carry for the pods to be placed on it.')) },
        { description: 'Placement constraints for the pods.' },
      ),
    ),
  },
  { description: 'Desired state of the workload.' },
);

export const ComputeWorkloadStatusSchema = Type.Object(
  {
    phase: opt(strEnum('Coarse state: `Pending`, `Provisioning`, `Running`, `Failed` or `Deleting`.', WORKLOAD_PHASES)),
    replicas: opt(int32('Pods that exist for the workload.')),
    readyReplicas: opt(int32('Pods that are Ready.')),
    availableReplicas: opt(int32('Pods that have been Ready for at least minReadySeconds (0).')),
    updatedReplicas: opt(int32('Pods running the current template.')),
    observedGeneration: opt(int64('metadata.generation the status was computed from.')),
    selector: opt(str('Label selector of the pods in string form, read by the scale subresource.')),
    conditions: opt(conditionsList('Current observations of the workload: `Available`, `Progressing`, `ReplicaFailure`.')),
  },
  { description: 'Observed state of the workload.' },
);
