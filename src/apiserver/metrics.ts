// Prometheus metrics for the API server (prom-client), served at /metrics.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of API requests, by verb, group, resource, subresource and HTTP code.',
    labelNames: ['verb', 'group', 'resource', 'subresource', 'code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds, by verb, group and resource (watches excluded).',
    labelNames: ['verb', 'group', 'resource'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly watches = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: 'Number of open watch requests, by group and resource.',
    labelNames: ['group', 'resource'] as const,
    registers: [this.registry],
  });
  readonly terminatedWatchers = new Counter({
    name: 'apiserver_terminated_watchers_total',
    help: 'Counter of watchers closed because they were not reading their events fast enough, by group and resource.',
    labelNames: ['group', 'resource'] as const,
    registers: [this.registry],
  });
  /** Object counts per resource, read at scrape time (set by `countObjects`). */
  private objectCounts?: () => Iterable<[string, number]>;
  readonly objects = new Gauge({
    name: 'apiserver_storage_objects',
    help: 'Number of stored objects, by resource.',
    collect: () => {
      if (!this.objectCounts) return;
      for (const [resource, n] of this.objectCounts()) this.objects.set({ resource }, n);
    },
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });

  countObjects(fn: () => Iterable<[string, number]>): void {
    this.objectCounts = fn;
  }

  constructor(collectProcess = true) {
    if (collectProcess) collectDefaultMetrics({ register: this.registry });
  }
}
