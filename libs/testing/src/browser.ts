import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it), or VAOPS_CHROMIUM. */
export const chromiumPath = (): string => process.env.VAOPS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A real headless Chromium driven by Playwright. The flags keep it off the network it cannot reach
 * (this machine's is closed: background connections would be refused at every start), and let it run
 * as root in CI.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: install Debian's package (apt-get install chromium) or set VAOPS_CHROMIUM`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
