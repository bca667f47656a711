// The client-conformance suite driven by the official Python client (Debian's
// python3-kubernetes). Without it this file fails with one message naming the
// package; it is never skipped.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runClientConformance } from './conformance.js';
import { PythonDriver, pythonClientProblem } from './python-driver.js';

const problem = pythonClientProblem();
if (problem) it('the official Python Kubernetes client is installed', () => assert.fail(problem));
else runClientConformance('the official Python client', { makeDriver: (server) => PythonDriver.start(server.kubeconfig) });
