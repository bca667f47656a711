// The Widget test kind: schema defaults, validation, subresources.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperationContext } from '../definition.js';
import { fieldErrorBody } from '../errors.js';
import { SchemaValidator } from '../schema-validator.js';
import { widgetDefinition } from './widget.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };

describe('widget', () => {
  it('defaults replicas and size through its schema', () => {
    const body = { spec: { image: 'x' } as Record<string, unknown> };
    assert.deepEqual(new SchemaValidator(widgetDefinition.schema).validate(body), []);
    assert.equal(body.spec.replicas, 1);
    assert.equal(body.spec.size, 'small');
  });

  it('limits replicas and requires an image', () => {
    const errs = widgetDefinition.strategy!.validate!({ metadata: { name: 'w' }, spec: { replicas: 1001, selector: 'a in (' } }, ctx);
    const msgs = errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
    assert.equal(msgs[0], 'spec.replicas: Invalid value: 1001: must be less than or equal to 1000');
    assert.equal(msgs[1], 'spec.image: Required value');
    assert.match(msgs[2], /^spec\.selector: Invalid value: "a in \(":/);
  });

  it('declares scale and status subresources', () => {
    assert.deepEqual(widgetDefinition.subresources?.scale, {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.status.selector',
    });
    assert.equal(widgetDefinition.subresources?.status, true);
  });
});
