// Who may approve a CertificateSigningRequest, with the real kubectl: as on
// kube, updating certificatesigningrequests/approval is not enough; the user
// also needs `approve` on the signer (resource `signers`, named after the
// signerName or `<domain>/*`), and issuing a certificate through /status
// needs `sign`. An editor cannot approve; the admin (system:masters) can; a
// ServiceAccount can once bound to kube's per-signer approver role.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCertificateAuthority } from '../security/ca.js';
import { createCsr } from '../security/csr.js';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';

const NS = 'csr-rights';
const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

async function csrYaml(name: string, signerName: string): Promise<string> {
  const { csrPem } = await createCsr({ commonName: name, organizations: ['devs'] });
  return JSON.stringify({
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: { request: Buffer.from(csrPem).toString('base64'), signerName, usages: ['digital signature', 'client auth'] },
  });
}

describe('CSR approval rights with kubectl', { timeout: 300_000 }, () => {
  let server: ServerProcess;
  let k: Kubectl;
  const tokens: Record<string, string> = {};
  const as = (sa: string, args: string[]) => ['--token', tokens[sa], ...args];
  const saUser = (sa: string) => `system:serviceaccount:${NS}:${sa}`;

  /** What RBAC answers for `sa` (a SubjectAccessReview: kubectl auth can-i cannot name a signer, whose name holds a slash). */
  async function allowed(sa: string, attrs: Record<string, string>): Promise<boolean> {
    const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: saUser(sa), groups: ['system:serviceaccounts', 'system:authenticated'], resourceAttributes: attrs } };
    return (await k.ok(['create', '-f', '-', '-o', 'jsonpath={.status.allowed}'], JSON.stringify(review))) === 'true';
  }
  /** Bindings reach the authorizer through a watch: wait until it says yes. */
  const untilAllowed = (sa: string, attrs: Record<string, string>) => eventually(async () => assert.ok(await allowed(sa, attrs)), 30_000, 50);
  const signer = (verb: string, name: string) => ({ verb, group: 'certificates.k8s.io', resource: 'signers', name });
  const csrSub = (subresource: string) => ({ verb: 'update', group: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource });
  const conditions = async (name: string) => k.ok(['get', 'csr', name, '-o', 'jsonpath={.status.conditions[*].type}']);

  before(async () => {
    server = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0'] }).start();
    k = new Kubectl(server);
    await k.ok(['create', 'namespace', NS]);
    for (const sa of ['editor', 'approver', 'wildcard', 'issuer']) {
      await k.ok(['create', 'serviceaccount', sa, '-n', NS]);
      tokens[sa] = (await k.ok(['create', 'token', sa, '-n', NS])).trim();
    }
    await k.ok(['create', 'clusterrolebinding', 'editor-edits', '--clusterrole=edit', `--serviceaccount=${NS}:editor`]);
    // Rights on the CSR subresources alone, no signer.
    await k.ok(['create', 'clusterrole', 'csr-approval-writer', '--verb=get,list,watch', '--resource=certificatesigningrequests.certificates.k8s.io']);
    await k.ok(['patch', 'clusterrole', 'csr-approval-writer', '--type=json', '-p', JSON.stringify([
      { op: 'add', path: '/rules/-', value: { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval', 'certificatesigningrequests/status'], verbs: ['update'] } },
    ])]);
    for (const sa of ['approver', 'wildcard', 'issuer']) await k.ok(['create', 'clusterrolebinding', `${sa}-writes-approval`, '--clusterrole=csr-approval-writer', `--serviceaccount=${NS}:${sa}`]);
    await k.ok(['apply', '-f', '-'], await csrYaml('alice', CLIENT_SIGNER));
    await k.ok(['apply', '-f', '-'], await csrYaml('bob', CLIENT_SIGNER));
    await k.ok(['apply', '-f', '-'], await csrYaml('carol', 'example.com/team-signer'));
  });
  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('no default role lets anyone but system:masters approve: an editor cannot', async () => {
    await untilAllowed('editor', { verb: 'create', group: 'apps', resource: 'deployments', namespace: NS });
    assert.equal(await allowed('editor', signer('approve', CLIENT_SIGNER)), false);
    const err = await k.fails(as('editor', ['certificate', 'approve', 'alice']));
    assert.match(err, /is forbidden: User "system:serviceaccount:csr-rights:editor" cannot (get|update) resource "certificatesigningrequests/);
    assert.equal(await conditions('alice'), '');
  });

  it('update on certificatesigningrequests/approval without approve on the signer is refused with kube\'s message', async () => {
    await untilAllowed('approver', csrSub('approval'));
    const err = await k.fails(as('approver', ['certificate', 'approve', 'alice']));
    assert.match(err, new RegExp(`certificatesigningrequests\\.certificates\\.k8s\\.io "alice" is forbidden: user not permitted to approve requests with signerName "${CLIENT_SIGNER}"`));
    assert.match(await k.fails(as('approver', ['certificate', 'deny', 'alice'])), /user not permitted to approve requests/);
    assert.equal(await conditions('alice'), '');
  });

  it('bound to kube\'s per-signer approver role, the same user approves, and the signer issues', async () => {
    await k.ok(['create', 'clusterrolebinding', 'approver-client-signer', '--clusterrole=system:certificates.k8s.io:kube-apiserver-client-approver', `--serviceaccount=${NS}:approver`]);
    await untilAllowed('approver', signer('approve', CLIENT_SIGNER));
    assert.match(await k.ok(as('approver', ['certificate', 'approve', 'alice'])), /certificatesigningrequest\.certificates\.k8s\.io\/alice approved/);
    await eventually(async () => assert.equal(await conditions('alice'), 'Approved'));
    await eventually(async () => assert.notEqual(await k.ok(['get', 'csr', 'alice', '-o', 'jsonpath={.status.certificate}']), ''));
    // The grant names one signer: another signer's request is still refused.
    assert.match(await k.fails(as('approver', ['certificate', 'approve', 'carol'])), /user not permitted to approve requests with signerName "example\.com\/team-signer"/);
  });

  it('approve on `<domain>/*` covers every signer of that domain', async () => {
    // kubectl create clusterrole checks resources against discovery, and signers are not served: apply the role.
    await k.ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'example-approver' },
      rules: [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['example.com/*'], verbs: ['approve'] }],
    }));
    await k.ok(['create', 'clusterrolebinding', 'wildcard-example', '--clusterrole=example-approver', `--serviceaccount=${NS}:wildcard`]);
    await untilAllowed('wildcard', signer('approve', 'example.com/*'));
    assert.equal(await allowed('wildcard', signer('approve', 'example.com/team-signer')), false, 'RBAC alone matches the name exactly');
    assert.match(await k.ok(as('wildcard', ['certificate', 'approve', 'carol'])), /carol approved/);
    assert.match(await k.fails(as('wildcard', ['certificate', 'approve', 'bob'])), /user not permitted to approve requests with signerName "kubernetes\.io\/kube-apiserver-client"/);
  });

  it('writing status.certificate needs sign on the signer; the admin may', async () => {
    await untilAllowed('issuer', csrSub('status'));
    const body = JSON.parse(await k.ok(['get', 'csr', 'carol', '-o', 'json']));
    body.status ??= {};
    body.status.certificate = Buffer.from((await createCertificateAuthority({ commonName: 'self-made' })).certPem).toString('base64');
    const refused = await k.fails(as('issuer', ['replace', '--subresource=status', '-f', '-']), JSON.stringify(body));
    assert.match(refused, /certificatesigningrequests\.certificates\.k8s\.io "carol" is forbidden: user not permitted to sign requests with signerName "example\.com\/team-signer"/);
    // A status write that issues nothing is no signing.
    const certificate = body.status.certificate;
    delete body.status.certificate;
    assert.match(await k.ok(as('issuer', ['replace', '--subresource=status', '-f', '-']), JSON.stringify(body)), /carol replaced/);
    // system:masters signs for any signer.
    assert.match(await k.ok(['replace', '--subresource=status', '-f', '-'], JSON.stringify({ ...body, status: { ...body.status, certificate } })), /carol replaced/);
    assert.notEqual(await k.ok(['get', 'csr', 'carol', '-o', 'jsonpath={.status.certificate}']), '');
  });
});
