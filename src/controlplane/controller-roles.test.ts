// The narrow system:controller:* roles are enough for the controllers that
// use them: each controller runs here outside `workplane serve` (which serves
// the API only), over HTTPS as its ServiceAccount in kube-system with a token
// from the TokenRequest API, so RBAC decides every read and write. A role
// missing a rule stops its controller's flow and the test names the refusal.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../api/object.js';
import { HttpClient } from '../client/http-client.js';
import type { Logger } from '../client/logger.js';
import type { Controller } from '../client/controller.js';
import { eventually } from '../client/testing.js';
import { deploymentController, replicaSetController } from '../controllers/apps/index.js';
import { cronJobController, jobController } from '../controllers/batch/index.js';
import { csrController } from '../controllers/certificates/index.js';
import { endpointSliceController, endpointsController } from '../controllers/services/index.js';
import { createCertificateAuthority } from '../security/ca.js';
import { ClusterSigner } from '../security/cluster-signer.js';
import { createCsr } from '../security/csr.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { serveOptions } from './options.js';

const NS = 'roles';
const gvr = (group: string, resource: string) => ({ group, version: 'v1', resource });

describe('controller roles over HTTPS', () => {
  let dir: string;
  let cp: ControlPlane;
  let admin: HttpClient;
  const abort = new AbortController();
  const clients: HttpClient[] = [];
  const running: Promise<unknown>[] = [];
  const refusals: string[] = [];
  const note = (o: object, m?: string) => void refusals.push(`${m ?? ''} ${JSON.stringify(o, (_, v) => (v instanceof Error ? v.message : v))}`);
  const log: Logger = { debug: () => {}, info: () => {}, warn: note, error: note };

  /** Connects as kube-system/<name>, the subject of system:controller:<name>. */
  async function asController(name: string): Promise<HttpClient> {
    await admin.resource(gvr('', 'serviceaccounts')).create('kube-system', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    const { body } = await admin.transport.request('POST', `/api/v1/namespaces/kube-system/serviceaccounts/${name}/token`, {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
    });
    const c = await HttpClient.connect({ server: cp.url, caPem: cp.caPem, token: (body as { status: { token: string } }).status.token });
    clients.push(c);
    return c;
  }
  const run = (c: Controller) => running.push(c.start(abort.signal));
  const until = (what: string, fn: () => Promise<boolean>) =>
    eventually(fn, what).catch((e) => assert.fail(`${(e as Error).message}; controller log: ${refusals.slice(-5).join('\n')}`));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'workplane-roles-'));
    cp = await startControlPlane(serveOptions({ dataDir: join(dir, 'data'), storage: 'memory', apiOnly: true, logLevel: 'silent' }));
    admin = await HttpClient.fromKubeconfig(cp.kubeconfigPath);
    await admin.resource(gvr('', 'namespaces')).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await admin.resource(gvr('', 'serviceaccounts')).create(NS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  });
  after(async () => {
    abort.abort();
    await Promise.allSettled(running);
    for (const c of clients) c.close();
    admin?.close();
    await cp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

  it('deployment-controller and replicaset-controller: a Deployment gets its ReplicaSet, pods and status', async () => {
    run(deploymentController(await asController('deployment-controller'), { log }));
    run(replicaSetController(await asController('replicaset-controller'), { log }));
    await admin.resource({ group: 'apps', version: 'v1', resource: 'deployments' }).create(NS, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
    });
    const pods = admin.resource(gvr('', 'pods'));
    await until('two pods of the ReplicaSet', async () => (await pods.list(NS, { labelSelector: 'app=web' })).items.length === 2);
    await until('Deployment status observed', async () => {
      const d = await admin.resource({ group: 'apps', version: 'v1', resource: 'deployments' }).get(NS, 'web');
      return (d?.status as { observedGeneration?: number } | undefined)?.observedGeneration === 1;
    });
  });

  it('job-controller and cronjob-controller: a CronJob makes a Job, the Job its pod', async () => {
    run(jobController(await asController('job-controller'), { log }));
    // A clock two minutes ahead makes the schedule due at once.
    run(cronJobController(await asController('cronjob-controller'), { log, clock: { now: () => Date.now() + 120_000 } }));
    await admin.resource({ group: 'batch', version: 'v1', resource: 'cronjobs' }).create(NS, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { metadata: { labels: { app: 'tick' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    });
    const jobs = admin.resource({ group: 'batch', version: 'v1', resource: 'jobs' });
    await until('a Job of the CronJob', async () => (await jobs.list(NS)).items.length > 0);
    await until('the Job pod, with its tracking finalizer', async () => {
      const items = (await admin.resource(gvr('', 'pods')).list(NS, { labelSelector: 'app=tick' })).items;
      return items.some((p: KObject) => (p.metadata.finalizers ?? []).includes('batch.kubernetes.io/job-tracking'));
    });
  });

  it('endpoints-controller and endpointslice-controller: a Service gets Endpoints and an EndpointSlice', async () => {
    run(endpointsController(await asController('endpoints-controller'), { log }));
    run(endpointSliceController(await asController('endpointslice-controller'), { log }));
    await admin.resource(gvr('', 'services')).create(NS, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    await until('Endpoints web', async () => !!(await admin.resource(gvr('', 'endpoints')).get(NS, 'web')));
    await until('an EndpointSlice for web', async () => (await admin.resource({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' }).list(NS, { labelSelector: 'kubernetes.io/service-name=web' })).items.length === 1);
  });

  it('certificate-controller: approves a node client request and signs it', async () => {
    const ca = await createCertificateAuthority({ commonName: 'roles-test' });
    run(csrController(await asController('certificate-controller'), { signer: new ClusterSigner(ca.certPem, ca.keyPem), log }));
    const { csrPem } = await createCsr({ commonName: 'system:node:n1', organizations: ['system:nodes'] });
    const csrs = admin.resource({ group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' });
    await csrs.create(undefined, {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'n1' },
      spec: { request: Buffer.from(csrPem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] },
    });
    await until('approved and issued', async () => {
      const s = ((await csrs.get(undefined, 'n1'))?.status ?? {}) as { certificate?: string; conditions?: { type: string }[] };
      return !!s.certificate && !!s.conditions?.some((c) => c.type === 'Approved');
    });
  });
});
