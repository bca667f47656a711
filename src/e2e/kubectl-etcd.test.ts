// The end-to-end kubectl suite on a real etcd started for this file.
import { after, before } from 'node:test';
import { startEtcd } from '../testing/etcd-server.js';
import { runApiSuite } from './api-suite.js';

let etcd: Awaited<ReturnType<typeof startEtcd>>;
before(async () => {
  etcd = await startEtcd();
});
after(async () => {
  await etcd?.stop();
});

runApiSuite('etcd', () => ({ storage: 'etcd', etcdEndpoints: etcd.endpoints, etcdPrefix: '/e2e' }));
