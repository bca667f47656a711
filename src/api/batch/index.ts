// The batch/v1 kinds Workplane serves.

import type { ResourceDefinition } from '../definition.js';
import { cronJobDefinition } from './cron-job.js';
import { jobDefinition } from './job.js';

export * from './cron-job.js';
export * from './cron-schedule.js';
export * from './job.js';
export * from './job-defaults.js';
export * from './job-validation.js';

export const batchDefinitions: ResourceDefinition[] = [jobDefinition, cronJobDefinition];
