// ferry devices / trust / untrust: the known-devices list in the state dir.
import { ErrorCode, FerryError, toErrorInfo } from '../../shared/errors';
import type { KnownDevice } from '../../shared/types';
import { KnownDevices } from '../../main/engine/store/known-devices';
import { numberOption, parseCommand, UsageError } from '../args';
import { deviceName, startEngine, stateDirFrom } from '../engine-setup';
import { shortFingerprint } from '../format';
import { Output } from '../output';
import { waitForPeers } from '../peer-wait';
import { formatAddress } from './peers';

export async function devices(argv: string[]): Promise<number> {
  const { values } = parseCommand('devices', argv, {});
  const out = new Output(!!values.json);
  const list = (await KnownDevices.open(stateDirFrom(values['state-dir']))).list();
  for (const d of list) out.event({ event: 'device', ...d });
  if (!list.length) out.say('No known devices yet.');
  for (const d of list) {
    const seen = d.lastSeen ? new Date(d.lastSeen).toISOString().replace('T', ' ').slice(0, 16) : 'never';
    const where = d.lastAddress ? formatAddress(d.lastAddress, d.lastPort) : '-';
    out.say(`${(d.name || '(unnamed)').padEnd(24)} ${where.padEnd(28)} ${shortFingerprint(d.fingerprint)}  last seen ${seen}${d.trusted ? '  trusted' : ''}`);
  }
  return 0;
}

const TRUST_OPTIONS = { wait: { type: 'string' } } as const;

export function trust(argv: string[]): Promise<number> {
  return setTrust('trust', argv, true);
}

export function untrust(argv: string[]): Promise<number> {
  return setTrust('untrust', argv, false);
}

async function setTrust(command: 'trust' | 'untrust', argv: string[], trusted: boolean): Promise<number> {
  const options = trusted ? TRUST_OPTIONS : {};
  const { values, positionals } = parseCommand(command, argv, options as typeof TRUST_OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one NAME or FINGERPRINT`, command);
  const stateDir = stateDirFrom(values['state-dir']);
  const out = new Output(!!values.json);
  const waitMs = numberOption(command, 'wait', values.wait, 5, 0, 600) * 1000;
  let known = await KnownDevices.open(stateDir);
  let device: KnownDevice | undefined;
  try {
    device = findKnown(known, positionals[0]);
    if (!device && trusted && !isFingerprint(positionals[0])) {
      await lookOnNetwork(stateDir, positionals[0], waitMs);
      known = await KnownDevices.open(stateDir);
      device = findKnown(known, positionals[0]);
    }
  } catch (err) {
    out.fail(toErrorInfo(err));
    return 1;
  }
  const fingerprint = device?.fingerprint ?? (isFingerprint(positionals[0]) ? positionals[0].toLowerCase() : null);
  if (!fingerprint) {
    out.fail({ code: ErrorCode.NOT_FOUND, message: `No device named "${positionals[0]}" is known${trusted ? ' or answered on the network' : ''}` });
    return 1;
  }
  await (trusted ? known.trust(fingerprint) : known.untrust(fingerprint));
  const name = known.get(fingerprint)?.name || device?.name || '';
  out.event({ event: trusted ? 'trusted' : 'untrusted', fingerprint, name });
  out.say(`${trusted ? 'Trusted' : 'No longer trusted'}: ${name ? `"${name}" ` : ''}${shortFingerprint(fingerprint)}`);
  return 0;
}

function isFingerprint(s: string): boolean {
  return /^[0-9a-f]{64}$/i.test(s);
}

/** By full fingerprint, unique fingerprint prefix (8+ hex digits), or name. */
function findKnown(known: KnownDevices, key: string): KnownDevice | undefined {
  const hex = key.replace(/\s+/g, '').toLowerCase();
  if (/^[0-9a-f]{8,64}$/.test(hex)) {
    const byFp = known.list().filter((d) => d.fingerprint.startsWith(hex));
    if (byFp.length === 1) return byFp[0];
    if (byFp.length > 1) throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${byFp.length} known devices start with ${hex}; give more digits`);
  }
  const named = known.findByName(key);
  if (named.length > 1) {
    throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${named.length} known devices are named "${key}"; give the fingerprint instead (see 'ferry devices')`);
  }
  return named[0];
}

/** Finds the device by name on the network and remembers it (untrusted) in the state dir. */
async function lookOnNetwork(stateDir: string, name: string, waitMs: number): Promise<void> {
  const engine = await startEngine({ stateDir, name: deviceName(undefined), discovery: 'listen' });
  let found;
  try {
    found = await waitForPeers(engine, name, waitMs);
  } finally {
    await engine.close();
  }
  if (found.length > 1) {
    throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${found.length} devices named "${name}" are on the network; trust one by fingerprint (see 'ferry peers')`);
  }
  const peer = found[0];
  if (!peer) return;
  const known = await KnownDevices.open(stateDir);
  await known.upsertSeen({ fingerprint: peer.fingerprint, name: peer.name, address: peer.address, port: peer.port });
}
