// What the numbers were measured on, including how busy the machine was.
import { cpus, loadavg, release, totalmem } from 'node:os';
import { CREATE_MICROS_NORMAL } from './create-cost';

export interface Machine {
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  openssl: string;
  /** 1-minute load average when the run started and ended. */
  loadStart: number;
  loadEnd?: number;
  /** Microseconds to create a file just before the small files (bench/lib/create-cost.ts), and the seconds waited for it. */
  createMicros?: number;
  createWaitSeconds?: number;
}

export function describeMachine(): Machine {
  const c = cpus();
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cpus: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    openssl: process.versions.openssl,
    loadStart: loadavg()[0],
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, OpenSSL ${m.openssl}; load avg (1 min) ${m.loadStart.toFixed(2)} at start${m.loadEnd === undefined ? '' : `, ${m.loadEnd.toFixed(2)} at end`}${createNote(m)}`;
}

function createNote(m: Machine): string {
  if (m.createMicros === undefined) return '';
  const waited = m.createWaitSeconds ? ` after waiting ${m.createWaitSeconds} s` : '';
  const slow = m.createMicros > CREATE_MICROS_NORMAL ? ' - still slowed by recent deletes: the small-file figures do not represent either tool' : '';
  return `; creating a file ${m.createMicros.toFixed(0)} us before the small files${waited}${slow}`;
}
