// The pairing code comes from the engine (offers and transfer snapshots); this only formats it.

/** "123456" -> "123 456", easier to read aloud. */
export const formatPairingCode = (code: string): string => (/^\d{6}$/.test(code) ? `${code.slice(0, 3)} ${code.slice(3)}` : code);
