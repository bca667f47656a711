import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { decodeControlPlaneMessage, decodeProxyMessage, encodeControlPlaneMessage, encodeProxyMessage } from './codec.js';
import { dpTarget } from './service.js';

test('proxy messages round-trip, the Dataplane as an object', () => {
  const dataplane = { apiVersion: 'kuma.io/v1alpha1', kind: 'Dataplane', metadata: { name: 'a', labels: { x: 'y' } }, spec: { networking: { address: '1.2.3.4' } } };
  assert.deepEqual(decodeProxyMessage(encodeProxyMessage({ hello: { namespace: 'ns', name: 'a', dataplane, agentVersion: '1' } })), {
    hello: { namespace: 'ns', name: 'a', dataplane, agentVersion: '1' },
  });
  assert.deepEqual(decodeProxyMessage(encodeProxyMessage({ hello: { namespace: 'ns', name: 'a' } })), { hello: { namespace: 'ns', name: 'a' } });
  const health = { health: { inbounds: [{ port: 80, ready: false }, { port: 81, ready: true }] } };
  assert.deepEqual(decodeProxyMessage(encodeProxyMessage(health)), health);
  assert.deepEqual(decodeProxyMessage(encodeProxyMessage({ goodbye: { deleteDataplane: true } })), { goodbye: { deleteDataplane: true } });
  assert.deepEqual(decodeProxyMessage(encodeProxyMessage({ csr: { csrPem: 'PEM' } })), { csr: { csrPem: 'PEM' } });
});

test('control plane messages round-trip', () => {
  const ack = { ack: { subscriptionId: 's', controlPlaneInstanceId: 'i' } };
  assert.deepEqual(decodeControlPlaneMessage(encodeControlPlaneMessage(ack)), ack);
  const identity = { identity: { certPem: 'c', bundlePem: 'b', spiffeId: 'spiffe://x/y', expirationTime: '2026-01-01T00:00:00Z' } };
  assert.deepEqual(decodeControlPlaneMessage(encodeControlPlaneMessage(identity)), identity);
  const request = { certificateRequest: { keyType: 'rsa-2048', reason: 'the CA signs rsa-2048 keys' } };
  assert.deepEqual(decodeControlPlaneMessage(encodeControlPlaneMessage(request)), request);
  assert.deepEqual(decodeControlPlaneMessage(encodeControlPlaneMessage({ error: { message: 'm' } })), { error: { message: 'm' } });
});

test('certificateRequest is field 4 of ControlPlaneMessage, its fields 1 (key type) and 2 (reason)', () => {
  const w = protobuf.Writer.create();
  w.uint32((4 << 3) | 2).fork().uint32((1 << 3) | 2).string('ecdsa-p256').uint32((2 << 3) | 2).string('new key').ldelim();
  assert.deepEqual(decodeControlPlaneMessage(Buffer.from(w.finish())), { certificateRequest: { keyType: 'ecdsa-p256', reason: 'new key' } });
});

test('a variant from a newer peer decodes to nothing', () => {
  // Field 9 of ProxyMessage, unknown to this build.
  const w = protobuf.Writer.create();
  w.uint32((9 << 3) | 2).bytes(new Uint8Array([8, 1]));
  assert.equal(decodeProxyMessage(Buffer.from(w.finish())), undefined);
  assert.equal(decodeControlPlaneMessage(Buffer.from(w.finish())), undefined);
});

test('DP server addresses', () => {
  assert.equal(dpTarget('grpcs://127.0.0.1:5678'), '127.0.0.1:5678');
  assert.equal(dpTarget('grpcs://[::1]:5678'), '[::1]:5678');
  assert.equal(dpTarget('10.0.0.1:5678'), '10.0.0.1:5678');
  assert.throws(() => dpTarget('https://127.0.0.1:5678'), /must use grpcs:/);
});
