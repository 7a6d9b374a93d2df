import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gotoHydrated } from './helpers';

const root = path.resolve(__dirname, '../..');
const FIT = path.join(root, 'analysis/tests/fixtures/garmin-fenix-5-run.fit');
const fitFile = () => ({ name: path.basename(FIT), mimeType: 'application/octet-stream', buffer: fs.readFileSync(FIT) });
const CORRUPT = { name: 'corrupt.fit', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a run file at all') };

/** What `stride analyze --json` says about `file`: the figures the browser must agree with. */
function strideAnalyze(file: string): Record<string, any> {
  const bin = process.env.STRIDE_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'stride');
  const out = execFileSync(bin, ['analyze', '--json', file], { encoding: 'utf8' });
  return JSON.parse(out)[0];
}

/** Opens the Runs page once the library has been read from IndexedDB. */
async function openRuns(page: Page) {
  await gotoHydrated(page, '/runs');
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
}

test('imported files are analysed in the browser, kept on the device and shown', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const expected = strideAnalyze(FIT);
  const rows = page.locator('tr.runs-table__run');

  await openRuns(page);
  await expect(rows).toHaveCount(0);
  await page.getByLabel('Import files').setInputFiles([fitFile(), CORRUPT]);
  await expect(page.getByRole('status')).toHaveText(/Imported 2 of 2 files/);

  // One run, and the corrupt file listed with the analysis core's reason.
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(expected.start_time.slice(0, 10));
  await expect(rows.first()).toContainText('running');
  await expect(rows.first()).toContainText('0.16 km');
  const failures = page.getByRole('list', { name: 'Files not imported' }).getByRole('listitem');
  await expect(failures).toHaveCount(1);
  await expect(failures.first()).toContainText('corrupt.fit');
  const reason = (await failures.first().locator('.import__reason').textContent())!.trim();
  expect(reason.length).toBeGreaterThan(3);

  // The list survives a reload; importing the same file again keeps one run.
  await page.reload();
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
  await expect(rows).toHaveCount(1);
  await page.getByLabel('Import files').setInputFiles(FIT);
  await expect(page.getByRole('status')).toHaveText(/Imported 1 of 1 files/);
  await expect(rows).toHaveCount(1);

  // The run page recomputes from the stored original and agrees with the command line.
  await rows.first().getByRole('link').click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f]{64}$/);
  const tile = (id: string) => page.locator(`[data-metric="${id}"]`);
  await expect(tile('distance_m')).toBeVisible();
  expect(Number(await tile('distance_m').getAttribute('data-value'))).toBe(expected.distance_m);
  expect(Number(await tile('timer_s').getAttribute('data-value'))).toBe(expected.timer_s);
  for (const id of ['elapsed_s', 'moving_s', 'avg_hr', 'max_hr', 'avg_cadence_spm', 'trimp']) {
    expect(Number(await tile(id).getAttribute('data-value')), id).toBeCloseTo(
      id === 'trimp' ? expected.load.trimp : expected[id],
      9,
    );
  }
  await expect(tile('distance_m')).toContainText('0.16 km');
  const splits = page.locator('table.splits-table');
  await expect(splits).toHaveAttribute('data-unit', 'km');
  await expect(splits.locator('tbody tr')).toHaveCount(1);
  await page.getByRole('button', { name: 'mi', exact: true }).click();
  await expect(splits).toHaveAttribute('data-unit', 'mi');
  await expect(tile('distance_m')).toContainText('0.10 mi');

  // A direct visit (server-rendered, then read from the library) shows the same run.
  await page.reload();
  expect(Number(await tile('distance_m').getAttribute('data-value'))).toBe(expected.distance_m);

  // Delete and clear all, each confirmed (library.spec.ts checks the questions and Undo).
  page.on('dialog', (d) => d.accept());
  await gotoHydrated(page, '/runs');
  await expect(rows).toHaveCount(1);
  await page.getByRole('button', { name: /^Delete / }).click();
  await expect(rows).toHaveCount(0);
  await page.getByLabel('Import files').setInputFiles(FIT);
  await expect(rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear all' }).click();
  await expect(rows).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
  await expect(rows).toHaveCount(0);
  expect(errors).toEqual([]);
});

// GPX and TCX files from the shared corpus, read in place (they are not ours to copy).
const SHARED = path.resolve(root, '../shared/fixtures');
const XML_FILES = ['fittrackee/test.gpx', 'goldencheetah/10kUNLP2014-Garmin15.tcx'].map((f) => path.join(SHARED, f));

test('GPX and TCX files agree with the command line too', async ({ page }) => {
  test.skip(!XML_FILES.every((f) => fs.existsSync(f)), `needs ${SHARED}`);
  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles(XML_FILES);
  await expect(page.getByRole('status')).toHaveText(/Imported 2 of 2 files/);
  const rows = page.locator('tr.runs-table__run');
  // The GPX names no sport: it shows with every sport.
  const allSports = () => page.getByLabel('Sport', { exact: true }).selectOption('');
  await allSports();
  await expect(rows).toHaveCount(2);
  for (const file of XML_FILES) {
    const expected = strideAnalyze(file);
    await gotoHydrated(page, '/runs');
    await allSports();
    await rows.filter({ hasText: expected.start_time.slice(0, 10) }).getByRole('link').click();
    const value = async (id: string) => Number(await page.locator(`[data-metric="${id}"]`).getAttribute('data-value'));
    await expect(page.locator('[data-metric="distance_m"]')).toBeVisible();
    expect(await value('distance_m'), file).toBe(expected.distance_m);
    expect(await value('timer_s'), file).toBe(expected.timer_s);
  }
});

test('files dropped on the page are imported', async ({ page }) => {
  await openRuns(page);
  const bytes = [...fs.readFileSync(FIT)];
  const dataTransfer = await page.evaluateHandle(
    ([bytes, name]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name));
      transfer.items.add(new File(['garbage'], 'dropped.gpx'));
      return transfer;
    },
    [bytes, path.basename(FIT)] as const,
  );
  // Anywhere on the page, not only on the import box.
  await page.getByRole('heading', { level: 1 }).dispatchEvent('drop', { dataTransfer });
  await expect(page.getByRole('status')).toHaveText(/Imported 2 of 2 files/);
  await expect(page.locator('tr.runs-table__run')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Files not imported' })).toContainText('dropped.gpx');
});

test('the Runs page is rendered on the server with the import picker', async ({ request }) => {
  const html = await (await request.get('/runs')).text();
  expect(html).toContain('Import files');
  // Not "No runs yet": the library is read after hydration, so the server says it is loading.
  expect(html).toContain('Loading your library');
  expect(html).not.toContain('No runs yet');
});

test('after the first visit the app and the library work offline', async ({ page, context }) => {
  const rows = page.locator('tr.runs-table__run');
  await openRuns(page);
  // The service worker installs (caching the shell, the wasm and the analysis worker) and
  // takes control of the page.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.getByLabel('Import files').setInputFiles(fitFile());
  await expect(page.getByRole('status')).toHaveText(/Imported 1 of 1 files/);
  await expect(rows).toHaveCount(1);
  // Visit the run page online once, so that the analysis worker's module is used and cached.
  await rows.first().getByRole('link').click();
  await expect(page.locator('[data-metric="distance_m"]')).toBeVisible();

  await context.setOffline(true);
  await gotoHydrated(page, '/runs');
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
  await expect(rows).toHaveCount(1);
  // The run page recomputes from the stored original in the worker, offline.
  await rows.first().getByRole('link').click();
  await expect(page.locator('[data-metric="distance_m"]')).toBeVisible();
  const expected = strideAnalyze(FIT);
  const distance = await page.locator('[data-metric="distance_m"]').getAttribute('data-value');
  expect(Number(distance)).toBe(expected.distance_m);
  // The other pages of the navigation were cached when the service worker installed.
  await gotoHydrated(page, '/dashboard');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await context.setOffline(false);
});

test('the app is installable: a web manifest', async ({ request }) => {
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest.name).toBe('Stride');
  expect(manifest.start_url).toBe('/runs');
  const sw = await request.get('/sw.js');
  expect(sw.status()).toBe(200);
  expect(await sw.text()).toContain("addEventListener('fetch'");
});
