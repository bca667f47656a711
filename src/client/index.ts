// The client layer: one Client interface, in-process and HTTP implementations,
// informers, the work queue, the controller runner and the event recorder.

export * from './types.js';
export { InProcessClient, SYSTEM_USER, type InProcessClientOptions } from './in-process-client.js';
export { HttpClient, type HttpClientOptions } from './http-client.js';
export { HttpTransport, apiErrorFrom, type TransportOptions } from './http-transport.js';
export { loadKubeconfig, parseKubeconfig, type ClusterConnection } from './kubeconfig.js';
export { Informer, sleep, type Indexer, type InformerHandler, type InformerOptions } from './informer.js';
export { SharedInformers } from './shared-informers.js';
export { WorkQueue, type WorkQueueOptions } from './work-queue.js';
export { Controller, ControllerBuilder, controllerFor, TerminalError, type ControllerOptions, type MapFn, type ReconcileFn, type ReconcileResult, type Reconciler } from './controller.js';
export { EventRecorder, type EventRecorderOptions, type EventType } from './event-recorder.js';
export { objectKey, keyOf, splitKey } from './object-key.js';
export { resourceNotFound } from './errors.js';
export { silentLogger, stderrLogger, type Logger } from './logger.js';
export { LeaderElector, type LeaderElectorOptions, type LeaderCallbacks } from './leader-election.js';
