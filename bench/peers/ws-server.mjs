// ws-server.mjs
//
// Copyright 2026 The Confab authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A plain Node `ws` broadcast server speaking the seed's protocol (the base of Confab's): every
// text frame {"username", "message"} is broadcast to every client, the sender included, as
// {"type": "message", "username", "message", "timestamp"}; connects and disconnects are broadcast
// as "system" events. Nothing is stored. It is the "what a straightforward Node server does"
// reference for the benchmark, so it stays plain: one JSON.stringify per event, one ws.send per
// client, library defaults otherwise.
//
// Usage: node ws-server.mjs [PORT]     (0 picks a free port; prints "Listening on ws://...")

import { WebSocketServer, WebSocket } from 'ws';

const port = Number.parseInt(process.argv[2] ?? '8000', 10);
const host = '127.0.0.1';

const wss = new WebSocketServer({ host, port, path: '/ws/chat', perMessageDeflate: false });

function broadcast (event) {
  event.timestamp = new Date().toISOString();
  const text = JSON.stringify(event);
  for (const client of wss.clients) {
    if (client.readyState === WebSocket.OPEN)
      client.send(text);
  }
}

wss.on('connection', (ws) => {
  ws.on('error', () => {});   /* a reset client: 'close' follows */
  ws.on('message', (data, isBinary) => {
    if (isBinary)
      return;
    let frame;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;   /* the seed would drop the connection; a plain server just ignores it */
    }
    if (frame === null || typeof frame !== 'object')
      return;
    broadcast({
      type: 'message',
      username: frame.username ?? 'Anonymous',
      message: frame.message ?? '',
    });
  });
  ws.on('close', () => {
    broadcast({ type: 'system', message: 'A user left the chat' });
  });
  broadcast({ type: 'system', message: 'A new user joined the chat' });
});

wss.on('listening', () => {
  console.log(`Listening on ws://${host}:${wss.address().port}/ws/chat`);
});

for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => process.exit(0));
