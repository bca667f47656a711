// Where `workplane serve` finds the web console: the bundle `npm run build`
// writes beside the compiled server (dist/console/static), so an installed
// package and a checkout serve the same files.

import { fileURLToPath } from 'node:url';
import { StaticFiles } from './static-files.js';

export const CONSOLE_PREFIX = '/console';
export const CONSOLE_DIR = fileURLToPath(new URL('../console/static/', import.meta.url));

export function consoleFiles(root = CONSOLE_DIR): StaticFiles {
  return new StaticFiles({ root, prefix: CONSOLE_PREFIX, missingHint: 'the console is not built; run `npm run build`' });
}
