// MeshTrust: required fields, bundle checks, columns.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableRow } from '../../apiserver/table.js';
import { compileDefinition } from '../../registry/compiled-definition.js';
import { validateObject } from '../../registry/write-pipeline.js';
import type { OperationContext } from '../definition.js';
import { fieldErrorBody } from '../errors.js';
import type { KObject } from '../object.js';
import { isPemCertificate, meshTrustDefinition, validateMeshTrust } from './mesh-trust.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const cd = compileDefinition(meshTrustDefinition);
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIRAK==\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB==\n-----END EC PRIVATE KEY-----\n';

const trust = (spec: Record<string, unknown>): KObject => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'MeshTrust',
  metadata: { name: 'workload-identity', namespace: 'kuma-system', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec,
});
const render = (spec: Record<string, unknown>) => validateMeshTrust(trust(spec)).map((e) => `${e.field}: ${fieldErrorBody(e)}`);

describe('mesh trust', () => {
  it('accepts PEM certificates and prints its columns', () => {
    const mt = trust({ trustDomain: 'example.com', caBundles: [{ type: 'Pem', pem: { value: CERT } }, { type: 'Pem', pem: { value: CERT } }], origin: { kri: 'kri_mid_default__kuma-system_workload-identity_' } });
    assert.doesNotThrow(() => validateObject(cd, mt, undefined, ctx));
    assert.deepEqual(tableRow(cd, mt, 'None', Date.parse('2024-01-01T00:05:00Z')).cells, ['workload-identity', 'example.com', 2, '5m']);
  });

  it('requires spec, trust domain and bundles', () => {
    assert.throws(() => validateObject(cd, { metadata: { name: 't', namespace: 'kuma-system' } }, undefined, ctx), { message: 'MeshTrust.kuma.io "t" is invalid: spec: Required value' });
    assert.throws(() => validateObject(cd, trust({}), undefined, ctx), /spec\.trustDomain: Required value, spec\.caBundles: Required value/);
    assert.deepEqual(render({ trustDomain: '', caBundles: [] }), ['spec.trustDomain: Required value', 'spec.caBundles: Required value: must not be empty']);
    assert.deepEqual(render({ trustDomain: 'Bad/Domain', caBundles: [{ type: 'Pem', pem: { value: CERT } }] }), [
      'spec.trustDomain: Invalid value: "Bad/Domain": trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores',
    ]);
  });

  it('checks each bundle', () => {
    assert.deepEqual(render({ trustDomain: 'example.com', caBundles: [{ type: 'Pem', pem: { value: KEY } }, { type: 'Pem' }] }), [
      'spec.caBundles[0].pem.value: Invalid value: provided certificate has incorrect format',
      'spec.caBundles[1].pem: Required value: must be defined',
    ]);
    assert.equal(isPemCertificate(CERT), true);
    assert.equal(isPemCertificate('not pem'), false);
    assert.equal(isPemCertificate(KEY), false);
  });
});
