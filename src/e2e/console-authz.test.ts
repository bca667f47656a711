// The console shows only what the user's token may see, and a refusal is a
// "not permitted" panel, never a broken page. The API server here is the real
// one over a real control plane's registry, with an authorizer that lets a
// ServiceAccount read its own namespace and nothing else (the shape of a
// namespaced "view" role), and the user logs in with that account's token.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { ApiMetrics } from '../apiserver/metrics.js';
import { OpenApiPublisher } from '../apiserver/openapi.js';
import { CustomHandlers } from '../apiserver/resource-handler.js';
import { ApiServer } from '../apiserver/server.js';
import { allow, deny, type Authorizer } from '../authz/index.js';
import { JsonClient } from '../bench/http.js';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import { createServerAuthenticator, TokenIssuer } from '../security/index.js';
import { launchBrowser, newPage } from './support/browser.js';

const VIEWER = 'system:serviceaccount:team-a:viewer';

/** The viewer may get, list and watch in team-a; the admin may do anything; discovery is open to all. */
const teamAViewer: Authorizer = {
  authorize(a) {
    if (!a.resourceRequest) return allow();
    if (a.user.username !== VIEWER) return allow();
    if (a.namespace === 'team-a' && ['get', 'list', 'watch'].includes(a.verb)) return allow();
    return deny();
  },
};

describe('web console under authorization', () => {
  let dir: string;
  let cp: ControlPlane;
  let admin: JsonClient;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let viewerToken: string;

  const forbidden = (what: string) => page.locator('[data-state=forbidden]', { hasText: what });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-console-authz-'));
    cp = await startControlPlane(serveOptions({ dataDir: dir, apiOnly: true, logLevel: 'silent' }));
    admin = new JsonClient(cp.url, cp.adminToken, cp.caPem);
    const created = async (path: string, body: unknown) => {
      const r = await admin.send('POST', path, body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { status?: { token?: string } };
    };
    await created('/api/v1/namespaces', { metadata: { name: 'team-a' } });
    await created('/api/v1/namespaces/team-a/serviceaccounts', { metadata: { name: 'viewer' } });
    await created('/api/v1/namespaces/team-a/configmaps', { metadata: { name: 'settings' }, data: { color: 'blue' } });
    await created('/api/v1/namespaces/default/configmaps', { metadata: { name: 'elsewhere' } });
    const tr = await created('/api/v1/namespaces/team-a/serviceaccounts/viewer/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
    viewerToken = tr.status!.token!;

    const tokens = await TokenIssuer.loadOrCreate(dir, {});
    let address = '127.0.0.1:0';
    const api = new ApiServer({
      registry: cp.registry,
      authenticator: createServerAuthenticator({ adminToken: cp.adminToken, tokenIssuer: tokens }),
      openapi: new OpenApiPublisher(() => []),
      metrics: new ApiMetrics(false),
      logger: pino({ level: 'silent' }),
      custom: new CustomHandlers(),
      version: { major: '1', minor: '32', gitVersion: 'v1.32.0+test' },
      ready: () => true,
      serverAddress: () => address,
      authorizer: teamAViewer,
    });
    const pki = join(dir, 'pki');
    server = createServer({ cert: readFileSync(join(pki, 'server.crt')), key: readFileSync(join(pki, 'server.key')) }, api.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    url = `https://${address}`;
    browser = await launchBrowser(readFileSync(join(pki, 'server.crt'), 'utf8'));
    ({ page, errors: pageErrors } = await newPage(browser));
    page.setDefaultTimeout(60_000);
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    admin?.close();
    await cp?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with a ServiceAccount token; what it may not list is a "not permitted" panel with the API message', async () => {
    await page.goto(`${url}/console/#/workloads/compute`);
    await page.getByLabel('Bearer token').fill(viewerToken);
    await page.getByRole('button', { name: 'Log in' }).click();
    const panel = forbidden('compute workloads');
    await panel.waitFor();
    assert.match(
      (await panel.textContent()) ?? '',
      /Not permitted to see compute workloads\..*workloads\.compute\.miloapis\.com is forbidden: User "system:serviceaccount:team-a:viewer" cannot list resource "workloads" in API group "compute\.miloapis\.com" at the cluster scope/,
    );
  });

  it('without the right to list namespaces, the namespace is typed; in team-a everything shows', async () => {
    const input = page.locator('#namespace-input');
    await input.waitFor();
    assert.equal(await page.locator('#namespace-select').count(), 0);
    await input.fill('team-a');
    await input.press('Enter');
    await page.getByText('No compute workloads in team-a.').waitFor();
    assert.equal(await page.locator('[data-state=forbidden]').count(), 0);
  });

  it('nodes are not permitted, the namespace\'s own pods are', async () => {
    await page.evaluate(`location.hash = '#/nodes'`);
    const panel = forbidden('nodes');
    await panel.waitFor();
    assert.match((await panel.textContent()) ?? '', /nodes is forbidden: User "system:serviceaccount:team-a:viewer" cannot list resource "nodes" in API group "" at the cluster scope/);
    assert.equal(await forbidden('pods').count(), 0);
  });

  it('the resource browser lists the namespace\'s objects; saving one is refused with the 403 message', async () => {
    await page.evaluate(`location.hash = '#/resources/core/configmaps'`);
    await page.locator('[data-testid=object-list] tr[data-name=settings] a').click();
    await page.locator('section.editor[data-loaded="ConfigMap/settings"]').waitFor();
    assert.equal(await page.locator('[data-testid=object-list] tr[data-name=elsewhere]').count(), 0);
    const yaml = page.getByLabel('YAML');
    await yaml.fill((await yaml.inputValue()).replace('color: blue', 'color: red'));
    await page.getByRole('button', { name: 'Save' }).click();
    const refused = page.locator('[data-testid=editor-outcome][data-reason=Forbidden]');
    await refused.waitFor();
    assert.match((await refused.textContent()) ?? '', /Not permitted: configmaps "settings" is forbidden: User "system:serviceaccount:team-a:viewer" cannot update resource "configmaps"/);
    const cm = await admin.send('GET', '/api/v1/namespaces/team-a/configmaps/settings');
    assert.equal((cm.body as { data: { color: string } }).data.color, 'blue');
    assert.deepEqual(pageErrors, []);
  });
});
