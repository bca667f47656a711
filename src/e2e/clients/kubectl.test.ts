// The client-conformance suite driven by the real /usr/bin/kubectl.
import { Kubectl } from '../../testing/server-process.js';
import { runClientConformance } from './conformance.js';
import { KubectlDriver } from './kubectl-driver.js';

runClientConformance('kubectl', { makeDriver: async (server) => new KubectlDriver(server, new Kubectl(server)) });
