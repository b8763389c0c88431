// Every resource limit a peer can run into, in one place, each with its reason.
// docs/SECURITY.md explains the threat model these serve.

export const LIMITS = {
  /** Largest ws message. A DATA frame carries at most CHUNK_MAX bytes plus header and digest;
   *  a control message (an offer of MAX_OFFER_ENTRIES entries) stays well under this. */
  maxMessageBytes: 16 * 1024 * 1024 + 1024,
  /** Control (text) messages other than offers are small; a large one is an attack. */
  maxControlBytes: 64 * 1024,
  /** An offer lists every file; 100k entries covers a photo library, 1M is a memory attack. */
  maxOfferEntries: 100_000,
  /** Relative path length in bytes (UTF-8), and one path component. */
  maxPathBytes: 4096,
  maxNameBytes: 255,
  /** Folder depth in an offer. */
  maxPathDepth: 64,
  /** Largest single file we agree to receive: 16 TiB. Sizes past this are absurd. */
  maxFileSize: 16 * 1024 ** 4,
  /** Open connections to our server in total, and from one remote address. */
  maxConnections: 64,
  maxConnectionsPerAddress: 16,
  /** Offers waiting for the user's answer at once (policy 'ask'), per device and overall. */
  maxPendingOffers: 16,
  maxPendingOffersPerPeer: 4,
  /** Certificates cost nothing to make, so one host cycling identities is capped by its address too. */
  maxPendingOffersPerAddress: 4,
  /** A connection must finish its hello this fast, and may sit idle (no transfer) this long. */
  helloTimeoutMs: 10_000,
  idleTimeoutMs: 120_000,
  /** Pings and control messages a peer may send per second before it is cut off. */
  maxControlPerSecond: 200,
} as const;
