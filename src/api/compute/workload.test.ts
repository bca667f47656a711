// compute.miloapis.com Workload: defaulting, validation messages, update rules, columns.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDefinition } from '../../registry/compiled-definition.js';
import type { OperationContext } from '../definition.js';
import { fieldErrorBody, type FieldError } from '../errors.js';
import { clone, type KObject } from '../object.js';
import { computeWorkloadDefinition as def, WORKLOAD_NAME_LABEL, workloadImages, workloadSelectorString } from './workload.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const statusCtx: OperationContext = { ...ctx, subresource: 'status' };
const render = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
const s = def.strategy!;

// The seed's first example.
const webApp = (): KObject => ({
  apiVersion: 'compute.miloapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name: 'web-app', namespace: 'project-myproject', labels: { environment: 'production' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web-app' } },
    template: {
      metadata: { labels: { app: 'web-app' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.25',
            ports: [{ containerPort: 80, name: 'http' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
          },
        ],
      },
    },
  },
});

const created = (w: KObject) => {
  s.prepareForCreate!(w, ctx);
  return w;
};
const spec = (w: KObject) => w.spec as Record<string, any>;

describe('compute workload defaulting', () => {
  it('keeps an explicit selector and applies pod defaults to the template', () => {
    const w = created(webApp());
    assert.deepEqual(spec(w).selector, { matchLabels: { app: 'web-app' } });
    const c = spec(w).template.spec.containers[0];
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
    assert.equal(c.ports[0].protocol, 'TCP');
    assert.equal(spec(w).template.spec.restartPolicy, 'Always');
    assert.deepEqual(w.status, { phase: 'Pending', replicas: 0, selector: 'app=web-app' });
    assert.deepEqual(render(s.validate!(w, ctx)), []);
  });

  it('defaults replicas to 1 and the selector to the template labels', () => {
    const w = webApp();
    delete spec(w).replicas;
    delete spec(w).selector;
    created(w);
    assert.equal(spec(w).replicas, 1);
    assert.deepEqual(spec(w).selector, { matchLabels: { app: 'web-app' } });
  });

  it('labels an unlabelled template (the seed\'s api-server example) by workload name', () => {
    const w = created({
      metadata: { name: 'api-server', namespace: 'project-myproject' },
      spec: { replicas: 2, networkRef: { name: 'prod-network' }, template: { spec: { containers: [{ name: 'api', image: 'myregistry/api:v1.0' }] } } },
    });
    assert.deepEqual(spec(w).template.metadata.labels, { [WORKLOAD_NAME_LABEL]: 'api-server' });
    assert.deepEqual(spec(w).selector, { matchLabels: { [WORKLOAD_NAME_LABEL]: 'api-server' } });
    assert.equal(workloadSelectorString(w), `${WORKLOAD_NAME_LABEL}=api-server`);
    assert.deepEqual(render(s.validate!(w, ctx)), []);
  });

  it('gives an unlabelled template the labels its selector asks for', () => {
    const w = webApp();
    delete spec(w).template.metadata;
    created(w);
    assert.deepEqual(spec(w).template.metadata.labels, { app: 'web-app' });
  });

  it('keeps the selector when an update omits it, and marks a deleting workload', () => {
    const old = created(webApp());
    const upd = clone(old);
    delete spec(upd).selector;
    s.prepareForUpdate!(upd, old, ctx);
    assert.deepEqual(spec(upd).selector, { matchLabels: { app: 'web-app' } });
    s.prepareForDelete!(upd);
    assert.equal((upd.status as Record<string, unknown>).phase, 'Deleting');
  });
});

describe('compute workload validation', () => {
  it('requires a project namespace', () => {
    const w = webApp();
    w.metadata.namespace = 'default';
    assert.deepEqual(render(s.validate!(created(w), ctx)), [
      'metadata.namespace: Invalid value: "default": workloads must be created in a project namespace (project-<name>)',
    ]);
    w.metadata.namespace = 'project-';
    assert.equal(render(s.validate!(w, ctx)).length, 1);
  });

  it('requires the selector to match the template labels', () => {
    const w = webApp();
    spec(w).selector = { matchLabels: { app: 'other' } };
    assert.deepEqual(render(s.validate!(created(w), ctx)), [
      'spec.template.metadata.labels: Invalid value: {"app":"web-app"}: `selector` does not match template `labels`',
    ]);
    spec(w).selector = {};
    assert.deepEqual(render(s.validate!(w, ctx)), ['spec.selector: Invalid value: {}: empty selector is invalid for workload']);
  });

  it('checks selector expressions as kube does', () => {
    const w = webApp();
    spec(w).selector = {
      matchLabels: { app: 'web-app' },
      matchExpressions: [
        { key: 'tier', operator: 'In' },
        { key: 'x', operator: 'Exists', values: ['a'] },
        { key: 'y', operator: 'Near' },
      ],
    };
    assert.deepEqual(render(s.validate!(created(w), ctx)), [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
    ]);
  });

  it('validates replicas, template, network and placement', () => {
    const w = webApp();
    spec(w).replicas = -1;
    spec(w).template.spec.containers[0].image = '';
    spec(w).template.spec.restartPolicy = 'Never';
    spec(w).networkRef = {};
    spec(w).provider = { nodeSelector: { 'bad key!': 'x' } };
    const errs = render(s.validate!(created(w), ctx));
    assert.equal(errs[0], 'spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assert.ok(errs.includes('spec.template.spec.containers[0].image: Required value'), errs.join('\n'));
    assert.ok(errs.includes('spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'));
    assert.ok(errs.includes('spec.networkRef.name: Required value'));
    assert.ok(errs.some((e) => e.startsWith('spec.provider.nodeSelector: Invalid value: "bad key!"')));
  });

  it('requires a template', () => {
    const w = created({ metadata: { name: 'w', namespace: 'project-p' }, spec: {} });
    assert.deepEqual(render(s.validate!(w, ctx)), ['spec.template: Required value']);
  });
});

describe('compute workload updates', () => {
  it('freezes the selector but lets replicas and the template change', () => {
    const old = created(webApp());
    const upd = clone(old);
    spec(upd).replicas = 5;
    spec(upd).template.spec.containers[0].image = 'nginx:1.26';
    assert.deepEqual(render(s.validateUpdate!(upd, old, ctx)), []);
    spec(upd).selector = { matchLabels: { app: 'web-app', tier: 'x' } };
    spec(upd).template.metadata.labels.tier = 'x';
    assert.deepEqual(render(s.validateUpdate!(upd, old, ctx)), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web-app","tier":"x"}}: field is immutable',
    ]);
  });

  it('checks only status on status writes', () => {
    const old = created(webApp());
    const upd = clone(old);
    upd.status = { phase: 'Running', replicas: 3, readyReplicas: -1 };
    assert.deepEqual(render(s.validateUpdate!(upd, old, statusCtx)), ['status.readyReplicas: Invalid value: -1: must be greater than or equal to 0']);
  });
});

describe('compute workload definition', () => {
  it('compiles and its schema accepts the seed example and refuses an unknown phase', () => {
    const cd = compileDefinition(def);
    assert.equal(cd.qualified, 'workloads.compute.miloapis.com');
    const w = created(webApp());
    assert.deepEqual(cd.validator.validate(w), []);
    w.status = { phase: 'Sleeping' };
    assert.deepEqual(render(cd.validator.validate(w)), [
      'status.phase: Unsupported value: "Sleeping": supported values: "Pending", "Provisioning", "Running", "Failed", "Deleting"',
    ]);
  });

  it('lays out columns with images and network in wide output', () => {
    assert.deepEqual(
      def.columns!.map((c) => `${c.name}${c.priority ? '*' : ''}`),
      ['Name', 'Replicas', 'Ready', 'Available', 'Phase', 'Age', 'Images*', 'Network*'],
    );
    const w = created(webApp());
    spec(w).template.spec.containers.push({ name: 'log', image: 'fluent/fluent-bit:latest' });
    spec(w).networkRef = { name: 'prod-network' };
    w.status = { phase: 'Running', readyReplicas: 3, availableReplicas: 2 };
    const cells = def.columns!.filter((c) => c.value).map((c) => c.value!(w, 0));
    assert.deepEqual(cells, [3, 3, 2, 'Running', 'nginx:1.25,fluent/fluent-bit:latest', 'prod-network']);
    assert.equal(workloadImages({ metadata: {} }), '');
  });
});
