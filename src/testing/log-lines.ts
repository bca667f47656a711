// Test support: reading the JSON log lines a real process wrote, strictly:
// a key written twice in one record is an error, where JSON.parse would
// silently keep the last one (and a log collector would lose the first).

import { parse as parseYaml } from 'yaml';

/** Parses one JSON log line; throws on duplicate keys. */
export function parseLogLine(line: string): Record<string, unknown> {
  const v = parseYaml(line, { uniqueKeys: true }) as unknown;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`not a JSON log record: ${line}`);
  return v as Record<string, unknown>;
}

/** Every non-empty line of `text` parsed as a log record. */
export function parseLogLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.trim() !== '').map(parseLogLine);
}
