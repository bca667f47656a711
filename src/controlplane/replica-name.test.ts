import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServeArgs } from '../cli/serve.js';
import { defaultReplicaName, inProcessNodePrefix, replicaNameError, resolveReplicaName } from './replica-name.js';

test('the default name is stable for a data dir and differs between data dirs', () => {
  const a = defaultReplicaName('/var/lib/workplane-a', 'Build-Host.example.com');
  assert.match(a, /^build-host-[0-9a-f]{6}$/);
  assert.equal(defaultReplicaName('/var/lib/workplane-a', 'Build-Host.example.com'), a);
  assert.notEqual(defaultReplicaName('/var/lib/workplane-b', 'Build-Host.example.com'), a);
  assert.equal(replicaNameError(a), undefined);
  assert.equal(replicaNameError(defaultReplicaName('/d', '__weird__host__name_that_is_much_longer_than_forty_characters')), undefined);
  assert.match(defaultReplicaName('/d', '___'), /^replica-[0-9a-f]{6}$/);
});

test('replicas sharing etcd get their own node names; a lone replica keeps node-<i>', () => {
  assert.equal(inProcessNodePrefix(resolveReplicaName({ storage: 'sqlite' }, '/d')), 'node');
  assert.equal(inProcessNodePrefix(resolveReplicaName({ storage: 'etcd' }, '/d')), `${defaultReplicaName('/d')}-node`);
  assert.equal(inProcessNodePrefix(resolveReplicaName({ storage: 'etcd', replicaName: 'east' }, '/d')), 'east-node');
  assert.equal(inProcessNodePrefix(resolveReplicaName({ storage: 'memory', replicaName: 'east' }, '/d')), 'east-node');
});

test('serve flags: bad replica names and etcd without a secrets decision are refused', () => {
  const etcd = ['--storage', 'etcd', '--etcd-endpoints', 'http://127.0.0.1:2379'];
  assert.throws(() => parseServeArgs([...etcd, '--secrets-key-file', 'k', '--replica-name', 'East_1']), /--replica-name "East_1": must consist of lower case alphanumeric/);
  assert.throws(() => parseServeArgs([...etcd]), /--storage etcd keeps the cluster's CA, token signing key and admin token in etcd.*--secrets-key-file FILE.*--allow-unencrypted-secrets/);
  const ok = parseServeArgs([...etcd, '--secrets-key-file', 'k', '--replica-name', 'east-1']);
  assert.ok(ok !== 'help');
  assert.equal(ok.secretsKeyFile, 'k');
  assert.equal(ok.replicaName, 'east-1');
  const plain = parseServeArgs([...etcd, '--allow-unencrypted-secrets']);
  assert.ok(plain !== 'help' && plain.allowUnencryptedSecrets === true);
  const sqlite = parseServeArgs([]);
  assert.ok(sqlite !== 'help' && sqlite.secretsKeyFile === undefined && sqlite.replicaName === undefined);
});
