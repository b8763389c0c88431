// Shared bits of the discovery tests: loopback multicast, free ports, waiting for events.
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once, type EventEmitter } from 'node:events';
import { tempDir as sharedTempDir } from '../util/tmp-dir';

/** Turns on multicast over loopback (root) and checks a datagram really loops; returns why not, or null. */
export async function loopbackMulticast(): Promise<string | null> {
  try {
    if (!execFileSync('ip', ['link', 'show', 'lo'], { encoding: 'utf8' }).includes('MULTICAST')) {
      execFileSync('ip', ['link', 'set', 'lo', 'multicast', 'on'], { stdio: 'ignore' });
    }
  } catch {
    // Not root, or no iproute2: the functional check below decides.
  }
  const port = await freeUdpPort();
  const rx = createSocket({ type: 'udp4', reuseAddr: true });
  const tx = createSocket('udp4');
  try {
    await new Promise<void>((r) => rx.bind(port, '0.0.0.0', r));
    rx.addMembership('224.0.0.167', '127.0.0.1');
    await new Promise<void>((r) => tx.bind(0, '127.0.0.1', r));
    tx.setMulticastInterface('127.0.0.1');
    const got = once(rx, 'message');
    tx.send('ping', port, '224.0.0.167');
    const timeout = new Promise((r) => setTimeout(r, 1000, 'timeout')).then(() => 'timeout');
    return (await Promise.race([got.then(() => null), timeout])) === null ? null : 'a multicast datagram on lo did not come back';
  } catch (err) {
    return `multicast on lo is not possible: ${(err as Error).message}`;
  } finally {
    rx.close();
    tx.close();
  }
}

/** A UDP port nothing is bound to right now (so tests do not hear each other). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  s.close();
  return port;
}

export const tempDir = (t: { after(fn: () => Promise<void>): void }): Promise<string> => sharedTempDir(t, 'ferry-disc-');

/** Resolves with the first event payload that passes `pred`; rejects after `ms` (a hang guard). */
export function waitFor<T>(em: EventEmitter, event: string, pred: (v: T) => boolean, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      em.off(event, on);
      reject(new Error(`no matching '${event}' within ${ms} ms`));
    }, ms);
    const on = (v: T) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      em.off(event, on);
      resolve(v);
    };
    em.on(event, on);
  });
}

export const fingerprint = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
