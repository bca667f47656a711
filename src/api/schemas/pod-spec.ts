// PodSpec and PodTemplateSpec: the desired state of a pod, reused by every kind
// that stamps out pods from a template. Defaults mirror kube's defaulting; the
// image-dependent ones (imagePullPolicy) live in core/pod-defaults.ts.

import { Type } from '@sinclair/typebox';
import { bool, int32, int64, listOf, openObject, opt, str, stringMap } from './builders.js';
import { ContainerSchema } from './container.js';
import { ObjectMetaSchema } from './object-meta.js';
import { LocalObjectReferenceSchema } from './references.js';
import { ResourceRequirementsSchema, resourceList } from './resources.js';
import { VolumeSchema } from './volume.js';

export const TolerationSchema = Type.Object(
  {
    key: opt(str('Taint key the toleration applies to; empty with operator Exists matches every taint.')),
    operator: opt(str('`Equal` (default) or `Exists`.')),
    value: opt(str('Taint value to match; empty for operator Exists.')),
    effect: opt(str('Taint effect to match (`NoSchedule`, `PreferNoSchedule`, `NoExecute`); empty matches all effects.')),
    tolerationSeconds: opt(int64('For NoExecute: how long the pod stays bound after the taint appears; unset means forever.')),
  },
  { description: 'Lets the pod schedule onto (or stay on) nodes with a matching taint.' },
);

export const WorkloadReferenceSchema = Type.Object(
  {
    name: opt(str('Name of the scheduling.k8s.io Workload in the pod namespace (a DNS subdomain).')),
    podGroup: opt(str('Name of the pod group within the Workload (a DNS label).')),
    podGroupReplicaKey: opt(str('Distinguishes replicas of the same pod group; the policy applies to each replica separately (a DNS label).')),
  },
  {
    description: 'The Workload and pod group this pod belongs to, for workload-aware (gang) scheduling. Immutable.',
  },
);

const containerList = (description: string) =>
  listOf(description, ContainerSchema, { mapKeys: ['name'], patchStrategy: 'merge' });

export const PodSpecSchema = Type.Object(
  {
    volumes: opt(listOf('Volumes containers of the pod can mount.', VolumeSchema, { mapKeys: ['name'], patchStrategy: 'merge,retainKeys' })),
    initContainers: opt(containerList('Containers run in order to completion before the app containers start.')),
    containers: opt(containerList('The containers of the pod; at least one.')),
    ephemeralContainers: opt(
      listOf('Debugging containers added through the ephemeralcontainers subresource.', openObject('An ephemeral container.'), {
        mapKeys: ['name'],
        patchStrategy: 'merge',
      }),
    ),
    restartPolicy: opt(str('Restart policy of the containers: `Always`, `OnFailure` or `Never`.', { default: 'Always' })),
    terminationGracePeriodSeconds: opt(
      int64('Seconds between the termination signal and a forced kill; 0 means kill at once.', { default: 30 }),
    ),
    activeDeadlineSeconds: opt(int64('Seconds the pod may stay active before the system fails it.')),
    dnsPolicy: opt(
      str('How DNS is configured: `ClusterFirst`, `ClusterFirstWithHostNet`, `Default` or `None`.', { default: 'ClusterFirst' }),
    ),
    nodeSelector: opt(stringMap('Labels a node must carry for the pod to be scheduled there.', { 'x-kubernetes-map-type': 'atomic' })),
    serviceAccountName: opt(str('Service account the pod runs as.')),
    serviceAccount: opt(str('Deprecated alias of serviceAccountName.')),
    automountServiceAccountToken: opt(bool('Whether the service account token is mounted into the pod.')),
    nodeName: opt(str('Node the pod is bound to; set by the scheduler through the binding subresource.')),
    hostNetwork: opt(bool("Uses the node's network namespace.")),
    hostPID: opt(bool("Uses the node's PID namespace.")),
    hostIPC: opt(bool("Uses the node's IPC namespace.")),
    shareProcessNamespace: opt(bool('Lets the containers of the pod see each other\'s processes.')),
    securityContext: opt(openObject('Pod-wide security attributes (user, group, fsGroup, seccomp).', { default: {} })),
    imagePullSecrets: opt(
      listOf('Secrets with registry credentials for pulling the images.', LocalObjectReferenceSchema, {
        mapKeys: ['name'],
        patchStrategy: 'merge',
      }),
    ),
    hostname: opt(str('Hostname of the pod; defaults to the pod name.')),
    subdomain: opt(str('Subdomain of the pod hostname (`<hostname>.<subdomain>.<namespace>.svc`).')),
    affinity: opt(openObject('Node affinity, pod affinity and anti-affinity rules.')),
    schedulerName: opt(str('Scheduler that places the pod.', { default: 'default-scheduler' })),
    tolerations: opt(listOf('Taints the pod tolerates.', TolerationSchema, { listType: 'atomic' })),
    hostAliases: opt(listOf('Extra /etc/hosts entries.', openObject('IP address and hostnames.'), { mapKeys: ['ip'], patchStrategy: 'merge' })),
    priorityClassName: opt(str('PriorityClass giving the pod its priority.')),
    priority: opt(int32('Priority resolved from priorityClassName by admission; higher schedules first.')),
    dnsConfig: opt(openObject('Extra DNS settings (nameservers, searches, options).')),
    readinessGates: opt(
      listOf(
        'Extra conditions that must be True for the pod to be Ready.',
        Type.Object(
          { conditionType: str('Condition type in the pod status that must be True.') },
          { description: 'A pod condition the pod readiness depends on.', required: ['conditionType'] },
        ),
        { listType: 'atomic' },
      ),
    ),
    runtimeClassName: opt(str('RuntimeClass used to run the pod.')),
    enableServiceLinks: opt(bool('Whether service information is injected as environment variables.')),
    preemptionPolicy: opt(str('`PreemptLowerPriority` or `Never`.')),
    overhead: opt(resourceList('Resources the runtime class adds on top of the containers.')),
    topologySpreadConstraints: opt(
      listOf('How pods are spread across topology domains.', openObject('A spread constraint (`maxSkew`, `topologyKey`, `whenUnsatisfiable`, `labelSelector`).'), {
        mapKeys: ['topologyKey', 'whenUnsatisfiable'],
        patchStrategy: 'merge',
      }),
    ),
    setHostnameAsFQDN: opt(bool('Sets the hostname to the fully qualified domain name.')),
    os: opt(openObject('Operating system the pod needs (`name: linux|windows`).')),
    hostUsers: opt(bool('False runs the pod in its own user namespace.')),
    schedulingGates: opt(
      listOf(
        'Gates that hold the pod back from scheduling until all are removed.',
        Type.Object({ name: str('Name of the gate.') }, { description: 'A scheduling gate.', required: ['name'] }),
        { mapKeys: ['name'], patchStrategy: 'merge' },
      ),
    ),
    resourceClaims: opt(listOf('Dynamic resource claims of the pod.', openObject('A pod resource claim.'), { mapKeys: ['name'], patchStrategy: 'merge,retainKeys' })),
    resources: opt(ResourceRequirementsSchema),
    workloadRef: opt(WorkloadReferenceSchema),
  },
  { description: 'Desired state of a pod.' },
);

export const PodTemplateSpecSchema = Type.Object(
  {
    metadata: opt(ObjectMetaSchema),
    spec: opt(PodSpecSchema),
  },
  { description: 'Template of the pods to create: their metadata (labels) and spec.' },
);
