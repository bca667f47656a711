import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../api/object.js';
import { ContainerConfigError, expandVars, resolveEnv, type ConfigLookup, type EnvContext } from './env-resolver.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const sources: Record<string, KObject> = {
  'secret/db': { metadata: { name: 'db' }, data: { url: b64('postgres://db'), user: b64('admin') } },
  'configmap/cfg': { metadata: { name: 'cfg' }, data: { LEVEL: 'debug', 'bad=key': 'x' }, binaryData: { BLOB: b64('bytes') } },
};
const lookup: ConfigLookup = {
  secret: async (_ns, name) => sources[`secret/${name}`],
  configMap: async (_ns, name) => sources[`configmap/${name}`],
};
const pod: KObject = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', labels: { app: 'web' }, annotations: { note: 'n' } },
  spec: { nodeName: 'node-3', serviceAccountName: 'default', containers: [{ name: 'app', resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } } }] },
};
const ctx: EnvContext = { pod, hostIP: '10.0.3.1', podIP: '10.0.3.7', allocatable: { cpu: '4', memory: '8Gi' }, lookup };
const container = (env: unknown[], envFrom: unknown[] = []) => ({ ...((pod.spec as { containers: object[] }).containers[0]), env, envFrom });

describe('env resolution', () => {
  it('expands $(VAR) references, leaves unknown ones, and unescapes $$', () => {
    const vars = new Map([['A', '1']]);
    assert.equal(expandVars('x-$(A)-$(B)-$$(A)-$$-$(', vars), 'x-1-$(B)-$(A)-$-$(');
  });

  it('resolves values, sources, pod fields and resources in kubelet order', async () => {
    const env = await resolveEnv(
      ctx,
      container(
        [
          { name: 'URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } },
          { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'LEVEL' } } },
          { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
          { name: 'OPT', valueFrom: { secretKeyRef: { name: 'absent', key: 'k', optional: true } } },
          { name: 'MSG', value: '$(NAME) on $(NODE) at $(LEVEL)' },
          { name: 'LEVEL', value: 'override' },
        ],
        [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'db' }, prefix: 'DB_' }, { secretRef: { name: 'nope', optional: true } }],
      ),
    );
    assert.deepEqual(Object.fromEntries(env.map((e) => [e.name, e.value])), {
      LEVEL: 'override',
      BLOB: 'bytes',
      DB_url: 'postgres://db',
      DB_user: 'admin',
      URL: 'postgres://db',
      NAME: 'web',
      NS: 'shop',
      UID: 'u-1',
      APP: 'web',
      NODE: 'node-3',
      SA: 'default',
      IP: '10.0.3.7',
      HOST: '10.0.3.1',
      MEM: '64',
      CPU_LIMIT: '4',
      CPU_REQ: '250',
      MSG: 'web on node-3 at debug',
    });
    assert.equal(env[0].name, 'LEVEL', 'an overridden variable keeps its first position');
  });

  it('fails with kubelet messages for missing sources and keys', async () => {
    const fails = (env: unknown[], envFrom: unknown[] = []) => assert.rejects(resolveEnv(ctx, container(env, envFrom)), ContainerConfigError);
    await fails([{ name: 'X', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'url' } } }]);
    await assert.rejects(resolveEnv(ctx, container([{ name: 'X', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'url' } } }])), { message: 'secret "db-credentials" not found' });
    await assert.rejects(resolveEnv(ctx, container([{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }])), { message: "couldn't find key pw in Secret shop/db" });
    await assert.rejects(resolveEnv(ctx, container([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope' } } }])), { message: "couldn't find key nope in ConfigMap shop/cfg" });
    await assert.rejects(resolveEnv(ctx, container([], [{ configMapRef: { name: 'gone' } }])), { message: 'configmap "gone" not found' });
    await assert.rejects(resolveEnv(ctx, container([], [{ secretRef: { name: 'gone' } }])), { message: 'secret "gone" not found' });
  });
});
