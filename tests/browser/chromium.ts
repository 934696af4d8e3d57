/** Debian's Chromium, driven by playwright-core (never a downloaded browser), with the flags this machine needs. */
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SPOTHREAT_CHROMIUM ?? '/usr/bin/chromium';

/** playwright-core gives every launch a fresh temporary profile of its own, so no --user-data-dir is passed. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
