// The official Python client as a user with least privilege: it loads a
// kubeconfig (`load_kube_config(config_file=...)`) carrying the server's CA,
// so TLS is verified for real, and a ServiceAccount token whose Role grants
// only ConfigMaps in one namespace. Everything the Role grants works, list
// and watch included; everything else is refused with kube's words; without
// the CA the TLS handshake fails, and a forged token is a 401. The dynamic
// client finds the three Workload kinds through discovery.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServerProcess } from '../../testing/server-process.js';
import { KubeHttp, sleep } from '../support/kube-http.js';
import { ClientApiError, type Obj } from './driver.js';
import { COMPUTE_WORKLOADS, CONFIG_MAPS, MESH_WORKLOADS, PODS, SCHEDULING_WORKLOADS, ensureNamespace } from './kinds.js';
import { PythonClient, PythonDriver, pythonClientProblem } from './python-driver.js';

const NS = 'team';
const USER = `system:serviceaccount:${NS}:robot`;

function kubeconfig(server: string, token: string, caPem?: string): string {
  const ca = caPem ? `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}\n` : '';
  return `apiVersion: v1
kind: Config
clusters:
- name: workplane
  cluster:
    server: ${server}
${ca}users:
- name: robot
  user:
    token: ${token}
contexts:
- name: robot
  context: {cluster: workplane, user: robot, namespace: ${NS}}
current-context: robot
`;
}

async function refusal(p: Promise<unknown>): Promise<ClientApiError> {
  const e = await p.then(
    () => assert.fail('expected a refusal'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof ClientApiError, String(e));
  return e;
}

const problem = pythonClientProblem();
if (problem) it('the official Python Kubernetes client is installed', () => assert.fail(problem));
else {
  describe('the official Python client with a kubeconfig, a ServiceAccount token and RBAC', { timeout: 300_000 }, () => {
    let server: ServerProcess;
    let admin: KubeHttp;
    let dir: string;
    let token: string;
    const drivers: { close(): Promise<void> }[] = [];
    const start = async (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text, { mode: 0o600 });
      const d = await PythonDriver.start(file);
      drivers.push(d);
      return d;
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'workplane-python-auth-'));
      server = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0'] }).start();
      admin = new KubeHttp({ baseUrl: server.url, ca: server.caPem, token: server.adminToken });
      await ensureNamespace(admin, NS);
      await admin.ok('POST', `/api/v1/namespaces/${NS}/serviceaccounts`, { metadata: { name: 'robot' } });
      await admin.ok('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`, {
        metadata: { name: 'configmap-editor' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
      });
      await admin.ok('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, {
        metadata: { name: 'robot-edits-configmaps' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-editor' },
        subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: NS }],
      });
      const tr = await admin.ok('POST', `/api/v1/namespaces/${NS}/serviceaccounts/robot/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
      token = tr.status.token;
    });

    after(async () => {
      for (const d of drivers) await d.close();
      admin?.close();
      await server?.cleanup();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('does what its Role grants (create, list, patch, watch, delete) and nothing else', async () => {
      const py = await start('robot.kubeconfig', kubeconfig(server.url, token, server.caPem));
      // The binding reaches the authorizer through a watch: wait until it applies.
      for (let i = 0; ; i++) {
        const r = await py.list(CONFIG_MAPS, NS).catch((e: unknown) => e);
        if (!(r instanceof ClientApiError && r.code === 403)) break;
        if (i > 200) assert.fail('the RoleBinding never took effect');
        await sleep(50);
      }
      const w = await py.watchFromList(CONFIG_MAPS, NS);
      const created = await py.create(CONFIG_MAPS, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'robot-notes' }, data: { a: '1' } });
      const patched = await py.patch(CONFIG_MAPS, NS, 'robot-notes', 'strategic', { data: { b: '2' } });
      assert.deepEqual(patched.data, { a: '1', b: '2' });
      assert.deepEqual((await py.list(CONFIG_MAPS, NS)).items.map((o: Obj) => o.metadata.name), ['robot-notes']);
      const gone = await py.delete(CONFIG_MAPS, NS, 'robot-notes');
      assert.deepEqual([gone.code, gone.body?.status, gone.body?.details?.uid], [200, 'Success', created.metadata.uid]);
      const deadline = Date.now() + 30_000;
      while (!w.events.some((e) => e.type === 'DELETED')) {
        assert.ok(Date.now() < deadline, `the watch saw ${JSON.stringify(w.events.map((e) => e.type))}`);
        await sleep(20);
      }
      assert.deepEqual(
        w.events.map((e) => [e.type, e.resourceVersion]),
        [
          ['ADDED', created.metadata.resourceVersion],
          ['MODIFIED', patched.metadata.resourceVersion],
          ['DELETED', w.events[2].resourceVersion],
        ],
      );
      await w.disconnect();

      const pods = await refusal(py.list(PODS, NS));
      assert.deepEqual([pods.code, pods.reason], [403, 'Forbidden']);
      assert.equal(pods.detail, `pods is forbidden: User "${USER}" cannot list resource "pods" in API group "" in the namespace "${NS}"`);
      const elsewhere = await refusal(py.create(CONFIG_MAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
      assert.equal(elsewhere.detail, `configmaps is forbidden: User "${USER}" cannot create resource "configmaps" in API group "" in the namespace "default"`);
    });

    it('verifies the server against the kubeconfig CA: without it the TLS handshake fails', async () => {
      const py = await start('no-ca.kubeconfig', kubeconfig(server.url, token));
      await assert.rejects(py.list(CONFIG_MAPS, NS), /CERTIFICATE_VERIFY_FAILED/);
    });

    it('a token the server did not issue is a 401', async () => {
      const py = await start('forged.kubeconfig', kubeconfig(server.url, `${token.slice(0, -4)}AAAA`, server.caPem));
      const e = await refusal(py.list(CONFIG_MAPS, NS));
      assert.deepEqual([e.code, e.reason], [401, 'Unauthorized']);
    });

    it('the dynamic client finds each Workload kind through discovery', async () => {
      const py = await PythonClient.start(server.kubeconfig);
      drivers.push(py);
      for (const kind of [MESH_WORKLOADS, COMPUTE_WORKLOADS, SCHEDULING_WORKLOADS, CONFIG_MAPS]) {
        const l = await py.call('dynamic-list', { kind, namespace: NS });
        assert.equal(l.kind, `${kind.kind}List`);
        assert.equal(l.apiVersion, kind.group ? `${kind.group}/${kind.version}` : kind.version);
      }
    });
  });
}
