import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/**
 * axe-core run in the page as it is now; the violations of the impacts asked for (by default the
 * serious and critical ones), each with how many elements break the rule.
 */
export async function axeViolations(page: Page, impacts: string[] = ['serious', 'critical']): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }> } }).axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
  return violations.filter((v) => v.impact !== null && impacts.includes(v.impact));
}

/**
 * Signs in to the console in one step, as `npm start` offers it: a fresh context in Tokyo's zone and US
 * English opens the console (which sends it to /signin), clicks the sign-in button named `label` and
 * waits for /today. `bypassCSP` only to inject axe-core: the pages themselves run under their
 * Content-Security-Policy.
 */
export async function signInToConsole(browser: Browser, consoleUrl: string, label: string | RegExp, bypassCSP = false): Promise<Page> {
  const page = await (await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-US', bypassCSP })).newPage();
  await page.goto(`${consoleUrl}/`);
  expect(new URL(page.url()).pathname).toBe('/signin');
  await page.getByRole('button', { name: label }).click();
  await page.waitForURL(/\/today/);
  return page;
}
