// ferry send: one outgoing transfer; exit 0 only when the receiver verified every file.
import { ErrorCode, FerryError, toErrorInfo, type ErrorInfo } from '../../shared/errors';
import { RECONNECT_WINDOW_MS } from '../../shared/protocol';
import { FINAL_STATES, type Peer, type TransferProgress, type TransferSnapshot, type TransferState } from '../../shared/types';
import type { Engine } from '../../main/engine/engine';
import type { SendTarget } from '../../main/engine/engine-api';
import { intOption, parseCommand, UsageError } from '../args';
import { deviceName, startEngine, stateDirFrom, untilSignal } from '../engine-setup';
import { formatPairingCode } from '../../main/engine/identity/pairing';
import { formatBytes, formatSpeed, plural, shortFingerprint } from '../format';
import { Output } from '../output';
import { ProgressView } from '../progress';
import { pollProgress } from '../progress-poll';
import { waitForPeers } from '../peer-wait';
import { parseTarget } from '../target';

const OPTIONS = {
  to: { type: 'string' },
  fingerprint: { type: 'string' },
  name: { type: 'string' },
  retry: { type: 'string' },
} as const;

const NAME_WAIT_MS = 5_000;
export const EXIT_INTERRUPTED = 130;

export async function send(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('send', argv, OPTIONS, true);
  if (!positionals.length) throw new UsageError('send needs at least one PATH to send', 'send');
  if (!values.to) throw new UsageError('send needs --to HOST:PORT or --to NAME', 'send');
  const fingerprint = values.fingerprint?.toLowerCase();
  if (fingerprint !== undefined && !/^[0-9a-f]{64}$/.test(fingerprint)) {
    throw new UsageError('--fingerprint must be the 64 hex digits of the receiver\'s fingerprint', 'send');
  }
  // A day at most: past that, the user is better off running the same command again.
  const retrySeconds = intOption('send', 'retry', values.retry, RECONNECT_WINDOW_MS / 1000, 0, 86_400);
  const parsed = parseTarget(values.to);
  const out = new Output(!!values.json);
  const engine = await startEngine({
    stateDir: stateDirFrom(values['state-dir']),
    name: deviceName(values.name),
    discovery: 'name' in parsed ? 'listen' : false,
    reconnectWindowMs: retrySeconds * 1000,
  });
  try {
    const run = runSend(engine, out, positionals, parsed, fingerprint);
    const outcome = await Promise.race([run, untilSignal().then(() => null)]);
    if (outcome === null) {
      out.fail({ code: ErrorCode.CANCELLED, message: 'Interrupted; run the same command again to continue where it stopped' });
      return EXIT_INTERRUPTED;
    }
    return outcome;
  } finally {
    await engine.close();
  }
}

async function runSend(engine: Engine, out: Output, paths: string[], parsed: ReturnType<typeof parseTarget>, fingerprint?: string): Promise<number> {
  let target: SendTarget;
  try {
    target = await resolveTarget(engine, parsed, fingerprint);
  } catch (err) {
    out.fail(toErrorInfo(err));
    return 1;
  }
  const tracker = new SendTracker(out, (fp) => engine.pairingCode(fp));
  engine.on('transferUpserted', (t) => tracker.upserted(t));
  const onProgress = (p: TransferProgress) => tracker.progress(p.id, p.bytesDone, p.speed, p.eta);
  engine.on('transferProgress', onProgress);
  const stopPolling = pollProgress(engine, onProgress);
  try {
    const first = await engine.send({ to: target, paths });
    return tracker.report(await tracker.follow(first));
  } catch (err) {
    out.fail(toErrorInfo(err));
    return 1;
  } finally {
    stopPolling();
  }
}

/** HOST:PORT as given; a NAME is looked for on the network (up to 5 s), then among known devices. */
async function resolveTarget(engine: Engine, parsed: ReturnType<typeof parseTarget>, fingerprint?: string): Promise<SendTarget> {
  if ('host' in parsed) return { host: parsed.host, port: parsed.port, ...(fingerprint ? { fingerprint } : {}) };
  const found = await waitForPeers(engine, parsed.name, NAME_WAIT_MS);
  if (found.length) return { fingerprint: pickPeer(parsed.name, found, fingerprint).fingerprint };
  const known = engine.devices().find((d) => d.name === parsed.name && d.lastAddress && (!fingerprint || d.fingerprint === fingerprint));
  if (known) return { host: known.lastAddress, port: known.lastPort, fingerprint: known.fingerprint };
  throw new FerryError(ErrorCode.NOT_FOUND, `No device named "${parsed.name}" answered within ${NAME_WAIT_MS / 1000} s, and none is known; try --to HOST:PORT`);
}

/** One device by that name, and the one --fingerprint names when given. */
function pickPeer(name: string, found: Peer[], fingerprint?: string): Peer {
  if (fingerprint) {
    const pinned = found.find((p) => p.fingerprint === fingerprint);
    if (pinned) return pinned;
    const seen = found.map((p) => p.fingerprint.slice(0, 16) + '...').join(', ');
    throw new FerryError(ErrorCode.FINGERPRINT_MISMATCH, `The device named "${name}" has fingerprint ${seen}, not the one given with --fingerprint`);
  }
  if (found.length > 1) {
    throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${found.length} devices are named "${name}"; pick one with --fingerprint (see 'ferry peers')`);
  }
  return found[0];
}

/** Follows the one transfer this command started; events may arrive before send() returns. */
class SendTracker {
  private readonly latest = new Map<string, TransferSnapshot>();
  private id = '';
  private view: ProgressView;
  private readonly started = Date.now();
  private wake: (() => void) | null = null;

  private introduced = false;

  constructor(
    private readonly out: Output,
    private readonly pairingCode: (fingerprint: string) => string,
  ) {
    this.view = new ProgressView(out);
  }

  upserted(t: TransferSnapshot): void {
    if (t.direction !== 'out') return;
    this.latest.set(t.id, t);
    if (t.id === this.id) this.wake?.();
  }

  progress(id: string, bytes: number, speed: number, eta: number | null): void {
    const t = this.latest.get(id);
    if (id !== this.id || !t) return;
    this.view.update({ bytes, total: t.totalBytes, speed, eta });
  }

  async follow(first: TransferSnapshot): Promise<TransferSnapshot> {
    this.id = first.id;
    if (!this.latest.has(first.id)) this.latest.set(first.id, first);
    this.introduce(first); // send() returns once the offer is out: the receiver is known by now
    let shown = first.state;
    for (;;) {
      const t = this.latest.get(this.id)!;
      this.introduce(t);
      if (FINAL_STATES.includes(t.state)) return t;
      if (t.state !== shown) this.stateChanged(shown, t);
      shown = t.state;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Once connected: who the receiver is, and the code a person can compare with its screen. */
  private introduce(t: TransferSnapshot): void {
    if (this.introduced || !t.peer.fingerprint) return;
    this.introduced = true;
    const code = this.pairingCode(t.peer.fingerprint);
    const { name, fingerprint, address, port } = t.peer;
    this.out.event({ event: 'connected', transferId: t.id, to: { name, fingerprint, address, port }, pairingCode: code });
    // A receiver that accepts on its own can answer before send() returns: the code is shown anyway.
    const who = `"${name}" (${shortFingerprint(fingerprint)})`;
    const line = t.state === 'awaiting-accept' ? `Waiting for ${who} to accept` : `Sending to ${who}`;
    this.out.say(`${line}. Pairing code: ${formatPairingCode(code)}`);
  }

  /** Connection trouble and pauses are worth a line; the progress bar covers the rest. */
  private stateChanged(before: TransferState, t: TransferSnapshot): void {
    this.out.event({ event: 'state', transferId: t.id, state: t.state, ...(t.error ? { code: t.error.code, message: t.error.message } : {}) });
    if (this.out.json) return; // the event says it; stderr keeps only the final reason
    if (t.state === 'reconnecting') this.out.note(`ferry: connection lost (${t.error?.code ?? 'E_CONNECTION_LOST'}); reconnecting...`);
    else if (t.state === 'paused') this.out.note(`ferry: paused by the ${t.pausedBy === 'remote' ? 'receiver' : 'sender'}`);
    else if (t.state === 'transferring' && (before === 'reconnecting' || before === 'paused')) this.out.note('ferry: continuing');
  }

  report(t: TransferSnapshot): number {
    const last = { bytes: t.bytesDone, total: t.totalBytes, speed: 0, eta: 0 };
    const unverified = t.files.filter((f) => f.state !== 'completed');
    if (t.state !== 'completed' || unverified.length) {
      this.view.abandon(last);
      this.out.fail(reasonOf(t), { transferId: t.id, state: t.state });
      return 1;
    }
    this.view.finish(last);
    const seconds = (Date.now() - this.started) / 1000;
    const bytesSent = bytesSentOf(t);
    this.out.event({ event: 'complete', transferId: t.id, files: t.files.length, bytes: t.totalBytes, bytesSent, seconds });
    this.out.say(
      `Sent ${plural(t.files.length, 'file')}, ${formatBytes(t.totalBytes)} to "${t.peer.name}" in ${seconds.toFixed(1)} s` +
        ` (${formatSpeed(bytesSent / Math.max(seconds, 0.001))})${bytesSent < t.totalBytes ? `; ${formatBytes(t.totalBytes - bytesSent)} were already there` : ''}. All verified.`,
    );
    return 0;
  }
}

/** File bytes this run put on the wire (the engine counts them on the sender side). */
function bytesSentOf(t: TransferSnapshot): number {
  return t.bytesSent ?? t.totalBytes;
}

function reasonOf(t: TransferSnapshot): ErrorInfo {
  if (t.error) return t.error;
  const failed = t.files.find((f) => f.error);
  if (failed?.error) return { code: failed.error.code, message: `${failed.path}: ${failed.error.message}` };
  if (t.state === 'rejected') return { code: ErrorCode.REJECTED, message: 'The receiver declined' };
  if (t.state === 'cancelled') return { code: ErrorCode.CANCELLED, message: 'The transfer was cancelled' };
  const n = t.files.filter((f) => f.state !== 'completed').length;
  return { code: ErrorCode.INTEGRITY, message: `${plural(n, 'file')} were not verified by the receiver` };
}
