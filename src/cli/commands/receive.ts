// ferry receive: a receiver that runs until SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { ErrorCode, FerryError } from '../../shared/errors';
import { DEFAULT_PORT } from '../../shared/protocol';
import { FINAL_STATES, type AcceptPolicy, type IncomingOffer, type TransferProgress, type TransferSnapshot } from '../../shared/types';
import type { Engine } from '../../main/engine/engine';
import { formatPairingCode } from '../../main/engine/identity/pairing';
import { makeDirs } from '../../main/engine/util/make-dirs';
import { intOption, parseCommand, UsageError } from '../args';
import { deviceName, startEngine, stateDirFrom, untilSignal } from '../engine-setup';
import { formatBytes, plural, shortFingerprint } from '../format';
import { Output } from '../output';
import { ProgressView } from '../progress';
import { pollProgress } from '../progress-poll';
import { askYesNo } from '../prompt';

const OPTIONS = {
  dir: { type: 'string' },
  port: { type: 'string' },
  accept: { type: 'string' },
  name: { type: 'string' },
  'no-discovery': { type: 'boolean' },
} as const;

const POLICIES: readonly AcceptPolicy[] = ['ask', 'trusted', 'all'];

export async function receive(argv: string[]): Promise<number> {
  const { values } = parseCommand('receive', argv, OPTIONS);
  if (!values.dir) throw new UsageError('receive needs --dir DIR: the folder received files go to', 'receive');
  const policy = (values.accept ?? 'ask') as AcceptPolicy;
  if (!POLICIES.includes(policy)) throw new UsageError(`--accept must be ask, trusted or all, not "${values.accept}"`, 'receive');
  const out = new Output(!!values.json);
  await ensureFolder(resolve(values.dir));
  const engine = await startEngine({
    stateDir: stateDirFrom(values['state-dir']),
    name: deviceName(values.name),
    downloadDir: resolve(values.dir),
    port: intOption('receive', 'port', values.port, DEFAULT_PORT, 0, 65535),
    acceptPolicy: policy,
    discovery: !values['no-discovery'],
  });
  const { port, fingerprint, name } = engine.identity;
  out.event({ event: 'listening', port, fingerprint, name });
  out.say(`Receiving into ${resolve(values.dir)} on port ${port} as "${name}" (fingerprint ${shortFingerprint(fingerprint)}). Ctrl-C stops.`);
  const watcher = new IncomingWatcher(out);
  engine.on('offerReceived', (offer) => void answerOffer(engine, out, offer));
  engine.on('transferUpserted', (t) => watcher.upserted(t));
  const onProgress = (p: TransferProgress) => watcher.progress(p.id, p.bytesDone, p.speed, p.eta);
  engine.on('transferProgress', onProgress);
  const stopPolling = pollProgress(engine, onProgress);
  engine.on('error', (err) => out.fail(err));
  await untilSignal();
  stopPolling();
  await engine.close();
  out.event({ event: 'stopped' });
  return 0;
}

/** The download folder, created if missing; a clear error when it cannot be. */
async function ensureFolder(dir: string): Promise<void> {
  try {
    await makeDirs(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way' : (err as Error).message;
    throw new FerryError(ErrorCode.IO, `Cannot use ${dir} as the download folder: ${why}`, { cause: err });
  }
}

async function answerOffer(engine: Engine, out: Output, offer: IncomingOffer): Promise<void> {
  const from = offer.peer;
  out.event({
    event: 'offer',
    transferId: offer.transferId,
    from: { name: from.name, fingerprint: from.fingerprint, address: from.address },
    pairingCode: offer.pairingCode,
    newDevice: offer.newDevice,
    fingerprintChanged: offer.fingerprintChanged,
    files: offer.files.length,
    totalBytes: offer.totalBytes,
  });
  const what = `${plural(offer.files.length, 'file')}, ${formatBytes(offer.totalBytes)}`;
  const who = `"${from.name}" (${shortFingerprint(from.fingerprint)}, ${from.address})`;
  if (!process.stdin.isTTY) {
    out.note(`ferry: declined ${what} from ${who}: no terminal to ask on; use --accept all, or trust the device and use --accept trusted`);
    respond(engine, offer.transferId, false);
    out.event({ event: 'declined', transferId: offer.transferId, reason: 'no terminal to ask on' });
    return;
  }
  const warning = offer.fingerprintChanged ? '\n  WARNING: a known device with this name has another fingerprint.' : '';
  out.note(`\n${who} wants to send ${what}:\n${listFiles(offer)}\n  Pairing code: ${formatPairingCode(offer.pairingCode)} (check it matches on the sender)${warning}`);
  const yes = await askYesNo('Accept?');
  respond(engine, offer.transferId, yes);
  out.event({ event: yes ? 'accepted' : 'declined', transferId: offer.transferId });
}

function listFiles(offer: IncomingOffer): string {
  const shown = offer.files.slice(0, 10).map((f) => `  ${f.path} (${formatBytes(f.size)})`);
  if (offer.files.length > 10) shown.push(`  ... and ${offer.files.length - 10} more`);
  return shown.join('\n');
}

function respond(engine: Engine, id: string, accept: boolean): void {
  try {
    engine.respond(id, { accept });
  } catch {
    // the sender withdrew the offer meanwhile
  }
}

/** Turns incoming transfer updates into file, complete and error events. */
class IncomingWatcher {
  private readonly seen = new Map<string, { files: Set<number>; view: ProgressView; total: number; started: number; ended: boolean }>();

  constructor(private readonly out: Output) {}

  upserted(t: TransferSnapshot): void {
    if (t.direction !== 'in' || t.state === 'awaiting-accept') return;
    const w = this.track(t);
    for (const f of t.files) {
      if (f.state !== 'completed' || w.files.has(f.index)) continue;
      w.files.add(f.index);
      this.out.event({ event: 'file', transferId: t.id, path: f.path, size: f.size, savedPath: f.savedPath });
      this.out.say(`Received ${f.path} (${formatBytes(f.size)}) -> ${f.savedPath}`);
    }
    if (!FINAL_STATES.includes(t.state)) {
      w.ended = false;
      return;
    }
    if (w.ended) return;
    w.ended = true;
    const last = { bytes: t.bytesDone, total: t.totalBytes, speed: 0, eta: 0 };
    if (t.state === 'completed') w.view.finish(last);
    else w.view.abandon(last);
    if (t.state === 'completed') {
      const seconds = (Date.now() - w.started) / 1000;
      this.out.event({ event: 'complete', transferId: t.id, from: t.peer.name, files: w.files.size, bytes: t.totalBytes, seconds });
      this.out.say(`Done: ${plural(w.files.size, 'file')}, ${formatBytes(t.totalBytes)} from "${t.peer.name}".`);
    } else if (t.state !== 'rejected') {
      const err = t.error ?? { code: 'E_INTERNAL' as const, message: t.state };
      this.out.fail(err, { transferId: t.id, state: t.state });
    }
  }

  progress(id: string, bytes: number, speed: number, eta: number | null): void {
    const w = this.seen.get(id);
    if (w && !w.ended) w.view.update({ bytes, total: w.total, speed, eta });
  }

  private track(t: TransferSnapshot) {
    let w = this.seen.get(t.id);
    if (!w) {
      w = { files: new Set(), view: new ProgressView(this.out, { transferId: t.id }), total: t.totalBytes, started: Date.now(), ended: false };
      this.seen.set(t.id, w);
      for (const f of t.files) if (f.state === 'completed') w.files.add(f.index); // done in an earlier run
      const { name, fingerprint, address } = t.peer;
      const resumed = t.bytesDone > 0;
      this.out.event({ event: 'incoming', transferId: t.id, from: { name, fingerprint, address }, files: t.files.length, totalBytes: t.totalBytes, bytesDone: t.bytesDone, resumed });
      this.out.say(`${resumed ? 'Continuing' : 'Receiving'} ${plural(t.files.length, 'file')} (${formatBytes(t.totalBytes)}) from "${name}"...`);
    }
    return w;
  }
}
