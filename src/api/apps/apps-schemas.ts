// Schemas of the apps/v1 kinds: Deployment, ReplicaSet, StatefulSet,
// DaemonSet and ControllerRevision, field for field as kube serves them (so
// strict field validation accepts what kubectl sends and `kubectl explain`
// has text). Presence and ranges are checked in the validation modules.

import { Type } from '@sinclair/typebox';
import { bool, int32, int64, intOrString, listOf, openObject, opt, str, time } from '../schemas/builders.js';
import { ConditionSchema } from '../schemas/condition.js';
import { PodTemplateSpecSchema } from '../schemas/pod-spec.js';
import { LabelSelectorSchema } from '../schemas/references.js';

export const selectorField = (what: string) => opt({ ...LabelSelectorSchema, description: `Label query over the pods ${what}; must match the template's labels. Required; immutable.` });
export const templateField = (what: string) => opt({ ...PodTemplateSpecSchema, description: `The pods ${what}. Required.` });

/** Deployment and ReplicaSet conditions also carry lastUpdateTime. */
export const AppsConditionSchema = Type.Object(
  { ...ConditionSchema.properties, lastUpdateTime: opt(time('The last time this condition was updated.')) },
  { description: 'One aspect of the current state of the object.', required: ['type', 'status'] },
);
export const appsConditions = (description: string) => listOf(description, AppsConditionSchema, { mapKeys: ['type'], patchStrategy: 'merge' });

const RollingUpdateDeploymentSchema = Type.Object(
  {
    maxUnavailable: opt(intOrString('Pods (or percent of desired pods, rounded down) that may be unavailable during the update. Default 25%.')),
    maxSurge: opt(intOrString('Pods (or percent, rounded up) that may be created above the desired count during the update. Default 25%.')),
  },
  { description: 'Parameters of a rolling update.' },
);

export const DeploymentSpecSchema = Type.Object(
  {
    replicas: opt(int32('Desired number of pods. Defaults to 1.', { default: 1 })),
    selector: selectorField('of this deployment'),
    template: templateField('to run'),
    strategy: opt(
      Type.Object(
        {
          type: opt(str('`RollingUpdate` (default) or `Recreate`.')),
          rollingUpdate: opt(RollingUpdateDeploymentSchema),
        },
        { description: 'How old pods are replaced by new ones.' },
      ),
    ),
    minReadySeconds: opt(int32('Seconds a new pod must be ready, without crashing, before it counts as available. Default 0.')),
    revisionHistoryLimit: opt(int32('Old ReplicaSets kept to allow rollback. Default 10.', { default: 10 })),
    paused: opt(bool('Paused deployments are not rolled out or checked for progress.')),
    progressDeadlineSeconds: opt(int32('Seconds the deployment may make no progress before it is reported failed (ProgressDeadlineExceeded). Default 600.', { default: 600 })),
  },
  { description: 'Desired state of a Deployment.' },
);

export const DeploymentStatusSchema = Type.Object(
  {
    observedGeneration: opt(int64('The generation observed by the deployment controller.')),
    replicas: opt(int32('Non-terminated pods targeted by this deployment (their labels match the selector).')),
    updatedReplicas: opt(int32('Non-terminated pods that have the desired template spec.')),
    readyReplicas: opt(int32('Pods targeted by this deployment with a Ready condition.')),
    availableReplicas: opt(int32('Pods available (ready for at least minReadySeconds).')),
    unavailableReplicas: opt(int32('Pods still needed for the deployment to have 100% available capacity.')),
    terminatingReplicas: opt(int32('Pods being terminated.')),
    conditions: opt(appsConditions('Current observations of the deployment: `Available`, `Progressing`, `ReplicaFailure`.')),
    collisionCount: opt(int32('Count of hash collisions, used in the name of the newest ReplicaSet.')),
  },
  { description: 'Observed state of a Deployment.' },
);

export const ReplicaSetSpecSchema = Type.Object(
  {
    replicas: opt(int32('Desired number of pods. Defaults to 1.', { default: 1 })),
    minReadySeconds: opt(int32('Seconds a new pod must be ready before it counts as available. Default 0.')),
    selector: selectorField('of this replica set'),
    template: templateField('created when replicas are missing'),
  },
  { description: 'Desired state of a ReplicaSet.' },
);

export const ReplicaSetStatusSchema = Type.Object(
  {
    replicas: opt(int32('Most recently observed number of non-terminated pods.')),
    fullyLabeledReplicas: opt(int32('Pods whose labels match the template labels.')),
    readyReplicas: opt(int32('Pods with a Ready condition.')),
    availableReplicas: opt(int32('Pods ready for at least minReadySeconds.')),
    terminatingReplicas: opt(int32('Pods being terminated.')),
    observedGeneration: opt(int64('The generation the status was computed from.')),
    conditions: opt(appsConditions('Current observations of the replica set: `ReplicaFailure`.')),
  },
  { description: 'Observed state of a ReplicaSet.' },
);

export const StatefulSetSpecSchema = Type.Object(
  {
    replicas: opt(int32('Desired number of pods. Defaults to 1.', { default: 1 })),
    selector: selectorField('of this stateful set'),
    template: templateField('created, each with a stable identity'),
    volumeClaimTemplates: opt(listOf('Claims each pod gets its own PersistentVolumeClaim from.', openObject('A PersistentVolumeClaim template.'), { listType: 'atomic' })),
    serviceName: opt(str('The headless Service that gives the pods their network identity.')),
    podManagementPolicy: opt(str('`OrderedReady` (default) or `Parallel`.')),
    updateStrategy: opt(openObject('`RollingUpdate` (default, with partition and maxUnavailable) or `OnDelete`.')),
    revisionHistoryLimit: opt(int32('ControllerRevisions kept. Default 10.')),
    minReadySeconds: opt(int32('Seconds a new pod must be ready before it counts as available.')),
    persistentVolumeClaimRetentionPolicy: opt(openObject('What happens to claims when the set is deleted or scaled down.')),
    ordinals: opt(openObject('Numbering of the pods (`start`).')),
  },
  { description: 'Desired state of a StatefulSet.' },
);

export const DaemonSetSpecSchema = Type.Object(
  {
    selector: selectorField('of this daemon set'),
    template: templateField('run on every eligible node'),
    updateStrategy: opt(openObject('`RollingUpdate` (default, with maxUnavailable and maxSurge) or `OnDelete`.')),
    minReadySeconds: opt(int32('Seconds a new pod must be ready before it counts as available.')),
    revisionHistoryLimit: opt(int32('Old histories kept to allow rollback. Default 10.')),
  },
  { description: 'Desired state of a DaemonSet.' },
);

/** Status of kinds served without a controller yet: whatever a controller would report. */
export const openStatus = (kind: string) => openObject(`Observed state of the ${kind}, written by its controller.`);

export const ControllerRevisionBody = {
  data: opt(openObject('The serialized state of the revision (a patch of the owner object).')),
  revision: opt(int64('The revision number this object represents. Required.')),
};
