// What follows --to: an address with a port, or a device name.
import { ErrorCode, FerryError } from '../shared/errors';

export type ParsedTarget = { host: string; port: number } | { name: string };

const V6 = /^\[([^\]]+)\]:(\d+)$/;
const HOST_PORT = /^([^:\s[\]]+):(\d+)$/;

/** "[::1]:53417" and "10.0.0.2:53417" are addresses; anything else is a device name. */
export function parseTarget(to: string): ParsedTarget {
  const m = to.match(V6) ?? to.match(HOST_PORT);
  if (!m) return { name: to };
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new FerryError(ErrorCode.INVALID_ARGUMENT, `The port in ${to} must be between 1 and 65535`);
  }
  return { host: m[1], port };
}
