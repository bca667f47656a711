// The process logger of `workplane serve` and `workplane agent`: pino, as
// JSON lines for log collectors or as one readable line per record for a
// person at a terminal (pino-pretty's formatter, run in this thread so a
// record is written before the call returns and nothing is lost at exit).
// Every record carries exactly one `msg`: a `msg` key in the logged object
// would otherwise be written next to the message and hide one of the two
// from any JSON parser.

import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where a `msg` key of the logged object goes when a message is given too. */
export const SHADOWED_MSG_KEY = 'detail';

/** Text when the stream is a terminal (a person reads it), JSON otherwise (a collector does). */
export function defaultLogFormat(stream: { isTTY?: boolean } = process.stderr): LogFormat {
  return stream.isTTY ? 'text' : 'json';
}

/** Validates a `--log-format` value; undefined picks the default for stderr. */
export function parseLogFormat(value: string | undefined, stream?: { isTTY?: boolean }): LogFormat {
  if (value === undefined || value === '') return defaultLogFormat(stream);
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new Error(`--log-format must be text or json, not "${value}"`);
}

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  /** Fields on every record (default `{component: 'workplane'}`). */
  base?: Record<string, unknown>;
  /** Where lines go (default stderr); tests pass a collector. */
  destination?: { write(line: string): unknown };
  /** Colour the text format (default: when stderr is a terminal). */
  colorize?: boolean;
}

/** One line per record: the message, then the other fields as compact JSON (errors too, stack escaped). */
function textDestination(out: { write(line: string): unknown }, colorize: boolean): DestinationStream {
  const format = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    errorLikeObjectKeys: [],
  });
  return { write: (line: string) => void out.write(format(line)) };
}

export function createLogger(opts: LoggerOptions): Logger {
  const out = opts.destination ?? pino.destination({ fd: 2, sync: true });
  const destination = opts.format === 'text' ? textDestination(out, opts.colorize ?? !!process.stderr.isTTY) : (out as DestinationStream);
  return pino(
    {
      level: opts.level,
      base: opts.base ?? { component: 'workplane' },
      hooks: {
        logMethod(args, method) {
          const [first, second] = args as unknown[];
          if (typeof second === 'string' && first !== null && typeof first === 'object' && Object.hasOwn(first, 'msg')) {
            const { msg, ...rest } = first as Record<string, unknown>;
            (args as unknown[])[0] = { ...rest, [SHADOWED_MSG_KEY]: msg };
          }
          return method.apply(this, args);
        },
      },
    },
    destination,
  );
}
