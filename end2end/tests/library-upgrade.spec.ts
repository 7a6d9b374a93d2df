import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gotoHydrated } from './helpers';

// A library as an older build of Stride kept it in IndexedDB: each run's summary without the
// settings-independent `basis` (added later), its original file beside it. Opening the library
// analyses those runs again from their originals, once, and shows how far it has got.

const root = path.resolve(__dirname, '../..');
const corpus = path.resolve(root, '../shared/fixtures');
const DIR = path.join(corpus, 'python-fitparse');

function stride(...args: string[]): any {
  const bin = process.env.STRIDE_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'stride');
  return JSON.parse(execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

type Old = { id: string; name: string; size: number; summary: any; bytes: number[] };

/** The corpus runs of one MIT-licensed folder as an older build stored them. */
function oldLibrary(): Old[] {
  // The files under 100 kB (the folder's few large multisport files only make the test slower).
  const analysed = stride('analyze', DIR, '--json')
    .filter((a: any) => a.error === undefined && fs.statSync(a.file).size < 100_000);
  return analysed.map((a: any) => {
    const bytes = fs.readFileSync(a.file);
    const summary = { ...a };
    delete summary.file;
    delete summary.basis;
    return {
      id: createHash('sha256').update(bytes).digest('hex'),
      name: path.basename(a.file),
      size: bytes.length,
      summary,
      bytes: Array.from(bytes),
    };
  });
}

/** Puts the records into the app's IndexedDB (`stride`, stores `runs` and `originals`). */
async function store(page: Page, runs: Old[]) {
  await page.evaluate(async (runs) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const open = indexedDB.open('stride', 1);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction(['runs', 'originals'], 'readwrite');
    for (const r of runs) {
      tx.objectStore('originals').put(new Uint8Array(r.bytes).buffer, r.id);
      tx.objectStore('runs').put({ id: r.id, name: r.name, size: r.size, summary: r.summary });
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, runs);
}

/** The stored summaries' basis versions, by id. */
async function bases(page: Page): Promise<Record<string, number | null>> {
  return page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const open = indexedDB.open('stride', 1);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all: any[] = await new Promise((resolve, reject) => {
      const req = db.transaction('runs').objectStore('runs').getAll();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return Object.fromEntries(all.map((r) => [r.id, r.summary.basis?.version ?? null]));
  });
}

/** The runs done in a progress line's text about `n` runs (NaN for another text). */
const done = (n: number) => (t: string) => {
  const m = t.match(new RegExp(`^Bringing ${n} runs up to date .*: (\\d+) of ${n}…$`));
  return m ? Number(m[1]) : NaN;
};

/** Every text the progress line showed, recorded as the page changes it. */
async function watchProgress(page: Page) {
  await page.addInitScript(() => {
    (window as any).__refresh = [];
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.library-refresh')) {
        const seen = (window as any).__refresh as string[];
        const t = el.textContent ?? '';
        if (seen[seen.length - 1] !== t) seen.push(t);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

test('an older library is analysed again from its originals, with progress on /runs and /dashboard', async ({ page }) => {
  test.setTimeout(120_000);
  const old = oldLibrary();
  const n = old.length;
  expect(n).toBeGreaterThan(5);
  await watchProgress(page);
  // The app creates its stores; the old records go in behind its back.
  await gotoHydrated(page, '/runs');
  await expect(page.getByRole('heading', { name: 'No runs yet' })).toBeVisible();
  await store(page, old);
  expect(Object.values(await bases(page)).every((v) => v === null)).toBe(true);

  // /runs: the progress line counts up to every run, then the list shows them (every sport).
  const allSports = () => page.getByLabel('Sport', { exact: true }).selectOption('');
  await gotoHydrated(page, '/runs');
  await allSports();
  await expect(page.locator('tr.runs-table__run')).toHaveCount(n);
  const seen: string[] = await page.evaluate(() => (window as any).__refresh);
  // 0 of n first, then one more each time (the last, n of n, may be replaced by the list before
  // the page paints it).
  const counts = seen.map(done(n));
  expect(counts[0]).toBe(0);
  expect(counts.every((c, i) => i === 0 || c === counts[i - 1] + 1), seen.join('\n')).toBe(true);
  expect(counts[counts.length - 1]).toBeGreaterThanOrEqual(n - 1);
  await expect(page.getByText('Loading your library…')).toHaveCount(0);

  // Each summary now has this build's basis, and each TRIMP is what `stride analyze` gives.
  const versions = await bases(page);
  expect(Object.keys(versions)).toHaveLength(n);
  expect(Object.values(versions).every((v) => v === 1)).toBe(true);
  const fresh = stride('analyze', ...old.map((r) => path.join(DIR, r.name)), '--json');
  for (const r of old) {
    const a = fresh.find((x: any) => path.basename(x.file) === r.name);
    const cell = page.locator(`tr.runs-table__run[data-run-id="${r.id}"] td[data-load]`);
    if (a.load?.trimp == null) continue;
    expect(Number(await cell.getAttribute('data-load')), r.name).toBeCloseTo(a.load.trimp, 9);
  }
  // Once is enough: opening the list again analyses nothing.
  await page.evaluate(() => ((window as any).__refresh = []));
  await gotoHydrated(page, '/runs');
  await allSports();
  await expect(page.locator('tr.runs-table__run')).toHaveCount(n);
  expect(await page.evaluate(() => (window as any).__refresh)).toEqual([]);

  // /dashboard, from the old records again: the same progress, then what stride computes.
  await store(page, old);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stride-upgrade-'));
  for (const r of old) fs.copyFileSync(path.join(DIR, r.name), path.join(folder, r.name));
  const expected = stride('predict', '--history', folder, '--dashboard', '--json');
  const day = new Date(expected.today * 86_400_000).toISOString().slice(0, 10);
  await gotoHydrated(page, `/dashboard?day=${day}`);
  const tile = (id: string) => page.locator(`.metric-tile[data-metric="${id}"]`);
  await expect(tile('runs')).toHaveAttribute('data-value', String(expected.runs));
  const dash: string[] = await page.evaluate(() => (window as any).__refresh);
  expect(dash.map(done(n))[0]).toBe(0);
  expect(Math.max(...dash.map(done(n)))).toBeGreaterThanOrEqual(n - 1);
  for (const id of ['ctl', 'atl', 'tsb']) {
    expect(Number(await tile(id).getAttribute('data-value')), id).toBeCloseTo(expected.current[id], 9);
  }
  expect(Object.values(await bases(page)).every((v) => v === 1)).toBe(true);
});
