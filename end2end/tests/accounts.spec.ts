import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gotoHydrated } from './helpers';

const root = path.resolve(__dirname, '../..');
const FIT = path.join(root, 'analysis/tests/fixtures/garmin-fenix-5-run.fit');

/** What `stride analyze --json` says about the file: the server must compute the same summary. */
function strideAnalyze(file: string): Record<string, any> {
  const bin = process.env.STRIDE_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'stride');
  const [{ file: _name, ...summary }] = JSON.parse(execFileSync(bin, ['analyze', '--json', file], { encoding: 'utf8' }));
  return summary;
}

test('sign up, sign out, sign in, then upload with a personal access token', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A fresh user per test.
  const username = `runner${crypto.randomBytes(4).toString('hex')}`;
  const password = 'a long and unusual passphrase';

  await gotoHydrated(page, '/signin');
  const signUp = page.getByRole('region', { name: 'Create an account' });
  await signUp.getByLabel('Username').fill(username);
  await signUp.getByLabel('Email').fill(`${username}@example.org`);
  // A common password is refused with the reason.
  await signUp.getByLabel('New password').fill('1234567890');
  await signUp.getByRole('button', { name: 'Create account' }).click();
  await expect(signUp.getByRole('alert')).toContainText('most common');
  await signUp.getByLabel('New password').fill(password);
  await signUp.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('username')).toHaveText(username);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'stride_session');
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');

  // Sign out: the account page no longer knows us.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await gotoHydrated(page, '/account');
  await expect(page.getByText('You are not signed in')).toBeVisible();

  // A wrong password is refused without saying whether the account exists.
  await gotoHydrated(page, '/signin');
  const signIn = page.getByRole('region', { name: 'Sign in' });
  await signIn.getByLabel('Username or email').fill(username);
  await signIn.getByLabel('Password').fill('not the password at all');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn.getByRole('alert')).toHaveText('the username or password is not right');
  await signIn.getByLabel('Password').fill(password);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('username')).toHaveText(username);
  const renewed = (await page.context().cookies()).find((c) => c.name === 'stride_session');
  expect(renewed?.value).not.toBe(cookie?.value);

  // A token, shown once, works with the upload API.
  await page.getByLabel('Token name').fill('e2e');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  expect(token).toMatch(/^stride_pat_[0-9a-f]{64}$/);
  await expect(page.getByRole('listitem').filter({ hasText: 'e2e' })).toBeVisible();

  const bytes = fs.readFileSync(FIT);
  const auth = { Authorization: `Bearer ${token}` };
  const created = await request.post('/api/v1/activities', { headers: auth, data: bytes });
  expect(created.status()).toBe(201);
  const run = await created.json();
  expect(run.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
  expect(run.summary).toEqual(strideAnalyze(FIT));

  const again = await request.post('/api/v1/activities', { headers: auth, data: bytes });
  expect(again.status()).toBe(200);
  expect((await again.json()).id).toBe(run.id);

  const list = await (await request.get('/api/v1/activities', { headers: auth })).json();
  expect(list.total).toBe(1);
  expect(list.activities[0].id).toBe(run.id);
  expect(list.activities[0].summary.records).toBe(21);
  const original = await request.get(`/api/v1/activities/${run.id}/original`, { headers: auth });
  expect(Buffer.compare(await original.body(), bytes)).toBe(0);
  expect((await request.get('/api/v1/activities')).status()).toBe(401);

  // Revoked, the token no longer opens the API.
  await page.getByRole('listitem').filter({ hasText: 'e2e' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('No tokens yet.')).toBeVisible();
  expect((await request.get('/api/v1/activities', { headers: auth })).status()).toBe(401);
  expect(errors).toEqual([]);
});

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret, `steps` away from now. */
function totp(secret: string, steps = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/\s+/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + steps));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const offset = mac[19] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

test('two-factor sign-in: set up with the key, sign in with a code, then a recovery code, turn off', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const username = `runner${crypto.randomBytes(4).toString('hex')}`;
  const password = 'another long passphrase';
  const cookie = async (name: string) => (await page.context().cookies()).find((c) => c.name === name);

  await gotoHydrated(page, '/signin');
  const signUp = page.getByRole('region', { name: 'Create an account' });
  await signUp.getByLabel('Username').fill(username);
  await signUp.getByLabel('Email').fill(`${username}@example.org`);
  await signUp.getByLabel('New password').fill(password);
  await signUp.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/account$/);

  const section = page.getByTestId('two-factor');
  await expect(page.getByTestId('two-factor-state')).toContainText('Off');
  await section.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/); // 160 bits: 32 base32 characters
  await expect(section.locator('svg')).toBeVisible();
  const uri = await page.getByTestId('totp-uri').getAttribute('href');
  expect(uri).toBe(
    `otpauth://totp/Stride:${username}?secret=${secret.replace(/ /g, '')}&issuer=Stride&algorithm=SHA1&digits=6&period=30`,
  );

  // A wrong code is refused; the app's current one turns it on and hands out recovery codes.
  const wrong = totp(secret, 5);
  await section.getByLabel('The code the app shows now').fill(wrong);
  await section.getByRole('button', { name: 'Turn on' }).click();
  await expect(section.getByRole('alert')).toContainText('that code is not right');
  const first = totp(secret);
  await section.getByLabel('The code the app shows now').fill(first);
  await section.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await expect(page.getByTestId('two-factor-state')).toContainText('On');

  // Signing in now takes the password, then a code: no session between the two.
  const signOutThenIn = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin$/);
    const signIn = page.getByRole('region', { name: 'Sign in' });
    await signIn.getByLabel('Username or email').fill(username);
    await signIn.getByLabel('Password').fill(password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
  };
  const signInWith = async (secondFactor: string) => {
    await signOutThenIn();
    await expect(page).toHaveURL(/\/signin\/two-factor$/);
    expect(await cookie('stride_session')).toBeUndefined();
    const challenge = await cookie('stride_2fa');
    expect(challenge?.httpOnly).toBe(true);
    expect(challenge?.sameSite).toBe('Lax');
    await gotoHydrated(page, '/signin/two-factor');
    await page.getByRole('textbox', { name: 'Code' }).fill(secondFactor);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  // The code that turned it on was used: it is refused; the next step's code signs in.
  await signInWith(first);
  await expect(page.getByRole('alert')).toContainText('that code is not right');
  await expect(page).toHaveURL(/\/signin\/two-factor$/);
  await page.getByRole('textbox', { name: 'Code' }).fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('username')).toHaveText(username);
  expect((await cookie('stride_2fa'))?.value ?? '').toBe('');
  await expect(page.getByTestId('recovery-left')).toHaveText('10 unused recovery codes.');

  // A recovery code, typed in capitals, signs in once.
  await signInWith(codes[4].toUpperCase());
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('recovery-left')).toHaveText('9 unused recovery codes.');

  // Off, with the password: the password alone signs in again.
  await page.getByLabel('Turn off, confirming with your password').fill(password);
  await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
  await expect(page.getByTestId('two-factor-state')).toContainText('Off');
  await signOutThenIn();
  await expect(page).toHaveURL(/\/account$/);
  expect(errors).toEqual([]);
});
