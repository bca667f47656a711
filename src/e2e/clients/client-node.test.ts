// The client-conformance suite driven by @kubernetes/client-node: typed and
// custom-object calls, its Watch, and an informer beside every scenario.
import { ClientNodeDriver } from './client-node-driver.js';
import { runClientConformance } from './conformance.js';

runClientConformance('@kubernetes/client-node', {
  makeDriver: async (server) => new ClientNodeDriver(server.kubeconfig),
  observe: (server, kind, ns) => new ClientNodeDriver(server.kubeconfig).observe(kind, ns),
});
