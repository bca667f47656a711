// A Logger for processes without pino (the agent CLI): JSON lines on stderr
// at or above a level, errors reduced to their message.

import type { Logger } from '../client/logger.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function consoleLogger(level: string): Logger {
  const min = Math.max(0, LEVELS.indexOf(level as (typeof LEVELS)[number]));
  const at = (i: number) => (obj: object, msg?: string) => {
    if (i < min) return;
    const rec: Record<string, unknown> = { level: LEVELS[i], time: Date.now(), msg };
    for (const [k, v] of Object.entries(obj)) rec[k] = v instanceof Error ? v.message : v;
    process.stderr.write(`${JSON.stringify(rec)}\n`);
  };
  return { debug: at(0), info: at(1), warn: at(2), error: at(3) };
}
