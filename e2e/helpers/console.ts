import type { Locator, Page } from 'playwright-core';

/** Waits until the locator is visible (fails the test with Playwright's message otherwise). */
export async function visible(locator: Locator, timeout?: number): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', ...(timeout ? { timeout } : {}) });
  return locator;
}

export async function hidden(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'hidden' });
}

export function navigation(page: Page): Locator {
  return page.getByRole('navigation');
}

/** Fills the first sign-in step (English UI) and submits it. */
export async function submitPassword(page: Page, email: string, password: string): Promise<void> {
  if (!page.url().endsWith('/sign-in')) await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in without 2FA and waits for the inbox. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await submitPassword(page, email, password);
  await page.waitForURL('**/inbox');
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in');
}

export async function dialog(page: Page, name: string | RegExp): Promise<Locator> {
  return visible(page.getByRole('dialog', { name }));
}
