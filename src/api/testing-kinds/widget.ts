// Widget (example.workplane.dev/v1): a small custom kind for exercising the
// generic server in tests: defaults, an enum, a map, status and scale
// subresources, printer columns and a strategy-level validation rule.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { parseLabelSelector, fromLabelSelector, type LabelSelector } from '../label-selector.js';
import { isPlainObject, type KObject } from '../object.js';
import { conditionsList, int32, opt, str, strEnum, stringMap } from '../schemas/index.js';
import { LabelSelectorSchema } from '../schemas/references.js';

export const WIDGET_MAX_REPLICAS = 1000;

const WidgetSpecSchema = Type.Object(
  {
    replicas: opt(int32('Desired number of widget replicas.', { minimum: 0, default: 1 })),
    selector: opt(
      Type.Unsafe<string | LabelSelector>({
        description: 'Label selector of the replicas, as a string (`app=x`) or as matchLabels/matchExpressions.',
        anyOf: [{ type: 'string' }, LabelSelectorSchema],
      }),
    ),
    image: opt(str('Image the widget runs. Required.')),
    size: opt(strEnum('`small`, `medium` or `large`.', ['small', 'medium', 'large'], { default: 'small' })),
    tags: opt(stringMap('Free-form tags.')),
  },
  { description: 'Desired state of the widget.' },
);

const WidgetStatusSchema = Type.Object(
  {
    replicas: opt(int32('Observed number of replicas.')),
    readyReplicas: opt(int32('Replicas that are ready.')),
    phase: opt(str('Coarse state of the widget.')),
    selector: opt(str('Label selector of the replicas in string form (read by the scale subresource).')),
    conditions: opt(conditionsList()),
  },
  { description: 'Observed state of the widget.' },
);

export function validateWidget(w: KObject): FieldError[] {
  const spec = isPlainObject(w.spec) ? w.spec : {};
  const errs: FieldError[] = [];
  if (typeof spec.replicas === 'number' && spec.replicas > WIDGET_MAX_REPLICAS) {
    errs.push(fieldError.invalid('spec.replicas', spec.replicas, `must be less than or equal to ${WIDGET_MAX_REPLICAS}`));
  }
  if (typeof spec.image !== 'string' || spec.image === '') errs.push(fieldError.required('spec.image'));
  try {
    if (typeof spec.selector === 'string') parseLabelSelector(spec.selector);
    else if (isPlainObject(spec.selector)) fromLabelSelector(spec.selector as LabelSelector);
  } catch (e) {
    errs.push(fieldError.invalid('spec.selector', spec.selector, (e as Error).message));
  }
  return errs;
}

export const widgetDefinition: ResourceDefinition = defineResource({
  group: 'example.workplane.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  shortNames: ['wdg'],
  namespaced: true,
  description: 'A test kind with replicas, a selector and an image.',
  schema: Type.Object(
    { spec: opt(WidgetSpecSchema), status: opt(WidgetStatusSchema) },
    { description: 'A widget.' },
  ),
  subresources: {
    status: true,
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  },
  strategicMerge: false,
  columns: [
    { name: 'Replicas', type: 'integer', description: 'Desired replicas.', jsonPath: '.spec.replicas' },
    { name: 'Ready', type: 'integer', description: 'Ready replicas.', jsonPath: '.status.readyReplicas' },
    { name: 'Phase', type: 'string', description: 'Coarse state.', jsonPath: '.status.phase' },
    { name: 'Age', type: 'date', description: 'Time since creation.', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Image', type: 'string', priority: 1, description: 'Image the widget runs.', jsonPath: '.spec.image' },
  ],
  strategy: {
    // Without a spec object the schema defaults (replicas, size) would have nowhere to go.
    prepareForCreate: (w) => {
      if (!isPlainObject(w.spec)) w.spec = {};
    },
    validate: validateWidget,
    validateUpdate: (w) => validateWidget(w),
  },
});
