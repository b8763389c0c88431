// Argument checks for calls coming from the renderer: it is the least trusted part of the app,
// so every value is checked for type, size and range before it reaches the engine.
import { isAbsolute } from 'node:path';
import { ErrorCode, FerryError } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';
import type { AcceptPolicy, DeviceType, OfferDecision, Settings } from '../../../shared/types';

export const MAX_ID_CHARS = 128;
export const MAX_ADDRESS_CHARS = 300;
export const MAX_DEVICE_NAME_CHARS = 64;
/** A drop or a picker may bring many paths, but not an unbounded list. */
export const MAX_SEND_PATHS = 10_000;
/** Dropped paths remembered for sendPaths; the oldest are forgotten past this. */
export const MAX_GRANTED_PATHS = 100_000;

function invalid(message: string): FerryError {
  return new FerryError(ErrorCode.INVALID_ARGUMENT, message);
}

export function checkArity(args: unknown, n: number, call: string): unknown[] {
  if (!Array.isArray(args) || args.length > n) throw invalid(`${call} takes ${n} argument(s)`);
  return args;
}

export function str(v: unknown, what: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0) throw invalid(`${what} must be a non-empty string`);
  if (v.length > max) throw invalid(`${what} is longer than ${max} characters`);
  return v;
}

export function id(v: unknown, what = 'transfer id'): string {
  return str(v, what, MAX_ID_CHARS);
}

export function index(v: unknown, what: string): number {
  if (!Number.isInteger(v) || (v as number) < 0) throw invalid(`${what} must be a whole number >= 0`);
  return v as number;
}

export function absPath(v: unknown, what: string): string {
  const p = str(v, what, LIMITS.maxPathBytes);
  if (p.includes('\0') || !isAbsolute(p)) throw invalid(`${what} must be an absolute path`);
  return p;
}

export function pathList(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) throw invalid('paths must be a non-empty list');
  if (v.length > MAX_SEND_PATHS) throw invalid(`at most ${MAX_SEND_PATHS} paths at once`);
  return v.map((p, i) => absPath(p, `path ${i + 1}`));
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(v as T)) throw invalid(`${what} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw invalid(`${what} must be true or false`);
  return v;
}

function plainObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${what} must be an object`);
  return v as Record<string, unknown>;
}

/** fileCount: how many files the offer has, to range-check the chosen indices. */
export function decision(v: unknown, fileCount: number): OfferDecision {
  const o = plainObject(v, 'decision');
  const out: OfferDecision = { accept: bool(o.accept, 'decision.accept') };
  if (o.trust !== undefined) out.trust = bool(o.trust, 'decision.trust');
  if (o.files !== undefined) {
    if (!Array.isArray(o.files) || o.files.length > fileCount) throw invalid('decision.files must be a list of file indices');
    out.files = o.files.map((f) => index(f, 'decision.files entry'));
    if (out.files.some((f) => f >= fileCount)) throw invalid('decision.files names a file the offer does not have');
  }
  return out;
}

export const DEVICE_TYPES: readonly DeviceType[] = ['desktop', 'laptop', 'server'];
export const POLICIES: readonly AcceptPolicy[] = ['ask', 'trusted', 'all'];
const THEMES: readonly Settings['theme'][] = ['system', 'light', 'dark'];
const LANGUAGES: readonly Settings['language'][] = ['system', 'en', 'zh-CN'];

/** Checks a settings patch field by field; unknown keys are refused, not ignored. */
export function settingsPatch(v: unknown): Partial<Settings> {
  const o = plainObject(v, 'settings');
  const out: Partial<Settings> = {};
  for (const [k, val] of Object.entries(o)) {
    if (val === undefined) continue;
    switch (k) {
      case 'deviceName':
        out.deviceName = deviceName(val);
        break;
      case 'deviceType':
        out.deviceType = oneOf(val, DEVICE_TYPES, 'deviceType');
        break;
      case 'downloadDir':
        out.downloadDir = absPath(val, 'downloadDir');
        break;
      case 'acceptPolicy':
        out.acceptPolicy = oneOf(val, POLICIES, 'acceptPolicy');
        break;
      case 'theme':
        out.theme = oneOf(val, THEMES, 'theme');
        break;
      case 'language':
        out.language = oneOf(val, LANGUAGES, 'language');
        break;
      default:
        throw invalid(`unknown setting '${k.slice(0, 40)}'`);
    }
  }
  return out;
}

function deviceName(v: unknown): string {
  const name = str(typeof v === 'string' ? v.trim() : v, 'deviceName', MAX_DEVICE_NAME_CHARS);
  // Control characters would garble the peer list on the other side.
  if (/\p{Cc}/u.test(name)) throw invalid('deviceName must not contain control characters');
  return name;
}

/** Settings read from disk: anything broken falls back to the default, field by field. */
export function sanitizeSettings(raw: unknown, defaults: Settings): Settings {
  const o = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const out: Settings = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof Settings)[]) {
    try {
      Object.assign(out, settingsPatch({ [key]: o[key] }));
    } catch {
      // keep the default for this field
    }
  }
  return out;
}
