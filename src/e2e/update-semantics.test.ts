// Update semantics a kubectl user leans on, with the real kubectl: a replace
// that leaves out defaulted fields is no change (generation and
// resourceVersion stay, nothing is written), and kubectl's upgrade path from
// client-side to server-side apply and back works as on kube 1.32.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';
import { WEB_APP } from './seed-support/seed-examples.js';

const NS = 'updates';

const DEPLOYMENT = (image: string, labels = 'app: web, tier: front') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
  labels: {${labels}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "${image}"}]
`;

const GADGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.defaults.example.com}
spec:
  group: defaults.example.com
  names: {kind: Gadget, plural: gadgets, singular: gadget, listKind: GadgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, default: 3}
              mode: {type: string, default: fast}
              limits:
                type: object
                default: {}
                properties:
                  cpu: {type: string, default: 500m}
          status: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

const GADGET = `apiVersion: defaults.example.com/v1
kind: Gadget
metadata: {name: g1, namespace: ${NS}}
spec: {mode: slow}
`;

describe('update semantics with kubectl', () => {
  let server: ServerProcess;
  let k: Kubectl;

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--agent-nodes', '1'] }).start();
    k = new Kubectl(server);
    await k.ok(['create', 'namespace', NS]);
    await k.ok(['apply', '-f', '-'], 'apiVersion: resourcemanager.miloapis.com/v1alpha1\nkind: Project\nmetadata: {name: myproject}\n');
    await k.ok(['apply', '-f', '-'], GADGET_CRD);
    await k.ok(['wait', '--for=condition=Established', '--timeout=30s', 'crd/gadgets.defaults.example.com']);
  });
  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  // Loosely typed: the tests poke into nested JSON.
  const getJson = async (ref: string, ns: string): Promise<any> => JSON.parse(await k.ok(['get', ref, '-n', ns, '-o', 'json']));

  /**
   * `kubectl replace` of the live object with its spec as first written (no defaults),
   * pinned to the resourceVersion read so a controller's write in between is a retried
   * conflict, not a false change. Returns the object before and the server's answer.
   */
  async function replaceWithSpec(ref: string, ns: string, spec: unknown): Promise<{ before: any; after: any }> {
    return eventually(async () => {
      const before = await getJson(ref, ns);
      const body = { ...before, spec };
      delete body.status;
      const after = JSON.parse(await k.ok(['replace', '-f', '-', '-o', 'json'], JSON.stringify(body)));
      return { before, after };
    });
  }

  const cases: { name: string; ref: string; ns: string; manifest: () => string; spec: () => unknown; change: (spec: any) => void }[] = [
    {
      name: 'Deployment',
      ref: 'deployment/web',
      ns: NS,
      manifest: () => DEPLOYMENT('nginx:1.25'),
      spec: () => ({ selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } }),
      change: (s) => (s.replicas = 2),
    },
    {
      name: 'compute Workload',
      ref: 'workloads.compute.miloapis.com/web-app',
      ns: 'project-myproject',
      manifest: () => WEB_APP,
      spec: () => {
        const s: any = { replicas: 3, selector: { matchLabels: { app: 'web-app' } }, template: { metadata: { labels: { app: 'web-app' } } } };
        s.template.spec = { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, name: 'http' }], resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } }] };
        return s;
      },
      change: (s) => (s.replicas = 2),
    },
    { name: 'custom resource with schema defaults', ref: 'gadget/g1', ns: NS, manifest: () => GADGET, spec: () => ({ mode: 'slow' }), change: (s) => (s.size = 5) },
  ];

  for (const c of cases) {
    it(`${c.name}: kubectl replace without the defaulted fields changes nothing; a real change bumps generation once`, async () => {
      await k.ok(['create', '-f', '-'], c.manifest());
      const created = await getJson(c.ref, c.ns);
      assert.equal(created.metadata.generation, 1);

      const { before, after } = await replaceWithSpec(c.ref, c.ns, c.spec());
      assert.equal(after.metadata.generation, 1, 'generation unchanged');
      assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'a no-op update writes nothing');
      assert.deepEqual(after.spec, before.spec, 'defaults are filled in again');

      const changed = c.spec() as Record<string, unknown>;
      c.change(changed);
      const { before: b2, after: a2 } = await replaceWithSpec(c.ref, c.ns, changed);
      assert.equal(a2.metadata.generation, 2);
      assert.notEqual(a2.metadata.resourceVersion, b2.metadata.resourceVersion);
    });
  }

  it('kubectl apply (client-side), then --server-side: ownership migrates without a warning, and later applies prune', async () => {
    const managers = async () => {
      const o = JSON.parse(await k.ok(['get', 'deployment/web', '-n', NS, '-o', 'json', '--show-managed-fields']));
      return (o.metadata.managedFields as { manager: string; operation: string }[]).map((m) => `${m.manager}/${m.operation}`);
    };
    await k.ok(['delete', 'deployment/web', '-n', NS, '--wait']);
    assert.match(await k.ok(['apply', '-f', '-'], DEPLOYMENT('nginx:1.25')), /deployment\.apps\/web created/);
    assert.ok((await managers()).includes('kubectl-client-side-apply/Update'));

    const ssa = await k.run(['apply', '--server-side', '-f', '-'], DEPLOYMENT('nginx:1.25'));
    assert.equal(ssa.code, 0, ssa.stderr);
    assert.match(ssa.stdout, /deployment\.apps\/web serverside-applied/);
    assert.equal(ssa.stderr, '', 'no "server rejected managed fields migration" nor re-apply warning');
    const migrated = await managers();
    assert.ok(migrated.includes('kubectl/Apply'), migrated.join());
    assert.ok(!migrated.includes('kubectl-client-side-apply/Update'), migrated.join());
    const d = await getJson('deployment/web', NS);
    assert.equal(d.metadata.generation, 1, 'the migration and re-apply leave the spec as it was');
    assert.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });

    // The applier now owns what client-side apply set: dropping a label prunes it.
    assert.equal((await k.run(['apply', '--server-side', '-f', '-'], DEPLOYMENT('nginx:1.25', 'app: web'))).code, 0);
    assert.deepEqual((await getJson('deployment/web', NS)).metadata.labels, { app: 'web' });

    // And back to client-side apply, then server-side again.
    assert.match(await k.ok(['apply', '-f', '-'], DEPLOYMENT('nginx:1.26', 'app: web')), /deployment\.apps\/web configured/);
    assert.equal((await getJson('deployment/web', NS)).spec.template.spec.containers[0].image, 'nginx:1.26');
    const again = await k.run(['apply', '--server-side', '-f', '-'], DEPLOYMENT('nginx:1.27', 'app: web'));
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '');
    const last = await getJson('deployment/web', NS);
    assert.equal(last.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.equal(last.metadata.generation, 3);

    // Re-applying the same configuration writes nothing (retried while the roll-out's status writes land).
    await eventually(async () => {
      const rv = (await getJson('deployment/web', NS)).metadata.resourceVersion;
      const same = JSON.parse(await k.ok(['apply', '--server-side', '-f', '-', '-o', 'json'], DEPLOYMENT('nginx:1.27', 'app: web')));
      assert.equal(same.metadata.resourceVersion, rv);
      assert.equal(same.metadata.generation, 3);
    });
  });
});
