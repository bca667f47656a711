// Parsing of the node flags `workplane agent` takes (and a config file might):
// `--labels k=v,...` and `--taints key[=value]:Effect,...`, as kubelet's
// --node-labels and --register-with-taints read them.

const EFFECTS = 'NoSchedule|PreferNoSchedule|NoExecute';

export function parseLabels(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of split(text)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`--labels: "${item}" is not key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function parseTaints(text: string | undefined): Record<string, string>[] {
  return split(text).map((item) => {
    const m = new RegExp(`^([^=:]+)(?:=([^:]*))?:(${EFFECTS})$`).exec(item);
    if (!m) throw new Error(`--taints: "${item}" is not key[=value]:${EFFECTS}`);
    const t: Record<string, string> = { key: m[1], effect: m[3] };
    if (m[2]) t.value = m[2];
    return t;
  });
}

const split = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
