// The web console end to end, in a real browser (Debian's Chromium through
// playwright-core) against `workplane serve`: a user opens /console/, logs in
// with the admin token, and watches what kubectl and a node agent do, live,
// without reloading: a compute Workload going Running as its pods are
// created, a gang waiting for room and binding once a node joins, new events
// on the timeline. Objects are edited as YAML and saved or applied; what the
// API refuses is shown with its Status message. Every wait is Playwright's
// auto-waiting on what the page shows, never a fixed sleep.

import assert from 'node:assert/strict';
import { get } from 'node:https';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { startAgent, type OutputProcess } from './seed-support/processes.js';
import { launchBrowser, newPage, servingCert } from './support/browser.js';

const WAIT = 60_000;

const computeWorkload = (replicas: number) => `apiVersion: compute.miloapis.com/v1alpha1
kind: Workload
metadata: {name: web, namespace: project-shop}
spec:
  replicas: ${replicas}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        resources: {requests: {cpu: 100m}}
`;

const GANG = `apiVersion: scheduling.k8s.io/v1alpha1
kind: Workload
metadata: {name: training, namespace: gang}
spec:
  podGroups:
  - name: workers
    policy: {gang: {minCount: 4}}
`;

const worker = (i: number) => `apiVersion: v1
kind: Pod
metadata: {name: worker-${i}, namespace: gang}
spec:
  workloadRef: {name: training, podGroup: workers}
  containers:
  - name: train
    image: trainer:1
    resources: {requests: {cpu: "3"}}
`;

const event = (name: string, reason: string, object: string) => `apiVersion: v1
kind: Event
metadata: {name: ${name}, namespace: project-shop}
involvedObject: {kind: ConfigMap, name: ${object}, namespace: project-shop}
reason: ${reason}
message: ${reason} said by the test
type: Normal
source: {component: console-test}
`;

const MESH_IDENTITY = `apiVersion: kuma.io/v1alpha1
kind: MeshIdentity
metadata: {name: demo-identity, namespace: kuma-system, labels: {kuma.io/mesh: default}}
spec:
  selector: {dataplane: {matchLabels: {kuma.io/workload: demo-workload}}}
  spiffeID: {trustDomain: example.com, path: "/workload/{{ .Workload }}"}
  provider:
    type: Bundled
    bundled: {meshTrustCreation: Enabled, insecureAllowSelfSigned: true, autogenerate: {enabled: true}}
`;

const meshedPod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: mesh-demo
  annotations: {kuma.io/workload: demo-workload}
spec:
  containers:
  - name: app
    image: demo-app:1.0
    ports: [{containerPort: 8080}]
`;

/** GET without any credentials, trusting the server's CA. */
function fetchPublic(url: string, ca: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

describe('web console in a browser', () => {
  let server: ServerProcess;
  let k: Kubectl;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let agent: OutputProcess | undefined;

  const open = async (hash: string) => {
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  };
  const count = (selector: string) => page.locator(selector).count();
  /** Waits until `n` elements match, with locators only: the page's CSP (script-src 'self') refuses evaluated predicates. */
  const countIs = async (selector: string, n: number) => {
    const l = page.locator(selector);
    if (n > 0) await l.nth(n - 1).waitFor({ state: 'attached' });
    await l.nth(n).waitFor({ state: 'detached' });
  };
  /** Waits for the editor's outcome with this Status reason ('' for success); a timeout says what it showed instead. */
  const outcome = async (reason: string): Promise<string> => {
    const l = page.locator(`[data-testid=editor-outcome][data-reason="${reason}"]`);
    try {
      await l.waitFor();
    } catch (e) {
      const shown = await page.getByTestId('editor-outcome').allTextContents();
      throw new Error(`no editor outcome with reason "${reason}"; shown: ${JSON.stringify(shown)}`, { cause: e });
    }
    return (await l.textContent()) ?? '';
  };
  /** Waits until the editor holds the object loaded from the API. */
  const editorLoaded = (kind: string, name: string) => page.locator(`section.editor[data-loaded="${kind}/${name}"]`).waitFor();

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--agent-nodes', '3'] }).start();
    k = new Kubectl(server);
    browser = await launchBrowser(servingCert(server.dataDir));
    ({ page, errors: pageErrors } = await newPage(browser));
    page.setDefaultTimeout(WAIT);
    await k.ok(['create', 'namespace', 'project-shop']);
    await k.ok(['create', 'namespace', 'gang']);
  });

  after(async () => {
    await browser?.close();
    await agent?.stop();
    k?.cleanup();
    await server?.cleanup();
  });

  it('serves the page and its assets without credentials; / lists /console', async () => {
    const index = await fetchPublic(`${server.url}/console/`, server.caPem);
    assert.equal(index.status, 200);
    assert.equal(index.type, 'text/html; charset=utf-8');
    const script = /src="\/console\/(console-[A-Z0-9]+\.js)"/.exec(index.body);
    assert.ok(script, index.body);
    const js = await fetchPublic(`${server.url}/console/${script[1]}`, server.caPem);
    assert.equal(js.status, 200);
    assert.equal(js.type, 'text/javascript; charset=utf-8');
    assert.equal((await fetchPublic(`${server.url}/console`, server.caPem)).body, index.body);
    assert.equal((await fetchPublic(`${server.url}/api/v1/namespaces`, server.caPem)).status, 401, 'the API itself still needs a token');
    assert.match(await k.ok(['get', '--raw', '/']), /"\/console"/);
  });

  it('refuses a wrong token with an error, then logs in with the admin token from the kubeconfig', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /refused this token \(401 Unauthorized\)/);
    assert.equal(await page.evaluate('sessionStorage.length'), 0, 'a refused token is not kept');

    await page.getByLabel('Bearer token').fill(server.adminToken);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Compute workloads' }).waitFor();
    assert.ok(await page.evaluate(`Object.values(sessionStorage).includes(${JSON.stringify(server.adminToken)})`), 'the token is kept in sessionStorage');
  });

  it('watches a compute Workload go Running while its pods are created, without a reload', async () => {
    await page.evaluate('window.sameDocument = true');
    assert.equal(await count('[data-testid=compute-workload-web]'), 0);
    await k.ok(['apply', '-f', '-'], computeWorkload(3));
    const card = page.locator('[data-testid=compute-workload-web][data-phase=Running]');
    await card.waitFor();
    await countIs('[data-testid=compute-workload-web] li[data-phase=Running]', 3);
    assert.equal(await card.locator('[data-count=ready]').textContent(), '3');
    const nodes = await card.locator('.node-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')));
    assert.ok(nodes.length >= 1 && nodes.every((n) => /^node-\d$/.test(n ?? '')), `pods grouped by node: ${nodes.join(',')}`);
    assert.equal(await card.locator('[data-condition=Available]').count(), 1);

    await k.ok(['scale', 'workloads.compute.miloapis.com/web', '-n', 'project-shop', '--replicas=5']);
    await countIs('[data-testid=compute-workload-web] li[data-phase=Running]', 5);
    await page.locator('[data-testid=compute-workload-web] [data-count=ready]', { hasText: '5' }).waitFor();
    assert.equal(await page.evaluate('window.sameDocument'), true, 'the page was never reloaded');
  });

  it('shows a gang that cannot fit waiting with the scheduler\'s reason, then bound once a node joins', async () => {
    await open('#/workloads/scheduling');
    await page.getByRole('heading', { name: 'Scheduling workloads' }).waitFor();
    await k.ok(['apply', '-f', '-'], GANG);
    for (let i = 0; i < 4; i++) await k.ok(['apply', '-f', '-'], worker(i));
    const group = page.locator('[data-testid=scheduling-workload-training] [data-group=workers]');
    await group.locator('[data-pod=worker-3][data-bound=false]', { hasText: /Insufficient cpu/ }).waitFor();
    assert.equal(await group.getAttribute('data-state'), 'waiting');
    assert.match((await group.getByTestId('group-summary').textContent()) ?? '', /none of 4 bound/);
    for (let i = 0; i < 4; i++) {
      const text = (await group.locator(`[data-pod=worker-${i}]`).textContent()) ?? '';
      assert.match(text, /gang "gang\/training\/workers" of 4 pods needs minCount 4.*Insufficient cpu/, text);
    }

    agent = await startAgent(server, ['--nodes', '1', '--name-prefix', 'extra']);
    await page.locator('[data-testid=scheduling-workload-training] [data-group=workers][data-state=bound]').waitFor();
    assert.equal(await group.locator('[data-bound=true]').count(), 4);
    assert.match((await group.getByTestId('group-summary').textContent()) ?? '', /all 4 bound/);
    assert.match((await group.locator('[data-pod=worker-0]').textContent()) ?? '', /bound to (node-\d|extra-0)/);
  });

  it('shows nodes with capacity, allocatable, requests and their pods, the new node included', async () => {
    await open('#/nodes');
    const extra = page.getByTestId('node-extra-0');
    await extra.locator('li[data-pod^=worker-]').waitFor();
    assert.equal(await extra.locator('[data-capacity=cpu]').textContent(), '4');
    assert.equal(await extra.locator('[data-allocatable=cpu]').textContent(), '4');
    assert.equal(await extra.locator('[data-requested=cpu]').textContent(), '3');
  });

  it('shows a mesh Workload with its connected proxies, and the MeshIdentity with the certificates it issued', async () => {
    await k.ok(['apply', '-f', '-'], MESH_IDENTITY);
    await k.ok(['create', 'namespace', 'mesh-demo']);
    await k.ok(['label', 'namespace', 'mesh-demo', 'kuma.io/sidecar-injection=enabled']);
    await open('#/workloads/mesh');
    await page.getByRole('heading', { name: 'Mesh workloads' }).waitFor();
    for (const n of ['demo-1', 'demo-2']) await k.ok(['apply', '-f', '-'], meshedPod(n));
    const card = page.getByTestId('mesh-workload-demo-workload');
    await card.locator('[data-count=connected]', { hasText: '2' }).waitFor();
    assert.equal(await card.locator('[data-count=total]').textContent(), '2');
    await countIs('[data-testid=mesh-workload-demo-workload] tr[data-proxy]', 2);
    await card.locator('tr[data-proxy] td.mono', { hasText: 'spiffe://example.com/workload/demo-workload' }).nth(1).waitFor();
    assert.match((await card.locator('tr[data-proxy]').first().textContent()) ?? '', /connected/);

    await open('#/identities');
    const identity = page.getByTestId('identity-demo-identity');
    await identity.locator('.badge', { hasText: 'Ready=True' }).waitFor();
    await countIs('[data-testid=identity-demo-identity] tr[data-dataplane]', 2);
    const row = (await identity.locator('tr[data-dataplane]').first().textContent()) ?? '';
    assert.match(row, /mesh-demo\/demo-[12].*spiffe:\/\/example\.com\/workload\/demo-workload.*in \d+h/, row);
    const expires = await identity.locator('tr[data-dataplane] time').first().getAttribute('datetime');
    const issued = await k.ok(['get', 'dataplaneinsights', '-n', 'mesh-demo', '-o', 'jsonpath={.items[*].status.mTLS.certificateExpirationTime}']);
    assert.ok(expires && issued.split(' ').includes(expires), `${expires} among ${issued}`);
  });

  it('edits an object as YAML: Save replaces it, a stale Save shows the Conflict, Apply shows Invalid with the API message', async () => {
    await k.ok(['create', 'configmap', 'settings', '-n', 'project-shop', '--from-literal=color=blue']);
    await open('#/resources');
    await page.locator('a[data-resource="configmaps."]').click();
    await page.locator('[data-testid=object-list] tr[data-name=settings] a').click();
    const yaml = page.getByLabel('YAML');
    await editorLoaded('ConfigMap', 'settings');
    assert.match(await yaml.inputValue(), /color: blue/);
    assert.doesNotMatch(await yaml.inputValue(), /managedFields/);
    await yaml.fill((await yaml.inputValue()).replace('color: blue', 'color: green'));
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await outcome(''), /Saved ConfigMap settings/);
    assert.equal(await k.ok(['get', 'configmap', 'settings', '-n', 'project-shop', '-o', 'jsonpath={.data.color}']), 'green');

    // Someone else changes it meanwhile: saving the stale copy is refused, with the API's words.
    await k.ok(['patch', 'configmap', 'settings', '-n', 'project-shop', '--type=merge', '-p', '{"data":{"size":"xl"}}']);
    await yaml.fill((await yaml.inputValue()).replace('color: green', 'color: red'));
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await outcome('Conflict'), /Conflict \(409\): Operation cannot be fulfilled on configmaps "settings": the object has been modified/);
    assert.equal(await k.ok(['get', 'configmap', 'settings', '-n', 'project-shop', '-o', 'jsonpath={.data.color}']), 'green');

    // A new object from the browser's template: Apply creates it, and the editor moves to it.
    await open('#/resources/core/configmaps');
    await page.getByRole('link', { name: 'New ConfigMap' }).click();
    await yaml.fill('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: created-here\n  namespace: project-shop\ndata:\n  made: by-the-console\n');
    await page.getByRole('button', { name: 'Apply (server-side)' }).click();
    await editorLoaded('ConfigMap', 'created-here');
    assert.equal(await k.ok(['get', 'configmap', 'created-here', '-n', 'project-shop', '-o', 'jsonpath={.data.made}']), 'by-the-console');

    // Server-side apply of an invalid compute Workload: the Status message, and nothing changes.
    await open('#/resources/compute.miloapis.com/workloads');
    await page.locator('[data-testid=object-list] tr[data-name=web] a').click();
    await editorLoaded('Workload', 'web');
    assert.match(await yaml.inputValue(), /replicas: 5/);
    await yaml.fill((await yaml.inputValue()).replace('replicas: 5', 'replicas: -1'));
    await page.getByRole('button', { name: 'Apply (server-side)' }).click();
    assert.match(await outcome('Invalid'), /Invalid \(422\): .*spec\.replicas: Invalid value: -1/);
    assert.equal(await k.ok(['get', 'workloads.compute.miloapis.com', 'web', '-n', 'project-shop', '-o', 'jsonpath={.spec.replicas}']), '5');

    await yaml.fill((await yaml.inputValue()).replace('replicas: -1', 'replicas: 2'));
    await page.getByRole('button', { name: 'Apply (server-side)' }).click();
    assert.match(await outcome(''), /Applied Workload web/);
    assert.equal(await k.ok(['get', 'workloads.compute.miloapis.com', 'web', '-n', 'project-shop', '-o', 'jsonpath={.spec.replicas}']), '2');
    const managers = await k.ok(['get', 'workloads.compute.miloapis.com', 'web', '-n', 'project-shop', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
    assert.match(managers, /workplane-console/);
  });

  it('shows new events on the timeline as they happen, filtered by object and by namespace', async () => {
    await open('#/events');
    const timeline = page.getByTestId('timeline');
    await timeline.locator('li[data-reason=FailedScheduling]').first().waitFor();
    await k.ok(['apply', '-f', '-'], event('probe-1', 'ConsoleProbe', 'settings'));
    await timeline.locator('li[data-reason=ConsoleProbe]').waitFor();
    assert.match((await timeline.locator('li[data-reason=ConsoleProbe]').textContent()) ?? '', /ConfigMap\/settings.*ConsoleProbe said by the test/);

    await page.getByLabel('Object').fill('configmap/settings');
    await countIs('ol.timeline li[data-reason=FailedScheduling]', 0);
    await k.ok(['apply', '-f', '-'], event('probe-2', 'SecondProbe', 'settings'));
    await k.ok(['apply', '-f', '-'], event('probe-3', 'OtherObject', 'unrelated'));
    await timeline.locator('li[data-reason=SecondProbe]').waitFor();
    assert.equal(await count('ol.timeline li[data-reason=OtherObject]'), 0);
    const objects = await timeline.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-object')));
    assert.ok(objects.every((o) => o === 'ConfigMap/settings'), objects.join(','));

    await page.getByLabel('Object').fill('');
    await page.locator('#namespace-select').selectOption('gang');
    await timeline.locator('li[data-reason=FailedScheduling]').first().waitFor();
    await countIs('ol.timeline li[data-reason=ConsoleProbe]', 0);
  });

  it('logging out forgets the token and closes the session', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Bearer token').waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 0);
    await page.reload();
    await page.getByLabel('Bearer token').waitFor();
    assert.deepEqual(pageErrors, [], 'no script errors on the page');
  });
});
