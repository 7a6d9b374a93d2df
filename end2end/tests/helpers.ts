import { expect, type Page } from '@playwright/test';

/** Opens a page and waits until the wasm has hydrated it (frontend sets `data-hydrated` on <html>). */
export async function gotoHydrated(page: Page, url: string) {
  const response = await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '', { timeout: 20_000 });
  return response;
}
