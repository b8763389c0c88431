// @peculiar/x509 pulls in tsyringe, which refuses to load without a Reflect metadata polyfill
// (normally the 'reflect-metadata' package). It only stores and reads decorator metadata, so a
// WeakMap-backed subset is enough. Installed only when nothing better is present.
type Key = unknown;
type Store = Map<string | symbol | undefined, Map<Key, unknown>>;

const stores = new WeakMap<object, Store>();

function own(target: object, prop: string | symbol | undefined, create: boolean): Map<Key, unknown> | undefined {
  let byProp = stores.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    stores.set(target, byProp);
  }
  let meta = byProp.get(prop);
  if (!meta && create) {
    meta = new Map();
    byProp.set(prop, meta);
  }
  return meta;
}

function lookup(key: Key, target: object, prop?: string | symbol): unknown {
  for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
    const meta = own(t, prop, false);
    if (meta?.has(key)) return meta.get(key);
  }
  return undefined;
}

const shim = {
  defineMetadata(key: Key, value: unknown, target: object, prop?: string | symbol): void {
    own(target, prop, true)!.set(key, value);
  },
  getOwnMetadata(key: Key, target: object, prop?: string | symbol): unknown {
    return own(target, prop, false)?.get(key);
  },
  getMetadata: lookup,
  hasMetadata(key: Key, target: object, prop?: string | symbol): boolean {
    return lookup(key, target, prop) !== undefined;
  },
  hasOwnMetadata(key: Key, target: object, prop?: string | symbol): boolean {
    return own(target, prop, false)?.has(key) ?? false;
  },
  metadata(key: Key, value: unknown) {
    return (target: object, prop?: string | symbol): void => shim.defineMetadata(key, value, target, prop);
  },
};

export function installReflectMetadata(): void {
  const r = Reflect as unknown as Record<string, unknown>;
  if (typeof r.getMetadata === 'function') return;
  for (const [name, fn] of Object.entries(shim)) r[name] = fn;
}
