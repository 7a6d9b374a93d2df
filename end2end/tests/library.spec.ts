// A library a runner can trust (issue 16): every run of the shared corpus opens, one activity
// in several files is one run, files without an activity are skipped, nothing is deleted
// without asking, and a run page never visited opens offline.
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gotoHydrated, libraryOf, type Analysed } from './helpers';

const root = path.resolve(__dirname, '../..');
const SHARED = path.resolve(root, '../shared/fixtures');
const BIN = process.env.STRIDE_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'stride');

test.skip(!fs.existsSync(SHARED), `needs ${SHARED}`);

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
const upload = (file: string) => ({ name: path.basename(file), mimeType: 'application/octet-stream', buffer: fs.readFileSync(file) });
const rows = (page: Page) => page.locator('tr.runs-table__run');
const status = (page: Page) => page.locator('.import__progress');

/** Every FIT, GPX and TCX file of the shared corpus (read in place, never copied). */
function corpusFiles(dir = SHARED): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return corpusFiles(p);
      return /\.(fit|gpx|tcx)$/i.test(e.name) ? [p] : [];
    })
    .sort();
}

async function openRuns(page: Page) {
  await gotoHydrated(page, '/runs');
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
}

/** The ids of the runs in this browser's library (IndexedDB `stride`, store `runs`). */
async function libraryIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('stride');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('runs').objectStore('runs').getAllKeys();
          get.onsuccess = () => resolve(get.result as string[]);
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/** Opens `/runs/<id>` inside the app (a link the router follows, no reload) and waits until it
 *  shows the run or says why not. */
async function openRunInApp(page: Page, id: string) {
  await page.evaluate((id) => {
    const a = document.createElement('a');
    a.href = `/runs/${id}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }, id);
  await expect(page).toHaveURL(new RegExp(`/runs/${id}$`));
  const done = page.locator('.metric-tiles[aria-label="Summary"], [data-run-error], .page-header__title:text-is("Run not found")');
  await expect(done.first()).toBeVisible({ timeout: 20_000 });
}

test('every file of the shared corpus that imports opens on its run page, with no error text', async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const files = corpusFiles();
  expect(files.length).toBeGreaterThanOrEqual(190);

  await openRuns(page);
  // In parts, so that one input's file list stays small.
  for (let i = 0; i < files.length; i += 50) {
    await page.getByLabel('Import files').setInputFiles(files.slice(i, i + 50).map(upload));
    await expect(status(page)).toHaveAttribute('data-finished', 'true', { timeout: 180_000 });
  }
  const ids = await libraryIds(page);
  expect(ids.length).toBeGreaterThanOrEqual(150);

  const broken: string[] = [];
  for (const id of ids) {
    await openRunInApp(page, id);
    const main = (await page.locator('main').innerText()).slice(0, 2000);
    if ((await page.locator('[data-run-error]').count()) > 0 || /invalid type|expected f64|Run not found/.test(main)) {
      broken.push(`${id}: ${main.split('\n').slice(0, 4).join(' | ')}`);
    }
  }
  expect(broken, broken.join('\n')).toEqual([]);
  expect(errors).toEqual([]);
});

/** The rule the library follows, written again from README's words as the test's oracle: the
 *  same sport (or none named), starts within a minute, and the shorter span mostly inside the
 *  other. */
function sameActivity(a: any, b: any): boolean {
  const sport = (s: string) => {
    const k = (s ?? '').toLowerCase();
    return ['', 'generic', 'other'].includes(k) ? null : k;
  };
  if (sport(a.sport) && sport(b.sport) && sport(a.sport) !== sport(b.sport)) return false;
  if (!a.start_time || !b.start_time) return false;
  const [a0, b0] = [Date.parse(a.start_time) / 1000, Date.parse(b.start_time) / 1000];
  if (Math.abs(a0 - b0) > 60) return false;
  const [a1, b1] = [a0 + (a.elapsed_s ?? a.timer_s ?? 0), b0 + (b.elapsed_s ?? b.timer_s ?? 0)];
  const shorter = Math.min(a1 - a0, b1 - b0);
  return shorter <= 0 || Math.min(a1, b1) - Math.max(a0, b0) >= 0.5 * shorter;
}

test('one activity as FIT, TCX and GPX is one run: the FIT is analysed, the others kept, in any order', async ({ page }) => {
  const base = path.join(SHARED, 'sports-lib', '6782987395');
  const [fit, gpx, tcx] = ['.fit', '.gpx', '.tcx'].map((e) => base + e);
  const summaries: any[] = JSON.parse(execFileSync(BIN, ['analyze', '--json', fit, gpx, tcx], { encoding: 'utf8' }));
  // The three files really are one activity by the rule, and the FIT's figures are the run's.
  expect(sameActivity(summaries[0], summaries[1]) && sameActivity(summaries[0], summaries[2])).toBe(true);
  const fitId = sha256(fs.readFileSync(fit));
  const gpxId = sha256(fs.readFileSync(gpx));

  await openRuns(page);
  // The poorest first: the GPX becomes a run, then the TCX and the FIT join it.
  await page.getByLabel('Import files').setInputFiles(upload(gpx));
  await expect(status(page)).toContainText('Imported 1 of 1 files (1 new)');
  await page.getByLabel('Import files').setInputFiles([upload(tcx), upload(fit)]);
  await expect(status(page)).toContainText('Imported 2 of 2 files (0 new, 2 the same run as one already in the library)');
  const notes = page.getByRole('list', { name: 'Files kept as another original of a run' });
  await expect(notes.getByRole('listitem')).toHaveCount(2);
  await expect(notes).toContainText(`6782987395.fit: the same run as ${summaries[0].start_time.slice(0, 10)}`);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-run-id', fitId);

  // Again, all three at once: nothing changes.
  await page.getByLabel('Import files').setInputFiles([upload(fit), upload(tcx), upload(gpx)]);
  await expect(status(page)).toContainText('(0 new, 3 already in the library)');
  await expect(rows(page)).toHaveCount(1);

  // The run page shows the FIT's figures and lists the three originals, the FIT analysed.
  await rows(page).first().getByRole('link').click();
  await expect(page.locator('.metric-tile[data-metric="timer_s"]')).toHaveAttribute('data-value', String(summaries[0].timer_s));
  const originals = page.getByRole('list', { name: 'Original files' }).getByRole('listitem');
  await expect(originals).toHaveCount(3);
  await expect(originals.first()).toContainText('6782987395.fit');
  await expect(originals.first()).toContainText('analysed');
  // Each original downloads as its exact bytes.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download 6782987395.gpx' }).click();
  const saved = await (await download).path();
  expect(sha256(fs.readFileSync(saved!))).toBe(gpxId);

  // The GPX's old address leads to the run.
  await gotoHydrated(page, `/runs/${gpxId}`);
  await expect(page).toHaveURL(new RegExp(`/runs/${fitId}$`));
  await expect(page.locator('.metric-tile[data-metric="timer_s"]')).toHaveAttribute('data-value', String(summaries[0].timer_s));
});

test('a file without an activity (a device\'s settings) is skipped and counted', async ({ page }) => {
  const settings = path.join(SHARED, 'muktihari-fit', 'Settings.fit');
  const run = path.join(root, 'analysis/tests/fixtures/garmin-fenix-5-run.fit');
  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles([upload(settings), upload(run)]);
  await expect(status(page)).toContainText('Imported 2 of 2 files (1 new, 1 without an activity skipped)');
  await expect(rows(page)).toHaveCount(1);
  expect(await libraryIds(page)).toEqual([sha256(fs.readFileSync(run))]);
});

test('Delete and Clear all ask first, and a deleted run can be put back for a few seconds', async ({ page }) => {
  const run = path.join(root, 'analysis/tests/fixtures/garmin-fenix-5-run.fit');
  const id = sha256(fs.readFileSync(run));
  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles(upload(run));
  await expect(rows(page)).toHaveCount(1);

  // Dismissed: nothing happens.
  const questions: string[] = [];
  let answer = false;
  page.on('dialog', async (d) => {
    questions.push(d.message());
    await (answer ? d.accept() : d.dismiss());
  });
  await rows(page).first().getByRole('button', { name: /^Delete / }).click();
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain('garmin-fenix-5-run.fit');
  expect(questions[0]).toContain('exists only here');
  await expect(rows(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear all' }).click();
  await expect.poll(() => questions.length).toBe(2);
  expect(questions[1]).toContain('Delete all 1 runs');
  await expect(rows(page)).toHaveCount(1);
  expect(await libraryIds(page)).toEqual([id]);

  // Accepted: the run goes, and Undo puts it back with its original.
  answer = true;
  await rows(page).first().getByRole('button', { name: /^Delete / }).click();
  await expect(rows(page)).toHaveCount(0);
  expect(await libraryIds(page)).toEqual([]);
  const undo = page.locator('.undo-bar');
  await expect(undo).toContainText('Deleted');
  await undo.getByRole('button', { name: 'Undo' }).click();
  await expect(rows(page)).toHaveCount(1);
  expect(await libraryIds(page)).toEqual([id]);
  await rows(page).first().getByRole('link').click();
  await expect(page.locator('.metric-tile[data-metric="distance_m"]')).toBeVisible();

  // Without Undo, the deletion stands once the bar is gone.
  await openRuns(page);
  await rows(page).first().getByRole('button', { name: /^Delete / }).click();
  await expect(rows(page)).toHaveCount(0);
  await expect(undo).toHaveCount(0, { timeout: 15_000 });
  await page.reload();
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
  await expect(rows(page)).toHaveCount(0);
});

test('offline, a run page never opened before loads from its address', async ({ page, context }) => {
  const run = path.join(root, 'analysis/tests/fixtures/garmin-fenix-5-run.fit');
  const id = sha256(fs.readFileSync(run));
  await openRuns(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.getByLabel('Import files').setInputFiles(upload(run));
  await expect(rows(page)).toHaveCount(1);

  await context.setOffline(true);
  await gotoHydrated(page, `/runs/${id}`);
  await expect(page.locator('.metric-tile[data-metric="distance_m"]')).toBeVisible();
  await context.setOffline(false);
});

test('a run is named ("Morning run" by its local hour, or the file\'s name), shows its time of day, and takes a name and notes', async ({ page }) => {
  const run = path.join(root, 'analysis/tests/fixtures/garmin-fenix-5-run.fit');
  const [a] = JSON.parse(execFileSync(BIN, ['analyze', '--json', run], { encoding: 'utf8' }));
  // The watch's own offset, else the browser's (UTC here).
  const local = new Date(Date.parse(a.start_time) + (a.utc_offset_s ?? 0) * 1000).toISOString();
  const hour = Number(local.slice(11, 13));
  const part = hour >= 4 && hour < 11 ? 'Morning' : hour < 14 && hour >= 11 ? 'Lunch' : hour >= 14 && hour < 18 ? 'Afternoon' : hour >= 18 && hour < 22 ? 'Evening' : 'Night';
  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles(upload(run));
  const row = rows(page).first();
  await expect(row.locator('.runs-table__name')).toHaveText(`${part} run`);
  await expect(row.locator('.runs-table__when')).toHaveText(`${local.slice(0, 10)} ${local.slice(11, 16)}`);

  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${part} run`);
  await expect(page.getByTestId('run-when')).toContainText(local.slice(11, 16));
  await page.getByText('Name and notes').click();
  await page.getByLabel('Name', { exact: true }).fill('Hill repeats with Ada');
  await page.getByLabel('Notes').fill('6 x 90 s up Kahlenberg.\nLegs heavy.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hill repeats with Ada');
  await expect(page.getByTestId('run-notes')).toHaveText('6 x 90 s up Kahlenberg.\nLegs heavy.');
  // Kept in the library: after a reload, and in the list.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hill repeats with Ada');
  await expect(page.getByTestId('run-notes')).toContainText('Legs heavy.');
  await openRuns(page);
  await expect(rows(page).first().locator('.runs-table__name')).toHaveText('Hill repeats with Ada');

  // A GPX with a name of its own keeps it.
  const named = path.join(SHARED, 'sports-lib', '6037744996.gpx');
  const [g] = JSON.parse(execFileSync(BIN, ['analyze', '--json', named], { encoding: 'utf8' }));
  test.skip(!g.name, 'the GPX names no activity');
  await page.getByLabel('Import files').setInputFiles(upload(named));
  await page.getByLabel('Sport', { exact: true }).selectOption('');
  await expect(rows(page).locator('.runs-table__name', { hasText: g.name })).toHaveCount(1);
});

test('a library whose last run is long past says so on the dashboard and offers it as of that run', async ({ page }) => {
  const run = path.join(root, 'analysis/tests/fixtures/garmin-fenix-5-run.fit');
  const [a] = JSON.parse(execFileSync(BIN, ['analyze', '--json', run], { encoding: 'utf8' }));
  const day = a.start_time.slice(0, 10);
  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles(upload(run));
  await expect(rows(page)).toHaveCount(1);
  await gotoHydrated(page, '/dashboard');
  const notice = page.getByTestId('dashboard-stale');
  await expect(notice).toContainText(`Your last run was on ${day}`);
  await expect(notice).toContainText('years ago');
  // The charts with nothing in the days they show say so, and when the last run was.
  await expect(page.locator('[data-empty="pmc"]')).toContainText(`no run with a load in that time; the last was on ${day}`);
  await expect(page.locator('[data-empty="weekly-load"]')).toContainText(`the last was on ${day}`);
  await notice.getByRole('link', { name: `See the dashboard as of ${day}` }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard\\?day=${day}$`));
  await expect(page.locator('.dashboard__day')).toContainText(`As of ${day}`);
  await expect(page.getByTestId('dashboard-stale')).toHaveCount(0);
  await expect(page.locator('[data-empty="pmc"]')).toHaveCount(0);
  // The readiness line no longer counts thousands of days of "history".
  await expect(page.locator('.readiness')).not.toContainText(/Only \d{3,} days/);
});

test('personal records by distance over the library, running only, with their runs and progression', async ({ page }) => {
  const dirs = ['jimmykane-fit-parser', 'tormoder-fit', 'python-fitparse'].map((d) => path.join(SHARED, d));
  const files = dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.fit')).map((f) => path.join(d, f)));
  const analysed: Analysed[] = JSON.parse(execFileSync(BIN, ['analyze', '--json', ...files], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const library = libraryOf(files.map((f, i) => ({ id: sha256(fs.readFileSync(f)), a: analysed[i] })));
  // The oracle: per distance, the fastest best effort among the library's running runs.
  const best = new Map<string, { id: string; s: number }>();
  for (const r of library.runs) {
    const a: any = r.a;
    if (a.sport !== 'running' || !a.start_time) continue;
    for (const [k, s] of Object.entries(a.best_efforts as Record<string, number>)) {
      const b = best.get(k);
      if (!b || s < b.s) best.set(k, { id: r.id, s });
    }
  }
  expect(best.size).toBeGreaterThanOrEqual(4);

  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles(files.map(upload));
  await expect(status(page)).toHaveAttribute('data-finished', 'true', { timeout: 60_000 });
  await page.getByRole('link', { name: 'Personal records' }).click();
  await expect(page).toHaveURL(/\/records$/);
  const rowsOf = page.locator('table.records-table tbody tr');
  await expect(rowsOf).toHaveCount(best.size);
  const ids: Record<string, string> = { '400': 'best_400m_s', '1000': 'best_1000m_s', '1609.344': 'best_mile_s', '5000': 'best_5000m_s', '10000': 'best_10000m_s', '15000': 'best_15000m_s', '16093.44': 'best_10mile_s', '21097.5': 'best_half_marathon_s', '30000': 'best_30000m_s', '42195': 'best_marathon_s' };
  for (const [k, b] of best) {
    const row = page.locator(`tr[data-record="${ids[k]}"]`);
    expect(Number(await row.getAttribute('data-seconds')), k).toBe(b.s);
    await expect(row).toHaveAttribute('data-run-id', b.id);
  }
  // The record's run marks it among its best efforts.
  const [k, b] = [...best.entries()][0];
  await page.locator(`tr[data-record="${ids[k]}"] td a`).first().click();
  await expect(page).toHaveURL(new RegExp(`/runs/${b.id}$`));
  await expect(page.locator(`tr[data-metric="${ids[k]}"]`)).toHaveAttribute('data-record', 'held');
  await expect(page.locator(`tr[data-metric="${ids[k]}"]`)).toContainText('Personal record');
});
