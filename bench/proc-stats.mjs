// What /proc says of a process: resident memory and CPU time, as the system accounts them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** VmRSS in MB, one decimal. */
export function rssMb(pid) {
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return Math.round(kb / 102.4) / 10;
}

/** User + system CPU time so far, in microseconds. */
export function cpuMicros(pid) {
  // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command): utime, stime.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}
