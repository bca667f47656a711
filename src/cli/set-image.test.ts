// `workplane set image`: argument parsing and the JSON patch it sends,
// applied through a real registry to check it does what kubectl's would.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { computeWorkloadDefinition } from '../api/compute/index.js';
import { coreDefinitions } from '../api/core/index.js';
import type { KObject } from '../api/object.js';
import { HttpClient } from '../client/http-client.js';
import { startTestApi } from '../client/testing.js';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import { buildImagePatch, parseSetImageArgs, runSet, runSetImage, WORKLOAD_GVR } from './set-image.js';

const workload = (): KObject => ({
  apiVersion: 'compute.miloapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name: 'web-app', namespace: 'project-myproject' },
  spec: {
    replicas: 1,
    template: {
      metadata: { labels: { app: 'web-app' } },
      spec: {
        initContainers: [{ name: 'migrate', image: 'tool:1' }],
        containers: [
          { name: 'nginx', image: 'nginx:1.25' },
          { name: 'log-collector', image: 'fluent/fluent-bit:latest' },
        ],
      },
    },
  },
});

describe('set image', () => {
  it('parses workload/NAME, the images and the flags, in any order', () => {
    assert.deepEqual(parseSetImageArgs(['workload/web-app', '-n', 'project-myproject', 'nginx=nginx:1.26']), {
      namespace: 'project-myproject',
      name: 'web-app',
      images: { nginx: 'nginx:1.26' },
    });
    assert.deepEqual(parseSetImageArgs(['--namespace=ns', 'workloads.compute.miloapis.com/w', 'a=x:1', 'b=y:2', '--kubeconfig', '/k']), {
      namespace: 'ns',
      kubeconfig: '/k',
      name: 'w',
      images: { a: 'x:1', b: 'y:2' },
    });
    assert.equal(parseSetImageArgs(['workload', 'web-app', 'nginx=nginx:1.26']).name, 'web-app');
    assert.throws(() => parseSetImageArgs(['deployment/web', 'nginx=x']), /only compute\.miloapis\.com workloads/);
    assert.throws(() => parseSetImageArgs(['workload/web-app']), /at least one image update is required/);
    assert.throws(() => parseSetImageArgs(['workload/web-app', 'nginx']), /expected CONTAINER=IMAGE/);
    assert.throws(() => parseSetImageArgs(['workload/web-app', 'a=b', '--bogus']), /unknown flag: --bogus/);
  });

  it('builds a guarded JSON patch of only the images that change', () => {
    assert.deepEqual(buildImagePatch(workload(), { nginx: 'nginx:1.26', migrate: 'tool:1' }), [
      { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'nginx' },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' },
    ]);
    assert.deepEqual(buildImagePatch(workload(), { nginx: 'nginx:1.25' }), []);
    assert.equal(buildImagePatch(workload(), { '*': 'all:1' }).filter((o) => o.op === 'replace').length, 3);
    assert.throws(() => buildImagePatch(workload(), { nope: 'x' }), /unable to find container named "nope"/);
  });

  it('patches a stored Workload as intended', async () => {
    const api = await startTestApi([...coreDefinitions, computeWorkloadDefinition]);
    try {
      const workloads = api.client.resource(WORKLOAD_GVR);
      const w = await workloads.create('project-myproject', workload());
      const out = await workloads.patch('project-myproject', 'web-app', 'json', buildImagePatch(w, { 'log-collector': 'fluent/fluent-bit:3.0' }));
      const containers = (out.spec as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers;
      assert.deepEqual(containers.map((c) => `${c.name}=${c.image}`), ['nginx=nginx:1.25', 'log-collector=fluent/fluent-bit:3.0']);
      assert.equal(out.metadata.generation, 2);
    } finally {
      await api.close();
    }
  });

  it('reports usage errors without contacting a server', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    assert.equal(await runSet(['image', 'workload/web-app'], io), 1);
    assert.match(lines[0], /^error: at least one image update is required/);
    assert.equal(await runSet(['replicas'], io), 2);
  });
});

describe('workplane set image (over HTTPS against a real control plane)', () => {
  let dir: string;
  let cp: ControlPlane;
  let admin: HttpClient;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'workplane-set-image-'));
    cp = await startControlPlane(serveOptions({ dataDir: join(dir, 'data'), storage: 'memory', logLevel: 'silent', compactionIntervalSeconds: 300 }));
    admin = await HttpClient.fromKubeconfig(cp.kubeconfigPath);
  });
  after(async () => {
    admin?.close();
    await cp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("patches the image and prints kubectl's line; a no-op prints nothing; a missing workload is the server's 404", async () => {
    await admin.resource({ group: '', version: 'v1', resource: 'namespaces' }).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'project-myproject' } });
    await admin.resource(WORKLOAD_GVR).create('project-myproject', workload());
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const args = ['workload/web-app', 'nginx=nginx:1.26', '-n', 'project-myproject', '--kubeconfig', cp.kubeconfigPath];
    assert.equal(await runSetImage(args, io), 0);
    assert.deepEqual(lines, ['workload.compute.miloapis.com/web-app image updated']);
    const w = (await admin.resource(WORKLOAD_GVR).get('project-myproject', 'web-app'))!;
    assert.equal((w.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image, 'nginx:1.26');
    assert.equal(await runSetImage(args, io), 0);
    assert.equal(lines.length, 1);
    assert.equal(await runSetImage(['workload/nope', 'nginx=x', '-n', 'project-myproject', '--kubeconfig', cp.kubeconfigPath], io), 1);
    assert.equal(lines[1], 'Error from server (NotFound): workloads.compute.miloapis.com "nope" not found');
  });
});
