// Headless Chromium from Debian (/usr/bin/chromium), driven by playwright-core. playwright-core never
// downloads a browser; a missing Chromium fails the tests with the command that installs it.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Launches Debian's Chromium; throws a clear error when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Expected Chromium at ${CHROMIUM} for the end-to-end tests. Received: no such file. Install it with: apt-get install -y --no-install-recommends chromium (.ci/run does this when it is missing).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, timeout: 60_000 });
}
