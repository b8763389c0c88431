// The pairing code the receiver sees in its offer dialog, computed here for the sender's screen
// so both people can compare. Same derivation as src/main/engine/identity/pairing.ts (the e2e
// send spec checks both screens agree). WebCrypto only: the renderer has no Node.
import { useEffect, useState } from 'react';
import { useApp } from './store/app';

export async function pairingCode(fpA: string, fpB: string): Promise<string> {
  const [lo, hi] = [fpA.toLowerCase(), fpB.toLowerCase()].sort();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`ferry-pairing\n${lo}\n${hi}`));
  return String(new DataView(digest).getUint32(0) % 1_000_000).padStart(6, '0');
}

/** "123456" -> "123 456", easier to read aloud. */
export const formatPairingCode = (code: string): string => (/^\d{6}$/.test(code) ? `${code.slice(0, 3)} ${code.slice(3)}` : code);

/** The formatted code between this device and a peer; null until computed or without WebCrypto. */
export function usePairingCode(peerFingerprint: string): string | null {
  const own = useApp((s) => s.identity?.fingerprint);
  const [code, setCode] = useState<string | null>(null);
  useEffect(() => {
    if (!own || !globalThis.crypto?.subtle) return;
    let live = true;
    pairingCode(own, peerFingerprint).then(
      (c) => live && setCode(formatPairingCode(c)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [own, peerFingerprint]);
  return code;
}
