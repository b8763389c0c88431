// Parses what a person types to add a peer: "host", "host:port", "[v6]:port" or a bare IPv6.
import { isIP } from 'node:net';
import { ErrorCode, FerryError } from '../../../shared/errors';
import { DEFAULT_PORT } from '../../../shared/protocol';

const HOSTNAME_RE = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

export interface HostPort {
  host: string;
  port: number;
}

export function parsePeerAddress(input: string, defaultPort = DEFAULT_PORT): HostPort {
  const text = input.trim();
  const bad = (why: string) =>
    new FerryError(ErrorCode.INVALID_ARGUMENT, `"${input}" is not a peer address (${why}); use host, host:port or [IPv6]:port`);
  if (!text || text.length > 300) throw bad('empty or too long');
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) [, host, portText] = bracketed;
  else if (text.split(':').length > 2) host = text; // bare IPv6, no port
  else [host, portText] = text.split(':');
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!/^\d*$/.test(portText ?? '') || !Number.isInteger(port) || port < 1 || port > 65535) throw bad('port must be 1-65535');
  const literal = host.split('%')[0];
  if (isIP(literal) === 6 || isIP(host) === 4) return { host, port };
  if (bracketed || !HOSTNAME_RE.test(host)) throw bad('not an IP address or host name');
  return { host: host.toLowerCase(), port };
}

/** How to print it back: IPv6 in brackets. */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
