// ferry peers: who announces itself on the local network.
import { numberOption, parseCommand } from '../args';
import { deviceName, startEngine, stateDirFrom } from '../engine-setup';
import { shortFingerprint } from '../format';
import { NOTHING_FOUND } from '../help';
import { Output } from '../output';
import { collectPeers } from '../peer-wait';

const OPTIONS = { wait: { type: 'string' } } as const;

export async function peers(argv: string[]): Promise<number> {
  const { values } = parseCommand('peers', argv, OPTIONS);
  const waitS = numberOption('peers', 'wait', values.wait, 3, 0, 3600);
  const out = new Output(!!values.json);
  const engine = await startEngine({ stateDir: stateDirFrom(values['state-dir']), name: deviceName(undefined), discovery: 'listen' });
  try {
    const found = (await collectPeers(engine, waitS * 1000)).filter((p) => p.online);
    for (const p of found) {
      const { name, address, port, fingerprint, deviceType, protocolVersion, trusted, source } = p;
      out.event({ event: 'peer', name, address, port, fingerprint, deviceType, protocolVersion, trusted, source });
    }
    if (!found.length) out.say(`No devices found in ${waitS} s.\n${NOTHING_FOUND}`);
    for (const p of found) {
      out.say(`${p.name.padEnd(24)} ${formatAddress(p.address, p.port).padEnd(28)} ${shortFingerprint(p.fingerprint)}${p.trusted ? '  trusted' : ''}`);
    }
    return 0;
  } finally {
    await engine.close();
  }
}

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
