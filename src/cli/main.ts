#!/usr/bin/env node
// The `workplane` command: serve | agent | dp | token | set | crds | version.

import { runServe } from './serve.js';
import { runSet } from './set-image.js';
import { runAgent } from './agent.js';
import { runDp } from './dp.js';
import { runToken } from './token.js';
import { runCrds } from './crds.js';
import { VERSION } from '../version.js';

const usage = `workplane ${VERSION}: a workload control plane with a Kubernetes-compatible API

Usage:
  workplane serve [flags]     run the control plane (API server, controllers)
  workplane dp run [flags]    register a Dataplane and hold its stream to the control plane
  workplane token dataplane   print a dataplane token (for workplane dp run)
  workplane token node        print a bootstrap token a new node agent joins with
  workplane agent [flags]     run a node agent (simulated or process runtime) against a server
  workplane set image workload/NAME CONTAINER=IMAGE -n NS
                              change a compute Workload's container image
  workplane crds [--group G]  print CustomResourceDefinitions of the built-in kinds (kubectl apply -f -)
  workplane version           print the version

Run 'workplane serve --help' for the serve flags.`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve':
      return runServe(rest);
    case 'dp':
      return runDp(rest);
    case 'token':
      return runToken(rest);
    case 'agent':
      return runAgent(rest);
    case 'set':
      return runSet(rest);
    case 'crds':
      return runCrds(rest);
    case 'version':
    case '--version':
      console.log(`workplane ${VERSION} (Kubernetes API v1.32, node ${process.versions.node})`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return 0;
    default:
      console.error(`workplane: unknown command "${cmd}"\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: Error) => {
    console.error(`workplane: ${err.message}`);
    process.exit(1);
  },
);
