// Self time per function from a `node --cpu-prof` file, the hottest first:
//   node --import tsx bench/profile-summary.ts bench/results/profiles/CPU.*.cpuprofile [top]
// Used to see where a Ferry worker spends its time (bench --profile writes the files).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The source module a line of an esbuild bundle came from: esbuild starts each module with a
 * `// path/to/module.ts` comment. bench --profile keeps the bundles beside the profiles.
 */
function moduleMapper(profileFile: string): (url: string, line: number) => string | null {
  const cache = new Map<string, [number, string][]>();
  return (url, line) => {
    if (!url.endsWith('.js') || !/ferry-(send|recv)\.js$/.test(url)) return null;
    const local = join(dirname(profileFile), 'workers', basename(url));
    const path = existsSync(local) ? local : url.startsWith('file:') ? fileURLToPath(url) : url;
    if (!cache.has(path)) {
      const marks: [number, string][] = [];
      if (existsSync(path)) readFileSync(path, 'utf8').split('\n').forEach((l, i) => {
        const m = /^\/\/ ((?:src|bench|node_modules)\/\S+)$/.exec(l);
        if (m) marks.push([i, m[1]]);
      });
      cache.set(path, marks);
    }
    let found: string | null = null;
    for (const [at, mod] of cache.get(path)!) if (at <= line) found = mod;
    return found;
  };
}

export function selfTimes(p: Profile, profileFile = ''): { total: number; rows: [string, number][] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const moduleOf = moduleMapper(profileFile);
  let total = 0;
  p.samples.forEach((id, i) => {
    const cf = byId.get(id)!.callFrame;
    const where = moduleOf(cf.url, cf.lineNumber) ?? `${basename(cf.url) || '(native)'}:${cf.lineNumber + 1}`;
    const key = `${cf.functionName || '(anonymous)'} ${where}`;
    const dt = p.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return { total, rows: [...self].sort((a, b) => b[1] - a[1]) };
}

if (require.main === module) {
  const files = process.argv.slice(2).filter((a) => a.endsWith('.cpuprofile'));
  const top = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);
  for (const f of files) {
    const { total, rows } = selfTimes(JSON.parse(readFileSync(f, 'utf8')) as Profile, f);
    console.log(`${f}: ${(total / 1e6).toFixed(2)} s sampled`);
    for (const [k, us] of rows.slice(0, top)) console.log(`${(us / 1e3).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  }
}
