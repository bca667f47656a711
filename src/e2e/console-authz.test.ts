// The console shows only what the user's token may see, and a refusal is a
// "not permitted" panel with kube's Forbidden message, never a broken page.
// A real `workplane serve` with RBAC: a ServiceAccount granted the built-in
// `view` role in team-a by a RoleBinding (made with kubectl) logs in with its
// token, is named in the header from a SelfSubjectReview, sees team-a, is
// refused nodes and other namespaces, and cannot save an object.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';
import { launchBrowser, newPage, servingCert } from './support/browser.js';

const VIEWER = 'system:serviceaccount:team-a:viewer';

describe('web console under RBAC', { timeout: 300_000 }, () => {
  let server: ServerProcess;
  let k: Kubectl;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let viewerToken: string;

  const forbidden = (what: string) => page.locator('[data-state=forbidden]', { hasText: what });
  const can = async (...args: string[]) => (await k.run(['auth', 'can-i', ...args, '--as', VIEWER])).stdout.trim() === 'yes';
  const setNamespace = async (ns: string) => {
    const input = page.locator('#namespace-input');
    await input.fill(ns);
    await input.press('Enter');
  };

  before(async () => {
    server = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0'] }).start();
    k = new Kubectl(server);
    await k.ok(['create', 'namespace', 'team-a']);
    await k.ok(['create', 'serviceaccount', 'viewer', '-n', 'team-a']);
    await k.ok(['create', 'configmap', 'settings', '--from-literal=color=blue', '-n', 'team-a']);
    await k.ok(['create', 'configmap', 'elsewhere', '-n', 'default']);
    await k.ok(['create', 'rolebinding', 'viewer-views', '--clusterrole=view', '--serviceaccount=team-a:viewer', '-n', 'team-a']);
    viewerToken = (await k.ok(['create', 'token', 'viewer', '-n', 'team-a'])).trim();
    // The binding reaches the authorizer through a watch, and `view` is filled by the aggregation controller.
    await eventually(async () => assert.ok((await can('list', 'configmaps', '-n', 'team-a')) && (await can('list', 'workloads.compute.miloapis.com', '-n', 'team-a'))));
    assert.equal(await can('update', 'configmaps', '-n', 'team-a'), false);
    assert.equal(await can('list', 'nodes'), false);
    browser = await launchBrowser(servingCert(server.dataDir));
    ({ page, errors: pageErrors } = await newPage(browser));
    page.setDefaultTimeout(60_000);
  });

  after(async () => {
    await browser?.close();
    k?.cleanup();
    await server?.cleanup();
  });

  it('logs in with the ServiceAccount token and names the user and groups from a SelfSubjectReview', async () => {
    await page.goto(`${server.url}/console/#/workloads/compute`);
    await page.getByLabel('Bearer token').fill(viewerToken);
    await page.getByRole('button', { name: 'Log in' }).click();
    const who = page.locator('[data-testid=whoami][data-known=true]');
    await who.waitFor();
    assert.equal(await who.textContent(), `logged in as ${VIEWER} (system:serviceaccounts, system:serviceaccounts:team-a, system:authenticated)`);
  });

  it('across all namespaces the view is "not permitted", with the API message', async () => {
    const panel = forbidden('compute workloads');
    await panel.waitFor();
    assert.match(
      (await panel.textContent()) ?? '',
      /Not permitted to see compute workloads\..*workloads\.compute\.miloapis\.com is forbidden: User "system:serviceaccount:team-a:viewer" cannot list resource "workloads" in API group "compute\.miloapis\.com" at the cluster scope/,
    );
  });

  it('without the right to list namespaces, the namespace is typed; in team-a everything shows', async () => {
    await page.locator('#namespace-input').waitFor();
    assert.equal(await page.locator('#namespace-select').count(), 0);
    await setNamespace('team-a');
    await page.getByText('No compute workloads in team-a.').waitFor();
    assert.equal(await page.locator('[data-state=forbidden]').count(), 0);
  });

  it('another namespace is not permitted', async () => {
    await setNamespace('default');
    const panel = forbidden('compute workloads');
    await panel.waitFor();
    assert.match((await panel.textContent()) ?? '', /cannot list resource "workloads" in API group "compute\.miloapis\.com" in the namespace "default"/);
    await page.evaluate(`location.hash = '#/resources/core/configmaps'`);
    await forbidden('configmaps').waitFor();
    assert.equal(await page.locator('[data-testid=object-list] tr[data-name=elsewhere]').count(), 0);
  });

  it('nodes are not permitted', async () => {
    await page.evaluate(`location.hash = '#/nodes'`);
    const panel = forbidden('nodes');
    await panel.waitFor();
    assert.match((await panel.textContent()) ?? '', /nodes is forbidden: User "system:serviceaccount:team-a:viewer" cannot list resource "nodes" in API group "" at the cluster scope/);
  });

  it("the resource browser lists team-a's objects; a Save is refused with kube's Forbidden message", async () => {
    await setNamespace('team-a');
    await page.evaluate(`location.hash = '#/resources/core/configmaps'`);
    await page.locator('[data-testid=object-list] tr[data-name=settings] a').click();
    await page.locator('section.editor[data-loaded="ConfigMap/settings"]').waitFor();
    const yaml = page.getByLabel('YAML');
    await yaml.fill((await yaml.inputValue()).replace('color: blue', 'color: red'));
    await page.getByRole('button', { name: 'Save' }).click();
    const refused = page.locator('[data-testid=editor-outcome][data-reason=Forbidden]');
    await refused.waitFor();
    assert.match(
      (await refused.textContent()) ?? '',
      /Not permitted: configmaps "settings" is forbidden: User "system:serviceaccount:team-a:viewer" cannot update resource "configmaps" in API group "" in the namespace "team-a"/,
    );
    assert.equal(await k.ok(['get', 'configmap', 'settings', '-n', 'team-a', '-o', 'jsonpath={.data.color}']), 'blue');
    assert.deepEqual(pageErrors, []);
  });
});
