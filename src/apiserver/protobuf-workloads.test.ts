// Protobuf bodies of the workload kinds kubectl creates through its typed
// clients decode into the JSON the rest of the server sees: a Deployment with
// replicas 0 (a pointer kept at zero), int-or-string surge values, a pod
// template with env, ports and resources; and a field the decoder does not
// know is refused with 415 rather than dropped.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writer } from 'protobufjs/minimal.js';
import { ApiError } from '../api/errors.js';
import { decodeKubeProtobuf } from './protobuf.js';

type Field = [number, string | Field[] | { varint: number }];

function encode(fields: Field[]): Uint8Array {
  const w = Writer.create();
  const write = (fs: Field[]) => {
    for (const [no, v] of fs) {
      if (typeof v === 'string') w.uint32((no << 3) | 2).string(v);
      else if (Array.isArray(v)) {
        w.uint32((no << 3) | 2).fork();
        write(v);
        w.ldelim();
      } else w.uint32(no << 3).uint32(v.varint);
    }
  };
  write(fields);
  return w.finish();
}

/** runtime.Unknown{typeMeta, raw} after kube's `k8s\0` magic. */
function envelope(apiVersion: string, kind: string, object: Field[]): Buffer {
  const w = Writer.create();
  w.uint32((1 << 3) | 2).bytes(encode([[1, apiVersion], [2, kind]]));
  w.uint32((2 << 3) | 2).bytes(encode(object));
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), w.finish()]);
}

const entry = (key: string, value: string): Field[] => [[1, key], [2, value]];
const intStr = (v: number | string): Field[] => (typeof v === 'number' ? [[1, { varint: 0 }], [2, { varint: v }]] : [[1, { varint: 1 }], [3, v]]);

describe('protobuf bodies of workload kinds', () => {
  it('decodes a Deployment as kubectl create deployment sends it, keeping replicas 0 and int-or-string values', () => {
    const container: Field[] = [
      [1, 'nginx'],
      [2, 'nginx:1.25'],
      [6, [[3, { varint: 80 }], [4, 'TCP']]],
      [7, [[1, 'MODE'], [2, 'prod']]],
      [8, [[2, [[1, 'cpu'], [2, [[1, '100m']]]]]]],
    ];
    const template: Field[] = [[1, [[11, entry('app', 'web')]]], [2, [[2, container], [3, 'Always']]]];
    const body = envelope('apps/v1', 'Deployment', [
      [1, [[1, 'web'], [11, entry('app', 'web')]]],
      [2, [[1, { varint: 0 }], [2, [[1, entry('app', 'web')]]], [3, template], [4, [[1, 'RollingUpdate'], [2, [[1, intStr('25%')], [2, intStr(1)]]]]]]],
      [3, []],
    ]);
    assert.deepEqual(decodeKubeProtobuf(body), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'MODE', value: 'prod' }], resources: { requests: { cpu: '100m' } } }],
            restartPolicy: 'Always',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
      },
      status: {},
    });
  });

  it('decodes a Service with a named target port', () => {
    const body = envelope('v1', 'Service', [
      [1, [[1, 'web']]],
      [2, [[1, [[1, 'http'], [2, 'TCP'], [3, { varint: 80 }], [4, intStr('http')]]], [2, entry('app', 'web')], [4, 'ClusterIP']]],
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).spec, { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }], selector: { app: 'web' }, type: 'ClusterIP' });
  });

  it('decodes an Ingress as kubectl create ingress sends it: rules, paths, service backends, TLS', () => {
    const backend: Field[] = [[4, [[1, 'web'], [2, [[2, { varint: 80 }]]]]]];
    const body = envelope('networking.k8s.io/v1', 'Ingress', [
      [1, [[1, 'ing'], [3, 'default']]],
      [2, [[3, [[1, 'foo.com'], [2, [[1, [[1, [[1, '/'], [2, backend], [3, 'Exact']]]]]]]]], [2, [[1, 'foo.com'], [2, 'tls-secret']]], [4, 'nginx']]],
      [3, []],
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).spec, {
      rules: [{ host: 'foo.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } }, pathType: 'Exact' }] } }],
      tls: [{ hosts: ['foo.com'], secretName: 'tls-secret' }],
      ingressClassName: 'nginx',
    });
  });

  it('refuses a pod-template field it does not decode with 415, naming it, rather than dropping it', () => {
    // Container field 15 (securityContext) is not described.
    const body = envelope('batch/v1', 'Job', [[1, [[1, 'j']]], [2, [[6, [[2, [[2, [[1, 'c'], [15, [[1, 'x']]]]]]]]]]]]);
    assert.throws(() => decodeKubeProtobuf(body), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.code, 415);
      assert.match(e.message, /Job in version "batch\/v1": field 15 of Container cannot be decoded from application\/vnd\.kubernetes\.protobuf by this server; send application\/json/);
      return true;
    });
  });
});
