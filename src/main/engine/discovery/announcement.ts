// The discovery datagram: one small JSON object, validated field by field on receipt.
// Anything malformed, oversized or of the wrong type is dropped (decode returns null), never thrown.
import type { DeviceType } from '../../../shared/types';

/** Hard cap on a datagram, checked before parsing. Fits any link MTU with room to spare. */
export const MAX_PACKET_BYTES = 512;
/** Same cap as a device name in settings. */
export const MAX_NAME_CHARS = 64;

/**
 * 'announce': multicast, periodic. With `query` set (start burst, new interface) listeners
 * answer it by unicast. 'answer': unicast reply to a query. 'goodbye': multicast on stop.
 * 'query': from a device that only looks (`ferry peers`): answered, never listed as a peer,
 * so a lookup never stands in for the real app of the same identity.
 */
export type PacketKind = 'announce' | 'answer' | 'goodbye' | 'query';

export interface Announcement {
  kind: PacketKind;
  /** The sender asks every listener to answer (only in its start burst). */
  query: boolean;
  fingerprint: string;
  /** Random per run: a new value means the peer restarted. */
  instanceId: string;
  name: string;
  deviceType: DeviceType;
  /** TCP port of its TLS server. */
  port: number;
  protocolVersion: number;
}

const MAGIC = 'ferry';
const KINDS: readonly PacketKind[] = ['announce', 'answer', 'goodbye', 'query'];
const DEVICE_TYPES: readonly DeviceType[] = ['desktop', 'laptop', 'server'];
const FINGERPRINT_RE = /^[0-9a-f]{64}$/;
const INSTANCE_RE = /^[0-9a-f]{16}$/;
// Control characters would garble a terminal or a list row.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

/** Wire form: short keys keep the datagram small. `ferry: 1` marks the format and its version. */
interface Wire {
  [MAGIC]: 1;
  t: PacketKind;
  q?: 1;
  fp: string;
  id: string;
  n: string;
  dt: DeviceType;
  p: number;
  pv: number;
}

export function encodeAnnouncement(a: Announcement): Buffer {
  const wire: Wire = {
    [MAGIC]: 1,
    t: a.kind,
    ...(a.query ? { q: 1 as const } : {}),
    fp: a.fingerprint,
    id: a.instanceId,
    n: cleanName(a.name),
    dt: a.deviceType,
    p: a.port,
    pv: a.protocolVersion,
  };
  const buf = Buffer.from(JSON.stringify(wire), 'utf8');
  // Only a name of many multi-byte characters can get here; it is capped above, so this is a bug.
  if (buf.length > MAX_PACKET_BYTES) throw new Error(`announcement is ${buf.length} bytes`);
  return buf;
}

/** Returns the announcement, or null for anything that is not a well-formed Ferry datagram. */
export function decodeAnnouncement(buf: Buffer): Announcement | null {
  if (buf.length === 0 || buf.length > MAX_PACKET_BYTES) return null;
  let w: unknown;
  try {
    w = JSON.parse(buf.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof w !== 'object' || w === null || Array.isArray(w)) return null;
  const o = w as Record<string, unknown>;
  if (o[MAGIC] !== 1) return null;
  if (!KINDS.includes(o.t as PacketKind)) return null;
  if (o.q !== undefined && o.q !== 1) return null;
  if (typeof o.fp !== 'string' || !FINGERPRINT_RE.test(o.fp)) return null;
  if (typeof o.id !== 'string' || !INSTANCE_RE.test(o.id)) return null;
  if (!validName(o.n)) return null;
  if (!DEVICE_TYPES.includes(o.dt as DeviceType)) return null;
  if (!isPort(o.p)) return null;
  if (!Number.isInteger(o.pv) || (o.pv as number) < 1 || (o.pv as number) > 65535) return null;
  return {
    kind: o.t as PacketKind,
    query: o.q === 1,
    fingerprint: o.fp,
    instanceId: o.id,
    name: o.n as string,
    deviceType: o.dt as DeviceType,
    port: o.p as number,
    protocolVersion: o.pv as number,
  };
}

export function isPort(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
}

function validName(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0 && [...v].length <= MAX_NAME_CHARS && !CONTROL_RE.test(v);
}

/** What we put on the wire for our own name: no control characters, at most MAX_NAME_CHARS. */
export function cleanName(name: string): string {
  const cleaned = [...name.replace(new RegExp(CONTROL_RE.source, 'g'), ' ').trim()].slice(0, MAX_NAME_CHARS).join('');
  return cleaned.trim() || 'Ferry device';
}
