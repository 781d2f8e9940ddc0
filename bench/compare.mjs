// compare.mjs
//
// Copyright 2026 The Confab authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Runs every scenario against Confab and its peers, alternating servers across rounds, and
// prints the medians with each peer's ratio to Confab. Started by the `compare` script beside
// it, which raises the file descriptor limit first; see README.md.

import { spawn, execFileSync } from 'node:child_process';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { QUICK_NAMES, SCENARIOS, SCENARIO_NAMES, scenarioParams } from './scenarios.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const PYTHON = '/usr/bin/python3';   /* Debian's, which has fastapi, uvicorn and websockets */

/* ---------------------------------------------------------------------------------------------
 * Servers
 */

const PEERS = {
  confab: {
    label: 'Confab',
    history: true,
    /* loopback only and not announced: a benchmark sends nothing to the network */
    command: (opts, _port, dataDir) => [opts.confab, '--headless', '--port', '0', '--data-dir', dataDir,
                                        '--address', '127.0.0.1', '--no-publish'],
    check: (opts) => (existsSync(opts.confab) ? null :
      `no Confab binary at ${opts.confab} (build it, or pass --confab PATH)`),
  },
  seed: {
    label: 'seed FastAPI',
    /* the tutorial's server, the same file the compatibility tests run */
    command: (_opts, port) => [PYTHON, '-m', 'uvicorn', 'main:app',
                               '--app-dir', path.join(here, '..', 'tests', 'seed'), '--host', '127.0.0.1',
                               '--port', String(port), '--log-level', 'warning'],
    check: () => {
      try {
        execFileSync(PYTHON, ['-c', 'import fastapi, uvicorn, websockets'], { stdio: 'ignore' });
        return null;
      } catch {
        return `${PYTHON} cannot import fastapi, uvicorn and websockets ` +
               '(apt install python3-fastapi python3-uvicorn python3-websockets)';
      }
    },
  },
  ws: {
    label: 'Node ws',
    command: (_opts, port) => [process.execPath, path.join(here, 'peers', 'ws-server.mjs'), String(port)],
    check: () => null,
  },
  uws: {
    label: 'uWebSockets',
    command: (_opts, port) => [process.execPath, path.join(here, 'peers', 'uws-server.mjs'), String(port)],
    check: () => {
      try {
        createRequire(import.meta.url)('uwebsockets');
        return null;
      } catch (error) {
        return `the uwebsockets package does not load here: ${String(error.message).split('\n')[0]}`;
      }
    },
  },
};

function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect (port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const running = new Set();

/* Starts peer @name; resolves to { child, port, output, dataDir } once it accepts connections.
 * The port is the first ws://HOST:PORT the server prints, else the one it was given. */
async function startServer (name, opts) {
  const peer = PEERS[name];
  const port = await freePort();
  const dataDir = peer.history ? mkdtempSync(path.join(os.tmpdir(), 'confab-bench-')) : null;
  const [command, ...args] = peer.command(opts, port, dataDir);
  const child = spawn(command, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const output = [];
  let announced = null;
  const collect = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '')
        continue;
      output.push(line);
      if (output.length > 40)
        output.shift();
      const match = /ws:\/\/[^\s/]*:(\d+)/.exec(line);
      if (announced === null && match)
        announced = Number(match[1]);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = signal ?? code;
    running.delete(child);
  });

  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (exited !== null)
      break;
    if (announced !== null)
      return { child, port: announced, output, dataDir };
    if (!peer.history && await canConnect(port))
      return { child, port, output, dataDir };
    await sleep(100);
  }
  await stopServer({ child, dataDir });
  const why = exited !== null ? `exited: ${exited}` : 'timeout';
  throw new Error(`${peer.label} did not start (${why}):\n  ${output.join('\n  ')}`);
}

async function stopServer ({ child, dataDir }) {
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  }
  running.delete(child);
  if (dataDir)
    rmSync(dataDir, { recursive: true, force: true });
}

/* Bytes under @dir, for the size of a server's history on disk. */
function diskUsage (dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? diskUsage(full) : statSync(full).size;
  }
  return total;
}

function runLoadgen (port, pid, scenario, opts) {
  const args = [path.join(here, 'loadgen.mjs'), '--url', `ws://127.0.0.1:${port}/ws/chat`,
                '--pid', String(pid), '--scenario', scenario, '--json'];
  if (opts.quick)
    args.push('--quick');
  if (opts.threads)
    args.push('--threads', String(opts.threads));
  if (opts.connectBudget && SCENARIOS[scenario].kind === 'idle')
    args.push('--connect-budget', String(opts.connectBudget));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (opts.verbose)
        process.stderr.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15 * 60 * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      running.delete(child);
      const line = stdout.trim().split('\n').pop();
      try {
        resolve({ result: JSON.parse(line), log: stderr });
      } catch {
        resolve({ result: null, log: stderr, code });
      }
    });
  });
}

/* ---------------------------------------------------------------------------------------------
 * Table
 */

function median (values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0)
    return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const get = (object, dotted) => dotted.split('.').reduce((o, k) => o?.[k], object);

/* Rows per scenario kind. A row is the median over rounds unless `reduce` says otherwise;
 * rows with `ratio` get each peer's ratio to Confab. */
const ROWS = {
  messages: [
    { label: 'deliveries/s', key: 'deliveriesPerS', fmt: 'int', ratio: true },
    { label: 'latency p50 ms', key: 'latencyMs.p50', fmt: 'ms', ratio: true },
    { label: 'latency p99 ms', key: 'latencyMs.p99', fmt: 'ms', ratio: true },
    { label: 'latency max ms', key: 'latencyMs.max', fmt: 'ms', ratio: true },
    { label: 'connect ms (all clients)', key: 'connectMs', fmt: 'ms', ratio: true },
    { label: 'server CPU us/delivery', key: 'server.cpuUsPerDelivery', fmt: 'us', ratio: true },
    { label: 'server CPU % of a core', key: 'server.cpuShare', fmt: 'pct' },
    { label: 'server peak RSS MiB', key: 'server.hwmKiB', fmt: 'mib', ratio: true },
    { label: 'lost/dup/reordered (sum)', kind: 'integrity' },
    { label: 'failed rounds', kind: 'failed' },
    { label: 'loadgen busiest thread % (max)', key: 'loadgen.busiestThreadShare', fmt: 'pct', reduce: 'max' },
    { label: 'loadgen CPU % of a core (all threads)', key: 'loadgen.cpuShare', fmt: 'pct' },
    { label: 'other processes % of a core (max)', key: 'otherCpuShare', fmt: 'pct', reduce: 'max' },
  ],
  idle: [
    { label: 'connections held (min)', key: 'held', fmt: 'int', reduce: 'min', ratio: true },
    { label: 'connect ms (all)', key: 'connectMs', fmt: 'ms', ratio: true },
    { label: 'handshake p50 ms', key: 'handshakeMs.p50', fmt: 'ms', ratio: true },
    { label: 'handshake p99 ms', key: 'handshakeMs.p99', fmt: 'ms', ratio: true },
    { label: 'frames received (join events)', key: 'joinFrames', fmt: 'int' },
    { label: 'RSS KiB per connection', key: 'server.rssPerConnKiB', fmt: 'kib', ratio: true },
    { label: 'server peak RSS MiB', key: 'server.hwmKiB', fmt: 'mib', ratio: true },
    { label: 'server CPU s (connects + joins)', key: 'server.cpuS', fmt: 'sec', ratio: true },
    { label: 'failed rounds', kind: 'failed' },
    { label: 'loadgen busiest thread % (max)', key: 'loadgen.busiestThreadShare', fmt: 'pct', reduce: 'max' },
    { label: 'other processes % of a core (max)', key: 'otherCpuShare', fmt: 'pct', reduce: 'max' },
  ],
  history: [
    { label: 'fill messages/s', key: 'fillPerS', fmt: 'int', ratio: true },
    { label: 'join to backlog done ms p50', key: 'joinMs.p50', fmt: 'ms', ratio: true },
    { label: 'join to backlog done ms (max)', key: 'joinMs.max', fmt: 'ms', reduce: 'max', ratio: true },
    { label: 'backlog frames', key: 'backlogFrames', fmt: 'int' },
    { label: 'server peak RSS MiB', key: 'server.hwmKiB', fmt: 'mib', ratio: true },
    { label: 'history on disk MiB', key: 'server.dataDirKiB', fmt: 'mib', ratio: true },
    { label: 'failed rounds', kind: 'failed' },
  ],
};

function fmt (value, how) {
  if (value === null || value === undefined || !Number.isFinite(value))
    return '-';
  switch (how) {
  case 'int': return Math.round(value).toLocaleString('en-US');
  case 'ms': return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : fmt(value, 'int');
  case 'us': return value.toFixed(2);
  case 'mib': return (value / 1024).toFixed(1);
  case 'kib': return value.toFixed(1);
  case 'sec': return value.toFixed(2);
  case 'pct': return `${Math.round(100 * value)}%`;
  default: return String(value);
  }
}

/* One cell: @runs are a server's results for a scenario (null for a round that broke). */
function summarise (runs, row) {
  const results = runs.filter((r) => r !== null);
  if (row.kind === 'failed') {
    const failed = runs.filter((r) => r === null || !r.ok).length;
    return { text: `${failed}/${runs.length}`, value: failed };
  }
  if (row.kind === 'integrity') {
    /* messages a disconnected sender could not send count as lost */
    const total = (k) => results.reduce((t, r) => t + (r[k] ?? 0) + (k === 'lost' ? r.unsent ?? 0 : 0),
                                        0);
    return { text: `${total('lost')}/${total('dup')}/${total('ooo')}`, value: null };
  }
  const values = results.map((r) => get(r, row.key)).filter((v) => v !== null && v !== undefined);
  let value;
  if (row.reduce === 'max')
    value = values.length ? Math.max(...values) : null;
  else if (row.reduce === 'min')
    value = values.length ? Math.min(...values) : null;
  else
    value = median(values);
  return { text: fmt(value, row.fmt), value };
}

function renderTable (header, rows, markdown) {
  if (markdown) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    const rule = header.map((_, i) => (i === 0 ? '---' : '---:'));
    return [line(header), line(rule), ...rows.map(line)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function report (run, opts) {
  const { results, na, peers, scenarios, skipped } = run;
  const out = [];
  const confabRan = peers.includes('confab') && !skipped.confab;
  for (const scenario of scenarios) {
    const params = scenarioParams(scenario, run.quick);
    const title = `${scenario}: ${params.title}${run.quick ? ' (quick variant)' : ''}`;
    out.push('', opts.markdown ? `### ${title}` : `== ${title}`, '');
    const header = ['', ...peers.map((p) => PEERS[p].label)];
    const rows = [];
    for (const row of ROWS[params.kind]) {
      const confabRuns = results[scenario]?.confab;
      const confab = confabRuns?.length ? summarise(confabRuns, row) : { value: null };
      const cells = [row.label];
      for (const peer of peers) {
        if (skipped[peer]) {
          cells.push(peer === 'confab' ? 'pending' : 'skipped');
        } else if (na[scenario]?.[peer]) {
          cells.push('n/a');
        } else if (!results[scenario]?.[peer]?.length) {
          cells.push('-');
        } else {
          const s = summarise(results[scenario][peer], row);
          const ratio = peer !== 'confab' && row.ratio && confab.value !== null && s.value
            ? ` (${(confab.value / s.value).toFixed(2)}x)` : '';
          cells.push(s.text + ratio);
        }
      }
      rows.push(cells);
    }
    out.push(renderTable(header, rows, opts.markdown));
  }
  out.push('');
  out.push(confabRan
    ? `Medians over ${run.rounds} round(s); (Nx) is Confab's value divided by the peer's.`
    : `Medians over ${run.rounds} round(s). Confab was not run: no ratios yet.`);
  return out.join('\n');
}

/* The targets, checked on Confab's medians. */
function targets (run) {
  const { results, scenarios } = run;
  const m = (scenario, peer, key) =>
    median((results[scenario]?.[peer] ?? []).filter(Boolean).map((r) => get(r, key)));
  const lines = [];
  const check = (label, ok) => lines.push(`${ok === null ? '  -  ' : ok ? ' PASS' : ' FAIL'}  ${label}`);
  const confabRuns = scenarios.flatMap((s) => results[s]?.confab ?? []);
  if (confabRuns.length === 0)
    return null;
  check('no message lost, duplicated or reordered, no connection dropped',
    confabRuns.every((r) => r !== null && r.intact));
  for (const s of scenarios.filter((x) => SCENARIOS[x].kind === 'messages')) {
    const c = m(s, 'confab', 'deliveriesPerS');
    const w = m(s, 'ws', 'deliveriesPerS');
    check(`${s}: deliveries/s >= 2x Node ws (${fmt(c, 'int')} vs ${fmt(w, 'int')})`,
      c !== null && w !== null ? c >= 2 * w : null);
    const cp = m(s, 'confab', 'latencyMs.p99');
    const wp = m(s, 'ws', 'latencyMs.p99');
    check(`${s}: p99 latency <= Node ws (${fmt(cp, 'ms')} vs ${fmt(wp, 'ms')} ms)`,
      cp !== null && wp !== null ? cp <= wp : null);
    const cc = m(s, 'confab', 'server.cpuUsPerDelivery');
    const uc = m(s, 'uws', 'server.cpuUsPerDelivery');
    check(`${s}: CPU/delivery <= 2x uWebSockets (${fmt(cc, 'us')} vs ${fmt(uc, 'us')} us)`,
      cc !== null && uc !== null ? cc <= 2 * uc : null);
  }
  for (const s of scenarios.filter((x) => SCENARIOS[x].kind === 'idle')) {
    const r = m(s, 'confab', 'server.rssPerConnKiB');
    check(`${s}: <= 8 KiB RSS per idle connection (${fmt(r, 'kib')} KiB)`, r !== null ? r <= 8 : null);
  }
  if (scenarios.includes('idle10k') && !run.quick) {
    const held = (results.idle10k?.confab ?? []).map((r) => r?.held ?? 0);
    check(`idle10k: 10,000 connections held (min ${held.length ? Math.min(...held) : '-'})`,
      held.length ? Math.min(...held) >= 10000 : null);
  }
  if (run.rounds < 3)
    lines.push(`(only ${run.rounds} round(s): the issue asks for medians of at least 3)`);
  return lines.join('\n');
}

/* A line per run, printed as it ends. */
function oneLine (r) {
  const f = (v, how) => fmt(v, how);
  if (r.deliveriesPerS !== undefined) {
    return `${f(r.deliveriesPerS, 'int')}/s, p99 ${f(r.latencyMs.p99, 'ms')} ms, ` +
           `${f(r.server.cpuUsPerDelivery, 'us')} us CPU/delivery, ` +
           `lost/dup/ooo ${r.lost + r.unsent}/${r.dup}/${r.ooo}`;
  }
  if (r.held !== undefined) {
    return `held ${r.held}, connect ${f(r.connectMs, 'ms')} ms, ` +
           `${f(r.server.rssPerConnKiB, 'kib')} KiB/connection`;
  }
  return `fill ${f(r.fillPerS, 'int')}/s, join ${f(r.joinMs?.p50, 'ms')} ms`;
}

function machine () {
  const run = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const model = /Model name:\s*(.*)/.exec(run('lscpu', []))?.[1] ?? os.cpus()[0]?.model;
  return `${new Date().toString()}\n${model}, ${os.cpus().length} cores, ` +
         `${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`;
}

/* ---------------------------------------------------------------------------------------------
 * Main
 */

async function runAll (opts, peers, scenarios) {
  const run = {
    machine: machine(), quick: opts.quick, rounds: opts.rounds, peers, scenarios,
    skipped: {}, results: {}, na: {}, harnessError: false,
  };
  console.log(run.machine);
  for (const peer of peers) {
    const why = PEERS[peer].check(opts);
    if (why) {
      run.skipped[peer] = why;
      console.log(`skipping ${PEERS[peer].label}: ${why}`);
    }
  }
  const active = peers.filter((p) => !run.skipped[p]);
  if (active.length === 0)
    return run;

  const started = Date.now();
  for (let round = 0; round < opts.rounds; round++) {
    for (const scenario of scenarios) {
      const params = scenarioParams(scenario, opts.quick);
      run.results[scenario] ??= {};
      run.na[scenario] ??= {};
      /* rotate the order each round, so no server always runs first or after the same one */
      const order = active.map((_, i) => active[(i + round) % active.length]);
      for (const peer of order) {
        const runs = (run.results[scenario][peer] ??= []);
        if (params.needsHistory && !PEERS[peer].history) {
          run.na[scenario][peer] = 'keeps no history';
          continue;
        }
        const label = `round ${round + 1} ${scenario} ${PEERS[peer].label}`;
        const t0 = Date.now();
        let server;
        try {
          server = await startServer(peer, opts);
        } catch (error) {
          console.log(`${label}: ${error.message}`);
          runs.push(null);
          run.harnessError = true;
          continue;
        }
        const { result, log, code } = await runLoadgen(server.port, server.child.pid, scenario, opts);
        const crashed = server.child.exitCode !== null || server.child.signalCode !== null;
        if (result && server.dataDir)
          result.server.dataDirKiB = diskUsage(server.dataDir) / 1024;
        await stopServer(server);
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        if (result === null) {
          console.log(`${label}: the load generator failed (exit ${code}):\n${log}`);
          runs.push(null);
          run.harnessError = true;
          continue;
        }
        if (result.na) {
          run.na[scenario][peer] = result.na;
          console.log(`${label}: n/a (${result.na})`);
          continue;
        }
        if (crashed) {
          result.errors.push('the server exited during the run');
          result.intact = false;
        }
        result.ok = result.errors.length === 0;
        runs.push(result);
        const failure = result.ok ? '' : `\n  FAILED: ${result.errors.join('; ')}`;
        console.log(`${label} (${secs} s): ${oneLine(result)}${failure}`);
        if (!result.ok && opts.verbose)
          console.log(`  the server said:\n    ${server.output.slice(-10).join('\n    ')}`);
      }
    }
  }
  console.log(`\n${opts.rounds} round(s) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return run;
}

async function main () {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      scenario: { type: 'string' },
      peers: { type: 'string', default: 'confab,seed,ws,uws' },
      confab: { type: 'string' },
      threads: { type: 'string' },
      'connect-budget': { type: 'string' },
      markdown: { type: 'boolean', default: false },
      out: { type: 'string' },
      from: { type: 'string' },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(`usage: bench/compare [--quick] [--rounds N] [--scenario NAME[,NAME...]]
         [--peers ${Object.keys(PEERS).join(',')}] [--confab PATH] [--threads N]
         [--connect-budget MS] [--markdown] [--out FILE.json] [--verbose]
       bench/compare --from FILE.json [--peers ...] [--markdown]

Runs every scenario against every server, alternating servers, and prints the medians.
scenarios: ${SCENARIO_NAMES.join(', ')}
--quick        tiny variants of ${QUICK_NAMES.join(', ')}; 1 round unless --rounds
--rounds N     rounds (default 3)
--confab PATH  the confab binary (default: $CONFAB, else build/src/confab)
--threads N    load generator worker threads (default 2)
--connect-budget MS  time allowed to open the idle connections
--out FILE     also save every run's measurements as JSON
--from FILE    print the tables of a saved run instead of running
Exit status: 1 if Confab lost, duplicated or reordered a message, dropped a connection or
crashed; else 2 on a harness error, 77 if no server could be run, 0 otherwise.`);
    return 0;
  }
  const opts = {
    quick: values.quick,
    rounds: values.rounds ? Number.parseInt(values.rounds, 10) : values.quick ? 1 : 3,
    confab: path.resolve(values.confab ?? process.env.CONFAB ??
                         path.join(repo, 'build', 'src', 'confab')),
    threads: values.threads ? Number.parseInt(values.threads, 10) : null,
    connectBudget: values['connect-budget'] ? Number.parseInt(values['connect-budget'], 10) : null,
    markdown: values.markdown,
    verbose: values.verbose,
  };
  const peers = values.peers.split(',');
  for (const p of peers) {
    if (!PEERS[p])
      throw new Error(`unknown peer "${p}" (known: ${Object.keys(PEERS).join(', ')})`);
  }

  let run;
  if (values.from) {
    run = JSON.parse(readFileSync(values.from, 'utf8'));
    run.peers = peers.filter((p) => run.peers.includes(p));
    console.log(run.machine);
  } else {
    const scenarios = values.scenario?.split(',') ?? (opts.quick ? QUICK_NAMES : SCENARIO_NAMES);
    for (const s of scenarios) {
      if (!SCENARIOS[s])
        throw new Error(`unknown scenario "${s}" (known: ${SCENARIO_NAMES.join(', ')})`);
    }
    run = await runAll(opts, peers, scenarios);
    if (peers.every((p) => run.skipped[p])) {
      console.log('no server could be run');
      return 77;
    }
    if (values.out) {
      mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
      writeFileSync(values.out, JSON.stringify(run));
    }
  }

  console.log(report(run, opts));
  const checked = targets(run);
  if (checked)
    console.log(`\nTargets (Confab's medians):\n${checked}`);
  else if (run.peers.includes('confab'))
    console.log('\nConfab pending: targets not checked.');

  /* only faults fail the command: a missed target or an exhausted budget is a measurement */
  const confabFailed = run.scenarios.flatMap((s) => run.results[s]?.confab ?? [])
    .some((r) => r === null || !r.intact);
  if (confabFailed)
    return 1;
  return run.harnessError ? 2 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running)
      child.kill('SIGKILL');
    process.exit(130);
  });
}

main().then((code) => process.exit(code), (error) => {
  console.error(`compare: ${error.message}`);
  for (const child of running)
    child.kill('SIGKILL');
  process.exit(2);
});
