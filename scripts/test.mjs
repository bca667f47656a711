// Runs every compiled test file under dist/ with node's built-in test runner.
// Usage: node scripts/test.mjs [substring-filter ...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureNeeds } from './prereqs.mjs';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk('dist', []).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
if (!process.env.WORKPLANE_SKIP_PREREQS) {
  const missing = ensureNeeds();
  if (missing.length) {
    console.error('The tests need programs this machine lacks and npm test could not install them (run as root with apt-get, or install them yourself):');
    for (const m of missing) console.error(`  - ${m.what}: Debian package(s) ${m.packages.join(' ')}`);
    process.exit(1);
  }
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 300000}`, '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
