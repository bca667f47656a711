// certificates.k8s.io end to end with the real kubectl: a CSR is recorded
// with its requester, `kubectl certificate approve` lets the signer issue a
// certificate the API server then accepts as a client credential; node
// certificate requests are approved only for bootstrap credentials or the
// node itself, and a node may request certificates only for its own name.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import { HttpClient } from '../client/http-client.js';
import { eventually } from '../client/testing.js';
import { createCertificateAuthority } from '../security/ca.js';
import { ClusterSigner } from '../security/cluster-signer.js';
import { createCsr } from '../security/csr.js';
import { TokenIssuer } from '../security/token-issuer.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { serveOptions } from './options.js';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const CSRS = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
type Obj = Record<string, unknown>;
const status = (c: KObject | undefined) => (c?.status ?? {}) as { certificate?: string; conditions?: { type: string; reason?: string; message?: string }[] };

describe('CertificateSigningRequests', () => {
  let dir: string;
  let cp: ControlPlane;
  let admin: HttpClient;
  const kubectl = (...a: string[]) => promisify(execFile)(KUBECTL, ['--kubeconfig', cp.kubeconfigPath, '--cache-dir', join(dir, 'kube-cache'), ...a]);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'workplane-csr-'));
    cp = await startControlPlane(serveOptions({ dataDir: join(dir, 'data'), logLevel: 'silent' }));
    admin = await HttpClient.fromKubeconfig(cp.kubeconfigPath);
  });
  after(async () => {
    admin?.close();
    await cp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function submit(client: HttpClient, name: string, subject: Parameters<typeof createCsr>[0], signerName: string, usages: string[]) {
    const { csrPem, keyPem } = await createCsr(subject);
    await client.resource(CSRS).create(undefined, { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec: { request: Buffer.from(csrPem).toString('base64'), signerName, usages, username: 'forged', groups: ['system:masters'] } });
    return keyPem;
  }
  const issued = async (name: string) => {
    let cert = '';
    await eventually(async () => !!(cert = status(await admin.resource(CSRS).get(undefined, name)).certificate ?? ''), `${name} issued`);
    return Buffer.from(cert, 'base64').toString('utf8');
  };

  it('records the requester, waits for kubectl certificate approve, then issues a client certificate the API accepts', async () => {
    const keyPem = await submit(admin, 'alice', { commonName: 'alice', organizations: ['devs'] }, 'kubernetes.io/kube-apiserver-client', ['digital signature', 'client auth']);
    const csr = (await admin.resource(CSRS).get(undefined, 'alice'))!;
    assert.equal((csr.spec as Obj).username, 'admin', 'the requester comes from authentication, not the body');
    assert.deepEqual((csr.spec as Obj).groups, ['system:masters', 'system:authenticated']);
    assert.match((await kubectl('get', 'csr', 'alice')).stdout, /alice\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+admin\s+.*Pending/);
    assert.equal(status(csr).certificate, undefined, 'not auto-approved');

    await kubectl('certificate', 'approve', 'alice');
    const certPem = await issued('alice');
    assert.match((await kubectl('get', 'csr', 'alice')).stdout, /Approved,Issued/);
    const asAlice = await HttpClient.connect({ server: cp.url, caPem: cp.caPem, certPem, keyPem });
    try {
      // The certificate proves CN = user and O = groups (what `kubectl auth whoami` asks).
      const { body } = await asAlice.transport.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
      const review = body as { status: { userInfo: { username: string; groups: string[] } } };
      assert.equal(review.status.userInfo.username, 'alice');
      assert.deepEqual(review.status.userInfo.groups, ['devs', 'system:authenticated']);
    } finally {
      asAlice.close();
    }
    // A certificate of another CA proves nothing.
    const other = await createCertificateAuthority({ commonName: 'other' });
    const forged = await new ClusterSigner(other.certPem, other.keyPem).issueClientCert('admin', ['system:masters'], 3600);
    await assert.rejects(HttpClient.connect({ server: cp.url, caPem: cp.caPem, ...forged }), (e: ApiError) => e.code === 401);
  });

  it('keeps a verdict: approving a denied request is refused', async () => {
    await submit(admin, 'bob', { commonName: 'bob' }, 'kubernetes.io/kube-apiserver-client', ['client auth']);
    await kubectl('certificate', 'deny', 'bob');
    const err = await kubectl('certificate', 'approve', 'bob').then(() => '', (e: { stderr: string }) => e.stderr);
    assert.match(err, /certificate signing request "bob" is already Denied/);
    // The server holds the line too, whatever the client.
    const csr = (await admin.resource(CSRS).get(undefined, 'bob'))!;
    const put = (conditions: unknown[]) =>
      admin.transport.request('PUT', '/apis/certificates.k8s.io/v1/certificatesigningrequests/bob/approval', { body: { ...csr, status: { conditions } } });
    await assert.rejects(put([{ type: 'Approved', status: 'True' }]), /may not remove a condition of type "Denied"/);
    await assert.rejects(put([...status(csr).conditions!, { type: 'Approved', status: 'True' }]), /Approved and Denied conditions are mutually exclusive/);
  });

  it('auto-approves node client certificates for bootstrap credentials only, and a node only for its own name', async () => {
    const nodeKey = await submit(admin, 'n1-client', { commonName: 'system:node:n1', organizations: ['system:nodes'] }, 'kubernetes.io/kube-apiserver-client-kubelet', ['digital signature', 'client auth']);
    const approved = status(await admin.resource(CSRS).get(undefined, 'n1-client'));
    const certPem = await issued('n1-client');
    assert.equal(status(await admin.resource(CSRS).get(undefined, 'n1-client')).conditions?.[0]?.reason ?? approved.conditions?.[0]?.reason, 'AutoApproved');

    // A ServiceAccount is no bootstrap credential: its node request waits for a person.
    await admin.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }).create('default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'joiner' } });
    const sa = (await admin.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }).get('default', 'joiner'))!;
    // RBAC lets it ask (as kubeadm lets bootstrappers); only approval is in question.
    await admin.resource({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' }).create(undefined, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'joiner-csr' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-bootstrapper' },
      subjects: [{ kind: 'ServiceAccount', name: 'joiner', namespace: 'default' }],
    });
    await eventually(async () => cp.authorizer.authorize({ user: { username: 'system:serviceaccount:default:joiner', groups: [] }, verb: 'create', resourceRequest: true, apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests' }).decision === 'allow', 'binding in effect');
    const token = await (await TokenIssuer.loadOrCreate(join(dir, 'data'))).issue({ namespace: 'default', serviceAccount: 'joiner', uid: sa.metadata.uid!, expirationSeconds: 600 });
    const asSa = await HttpClient.connect({ server: cp.url, caPem: cp.caPem, token: token.token });
    try {
      await submit(asSa, 'sneaky', { commonName: 'system:node:n2', organizations: ['system:nodes'] }, 'kubernetes.io/kube-apiserver-client-kubelet', ['digital signature', 'client auth']);
    } finally {
      asSa.close();
    }

    const asNode = await HttpClient.connect({ server: cp.url, caPem: cp.caPem, certPem, keyPem: nodeKey });
    try {
      // Its own serving certificate: approved, because the node itself asks.
      await submit(asNode, 'n1-serving', { commonName: 'system:node:n1', organizations: ['system:nodes'], hosts: ['127.0.0.1'] }, 'kubernetes.io/kubelet-serving', ['digital signature', 'server auth']);
      await issued('n1-serving');
      // Another node's name: refused by NodeRestriction.
      await assert.rejects(
        submit(asNode, 'n1-as-n3', { commonName: 'system:node:n3', organizations: ['system:nodes'] }, 'kubernetes.io/kube-apiserver-client-kubelet', ['client auth']),
        (e: ApiError) => e.code === 403 && /can only create a node CSR with CN=system:node:n1/.test(e.message),
      );
      // A node may not approve anything.
      await assert.rejects(asNode.resource(CSRS).update(undefined, (await admin.resource(CSRS).get(undefined, 'sneaky'))!, { subresource: 'approval' }), (e: ApiError) => e.code === 403);
      // Nor get a token for a pod that is not bound to it.
      await admin.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'far' }, spec: { nodeName: 'n9', serviceAccountName: 'joiner', containers: [{ name: 'c', image: 'x' }] } });
      const pod = (await admin.resource(PODS).get('default', 'far'))!;
      await assert.rejects(
        asNode.transport.request('POST', '/api/v1/namespaces/default/serviceaccounts/joiner/token', { body: { spec: { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'far', uid: pod.metadata.uid } } } }),
        (e: ApiError) => e.code === 403,
      );
    } finally {
      asNode.close();
    }
    assert.equal(status(await admin.resource(CSRS).get(undefined, 'sneaky')).certificate, undefined, 'still pending');
  });
});
