// Seed 000's identityRef form of MeshIdentity through a real registry:
// converted on create, both forms kept in step on update, conflicts and bad
// values refused with the field the user wrote.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../core/index.js';
import type { ApiError } from '../errors.js';
import type { KObject } from '../object.js';
import { startTestApi, type TestApi } from '../../client/testing.js';
import { kumaDefinitions } from './index.js';

const MIDS = { group: 'kuma.io', version: 'v1alpha1', resource: 'meshidentities' };
const NS = 'kuma-system';

/** Seed 000's MeshIdentity, as its YAML reads. */
const seed000 = (name = 'workload-identity'): KObject => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'MeshIdentity',
  metadata: { name, namespace: NS, labels: { 'kuma.io/mesh': 'default' } },
  spec: {
    type: 'spiffe',
    identityRef: { type: 'workload', tags: { 'kuma.io/workload': 'demo-workload' } },
    config: { trustDomain: 'example.com', path: { template: '/workload/{{ .Workload }}' } },
  },
});

type Spec = Record<string, any>;
const specOf = (o: KObject) => o.spec as Spec;

describe('MeshIdentity identityRef form (seed 000)', () => {
  let api: TestApi;
  const mids = () => api.client.resource(MIDS);
  const invalid = (p: Promise<unknown>, re: RegExp) =>
    assert.rejects(p, (e: ApiError) => {
      assert.equal(e.code, 422);
      assert.match(e.message, re);
      return true;
    });

  before(async () => {
    api = await startTestApi([...coreDefinitions, ...kumaDefinitions]);
    await api.client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  after(() => api.close());

  it("is converted on create into Kuma's fields, keeping what the user wrote", async () => {
    const mi = await mids().create(NS, seed000());
    const spec = specOf(mi);
    assert.equal(spec.type, 'spiffe');
    assert.deepEqual(spec.identityRef, { type: 'workload', tags: { 'kuma.io/workload': 'demo-workload' } });
    assert.deepEqual(spec.config, { trustDomain: 'example.com', path: { template: '/workload/{{ .Workload }}' } });
    assert.deepEqual(spec.selector, { dataplane: { matchLabels: { 'kuma.io/workload': 'demo-workload' } } });
    assert.deepEqual(spec.spiffeID, { trustDomain: 'example.com', path: '/workload/{{ .Workload }}' });
    assert.deepEqual(spec.provider, {
      type: 'Bundled',
      bundled: { meshTrustCreation: 'Enabled', insecureAllowSelfSigned: true, autogenerate: { enabled: true }, certificateParameters: { expiry: '24h' } },
    });
  });

  it('keeps both forms in step whichever one an update changes', async () => {
    await mids().patch(NS, 'workload-identity', 'merge', { spec: { config: { path: { template: '/ns/{{ .Namespace }}/w/{{ .Workload }}' } } } });
    let spec = specOf((await mids().get(NS, 'workload-identity'))!);
    assert.equal(spec.spiffeID.path, '/ns/{{ .Namespace }}/w/{{ .Workload }}', 'the identityRef form changed: Kuma field follows');
    await mids().patch(NS, 'workload-identity', 'merge', { spec: { spiffeID: { trustDomain: 'corp.example' }, selector: { dataplane: { matchLabels: { app: 'web' } } } } });
    spec = specOf((await mids().get(NS, 'workload-identity'))!);
    assert.equal(spec.config.trustDomain, 'corp.example', 'the Kuma field changed: the identityRef form follows');
    assert.deepEqual(spec.identityRef.tags, { 'kuma.io/workload': 'demo-workload', app: 'web' }, 'a merge patch merges the labels');
    await mids().patch(NS, 'workload-identity', 'merge', { spec: { config: { trustDomain: null } } });
    spec = specOf((await mids().get(NS, 'workload-identity'))!);
    assert.equal(spec.spiffeID.trustDomain, undefined, 'removing the field removes its twin (the default trust domain applies)');
  });

  it('a replace with the same identityRef manifest keeps the spec as it was', async () => {
    const before = (await mids().create(NS, seed000('again')))!;
    const after = await mids().update(NS, { ...seed000('again'), metadata: { ...seed000('again').metadata, resourceVersion: before.metadata.resourceVersion } });
    assert.deepEqual(after.spec, before.spec, 'both forms kept, nothing changed');
  });

  it('refuses the two forms disagreeing, naming the field the user wrote', async () => {
    const mi = seed000('conflict');
    specOf(mi).spiffeID = { trustDomain: 'other.example' };
    await invalid(mids().create(NS, mi), /spec\.config\.trustDomain: Invalid value: "example\.com": must equal spec\.spiffeID\.trustDomain \("other\.example"\) when both are given/);
  });

  it('reports template and tag errors at the identityRef field', async () => {
    const mi = seed000('bad-template');
    specOf(mi).config.path.template = '/w/{{ .Name }}';
    await invalid(mids().create(NS, mi), /spec\.config\.path\.template: Invalid value: "\/w\/\{\{ \.Name \}\}": couldn't parse template/);
    const tags = seed000('bad-tags');
    specOf(tags).identityRef.tags = { 'bad key!': 'x' };
    await invalid(mids().create(NS, tags), /spec\.identityRef\.tags: Invalid value: "bad key!"/);
  });

  it('refuses values the form does not know', async () => {
    const t = seed000('bad-type');
    specOf(t).type = 'x509';
    await invalid(mids().create(NS, t), /spec\.type: Unsupported value: "x509": supported values: "spiffe"/);
    const r = seed000('bad-ref');
    specOf(r).identityRef.type = 'service';
    await invalid(mids().create(NS, r), /spec\.identityRef\.type: Unsupported value: "service": supported values: "workload"/);
  });

  it('keeps a provider the user gave and ignores status on create', async () => {
    const mi = seed000('with-provider');
    specOf(mi).provider = { type: 'Spire', spire: {} };
    mi.status = { conditions: [{ type: 'Ready', status: 'True' }] };
    const created = await mids().create(NS, mi);
    assert.equal(specOf(created).provider.type, 'Spire');
    assert.equal(created.status, undefined);
  });
});
