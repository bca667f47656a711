// A real browser for the console's tests: Debian's Chromium driven by
// playwright-core, headless, with a fresh profile per launch. The API server's
// certificate is trusted by pinning its public key (Chromium's SPKI list), not
// by switching certificate checks off. A missing Chromium fails loudly: the
// browser tests are part of the suite and must not vanish silently.

import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Without the networking switches Chromium keeps dialling Google's hosts, which this machine refuses. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Throws, saying how to install it, when Chromium is not on the machine. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The console's browser tests need Chromium at ${CHROMIUM}, and it is not installed. ` +
        'Install Debian\'s package: `apt-get update && apt-get install -y chromium` (or point $CHROMIUM at a Chromium binary).',
    );
  }
}

/** base64(sha256(SubjectPublicKeyInfo)) of a PEM certificate: what --ignore-certificate-errors-spki-list takes. */
export function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** The serving certificate `workplane serve` wrote into its data directory. */
export const servingCert = (dataDir: string): string => readFileSync(join(dataDir, 'pki', 'server.crt'), 'utf8');

/** Launches Chromium (Playwright gives it a new empty --user-data-dir) trusting exactly this server certificate. */
export async function launchBrowser(servingCertPem: string): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS, `--ignore-certificate-errors-spki-list=${spkiHash(servingCertPem)}`],
  });
}

/** A page whose script errors fail the test that reads `errors`. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}
