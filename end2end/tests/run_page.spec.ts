import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gotoHydrated } from './helpers';

const root = path.resolve(__dirname, '../..');
// A Garmin fenix 5X run of 28 minutes with GPS, heart rate, cadence, altitude, power and running
// dynamics (jimmykane/fit-parser, MIT), read in place from the shared corpus.
const FIT = path.resolve(root, '../shared/fixtures/jimmykane-fit-parser/running-with-developer-data.fit');

// Requests the service worker makes are out of `page.route`'s reach (the map library, blocked
// below); nothing here needs it (offline pages are tested in library.spec.ts).
test.use({ serviceWorkers: 'block' });

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
  // Without the map library (as on a first visit offline), the route is drawn on a canvas.
  await page.route('**/vendor/leaflet/**', (r) => r.abort());
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
  await expect(page.locator('figure.route-map')).toHaveAttribute('data-map', 'canvas');
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

  // "smooth pace": the pace under the pointer is the 30-second mean, so it varies less from
  // one pixel to the next (a moving mean never adds variation), and the choice is remembered.
  const paceAt = async () => {
    const values: number[] = [];
    for (let px = 0; px < 40; px++) {
      await page.mouse.move(box.x + box.width * 0.4 + px, at(0.4).y);
      values.push(await value(page, 'figure.chart[data-chart="pace"] .chart__readout'));
    }
    return values.reduce((sum, v, i) => (i === 0 ? 0 : sum + Math.abs(v - values[i - 1])), 0);
  };
  const rawVariation = await paceAt();
  const smooth = page.getByRole('button', { name: 'smooth pace' });
  await smooth.click();
  await expect(smooth).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('figure.chart[data-chart="pace"] .chart__legend')).toContainText('smoothed over 30 s');
  const smoothVariation = await paceAt();
  expect(smoothVariation).toBeLessThan(rawVariation * 0.8);

  // The other panels: laps, zones, data quality with the GPS score.
  await expect(page.locator('table.laps-table tbody tr')).not.toHaveCount(0);
  await expect(page.locator('table.zones[data-zones="hr"] tbody tr')).toHaveCount(5);
  expect(await value(page, '[data-quality="gps"]')).toBe(expected.gps_quality);
  expect(errors).toEqual([]);

  await page.reload();
  await expect(page.getByRole('button', { name: 'smooth pace' })).toHaveAttribute('aria-pressed', 'true');

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

/** Answers the e2e server's tile source (`--map-tiles http://tiles.e2e.invalid/…`) with a
 * plain tile, and lists the tiles asked for. */
async function serveTiles(page: Page): Promise<{ z: number; x: number; y: number }[]> {
  const asked: { z: number; x: number; y: number }[] = [];
  // A 1×1 grey PNG; Leaflet sizes each tile to 256 px.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAWl2qOQAAAABJRU5ErkJggg==',
    'base64',
  );
  await page.route('http://tiles.e2e.invalid/**', (route) => {
    const [z, x, y] = new URL(route.request().url()).pathname.replace('.png', '').split('/').slice(1).map(Number);
    asked.push({ z, x, y });
    return route.fulfill({ status: 200, contentType: 'image/png', body: png });
  });
  return asked;
}

/** The slippy-map tile holding a position at zoom `z` (OpenStreetMap's tile numbering). */
function tileOf(lat: number, lon: number, z: number) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}

test('the route lies on a tiled map with its attribution, start and finish, zoom and the charts’ cursor', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const asked = await serveTiles(page);
  await importAndOpen(page);
  const figure = page.locator('figure.route-map');
  await expect(figure).toHaveAttribute('data-map', 'tiles');
  await expect(figure.locator('img.leaflet-tile-loaded').first()).toBeVisible();
  // The source's licence is shown, with its link.
  const attribution = figure.locator('.leaflet-control-attribution');
  await expect(attribution).toContainText('OpenStreetMap contributors');
  await expect(attribution.getByRole('link', { name: 'OpenStreetMap' })).toHaveAttribute('href', 'https://www.openstreetmap.org/copyright');

  // The tiles asked for hold the run's start, at a zoom that shows a 5 km run whole.
  const [lat, lon] = (await figure.getAttribute('data-start'))!.split(',').map(Number);
  const zoom = Math.max(...asked.map((t) => t.z));
  expect(zoom).toBeGreaterThanOrEqual(12);
  expect(zoom).toBeLessThanOrEqual(17);
  const home = tileOf(lat, lon, zoom);
  expect(asked.some((t) => t.z === zoom && t.x === home.x && t.y === home.y), `tile ${JSON.stringify(home)} of ${JSON.stringify(asked)}`).toBe(true);

  // Start and finish markers on the map, and the route in several colours of pace.
  const box = (await figure.locator('.route-map__tiles').boundingBox())!;
  for (const end of ['.route-map__start', '.route-map__finish']) {
    const b = (await figure.locator(end).boundingBox())!;
    expect(b.x).toBeGreaterThan(box.x);
    expect(b.x + b.width).toBeLessThan(box.x + box.width);
    expect(b.y).toBeGreaterThan(box.y);
    expect(b.y + b.height).toBeLessThan(box.y + box.height);
  }
  const colours = () => figure.locator('path.route-map__stretch').evaluateAll((ps) => ps.map((p) => p.getAttribute('stroke')));
  const byPace = await colours();
  expect(new Set(byPace).size).toBeGreaterThanOrEqual(4);
  await figure.getByRole('button', { name: 'heart rate' }).click();
  await expect.poll(colours).not.toEqual(byPace);

  // Hovering the pace chart moves the map's cursor along the route.
  const cursor = figure.locator('path.route-map__cursor');
  const pace = page.locator('figure.chart[data-chart="pace"] canvas');
  const chart = (await pace.boundingBox())!;
  await page.mouse.move(chart.x + chart.width * 0.3, chart.y + chart.height / 2);
  await expect(cursor).toHaveAttribute('stroke-opacity', '1');
  const first = await cursor.boundingBox();
  const firstIndex = Number(await figure.getAttribute('data-hover'));
  await page.mouse.move(chart.x + chart.width * 0.7, chart.y + chart.height / 2);
  await expect(figure).not.toHaveAttribute('data-hover', String(firstIndex));
  expect(await cursor.boundingBox()).not.toEqual(first);

  // Hovering the map at the start puts every chart's cursor at the start of the run.
  const start = (await figure.locator('.route-map__start').boundingBox())!;
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await expect.poll(async () => Number(await figure.getAttribute('data-hover'))).toBeLessThanOrEqual(3);
  await expect(page.locator('.chart__cursor:visible')).toHaveCount(5);
  // Leaving the map clears it.
  await page.mouse.move(1, 1);
  await expect(figure).not.toHaveAttribute('data-hover', /./);

  // Zooming in asks for the next level's tiles.
  await figure.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(() => Math.max(...asked.map((t) => t.z))).toBe(zoom + 1);
  expect(errors).toEqual([]);

  // Offline, the same page draws the route without tiles.
  await page.goBack();
  await expect(page).toHaveURL(/\/runs$/);
  await context.setOffline(true);
  await page.locator('tr.runs-table__run').first().getByRole('link').click();
  await expect(page.locator('figure.route-map')).toHaveAttribute('data-map', 'canvas');
  expect((await inkedPixels(page, 'figure.route-map canvas'))[0]).toBeGreaterThan(2000);
  await context.setOffline(false);
});
