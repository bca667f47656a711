// CustomResourceDefinitions end to end with the real kubectl and
// @kubernetes/client-node: CRDs written in the style of popular operators are
// applied, become Established, and their kinds are served at once (discovery,
// OpenAPI for explain, tables, every verb, subresources, CEL rules, several
// versions); deleting a CRD deletes its objects, ends open watches and drops
// it from discovery. Invalid CRDs get kube's messages.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';
import { CERTIFICATE, CERTIFICATE_CRD } from './crd-support/certificate-crd.js';
import { ROLLOUT, ROLLOUT_CRD } from './crd-support/rollout-crd.js';
import { SERVICE_MONITOR, SERVICE_MONITOR_CRD } from './crd-support/service-monitor-crd.js';

const NS = 'crd-demo';
const CRDS = ['certificates.pki.example.com', 'servicemonitors.monitoring.example.com', 'rollouts.delivery.example.com'];

interface WatchSeen {
  type: string;
  name: string;
  rv: string;
}

describe('CustomResourceDefinitions with kubectl (sqlite)', () => {
  let server: ServerProcess;
  let k: Kubectl;

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--agent-nodes', '0'] }).start();
    k = new Kubectl(server);
    await k.ok(['create', 'namespace', NS]);
  });

  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('kubectl apply of a CRD before it exists: the kind is unknown', async () => {
    const err = await k.fails(['get', 'certificates', '-n', NS]);
    assert.match(err, /the server doesn't have a resource type "certificates"/);
  });

  it('applies three operator-style CRDs; they become Established with their names accepted', async () => {
    for (const crd of [CERTIFICATE_CRD, SERVICE_MONITOR_CRD, ROLLOUT_CRD]) {
      assert.match(await k.ok(['apply', '-f', '-'], crd), /customresourcedefinition\.apiextensions\.k8s\.io\/\S+ created/);
    }
    const waited = await k.ok(['wait', '--for=condition=Established', '--timeout=30s', ...CRDS.map((c) => `crd/${c}`)]);
    assert.equal(waited.match(/condition met/g)?.length, 3, waited);
    const crd = JSON.parse(await k.ok(['get', 'crd', CRDS[0], '-o', 'json']));
    const cond = (t: string) => crd.status.conditions.find((c: { type: string }) => c.type === t);
    assert.deepEqual([cond('NamesAccepted').status, cond('NamesAccepted').reason], ['True', 'NoConflicts']);
    assert.deepEqual([cond('Established').status, cond('Established').reason], ['True', 'InitialNamesAccepted']);
    assert.deepEqual(crd.status.acceptedNames.shortNames, ['cert', 'certs']);
    assert.deepEqual(crd.status.storedVersions, ['v1']);
    assert.deepEqual(crd.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    assert.match(await k.ok(['get', 'crd']), new RegExp(`^${CRDS[0].replace(/\./g, '\\.')}\\s+\\d{4}-\\d\\d-\\d\\dT`, 'm'));
  });

  it('discovery lists the new kinds with their short names and categories', async () => {
    const res = await k.ok(['api-resources']);
    assert.match(res, /^certificates\s+cert,certs\s+pki\.example\.com\/v1\s+true\s+Certificate$/m);
    assert.match(res, /^servicemonitors\s+smon\s+monitoring\.example\.com\/v1\s+true\s+ServiceMonitor$/m);
    assert.match(res, /^rollouts\s+ro\s+delivery\.example\.com\/v1beta1\s+true\s+Rollout$/m, 'the preferred version is v1beta1');
    const legacy = JSON.parse(await k.ok(['get', '--raw', '/apis/delivery.example.com/v1alpha1']));
    assert.deepEqual(legacy.resources.map((r: { name: string }) => r.name).sort(), ['rollouts', 'rollouts/scale', 'rollouts/status']);
    assert.match(await k.ok(['api-resources', '--categories', 'pki', '-o', 'name']), /^certificates\.pki\.example\.com$/m);
  });

  it('kubectl explain reads the CRD schemas (descriptions, nested fields, either version)', async () => {
    const e = await k.ok(['explain', 'certificates.spec.privateKey']);
    assert.match(e, /How the private key is generated\./);
    assert.match(e, /algorithm\s+<string>/);
    assert.match(e, /enum: RSA, ECDSA, Ed25519/);
    const r = await k.ok(['explain', 'rollouts.spec.strategy.blueGreen', '--api-version=delivery.example.com/v1alpha1']);
    assert.match(r, /VERSION:\s+v1alpha1/);
    assert.match(r, /activeService\s+<string> -required-/);
  });

  it('creates instances; defaults land, unknown fields are refused under Strict and pruned otherwise', async () => {
    for (const doc of [CERTIFICATE, SERVICE_MONITOR, ROLLOUT]) assert.match(await k.ok(['apply', '-f', '-'], doc), / created$/m);
    const ro = JSON.parse(await k.ok(['get', 'rollout', 'shop', '-n', NS, '-o', 'json']));
    assert.equal(ro.spec.revisionHistoryLimit, 10);
    assert.equal(ro.spec.strategy.canary.maxSurge, '25%', 'int-or-string default');
    assert.equal(ro.spec.strategy.canary.maxUnavailable, 1);
    assert.equal(ro.spec.strategy.canary.steps[3].pause.duration, 30);
    assert.equal(ro.spec.analysisTemplate.kind, 'AnalysisTemplate', 'embedded resource kept');
    const sm = JSON.parse(await k.ok(['get', 'smon', 'web', '-n', NS, '-o', 'json']));
    assert.deepEqual(sm.spec.endpoints.map((e: { path: string; scheme: string }) => [e.path, e.scheme]), [['/metrics', 'http'], ['/metrics', 'https']]);
    assert.equal(sm.spec.endpoints[0].relabelings[0].action, 'replace');
    assert.deepEqual(sm.spec.endpoints[1].tlsConfig.ca, { secret: { name: 'ca', key: 'ca.crt' } }, 'x-kubernetes-preserve-unknown-fields');

    const extra = CERTIFICATE.replace('name: web-tls\n  namespace', 'name: extra\n  namespace').replace('  secretName: web-tls', '  secretName: extra\n  colour: blue');
    assert.match(await k.fails(['apply', '-f', '-'], extra), /Certificate in version "v1" cannot be handled as a Certificate: strict decoding error: unknown field "spec.colour"/);
    assert.match(await k.ok(['apply', '--validate=false', '-f', '-'], extra), /certificate\.pki\.example\.com\/extra created/);
    assert.equal(await k.ok(['get', 'cert', 'extra', '-n', NS, '-o', 'jsonpath={.spec.colour}']), '');
  });

  it('kubectl get prints the printer columns (wide ones with -o wide), or the age when a CRD has none', async () => {
    const t = await k.ok(['get', 'certificates', '-n', NS]);
    assert.match(t, /^NAME\s+READY\s+SECRET\s+AGE$/m);
    assert.match(t, /^web-tls\s+web-tls\s+\d+s$/m);
    const wide = await k.ok(['get', 'cert', 'web-tls', '-n', NS, '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+SECRET\s+ISSUER\s+STATUS\s+AGE$/m);
    assert.match(await k.ok(['get', 'smon', '-n', NS]), /^NAME\s+AGE\nweb\s+\d+s$/m);
    assert.match(await k.ok(['get', 'ro', '-n', NS]), /^NAME\s+DESIRED\s+CURRENT\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nshop\s+3\s+/m);
  });

  it('status is written through /status only, and condition columns follow it', async () => {
    const st = '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Issued","message":"Certificate is up to date"}]}}';
    assert.match(await k.ok(['patch', 'cert', 'web-tls', '-n', NS, '--subresource=status', '--type=merge', '-p', st]), /patched/);
    assert.match(await k.ok(['get', 'cert', 'web-tls', '-n', NS, '-o', 'wide']), /^web-tls\s+True\s+web-tls\s+letsencrypt\s+Certificate is up to date\s+\d+s$/m);
    const before = JSON.parse(await k.ok(['get', 'cert', 'web-tls', '-n', NS, '-o', 'json']));
    await k.ok(['patch', 'cert', 'web-tls', '-n', NS, '--type=merge', '-p', '{"status":{"conditions":[]},"spec":{"isCA":true}}']);
    const after = JSON.parse(await k.ok(['get', 'cert', 'web-tls', '-n', NS, '-o', 'json']));
    assert.deepEqual(after.status, before.status, 'a main-resource write keeps status');
    assert.equal(after.metadata.generation, before.metadata.generation + 1);
  });

  it('describe shows the object and its (empty) events', async () => {
    const d = await k.ok(['describe', 'certificate', 'web-tls', '-n', NS]);
    assert.match(d, /^Name:\s+web-tls$/m);
    assert.match(d, /^API Version:\s+pki\.example\.com\/v1$/m);
    assert.match(d, /Common Name:\s+web\.example\.com/);
    assert.match(d, /^Events:\s+<none>$/m);
  });

  it('patch: merge and JSON patch work, strategic merge gets 415 as on kube', async () => {
    assert.match(await k.ok(['patch', 'smon', 'web', '-n', NS, '--type=merge', '-p', '{"spec":{"jobLabel":"app"}}']), /patched/);
    assert.match(await k.ok(['patch', 'smon', 'web', '-n', NS, '--type=json', '-p', '[{"op":"add","path":"/spec/sampleLimit","value":5000}]']), /patched/);
    const sm = JSON.parse(await k.ok(['get', 'smon', 'web', '-n', NS, '-o', 'json']));
    assert.deepEqual([sm.spec.jobLabel, sm.spec.sampleLimit], ['app', 5000]);
    const smp = await k.fails(['patch', 'smon', 'web', '-n', NS, '-p', '{"spec":{"jobLabel":"x"}}']);
    assert.match(smp, /application\/strategic-merge-patch\+json is not supported by monitoring\.example\.com\/v1, Kind=ServiceMonitor/);
  });

  it('server-side apply merges a map list per key across managers and reports conflicts', async () => {
    const base = (manager: string, body: string) =>
      k.ok(['apply', '--server-side', `--field-manager=${manager}`, '-f', '-'], `apiVersion: pki.example.com/v1\nkind: Certificate\nmetadata: {name: api-tls, namespace: ${NS}}\nspec:\n${body}`);
    await base('team-a', '  secretName: api-tls\n  commonName: api.example.com\n  issuerRef: {name: letsencrypt}\n  additionalOutputFormats:\n  - {type: DER, key: tls.der}\n');
    await base('team-b', '  additionalOutputFormats:\n  - {type: CombinedPEM, key: combined.pem}\n');
    const formats = JSON.parse(await k.ok(['get', 'cert', 'api-tls', '-n', NS, '-o', 'jsonpath={.spec.additionalOutputFormats}']));
    assert.deepEqual(formats, [{ type: 'DER', key: 'tls.der' }, { type: 'CombinedPEM', key: 'combined.pem' }]);
    const conflict = await k.fails(
      ['apply', '--server-side', '--field-manager=team-b', '-f', '-'],
      `apiVersion: pki.example.com/v1\nkind: Certificate\nmetadata: {name: api-tls, namespace: ${NS}}\nspec:\n  commonName: other.example.com\n`,
    );
    assert.match(conflict, /Apply failed with 1 conflict: conflict with "team-a": \.spec\.commonName/);
    // team-a drops its entry: only team-b's remains.
    await base('team-a', '  secretName: api-tls\n  commonName: api.example.com\n  issuerRef: {name: letsencrypt}\n');
    const left = JSON.parse(await k.ok(['get', 'cert', 'api-tls', '-n', NS, '-o', 'jsonpath={.spec.additionalOutputFormats}']));
    assert.deepEqual(left, [{ type: 'CombinedPEM', key: 'combined.pem' }]);
  });

  it('CEL rules refuse bad input with kube messages (message, messageExpression, fieldPath, reason, transition rules)', async () => {
    const p = (kind: string, name: string, patch: string) => k.fails(['patch', kind, name, '-n', NS, '--type=merge', '-p', patch]);
    assert.match(
      await p('cert', 'web-tls', '{"spec":{"privateKey":{"algorithm":"Ed25519"}}}'),
      /The Certificate "web-tls" is invalid: spec\.privateKey: Invalid value: "object": size must not be set for Ed25519 keys/,
    );
    assert.match(
      await p('cert', 'web-tls', '{"spec":{"privateKey":{"algorithm":"RSA","size":1024}}}'),
      /spec\.privateKey\.size: Invalid value: "object": RSA keys must be at least 2048 bits, got 1024/,
    );
    assert.match(
      await p('cert', 'web-tls', '{"spec":{"renewBefore":"720h","renewBeforePercentage":30}}'),
      /spec\.renewBeforePercentage: Forbidden: renewBefore and renewBeforePercentage are mutually exclusive/,
    );
    assert.match(await p('ro', 'shop', '{"spec":{"replicas":200}}'), /spec\.replicas: Invalid value: "object": replicas 200 exceeds the limit of 100/);
    assert.match(await p('ro', 'shop', '{"spec":{"selector":{"matchLabels":{"app":"other"}}}}'), /spec\.selector: Invalid value: "object": selector is immutable/);
    assert.match(
      await p('ro', 'shop', '{"spec":{"strategy":{"blueGreen":{"activeService":"shop"}}}}'),
      /spec\.strategy: Invalid value: "object": exactly one of canary or blueGreen must be set/,
    );
    const noName = CERTIFICATE.replace('name: web-tls\n  namespace', 'name: nameless\n  namespace').replace(/  commonName: .*\n  dnsNames: .*\n/, '');
    assert.match(await k.fails(['apply', '-f', '-'], noName), /The Certificate "nameless" is invalid: spec: Invalid value: "object": at least one of commonName, dnsNames or uris must be set/);
    // Schema checks come in kube's words too.
    assert.match(await p('ro', 'shop', '{"spec":{"replicas":"many"}}'), /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);
    assert.match(await p('cert', 'web-tls', '{"spec":{"privateKey":{"algorithm":"DSA"}}}'), /spec\.privateKey\.algorithm: Unsupported value: "DSA": supported values: "RSA", "ECDSA", "Ed25519"/);
    assert.match(await p('smon', 'web', '{"spec":{"endpoints":[{"path":"/m"}]}}'), /spec\.endpoints\[0\]: Invalid value: "object": one of port or targetPort is required/);
  });

  it('scale subresource: kubectl scale writes spec.replicas; both versions show the same object', async () => {
    assert.match(await k.ok(['scale', 'rollout', 'shop', '-n', NS, '--replicas=5']), /rollout\.delivery\.example\.com\/shop scaled/);
    const scale = JSON.parse(await k.ok(['get', '--raw', `/apis/delivery.example.com/v1alpha1/namespaces/${NS}/rollouts/shop/scale`]));
    assert.deepEqual([scale.kind, scale.apiVersion, scale.spec.replicas], ['Scale', 'autoscaling/v1', 5]);
    assert.equal(await k.ok(['get', 'rollouts.v1beta1.delivery.example.com', 'shop', '-n', NS, '-o', 'jsonpath={.apiVersion} {.spec.replicas}']), 'delivery.example.com/v1beta1 5');
    assert.equal(await k.ok(['get', 'rollouts.v1alpha1.delivery.example.com', 'shop', '-n', NS, '-o', 'jsonpath={.apiVersion} {.spec.replicas}']), 'delivery.example.com/v1alpha1 5');
    assert.match(await k.fails(['scale', 'smon', 'web', '-n', NS, '--replicas=2']), /servicemonitors\.monitoring\.example\.com "web" not found|the server could not find the requested resource/);
  });

  it('refuses invalid CRDs with kube messages', async () => {
    const crd = (name: string, spec: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: ${name}}\nspec:\n${spec}`;
    const names = '  group: bad.example.com\n  scope: Namespaced\n  names: {plural: gadgets, singular: gadget, kind: Gadget}\n';
    const version = (schema: string, storage = true) => `  - name: v1\n    served: true\n    storage: ${storage}\n    schema:\n      openAPIV3Schema:\n${schema}`;
    const nonStructural = await k.fails(['apply', '-f', '-'], crd('gadgets.bad.example.com', `${names}  versions:\n${version('        type: object\n        properties:\n          spec:\n            properties:\n              size: {type: integer}\n')}`));
    assert.match(nonStructural, /The CustomResourceDefinition "gadgets\.bad\.example\.com" is invalid: spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.type: Required value: must not be empty for specified object fields/);
    const wrongName = await k.fails(['apply', '-f', '-'], crd('gizmos.bad.example.com', `${names}  versions:\n${version('        type: object\n')}`));
    assert.match(wrongName, /metadata\.name: Invalid value: "gizmos\.bad\.example\.com": must be spec\.names\.plural\+"\."\+spec\.group/);
    const noSchema = await k.fails(['apply', '-f', '-'], crd('gadgets.bad.example.com', `${names}  versions:\n  - {name: v1, served: true, storage: true}\n`));
    assert.match(noSchema, /spec\.versions\[0\]\.schema\.openAPIV3Schema: Required value: schemas are required/);
    const twoStorage = await k.fails(['apply', '-f', '-'], crd('gadgets.bad.example.com', `${names}  versions:\n${version('        type: object\n')}${version('        type: object\n').replace('name: v1', 'name: v2')}`));
    assert.match(twoStorage, /spec\.versions: Invalid value: .*: must have exactly one version marked as storage version/);
    const badCel = await k.fails(['apply', '-f', '-'], crd('gadgets.bad.example.com', `${names}  versions:\n${version('        type: object\n        x-kubernetes-validations:\n        - rule: "self.spec.size >"\n')}`));
    assert.match(badCel, /spec\.versions\[0\]\.schema\.openAPIV3Schema\.x-kubernetes-validations\[0\]\.rule: Invalid value: "self\.spec\.size >": compilation failed/);
    const badGroup = await k.fails(['apply', '-f', '-'], crd('gadgets.bad', names.replace('bad.example.com', 'bad').replace('gadgets.bad.example.com', 'gadgets.bad') + `  versions:\n${version('        type: object\n')}`));
    assert.match(badGroup, /spec\.group: Invalid value: "bad": should be a domain with at least one dot/);
    assert.match(await k.ok(['get', 'crd', '-o', 'name']), /^(?![\s\S]*bad\.example\.com)/, 'nothing half-written');
  });

  it('a CRD whose names another CRD of the group already uses is not established', async () => {
    const clash = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: certificaterequests.pki.example.com}\nspec:\n  group: pki.example.com\n  scope: Namespaced\n  names: {plural: certificaterequests, singular: certificaterequest, kind: CertificateRequest, shortNames: [cert]}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n`;
    await k.ok(['apply', '-f', '-'], clash);
    const status = await eventually(async () => {
      const s = JSON.parse(await k.ok(['get', 'crd', 'certificaterequests.pki.example.com', '-o', 'jsonpath={.status}']));
      assert.ok(s.conditions?.length);
      return s;
    });
    const cond = (t: string) => status.conditions.find((c: { type: string }) => c.type === t);
    assert.deepEqual([cond('NamesAccepted').status, cond('NamesAccepted').reason, cond('NamesAccepted').message], ['False', 'ShortNamesConflict', '"cert" is already in use']);
    assert.deepEqual([cond('Established').status, cond('Established').reason], ['False', 'NotAccepted']);
    assert.doesNotMatch(await k.ok(['api-resources']), /certificaterequests/);
    // Fixing the names establishes it.
    await k.ok(['apply', '-f', '-'], clash.replace('shortNames: [cert]', 'shortNames: [cr]'));
    await k.ok(['wait', '--for=condition=Established', '--timeout=30s', 'crd/certificaterequests.pki.example.com']);
    await k.ok(['delete', 'crd', 'certificaterequests.pki.example.com']);
  });

  it('garbage collection follows owner references to and from custom resources', async () => {
    await k.ok(['apply', '-f', '-'], CERTIFICATE.replace('name: web-tls\n  namespace', 'name: owner\n  namespace'));
    const uid = await k.ok(['get', 'cert', 'owner', '-n', NS, '-o', 'jsonpath={.metadata.uid}']);
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\n  namespace: ${NS}\n  ownerReferences:\n  - {apiVersion: pki.example.com/v1, kind: Certificate, name: owner, uid: ${uid}}\ndata: {a: b}\n`;
    await k.ok(['apply', '-f', '-'], cm);
    await k.ok(['delete', 'cert', 'owner', '-n', NS]);
    await eventually(async () => assert.match(await k.fails(['get', 'configmap', 'owned', '-n', NS]), /not found/));
  });

  it('a client-node watch sees creates, updates and deletes of a CRD kind, and ends cleanly when the CRD goes', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    const seen: WatchSeen[] = [];
    let ended: unknown = 'open';
    const req = await new Watch(kc).watch(
      `/apis/monitoring.example.com/v1/namespaces/${NS}/servicemonitors`,
      { resourceVersion: '0' },
      (type: string, obj: { metadata: { name: string; resourceVersion: string } }) => seen.push({ type, name: obj.metadata.name, rv: obj.metadata.resourceVersion }),
      (err: unknown) => (ended = err ?? null),
    );
    try {
      await eventually(async () => assert.ok(seen.some((e) => e.type === 'ADDED' && e.name === 'web')));
      await k.ok(['apply', '-f', '-'], SERVICE_MONITOR.replace('name: web\n', 'name: api\n'));
      await k.ok(['label', 'smon', 'api', '-n', NS, 'tier=backend']);
      await k.ok(['delete', 'smon', 'api', '-n', NS]);
      await eventually(async () => assert.deepEqual(seen.filter((e) => e.name === 'api').map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']));
      // Deleting the CRD deletes `web` (a DELETED event), then ends the stream.
      await k.ok(['delete', 'crd', 'servicemonitors.monitoring.example.com', '--timeout=60s']);
      await eventually(async () => assert.ok(seen.some((e) => e.type === 'DELETED' && e.name === 'web'), JSON.stringify(seen)));
      await eventually(async () => assert.notEqual(ended, 'open'), 30_000);
      assert.ok(ended === null || ended === undefined, `watch ended with ${String(ended)}`);
    } finally {
      req.abort();
    }
  });

  it('deleting a CRD deletes its objects and its discovery entries', async () => {
    assert.match(await k.ok(['get', 'certificates', '-n', NS, '-o', 'name']), /extra[\s\S]*web-tls|web-tls/);
    assert.match(await k.ok(['delete', 'crd', 'certificates.pki.example.com', '--timeout=60s']), /deleted/);
    assert.doesNotMatch(await k.ok(['get', 'crd', '-o', 'name']), /certificates\.pki\.example\.com/);
    const res = await k.ok(['api-resources']);
    assert.doesNotMatch(res, /pki\.example\.com/);
    assert.doesNotMatch(res, /servicemonitors/);
    assert.match(await k.fails(['get', '--raw', '/apis/pki.example.com/v1']), /NotFound|could not find the requested resource/);
    // Recreating the CRD shows none of the old objects: they were deleted, not hidden.
    await k.ok(['apply', '-f', '-'], CERTIFICATE_CRD);
    await k.ok(['wait', '--for=condition=Established', '--timeout=30s', 'crd/certificates.pki.example.com']);
    await eventually(async () => assert.equal(await k.ok(['get', 'certificates', '-n', NS, '-o', 'name']), ''));
  });

  it('CRDs and their objects survive a restart of the server', async () => {
    await k.ok(['apply', '-f', '-'], CERTIFICATE);
    await server.stop();
    await server.restart();
    assert.match(await k.ok(['get', 'cert', 'web-tls', '-n', NS]), /^web-tls\s+web-tls\s+\d+s$/m);
    assert.equal(await k.ok(['get', 'ro', 'shop', '-n', NS, '-o', 'jsonpath={.spec.replicas}']), '5');
  });
});
