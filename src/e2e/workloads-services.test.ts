// Services with the real kubectl against `workplane serve`: `kubectl expose`,
// cluster IPs and node ports, EndpointSlices and Endpoints following pod
// readiness, `kubectl cluster-info`, `kubectl apply --prune` with its default
// allowlist, and the Kuma Dataplane inbounds a Service gives its pods.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';

const NS = 'svc';

interface Slice {
  endpoints?: { addresses: string[]; conditions: { ready: boolean }; targetRef: { name: string } }[];
  ports?: { name?: string; port: number }[];
}

describe('Services with kubectl', () => {
  let server: ServerProcess;
  let k: Kubectl;
  const slices = async (svc: string): Promise<Slice[]> => JSON.parse(await k.ok(['get', 'endpointslices', '-n', NS, '-l', `kubernetes.io/service-name=${svc}`, '-o', 'json'])).items;

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--agent-nodes', '2'] }).start();
    k = new Kubectl(server);
    await k.ok(['create', 'namespace', NS]);
  });
  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('serves the kubernetes Service at 10.96.0.1 and kubectl cluster-info', async () => {
    assert.match(await k.ok(['get', 'svc', 'kubernetes', '-n', 'default']), /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+/m);
    assert.match(await k.ok(['get', 'endpoints', 'kubernetes', '-n', 'default']), new RegExp(`kubernetes\\s+127\\.0\\.0\\.1:${server.port}\\s`));
    await k.ok(['apply', '-f', '-'], `apiVersion: v1
kind: Service
metadata: {name: metrics, namespace: kube-system, labels: {kubernetes.io/cluster-service: "true", kubernetes.io/name: Metrics}}
spec: {ports: [{name: http, port: 80}]}
`);
    const info = await k.ok(['cluster-info']);
    assert.match(info, new RegExp(`Kubernetes control plane is running at ${server.url.replace(/\./g, '\\.')}`));
    assert.match(info, /Metrics is running at https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/kube-system\/services\/metrics:http\/proxy/);
  });

  it('kubectl expose deployment: a cluster IP from 10.96.0.0/12 and an EndpointSlice of the ready pods', async () => {
    await k.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80', '-n', NS]);
    assert.match(await k.ok(['expose', 'deployment', 'web', '--port=8080', '--target-port=80', '-n', NS]), /service\/web exposed/);
    const row = await k.ok(['get', 'svc', 'web', '-n', NS, '-o', 'wide']);
    assert.match(row, /^web\s+ClusterIP\s+10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+\s+<none>\s+8080\/TCP\s+\S+\s+app=web$/m);
    await k.ok(['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=60s']);
    await eventually(async () => {
      const [s] = await slices('web');
      assert.equal(s.endpoints?.length, 2);
      assert.ok(s.endpoints!.every((e) => e.conditions.ready));
      assert.deepEqual(s.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
    });
    assert.match(await k.ok(['get', 'endpoints', 'web', '-n', NS]), /^web\s+10\.\S+:80,10\.\S+:80\s/m);
    assert.match(await k.ok(['describe', 'svc', 'web', '-n', NS]), /Endpoints:\s+10\.\S+:80,10\.\S+:80/);
  });

  it('EndpointSlices follow readiness (a readiness gate flipped through the status subresource)', async () => {
    await k.ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: gated, namespace: ${NS}, labels: {app: gated}}
spec:
  readinessGates: [{conditionType: example.com/serving}]
  containers: [{name: c, image: nginx, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: gated, namespace: ${NS}}
spec: {selector: {app: gated}, ports: [{name: web, port: 80, targetPort: http}]}
`);
    const readiness = async () => (await slices('gated')).flatMap((s) => s.endpoints ?? []).map((e) => e.conditions.ready);
    await eventually(async () => assert.deepEqual(await readiness(), [false]));
    const [s] = await slices('gated');
    assert.deepEqual(s.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }], 'named target port resolved');
    const flip = (status: string) =>
      k.ok(['patch', 'pod', 'gated', '-n', NS, '--subresource=status', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/status/conditions/-', value: { type: 'example.com/serving', status } }])]);
    await flip('True');
    await eventually(async () => assert.deepEqual(await readiness(), [true]));
    assert.match(await k.ok(['get', 'endpoints', 'gated', '-n', NS]), /^gated\s+\d+\.\d+\.\d+\.\d+:8080\s/m);
    await k.ok(['delete', 'pod', 'gated', '-n', NS, '--wait']);
    await eventually(async () => assert.deepEqual(await readiness(), []));
  });

  it('kubectl create service nodeport allocates from 30000-32767; a taken port is refused', async () => {
    assert.match(await k.ok(['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '-n', NS]), /service\/np created/);
    const port = Number(await k.ok(['get', 'svc', 'np', '-n', NS, '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    assert.ok(port >= 30000 && port <= 32767, String(port));
    assert.match(await k.ok(['get', 'svc', 'np', '-n', NS]), new RegExp(`^np\\s+NodePort\\s+\\S+\\s+<none>\\s+80:${port}/TCP\\s`, 'm'));
    const err = await k.fails(['create', 'service', 'nodeport', 'np2', '--tcp=80:8080', `--node-port=${port}`, '-n', NS]);
    assert.match(err, new RegExp(`spec\\.ports\\[0\\]\\.nodePort: Invalid value: ${port}: provided port is already allocated`));
  });

  it('kubectl create ingress (a protobuf body): rules, backends and TLS as given', async () => {
    assert.match(await k.ok(['create', 'ingress', 'ing', '--rule=foo.com/=web:80', '--rule=bar.com/*=web:http,tls=sec', '--class=nginx', '-n', NS]), /ingress\.networking\.k8s\.io\/ing created/);
    const spec = JSON.parse(await k.ok(['get', 'ingress', 'ing', '-n', NS, '-o', 'jsonpath={.spec}']));
    assert.deepEqual(spec.rules.map((r: { host: string }) => r.host), ['foo.com', 'bar.com']);
    assert.deepEqual(spec.rules[1].http.paths[0], { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } });
    assert.deepEqual([spec.tls, spec.ingressClassName], [[{ hosts: ['bar.com'], secretName: 'sec' }], 'nginx']);
  });

  it('kubectl apply --prune with the default allowlist removes what left the manifest', async () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: pruned-app, namespace: ${NS}, labels: {app: prune}}
spec:
  replicas: 1
  selector: {matchLabels: {app: prune}}
  template:
    metadata: {labels: {app: prune}}
    spec: {containers: [{name: c, image: nginx}]}
`;
    const extra = `---
apiVersion: v1
kind: Service
metadata: {name: pruned-svc, namespace: ${NS}, labels: {app: prune}}
spec: {selector: {app: prune}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: pruned-cm, namespace: ${NS}, labels: {app: prune}}
data: {a: b}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: pruned-cron, namespace: ${NS}, labels: {app: prune}}
spec:
  schedule: "@daily"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
`;
    const first = await k.ok(['apply', '--prune', '-l', 'app=prune', '-n', NS, '-f', '-'], deployment + extra);
    assert.match(first, /deployment\.apps\/pruned-app created/);
    assert.match(first, /cronjob\.batch\/pruned-cron created/);
    const second = await k.ok(['apply', '--prune', '-l', 'app=prune', '-n', NS, '-f', '-'], deployment);
    assert.match(second, /deployment\.apps\/pruned-app unchanged/);
    for (const gone of ['service/pruned-svc', 'configmap/pruned-cm', 'cronjob.batch/pruned-cron']) assert.match(second, new RegExp(`${gone.replace('.', '\\.')} pruned`));
    assert.match(await k.fails(['get', 'svc', 'pruned-svc', '-n', NS]), /NotFound/);
  });

  it('meshed pods get Dataplane inbounds from the Service selecting them', async () => {
    await k.ok(['create', 'namespace', 'meshed']);
    await k.ok(['label', 'namespace', 'meshed', 'kuma.io/sidecar-injection=enabled']);
    await k.ok(['create', 'deployment', 'shop', '--image=nginx:1.25', '--replicas=1', '--port=80', '-n', 'meshed']);
    const tags = async () => JSON.parse(await k.ok(['get', 'dataplanes', '-n', 'meshed', '-o', 'jsonpath={.items[*].spec.networking.inbound[*].tags}']).then((s) => `[${s.split(' ').filter(Boolean).join(',')}]`));
    // Without a Service the workload rule names the service (here the pods' ServiceAccount, `default`).
    await eventually(async () => assert.equal((await tags())[0]?.['kuma.io/service'], 'default_meshed_svc_80'), 60_000);
    await k.ok(['expose', 'deployment', 'shop', '--name=storefront', '--port=8080', '--target-port=80', '-n', 'meshed']);
    await eventually(async () => {
      const t = await tags();
      assert.equal(t.length, 1);
      assert.equal(t[0]['kuma.io/service'], 'storefront_meshed_svc_8080');
      assert.equal(t[0]['k8s.kuma.io/service-name'], 'storefront');
    }, 60_000);
    assert.equal(await k.ok(['get', 'dataplanes', '-n', 'meshed', '-o', 'jsonpath={.items[0].spec.networking.inbound[0].port}']), '80');
    await k.ok(['delete', 'svc', 'storefront', '-n', 'meshed']);
    await eventually(async () => assert.equal((await tags())[0]?.['kuma.io/service'], 'default_meshed_svc_80'), 60_000);
  });
});
