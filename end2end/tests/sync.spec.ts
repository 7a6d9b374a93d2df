import { test, expect, type Browser, type Page } from '@playwright/test';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gotoHydrated, signUp as createAccount } from './helpers';
import { unzip } from './zip';

const root = path.resolve(__dirname, '../..');
const corpus = path.resolve(root, '../shared/fixtures');
// Three runs of MIT-licensed repositories (../shared/fixtures/SOURCES.md), read in place.
const GPS_RUN = path.join(corpus, 'python-fitparse/2013-02-06-12-11-14.fit'); // Forerunner 110, 590 records
const DEV_RUN = path.join(corpus, 'jimmykane-fit-parser/running-with-developer-data.fit'); // fenix 5X, 1681 records
const SHORT_RUN = path.join(corpus, 'python-fitparse/garmin-fenix-5-run.fit'); // fenix 5, 21 records
const FILES = [GPS_RUN, DEV_RUN, SHORT_RUN];
const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
const SHAS = FILES.map((f) => sha256(fs.readFileSync(f)));
const PASSWORD = 'a long and unusual passphrase';

/** Great-circle distance in metres, on the sphere the server uses (mean radius 6 371 008.8 m). */
function haversine([lat1, lon1]: number[], [lat2, lon2]: number[]): number {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

const signUp = (page: Page, username: string) => createAccount(page, username, PASSWORD);

async function signIn(page: Page, username: string) {
  await gotoHydrated(page, '/signin');
  const form = page.getByRole('region', { name: 'Sign in' });
  await form.getByLabel('Username or email').fill(username);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** The Runs page once the library has been read and the account's runs listed. */
async function openRuns(page: Page) {
  await gotoHydrated(page, '/runs');
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
  await expect(page.getByRole('button', { name: 'Sync' })).toHaveAttribute('data-loaded', 'true');
}

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** `data-route` of a public page: the visible parts of the route. */
async function routeOf(page: Page): Promise<number[][]> {
  const parts: number[][][] = JSON.parse((await page.getByRole('img', { name: 'The route' }).getAttribute('data-route'))!);
  return parts.flat();
}

test('sync three runs to a second browser, share one by a link, export, delete the account', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const username = `syncer${crypto.randomBytes(4).toString('hex')}`;

  // First browser: sign up, import three files, sync them up.
  const first = await newPage(browser);
  await signUp(first.page, username);
  await openRuns(first.page);
  const sync = first.page.getByRole('region', { name: 'Sync' });
  await expect(sync).toContainText(`Signed in as ${username}`);
  await first.page.getByLabel('Import files').setInputFiles(FILES);
  await expect(first.page.getByRole('status').filter({ hasText: 'Imported' })).toHaveText(/Imported 3 of 3 files/);
  const firstRows = sync.getByRole('list', { name: 'Sync state of each run' }).getByRole('listitem');
  await expect(firstRows).toHaveCount(3);
  for (const row of await firstRows.all()) await expect(row).toHaveAttribute('data-sync-state', 'local');
  await sync.getByRole('button', { name: 'Sync' }).click();
  await expect(sync.getByRole('status')).toHaveText('Synced: 3 uploaded, 0 downloaded');
  for (const row of await firstRows.all()) await expect(row).toHaveAttribute('data-sync-state', 'synced');
  await expect(sync.getByTestId('sync-counts')).toHaveText('3 synced, 0 to upload, 0 to download');

  // Second browser: sign in, the three runs are on the server only; a sync brings them here,
  // imported (analysed in the worker) like any file.
  const second = await newPage(browser);
  await signIn(second.page, username);
  await expect(second.page).toHaveURL(/\/account$/);
  await openRuns(second.page);
  const sync2 = second.page.getByRole('region', { name: 'Sync' });
  const rows2 = sync2.getByRole('list', { name: 'Sync state of each run' }).getByRole('listitem');
  await expect(rows2).toHaveCount(3);
  for (const row of await rows2.all()) await expect(row).toHaveAttribute('data-sync-state', 'server');
  await expect(second.page.locator('tr.runs-table__run')).toHaveCount(0);
  await sync2.getByRole('button', { name: 'Sync' }).click();
  await expect(sync2.getByRole('status')).toHaveText('Synced: 0 uploaded, 3 downloaded');
  const ids = await second.page.locator('tr.runs-table__run').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')));
  expect(ids.sort()).toEqual([...SHAS].sort());
  // Kept in this browser's library: still there after a reload.
  await openRuns(second.page);
  await expect(second.page.locator('tr.runs-table__run')).toHaveCount(3);
  for (const row of await rows2.all()) await expect(row).toHaveAttribute('data-sync-state', 'synced');
  // The run page re-analyses the downloaded original.
  await second.page.locator(`tr[data-run-id="${SHAS[0]}"]`).getByRole('link').click();
  await expect(second.page.locator('[data-metric="distance_m"]')).toBeVisible();

  // Share the GPS run: with nothing hidden first, to know the whole route.
  await openRuns(second.page);
  const gpsRow = sync2.locator(`li[data-sha256="${SHAS[0]}"]`);
  const serverId = (await gpsRow.getAttribute('data-server-id'))!;
  expect(serverId).toMatch(/^[0-9a-f]{24}$/);
  await gpsRow.getByRole('button', { name: 'Make public' }).click();
  const link = gpsRow.getByTestId('share-link');
  await expect(link).toHaveAttribute('data-hide-m', '0');
  const sharedPath = (await link.getAttribute('href'))!;
  expect(sharedPath).toMatch(/^\/shared\/[0-9a-f]{64}$/);
  // The run's own page offers the same link and its controls.
  await second.page.locator(`tr[data-run-id="${SHAS[0]}"]`).getByRole('link').click();
  const onPage = second.page.getByRole('region', { name: 'Sharing' });
  await expect(onPage.getByTestId('share-link')).toHaveAttribute('href', sharedPath);
  await expect(onPage.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
  await openRuns(second.page);

  const anonymous = await newPage(browser);
  let answer = await anonymous.page.goto(sharedPath);
  expect(answer!.status()).toBe(200);
  await expect(anonymous.page.getByRole('heading', { level: 1 })).toHaveText('running on 2013-02-06');
  // The original's file name is not shown, nor anywhere in the page (hydration data included).
  expect(await anonymous.page.content()).not.toContain('2013-02-06-12-11-14');
  const whole = await routeOf(anonymous.page);
  expect(whole.length).toBeGreaterThan(100);
  const [start, end] = [whole[0], whole[whole.length - 1]];

  // Hide 300 m at each end: the same link; the hidden points are cut on the server.
  await gpsRow.getByLabel('Hide at each end').selectOption('3');
  await gpsRow.getByRole('button', { name: 'Update link' }).click();
  await expect(link).toHaveAttribute('data-hide-m', '300');
  expect(await link.getAttribute('href')).toBe(sharedPath);
  answer = await anonymous.page.goto(sharedPath);
  expect(answer!.status()).toBe(200);
  await expect(anonymous.page.getByText('The first and last 300 m of the route are hidden.')).toBeVisible();
  const shown = await routeOf(anonymous.page);
  expect(shown.length).toBeGreaterThan(0);
  expect(shown.length).toBeLessThan(whole.length);
  for (const p of shown) {
    expect(haversine(p, start)).toBeGreaterThanOrEqual(300);
    expect(haversine(p, end)).toBeGreaterThanOrEqual(300);
  }
  // Not in the page's data at all: the HTML as sent (hydration data included).
  const html = await (await request.get(sharedPath)).text();
  const hiddenPoints = whole.filter((p) => haversine(p, start) < 300 || haversine(p, end) < 300);
  expect(hiddenPoints.length).toBeGreaterThan(5);
  for (const [lat, lon] of hiddenPoints) expect(html).not.toContain(`${lat},${lon}`);
  expect(html).not.toContain(`/api/sync/runs/${serverId}`);

  // Another user: a private run (and its original) is 404 to them, as a missing one.
  const other = await newPage(browser);
  await signUp(other.page, `other${crypto.randomBytes(4).toString('hex')}`);
  const privateId = (await sync2.locator(`li[data-sha256="${SHAS[1]}"]`).getAttribute('data-server-id'))!;
  expect((await other.page.request.get(`/api/sync/runs/${privateId}/original`)).status()).toBe(404);
  expect((await other.page.request.get(`/api/sync/runs/${serverId}/original`)).status()).toBe(404);
  expect((await request.get(`/api/sync/runs/${privateId}/original`)).status()).toBe(401);
  expect((await second.page.request.get(`/api/sync/runs/${privateId}/original`)).status()).toBe(200);
  // The public link is readable by them too, until it is revoked; then it is 404 for everyone.
  expect((await other.page.goto(sharedPath))!.status()).toBe(200);
  await gpsRow.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(gpsRow.getByRole('button', { name: 'Make public' })).toBeVisible();
  expect((await other.page.goto(sharedPath))!.status()).toBe(404);
  await expect(other.page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  expect((await anonymous.page.goto(sharedPath))!.status()).toBe(404);

  // Export: a zip with every original, byte for byte, and the JSON of the rest.
  await gotoHydrated(first.page, '/account');
  const [download] = await Promise.all([
    first.page.waitForEvent('download'),
    first.page.getByRole('link', { name: 'Export all my data' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`stride-export-${username}.zip`);
  const entries = unzip(fs.readFileSync((await download.path())!));
  const originals = entries.filter((e) => e.name.startsWith('originals/'));
  expect(originals.map((e) => e.name).sort()).toEqual(SHAS.map((s) => `originals/${s}.fit`).sort());
  for (const e of originals) expect(`originals/${sha256(e.data)}.fit`).toBe(e.name);
  const json = JSON.parse(entries.find((e) => e.name === 'stride-export.json')!.data.toString('utf8'));
  expect(json.account.username).toBe(username);
  expect(json.runs.map((r: any) => r.sha256).sort()).toEqual([...SHAS].sort());
  const gpsExported = json.runs.find((r: any) => r.sha256 === SHAS[0]);
  expect(gpsExported.name).toBe('2013-02-06-12-11-14.fit');
  expect(gpsExported.summary.records).toBe(590);
  expect(gpsExported.sharing).toBeNull();

  // Delete the account: signed out, sign-in fails, the originals are gone from the server.
  // The server's data folder (scripts/test passes it, as playwright.config.ts's webServer does).
  const dataDir = process.env.STRIDE_E2E_DATA;
  expect(dataDir, 'STRIDE_E2E_DATA must name the data folder of the server under test').toBeTruthy();
  const onDisk = (sha: string) => path.join(dataDir!, 'originals', sha.slice(0, 2), sha);
  expect(fs.existsSync(onDisk(SHAS[0]))).toBe(true);
  await first.page.getByLabel('Confirm with your password').fill(PASSWORD);
  await first.page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(first.page).toHaveURL(/\/signin\?deleted=1$/);
  await expect(first.page.getByTestId('account-deleted')).toContainText('Your account was deleted');
  expect((await second.page.request.get(`/api/sync/runs/${privateId}/original`)).status()).toBe(401);
  await signIn(first.page, username);
  await expect(first.page.getByRole('region', { name: 'Sign in' }).getByRole('alert')).toHaveText(
    'the username or password is not right',
  );
  // The two runs no other account holds lose their files (the short run's bytes may also be
  // another spec's upload, which must keep its own copy).
  expect(fs.existsSync(onDisk(SHAS[0]))).toBe(false);
  expect(fs.existsSync(onDisk(SHAS[1]))).toBe(false);
  for (const p of [first, second, anonymous, other]) expect(p.errors).toEqual([]);
});

test('offline the Sync panel keeps the last states, and a sync asked for starts when back online', async ({ browser }) => {
  test.setTimeout(90_000);
  const username = `offline${crypto.randomBytes(4).toString('hex')}`;
  const { context, page, errors } = await newPage(browser);
  await signUp(page, username);
  await openRuns(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // Open the page again through the worker, so that the copy it keeps is of the signed-in page
  // (it may have precached /runs while the account was still being made).
  await openRuns(page);
  const sync = page.getByRole('region', { name: 'Sync' });
  // Files of their own: the first test checks that deleting its account removes its originals,
  // which another account's copies would keep.
  const [walk, ride, later] = ['python-fitparse/garmin-fenix-5-walk.fit', 'python-fitparse/garmin-fenix-5-bike.fit', 'python-fitparse/2015-10-13-08-43-15.fit'].map((f) => path.join(corpus, f));
  await page.getByLabel('Import files').setInputFiles([walk, ride]);
  const rows = sync.getByRole('list', { name: 'Sync state of each run' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await sync.getByRole('button', { name: 'Sync' }).click();
  await expect(sync.getByRole('status')).toHaveText('Synced: 2 uploaded, 0 downloaded');

  // Offline: the page (from the service worker's cache) shows the states as last known, not
  // "On this device only", and no network error.
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
  await expect(sync.getByTestId('sync-offline')).toContainText('Offline');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-sync-state', 'synced');
  await expect(sync.locator('.sync-panel__error')).toHaveCount(0);
  // A run imported offline waits; Sync pressed offline starts when the network is back.
  await page.getByLabel('Import files').setInputFiles(later);
  await expect(rows).toHaveCount(3);
  await sync.getByRole('button', { name: 'Sync' }).click();
  await expect(sync.getByTestId('sync-offline')).toContainText('the sync will start when you are back online');
  await context.setOffline(false);
  await expect(sync.locator('.sync-panel__result')).toHaveText('Synced: 1 uploaded, 0 downloaded', { timeout: 20_000 });
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-sync-state', 'synced');

  // The account's page is never kept for offline (nor is the server's answer cacheable), and
  // signing out forgets the last list of the account's runs.
  const account = await page.goto('/account');
  expect(account!.headers()['cache-control']).toBe('private, no-store');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
  const cached = () => page.evaluate(async () => {
    const keys = await caches.keys();
    const pages = await Promise.all(keys.map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname)));
    return pages.flat();
  });
  expect(await cached()).not.toContain('/account');
  expect(await cached()).toContain('/runs');
  expect(await page.evaluate(() => localStorage.getItem('stride.synced'))).toContain(username);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect(await page.evaluate(() => localStorage.getItem('stride.synced'))).toBeNull();
  expect(errors).toEqual([]);
  await context.close();
});
