// Every page, as a runner meets it: no serious or critical accessibility violation (axe-core) in
// the light or the dark theme, and no sideways scrolling on a 390 px phone, where the header
// still shows every link.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gotoHydrated, signUp as createAccount } from './helpers';

const root = path.resolve(__dirname, '../..');
const FIT = path.join(root, 'analysis/tests/fixtures/garmin-fenix-5-run.fit');
const RUN_ID = crypto.createHash('sha256').update(fs.readFileSync(FIT)).digest('hex');
const PASSWORD = 'a long and unusual passphrase';

/** The pages of the app, with a run in the library so that the runs list and a run page have
 *  something to show; `/account` once signed in. */
const PAGES = ['/', '/runs', `/runs/${RUN_ID}`, '/records', '/dashboard', '/plans', '/watch', '/settings', '/signin', '/no-such-page'];

async function withRun(page: Page) {
  await gotoHydrated(page, '/runs');
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
  await page.getByLabel('Import files').setInputFiles(FIT);
  await expect(page.locator('tr.runs-table__run')).toHaveCount(1);
}

/** Opens `url` and waits for what it shows after hydration (a run page analyses its run). */
async function open(page: Page, url: string) {
  await gotoHydrated(page, url);
  if (url.startsWith('/runs/')) await expect(page.locator('.metric-tiles[aria-label="Summary"]')).toBeVisible();
  if (url === '/runs') await expect(page.locator('tr.runs-table__run')).toHaveCount(1);
}

async function signUp(page: Page) {
  const username = `pages${crypto.randomBytes(4).toString('hex')}`;
  await createAccount(page, username, PASSWORD);
  return username;
}

for (const scheme of ['light', 'dark'] as const) {
  test(`no serious or critical accessibility violation on any page (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await withRun(page);
    const found: string[] = [];
    const check = async (url: string) => {
      await open(page, url);
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        found.push(`${url}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      }
    };
    for (const url of PAGES) await check(url);
    // Signed in: the account page, and the header naming the account.
    const username = await signUp(page);
    await expect(page.locator('.site-header__signin')).toHaveText(new RegExp(username));
    await check('/account');
    await check('/runs');
    expect(found, found.join('\n')).toEqual([]);
  });
}

test('on a 390 px phone no page scrolls sideways, and the header shows every link', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await withRun(page);
  const wide: string[] = [];
  for (const url of PAGES) {
    await open(page, url);
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    if (scroll > width) wide.push(`${url}: ${scroll} px wide in ${width} px`);
    for (const name of ['Runs', 'Dashboard', 'Plans', 'Watch', 'Settings', 'Sign in']) {
      const box = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).boundingBox();
      if (!box || box.x < 0 || box.x + box.width > width) wide.push(`${url}: the header's ${name} link is off-screen`);
    }
  }
  expect(wide, wide.join('\n')).toEqual([]);
  // The runs list keeps its figures on a phone: pace, heart rate, load and Delete are on screen.
  await open(page, '/runs');
  const row = page.locator('tr.runs-table__run').first();
  for (const label of ['Pace', 'Avg HR', 'Load']) {
    const cell = row.locator(`td[data-label="${label}"]`);
    const box = (await cell.boundingBox())!;
    expect(box.x + box.width, label).toBeLessThanOrEqual(390);
  }
  const del = (await row.getByRole('button', { name: /^Delete / }).boundingBox())!;
  expect(del.x + del.width).toBeLessThanOrEqual(390);
  await context.close();
});
