// Test support: the schema properties that carry no description (kubectl explain
// would show them bare). Shared by every group's definition tests.

export function missingDescriptions(schema: unknown, path: string, out: string[] = []): string[] {
  if (typeof schema !== 'object' || schema === null) return out;
  const s = schema as Record<string, unknown>;
  for (const [k, v] of Object.entries((s.properties as Record<string, unknown>) ?? {})) {
    if (!(v as Record<string, unknown>).description) out.push(`${path}.${k}`);
    missingDescriptions(v, `${path}.${k}`, out);
  }
  if (s.items) missingDescriptions(s.items, `${path}[]`, out);
  return out;
}
