// The logging surface the client layer needs: a structural subset of pino's
// Logger, so `workplane serve` passes its pino logger while agents in other
// processes and tests may pass anything with these four methods.

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = () => {};

/** Drops everything (tests that provoke failures on purpose). */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

function line(level: string) {
  return (obj: object, msg?: string) => {
    const rec: Record<string, unknown> = { level, time: Date.now(), ...flatten(obj, msg !== undefined) };
    if (msg !== undefined) rec.msg = msg;
    process.stderr.write(`${JSON.stringify(rec)}\n`);
  };
}

/** Errors are not JSON-serializable as they are; keep their message. A `msg` field beside a message becomes `detail` (as in the pino logger). */
function flatten(obj: object, hasMessage: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k === 'msg' && hasMessage ? 'detail' : k] = v instanceof Error ? v.message : v;
  return out;
}

/** The default when no logger is given: warnings and errors to stderr, nothing else. */
export const stderrLogger: Logger = { debug: noop, info: noop, warn: line('warn'), error: line('error') };
