// Peers added by address, for networks where multicast does not get through (client isolation,
// firewalls, VLANs). Remembered in stateDir/manual-peers.json and probed every ~10 s, so they
// show online or offline like the rest.
import { join } from 'node:path';
import { ErrorCode, FerryError } from '../../../shared/errors';
import type { DeviceType } from '../../../shared/types';
import type { Logger } from '../log';
import { readJson, writeJsonAtomic } from '../store/json-file';
import { isPort } from './announcement';
import { formatHostPort, parsePeerAddress, type HostPort } from './peer-address';
import type { PeerInfo, PeerRegistry } from './registry';

/** What a TLS hello with the peer teaches us. Injected by the engine (it owns the transport). */
export interface ProbeResult {
  fingerprint: string;
  name: string;
  deviceType: DeviceType;
  port: number;
  protocolVersion: number;
}
export type Probe = (host: string, port: number) => Promise<ProbeResult>;

interface Entry extends HostPort {
  info: PeerInfo;
}

export const MANUAL_PEERS_FILE = 'manual-peers.json';
const MAX_MANUAL_PEERS = 64;

export interface ManualPeersOptions {
  stateDir: string;
  probe: Probe;
  registry: PeerRegistry;
  logger: Logger;
  /** Our own fingerprint: adding this device itself is refused. */
  self: string;
  intervalMs?: number;
  probeTimeoutMs?: number;
}

export class ManualPeers {
  private entries: Entry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly file: string;

  constructor(private readonly opts: ManualPeersOptions) {
    this.file = join(opts.stateDir, MANUAL_PEERS_FILE);
  }

  /** Loads the saved list (shown offline until the first probe answers), then probes on a timer. */
  async start(): Promise<void> {
    const saved = await readJson<unknown>(this.file, []).catch(() => []);
    this.entries = (Array.isArray(saved) ? saved : []).filter(isEntry).slice(0, MAX_MANUAL_PEERS);
    for (const e of this.entries) this.opts.registry.manual(e.info, false);
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.opts.intervalMs ?? 10_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.checking;
    await this.saving;
  }

  /** Probes 'host[:port]'; on success remembers it and returns what it learned. */
  async add(address: string): Promise<PeerInfo> {
    const hp = parsePeerAddress(address);
    const info = await this.probe(hp);
    if (info.fingerprint === this.opts.self) {
      throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${formatHostPort(hp)} is this device itself`);
    }
    const rest = this.entries.filter((e) => e.info.fingerprint !== info.fingerprint && formatHostPort(e) !== formatHostPort(hp));
    if (rest.length >= MAX_MANUAL_PEERS) throw new FerryError(ErrorCode.LIMIT, `At most ${MAX_MANUAL_PEERS} peers can be added by address`);
    this.entries = [...rest, { ...hp, info }];
    this.opts.registry.manual(info, true);
    await this.save();
    return info;
  }

  /** Forgets the peer; false when it was not added by address. */
  async remove(fingerprint: string): Promise<boolean> {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.info.fingerprint !== fingerprint);
    if (this.entries.length === before) return false;
    this.opts.registry.forgetManual(fingerprint);
    await this.save();
    return true;
  }

  /** One round of reachability checks; overlapping rounds are merged. */
  checkAll(): Promise<void> {
    this.checking ??= Promise.all(this.entries.map((e) => this.check(e))).then(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async check(e: Entry): Promise<void> {
    try {
      const info = await this.probe(e);
      if (!this.entries.includes(e)) return; // removed meanwhile
      if (info.fingerprint !== e.info.fingerprint) {
        // Another device answers at that address now: show it as what it is, never as the old one.
        this.opts.logger.log('warn', 'discovery: a different device answers at a manual address', {
          peer: info.fingerprint.slice(0, 12),
          before: e.info.fingerprint.slice(0, 12),
          address: formatHostPort(e),
        });
        this.opts.registry.forgetManual(e.info.fingerprint);
        e.info = info;
        await this.save();
      }
      e.info = info;
      this.opts.registry.manual(info, true);
    } catch (err) {
      if (!this.entries.includes(e)) return;
      this.opts.logger.log('debug', 'discovery: manual peer unreachable', { peer: e.info.name, address: formatHostPort(e), error: (err as Error).message });
      this.opts.registry.manual(e.info, false);
    }
  }

  private async probe(hp: HostPort): Promise<PeerInfo> {
    const ms = this.opts.probeTimeoutMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FerryError(ErrorCode.UNREACHABLE, `${formatHostPort(hp)} did not answer within ${ms / 1000} s`)), ms);
    });
    try {
      const r = await Promise.race([this.opts.probe(hp.host, hp.port), timeout]);
      return { fingerprint: r.fingerprint, name: r.name, deviceType: r.deviceType, port: hp.port, protocolVersion: r.protocolVersion, address: hp.host };
    } catch (err) {
      if (err instanceof FerryError) throw err;
      throw new FerryError(ErrorCode.UNREACHABLE, `Cannot reach a Ferry device at ${formatHostPort(hp)}: ${(err as Error).message}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  private save(): Promise<void> {
    const snapshot = this.entries.map((e) => ({ host: e.host, port: e.port, info: e.info }));
    this.saving = this.saving.then(() =>
      writeJsonAtomic(this.file, snapshot).catch((err: Error) =>
        this.opts.logger.log('warn', 'discovery: cannot save manual peers', { file: this.file, error: err.message }),
      ),
    );
    return this.saving;
  }
}

function isEntry(v: unknown): v is Entry {
  const e = v as Entry;
  return (
    typeof e === 'object' && e !== null && typeof e.host === 'string' && isPort(e.port) &&
    typeof e.info === 'object' && e.info !== null && typeof e.info.fingerprint === 'string' &&
    /^[0-9a-f]{64}$/.test(e.info.fingerprint) && typeof e.info.name === 'string' && isPort(e.info.port)
  );
}
