import { expect, type Page } from '@playwright/test';

/** Opens a page and waits until the wasm has hydrated it (frontend sets `data-hydrated` on <html>). */
export async function gotoHydrated(page: Page, url: string) {
  const response = await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '', { timeout: 20_000 });
  return response;
}

/** Creates an account on /signin and waits for /account. */
export async function signUp(page: Page, username: string, password: string) {
  await gotoHydrated(page, '/signin');
  const form = page.getByRole('region', { name: 'Create an account' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Email').fill(`${username}@example.org`);
  await form.getByLabel('New password').fill(password);
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/account$/);
}

/** What `stride analyze --json` prints for one file (the fields the library's rules read). */
export interface Analysed {
  file: string;
  error?: string;
  format: string;
  sport: string;
  start_time: string | null;
  elapsed_s: number | null;
  timer_s: number | null;
  distance_m: number | null;
  records: number;
  laps: number;
  basis?: { wellness?: Record<string, unknown> };
}

/** Whether a file holds an activity (records, laps, a timer time or a distance) or a day's
 *  wellness values; the library passes over a file with neither. */
export function kept(a: Analysed): boolean {
  const activity = a.records > 0 || a.laps > 0 || (a.timer_s ?? 0) > 0 || (a.distance_m ?? 0) > 0;
  const wellness = Object.values(a.basis?.wellness ?? {}).some((v) => v !== null && v !== undefined);
  return activity || wellness;
}

function holdsActivity(a: Analysed): boolean {
  return a.records > 0 || a.laps > 0 || (a.timer_s ?? 0) > 0 || (a.distance_m ?? 0) > 0;
}

/** The README's rule, written again as the tests' oracle: one activity is one run when the
 *  sports agree (or a file names none), the starts are within a minute and the shorter time span
 *  lies mostly (half or more) inside the other. */
export function sameActivity(a: Analysed, b: Analysed): boolean {
  if (!holdsActivity(a) || !holdsActivity(b)) return false;
  const sport = (s: string) => {
    const k = (s ?? '').trim().toLowerCase().replace(/[ -]/g, '_');
    if (['', 'generic', 'other', 'unknown', 'all'].includes(k)) return null;
    if (['run', 'treadmill_running', 'trail_running'].includes(k)) return 'running';
    if (['biking', 'bike', 'ride'].includes(k)) return 'cycling';
    if (k === 'swim') return 'swimming';
    return k;
  };
  const [x, y] = [sport(a.sport), sport(b.sport)];
  if (x && y && x !== y) return false;
  if (!a.start_time || !b.start_time) return false;
  const [a0, b0] = [Date.parse(a.start_time) / 1000, Date.parse(b.start_time) / 1000];
  if (Math.abs(a0 - b0) > 60) return false;
  const len = (s: Analysed) => Math.max(0, s.elapsed_s ?? s.timer_s ?? 0);
  const [a1, b1] = [a0 + len(a), b0 + len(b)];
  const shorter = Math.min(a1 - a0, b1 - b0);
  if (shorter <= 0) return true;
  return Math.min(a1, b1) - Math.max(a0, b0) >= 0.5 * shorter;
}

const rank = (f: string) => ({ fit: 3, tcx: 2, gpx: 1 } as Record<string, number>)[f.toLowerCase()] ?? 0;

/** The library that importing `files` in this order builds, from their analyses (`id` of each
 *  the SHA-256 of its bytes): each run's id (its richest original's), and how many files joined
 *  a run as another original. Files already in the library by bytes count as known. */
export function libraryOf(files: { id: string; a: Analysed }[]) {
  const runs: { id: string; a: Analysed; holds: Set<string> }[] = [];
  let same = 0;
  let skipped = 0;
  let known = 0;
  for (const { id, a } of files) {
    if (a.error) continue;
    if (runs.some((r) => r.holds.has(id))) {
      known++;
      continue;
    }
    if (!kept(a)) {
      skipped++;
      continue;
    }
    const matches = runs.filter((r) => sameActivity(r.a, a));
    if (matches.length > 0) {
      const start = Date.parse(a.start_time!);
      const r = matches.reduce((m, r) =>
        Math.abs(Date.parse(r.a.start_time!) - start) < Math.abs(Date.parse(m.a.start_time!) - start) ? r : m,
      );
      same++;
      r.holds.add(id);
      const richer = rank(a.format) > rank(r.a.format) || (rank(a.format) === rank(r.a.format) && a.records > r.a.records);
      if (richer) {
        r.id = id;
        r.a = a;
      }
      continue;
    }
    runs.push({ id, a, holds: new Set([id]) });
  }
  return { ids: runs.map((r) => r.id), runs, same, skipped, known };
}
