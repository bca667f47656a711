// Options every mesh controller takes.

import type { EventRecorder } from '../../client/event-recorder.js';
import type { Logger } from '../../client/logger.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { MeshConfig } from '../../mesh/config.js';

export interface MeshControllerOptions {
  config: MeshConfig;
  /** Share informers with the other controllers of the process. */
  informers?: SharedInformers;
  /** Warning events (foreign Dataplanes, multi-mesh workloads); none when absent. */
  recorder?: EventRecorder;
  /** Concurrent reconciles per controller (never of the same key). */
  workers?: number;
  log?: Logger;
}
