// Command-line parsing on node:util parseArgs. Usage mistakes exit with code 2 and say why.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  'state-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export interface Parsed<O extends Options> {
  values: { [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean };
  positionals: string[];
}

/** Parses argv (after the command name); unknown flags and missing values become UsageErrors. */
export function parseCommand<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  positionals = false,
): Parsed<O & typeof COMMON_OPTIONS> {
  try {
    const r = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: positionals, strict: true });
    return r as unknown as Parsed<O & typeof COMMON_OPTIONS>;
  } catch (err) {
    throw new UsageError(cleanParseError(err), command);
  }
}

function cleanParseError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // parseArgs adds advice about '--' that only fits positional-taking commands; keep the first sentence.
  return msg.split('. To specify a positional argument')[0].replace(/^Unexpected argument/, 'Unexpected argument');
}

export function intOption(command: string, name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`, command);
  return n;
}

export function numberOption(command: string, name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, not "${raw}"`, command);
  return n;
}
