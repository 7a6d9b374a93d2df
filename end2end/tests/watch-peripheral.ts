// Stride's emulated Bluetooth sensor for the Watch page's tests: a heart-rate strap with a
// foot pod's Running Speed and Cadence service, Battery and Device Information, built on
// Chromium's CDP `BluetoothEmulation` (browser session) and `DeviceAccess` (page session).
// The recipe and its traps: ../shared/docs/WEB-BLUETOOTH-TESTING.md.

import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';

/** The 128-bit form of a 16-bit Bluetooth SIG UUID, lower case. */
export const uuid16 = (short: number): string =>
  `0000${short.toString(16).padStart(4, '0')}-0000-1000-8000-00805f9b34fb`;

const b64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');
const CCCD = uuid16(0x2902);

/** One characteristic of the emulated sensor. */
interface Characteristic {
  service: string;
  uuid: string;
  id: string;
  /** What a plain read answers. */
  value: number[];
  notify: boolean;
}

/** Little-endian helpers for building payloads the way sensors send them. */
export const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
export const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** Heart Rate Measurement: 8-bit bpm, contact detected, RR intervals in 1/1024 s. */
export function heartRatePayload(bpm: number, rr1024: number[] = []): number[] {
  const flags = 0x06 | (rr1024.length ? 0x10 : 0);
  return [flags, bpm, ...rr1024.flatMap(le16)];
}

/** RSC Measurement: speed in 1/256 m/s, cadence, stride length in cm, total distance in dm, running. */
export function rscPayload(speed256: number, cadence: number, strideCm: number, totalDm: number): number[] {
  return [0x07, ...le16(speed256), cadence, ...le16(strideCm), ...le32(totalDm)];
}

export interface SensorInfo {
  address: string;
  name: string;
  manufacturer: string;
  model: string;
  firmware: string;
  battery: number;
}

export const HR_MEASUREMENT = 'hr';
export const RSC_MEASUREMENT = 'rsc';

/** The emulated sensor. One per browser: emulation is browser-wide. */
export class EmulatedSensor {
  private chars = new Map<string, Characteristic>();
  private byId = new Map<string, Characteristic>();
  private descriptors = new Set<string>();
  private subscribed = new Set<string>();
  private waiters: Array<() => void> = [];
  private pending = new Map<string, string[]>();
  private answered = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Errors from event handlers (a test checks there were none). */
  readonly errors: string[] = [];
  /** How many connections the page made. */
  connections = 0;

  private constructor(
    private browserSession: CDPSession,
    private pageSession: CDPSession,
    readonly info: SensorInfo,
  ) {}

  /** A powered-on adapter with `info`'s sensor, for `page`. */
  static async install(browser: Browser, context: BrowserContext, page: Page, info: SensorInfo): Promise<EmulatedSensor> {
    const bs = await browser.newBrowserCDPSession();
    const ps = await context.newCDPSession(page);
    const sensor = new EmulatedSensor(bs, ps, info);
    await sensor.setUp();
    return sensor;
  }

  /** An adapter that is absent, for the "no Bluetooth" message. */
  static async absentAdapter(browser: Browser): Promise<CDPSession> {
    const bs = await browser.newBrowserCDPSession();
    await bs.send('BluetoothEmulation.disable' as any).catch(() => {});
    await bs.send('BluetoothEmulation.enable' as any, { state: 'absent', leSupported: true });
    return bs;
  }

  private async setUp() {
    const { browserSession: bs, pageSession: ps, info } = this;
    await bs.send('BluetoothEmulation.disable' as any).catch(() => {});
    await bs.send('BluetoothEmulation.enable' as any, { state: 'powered-on', leSupported: true });
    await bs.send('BluetoothEmulation.simulatePreconnectedPeripheral' as any, {
      address: info.address,
      name: info.name,
      manufacturerData: [{ key: 0x0087, data: b64([0x01, 0x02]) }],
      knownServiceUuids: [uuid16(0x180d), uuid16(0x1814)],
    });
    await this.addDatabase();
    bs.on('BluetoothEmulation.gattOperationReceived' as any, (e: any) => this.onGatt(e));
    bs.on('BluetoothEmulation.characteristicOperationReceived' as any, (e: any) => this.onCharacteristic(e));
    bs.on('BluetoothEmulation.descriptorOperationReceived' as any, (e: any) => this.onDescriptor(e));
    ps.on('DeviceAccess.deviceRequestPrompted' as any, (e: any) => this.onPrompt(e));
    await ps.send('DeviceAccess.enable' as any);
  }

  /** The GATT database: services, characteristics, descriptors. */
  private async addDatabase() {
    const { browserSession: bs, info } = this;
    this.chars.clear();
    this.byId.clear();
    this.descriptors.clear();
    this.handles.clear();
    const text = (s: string) => [...Buffer.from(s, 'utf8')];
    const services: Array<{ uuid: number; chars: Array<{ key: string; uuid: number; value: number[]; notify: boolean }> }> = [
      { uuid: 0x180d, chars: [{ key: HR_MEASUREMENT, uuid: 0x2a37, value: [], notify: true }] },
      { uuid: 0x1814, chars: [{ key: RSC_MEASUREMENT, uuid: 0x2a53, value: [], notify: true }] },
      { uuid: 0x180f, chars: [{ key: 'battery', uuid: 0x2a19, value: [info.battery], notify: false }] },
      {
        uuid: 0x180a,
        chars: [
          { key: 'manufacturer', uuid: 0x2a29, value: text(info.manufacturer), notify: false },
          { key: 'model', uuid: 0x2a24, value: text(info.model), notify: false },
          { key: 'firmware', uuid: 0x2a26, value: text(info.firmware), notify: false },
        ],
      },
    ];
    for (const s of services) {
      const { serviceId } = (await bs.send('BluetoothEmulation.addService' as any, {
        address: info.address,
        serviceUuid: uuid16(s.uuid),
      })) as any;
      for (const c of s.chars) {
        const { characteristicId } = (await bs.send('BluetoothEmulation.addCharacteristic' as any, {
          serviceId,
          characteristicUuid: uuid16(c.uuid),
          properties: { read: true, notify: c.notify },
        })) as any;
        const entry: Characteristic = { service: uuid16(s.uuid), uuid: uuid16(c.uuid), id: characteristicId, value: c.value, notify: c.notify };
        this.chars.set(c.key, entry);
        this.byId.set(characteristicId, entry);
        if (c.notify) {
          // Without its Client Characteristic Configuration descriptor, startNotifications()
          // fails with "GATT Error: Not supported".
          const { descriptorId } = (await bs.send('BluetoothEmulation.addDescriptor' as any, {
            characteristicId,
            descriptorUuid: CCCD,
          })) as any;
          this.descriptors.add(descriptorId);
        }
      }
    }
  }

  private fail(what: string, e: unknown) {
    this.errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }

  private async onPrompt({ id, devices }: { id: string; devices: Array<{ id: string }> }) {
    // The prompt event repeats; a second selectPrompt for one id crashes the browser.
    if (this.answered.has(id) || !devices.some((d) => d.id === this.info.address)) return;
    this.answered.add(id);
    await this.pageSession
      .send('DeviceAccess.selectPrompt' as any, { id, deviceId: this.info.address })
      .catch((e) => this.fail('selectPrompt', e));
  }

  private async onGatt({ address, type }: { address: string; type: string }) {
    if (address !== this.info.address) return;
    if (type === 'connection') this.connections += 1;
    await this.browserSession
      .send('BluetoothEmulation.simulateGATTOperationResponse' as any, { address, type, code: 0 })
      .catch((e) => this.fail(`gatt ${type}`, e));
  }

  private async onCharacteristic({ characteristicId, type }: { characteristicId: string; type: string }) {
    const c = this.byId.get(characteristicId);
    if (!c) return;
    const answer = (extra: object = {}) =>
      this.browserSession
        .send('BluetoothEmulation.simulateCharacteristicOperationResponse' as any, { characteristicId, type, code: 0, ...extra })
        .catch((e) => this.fail(`characteristic ${type}`, e));
    if (type === 'read') {
      const injected = this.pending.get(characteristicId)?.shift();
      await answer({ data: injected ?? b64(c.value) });
    } else if (type === 'subscribe-to-notifications') {
      this.subscribed.add(c.uuid);
      await answer();
      this.waiters.splice(0).forEach((w) => w());
    } else if (type === 'unsubscribe-from-notifications') {
      this.subscribed.delete(c.uuid);
      await answer();
    } else if (type === 'write') {
      await answer();
    }
  }

  private async onDescriptor({ descriptorId, type }: { descriptorId: string; type: string }) {
    if (!this.descriptors.has(descriptorId)) return;
    await this.browserSession
      .send('BluetoothEmulation.simulateDescriptorOperationResponse' as any, {
        descriptorId,
        type,
        code: 0,
        ...(type === 'read' ? { data: b64([0, 0]) } : {}),
      })
      .catch((e) => this.fail(`descriptor ${type}`, e));
  }

  /** Waits until the page has subscribed to `key`'s notifications. */
  async subscribedTo(key: string, timeoutMs = 10_000): Promise<void> {
    const c = this.chars.get(key)!;
    const deadline = Date.now() + timeoutMs;
    while (!this.subscribed.has(c.uuid)) {
      if (Date.now() > deadline) throw new Error(`the page never subscribed to ${key}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /**
   * Sends a notification. Chromium 156 cannot push one from an emulated peripheral, so the
   * page's own characteristic object is found (`Runtime.queryObjects`) and read, and that read
   * is answered with the payload: the page gets `characteristicvaluechanged` as from a
   * notification. One at a time: one answer settles every pending read.
   */
  notify(key: string, bytes: number[]): Promise<void> {
    const run = async () => {
      const c = this.chars.get(key);
      if (!c) throw new Error(`no characteristic ${key}`);
      if (!this.subscribed.has(c.uuid)) throw new Error(`the page is not subscribed to ${key}`);
      const list = this.pending.get(c.id) ?? [];
      list.push(b64(bytes));
      this.pending.set(c.id, list);
      // The heap walk is slow: the object found is kept until a read through it fails.
      let objectId = this.handles.get(key);
      if (objectId && (await this.readThrough(objectId)) === 'sent') return;
      // Objects from before a reconnection no longer read, and the heap walk gives no order:
      // try them, the likeliest (the last found) first.
      let outcome = `the page has no characteristic ${c.uuid}`;
      for (let i = 0; ; i++) {
        objectId = await this.findCharacteristic(c, i);
        if (!objectId) throw new Error(`notify(${key}): ${outcome}`);
        outcome = await this.readThrough(objectId);
        if (outcome === 'sent') break;
      }
      this.handles.set(key, objectId);
    };
    const done = this.queue.then(run);
    this.queue = done.catch(() => {});
    return done;
  }

  private handles = new Map<string, string>();
  private static GROUP = 'stride-sensor';

  /**
   * The page's `BluetoothRemoteGATTCharacteristic` objects for `c`, `i`-th from the last found
   * (`undefined` past the first). Each call walks the heap again (the first releases what earlier
   * calls found).
   */
  private async findCharacteristic(c: Characteristic, i: number): Promise<string | undefined> {
    const group = EmulatedSensor.GROUP;
    if (i === 0) {
      await this.pageSession.send('Runtime.releaseObjectGroup', { objectGroup: group }).catch(() => {});
      this.handles.clear();
    }
    const { result: proto } = (await this.pageSession.send('Runtime.evaluate', {
      expression: 'BluetoothRemoteGATTCharacteristic.prototype',
      objectGroup: group,
    })) as any;
    const { objects } = (await this.pageSession.send('Runtime.queryObjects', {
      prototypeObjectId: proto.objectId,
      objectGroup: group,
    })) as any;
    const reply = (await this.pageSession.send('Runtime.callFunctionOn', {
      objectId: objects.objectId,
      objectGroup: group,
      functionDeclaration: `function (service, uuid, i) {
        const found = this.filter((c) => c.uuid === uuid && c.service.uuid === service);
        return found[found.length - 1 - i];
      }`,
      arguments: [{ value: c.service }, { value: c.uuid }, { value: i }],
    })) as any;
    return reply.result?.objectId;
  }

  /** Reads through the page's object: 'sent' when the read (and so the event) went through. */
  private async readThrough(objectId: string): Promise<string> {
    try {
      const reply = (await this.pageSession.send('Runtime.callFunctionOn', {
        objectId,
        awaitPromise: true,
        returnByValue: true,
        functionDeclaration: `async function () {
          try { await this.readValue(); return 'sent'; } catch (e) { return String(e); }
        }`,
      })) as any;
      return reply.exceptionDetails ? String(reply.exceptionDetails.text) : reply.result.value;
    } catch (e) {
      return String(e);
    }
  }

  /** The sensor drops the connection: the page gets `gattserverdisconnected`. */
  async dropConnection() {
    this.subscribed.clear();
    await this.browserSession.send('BluetoothEmulation.simulateGATTDisconnection' as any, { address: this.info.address });
    // Chromium's emulation forgets the peripheral's services on disconnection; a real sensor
    // still has them when it comes back.
    await this.addDatabase();
  }

  async uninstall() {
    await this.browserSession.send('BluetoothEmulation.disable' as any).catch(() => {});
  }
}
