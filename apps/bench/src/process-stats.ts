import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export function cpuMsOf(pid: number): number {
  const { userMs, sysMs } = cpuSplitOf(pid);
  return userMs + sysMs;
}

/** User and system CPU time of a process so far, in ms. */
export function cpuSplitOf(pid: number): { userMs: number; sysMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { userMs: (utime * 1000) / TICKS_PER_SECOND, sysMs: (stime * 1000) / TICKS_PER_SECOND };
}

/** Peak resident set size (VmHWM) of a live process, in bytes. */
export function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmHWM:\s+(\d+) kB/m.exec(status);
  if (!m?.[1]) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(m[1]) * 1024;
}
