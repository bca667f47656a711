// PodStatus: what the node agent reports about a pod and its containers.

import { Type } from '@sinclair/typebox';
import { bool, int32, listOf, opt, str, strEnum, time } from './builders.js';
import { conditionsList } from './condition.js';
import { resourceList } from './resources.js';

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export const QOS_CLASSES = ['Guaranteed', 'Burstable', 'BestEffort'] as const;

export const ContainerStateSchema = Type.Object(
  {
    waiting: opt(
      Type.Object(
        {
          reason: opt(str('Why the container is not running yet (e.g. `ContainerCreating`, `CrashLoopBackOff`).')),
          message: opt(str('Details of the wait.')),
        },
        { description: 'The container is not running yet.' },
      ),
    ),
    running: opt(
      Type.Object({ startedAt: opt(time('When the container last (re)started.')) }, { description: 'The container is running.' }),
    ),
    terminated: opt(
      Type.Object(
        {
          exitCode: opt(int32('Exit status of the last run.')),
          signal: opt(int32('Signal that ended the container, if any.')),
          reason: opt(str('Why the container ended (e.g. `Completed`, `Error`, `OOMKilled`).')),
          message: opt(str('Details of the termination.')),
          startedAt: opt(time('When the run started.')),
          finishedAt: opt(time('When the run ended.')),
          containerID: opt(str('Runtime ID of the ended container.')),
        },
        { description: 'The container ran and ended.' },
      ),
    ),
  },
  { description: 'State of a container: at most one of waiting, running or terminated.' },
);

export const ContainerStatusSchema = Type.Object(
  {
    name: opt(str('Name of the container (as in the spec).')),
    ready: opt(bool('Whether the container passes its readiness probe.')),
    started: opt(bool('Whether the container passed its startup probe (or has none and is running).')),
    restartCount: opt(int32('How many times the container was restarted.')),
    image: opt(str('Image the container runs.')),
    imageID: opt(str('Resolved image ID.')),
    containerID: opt(str('Runtime ID, as `<runtime>://<id>`.')),
    state: opt(ContainerStateSchema),
    lastState: opt(ContainerStateSchema),
    allocatedResources: opt(resourceList('Resources allocated to the container by the node.')),
    resources: opt(Type.Object({}, { description: 'Resources actually applied to the container.', 'x-kubernetes-preserve-unknown-fields': true })),
  },
  { description: 'Observed state of one container.' },
);

const ipList = (description: string) =>
  listOf(description, Type.Object({ ip: str('An IP address.') }, { description: 'An IP address.', required: ['ip'] }), {
    mapKeys: ['ip'],
    patchStrategy: 'merge',
  });

const containerStatuses = (description: string) => listOf(description, ContainerStatusSchema, { listType: 'atomic' });

export const PodStatusSchema = Type.Object(
  {
    phase: opt(strEnum('Lifecycle phase: `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.', POD_PHASES)),
    conditions: opt(conditionsList('Pod conditions: `PodScheduled`, `Initialized`, `ContainersReady`, `Ready`...')),
    message: opt(str('Human-readable reason the pod is in this state.')),
    reason: opt(str('Brief CamelCase reason the pod is in this state (e.g. `Evicted`).')),
    nominatedNodeName: opt(str('Node the pod is expected to run on once preemption frees room.')),
    hostIP: opt(str('IP of the node the pod runs on.')),
    hostIPs: opt(ipList('IPs of the node the pod runs on.')),
    podIP: opt(str('Primary IP of the pod.')),
    podIPs: opt(ipList('IPs of the pod; the first equals podIP.')),
    startTime: opt(time('When the node acknowledged the pod.')),
    initContainerStatuses: opt(containerStatuses('Status of each init container.')),
    containerStatuses: opt(containerStatuses('Status of each container.')),
    ephemeralContainerStatuses: opt(containerStatuses('Status of each ephemeral container.')),
    qosClass: opt(strEnum('Quality of service class derived from requests and limits.', QOS_CLASSES)),
    resize: opt(str('Progress of an in-place resize.')),
    observedGeneration: opt(Type.Integer({ description: 'metadata.generation this status was computed from.', format: 'int64' })),
  },
  { description: 'Observed state of a pod.' },
);
