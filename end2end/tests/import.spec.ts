import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { gotoHydrated, libraryOf, type Analysed } from './helpers';
import { zip, type ZipEntry } from './zip';

const root = path.resolve(__dirname, '../..');
const SHARED = path.resolve(root, '../shared/fixtures');
// MIT and BSD files only go into the archives (see ../shared/fixtures/SOURCES.md); the GPX and
// TCX (AGPL, GPL) are read in place.
const MIT = path.join(SHARED, 'python-fitparse');
const FIT = path.join(root, 'analysis/tests/fixtures/garmin-fenix-5-run.fit');
const GPX = path.join(SHARED, 'fittrackee/test.gpx');
const TCX = path.join(SHARED, 'goldencheetah/10kUNLP2014-Garmin15.tcx');
const GZ = path.join(root, 'app/tests/fixtures/garmin-fenix-5-bike.fit.gz');
const CORRUPT = { name: 'corrupt.fit', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a run file at all') };

test.skip(!fs.existsSync(MIT), `needs ${SHARED}`);

const BIN = process.env.STRIDE_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'stride');
const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
const upload = (file: string) => ({ name: path.basename(file), mimeType: 'application/octet-stream', buffer: fs.readFileSync(file) });

interface Expected {
  id: string;
  sport: string;
  start: string | null;
  distance: number | null;
}

/** What `stride analyze --json` says about each file (the same core the browser runs), by path. */
function analyze(files: string[], bytesOf: (f: string) => Buffer = (f) => fs.readFileSync(f)): Expected[] {
  const bin = process.env.STRIDE_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'stride');
  const out: any[] = JSON.parse(execFileSync(bin, ['analyze', '--json', ...files], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  expect(out.length).toBe(files.length);
  return out
    .filter((r) => !r.error)
    .map((r) => ({ id: sha256(bytesOf(r.file)), sport: r.sport, start: r.start_time, distance: r.distance_m }));
}

const corpus = fs.readdirSync(MIT).filter((f) => f.endsWith('.fit')).sort().map((f) => path.join(MIT, f));

/** A bulk export: the MIT corpus in nested folders, one entry gzipped, one stored, plus files
 *  that are not runs (skipped) and a damaged one (listed). */
function exportZip(): Buffer {
  const entries: ZipEntry[] = corpus.map((f, i) => ({
    name: `export/activities/${i % 3 === 0 ? '2019/' : ''}${path.basename(f)}${i === 1 ? '.gz' : ''}`,
    data: i === 1 ? zlib.gzipSync(fs.readFileSync(f)) : fs.readFileSync(f),
    store: i === 2,
  }));
  entries.push({ name: 'export/profile.json', data: Buffer.from('{"name":"runner"}') });
  entries.push({ name: 'export/photos/IMG_0001.jpg', data: Buffer.alloc(2048, 7) });
  entries.push({ name: 'export/activities/broken.fit', data: Buffer.from('.FIT but not really') });
  return zip(entries);
}

async function openRuns(page: Page) {
  await gotoHydrated(page, '/runs');
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
}

const rows = (page: Page) => page.locator('tr.runs-table__run');
const rowIds = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run-id')!));
const status = (page: Page) => page.getByRole('status');

test('FIT, GPX, TCX, .gz, a zip export and a corrupt file: the runs, the failures, sorting, filters, calendar', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  const singles = analyze([FIT, GPX, TCX]);
  const inZip = analyze(corpus);
  expect(inZip.length).toBeGreaterThanOrEqual(20);
  // The library these files make, in the order they are imported: files without an activity
  // (the fitparse corpus has device settings files) are skipped, and one activity in several
  // files (its activity-settings files are one run, one of them damaged) is one run.
  const order = [FIT, GPX, TCX, path.join(MIT, 'garmin-fenix-5-bike.fit'), ...corpus];
  const raw: Analysed[] = JSON.parse(execFileSync(BIN, ['analyze', '--json', ...order], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const library = libraryOf(order.map((f, i) => ({ id: sha256(fs.readFileSync(f)), a: raw[i] })));
  expect(library.skipped).toBeGreaterThanOrEqual(2);
  expect(library.same).toBeGreaterThanOrEqual(2);
  const byId = new Map<string, Expected>([...singles, ...inZip].map((e) => [e.id, e]));
  const expected = new Map<string, Expected>(library.ids.map((id) => [id, byId.get(id)!]));
  // garmin-fenix-5-run.fit (and the .gz's bike ride) are in the zip too: same bytes, known.
  expect(library.known).toBe(2);

  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles([
    upload(FIT),
    upload(GPX),
    upload(TCX),
    upload(GZ),
    { name: 'export.zip', mimeType: 'application/zip', buffer: exportZip() },
    CORRUPT,
  ]);
  const total = 5 + corpus.length + 1; // 5 files, the zip's runs and its broken entry
  await expect(status(page)).toHaveAttribute('data-finished', 'true', { timeout: 90_000 });
  await expect(status(page)).toContainText(`Imported ${total} of ${total} files`);
  await expect(status(page)).toContainText(
    `${expected.size} new, 2 already in the library, ${library.same} the same run as one already in the library, ` +
      `${library.skipped} without an activity skipped, 2 failed, 2 other files skipped`,
  );
  // Running first; every sport on asking.
  const running = [...expected.values()].filter((e) => e.sport === 'running');
  await expect(rows(page)).toHaveCount(running.length);
  await page.getByLabel('Sport', { exact: true }).selectOption('');
  await expect(rows(page)).toHaveCount(expected.size);
  expect(new Set(await rowIds(page))).toEqual(new Set(expected.keys()));

  const failures = page.getByRole('list', { name: 'Files not imported' }).getByRole('listitem');
  await expect(failures).toHaveCount(2);
  await expect(failures.filter({ hasText: 'corrupt.fit' }).locator('.import__reason')).not.toBeEmpty();
  await expect(failures.filter({ hasText: 'export.zip/export/activities/broken.fit' }).locator('.import__reason')).not.toBeEmpty();

  // Newest first by default; the date heading sorts oldest first on a click.
  const all = [...expected.values()];
  const dated = all.filter((e) => e.start).sort((a, b) => a.start!.localeCompare(b.start!));
  expect((await rowIds(page))[0]).toBe(dated[dated.length - 1].id);
  await page.getByRole('button', { name: 'Date', exact: true }).click();
  await expect(page.locator('th[data-sort="date"]')).toHaveAttribute('aria-sort', 'ascending');
  expect((await rowIds(page))[0]).toBe(dated[0].id);

  // Distance: longest first, then shortest first; runs without a distance last either way.
  const withDistance = all.filter((e) => e.distance !== null).sort((a, b) => a.distance! - b.distance!);
  await page.getByRole('button', { name: 'Distance', exact: true }).click();
  await expect(page.locator('th[data-sort="distance"]')).toHaveAttribute('aria-sort', 'descending');
  let ids = await rowIds(page);
  expect(ids[0]).toBe(withDistance[withDistance.length - 1].id);
  await page.getByRole('button', { name: 'Distance', exact: true }).click();
  ids = await rowIds(page);
  expect(ids[0]).toBe(withDistance[0].id);
  expect(new Set(ids.slice(withDistance.length))).toEqual(new Set(all.filter((e) => e.distance === null).map((e) => e.id)));

  // Filter by sport, then by a date range.
  const cycling = all.filter((e) => e.sport === 'cycling');
  expect(cycling.length).toBeGreaterThan(3);
  await page.getByLabel('Sport', { exact: true }).selectOption('cycling');
  await expect(rows(page)).toHaveCount(cycling.length);
  expect(new Set(await rowIds(page))).toEqual(new Set(cycling.map((e) => e.id)));
  await page.getByLabel('Sport', { exact: true }).selectOption('');
  await expect(rows(page)).toHaveCount(expected.size);

  const tcx = singles.find((e) => e.start!.startsWith('2014'))!;
  const day = tcx.start!.slice(0, 10);
  const sameDay = all.filter((e) => e.start?.startsWith(day));
  await page.getByLabel('From', { exact: true }).fill(day);
  await page.getByLabel('To', { exact: true }).fill(day);
  await expect(rows(page)).toHaveCount(sameDay.length);
  expect(await rowIds(page)).toContain(tcx.id);

  // The calendar opens on that run's month, with the run on its day.
  const calendar = page.getByRole('region', { name: 'Calendar' });
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const title = `${months[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
  await expect(calendar.getByRole('heading')).toHaveText(title);
  await expect(calendar.locator(`td[data-date="${day}"]`)).toHaveAttribute('data-runs', String(sameDay.length));
  await expect(calendar.locator('td.run-calendar__day--run')).toHaveCount(1);
  await calendar.getByRole('button', { name: 'Previous month' }).click();
  await expect(calendar.getByRole('heading')).not.toHaveText(title);
  await expect(calendar.locator('td.run-calendar__day--run')).toHaveCount(0);
  await calendar.getByRole('button', { name: 'Next month' }).click();
  await expect(calendar.getByRole('heading')).toHaveText(title);

  // The volume bars: the last week's and month's bar carry that run's distance, with a tooltip.
  const weekly = page.locator('[data-chart="weekly-distance"] g.volume__bar');
  await expect(weekly).toHaveCount(12);
  const lastWeek = weekly.last();
  expect(Number(await lastWeek.getAttribute('data-meters'))).toBeCloseTo(sameDay.reduce((s, e) => s + (e.distance ?? 0), 0), 6);
  await expect(lastWeek.locator('title')).toContainText(`${(tcx.distance! / 1000).toFixed(2)} km`);
  const monthly = page.locator('[data-chart="monthly-distance"] g.volume__bar');
  await expect(monthly.last()).toHaveAttribute('data-start', `${day.slice(0, 7)}-01`);
  expect(errors).toEqual([]);
});

/** A watch's USB folder: three runs at two depths (one gzipped) and two files that are not runs. */
function watchFolder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stride-folder-'));
  const activity = path.join(dir, 'GARMIN', 'Activity');
  fs.mkdirSync(path.join(activity, 'old'), { recursive: true });
  const files = ['garmin-fenix-5-run.fit', 'garmin-fenix-5-walk.fit', 'garmin-fenix-5-bike.fit'].map((f) => path.join(MIT, f));
  fs.copyFileSync(files[0], path.join(activity, 'A.FIT'));
  fs.copyFileSync(files[1], path.join(activity, 'old', 'B.fit'));
  fs.writeFileSync(path.join(activity, 'old', 'C.fit.gz'), zlib.gzipSync(fs.readFileSync(files[2])));
  fs.writeFileSync(path.join(dir, 'GARMIN', 'settings.txt'), 'not a run');
  fs.writeFileSync(path.join(dir, 'GARMIN', 'device.xml'), '<device/>');
  return { dir, ids: new Set(files.map((f) => sha256(fs.readFileSync(f)))) };
}

test('a folder (a watch\'s GARMIN/Activity) is imported recursively, other files skipped', async ({ page }) => {
  const { dir, ids } = watchFolder();
  await openRuns(page);
  await page.getByLabel('Import folder').setInputFiles(dir);
  await expect(status(page)).toContainText('Imported 3 of 3 files (3 new, 2 other files skipped)');
  // A run, a walk and a ride: the list shows the run until every sport is asked for.
  await expect(rows(page)).toHaveCount(1);
  await page.getByLabel('Sport', { exact: true }).selectOption('');
  await expect(rows(page)).toHaveCount(3);
  expect(new Set(await rowIds(page))).toEqual(ids);
  fs.rmSync(dir, { recursive: true });
});

test('a folder dropped on the page is walked like a picked one; a file beside it is tried as it is', async ({ page }) => {
  const { dir, ids } = watchFolder();
  const loose = path.join(os.tmpdir(), `stride-loose-${process.pid}.txt`);
  fs.writeFileSync(loose, 'a note, not a run');
  await openRuns(page);
  // A real drag from the desktop: Chromium's own drag data with file paths (a synthetic
  // DataTransfer cannot carry a folder), so webkitGetAsEntry sees a directory.
  const cdp = await page.context().newCDPSession(page);
  const box = (await page.getByRole('heading', { level: 1 }).boundingBox())!;
  const at = { x: box.x + 10, y: box.y + 10 };
  const data = { items: [], files: [path.join(dir, 'GARMIN'), loose], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
  }
  // The folder's files other than runs are skipped; the loose file is tried and named.
  await expect(status(page)).toContainText('Imported 4 of 4 files (3 new, 1 failed, 2 other files skipped)');
  await page.getByLabel('Sport', { exact: true }).selectOption('');
  await expect(rows(page)).toHaveCount(3);
  expect(new Set(await rowIds(page))).toEqual(ids);
  await expect(page.getByRole('list', { name: 'Files not imported' })).toContainText(path.basename(loose));
  fs.rmSync(dir, { recursive: true });
  fs.rmSync(loose);
});

test('an import can be cancelled midway; what was imported stays', async ({ page }) => {
  test.setTimeout(120_000);
  // Many MIT/BSD files, the big ones first, so that the import takes a while.
  const dirs = ['python-fitparse', 'jimmykane-fit-parser', 'muktihari-fit', 'tormoder-fit'].map((d) => path.join(SHARED, d));
  const files = dirs
    .flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.fit')).map((f) => path.join(d, f)))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  const archive = zip(files.map((f, i) => ({ name: `all/${i}-${path.basename(f)}`, data: fs.readFileSync(f) })));

  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles({ name: 'all.zip', mimeType: 'application/zip', buffer: archive });
  await expect(status(page)).toContainText(`of ${files.length} files`);
  // The whole import takes about 2 s here: cancel as soon as one file is in, polling often (the
  // default back-off reached a second between looks, and found the import finished).
  await expect
    .poll(async () => Number(await status(page).getAttribute('data-files-done')), { timeout: 60_000, intervals: [25] })
    .toBeGreaterThanOrEqual(1);
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await expect(status(page)).toHaveAttribute('data-finished', 'true');
  const text = (await status(page).textContent())!;
  const m = text.match(/Cancelled: imported (\d+) of (\d+) files \((\d+) new/);
  expect(m, text).not.toBeNull();
  const [done, total, added] = [Number(m![1]), Number(m![2]), Number(m![3])];
  expect(total).toBe(files.length);
  expect(done).toBeGreaterThanOrEqual(1);
  expect(done).toBeLessThan(total);
  await page.getByLabel('Sport', { exact: true }).selectOption('');
  await expect(rows(page)).toHaveCount(added);
  await expect(page.getByRole('button', { name: 'Cancel import' })).toHaveCount(0);

  await page.reload();
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
  await page.getByLabel('Sport', { exact: true }).selectOption('');
  await expect(rows(page)).toHaveCount(added);
});

test('a damaged zip is listed with its reason', async ({ page }) => {
  const good = zip(corpus.slice(0, 3).map((f) => ({ name: path.basename(f), data: fs.readFileSync(f) })));
  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles([
    { name: 'half.zip', mimeType: 'application/zip', buffer: good.subarray(0, good.length >> 1) },
    { name: 'notes.zip', mimeType: 'application/zip', buffer: Buffer.from('just text') },
  ]);
  await expect(status(page)).toContainText('Imported 0 of 0 files (0 new, 2 failed)');
  const failures = page.getByRole('list', { name: 'Files not imported' });
  await expect(failures.getByRole('listitem')).toHaveCount(2);
  await expect(failures).toContainText('half.zip: not a zip archive (no end-of-central-directory record)');
  await expect(failures).toContainText('notes.zip: not a zip archive');
});

test('a Garmin Connect export: runs inside zips inside the zip, stored or deflated', async ({ page }) => {
  const part = (files: string[]) => zip(files.map((f) => ({ name: path.basename(f), data: fs.readFileSync(f) })));
  const [a, b] = [corpus.slice(0, 3), corpus.slice(3, 5)];
  const uploaded = 'DI_CONNECT/DI-Connect-Uploaded-Files';
  const archive = zip([
    { name: `${uploaded}/UploadedFiles_0-_Part1.zip`, data: part(a), store: true },
    { name: `${uploaded}/UploadedFiles_0-_Part2.zip`, data: part(b) },
    { name: `${uploaded}/UploadedFiles_0-_Part3.zip`, data: Buffer.from('not a zip at all') },
    { name: 'DI_CONNECT/DI-Connect-User/user_profile.json', data: Buffer.from('{}') },
  ]);
  await openRuns(page);
  await page.getByLabel('Import files').setInputFiles({ name: 'garmin-export.zip', mimeType: 'application/zip', buffer: archive });
  await expect(status(page)).toContainText('Imported 5 of 5 files (5 new, 1 failed, 1 other files skipped)');
  await page.getByLabel('Sport', { exact: true }).selectOption('');
  await expect(rows(page)).toHaveCount(5);
  expect(new Set(await rowIds(page))).toEqual(new Set([...a, ...b].map((f) => sha256(fs.readFileSync(f)))));
  await expect(page.getByRole('list', { name: 'Files not imported' })).toContainText(
    `garmin-export.zip/${uploaded}/UploadedFiles_0-_Part3.zip: not a zip archive`,
  );
});
