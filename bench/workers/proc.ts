// /proc readings for workers that do their work in a child (tar).
import { readFileSync } from 'node:fs';
import type { SideStats } from '../lib/types';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Adds the CPU of reaped children (cutime, cstime in /proc/self/stat) and the child's peak RSS. */
export function childCpu(own: SideStats, childPeakRss: number): SideStats {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After ') ': index 0 is field 3 (state); cutime is field 16, cstime field 17.
  const cutime = Number(fields[13]) / TICKS_PER_SECOND;
  const cstime = Number(fields[14]) / TICKS_PER_SECOND;
  return {
    ...own,
    userSeconds: own.userSeconds + cutime,
    systemSeconds: own.systemSeconds + cstime,
    // Both run at once, so the side holds the sum.
    peakRssBytes: own.peakRssBytes + childPeakRss,
  };
}

/** Polls VmHWM of pid until it exits; the returned function gives the highest value seen. */
export function sampleRss(pid: number, everyMs = 20): () => number {
  let peak = 0;
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      clearInterval(timer); // gone
    }
  };
  const timer = setInterval(read, everyMs);
  timer.unref();
  read();
  return () => {
    clearInterval(timer);
    return peak;
  };
}
