// Measures a bulk import in Chromium: the time to import N corpus files (default 150) on /runs,
// the peak JS heap of the page (CDP Performance.getMetrics, sampled every 50 ms), the analysis
// worker's wasm memory at the end (it only grows, so that is its peak), and the longest
// main-thread task during the import (PerformanceObserver 'longtask'). Then the same files as
// one .zip, in a fresh profile. Then inflate speed: miniz_oxide in wasm (the app's choice) vs the
// browser's DecompressionStream, on the 2.5 MB synthetic 10-hour file.
//
// Needs the release build (`cargo leptos build --release`). From the repository root:
//   node end2end/bench/import.mjs [N]
// Environment: STRIDE_BIN (default $CARGO_TARGET_DIR/release/stride), CHROMIUM (/usr/bin/chromium),
// STRIDE_BENCH_PORT (3183).
import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(root, '../shared/fixtures');
const count = Number(process.argv[2] ?? 150);
const bin = process.env.STRIDE_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'stride');
const port = Number(process.env.STRIDE_BENCH_PORT ?? 3183);
const base = `http://127.0.0.1:${port}`;

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.(fit|gpx|tcx)$/i.test(e.name) ? [p] : [];
  });
}
const files = walk(shared).sort().slice(0, count);
const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);

function zipOf(paths) {
  // Stored entries would be the fastest; deflate is what exports use.
  const locals = [], centrals = [];
  let offset = 0;
  paths.forEach((f, i) => {
    const data = fs.readFileSync(f);
    const packed = zlib.deflateRawSync(data);
    const name = Buffer.from(`export/${i}-${path.basename(f)}`);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0); h.writeUInt16LE(20, 4); h.writeUInt16LE(8, 8);
    h.writeUInt32LE(zlib.crc32(data), 14); h.writeUInt32LE(packed.length, 18);
    h.writeUInt32LE(data.length, 22); h.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); h.copy(c, 6, 4, 30); c.writeUInt32LE(offset, 42);
    locals.push(h, name, packed); centrals.push(c, name);
    offset += 30 + name.length + packed.length;
  });
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(paths.length, 8); end.writeUInt16LE(paths.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

async function waitFor(url, ms = 30000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { if ((await fetch(url)).ok) return; } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

const observeLongTasks = () => {
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // When the picker's change event reaches the page (the files are handed over).
  document.addEventListener('change', () => { window.__changeAt ??= performance.now(); }, true);
};

async function importOnce(browser, label, input) {
  const context = await browser.newContext();
  await context.addInitScript(observeLongTasks);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const workerReady = new Promise((resolve) => page.on('worker', resolve));
  await page.goto(`${base}/runs`);
  await page.locator('html[data-hydrated]').waitFor();
  await page.locator('input[data-loaded="true"]').waitFor({ state: 'attached' });
  const heap = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize').value;
  const heapBefore = await heap();
  let peak = heapBefore;
  let sampling = true;
  const sampler = (async () => { while (sampling) { peak = Math.max(peak, await heap()); await new Promise((r) => setTimeout(r, 50)); } })();

  const t0 = await page.evaluate(() => performance.now());
  await page.getByLabel('Import files').setInputFiles(input);
  await page.locator('[role=status][data-finished="true"]').waitFor({ timeout: 600_000 });
  const t1 = await page.evaluate(() => performance.now());
  sampling = false;
  await sampler;
  const status = (await page.getByRole('status').textContent()).trim();
  const tasks = await page.evaluate(([a, b]) => window.__longtasks.filter((t) => t.start + t.duration >= a && t.start <= b), [t0, t1]);
  const worker = await workerReady;
  const wasm = await worker.evaluate(() => self.strideMemory?.buffer.byteLength ?? null);
  const rows = await page.locator('tr.runs-table__run').count();
  const changeAt = await page.evaluate(() => window.__changeAt);
  await context.close();
  return {
    label,
    seconds: +((t1 - t0) / 1000).toFixed(2),
    rows,
    status,
    page_heap_before_mb: +(heapBefore / 1e6).toFixed(1),
    page_heap_peak_mb: +(peak / 1e6).toFixed(1),
    worker_wasm_memory_mb: wasm && +(wasm / 1e6).toFixed(1),
    long_tasks: tasks.length,
    longest_task_ms: tasks.length ? Math.max(...tasks.map((t) => t.duration)) : 0,
    // When each long task started, ms after the files were given, and how long it took.
    tasks: tasks.map((t) => `${Math.round(t.start - t0)}+${Math.round(t.duration)}`).join(' '),
    change_event_ms: Math.round(changeAt - t0),
    // The longest task that began after the files were handed over: the page's own work (the
    // task that hands them over is the browser's, see bareInput).
    longest_page_task_ms: Math.max(0, ...tasks.filter((t) => t.start > changeAt).map((t) => t.duration)),
  };
}

// The browser's own part: the same files handed to a bare <input type=file> with no handler. The
// longest task here is Chromium (and Playwright's CDP call) building the FileList, before any
// page code runs; a page cannot make it shorter.
async function bareInput(browser, input) {
  const page = await browser.newPage();
  await page.setContent('<input type=file multiple>');
  await page.evaluate(observeLongTasks);
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('input').setInputFiles(input);
  await page.waitForTimeout(500);
  const tasks = await page.evaluate((a) => window.__longtasks.filter((t) => t.start + t.duration >= a), t0);
  await page.close();
  return { label: `the same ${input.length} files on a bare <input type=file>, no page code`, longest_task_ms: tasks.length ? Math.max(...tasks.map((t) => t.duration)) : 0 };
}

async function inflateSpeed(browser) {
  const page = await browser.newPage();
  await page.goto(`${base}/runs`);
  await page.locator('html[data-hydrated]').waitFor();
  const file = fs.readFileSync(path.join(shared, 'synthetic/synthetic-10h-run-full.fit'));
  const packed = zlib.deflateRawSync(file);
  const result = await page.evaluate(async ([b64, size, crc]) => {
    const packed = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const js = document.querySelector('link[rel=modulepreload]').href;
    const core = await import(js); // the page's own module, already initialised
    const packing = JSON.stringify({ Zip: { deflated: true, crc32: crc, size, gzip: false } });
    const time = async (f, n = 10) => { await f(); const t = performance.now(); for (let i = 0; i < n; i++) await f(); return (performance.now() - t) / n; };
    const miniz = await time(() => core.unpack_file(packed, packing).length);
    const stream = await time(async () => {
      const s = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
      return (await new Response(s).arrayBuffer()).byteLength;
    });
    return { miniz_oxide_ms: +miniz.toFixed(2), decompression_stream_ms: +stream.toFixed(2) };
  }, [packed.toString('base64'), file.length, zlib.crc32(file)]);
  await page.close();
  return { label: 'inflate synthetic-10h-run-full.fit (2.49 MB, CRC-32 checked in wasm)', ...result };
}

const data = fs.mkdtempSync(path.join(os.tmpdir(), 'stride-bench-'));
const server = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data', data, '--site-root', path.join(root, 'target/site')], { cwd: root, stdio: 'ignore' });
try {
  await waitFor(`${base}/healthz`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  console.log(JSON.stringify({ files: files.length, mb: +(bytes / 1e6).toFixed(1), cpus: os.cpus().length, chromium: browser.version() }));
  console.log(JSON.stringify(await bareInput(browser, files)));
  console.log(JSON.stringify(await importOnce(browser, `${files.length} files`, files)));
  const zipped = zipOf(files);
  const zipPath = path.join(data, 'export.zip'); // a path, not a buffer: Playwright caps buffers at 50 MB
  fs.writeFileSync(zipPath, zipped);
  console.log(JSON.stringify(await importOnce(browser, `the same in one .zip (${(zipped.length / 1e6).toFixed(1)} MB)`, zipPath)));
  console.log(JSON.stringify(await inflateSpeed(browser)));
  await browser.close();
} finally {
  server.kill();
  fs.rmSync(data, { recursive: true, force: true });
}
