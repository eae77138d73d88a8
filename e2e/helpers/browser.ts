import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from './kefu-server.ts';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'e2e/screenshots');

/** Debian's Chromium; no browser is ever downloaded. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh browser profile at the size agents use the console (1280×720). */
export async function newConsoleContext(
  browser: Browser,
  baseURL: string,
  locale = 'en-US',
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale,
    viewport: { width: 1280, height: 720 },
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15_000);
  return context;
}

export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Let transitions (modals, notifications) settle so the picture shows the final state.
  await page.waitForTimeout(350);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  return file;
}
