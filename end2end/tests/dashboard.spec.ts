import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gotoHydrated } from './helpers';

const root = path.resolve(__dirname, '../..');
const corpus = path.resolve(root, '../shared/fixtures');
// Runs from MIT-licensed projects of the shared corpus, read in place.
const DIRS = ['python-fitparse', 'jimmykane-fit-parser', 'tormoder-fit'];

function stride(...args: string[]): any {
  const bin = process.env.STRIDE_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'stride');
  return JSON.parse(execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

const date = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

test('the dashboard computes from the local library what stride computes from the same files', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stride-dashboard-'));
  const files: string[] = [];
  for (const d of DIRS) {
    for (const name of fs.readdirSync(path.join(corpus, d))) {
      const target = path.join(dir, `${d}-${name}`);
      fs.copyFileSync(path.join(corpus, d, name), target);
      files.push(target);
    }
  }
  // The day of the highest fitness in these runs: a day with something to show.
  const first = stride('predict', '--history', dir, '--dashboard', '--json');
  const peak = first.pmc.reduce((a: any, b: any) => (b.ctl > a.ctl ? b : a));
  const expected = stride('predict', '--history', dir, '--dashboard', '--json', '--today', date(peak.day));
  expect(expected.current.ctl).toBeGreaterThan(1);

  await gotoHydrated(page, '/runs');
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
  await page.getByLabel('Import files').setInputFiles(files);
  await expect(page.locator('tr.runs-table__run').first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /Imported \d+ of \d+ files/ })).toBeVisible({ timeout: 60_000 });

  await gotoHydrated(page, `/dashboard?day=${date(peak.day)}`);
  const tile = (id: string) => page.locator(`.metric-tile[data-metric="${id}"]`);
  await expect(tile('runs')).toHaveAttribute('data-value', String(expected.runs));
  for (const id of ['ctl', 'atl', 'tsb']) {
    expect(Number(await tile(id).getAttribute('data-value')), id).toBeCloseTo(expected.current[id], 9);
  }
  await expect(page.locator('.readiness')).toHaveAttribute('data-verdict', /./);
  const verdict = (await page.locator('.readiness').getAttribute('data-verdict'))!;
  expect(verdict.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()).toBe(expected.readiness.verdict);

  // Each race card shows the same time as the command line (Stride's, else the first method).
  const cards = page.locator('article.prediction');
  await expect(cards).toHaveCount(4);
  for (const [i, p] of expected.predictions.entries()) {
    const main = p.stride ?? p.others[0];
    const card = cards.nth(i);
    await expect(card).toHaveAttribute('data-target', String(p.target_m));
    if (main) expect(Number(await card.getAttribute('data-value'))).toBeCloseTo(main.seconds, 6);
    for (const o of p.others) {
      expect(Number(await card.locator(`tr[data-method="${o.method}"]`).getAttribute('data-value'))).toBeCloseTo(o.seconds, 6);
    }
  }
  await cards.first().getByText('How is this computed?').click();
  await expect(cards.first().locator('details p').first()).not.toBeEmpty();

  // The fitness chart draws and reads out the day under the pointer.
  const canvas = page.locator('figure.pmc-chart canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.97, box.y + box.height / 2);
  const readout = page.locator('.pmc-chart__readout');
  await expect(readout).toHaveAttribute('data-day', /^\d{4}-\d{2}-\d{2}$/);
  const hoveredDay = (await readout.getAttribute('data-day'))!;
  const point = expected.pmc.find((p: any) => date(p.day) === hoveredDay);
  expect(point).toBeTruthy();
  expect(Number(await readout.getAttribute('data-ctl'))).toBeCloseTo(point.ctl, 9);
  await expect(page.locator('svg.load-bars rect')).toHaveCount(expected.weekly.length);
});
