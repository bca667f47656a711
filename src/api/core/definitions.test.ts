// Every definition compiles, is fully described, and its schema defaults apply.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingDescriptions } from '../testing/missing-descriptions.js';
import { SchemaValidator } from '../schema-validator.js';
import { ObjectMetaSchema } from '../schemas/index.js';
import { widgetDefinition } from '../testing-kinds/widget.js';
import { coreDefinitions } from './index.js';

const full = (schema: unknown) => {
  const s = schema as { properties?: Record<string, unknown>; required?: string[] };
  return { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: ObjectMetaSchema, ...s.properties } };
};


describe('core definitions', () => {
  it('have unique plurals and short names', () => {
    const all = [...coreDefinitions, widgetDefinition];
    const names = all.flatMap((d) => [`${d.group}/${d.plural}`, ...(d.shortNames ?? [])]);
    assert.equal(new Set(names).size, names.length);
  });

  it('compile and describe every property', () => {
    for (const d of [...coreDefinitions, widgetDefinition]) {
      new SchemaValidator(full(d.schema));
      assert.deepEqual(missingDescriptions(d.schema, d.kind, []), [], d.kind);
    }
  });

  it('apply schema defaults to a pod', () => {
    const pod = coreDefinitions.find((d) => d.kind === 'Pod')!;
    const body = {
      metadata: { name: 'p', creationTimestamp: null },
      spec: { containers: [{ name: 'a', image: 'x', readinessProbe: { httpGet: { port: 80 } } }], volumes: [{ name: 'v', secret: { secretName: 's' } }] },
    };
    assert.deepEqual(new SchemaValidator(full(pod.schema)).validate(body), []);
    const c = body.spec.containers[0] as Record<string, any>;
    assert.equal(c.readinessProbe.periodSeconds, 10);
    assert.equal(c.readinessProbe.httpGet.path, '/');
    assert.equal((body.spec as Record<string, any>).restartPolicy, 'Always');
    assert.equal((body.spec.volumes[0].secret as Record<string, any>).defaultMode, 420);
  });
});
