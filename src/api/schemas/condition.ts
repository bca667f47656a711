// The status condition shape shared by kinds (metav1.Condition plus the probe
// and heartbeat times pods and nodes report) and a list builder keyed by type.

import { Type } from '@sinclair/typebox';
import { int64, listOf, opt, str, strEnum, time } from './builders.js';

export const ConditionSchema = Type.Object(
  {
    type: str('Type of condition in CamelCase (e.g. `Ready`).'),
    status: strEnum('Status of the condition: `True`, `False` or `Unknown`.', ['True', 'False', 'Unknown']),
    reason: opt(str("Machine-readable CamelCase reason for the condition's last transition.")),
    message: opt(str('Human-readable details about the last transition.')),
    lastTransitionTime: opt(time('When the status last changed.')),
    observedGeneration: opt(int64('metadata.generation the condition was computed from.')),
    lastProbeTime: opt(time('When the condition was last probed.')),
    lastHeartbeatTime: opt(time('When the condition was last reported.')),
  },
  { description: 'One aspect of the current state of an object.', required: ['type', 'status'] },
);

/** `conditions` list: a map keyed by `type`, merged by `type` under strategic merge. */
export const conditionsList = (description = 'Current observations of the object state.') =>
  listOf(description, ConditionSchema, { mapKeys: ['type'], patchStrategy: 'merge' });
