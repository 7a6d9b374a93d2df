import { test, expect, type Page } from '@playwright/test';
import { gotoHydrated } from './helpers';
import {
  EmulatedSensor,
  HR_MEASUREMENT,
  RSC_MEASUREMENT,
  heartRatePayload,
  rscPayload,
  type SensorInfo,
} from './watch-peripheral';

// Emulation is browser-wide: the tests of this file take turns in one browser.
test.describe.configure({ mode: 'serial' });

const SENSOR: SensorInfo = {
  address: '09:09:09:09:09:01',
  name: 'Stride Test HRM',
  manufacturer: 'Stride Labs',
  model: 'HRM-Pod 2',
  firmware: '4.2.1',
  battery: 77,
};

/** 06:00:00 UTC on 1 June 2026, whole seconds from here on. */
const T0 = Date.UTC(2026, 5, 1, 6, 0, 0);

const tile = (page: Page, id: string) => page.locator(`[data-metric="${id}"]`);
const valueOf = async (page: Page, id: string) => Number(await tile(page, id).getAttribute('data-value'));

/** rMSSD in ms of RR intervals given in 1/1024 s (no artefacts among them). */
function rmssd(rr1024: number[]): number {
  const ms = rr1024.map((v) => (v * 1000) / 1024);
  let sum = 0;
  for (let i = 1; i < ms.length; i++) sum += (ms[i] - ms[i - 1]) ** 2;
  return Math.sqrt(sum / (ms.length - 1));
}

/** Opens /watch with a fake clock (running until paused), connects to the sensor. */
async function connect(page: Page, sensor: EmulatedSensor, { location = false } = {}) {
  if (process.env.STRIDE_E2E_VERBOSE) page.on('console', (m) => console.log(`page: ${m.text()}`));
  await page.clock.install({ time: T0 - 60_000 });
  await gotoHydrated(page, '/watch');
  const section = page.locator('section.watch');
  await expect(section).toHaveAttribute('data-support', 'available');
  // Distance from the foot pod, not from this machine's position, unless the test moves it.
  if (!location) await page.getByLabel(/Use this device's location/).uncheck();
  await page.getByRole('button', { name: 'Connect watch' }).click();
  await expect(section).toHaveAttribute('data-connection', 'connected');
  await sensor.subscribedTo(HR_MEASUREMENT);
  await sensor.subscribedTo(RSC_MEASUREMENT);
  return section;
}

/** Saturated pixels of a canvas (a series line; axes and labels are grey), by colour. */
async function inked(page: Page, selector: string, rgb: [number, number, number]) {
  return page.locator(selector).evaluate((c, [r0, g0, b0]) => {
    const canvas = c as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r0) + Math.abs(data[i + 1] - g0) + Math.abs(data[i + 2] - b0) < 60) n++;
    }
    return n;
  }, rgb);
}

/** The run page of the recording just saved. */
async function openSavedRun(page: Page) {
  // Saving waits on timers: let the clock run again.
  await page.clock.resume();
  const saved = page.locator('.watch__saved[data-run]');
  await expect(saved).toBeVisible({ timeout: 20_000 });
  const id = await saved.getAttribute('data-run');
  expect(id).toMatch(/^[0-9a-f]{64}$/);
  await saved.getByRole('link', { name: 'see the run' }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${id}$`));
  await expect(tile(page, 'distance_m')).toBeVisible({ timeout: 20_000 });
  return id!;
}

test('the chooser is answered, device information and battery show, notifications drive the live tiles', async ({ browser, context, page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const sensor = await EmulatedSensor.install(browser, context, page, SENSOR);
  try {
    await connect(page, sensor);
    // Location off, a foot pod (Running Speed and Cadence) connected: its distance is used.
    await expect(page.locator('[data-distance-source]')).toHaveAttribute('data-distance-source', 'foot_pod');
    const device = page.getByLabel('Device');
    await expect(device.locator('[data-field="name"]')).toHaveText(SENSOR.name);
    await expect(device.locator('[data-field="manufacturer"]')).toHaveText(SENSOR.manufacturer);
    await expect(device.locator('[data-field="model"]')).toHaveText(SENSOR.model);
    await expect(device.locator('[data-field="firmware"]')).toHaveText(SENSOR.firmware);
    await expect(device.locator('[data-field="battery"]')).toHaveText('77 %');

    // 24 notifications with two RR intervals each, alternating around 800 ms (48 s of beats).
    const sent: number[] = [];
    for (let i = 0; i < 24; i++) {
      const rr = [819 + (i % 3) * 7, 870 - (i % 4) * 5];
      sent.push(...rr);
      await sensor.notify(HR_MEASUREMENT, heartRatePayload(71 + (i % 5), rr));
    }
    await expect(tile(page, 'heart_rate')).toHaveAttribute('data-value', String(71 + (23 % 5)));
    await expect(tile(page, 'rmssd_ms')).toHaveAttribute('data-value', /\d/);
    expect(await valueOf(page, 'rmssd_ms')).toBeCloseTo(rmssd(sent), 9);
    await expect(tile(page, 'heart_rate')).toContainText('74 bpm');

    // 3.5 m/s (896/256), 172 spm, 1.24 m, 1234.5 m.
    await sensor.notify(RSC_MEASUREMENT, rscPayload(896, 172, 124, 12345));
    await expect(tile(page, 'speed_mps')).toHaveAttribute('data-value', '3.5');
    await expect(tile(page, 'cadence_spm')).toHaveAttribute('data-value', '172');
    await expect(tile(page, 'stride_length_m')).toHaveAttribute('data-value', '1.24');
    await expect(tile(page, 'distance_m')).toHaveAttribute('data-value', '1234.5');
    expect(sensor.errors).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await sensor.uninstall();
  }
});

/**
 * Runs `seconds` simulated seconds from `from`: each second the strap and the pod notify,
 * then `marker` may press a button, then the clock moves one second.
 */
async function simulate(
  page: Page,
  sensor: EmulatedSensor,
  seconds: { from: number; to: number },
  run: (s: number) => { hr: number; speed256: number; totalDm: number } | null,
  marker: (s: number) => Promise<void> = async () => {},
) {
  for (let s = seconds.from; s <= seconds.to; s++) {
    const sample = run(s);
    if (sample) {
      await sensor.notify(HR_MEASUREMENT, heartRatePayload(sample.hr, [Math.round((60 / sample.hr) * 1024)]));
      await sensor.notify(RSC_MEASUREMENT, rscPayload(sample.speed256, 170, 106, sample.totalDm));
    }
    await marker(s);
    if (s < seconds.to) await page.clock.runFor(1_000);
    if (process.env.STRIDE_E2E_VERBOSE && s % 30 === 0) console.log(`simulated ${s} s at ${new Date().toISOString()}`);
  }
}

test('a recording with a lap and a pause becomes a run with the duration, distance and heart rate sent', async ({ browser, context, page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const sensor = await EmulatedSensor.install(browser, context, page, SENSOR);
  try {
    const section = await connect(page, sensor);
    await page.clock.pauseAt(T0);

    // Four minutes at 3 m/s: a lap at 2:00, paused from 2:30 to 3:00, stopped at 4:00. The pod
    // counts 30 dm each second the runner runs, from an odometer of 5 km.
    const LAP = 120, PAUSE = 150, RESUME = 180, STOP = 240;
    const running = (s: number) => s < PAUSE || (s >= RESUME && s < STOP);
    let total = 50_000;
    const hrAt = (s: number) => 140 + Math.min(20, Math.floor(s / 11)); // 140 … 160 from 3:40
    const hrTimed: number[] = [];
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(section).toHaveAttribute('data-state', 'running');
    await simulate(
      page,
      sensor,
      { from: 0, to: STOP },
      (s) => {
        if (s > 0 && running(s - 1)) total += 30;
        if (s > 0 && running(s - 1)) hrTimed.push(hrAt(s - 1));
        return { hr: hrAt(s), speed256: running(s) ? 768 : 0, totalDm: total };
      },
      async (s) => {
        if (s === LAP) await page.getByRole('button', { name: 'Lap' }).click();
        if (s === PAUSE) {
          await page.getByRole('button', { name: 'Pause' }).click();
          await expect(section).toHaveAttribute('data-state', 'paused');
        }
        if (s === RESUME) await page.getByRole('button', { name: 'Resume' }).click();
        if (s === 200) {
          // Live figures while recording: 170 s of timer, 510 m.
          await expect(tile(page, 'timer_s')).toHaveAttribute('data-value', '170');
          await expect(tile(page, 'elapsed_s')).toHaveAttribute('data-value', '200');
          await expect(tile(page, 'distance_m')).toHaveAttribute('data-value', '510');
          await expect(tile(page, 'laps')).toHaveAttribute('data-value', '1');
          // The live chart: a sample a second since connecting (the clock ran a while before
          // the start), the newest values as sent, both lines drawn.
          const chart = page.locator('[data-chart="live"]');
          expect(Number(await chart.getAttribute('data-samples'))).toBeGreaterThanOrEqual(200);
          await expect(chart).toHaveAttribute('data-heart-rate', String(hrAt(199)));
          await expect(chart).toHaveAttribute('data-speed-mps', '3');
          expect(await inked(page, '[data-chart="live"] canvas', [220, 38, 38])).toBeGreaterThan(300);
          expect(await inked(page, '[data-chart="live"] canvas', [37, 99, 235])).toBeGreaterThan(300);
        }
        if (s === STOP) await page.getByRole('button', { name: 'Stop' }).click();
      },
    );
    await expect(section).toHaveAttribute('data-state', 'stopped');
    await openSavedRun(page);

    // 210 s of timer (4:00 minus the 30 s pause), 630 m, the heart rate sent while running.
    expect(await valueOf(page, 'timer_s')).toBe(210);
    expect(await valueOf(page, 'elapsed_s')).toBe(240);
    expect(await valueOf(page, 'distance_m')).toBeCloseTo(630, 2);
    const avgHr = hrTimed.reduce((a, b) => a + b, 0) / hrTimed.length;
    expect(await valueOf(page, 'avg_hr')).toBeCloseTo(avgHr, 0);
    expect(await valueOf(page, 'max_hr')).toBe(160);

    // It is in the library like any import.
    await gotoHydrated(page, '/runs');
    await expect(page.locator('tr.runs-table__run')).toHaveCount(1);
    await expect(page.locator('tr.runs-table__run').first()).toContainText('2026-06-01');
    await expect(page.locator('tr.runs-table__run').first()).toContainText('0.63 km');
    expect(sensor.errors).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await sensor.uninstall();
  }
});

test('a dropped connection reconnects with the recording whole, and a reload keeps the recording', async ({ browser, context, page }) => {
  test.setTimeout(120_000);
  const sensor = await EmulatedSensor.install(browser, context, page, SENSOR);
  try {
    const section = await connect(page, sensor);
    await page.clock.pauseAt(T0);
    await page.getByRole('button', { name: 'Start' }).click();
    let total = 0;
    const sample = (s: number) => {
      if (s > 0) total += 30; // the runner never stops, the pod counts on through the gap
      return { hr: 150, speed256: 768, totalDm: total };
    };
    await simulate(page, sensor, { from: 0, to: 60 }, sample);

    // The sensor drops the link at 1:00 and nothing comes for 10 s.
    await sensor.dropConnection();
    await expect(section).toHaveAttribute('data-connection', 'reconnecting');
    const connectionsBefore = sensor.connections;
    for (let s = 61; s <= 70; s++) {
      sample(s);
      await page.clock.runFor(1_000);
    }
    await expect(section).toHaveAttribute('data-connection', 'connected');
    expect(sensor.connections).toBeGreaterThan(connectionsBefore);
    await sensor.subscribedTo(HR_MEASUREMENT);
    await sensor.subscribedTo(RSC_MEASUREMENT);
    await expect(section).toHaveAttribute('data-gaps', '1');
    await simulate(page, sensor, { from: 70, to: 120 }, (s) => (s === 70 ? { hr: 150, speed256: 768, totalDm: total } : sample(s)));
    await expect(tile(page, 'distance_m')).toHaveAttribute('data-value', '360');

    // A reload: the recording comes back from IndexedDB and goes on.
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
    await expect(section).toHaveAttribute('data-state', 'running');
    await expect(page.getByText('This recording was restored')).toBeVisible();
    await expect(tile(page, 'distance_m')).toHaveAttribute('data-value', '360');
    await page.clock.runFor(60_000);
    await expect(tile(page, 'timer_s')).toHaveAttribute('data-value', '180');
    await page.getByRole('button', { name: 'Stop' }).click();
    await openSavedRun(page);
    expect(await valueOf(page, 'timer_s')).toBe(180);
    expect(await valueOf(page, 'distance_m')).toBeCloseTo(360, 2);
    expect(await valueOf(page, 'avg_hr')).toBeCloseTo(150, 6);
    expect(sensor.errors).toEqual([]);
  } finally {
    await sensor.uninstall();
  }
});

test('outdoors the distance comes from the browser\'s position, not the foot pod', async ({ browser, context, page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await context.grantPermissions(['geolocation']);
  // Due north from 48° N, 11° E at 3 m/s along the meridian (1° of latitude is 111.2 km on the
  // sphere the analysis uses); the foot pod says 2 m/s, which must not count.
  const DEG_PER_M = 180 / (Math.PI * 6_371_008.8);
  const at = (m: number) => ({ latitude: 48 + m * DEG_PER_M, longitude: 11, accuracy: 5 });
  await context.setGeolocation(at(0));
  const sensor = await EmulatedSensor.install(browser, context, page, SENSOR);
  try {
    const section = await connect(page, sensor, { location: true });
    await expect(page.getByLabel(/Use this device's location/)).toBeChecked();
    await expect(page.locator('[data-distance-source]')).toHaveAttribute('data-distance-source', 'location');
    await expect(page.locator('[data-distance-source]')).toHaveText("Distance from this device's location.");
    await page.clock.pauseAt(T0);
    await page.getByRole('button', { name: 'Start' }).click();
    let pod = 0;
    await simulate(
      page,
      sensor,
      { from: 0, to: 120 },
      (s) => {
        if (s > 0) pod += 20;
        return { hr: 145, speed256: 512, totalDm: pod };
      },
      async (s) => {
        await context.setGeolocation(at(3 * s));
        if (s === 120) {
          await expect(tile(page, 'distance_m')).toHaveAttribute('data-value', /^3[56]\d/);
          await page.getByRole('button', { name: 'Stop' }).click();
        }
      },
    );
    await expect(section).toHaveAttribute('data-state', 'stopped');
    await openSavedRun(page);
    // 120 s at 3 m/s by position: 360 m, where the pod counted 240 m.
    expect(await valueOf(page, 'timer_s')).toBe(120);
    expect(Math.abs((await valueOf(page, 'distance_m')) - 360)).toBeLessThan(360 * 0.02);
    expect(sensor.errors).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await sensor.uninstall();
  }
});

test('a browser without Web Bluetooth (Firefox, Safari) is told which browsers work and offered import', async ({ page }) => {
  // As in Firefox: no navigator.bluetooth at all.
  await page.addInitScript(() => {
    delete (Navigator.prototype as any).bluetooth;
  });
  await gotoHydrated(page, '/watch');
  const section = page.locator('section.watch');
  await expect(section).toHaveAttribute('data-support', 'nowebbluetooth');
  const alert = page.locator('.watch__unsupported');
  await expect(alert).toContainText('This browser has no Web Bluetooth.');
  await expect(alert).toContainText('Firefox and Safari');
  await expect(alert.getByRole('link', { name: /import/ })).toHaveAttribute('href', '/runs');
  await expect(page.getByRole('button', { name: 'Connect watch' })).toBeDisabled();
});

test('without a Bluetooth adapter the page says which browsers work and offers import', async ({ browser, page }) => {
  const bs = await EmulatedSensor.absentAdapter(browser);
  try {
    await gotoHydrated(page, '/watch');
    const section = page.locator('section.watch');
    await expect(section).toHaveAttribute('data-support', 'noadapter');
    const alert = page.locator('.watch__unsupported');
    await expect(alert).toContainText('No Bluetooth adapter');
    await expect(alert).toContainText('Chrome, Edge');
    await expect(alert).toContainText('Firefox and Safari');
    await expect(alert.getByRole('link', { name: /import/ })).toHaveAttribute('href', '/runs');
    await expect(page.getByRole('button', { name: 'Connect watch' })).toBeDisabled();
    await expect(page.locator('.watch__note')).toContainText('Bluetooth Classic');
  } finally {
    await bs.send('BluetoothEmulation.disable' as any).catch(() => {});
  }
});

test('before Start the page says where the distance comes from, and warns when nothing gives one', async ({ page }) => {
  await gotoHydrated(page, '/watch');
  const source = page.locator('[data-distance-source]');
  // Not asked yet: the browser asks for the location on Start.
  await expect(source).toHaveAttribute('data-distance-source', 'location');
  await expect(source).toContainText('asks for it when you press Start');
  // Location off and no foot pod: a run without distance, said before it is recorded.
  await page.getByLabel(/Use this device's location/).uncheck();
  await expect(source).toHaveAttribute('data-distance-source', 'none');
  await expect(source).toHaveAttribute('role', 'alert');
  await expect(source).toContainText('No distance source');
});
