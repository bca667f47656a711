// Bundles the web console (src/console/ui) into dist/console/static with
// esbuild: one script and one stylesheet named by content hash, and an
// index.html naming them. Nothing is fetched at run time. Type checking is
// `tsc -p src/console/tsconfig.json`, run before this by `npm run build`.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src/console/ui');
const out = join(root, 'dist/console/static');

rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints: { console: join(src, 'main.tsx'), styles: join(src, 'console.css') },
  outdir: out,
  entryNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: join(root, 'src/console/tsconfig.json'),
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const pick = (re) => {
  const f = outputs.find((o) => re.test(o));
  if (!f) throw new Error(`console build: no output matching ${re} in ${outputs.join(', ')}`);
  return f;
};
const html = readFileSync(join(src, 'index.html'), 'utf8').replace('%SCRIPT%', pick(/^console-\w+\.js$/)).replace('%STYLE%', pick(/^styles-\w+\.css$/));
writeFileSync(join(out, 'index.html'), html);
const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
console.error(`console: ${outputs.filter((o) => !o.endsWith('.map')).join(', ')}, index.html (${Math.round(bytes / 1024)} KiB with source maps)`);
