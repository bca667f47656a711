// PEM armour for DER: certificates out, certificates and requests in.

const LINE = 64;

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let body = '';
  for (let i = 0; i < b64.length; i += LINE) body += b64.slice(i, i + LINE) + '\n';
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

const BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order; with `label`, only blocks of that label. */
export function pemBlocks(text: string, label?: string): { label: string; der: Buffer }[] {
  const out: { label: string; der: Buffer }[] = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    if (label && m[1] !== label) continue;
    out.push({ label: m[1]!, der: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64') });
  }
  return out;
}

/** The DER of the first block with `label`, or undefined. */
export function firstPem(text: string, label: string): Buffer | undefined {
  return pemBlocks(text, label)[0]?.der;
}
