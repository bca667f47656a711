// Dataplane inbounds from the Services selecting a pod, as Kuma builds them:
// one inbound per Service port whose target port matches a container port,
// tagged `<service>_<namespace>_svc_<port>`; the workload rule when no Service
// selects the pod; the Dataplane follows Service changes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { eventually, type TestApi } from '../../client/testing.js';
import { dataplaneForPod } from './dataplane-for-pod.js';
import { startMeshControllers } from './index.js';
import { DATAPLANES, PODS, SERVICES } from './resources.js';
import { createNamespace, setPodStatus, startMeshTestApi } from './test-support.js';

const config = { workloadLabels: ['app'], disallowMultipleMeshesPerNamespace: false, systemNamespace: 'kuma-system' };

const webPod = (ns: string, name: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090 }] }] },
  status: { podIP: '10.1.0.5', conditions: [{ type: 'Ready', status: 'True' }] },
});

const service = (ns: string, name: string, selector: Record<string, string>, ports: Record<string, unknown>[]): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector, ports },
});

type Inbound = { port: number; tags: Record<string, string>; state: string };
const inboundsOf = (dp: KObject | undefined): Inbound[] => ((dp?.spec as { networking: { inbound: Inbound[] } } | undefined)?.networking.inbound ?? []);
const summary = (dp: KObject | undefined) => inboundsOf(dp).map((i) => `${i.port}:${i.tags['kuma.io/service']}`);

describe('Dataplane inbounds from Services', () => {
  it('dataplaneForPod: one inbound per matching Service port, named or numbered; unmatched ports skipped', () => {
    const pod = webPod('shop', 'web-0');
    const svcs = [
      service('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http', protocol: 'TCP' }]),
      service('shop', 'metrics', { app: 'web' }, [{ name: 'm', port: 9100, targetPort: 9090 }, { name: 'none', port: 1234, targetPort: 7777 }]),
    ];
    const dp = dataplaneForPod(pod, undefined, config, svcs);
    assert.deepEqual(summary(dp), ['9090:metrics_shop_svc_9100', '8080:web_shop_svc_80']);
    const web = inboundsOf(dp)[1];
    assert.equal(web.tags['k8s.kuma.io/service-name'], 'web');
    assert.equal(web.tags['k8s.kuma.io/service-port'], '80');
    assert.equal(web.tags['kuma.io/protocol'], 'tcp');
    assert.equal(web.state, 'Ready');
    assert.deepEqual(summary(dataplaneForPod(pod, undefined, config, [])), ['8080:web_shop_svc_8080', '9090:web_shop_svc_9090'], 'the workload rule without Services');
    const appProtocol = service('shop', 'h', { app: 'web' }, [{ port: 80, targetPort: 8080, appProtocol: 'http' }]);
    assert.equal(inboundsOf(dataplaneForPod(pod, undefined, config, [appProtocol]))[0].tags['kuma.io/protocol'], 'http');
  });

  describe('with the pod → Dataplane controller', () => {
    let api: TestApi;
    const ac = new AbortController();
    let running: Promise<void>;
    const dp = () => api.client.resource(DATAPLANES).get('shop', 'web-0');
    const services = () => api.client.resource(SERVICES);

    before(async () => {
      api = await startMeshTestApi();
      await createNamespace(api.client, 'shop', { 'kuma.io/sidecar-injection': 'enabled' });
      running = startMeshControllers(api.client, ac.signal, { config, log: silentLogger });
      const { status: _status, ...spec } = webPod('shop', 'web-0');
      await api.client.resource(PODS).create('shop', spec as KObject);
      await setPodStatus(api.client, 'shop', 'web-0', '10.1.0.5', true);
    });
    after(async () => {
      ac.abort();
      await running;
      await api.close();
    });

    it('starts with the workload rule, takes the Service inbounds when a Service selects the pod, and follows Service changes', async () => {
      await eventually(async () => summary(await dp()).join() === '8080:web_shop_svc_8080,9090:web_shop_svc_9090', 'fallback inbounds');
      await services().create('shop', service('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }]));
      await eventually(async () => summary(await dp()).join() === '8080:web_shop_svc_80', 'inbound from Service web');
      await services().create('shop', service('shop', 'metrics', { app: 'web' }, [{ port: 9100, targetPort: 9090 }]));
      await eventually(async () => summary(await dp()).join() === '9090:metrics_shop_svc_9100,8080:web_shop_svc_80', 'both Services');
      await services().patch('shop', 'web', 'merge', { spec: { selector: { app: 'other' } } });
      await eventually(async () => summary(await dp()).join() === '9090:metrics_shop_svc_9100', 'web no longer selects the pod');
      await services().patch('shop', 'metrics', 'merge', { spec: { ports: [{ port: 9200, targetPort: 9090 }] } });
      await eventually(async () => summary(await dp()).join() === '9090:metrics_shop_svc_9200', 'port change followed');
      await services().delete('shop', 'metrics');
      await eventually(async () => summary(await dp()).join() === '8080:web_shop_svc_8080,9090:web_shop_svc_9090', 'back to the workload rule');
    });
  });
});
