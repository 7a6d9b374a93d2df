import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gotoHydrated } from './helpers';

const root = path.resolve(__dirname, '../..');
// A Garmin fenix 5X run of 28 minutes with GPS, heart rate, cadence, altitude, power and running
// dynamics (jimmykane/fit-parser, MIT), read in place from the shared corpus.
const FIT = path.resolve(root, '../shared/fixtures/jimmykane-fit-parser/running-with-developer-data.fit');

function strideAnalyze(file: string, ...flags: string[]): Record<string, any> {
  const bin = process.env.STRIDE_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'stride');
  return JSON.parse(execFileSync(bin, ['analyze', '--json', ...flags, file], { encoding: 'utf8' }))[0];
}

async function importAndOpen(page: Page) {
  await gotoHydrated(page, '/runs');
  await expect(page.getByLabel('Import files')).toHaveAttribute('data-loaded', 'true');
  await page.getByLabel('Import files').setInputFiles(FIT);
  const row = page.locator('tr.runs-table__run');
  await expect(row).toHaveCount(1);
  await row.first().getByRole('link').click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f]{64}$/);
  await expect(page.locator('.chart canvas').first()).toBeVisible();
}

/** Pixels of a canvas that are neither its background nor grid grey: what the lines drew. */
async function inkedPixels(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((canvases) =>
    canvases.map((c) => {
      const canvas = c as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        // Saturated colour: a series line or the route (axes and labels are grey).
        if (Math.max(r, g, b) - Math.min(r, g, b) > 60) inked++;
      }
      return inked;
    }),
  );
}

const tile = (page: Page, id: string) => page.locator(`.metric-tile[data-metric="${id}"]`);
const value = async (page: Page, selector: string) => Number(await page.locator(selector).first().getAttribute('data-value'));

test('the run page draws every chart and the map, links the hover and measures a selection', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const expected = strideAnalyze(FIT);
  await importAndOpen(page);

  expect(Number(await tile(page, 'distance_m').getAttribute('data-value'))).toBe(expected.distance_m);
  expect(Number(await tile(page, 'timer_s').getAttribute('data-value'))).toBe(expected.timer_s);

  // Pace (with GAP), heart rate, elevation, cadence and power: each canvas has drawn lines.
  const charts = page.locator('figure.chart');
  await expect(charts).toHaveCount(5);
  expect(await charts.evaluateAll((f) => f.map((e) => e.getAttribute('data-chart')))).toEqual([
    'pace', 'heart_rate', 'elevation', 'cadence', 'power',
  ]);
  for (const [i, n] of (await inkedPixels(page, 'figure.chart canvas')).entries()) {
    expect(n, `chart ${i} drew nothing`).toBeGreaterThan(500);
  }
  const [map] = await inkedPixels(page, 'figure.route-map canvas');
  expect(map).toBeGreaterThan(2000);

  // Hovering the pace chart moves the cursor on every chart and the marker on the map.
  const marker = page.locator('.route-map__marker');
  await expect(marker).toBeHidden();
  const pace = page.locator('figure.chart[data-chart="pace"] canvas');
  const box = (await pace.boundingBox())!;
  const at = (f: number) => ({ x: box.x + box.width * f, y: box.y + box.height / 2 });
  await page.mouse.move(at(0.3).x, at(0.3).y);
  await expect(marker).toBeVisible();
  const first = { index: Number(await marker.getAttribute('data-index')), left: await marker.evaluate((e) => e.style.left) };
  await expect(page.locator('.chart__cursor:visible')).toHaveCount(5);
  await page.mouse.move(at(0.7).x, at(0.7).y);
  await expect(marker).not.toHaveAttribute('data-index', String(first.index));
  const second = Number(await marker.getAttribute('data-index'));
  expect(second).toBeGreaterThan(first.index);
  expect(await marker.evaluate((e) => e.style.left)).not.toBe(first.left);
  // The readout shows the heart rate under the cursor.
  const hr = await value(page, 'figure.chart[data-chart="heart_rate"] .chart__readout');
  expect(hr).toBeGreaterThan(60);
  expect(hr).toBeLessThanOrEqual(expected.max_hr);

  // Dragging from 20 % to 60 % of the way selects a stretch: about 40 % of the run.
  await page.mouse.move(at(0.2).x, at(0.2).y);
  await page.mouse.down();
  await page.mouse.move(at(0.6).x, at(0.6).y, { steps: 5 });
  await page.mouse.up();
  const stat = (id: string) => value(page, `.range-stats [data-stat="${id}"]`);
  const distance = await stat('distance_m');
  expect(distance / expected.distance_m).toBeGreaterThan(0.3);
  expect(distance / expected.distance_m).toBeLessThan(0.5);
  expect(await stat('avg_speed_mps')).toBeCloseTo(distance / (await stat('timer_s')), 6);
  const selectedHr = await stat('avg_hr');
  expect(selectedHr).toBeGreaterThan(80);
  expect(selectedHr).toBeLessThanOrEqual(expected.max_hr);

  // By time, the same drag covers about 40 % of the timer time.
  await page.getByRole('button', { name: 'time' }).click();
  await page.mouse.move(at(0.2).x, at(0.2).y);
  await page.mouse.down();
  await page.mouse.move(at(0.6).x, at(0.6).y, { steps: 5 });
  await page.mouse.up();
  const share = (await stat('timer_s')) / expected.timer_s;
  expect(share).toBeGreaterThan(0.35);
  expect(share).toBeLessThan(0.45);

  // The other panels: laps, zones, data quality with the GPS score.
  await expect(page.locator('table.laps-table tbody tr')).not.toHaveCount(0);
  await expect(page.locator('table.zones[data-zones="hr"] tbody tr')).toHaveCount(5);
  expect(await value(page, '[data-quality="gps"]')).toBe(expected.gps_quality);
  expect(errors).toEqual([]);

  // For the record: what the page looks like (docs/screenshots/, linked from the README).
  if (process.env.STRIDE_SCREENSHOTS) {
    await page.mouse.move(at(0.45).x, at(0.45).y);
    await page.screenshot({ path: path.join(root, 'docs/screenshots/run-page.png'), fullPage: true });
  }
});

test('settings recompute the run page: zones, pace zones and load', async ({ page }) => {
  const expected = strideAnalyze(FIT, '--max-hr', '200', '--rest-hr', '50', '--threshold-pace', '4:30');
  await importAndOpen(page);
  await expect(page.locator('table.zones[data-zones="pace"]')).toHaveCount(0);
  const before = Number(await tile(page, 'trimp').getAttribute('data-value'));

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await page.getByLabel('Maximum (bpm)').fill('200');
  await page.getByLabel('Resting (bpm)').fill('50');
  await page.getByLabel(/Threshold pace/).fill('4:30');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  await page.goBack();
  await expect(page.locator('table.zones[data-zones="pace"] tbody tr')).toHaveCount(5);
  await expect(tile(page, 'trimp')).not.toHaveAttribute('data-value', String(before));
  expect(Number(await tile(page, 'trimp').getAttribute('data-value'))).toBeCloseTo(expected.load.trimp, 9);
  expect(Number(await tile(page, 'rtss').getAttribute('data-value'))).toBeCloseTo(expected.load.rtss, 9);

  // A bad value is named, and nothing is saved.
  await page.goto('/settings');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
  await page.getByLabel('Maximum (bpm)').fill('fast');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('Maximum heart rate: “fast” is not a heart rate');
  // The settings survive a reload.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
  await expect(page.getByLabel('Maximum (bpm)')).toHaveValue('200');
});

test('the charts and the map follow the dark theme', async ({ page }) => {
  const background = async (selector: string) =>
    page.locator(selector).first().evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const [r, g, b] = canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data;
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    });
  await page.emulateMedia({ colorScheme: 'dark' });
  await importAndOpen(page);
  // A dark surface behind the lines (the light theme's is white, 255).
  expect(await background('figure.chart canvas')).toBeLessThan(60);
  expect(await background('figure.route-map canvas')).toBeLessThan(60);
  // And the lines still draw.
  for (const n of await inkedPixels(page, 'figure.chart canvas')) expect(n).toBeGreaterThan(500);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  await expect(page.locator('.chart canvas').first()).toBeVisible();
  await expect.poll(() => background('figure.chart canvas')).toBeGreaterThan(240);
});
