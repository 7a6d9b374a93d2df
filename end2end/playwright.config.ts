import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import * as os from 'node:os';
import * as fs from 'node:fs';

// scripts/test builds the release site and passes the binary, a free port and a throw-away data
// folder. Run alone, the defaults below assume `cargo leptos build --release` has been run.
const root = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const bin = process.env.STRIDE_BIN ?? path.join(targetDir, 'release', 'stride');
const port = Number(process.env.STRIDE_E2E_PORT ?? 3199);
const dataDir = process.env.STRIDE_E2E_DATA ?? fs.mkdtempSync(path.join(os.tmpdir(), 'stride-e2e-'));
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium, never a downloaded one. Flags from shared/docs/WEB-BLUETOOTH-TESTING.md.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-experimental-web-platform-features',
];

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    // Map tiles from a name that never resolves: a test that wants tiles answers them itself
    // (run_page.spec.ts), and no test asks OpenStreetMap's servers for any.
    command: `"${bin}" serve --addr 127.0.0.1:${port} --data "${dataDir}" --site-root "${path.join(root, 'target', 'site')}" --map-tiles "http://tiles.e2e.invalid/{z}/{x}/{y}.png"`,
    url: `${baseURL}/healthz`,
    cwd: root,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
