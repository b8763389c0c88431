// Stable error codes. They cross the wire (error/close messages), the IPC bridge and the CLI's
// stderr, so a code, once shipped, never changes meaning. Messages are for people; codes are for code.
export const ErrorCode = {
  // protocol and connection
  BAD_MESSAGE: 'E_BAD_MESSAGE', // malformed JSON, schema violation, unknown type
  BAD_FRAME: 'E_BAD_FRAME', // binary frame too short/long, unknown transfer/file, bad offset
  BAD_VERSION: 'E_BAD_VERSION', // no common protocol version
  NOT_READY: 'E_NOT_READY', // message arrived before the hello finished
  LIMIT: 'E_LIMIT', // a resource limit was hit (connections, offers, entries, message size)
  TIMEOUT: 'E_TIMEOUT', // peer silent past the heartbeat deadline or idle limit
  UNREACHABLE: 'E_UNREACHABLE', // could not connect within the retry window
  CONNECTION_LOST: 'E_CONNECTION_LOST', // connection dropped and was not (yet) restored
  FINGERPRINT_MISMATCH: 'E_FINGERPRINT_MISMATCH', // peer certificate is not the pinned one
  TLS: 'E_TLS', // handshake failed for another reason
  // transfer outcome
  REJECTED: 'E_REJECTED', // receiver declined the offer
  CANCELLED: 'E_CANCELLED', // either side cancelled
  NO_SPACE: 'E_NO_SPACE', // the download folder's disk cannot hold the batch
  INTEGRITY: 'E_INTEGRITY', // a block or file digest did not match
  SOURCE_CHANGED: 'E_SOURCE_CHANGED', // the file changed on the sender's disk
  BAD_NAME: 'E_BAD_NAME', // an offered name could not be made safe
  IO: 'E_IO', // a read or write failed for another reason (permissions, missing file)
  NOT_FOUND: 'E_NOT_FOUND', // unknown transfer, peer or file id
  INVALID_ARGUMENT: 'E_INVALID_ARGUMENT', // bad input from the user or the renderer
  INTERNAL: 'E_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The serialisable shape of an error: what crosses IPC, the wire and --json output. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export class FerryError extends Error implements ErrorInfo {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FerryError';
  }
  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof FerryError) return err.toInfo();
  const message = err instanceof Error ? err.message : String(err);
  return { code: ErrorCode.INTERNAL, message };
}
