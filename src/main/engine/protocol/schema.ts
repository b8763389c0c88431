// A tiny structural validator for control messages: no dependency, explicit limits everywhere.
// A check returns null when the value is fine, or a short description of what is wrong.
export type Check = (v: unknown) => string | null;

export function int(min: number, max: number): Check {
  return (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? null : `an integer in [${min}, ${max}]`;
}

export function str(minLen: number, maxLen: number, pattern?: RegExp): Check {
  return (v) => {
    if (typeof v !== 'string' || v.length < minLen || v.length > maxLen) return `a string of ${minLen}..${maxLen} chars`;
    return pattern && !pattern.test(v) ? `a string matching ${pattern}` : null;
  };
}

export function oneOf(values: readonly string[]): Check {
  return (v) => (typeof v === 'string' && values.includes(v) ? null : `one of ${values.join(', ')}`);
}

export function arr(item: Check, maxLen: number, minLen = 0): Check {
  return (v) => {
    if (!Array.isArray(v) || v.length < minLen || v.length > maxLen) return `an array of ${minLen}..${maxLen} items`;
    for (let i = 0; i < v.length; i++) {
      const e = item(v[i]);
      if (e) return `[${i}] ${e}`;
    }
    return null;
  };
}

/** Fields ending in '?' are optional. Unknown fields are refused, so nothing unchecked slips through. */
export function obj(fields: Record<string, Check>): Check {
  const required = Object.keys(fields).filter((k) => !k.endsWith('?'));
  const all = new Map(Object.entries(fields).map(([k, c]) => [k.replace(/\?$/, ''), c]));
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'an object';
    for (const k of required) if (!Object.hasOwn(v, k)) return `field ${k} missing`;
    // for-in, not Object.entries: no array per object (an offer has 100,000 of them). A parsed
    // message has only own keys, "__proto__" included, and that one is unknown.
    for (const k in v) {
      const c = all.get(k);
      if (!c) return `unknown field ${k}`;
      const e = c((v as Record<string, unknown>)[k]);
      if (e) return `${k}: ${e}`;
    }
    return null;
  };
}
