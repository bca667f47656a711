// Without the official Python client the Python tests fail with one message
// that names the Debian package, instead of being skipped.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PYTHON, pythonClientProblem } from './python-driver.js';

test('pythonClientProblem names the Debian package when the client cannot be imported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'workplane-nopython-'));
  try {
    // A Python that does not see the system's dist-packages, as on a machine without python3-kubernetes.
    const bare = join(dir, 'python3');
    writeFileSync(bare, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`);
    chmodSync(bare, 0o755);
    for (const python of [bare, join(dir, 'absent')]) {
      const problem = pythonClientProblem(python);
      assert.match(problem ?? '', /the official Python Kubernetes client is not installed/);
      assert.match(problem ?? '', /Debian package python3-kubernetes/);
    }
    assert.match(pythonClientProblem(bare)!, /No module named 'kubernetes'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
