// Devices this one has met: their names, last addresses, and whether the user trusts them.
// Stored in <stateDir>/devices.json. Every change is an operation replayed onto the file's
// current content at write time, so a `ferry trust` from another process is not overwritten by
// this one's next write; and reads notice when another process replaced the file (a cheap stat).
import { EventEmitter } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KnownDevice } from '../../../shared/types';
import { readJson, writeJsonAtomic } from './json-file';

export const DEVICES_FILE = 'devices.json';

type Devices = Map<string, KnownDevice>;
type Op = (devices: Devices) => void;

interface FileShape {
  version: 1;
  devices: KnownDevice[];
}

export interface SeenDevice {
  fingerprint: string;
  name: string;
  address: string;
  port: number;
}

export interface KnownDevicesEvents {
  changed: [devices: KnownDevice[]];
}

export class KnownDevices extends EventEmitter<KnownDevicesEvents> {
  private devices: Devices;
  private pending: Op[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** Identity of the file version memory reflects: atomic writes replace the inode. */
  private version: string;

  private constructor(
    private readonly file: string,
    devices: Devices,
    version: string,
  ) {
    super();
    this.devices = devices;
    this.version = version;
  }

  static async open(stateDir: string): Promise<KnownDevices> {
    const file = join(stateDir, DEVICES_FILE);
    const version = versionOf(file);
    return new KnownDevices(file, await load(file), version);
  }

  list(): KnownDevice[] {
    this.refreshIfReplaced();
    return this.snapshot();
  }

  private snapshot(): KnownDevice[] {
    return [...this.devices.values()].map((d) => ({ ...d })).sort((a, b) => b.lastSeen - a.lastSeen);
  }

  get(fingerprint: string): KnownDevice | undefined {
    this.refreshIfReplaced();
    const d = this.devices.get(norm(fingerprint));
    return d && { ...d };
  }

  /** Devices with this name (case-insensitive), newest first. */
  findByName(name: string): KnownDevice[] {
    const key = name.trim().toLowerCase();
    return this.list().filter((d) => d.name.trim().toLowerCase() === key);
  }

  isTrusted(fingerprint: string): boolean {
    this.refreshIfReplaced();
    return this.devices.get(norm(fingerprint))?.trusted ?? false;
  }

  /** A known device already has this name with another fingerprint: flag it, never trust it silently. */
  nameConflict(name: string, fingerprint: string): boolean {
    const fp = norm(fingerprint);
    return this.findByName(name).some((d) => d.fingerprint !== fp);
  }

  /** Records that the device was seen now at this address; creates it (untrusted) if new. */
  upsertSeen(seen: SeenDevice): Promise<void> {
    const fp = norm(seen.fingerprint);
    const now = Date.now();
    return this.mutate((all) => {
      const old = all.get(fp);
      all.set(fp, {
        fingerprint: fp,
        name: seen.name,
        lastAddress: seen.address,
        lastPort: seen.port,
        lastSeen: Math.max(now, old?.lastSeen ?? 0),
        trusted: old?.trusted ?? false,
      });
    });
  }

  /** Trusts the device; an unknown fingerprint is remembered (pinned ahead of its first visit). */
  trust(fingerprint: string): Promise<void> {
    return this.setTrusted(norm(fingerprint), true);
  }

  untrust(fingerprint: string): Promise<void> {
    return this.setTrusted(norm(fingerprint), false);
  }

  forget(fingerprint: string): Promise<void> {
    const fp = norm(fingerprint);
    return this.mutate((all) => void all.delete(fp));
  }

  /** Picks up changes another process wrote to the file. */
  reload(): Promise<void> {
    return this.mutate(() => undefined);
  }

  /** Resolves once everything changed so far is on disk. */
  flush(): Promise<void> {
    return this.chain;
  }

  private setTrusted(fp: string, trusted: boolean): Promise<void> {
    return this.mutate((all) => {
      const old = all.get(fp);
      if (old) all.set(fp, { ...old, trusted });
      else if (trusted) all.set(fp, { fingerprint: fp, name: '', lastAddress: '', lastPort: 0, lastSeen: 0, trusted });
    });
  }

  private mutate(op: Op): Promise<void> {
    const before = JSON.stringify(this.snapshot());
    op(this.devices);
    this.pending.push(op);
    this.emitIfChanged(before);
    const run = this.chain.then(() => this.writeOut());
    this.chain = run.catch(() => undefined); // one failed write must not block later ones
    return run;
  }

  /** Serialised: replays the pending operations onto the file as it is now, then writes it. */
  private async writeOut(): Promise<void> {
    if (!this.pending.length) return;
    const ops = this.pending.splice(0);
    let onDisk: Devices;
    try {
      onDisk = await load(this.file);
      for (const op of ops) op(onDisk);
      const shape: FileShape = { version: 1, devices: [...onDisk.values()] };
      await writeJsonAtomic(this.file, shape);
    } catch (err) {
      this.pending.unshift(...ops); // retried with the next write
      throw err;
    }
    // Operations issued during the write stay pending and apply on top of what is now on disk.
    this.adopt(onDisk, versionOf(this.file));
  }

  /** Memory becomes the file's content plus the operations not written yet. */
  private adopt(onDisk: Devices, version: string): void {
    for (const op of this.pending) op(onDisk);
    const before = JSON.stringify(this.snapshot());
    this.devices = onDisk;
    this.version = version;
    this.emitIfChanged(before);
  }

  /** Another process replaced the file (say, `ferry trust`): read it now, synchronously. */
  private refreshIfReplaced(): void {
    const version = versionOf(this.file);
    if (version === this.version) return;
    this.version = version; // also when unreadable: try again only after the next change
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    try {
      this.adopt(parseDevices(JSON.parse(text)), version);
    } catch {
      // corrupt: keep what we have; the next write replaces it
    }
  }

  private emitIfChanged(before: string): void {
    const list = this.snapshot();
    if (JSON.stringify(list) !== before) this.emit('changed', list);
  }
}

function norm(fingerprint: string): string {
  return fingerprint.trim().toLowerCase();
}

function versionOf(file: string): string {
  try {
    const st = statSync(file);
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  } catch {
    return 'missing';
  }
}

async function load(file: string): Promise<Devices> {
  return parseDevices(await readJson<Partial<FileShape> | null>(file, null));
}

function parseDevices(raw: Partial<FileShape> | null): Devices {
  const out: Devices = new Map();
  for (const d of Array.isArray(raw?.devices) ? raw.devices : []) {
    const valid = isDevice(d);
    if (valid) out.set(valid.fingerprint, valid);
  }
  return out;
}

/** Only well-formed entries survive a hand-edited or damaged file. */
function isDevice(d: unknown): KnownDevice | null {
  if (!d || typeof d !== 'object') return null;
  const r = d as Record<string, unknown>;
  if (typeof r.fingerprint !== 'string' || !/^[0-9a-f]{64}$/i.test(r.fingerprint)) return null;
  return {
    fingerprint: r.fingerprint.toLowerCase(),
    name: typeof r.name === 'string' ? r.name.slice(0, 256) : '',
    lastAddress: typeof r.lastAddress === 'string' ? r.lastAddress : '',
    lastPort: Number.isInteger(r.lastPort) ? (r.lastPort as number) : 0,
    lastSeen: typeof r.lastSeen === 'number' && Number.isFinite(r.lastSeen) ? r.lastSeen : 0,
    trusted: r.trusted === true,
  };
}
