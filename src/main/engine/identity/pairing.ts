// A short code both people can compare on their screens, like Bluetooth numeric comparison.
// Derived from both fingerprints, sorted, so each side computes the same digits.
import { createHash } from 'node:crypto';

export function pairingCode(fpA: string, fpB: string): string {
  const [lo, hi] = [fpA.toLowerCase(), fpB.toLowerCase()].sort();
  const digest = createHash('sha256').update(`ferry-pairing\n${lo}\n${hi}`).digest();
  return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

/** "123456" -> "123 456", easier to read aloud. */
export function formatPairingCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}
