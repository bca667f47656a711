// What the test suites need beyond npm packages, and how to get it: the tests
// drive real etcd, the official Python client and a real browser. On a machine
// without them, `npm test` installs them from Debian when it can (root with
// apt-get), else stops with one clear message instead of hundreds of failures.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ok = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** Each need: a check, and the Debian packages that satisfy it. */
export const NEEDS = [
  { what: 'etcd (storage conformance, etcd e2e)', present: () => ok('etcd', ['--version']), packages: ['etcd-server'] },
  { what: 'the official Python Kubernetes client', present: () => ok('/usr/bin/python3', ['-c', 'import kubernetes']), packages: ['python3-kubernetes'] },
  { what: 'Chromium (console browser tests)', present: () => existsSync('/usr/bin/chromium'), packages: ['chromium'] },
];

export function missingNeeds() {
  return NEEDS.filter((n) => !n.present());
}

/** Installs missing Debian packages when possible; returns what is still missing. */
export function ensureNeeds(log = console.error) {
  let missing = missingNeeds();
  if (missing.length === 0) return [];
  const packages = [...new Set(missing.flatMap((n) => n.packages))];
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && ok('apt-get', ['--version'])) {
    log(`installing what the tests need: ${packages.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-q', ...packages], { stdio: 'inherit', env });
    missing = missingNeeds();
  }
  return missing;
}
