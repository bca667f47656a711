import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identitySpecOf } from './identity-spec.js';
import { flowOf, missingWorkloadLabel, renderSpiffeId, renderTrustDomain, SpiffeIdError } from './render.js';
import { dataplane, meshIdentity, seedMeshIdentity } from './testing.js';

const pod = (labels: Record<string, string>) =>
  dataplane('web-1', { 'k8s.kuma.io/namespace': 'shop', 'k8s.kuma.io/service-account': 'web', ...labels }, { namespace: 'shop', pod: true });

test('seed: trust domain example.com, path /workload/{{ .Workload }}', () => {
  const spec = identitySpecOf(seedMeshIdentity());
  const td = renderTrustDomain(spec);
  assert.equal(td, 'example.com');
  assert.equal(renderSpiffeId(spec, td, dataplane('dp-1', { 'kuma.io/workload': 'demo-workload' })), 'spiffe://example.com/workload/demo-workload');
});

test('default trust domain is <mesh>.<zone>.mesh.local, zone `default` unless configured or labelled', () => {
  const mi = meshIdentity('id', { selector: { dataplane: {} } }, { 'kuma.io/mesh': 'payments' });
  assert.equal(renderTrustDomain(identitySpecOf(mi)), 'payments.default.mesh.local');
  assert.equal(renderTrustDomain(identitySpecOf(mi), 'east'), 'payments.east.mesh.local');
  const zoned = meshIdentity('id', {}, { 'kuma.io/zone': 'west' });
  assert.equal(renderTrustDomain(identitySpecOf(zoned), 'east'), 'default.west.mesh.local');
});

test('default path per flow: registered dataplanes /workload/<w>, pods /ns/<ns>/sa/<sa>', () => {
  const spec = identitySpecOf(meshIdentity('id', { selector: { dataplane: {} } }));
  const registered = dataplane('dp', { 'kuma.io/workload': 'api' });
  assert.equal(flowOf(registered), 'registered');
  assert.equal(renderSpiffeId(spec, 'td', registered), 'spiffe://td/workload/api');
  const p = pod({ 'kuma.io/workload': 'web' });
  assert.equal(flowOf(p), 'pod');
  assert.equal(renderSpiffeId(spec, 'td', p), 'spiffe://td/ns/shop/sa/web');
});

test('.TrustDomain and .Namespace render in paths', () => {
  const spec = identitySpecOf(meshIdentity('id', { spiffeID: { path: '/{{ .TrustDomain }}/{{ .Namespace }}' } }));
  assert.equal(renderSpiffeId(spec, 'example.com', dataplane('dp', {}, { namespace: 'team-a' })), 'spiffe://example.com/example.com/team-a');
});

test('label "key" renders the label, and fails naming it when absent', () => {
  const spec = identitySpecOf(meshIdentity('id', { spiffeID: { path: '/app/{{ label "app" }}' } }));
  assert.equal(renderSpiffeId(spec, 'td', dataplane('dp', { app: 'web' })), 'spiffe://td/app/web');
  assert.throws(() => renderSpiffeId(spec, 'td', dataplane('dp', {})), (e) => e instanceof SpiffeIdError && /label "app" not found/.test(e.message));
  const tdSpec = identitySpecOf(meshIdentity('id', { spiffeID: { trustDomain: '{{ label "org" }}.mesh' } }, { org: 'acme' }));
  assert.equal(renderTrustDomain(tdSpec), 'acme.mesh');
  assert.throws(() => renderTrustDomain(identitySpecOf(meshIdentity('id', { spiffeID: { trustDomain: '{{ label "org" }}.mesh' } }))), /label "org" not found/);
});

test('a rendered path that is not a SPIFFE path is refused', () => {
  const spec = identitySpecOf(meshIdentity('id', { spiffeID: { path: '/app/{{ label "app" }}' } }));
  assert.throws(() => renderSpiffeId(spec, 'td', dataplane('dp', { app: 'a b' })), /path segment characters/);
});

test('the connect-time rule: workload in the path and no workload label, with the spec message', () => {
  const seed = identitySpecOf(seedMeshIdentity());
  assert.equal(
    missingWorkloadLabel(seed, dataplane('dp', {})),
    "missing required label 'kuma.io/workload' - dataplane is selected by MeshIdentity 'workload-identity' with path template '/workload/{{ .Workload }}'",
  );
  assert.equal(missingWorkloadLabel(seed, dataplane('dp', { 'kuma.io/workload': 'w' })), undefined);
  const byLabel = identitySpecOf(meshIdentity('lbl', { spiffeID: { path: '/w/{{ label "kuma.io/workload" }}' } }));
  assert.match(missingWorkloadLabel(byLabel, dataplane('dp', {}))!, /MeshIdentity 'lbl' with path template '\/w\/\{\{ label "kuma.io\/workload" \}\}'/);
  const defaults = identitySpecOf(meshIdentity('def', {}));
  assert.match(missingWorkloadLabel(defaults, dataplane('dp', {}))!, /path template '\/workload\/\{\{ \.Workload \}\}'/);
  assert.equal(missingWorkloadLabel(defaults, pod({})), undefined); // pods default to ns/sa
});
