// RBAC, impersonation, reviews and the audit log end to end, as a user meets
// them: the real kubectl against `workplane serve` in its own process
// (RBAC is the default mode), a ServiceAccount token refused with kube's
// exact words and then allowed by bindings made with `kubectl create`, and
// the audit log read back at the levels its policy chose.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';

const NS = 'rbac-demo';
const SA = `system:serviceaccount:${NS}:builder`;
const SA_GROUPS = `["system:serviceaccounts" "system:serviceaccounts:${NS}" "system:authenticated"]`;
const SECRET_VALUE = 'hunter2-never-logged';

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  resources: [{group: "", resources: ["secrets"]}]
- level: RequestResponse
  resources: [{group: rbac.authorization.k8s.io}]
- level: Request
  resources: [{group: "", resources: ["configmaps"]}]
- level: None
`;

describe('RBAC through kubectl', { timeout: 300_000 }, () => {
  let server: ServerProcess;
  let k: Kubectl;
  let tmp: string;
  let token: string;
  const asSa = (args: string[]) => ['--token', token, ...args];

  /** Bindings reach the authorizer through a watch: wait until kubectl says yes. */
  async function untilCan(args: string[]): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const r = await k.run(['auth', 'can-i', ...args]);
      if (r.stdout.trim() === 'yes') return;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.fail(`never allowed: kubectl auth can-i ${args.join(' ')}`);
  }

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'workplane-rbac-'));
    writeFileSync(join(tmp, 'policy.yaml'), POLICY);
    server = await new ServerProcess({
      storage: 'memory',
      extraArgs: ['--agent-nodes', '0', '--audit-log-path', join(tmp, 'audit.log'), '--audit-policy-file', join(tmp, 'policy.yaml')],
    }).start();
    k = new Kubectl(server);
    await k.ok(['create', 'namespace', NS]);
    await k.ok(['create', 'serviceaccount', 'builder', '-n', NS]);
    token = (await k.ok(['create', 'token', 'builder', '-n', NS])).trim();
  });

  after(async () => {
    k?.cleanup();
    await server?.cleanup();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("refuses a ServiceAccount with kube's message until a RoleBinding grants it", async () => {
    const denied = await k.fails(asSa(['get', 'pods', '-n', NS]));
    assert.equal(denied.trim(), `Error from server (Forbidden): pods is forbidden: User "${SA}" cannot list resource "pods" in API group "" in the namespace "${NS}"`);
    assert.equal((await k.run(['auth', 'can-i', 'list', 'pods', '-n', NS, '--as', SA])).stdout.trim(), 'no');
    assert.match(await k.ok(['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods', '-n', NS]), /role.rbac.authorization.k8s.io\/pod-reader created/);
    assert.match(await k.ok(['create', 'rolebinding', 'builder-reads-pods', '--role=pod-reader', `--serviceaccount=${NS}:builder`, '-n', NS]), /created/);
    await untilCan(['list', 'pods', '-n', NS, '--as', SA]);
    const r = await k.run(asSa(['get', 'pods', '-n', NS]));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /No resources found/);
    // Granted in its namespace only.
    assert.match(await k.fails(asSa(['get', 'pods', '-n', 'default'])), /cannot list resource "pods" in API group "" in the namespace "default"/);
    const table = await k.ok(['get', 'rolebindings', '-n', NS, '-o', 'wide']);
    assert.match(table, /builder-reads-pods\s+Role\/pod-reader\s+\S+\s+rbac-demo\/builder/);
    assert.match(await k.ok(['get', 'roles', '-n', NS]), /NAME\s+CREATED AT\npod-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  it('limits a rule to resourceNames', async () => {
    await k.ok(['create', 'secret', 'generic', 'one', `--from-literal=password=${SECRET_VALUE}`, '-n', NS]);
    await k.ok(['create', 'secret', 'generic', 'two', '--from-literal=k=v', '-n', NS]);
    await k.ok(['create', 'role', 'secret-one', '--verb=get', '--resource=secrets', '--resource-name=one', '-n', NS]);
    await k.ok(['create', 'rolebinding', 'secret-one', '--role=secret-one', `--serviceaccount=${NS}:builder`, '-n', NS]);
    await untilCan(['get', 'secret/one', '-n', NS, '--as', SA]);
    assert.match(await k.ok(asSa(['get', 'secret', 'one', '-n', NS, '-o', 'name'])), /secret\/one/);
    assert.equal(
      (await k.fails(asSa(['get', 'secret', 'two', '-n', NS]))).trim(),
      `Error from server (Forbidden): secrets "two" is forbidden: User "${SA}" cannot get resource "secrets" in API group "" in the namespace "${NS}"`,
    );
    assert.match(await k.fails(asSa(['get', 'secrets', '-n', NS])), /cannot list resource "secrets"/);
  });

  it('authorizes pods/log as its own subresource', async () => {
    await k.ok(['run', 'web', '--image=nginx:1.25', '-n', NS]);
    assert.equal(
      (await k.fails(asSa(['logs', 'web', '-n', NS]))).trim(),
      `Error from server (Forbidden): pods "web" is forbidden: User "${SA}" cannot get resource "pods/log" in API group "" in the namespace "${NS}"`,
    );
    await k.ok(['create', 'role', 'log-reader', '--verb=get', '--resource=pods/log', '-n', NS]);
    await k.ok(['create', 'rolebinding', 'log-reader', '--role=log-reader', `--serviceaccount=${NS}:builder`, '-n', NS]);
    await untilCan(['get', 'pods', '--subresource=log', '-n', NS, '--as', SA]);
    const r = await k.run(asSa(['logs', 'web', '-n', NS]));
    assert.doesNotMatch(r.stderr, /forbidden/i, 'past authorization (the pod has no node to serve logs)');
  });

  it('answers auth can-i, --as and --list truthfully', async () => {
    assert.equal((await k.ok(['auth', 'can-i', '*', '*'])).trim(), 'yes');
    const no = await k.run(['auth', 'can-i', 'delete', 'pods', '-n', NS, '--as', SA]);
    assert.equal(no.stdout.trim(), 'no');
    assert.equal(no.code, 1);
    assert.equal((await k.ok(asSa(['auth', 'can-i', 'watch', 'pods', '-n', NS]))).trim(), 'yes');
    const list = await k.ok(['auth', 'can-i', '--list', '-n', NS, '--as', SA]);
    assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    assert.match(list, /^secrets\s+\[\]\s+\[one\]\s+\[get\]$/m);
    assert.match(list, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    assert.doesNotMatch(list, /^configmaps/m);
  });

  it('says who the caller is with auth whoami', async () => {
    assert.match(await k.ok(['auth', 'whoami']), /Username\s+admin\nGroups\s+\[system:masters system:authenticated\]/);
    assert.match(await k.ok(asSa(['auth', 'whoami'])), new RegExp(`Username\\s+${SA}`));
    assert.match(await k.ok(['auth', 'whoami', '--as', 'jane', '--as-group', 'devs']), /Username\s+jane\nGroups\s+\[devs system:authenticated\]/);
  });

  it('lets a ServiceAccount impersonate only whom it is allowed to', async () => {
    assert.equal(
      (await k.fails(asSa(['get', 'pods', '-n', NS, '--as', 'jane']))).trim(),
      `Error from server (Forbidden): users "jane" is forbidden: User "${SA}" cannot impersonate resource "users" in API group "" at the cluster scope`,
    );
    await k.ok(['create', 'clusterrole', 'impersonate-jane', '--verb=impersonate', '--resource=users', '--resource-name=jane']);
    await k.ok(['create', 'clusterrolebinding', 'builder-as-jane', '--clusterrole=impersonate-jane', `--serviceaccount=${NS}:builder`]);
    await untilCan(['impersonate', 'users/jane', '--as', SA]);
    assert.match(await k.ok(asSa(['auth', 'whoami', '--as', 'jane'])), /Username\s+jane\nGroups\s+\[system:authenticated\]/);
    assert.match(await k.fails(asSa(['get', 'pods', '--as', 'joe'])), /users "joe" is forbidden/);
    assert.match(await k.fails(asSa(['get', 'pods', '--as', 'jane', '--as-group', 'system:masters'])), /groups "system:masters" is forbidden: User ".*" cannot impersonate resource "groups"/);
    // Jane herself may do nothing beyond discovery: the request runs as her.
    assert.match(await k.fails(asSa(['get', 'pods', '-n', NS, '--as', 'jane'])), /User "jane" cannot list resource "pods"/);
  });

  it('refuses to let a role or binding grant more than its author holds', async () => {
    await k.ok(['create', 'role', 'rbac-writer', '--verb=create,get,update', '--resource=roles,rolebindings', '-n', NS]);
    await k.ok(['create', 'rolebinding', 'rbac-writer', '--role=rbac-writer', `--serviceaccount=${NS}:builder`, '-n', NS]);
    await untilCan(['create', 'roles', '-n', NS, '--as', SA]);
    const refused = await k.fails(asSa(['create', 'role', 'sneaky', '--verb=get,delete', '--resource=pods,secrets', '-n', NS]));
    assert.equal(
      refused.trim(),
      `Error from server (Forbidden): roles.rbac.authorization.k8s.io "sneaky" is forbidden: user "${SA}" (groups=${SA_GROUPS}) is attempting to grant RBAC permissions not currently held:\n` +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    );
    assert.match(await k.ok(asSa(['create', 'role', 'modest', '--verb=get,list', '--resource=pods', '-n', NS])), /created/);
    const bind = await k.fails(asSa(['create', 'rolebinding', 'grab-admin', '--clusterrole=cluster-admin', `--serviceaccount=${NS}:builder`, '-n', NS]));
    assert.match(bind, /rolebindings.rbac.authorization.k8s.io "grab-admin" is forbidden: user "[^"]+" \(groups=\[.*\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/);
    assert.match(await k.ok(asSa(['create', 'rolebinding', 'modest', '--role=modest', '--user=jane', '-n', NS])), /created/);
  });

  it('aggregates labelled ClusterRoles into view and into a custom aggregated role', async () => {
    await k.ok(['create', 'clusterrole', 'monitoring', '--aggregation-rule=example.com/aggregate-to-monitoring=true']);
    const labelled = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: mesh-gadget-reader
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
    example.com/aggregate-to-monitoring: "true"
rules:
- apiGroups: [gadgets.example.com]
  resources: [gadgets]
  verbs: [get, list, watch]
`;
    await k.ok(['apply', '-f', '-'], labelled);
    for (const role of ['view', 'edit', 'admin', 'monitoring']) {
      let rules = '';
      for (let i = 0; i < 200 && !rules.includes('gadgets.example.com'); i++) {
        rules = await k.ok(['get', 'clusterrole', role, '-o', 'jsonpath={.rules}']);
        if (!rules.includes('gadgets.example.com')) await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(rules, /gadgets\.example\.com/, `${role} picked up the labelled role`);
    }
    await k.ok(['create', 'clusterrolebinding', 'builder-views', '--clusterrole=view', `--serviceaccount=${NS}:builder`]);
    await untilCan(['list', 'configmaps', '-n', 'default', '--as', SA]);
    assert.equal((await k.run(['auth', 'can-i', 'get', 'secrets', '-n', 'default', '--as', SA])).stdout.trim(), 'no', 'view never reads secrets');
  });

  it('writes the audit log at the levels the policy chose', async () => {
    await k.ok(['create', 'configmap', 'audited', '--from-literal=k=v', '-n', NS]);
    await k.ok(['get', 'secret', 'one', '-n', NS, '-o', 'yaml']);
    const text = readFileSync(join(tmp, 'audit.log'), 'utf8');
    assert.ok(!text.includes(SECRET_VALUE) && !text.includes(Buffer.from(SECRET_VALUE).toString('base64')), 'no Secret data at Metadata level');
    assert.ok(!text.includes(token), 'no token value');
    const events = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.ok(events.every((e) => e.kind === 'Event' && e.apiVersion === 'audit.k8s.io/v1' && e.stage !== 'RequestReceived'));
    const secretGets = events.filter((e) => e.objectRef?.resource === 'secrets');
    assert.ok(secretGets.length > 0);
    for (const e of secretGets) {
      assert.equal(e.level, 'Metadata');
      assert.equal(e.requestObject, undefined);
      assert.equal(e.responseObject, undefined);
    }
    const bindingCreate = events.find((e) => e.verb === 'create' && e.objectRef?.resource === 'rolebindings' && e.objectRef?.name === undefined && e.responseStatus?.code === 201);
    assert.ok(bindingCreate, 'rolebinding creation logged');
    assert.equal(bindingCreate.level, 'RequestResponse');
    assert.equal(bindingCreate.requestObject.kind, 'RoleBinding');
    assert.equal(bindingCreate.responseObject.kind, 'RoleBinding');
    assert.equal(bindingCreate.annotations['authorization.k8s.io/decision'], 'allow');
    const refused = events.find((e) => e.objectRef?.resource === 'roles' && e.responseStatus?.code === 403 && e.user.username === SA);
    assert.ok(refused, 'escalation refusal logged');
    assert.equal(refused.responseStatus.reason, 'Forbidden');
    const cm = events.find((e) => e.objectRef?.resource === 'configmaps' && e.verb === 'create')!;
    assert.equal(cm.level, 'Request');
    assert.equal(cm.requestObject.data.k, 'v');
    assert.equal(cm.responseObject, undefined, 'Request level keeps no response body');
    const impersonated = events.find((e) => e.impersonatedUser?.username === 'jane' && e.objectRef?.resource === 'rolebindings');
    assert.equal(impersonated, undefined, 'None-level requests are absent');
    assert.ok(!events.some((e) => e.objectRef?.resource === 'pods'), 'pods fall under level None');
  });
});
