import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gotoHydrated } from './helpers';

const NAV = ['Runs', 'Dashboard', 'Plans', 'Watch', 'Sign in'];

function workspaceVersion(): string {
  const toml = fs.readFileSync(path.resolve(__dirname, '../../Cargo.toml'), 'utf8');
  const section = toml.split('[workspace.package]')[1];
  return /^version\s*=\s*"([^"]+)"/m.exec(section)![1];
}

test('GET /healthz answers 200 with the version', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', version: workspaceVersion() });
});

test('pages are rendered on the server, readable without JavaScript', async ({ browser, request }) => {
  const html = await (await request.get('/dashboard')).text();
  expect(html).toContain('<h1 class="page-header__title">Dashboard</h1>');
  expect(html).toContain('<title>Dashboard · Stride</title>');

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your runs, analysed on your own device.');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of NAV) await expect(nav.getByRole('link', { name })).toBeVisible();
  // Server-side, distances are metric.
  await expect(page.locator('dd[data-meters="42195"]')).toHaveText('42.20 km');
  await context.close();
});

test('the page hydrates: the units switch works in the browser', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await gotoHydrated(page, '/');
  const marathon = page.locator('dd[data-meters="42195"]');
  await expect(marathon).toHaveText('42.20 km');
  await page.getByRole('button', { name: 'mi' }).click();
  await expect(marathon).toHaveText('26.22 mi');
  await expect(page.getByRole('button', { name: 'mi' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'km' })).toHaveAttribute('aria-pressed', 'false');
  expect(errors).toEqual([]);
});

test('navigation moves between pages without a full reload', async ({ page }) => {
  await gotoHydrated(page, '/');
  await page.evaluate(() => ((window as any).__strideMarker = 'still here'));
  const nav = page.getByRole('navigation', { name: 'Main' });
  const expected: Record<string, [string, string]> = {
    Runs: ['/runs', 'Runs'],
    Dashboard: ['/dashboard', 'Dashboard'],
    Plans: ['/plans', 'Plans'],
    Watch: ['/watch', 'Watch'],
    'Sign in': ['/signin', 'Sign in'],
  };
  for (const name of NAV) {
    const [url, heading] = expected[name];
    await nav.getByRole('link', { name }).click();
    await expect(page).toHaveURL(url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page).toHaveTitle(`${heading} · Stride`);
    await expect(nav.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
  }
  expect(await page.evaluate(() => (window as any).__strideMarker)).toBe('still here');
});

test('the units setting survives a reload', async ({ page }) => {
  await gotoHydrated(page, '/');
  await page.getByRole('button', { name: 'mi' }).click();
  await expect(page.locator('dd[data-meters="5000"]')).toHaveText('3.11 mi');
  expect(await page.evaluate(() => localStorage.getItem('stride.units'))).toBe('imperial');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
  await expect(page.locator('dd[data-meters="5000"]')).toHaveText('3.11 mi');
  await expect(page.getByRole('button', { name: 'mi' })).toHaveAttribute('aria-pressed', 'true');

  await page.getByRole('button', { name: 'km' }).click();
  await expect(page.locator('dd[data-meters="5000"]')).toHaveText('5.00 km');
  expect(await page.evaluate(() => localStorage.getItem('stride.units'))).toBe('metric');
});

test('an unknown address gets the 404 page with status 404', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page).toHaveTitle('Page not found · Stride');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
  await page.getByRole('link', { name: 'Back to the start' }).click();
  await expect(page).toHaveURL('/');
});

test('the static files are served', async ({ request }) => {
  for (const [file, type] of [
    ['/pkg/stride.wasm', 'application/wasm'],
    ['/pkg/stride.js', 'text/javascript'],
    ['/pkg/stride.css', 'text/css'],
    ['/favicon.svg', 'image/svg+xml'],
  ]) {
    const response = await request.get(file);
    expect(response.status(), file).toBe(200);
    expect(response.headers()['content-type'], file).toContain(type);
  }
  // Compressed on the wire and revalidated by browsers (the names do not change between builds).
  const wasm = await request.get('/pkg/stride.wasm', { headers: { 'accept-encoding': 'gzip' } });
  expect(wasm.headers()['content-encoding']).toBe('gzip');
  expect(wasm.headers()['cache-control']).toBe('no-cache');
  expect((await wasm.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test('the layout fits the screen and every link is reachable', async ({ page }) => {
    await gotoHydrated(page, '/');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Sign in' }).scrollIntoViewIfNeeded();
    await nav.getByRole('link', { name: 'Sign in' }).click();
    await expect(page).toHaveURL('/signin');
  });
});

test.describe('colour scheme', () => {
  for (const [scheme, dark] of [['light', false], ['dark', true]] as const) {
    test(`follows the system: ${scheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/');
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g)!.map(Number);
      const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      if (dark) expect(luminance).toBeLessThan(0.2);
      else expect(luminance).toBeGreaterThan(0.8);
    });
  }
});
