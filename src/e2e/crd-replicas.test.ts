// CRDs on several replicas: two `workplane serve` processes share one etcd.
// A CRD applied through one is served by both (discovery, OpenAPI, reads and
// writes of its objects), a change made through the other reaches the first,
// and deleting it through either removes it everywhere, objects included.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess, writeSecretsKeyFile } from '../testing/server-process.js';
import { startEtcd, type EtcdServer } from '../testing/etcd-server.js';
import { eventually } from './seed-support/processes.js';
import { CERTIFICATE, CERTIFICATE_CRD } from './crd-support/certificate-crd.js';

const NS = 'crd-demo';

describe('CRDs across replicas sharing etcd', () => {
  let etcd: EtcdServer;
  let a: ServerProcess;
  let b: ServerProcess;
  let ka: Kubectl;
  let kb: Kubectl;

  before(async () => {
    etcd = await startEtcd();
    const secretsKeyFile = writeSecretsKeyFile(join(mkdtempSync(join(tmpdir(), 'wp-crd-replicas-')), 'secrets.key'));
    const opts = { storage: 'etcd' as const, etcdEndpoints: etcd.endpoints, etcdPrefix: '/crd-replicas', secretsKeyFile, extraArgs: ['--agent-nodes', '0'] };
    a = await new ServerProcess(opts).start();
    b = await new ServerProcess(opts).start();
    ka = new Kubectl(a);
    kb = new Kubectl(b);
  });

  after(async () => {
    ka?.cleanup();
    kb?.cleanup();
    await a?.cleanup();
    await b?.cleanup();
    await etcd?.stop();
  });

  it('a CRD applied through one replica is served by the other', async () => {
    await ka.ok(['apply', '-f', '-'], CERTIFICATE_CRD);
    await ka.ok(['wait', '--for=condition=Established', '--timeout=30s', 'crd/certificates.pki.example.com']);
    await eventually(async () => assert.match(await kb.ok(['api-resources', '--api-group=pki.example.com']), /^certificates\s+cert,certs\s+pki\.example\.com\/v1\s+true\s+Certificate$/m));
    await kb.ok(['create', 'namespace', NS]);
    assert.match(await kb.ok(['apply', '-f', '-'], CERTIFICATE), /certificate\.pki\.example\.com\/web-tls created/);
    assert.match(await ka.ok(['get', 'cert', '-n', NS]), /^web-tls\s+web-tls\s+\d+s$/m);
    assert.match(await kb.ok(['explain', 'certificates.spec.issuerRef']), /The issuer that signs the certificate\./);
  });

  it('a change to the CRD through the second replica reaches the first (new printer column)', async () => {
    const changed = CERTIFICATE_CRD.replace('    - name: Secret\n', '    - name: CN\n      type: string\n      jsonPath: .spec.commonName\n    - name: Secret\n');
    await kb.ok(['apply', '-f', '-'], changed);
    await eventually(async () => assert.match(await ka.ok(['get', 'cert', '-n', NS]), /^NAME\s+READY\s+CN\s+SECRET\s+AGE\nweb-tls\s+web\.example\.com\s+web-tls\s+\d+s$/m));
  });

  it('deleting it through the first replica removes it, and its objects, from both', async () => {
    await ka.ok(['delete', 'crd', 'certificates.pki.example.com', '--timeout=60s']);
    await eventually(async () => assert.doesNotMatch(await kb.ok(['api-resources']), /pki\.example\.com/));
    assert.match(await kb.fails(['get', '--raw', `/apis/pki.example.com/v1/namespaces/${NS}/certificates`]), /NotFound|could not find/);
    await kb.ok(['apply', '-f', '-'], CERTIFICATE_CRD);
    await kb.ok(['wait', '--for=condition=Established', '--timeout=30s', 'crd/certificates.pki.example.com']);
    await eventually(async () => assert.equal(await ka.ok(['get', 'cert', '-n', NS, '-o', 'name']), ''));
  });
});
