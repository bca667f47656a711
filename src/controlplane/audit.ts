// Opens the audit log `workplane serve` writes when --audit-log-path is
// given: the policy file chooses each request's level (without one, as in
// kube, nothing is logged), and the file rotates by size.

import type { Logger } from 'pino';
import { Auditor } from '../audit/auditor.js';
import { AuditLogFile, type AuditSink } from '../audit/log-file.js';
import { loadPolicyFile, type Policy } from '../audit/policy.js';
import type { AuditOptions } from './options.js';

const stdoutSink: AuditSink = { write: (line) => void process.stdout.write(`${line}\n`), close: () => {} };

export function openAuditor(opts: AuditOptions, logger: Logger): Auditor {
  let policy: Policy = { rules: [] };
  if (opts.policyFile) policy = loadPolicyFile(opts.policyFile);
  else logger.warn('--audit-log-path without --audit-policy-file: no request matches a rule, so nothing is logged');
  const sink = opts.logPath === '-' ? stdoutSink : new AuditLogFile(opts.logPath, { maxSizeMB: opts.maxSizeMB, maxBackups: opts.maxBackups });
  return new Auditor(policy, sink);
}
