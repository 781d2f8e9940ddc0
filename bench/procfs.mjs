// procfs.mjs
//
// Copyright 2026 The Confab authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// What the benchmark reads from /proc: CPU time (utime + stime, every thread of the process,
// dead ones included) and memory (VmRSS now, VmHWM the peak resident set).

import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let clockTicks = 100;
try {
  clockTicks = Number.parseInt(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }), 10) || 100;
} catch {
  /* 100 on every Linux we run on */
}

/* Fields of a /proc/.../stat line after the command name, which may hold spaces. */
function statFields (path) {
  const text = readFileSync(path, 'utf8');
  const close = text.lastIndexOf(')');
  return {
    comm: text.slice(text.indexOf('(') + 1, close),
    fields: text.slice(close + 2).split(' '),
  };
}

/* Summed time on CPU of the live threads of @pid, in seconds, from schedstat (nanoseconds). */
function liveThreadSeconds (pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return ns / 1e9;
}

/* A reading of the CPU time used so far by process @pid, or null if it is gone. Pass two
 * readings to cpuDelta(). */
export function cpuReading (pid) {
  try {
    const { fields } = statFields(`/proc/${pid}/stat`);
    /* fields[0] is field 3 (state): utime is field 14, stime field 15; they count every thread,
     * dead ones included, but only in clock ticks (10 ms) */
    const ticks = (Number(fields[11]) + Number(fields[12])) / clockTicks;
    let precise = null;
    try {
      precise = liveThreadSeconds(pid);
    } catch {
      /* no schedstat in this kernel */
    }
    return { ticks, precise };
  } catch {
    return null;
  }
}

/* CPU seconds between two cpuReading()s: the nanosecond count of the live threads, unless
 * threads ended in between (the tick count then says more), or null. */
export function cpuDelta (before, after) {
  if (before === null || after === null)
    return null;
  const coarse = after.ticks - before.ticks;
  if (before.precise === null || after.precise === null)
    return coarse;
  const precise = after.precise - before.precise;
  return coarse - precise > 2 / clockTicks ? coarse : precise;
}

/* CPU seconds used so far by process @pid (all its threads), or null if it is gone. */
export function cpuSeconds (pid) {
  const reading = cpuReading(pid);
  return reading === null ? null : Math.max(reading.ticks, reading.precise ?? 0);
}

/* CPU seconds the whole machine has been busy (all processes, all cores), from /proc/stat. */
export function machineBusySeconds () {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    /* user nice system idle iowait irq softirq steal: all but idle and iowait */
    const busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields[7] ?? 0);
    return busy / clockTicks;
  } catch {
    return null;
  }
}

/* VmRSS and VmHWM of @pid in KiB, or nulls if it is gone. */
export function memoryKiB (pid) {
  const result = { rss: null, hwm: null };
  try {
    for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      if (line.startsWith('VmRSS:'))
        result.rss = Number.parseInt(line.slice(6), 10);
      else if (line.startsWith('VmHWM:'))
        result.hwm = Number.parseInt(line.slice(6), 10);
    }
  } catch {
    /* gone */
  }
  return result;
}

/* Map of thread id to { name, cpu } (CPU seconds) for every live thread of @pid. */
export function threadCpu (pid = 'self') {
  const threads = new Map();
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const { comm } = statFields(`/proc/${pid}/task/${tid}/stat`);
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      threads.set(tid, { name: comm, cpu: ns / 1e9 });
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return threads;
}

/* The busiest thread between two threadCpu() snapshots taken @wallSeconds apart. */
export function busiestThread (before, after, wallSeconds) {
  let best = { tid: null, name: null, cpu: 0 };
  for (const [tid, now] of after) {
    const cpu = now.cpu - (before.get(tid)?.cpu ?? 0);
    if (cpu > best.cpu)
      best = { tid, name: now.name, cpu };
  }
  return { ...best, share: wallSeconds > 0 ? best.cpu / wallSeconds : 0 };
}
