// The scheduler: places pods on nodes (filters, least-allocated scoring),
// gang-schedules Workload pod groups, and binds through pods/binding.

export { Scheduler, type EventSink, type SchedulerFeatureGates, type SchedulerOptions, type SchedulerStats } from './scheduler.js';
export { applyBinding, httpBinder, registryBinder, type Binder, type JsonRequester, type RegistryBinderOptions } from './binder.js';
export { SchedulerCache } from './cache.js';
export { NodeInfo, effectiveTaints } from './node-info.js';
export { podInfo, isPendingFor, DEFAULT_SCHEDULER, type PodInfo, type WorkloadRef } from './pod-info.js';
export { placePod, diagnose, leastAllocatedScore, numFeasibleNodesToFind, type Placement, type PlacementOptions } from './placement.js';
export { Diagnosis, NO_NODES_MESSAGE } from './fit-error.js';
export * from './filters.js';
export { SchedulingQueue, type SchedulingQueueOptions } from './scheduling-queue.js';
export { GangIndex, gangName, policyOf, WORKLOADS, type GroupPolicy } from './workloads.js';
export { podRequests, type Requests } from './resources.js';
