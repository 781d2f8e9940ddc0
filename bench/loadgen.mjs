#!/usr/bin/env node
// loadgen.mjs
//
// Copyright 2026 The Confab authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Load generator for a chat server speaking the seed's protocol (see docs/protocol.md). It runs
// one scenario against one server and prints what it measured; compare.mjs runs it against
// every server in turn. Clients are spread over worker threads so that the generator is not the
// bottleneck, and it reports how busy its own busiest thread was so that this can be checked.
//
//   node loadgen.mjs --url ws://127.0.0.1:8000/ws/chat --pid 1234 --scenario fanout [--json]
//
// Every chat message is {"username": "uID", "message": "SEQ:SENDER:SENDUS:xxxx..."} padded to
// --size characters; SENDUS is the send time on this process's monotonic clock in microseconds,
// so latency is receive time minus SENDUS. Receivers check each sender's sequence numbers:
// lost (never arrived), duplicated, out of order. Frames they do not recognise (system events,
// Confab's extension frames and extra fields) are ignored, and so are frames with
// "backlog": true (history replayed on connect, not live traffic).
//
// Pacing: each sender keeps at most --window messages in flight, a message being in flight
// until the sender sees its own echo (every server broadcasts to the sender too). Throughput
// then reflects how fast the server turns messages around, not how much it can buffer.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { WebSocket } from 'ws';

import { SCENARIO_NAMES, scenarioParams } from './scenarios.mjs';
import {
  busiestThread, cpuDelta, cpuReading, cpuSeconds, machineBusySeconds, memoryKiB, threadCpu,
} from './procfs.mjs';

/* ---------------------------------------------------------------------------------------------
 * Helpers shared by both sides
 */

/* Microseconds since @base on the process-wide monotonic clock (the same in every thread). */
function nowUs (base) {
  return Number(process.hrtime.bigint() - base) / 1000;
}

function sleep (ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/* Small deterministic PRNG so that churn drops happen at the same points in every round. */
function mulberry32 (seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Samples {
  constructor () {
    this.values = new Float64Array(1 << 14);
    this.length = 0;
  }

  push (value) {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  take () {
    return this.values.slice(0, this.length);
  }
}

function percentiles (arrays) {
  let total = 0;
  for (const a of arrays)
    total += a.length;
  if (total === 0)
    return { p50: null, p99: null, max: null, n: 0 };
  const all = new Float64Array(total);
  let offset = 0;
  for (const a of arrays) {
    all.set(a, offset);
    offset += a.length;
  }
  all.sort();
  const at = (q) => all[Math.min(total - 1, Math.floor(q * total))];
  return { p50: at(0.5), p99: at(0.99), max: all[total - 1], n: total };
}

/* Where the text of the "message" member starts in a frame, or -1. Tolerates the spaces that
 * Python's json.dumps puts after ':' and skips "type": "message" (a value, not a key). */
function findMessageValue (s) {
  let i = s.indexOf('"message"');
  while (i !== -1) {
    let j = i + 9;
    while (s.charCodeAt(j) === 32)
      j++;
    if (s.charCodeAt(j) === 58) {
      j++;
      while (s.charCodeAt(j) === 32)
        j++;
      if (s.charCodeAt(j) === 34)
        return j + 1;
    }
    i = s.indexOf('"message"', i + 9);
  }
  return -1;
}

/* Parses "SEQ:SENDER:SENDUS:" at @j of @s into @out; false if it is not one of ours. */
function parseHead (s, j, out) {
  let k = j;
  for (let field = 0; field < 3; field++) {
    let n = 0;
    let digits = 0;
    let c = s.charCodeAt(k);
    while (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      c = s.charCodeAt(++k);
      digits++;
    }
    if (digits === 0 || c !== 58)
      return false;
    k++;
    out[field] = n;
  }
  return true;
}

function messageText (seq, sender, sendUs, size, pad) {
  const head = `${seq}:${sender}:${Math.round(sendUs)}:`;
  return head + pad.substring(0, Math.max(0, size - head.length));
}

function wsOptions () {
  /* no compression: it would measure zlib, and the seed's page does not negotiate it either */
  return { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 60000 };
}

/* Runs @fn over @items with at most @concurrency promises pending, stopping at @deadlineMs. */
async function forEachLimited (items, concurrency, deadline, fn) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length && Date.now() < deadline)
      await fn(items[next++]);
  });
  await Promise.all(lanes);
}

/* ---------------------------------------------------------------------------------------------
 * Client connections
 *
 * RawClient is a minimal RFC 6455 client on a plain socket: it does the upgrade handshake,
 * masks what it sends, answers pings and walks the frames it receives in place, handing each
 * text message over as a string (or, for idle clients, only counting it). It costs a fraction
 * of what the `ws` library does per received message, which matters here: on a 2-core machine
 * every microsecond the generator spends is taken from the server. WsClient does the same
 * through `ws` (--client ws), to cross-check RawClient.
 */

let sharedReadBuffer = null;

function readBuffer () {
  sharedReadBuffer ??= Buffer.allocUnsafe(256 * 1024);
  return sharedReadBuffer;
}

class RawClient {
  constructor (url, base, { wantText = true, onText = null, onClose = null } = {}) {
    const target = new URL(url);
    this.host = target.hostname;
    this.port = Number(target.port || 80);
    this.request = `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
                   'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
                   `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`;
    this.base = base;
    this.wantText = wantText;
    this.onText = onText;
    this.onClose = onClose;
    this.socket = null;
    this.open = false;
    this.closed = false;     /* onClose was called, or will not be: we closed it ourselves */
    this.detached = false;   /* no more frames wanted */
    this.rest = null;        /* start of a frame cut by the end of a read */
    this.skip = 0;           /* bytes of an uninteresting payload still to come */
    this.fragments = null;
    this.frames = 0;
    this.pings = 0;
    this.closeCode = null;
    this.handshakeUs = null;
    this.abandon = () => {};
    this.received = () => {};
  }

  connect () {
    return new Promise((resolve) => {
      const startUs = nowUs(this.base);
      /* onread hands each read over in a buffer shared by the thread's sockets, without the
       * stream machinery: much cheaper per read. Whatever must outlive a read is copied. */
      const socket = net.connect({
        host: this.host,
        port: this.port,
        onread: { buffer: readBuffer(), callback: (n, buf) => this.received(buf.subarray(0, n)) },
      });
      this.socket = socket;
      socket.setNoDelay(true);
      let head = null;
      let settled = false;
      const done = (ok) => {
        if (!settled) {
          settled = true;
          resolve(ok);
        }
      };
      this.abandon = () => {
        if (!settled) {
          this.closed = this.detached = true;
          socket.destroy();
          done(false);
        }
      };
      socket.on('connect', () => socket.write(this.request));
      this.received = (chunk) => {
        if (this.open) {
          if (!this.detached)
            this.parse(chunk);
          return;
        }
        head = head === null ? Buffer.from(chunk) : Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1)
          return;
        if (!/^HTTP\/1\.[01] 101/.test(head.toString('latin1', 0, 12))) {
          socket.destroy();
          done(false);
          return;
        }
        this.open = true;
        this.handshakeUs = nowUs(this.base) - startUs;
        done(true);
        if (end + 4 < head.length)
          this.parse(head.subarray(end + 4));
        head = null;
      };
      socket.on('error', () => {});
      socket.on('close', () => {
        const wasOpen = this.open;
        this.open = false;
        done(false);
        if (!this.closed) {
          this.closed = true;
          if (wasOpen)
            this.onClose?.(this.closeCode ?? 1006);
        }
      });
    });
  }

  parse (chunk) {
    let buf = chunk;
    let pos = 0;
    if (this.skip > 0) {
      pos = Math.min(this.skip, buf.length);
      this.skip -= pos;
      if (pos === buf.length)
        return;
    }
    if (this.rest !== null) {
      buf = Buffer.concat([this.rest, pos > 0 ? buf.subarray(pos) : buf]);
      this.rest = null;
      pos = 0;
    }
    const length = buf.length;
    while (length - pos >= 2 && !this.detached) {
      const b0 = buf[pos];
      const opcode = b0 & 0x0f;
      let len = buf[pos + 1] & 0x7f;
      let header = 2;
      if (len === 126) {
        if (length - pos < 4)
          break;
        len = buf.readUInt16BE(pos + 2);
        header = 4;
      } else if (len === 127) {
        if (length - pos < 10)
          break;
        len = Number(buf.readBigUInt64BE(pos + 2));
        header = 10;
      }
      const start = pos + header;
      const end = start + len;
      if (opcode < 8 && !this.wantText) {
        if (b0 & 0x80)
          this.frames++;
        if (end > length) {
          this.skip = end - length;
          pos = length;
          break;
        }
        pos = end;
        continue;
      }
      if (end > length)
        break;
      if (opcode < 8) {
        if ((b0 & 0x80) && this.fragments === null) {
          this.frames++;
          this.onText(buf.toString('latin1', start, end));
        } else {
          (this.fragments ??= []).push(Buffer.from(buf.subarray(start, end)));
          if (b0 & 0x80) {
            const whole = Buffer.concat(this.fragments);
            this.fragments = null;
            this.frames++;
            this.onText(whole.toString('latin1'));
          }
        }
      } else if (opcode === 9) {
        this.pings++;
        this.sendFrame(0x8a, buf.subarray(start, end));
      } else if (opcode === 8) {
        this.closeCode = len >= 2 ? buf.readUInt16BE(start) : 1005;
        this.sendFrame(0x88, buf.subarray(start, Math.min(end, start + 2)));
        this.detached = true;
        this.socket.end();
      }
      pos = end;
    }
    if (pos < length && !this.detached)
      this.rest = Buffer.from(buf.subarray(pos));
  }

  sendFrame (b0, payload) {
    const len = payload.length;
    const header = len < 126 ? 2 : len < 65536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(header + 4 + len);
    frame[0] = b0;
    if (header === 2) {
      frame[1] = 0x80 | len;
    } else if (header === 4) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(len), 2);
    }
    frame.writeUInt32BE((Math.random() * 0x100000000) >>> 0, header);
    const at = header + 4;
    for (let i = 0; i < len; i++)
      frame[at + i] = payload[i] ^ frame[header + (i & 3)];
    this.socket.write(frame);
  }

  sendText (text) {
    this.sendFrame(0x81, Buffer.from(text, 'utf8'));
  }

  /* Goes away without a close frame: 'rst' resets the connection as a crashed host's kernel
   * would, 'fin' shuts the socket as a killed process's would. */
  drop (mode) {
    this.closed = this.detached = true;
    this.open = false;
    if (mode === 'rst' && typeof this.socket.resetAndDestroy === 'function') {
      this.socket.resetAndDestroy();
    } else {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 500).unref();
    }
  }

  terminate () {
    this.closed = this.detached = true;
    this.open = false;
    this.socket?.destroy();
  }
}

class WsClient {
  constructor (url, base, { onText = null, onClose = null } = {}) {
    this.url = url;
    this.base = base;
    this.onText = onText;
    this.onClose = onClose;
    this.ws = null;
    this.open = false;
    this.closed = false;
    this.detached = false;
    this.frames = 0;
    this.handshakeUs = null;
    this.abandon = () => {};
  }

  connect () {
    return new Promise((resolve) => {
      const startUs = nowUs(this.base);
      const ws = new WebSocket(this.url, wsOptions());
      this.ws = ws;
      let settled = false;
      const done = (ok) => {
        if (!settled) {
          settled = true;
          resolve(ok);
        }
      };
      this.abandon = () => {
        if (!settled) {
          this.closed = this.detached = true;
          ws.terminate();
          done(false);
        }
      };
      ws.on('open', () => {
        this.open = true;
        this.handshakeUs = nowUs(this.base) - startUs;
        done(true);
      });
      ws.on('message', (data) => {
        if (this.detached)
          return;
        this.frames++;
        this.onText(data.toString('latin1'));
      });
      ws.on('error', () => done(false));
      ws.on('close', (code) => {
        const wasOpen = this.open;
        this.open = false;
        done(false);
        if (!this.closed) {
          this.closed = true;
          if (wasOpen)
            this.onClose?.(code);
        }
      });
    });
  }

  sendText (text) {
    this.ws.send(text);
  }

  drop (mode) {
    this.closed = this.detached = true;
    this.open = false;
    const socket = this.ws._socket;
    if (mode === 'rst' && socket && typeof socket.resetAndDestroy === 'function') {
      socket.resetAndDestroy();
    } else if (socket) {
      socket.end();
      setTimeout(() => this.ws.terminate(), 500).unref();
    }
  }

  terminate () {
    this.closed = this.detached = true;
    this.open = false;
    this.ws?.terminate();
  }
}

/* ---------------------------------------------------------------------------------------------
 * Worker side: message scenarios (fanout, chatty, churn)
 */

function messagesWorker (wd) {
  const { url, base, params, ids, threadIndex } = wd;
  const M = params.messages;
  const S = params.senders;
  const W = params.window;
  const pad = 'x'.repeat(params.size);
  const rng = mulberry32((params.seed ?? 1) * 7919 + threadIndex);
  const parsed = [0, 0, 0];
  const Client = params.client === 'ws' ? WsClient : RawClient;

  const instances = [];
  const localSenders = new Map();
  const latencies = new Samples();
  const handshakes = new Samples();
  const counters = {
    frames: 0, deliveries: 0, stableDeliveries: 0, lastRecvUs: 0, firstSendUs: Infinity,
    unexpectedCloses: 0, badFrames: 0, backlogFrames: 0, drops: 0, reconnects: 0,
    reconnectFailures: 0,
  };
  const closeCodes = {};
  let finishing = false;

  function newInstance (id, stable, dropIndex) {
    const inst = {
      id, stable, dropIndex, alive: false, dropped: false, conn: null, dropAt: -1,
      seen: new Array(S).fill(null),
      distinct: new Int32Array(S), min: new Int32Array(S).fill(-1), max: new Int32Array(S).fill(-1),
      dup: 0, ooo: 0,
    };
    const churner = id >= S && id < S + params.churners;
    if (churner && dropIndex < params.drops) {
      /* spread a churner's drops over the middle 80% of the stream, one per slice */
      const slice = (0.8 * M) / params.drops;
      inst.dropAt = Math.floor(0.1 * M + slice * dropIndex + rng() * slice);
    }
    inst.conn = new Client(url, base, {
      onText: (text) => onFrame(inst, text),
      onClose: (code) => onClosed(inst, code),
    });
    instances.push(inst);
    return inst;
  }

  function sendNext (sd) {
    const sendUs = nowUs(base);
    if (sendUs < counters.firstSendUs)
      counters.firstSendUs = sendUs;
    const text = messageText(sd.sent, sd.id, sendUs, params.size, pad);
    sd.inst.conn.sendText(`{"username":"u${sd.id}","message":"${text}"}`);
    sd.sent++;
  }

  function pump (sd) {
    while (!sd.done && sd.sent < M && sd.sent - sd.echoed < W)
      sendNext(sd);
    if (sd.echoed >= M)
      sd.done = true;
  }

  function drop (inst) {
    inst.dropped = true;
    inst.alive = false;
    counters.drops++;
    inst.conn.drop(params.dropMode === 'mix' ? (counters.drops % 2 ? 'rst' : 'fin') : params.dropMode);
    if (inst.dropIndex < params.drops) {
      setTimeout(() => {
        if (finishing)
          return;
        counters.reconnects++;
        const again = newInstance(inst.id, false, inst.dropIndex + 1);
        openInstance(again).then((ok) => {
          if (!ok)
            counters.reconnectFailures++;
        });
      }, params.reconnectMs);
    }
  }

  function deliver (inst, seq, sender, sendUs) {
    if (sender >= S || seq >= M) {
      counters.badFrames++;
      return;
    }
    const now = nowUs(base);
    let bits = inst.seen[sender];
    if (bits === null)
      bits = inst.seen[sender] = new Uint8Array(M);
    if (bits[seq] !== 0) {
      inst.dup++;
      return;
    }
    bits[seq] = 1;
    if (seq < inst.max[sender])
      inst.ooo++;
    else
      inst.max[sender] = seq;
    if (inst.min[sender] < 0 || seq < inst.min[sender])
      inst.min[sender] = seq;
    inst.distinct[sender]++;
    counters.deliveries++;
    if (inst.stable)
      counters.stableDeliveries++;
    counters.lastRecvUs = now;
    latencies.push(now - sendUs);

    if (sender === inst.id) {
      const sd = localSenders.get(inst.id);
      if (sd !== undefined && sd.inst === inst) {
        sd.echoed++;
        sd.lastProgressUs = now;
        pump(sd);
      }
    }
    if (inst.dropAt >= 0 && sender === 0 && seq >= inst.dropAt)
      drop(inst);
  }

  function onFrame (inst, s) {
    counters.frames++;
    if (inst.dropped)
      return;
    if (s.indexOf('"backlog"') !== -1) {
      /* rare: Confab's history replay, or its welcome frame */
      let frame;
      try {
        frame = JSON.parse(s);
      } catch {
        counters.badFrames++;
        return;
      }
      if (frame === null || frame.backlog === true) {
        counters.backlogFrames++;
        return;
      }
      if (frame.type === 'message' && typeof frame.message === 'string' &&
          parseHead(frame.message, 0, parsed))
        deliver(inst, parsed[0], parsed[1], parsed[2]);
      return;
    }
    const j = findMessageValue(s);
    if (j !== -1 && parseHead(s, j, parsed))
      deliver(inst, parsed[0], parsed[1], parsed[2]);
  }

  function onClosed (inst, code) {
    const wasAlive = inst.alive;
    inst.alive = false;
    if (inst.dropped || finishing || !wasAlive)
      return;
    counters.unexpectedCloses++;
    closeCodes[code] = (closeCodes[code] ?? 0) + 1;
    const sd = localSenders.get(inst.id);
    if (sd !== undefined && sd.inst === inst) {
      sd.closed = true;
      sd.done = true;
    }
  }

  async function openInstance (inst) {
    const ok = await inst.conn.connect();
    if (ok)
      handshakes.push(inst.conn.handshakeUs);
    /* frames that came with the handshake may already have made a churner drop it */
    if (ok && !inst.dropped)
      inst.alive = true;
    return ok;
  }

  const initial = ids.map((id) => {
    const churner = id >= S && id < S + params.churners;
    const inst = newInstance(id, !churner, 0);
    if (id < S)
      localSenders.set(id, { id, inst, sent: 0, echoed: 0, done: false, closed: false,
                             stalled: false, lastProgressUs: 0 });
    return inst;
  });

  const stallTimer = setInterval(() => {
    const now = nowUs(base);
    for (const sd of localSenders.values()) {
      if (sd.lastProgressUs > 0 && !sd.done && now - sd.lastProgressUs > params.stallMs * 1000) {
        sd.stalled = true;
        sd.done = true;
      }
    }
  }, 250);

  return {
    async connect () {
      const deadline = Date.now() + params.connectBudgetMs;
      const timer = setTimeout(() => initial.forEach((inst) => inst.conn.abandon()),
                               params.connectBudgetMs);
      await forEachLimited(initial, params.connectConcurrency, deadline, openInstance);
      clearTimeout(timer);
      const failures = initial.filter((inst) => !inst.alive).length;
      return { failures, doneUs: nowUs(base), handshakes: handshakes.take() };
    },

    go () {
      const now = nowUs(base);
      for (const sd of localSenders.values()) {
        sd.lastProgressUs = now;
        if (sd.inst.alive)
          pump(sd);
        else
          sd.closed = sd.done = true;
      }
      return {};
    },

    progress () {
      return {
        ...counters,
        senders: [...localSenders.values()].map(({ id, sent, echoed, done, closed, stalled }) =>
          ({ id, sent, echoed, done, closed, stalled })),
      };
    },

    finish ({ sentCounts }) {
      finishing = true;
      clearInterval(stallTimer);
      let lost = 0;
      let dup = 0;
      let ooo = 0;
      const lostDetail = [];
      for (const inst of instances) {
        dup += inst.dup;
        ooo += inst.ooo;
        for (let s = 0; s < S; s++) {
          const sent = sentCounts[s];
          let missing = 0;
          if (inst.stable) {
            missing = Math.max(0, sent - inst.distinct[s]);
          } else if (inst.min[s] >= 0) {
            /* a client that joined late owes nothing before its first message, and one that we
             * dropped nothing after its last */
            const last = inst.alive && !inst.dropped ? sent - 1 : inst.max[s];
            missing = Math.max(0, last - inst.min[s] + 1 - inst.distinct[s]);
          }
          if (missing > 0 && lostDetail.length < 20) {
            const bits = inst.seen[s];
            const firstGap = bits ? bits.indexOf(0, Math.max(0, inst.min[s])) : 0;
            lostDetail.push({ client: inst.id, stable: inst.stable, alive: inst.alive && !inst.dropped,
                              sender: s, missing, first: inst.min[s], last: inst.max[s], firstGap });
          }
          lost += missing;
        }
        inst.conn.terminate();
      }
      const lat = latencies.take();
      return {
        reply: { ...counters, lost, dup, ooo, closeCodes, lostDetail, latencies: lat },
        transfer: [lat.buffer],
      };
    },
  };
}

/* ---------------------------------------------------------------------------------------------
 * Worker side: idle connections
 *
 * Each connection to a room receives a join event for every later one, N^2/2 frames in all.
 * Idle clients skip over them without building a string, only counting them and answering
 * pings (so a server's keepalive does not drop them).
 */

function idleWorker (wd) {
  const { url, base, params, ids } = wd;
  const handshakes = new Samples();
  const clients = ids.map(() => new RawClient(url, base, { wantText: false }));

  const totals = () => {
    let frames = 0;
    let pings = 0;
    let open = 0;
    let serverCloses = 0;
    for (const c of clients) {
      frames += c.frames;
      pings += c.pings;
      if (c.open)
        open++;
      if (c.closeCode !== null)
        serverCloses++;
    }
    return { frames, pings, open, serverCloses };
  };

  return {
    async connect () {
      const deadline = Date.now() + params.connectBudgetMs;
      const timer = setTimeout(() => clients.forEach((c) => c.abandon()), params.connectBudgetMs);
      await forEachLimited(clients, params.connectConcurrency, deadline, async (client) => {
        if (await client.connect())
          handshakes.push(client.handshakeUs);
      });
      clearTimeout(timer);
      const failures = clients.filter((c) => c.handshakeUs === null).length;
      return { failures, doneUs: nowUs(base), handshakes: handshakes.take() };
    },

    progress () {
      return totals();
    },

    finish () {
      const result = totals();
      for (const client of clients)
        client.terminate();
      return { reply: result };
    },
  };
}

/* Worker entry point: answers the main thread's requests by name. */
function workerMain () {
  const handlers = workerData.kind === 'idle' ? idleWorker(workerData) : messagesWorker(workerData);
  parentPort.on('message', async ({ rid, cmd, args }) => {
    const result = await handlers[cmd](args ?? {});
    if (result && result.reply !== undefined)
      parentPort.postMessage({ rid, reply: result.reply }, result.transfer ?? []);
    else
      parentPort.postMessage({ rid, reply: result });
  });
  parentPort.postMessage({ rid: 0, reply: 'ready' });
}

/* ---------------------------------------------------------------------------------------------
 * Main side
 */

class Pool {
  constructor (workers) {
    this.workers = workers;
    this.pending = new Map();
    this.nextRid = 1;
    this.ready = Promise.all(workers.map((worker) => new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', ({ rid, reply }) => {
        if (rid === 0) {
          resolve();
          return;
        }
        const pending = this.pending.get(rid);
        this.pending.delete(rid);
        pending?.(reply);
      });
    })));
  }

  request (worker, cmd, args) {
    const rid = this.nextRid++;
    return new Promise((resolve) => {
      this.pending.set(rid, resolve);
      worker.postMessage({ rid, cmd, args });
    });
  }

  all (cmd, args) {
    return Promise.all(this.workers.map((w) => this.request(w, cmd, args)));
  }

  elu () {
    return this.workers.map((w) => w.performance.eventLoopUtilization());
  }

  async close () {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function spawnPool (kind, url, base, params) {
  const threads = Math.max(1, Math.min(params.threads, params.clients));
  const slices = Array.from({ length: threads }, () => []);
  for (let id = 0; id < params.clients; id++)
    slices[id % threads].push(id);
  const workers = slices.map((ids, threadIndex) => new Worker(new URL(import.meta.url), {
    workerData: { kind, url, base, params, ids, threadIndex },
  }));
  return new Pool(workers);
}

function sum (list, key) {
  return list.reduce((total, item) => total + (item[key] ?? 0), 0);
}

/* Snapshot of everything measured around a phase: server CPU, our threads, wall time. */
function snapshot (pid, base, pool) {
  return {
    us: nowUs(base),
    serverCpu: pid ? cpuReading(pid) : null,
    selfCpu: cpuReading(process.pid),
    machineCpu: machineBusySeconds(),
    threads: threadCpu('self'),
    elu: pool ? pool.elu() : null,
  };
}

/* CPU used between two snapshots. Shares are of @activeS, the time the load was actually
 * running (first send to last delivery), when given, else of the time between the snapshots. */
function phaseReport (pid, pool, before, after, activeS = null) {
  const wall = activeS ?? (after.us - before.us) / 1e6;
  const busiest = busiestThread(before.threads, after.threads, wall);
  let eluMax = null;
  if (pool) {
    eluMax = 0;
    pool.workers.forEach((w, i) => {
      const elu = w.performance.eventLoopUtilization(after.elu[i], before.elu[i]);
      eluMax = Math.max(eluMax, elu.utilization);
    });
  }
  const serverCpu = pid ? cpuDelta(before.serverCpu, after.serverCpu) : null;
  const selfCpu = cpuDelta(before.selfCpu, after.selfCpu);
  /* what the rest of the machine used meanwhile: anything well above zero means the numbers
   * were measured on a shared, busy machine */
  const machine = before.machineCpu !== null && after.machineCpu !== null
    ? after.machineCpu - before.machineCpu : null;
  const others = machine !== null && selfCpu !== null
    ? Math.max(0, machine - selfCpu - (serverCpu ?? 0)) : null;
  return {
    wallS: wall,
    serverCpuS: serverCpu,
    serverCpuShare: serverCpu !== null && wall > 0 ? serverCpu / wall : null,
    otherCpuShare: others !== null && wall > 0 ? others / ((after.us - before.us) / 1e6) : null,
    loadgen: {
      threads: pool ? pool.workers.length : 1,
      busiestThread: busiest.name,
      busiestThreadShare: busiest.share,
      cpuShare: wall > 0 && selfCpu !== null ? selfCpu / wall : null,
      workerEluMax: eluMax,
    },
  };
}

async function waitQuiet (progressFn, { quietMs, budgetMs, pid, maxCpuShare = 1 }) {
  const start = Date.now();
  let last = -1;
  let lastChange = Date.now();
  let cpuMark = pid ? cpuSeconds(pid) : 0;
  let cpuMarkAt = Date.now();
  for (;;) {
    await sleep(Math.min(250, quietMs / 2));
    const frames = await progressFn();
    const now = Date.now();
    if (frames !== last) {
      last = frames;
      lastChange = now;
      cpuMark = pid ? cpuSeconds(pid) : 0;
      cpuMarkAt = now;
    } else if (now - lastChange >= quietMs) {
      const cpuShare = pid ? (cpuSeconds(pid) - cpuMark) / ((now - cpuMarkAt) / 1000) : 0;
      if (cpuShare <= maxCpuShare)
        return { settled: true, ms: lastChange - start, frames };
      cpuMark = pid ? cpuSeconds(pid) : 0;
      cpuMarkAt = now;
      lastChange = now;
    }
    if (now - start > budgetMs)
      return { settled: false, ms: now - start, frames };
  }
}

async function runMessages (url, pid, params) {
  const base = process.hrtime.bigint();
  const pool = spawnPool('messages', url, base, params);
  const errors = [];
  await pool.ready;

  const connectStart = nowUs(base);
  const connected = await pool.all('connect');
  const connectMs = (Math.max(...connected.map((c) => c.doneUs)) - connectStart) / 1000;
  const failures = sum(connected, 'failures');
  const handshake = percentiles(connected.map((c) => c.handshakes));
  if (failures > 0)
    errors.push(`${failures} of ${params.clients} clients could not connect`);

  /* let the join events (and any backlog) drain before measuring */
  const progressFrames = async () => sum(await pool.all('progress'), 'frames');
  const joins = await waitQuiet(progressFrames, { quietMs: 300, budgetMs: 30000 });

  const churners = params.churners;
  const stableCount = params.clients - churners;
  const before = snapshot(pid, base, pool);
  await pool.all('go');

  const deadline = Date.now() + params.budgetMs;
  let lastDeliveries = -1;
  let lastChange = Date.now();
  let timedOut = false;
  let progress;
  let senders;
  for (;;) {
    await sleep(50);
    progress = await pool.all('progress');
    senders = progress.flatMap((p) => p.senders).sort((a, b) => a.id - b.id);
    const deliveries = sum(progress, 'deliveries');
    const stableDeliveries = sum(progress, 'stableDeliveries');
    const allDone = senders.every((s) => s.done);
    const expected = senders.reduce((t, s) => t + s.sent, 0) * stableCount;
    if (deliveries !== lastDeliveries) {
      lastDeliveries = deliveries;
      lastChange = Date.now();
    }
    if (allDone && stableDeliveries >= expected)
      break;
    if (allDone && Date.now() - lastChange > params.drainMs)
      break;
    if (Date.now() > deadline) {
      timedOut = true;
      errors.push(`not finished after ${params.budgetMs} ms`);
      break;
    }
  }
  const after = snapshot(pid, base, pool);
  const memory = pid ? memoryKiB(pid) : { rss: null, hwm: null };
  /* clients that rejoined may trail the others by a few frames still in their sockets */
  await sleep(params.graceMs);

  const sentCounts = senders.map((s) => s.sent);
  const finals = await pool.all('finish', { sentCounts });
  await pool.close();

  const firstSendUs = Math.min(...finals.map((f) => f.firstSendUs));
  const lastRecvUs = Math.max(...finals.map((f) => f.lastRecvUs));
  const durationS = (lastRecvUs - firstSendUs) / 1e6;
  const deliveries = sum(finals, 'deliveries');
  const latency = percentiles(finals.map((f) => f.latencies));
  const phase = phaseReport(pid, pool, before, after, durationS > 0 ? durationS : null);
  const closeCodes = {};
  for (const f of finals) {
    for (const [code, n] of Object.entries(f.closeCodes))
      closeCodes[code] = (closeCodes[code] ?? 0) + n;
  }

  const result = {
    deliveries,
    expectedStable: sentCounts.reduce((a, b) => a + b, 0) * stableCount,
    stableDeliveries: sum(finals, 'stableDeliveries'),
    durationS,
    deliveriesPerS: durationS > 0 ? deliveries / durationS : null,
    latencyMs: { p50: latency.p50 / 1000, p99: latency.p99 / 1000, max: latency.max / 1000 },
    connectMs,
    handshakeMs: { p50: handshake.p50 / 1000, p99: handshake.p99 / 1000, max: handshake.max / 1000 },
    joinsSettled: joins.settled,
    lost: sum(finals, 'lost'),
    dup: sum(finals, 'dup'),
    ooo: sum(finals, 'ooo'),
    unsent: senders.reduce((t, s) => t + (params.messages - s.sent), 0),
    sendersDisconnected: senders.filter((s) => s.closed).length,
    sendersStalled: senders.filter((s) => s.stalled).length,
    unexpectedCloses: sum(finals, 'unexpectedCloses'),
    closeCodes,
    badFrames: sum(finals, 'badFrames'),
    lostDetail: finals.flatMap((f) => f.lostDetail).slice(0, 20),
    backlogFrames: sum(finals, 'backlogFrames'),
    drops: sum(finals, 'drops'),
    reconnects: sum(finals, 'reconnects'),
    reconnectFailures: sum(finals, 'reconnectFailures'),
    timedOut,
    server: {
      cpuS: phase.serverCpuS,
      cpuShare: phase.serverCpuShare,
      cpuUsPerDelivery: phase.serverCpuS !== null && deliveries > 0
        ? (phase.serverCpuS * 1e6) / deliveries : null,
      rssKiB: memory.rss,
      hwmKiB: memory.hwm,
    },
    loadgen: phase.loadgen,
    otherCpuShare: phase.otherCpuShare,
  };
  if (result.lost > 0)
    errors.push(`${result.lost} messages lost`);
  if (result.dup > 0)
    errors.push(`${result.dup} messages duplicated`);
  if (result.ooo > 0)
    errors.push(`${result.ooo} messages out of order`);
  if (result.unsent > 0)
    errors.push(`${result.unsent} messages never sent (${result.sendersDisconnected} senders ` +
                `disconnected, ${result.sendersStalled} stalled)`);
  if (result.unexpectedCloses > 0)
    errors.push(`${result.unexpectedCloses} clients disconnected by the server ` +
                `(codes ${JSON.stringify(closeCodes)})`);
  if (result.reconnectFailures > 0)
    errors.push(`${result.reconnectFailures} rejoins failed`);
  /* intact: nothing lost, duplicated, reordered or cut off; the rest of errors are limits */
  result.intact = result.lost === 0 && result.dup === 0 && result.ooo === 0 && result.unsent === 0 &&
    result.unexpectedCloses === 0 && result.reconnectFailures === 0 && !timedOut && failures === 0;
  return { ...result, errors };
}

async function warmUp (url) {
  /* one client in and out, so lazily loaded code paths are in the baseline */
  await new Promise((resolve) => {
    const ws = new WebSocket(url, wsOptions());
    ws.on('open', () => setTimeout(() => ws.close(), 200));
    ws.on('error', resolve);
    ws.on('close', resolve);
  });
  await sleep(300);
}

async function runIdle (url, pid, params) {
  const base = process.hrtime.bigint();
  const errors = [];
  await warmUp(url);
  const baseline = pid ? memoryKiB(pid) : { rss: null };
  const pool = spawnPool('idle', url, base, params);
  await pool.ready;

  const before = snapshot(pid, base, pool);
  const connected = await pool.all('connect');
  const connectMs = (Math.max(...connected.map((c) => c.doneUs)) - before.us) / 1000;
  const failures = sum(connected, 'failures');
  const handshake = percentiles(connected.map((c) => c.handshakes));
  if (failures > 0)
    errors.push(`${failures} of ${params.clients} connections not established ` +
                `within ${params.connectBudgetMs} ms`);

  /* settled: no frame arrived for a second and the server is idle */
  const progressFrames = async () => sum(await pool.all('progress'), 'frames');
  const settle = await waitQuiet(progressFrames,
    { quietMs: 1000, budgetMs: params.settleBudgetMs, pid, maxCpuShare: 0.05 });
  if (!settle.settled)
    errors.push(`join events still flowing after ${params.settleBudgetMs} ms`);
  const memory = pid ? memoryKiB(pid) : { rss: null, hwm: null };
  const after = snapshot(pid, base, pool);

  await sleep(params.holdMs);
  const progress = await pool.all('progress');
  const held = sum(progress, 'open');
  const finals = await pool.all('finish');
  await pool.close();
  if (held < params.clients)
    errors.push(`${held} of ${params.clients} connections held`);

  const phase = phaseReport(pid, pool, before, after);
  const rssDelta = memory.rss !== null && baseline.rss !== null ? memory.rss - baseline.rss : null;
  return {
    connected: params.clients - failures,
    held,
    connectMs,
    handshakeMs: { p50: handshake.p50 / 1000, p99: handshake.p99 / 1000, max: handshake.max / 1000 },
    settled: settle.settled,
    settleMs: settle.ms,
    joinFrames: sum(finals, 'frames'),
    pings: sum(finals, 'pings'),
    serverCloses: sum(finals, 'serverCloses'),
    lost: 0, dup: 0, ooo: 0,
    /* connections not made within the budget are a limit; connections dropped are a fault */
    intact: held >= params.clients - failures && sum(finals, 'serverCloses') === 0,
    server: {
      cpuS: phase.serverCpuS,
      baselineRssKiB: baseline.rss,
      rssKiB: memory.rss,
      hwmKiB: memory.hwm,
      rssPerConnKiB: rssDelta !== null && held > 0 ? rssDelta / held : null,
    },
    loadgen: phase.loadgen,
    otherCpuShare: phase.otherCpuShare,
    errors,
  };
}

/* Fills the history through one client, then times fresh clients from connect until their
 * backlog is complete. The count comes from Confab's welcome frame (protocol=1): a server that
 * sends no welcome keeps no history, and the scenario does not apply to it. */
async function runHistory (url, pid, params) {
  const base = process.hrtime.bigint();
  const errors = [];
  const pad = 'x'.repeat(params.size);
  const parsed = [0, 0, 0];
  const before = snapshot(pid, base, null);

  const fill = await new Promise((resolve) => {
    const ws = new WebSocket(url, wsOptions());
    let sent = 0;
    let echoed = 0;
    let startUs = 0;
    let lastUs = 0;
    const finish = (ok) => {
      clearInterval(watchdog);
      ws.terminate();
      resolve({ ok, sent, echoed, seconds: (lastUs - startUs) / 1e6 });
    };
    const pump = () => {
      while (sent < params.fill && sent - echoed < params.window) {
        const t = nowUs(base);
        ws.send(`{"username":"u0","message":"${messageText(sent, 0, t, params.size, pad)}"}`);
        sent++;
      }
    };
    ws.on('open', () => {
      startUs = lastUs = nowUs(base);
      pump();
    });
    ws.on('message', (data) => {
      const s = data.toString('latin1');
      if (s.indexOf('"backlog"') !== -1)
        return;
      const j = findMessageValue(s);
      if (j === -1 || !parseHead(s, j, parsed) || parsed[1] !== 0)
        return;
      echoed++;
      lastUs = nowUs(base);
      if (echoed >= params.fill)
        finish(true);
      else
        pump();
    });
    ws.on('error', () => {});
    ws.on('close', () => finish(echoed >= params.fill));
    const watchdog = setInterval(() => {
      const now = nowUs(base);
      if (now - lastUs > params.stallMs * 1000 || now - startUs > params.fillBudgetMs * 1000)
        finish(false);
    }, 250);
  });
  if (!fill.ok)
    errors.push(`history fill stopped at ${fill.echoed} of ${params.fill} messages`);
  const afterFill = snapshot(pid, base, null);
  const memory = pid ? memoryKiB(pid) : { rss: null, hwm: null };

  const joins = [];
  let na = null;
  for (let k = 0; k < params.joins && na === null && fill.ok; k++) {
    const join = await new Promise((resolve) => {
      const startUs = nowUs(base);
      const ws = new WebSocket(`${url}${url.includes('?') ? '&' : '?'}protocol=1`, wsOptions());
      let welcome = null;
      let welcomeUs = 0;
      let backlog = 0;
      let done = false;
      const finish = (result) => {
        if (done)
          return;
        done = true;
        clearTimeout(timer);
        ws.close();
        resolve(result);
      };
      const timer = setTimeout(() => finish(welcome === null ? { na: 'no welcome frame: no history' } :
        { error: `backlog incomplete: ${backlog} of ${welcome.backlog}` }), 5000);
      ws.on('message', (data) => {
        let frame;
        try {
          frame = JSON.parse(data.toString());
        } catch {
          return;
        }
        if (frame?.type === 'welcome') {
          welcome = frame;
          welcomeUs = nowUs(base);
        } else if (frame?.backlog === true) {
          backlog++;
        }
        if (welcome !== null && backlog >= welcome.backlog)
          finish({ ms: (nowUs(base) - startUs) / 1000, welcomeMs: (welcomeUs - startUs) / 1000,
                   backlog, lastId: welcome.last_id });
      });
      ws.on('error', () => finish({ error: 'connection failed' }));
    });
    if (join.na)
      na = join.na;
    else if (join.error)
      errors.push(join.error);
    else
      joins.push(join);
    await sleep(100);
  }
  const joinTimes = percentiles([Float64Array.from(joins.map((j) => j.ms))]);
  const phase = phaseReport(pid, null, before, afterFill);
  return {
    na,
    fillMessages: fill.echoed,
    fillPerS: fill.seconds > 0 ? fill.echoed / fill.seconds : null,
    joinMs: { p50: joinTimes.p50, max: joinTimes.max },
    welcomeMs: joins.length ? joins[0].welcomeMs : null,
    backlogFrames: joins.length ? joins[0].backlog : null,
    lastId: joins.length ? joins[0].lastId : null,
    lost: fill.ok ? 0 : params.fill - fill.echoed, dup: 0, ooo: 0,
    intact: errors.length === 0,
    server: {
      cpuS: phase.serverCpuS,
      cpuUsPerFilledMessage: phase.serverCpuS !== null && fill.echoed > 0
        ? (phase.serverCpuS * 1e6) / fill.echoed : null,
      rssKiB: memory.rss,
      hwmKiB: memory.hwm,
    },
    loadgen: phase.loadgen,
    otherCpuShare: phase.otherCpuShare,
    errors,
  };
}

function describe (name, r) {
  const f = (v, d = 1) => (v === null || v === undefined ? 'n/a' : Number(v).toFixed(d));
  const lines = [`${name}: ${r.errors.length ? 'FAILED: ' + r.errors.join('; ') : 'ok'}`];
  if (r.deliveriesPerS !== undefined) {
    const lat = r.latencyMs;
    lines.push(`  ${r.deliveries} deliveries in ${f(r.durationS, 2)} s = ${f(r.deliveriesPerS, 0)}/s, ` +
               `latency p50 ${f(lat.p50, 2)} p99 ${f(lat.p99, 2)} max ${f(lat.max, 2)} ms`);
    lines.push(`  connect ${f(r.connectMs)} ms; lost ${r.lost} dup ${r.dup} ooo ${r.ooo}; ` +
               `server ${f(r.server.cpuUsPerDelivery, 2)} us CPU/delivery ` +
               `(${f(100 * (r.server.cpuShare ?? 0), 0)}% of a core), ` +
               `peak RSS ${r.server.hwmKiB ?? 'n/a'} KiB`);
    if (r.drops)
      lines.push(`  churn: ${r.drops} drops, ${r.reconnects} rejoins`);
    for (const d of r.lostDetail.slice(0, 5)) {
      lines.push(`  client ${d.client} (${d.stable ? 'stayed' : 'rejoined'}${d.alive ? '' : ', dropped'}) ` +
                 `missed ${d.missing} of sender ${d.sender}'s messages, first gap at ${d.firstGap} ` +
                 `(saw ${d.first}..${d.last})`);
    }
  } else if (r.held !== undefined) {
    lines.push(`  held ${r.held}; connect ${f(r.connectMs)} ms ` +
               `(handshake p50 ${f(r.handshakeMs.p50, 2)} p99 ${f(r.handshakeMs.p99, 2)} ms); ` +
               `settled ${r.settled} after ${r.settleMs} ms, ${r.joinFrames} join frames`);
    lines.push(`  RSS ${r.server.baselineRssKiB} -> ${r.server.rssKiB} KiB = ` +
               `${f(r.server.rssPerConnKiB, 2)} KiB/connection; server CPU ${f(r.server.cpuS, 2)} s`);
  } else if (r.na !== undefined) {
    lines.push(r.na ? `  n/a: ${r.na}` :
      `  fill ${r.fillMessages} at ${f(r.fillPerS, 0)}/s; join to backlog complete ` +
      `p50 ${f(r.joinMs.p50, 1)} max ${f(r.joinMs.max, 1)} ms (${r.backlogFrames} backlog frames)`);
  }
  const lg = r.loadgen;
  lines.push(`  load generator: busiest thread ${lg.busiestThread} at ${f(100 * lg.busiestThreadShare, 0)}%, ` +
             `${f(100 * lg.cpuShare, 0)}% CPU over ${lg.threads} worker(s); ` +
             `other processes used ${f(100 * (r.otherCpuShare ?? 0), 0)}% of a core meanwhile`);
  return lines.join('\n');
}

async function main () {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      pid: { type: 'string' },
      scenario: { type: 'string', default: 'fanout' },
      quick: { type: 'boolean', default: false },
      threads: { type: 'string' },
      clients: { type: 'string' },
      senders: { type: 'string' },
      messages: { type: 'string' },
      size: { type: 'string' },
      window: { type: 'string' },
      churners: { type: 'string' },
      drops: { type: 'string' },
      fill: { type: 'string' },
      joins: { type: 'string' },
      seed: { type: 'string' },
      client: { type: 'string', default: 'raw' },
      'connect-budget': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.url) {
    console.error(`usage: node loadgen.mjs --url ws://127.0.0.1:PORT/ws/chat [--pid SERVER_PID]
    [--scenario ${SCENARIO_NAMES.join('|')}] [--quick] [--threads N] [--clients N] [--senders S]
    [--messages M] [--size BYTES] [--window W] [--churners C] [--drops D] [--fill H] [--joins K]
    [--seed N] [--client raw|ws] [--connect-budget MS] [--json]`);
    process.exit(values.help ? 0 : 2);
  }
  const overrides = {};
  const numeric = ['threads', 'clients', 'senders', 'messages', 'size', 'window', 'churners', 'drops',
                   'fill', 'joins', 'seed'];
  for (const key of numeric) {
    if (values[key] !== undefined)
      overrides[key] = Number.parseInt(values[key], 10);
  }
  const params = {
    client: values.client, threads: 2, churners: 0, drops: 0, reconnectMs: 20, dropMode: 'mix', seed: 1,
    connectConcurrency: 64, connectBudgetMs: 60000, budgetMs: 180000, drainMs: 3000,
    stallMs: 10000, holdMs: 1000, graceMs: 250,
    ...scenarioParams(values.scenario, values.quick, overrides),
  };
  if (values.quick)
    params.budgetMs = 30000;
  if (values['connect-budget'])
    params.connectBudgetMs = Number.parseInt(values['connect-budget'], 10);
  const pid = values.pid ? Number.parseInt(values.pid, 10) : null;

  const run = { messages: runMessages, idle: runIdle, history: runHistory }[params.kind];
  const result = await run(values.url, pid, params);
  result.scenario = params.name;
  result.params = params;
  result.ok = result.errors.length === 0;
  console.error(describe(params.name, result));
  if (values.json)
    console.log(JSON.stringify(result));
  process.exit(result.intact ? 0 : 1);
}

if (isMainThread)
  main().catch((error) => {
    console.error(error);
    process.exit(2);
  });
else
  workerMain();
