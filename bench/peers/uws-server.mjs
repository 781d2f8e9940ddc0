// uws-server.mjs
//
// Copyright 2026 The Confab authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The seed's protocol on uWebSockets.js (npm package `uwebsockets`): every client subscribes to
// one topic and events are published to it, so uWS frames each event once and queues it to all
// subscribers in native code. This is the "how cheap can a broadcast be" reference.
//
// Settings chosen to match Confab's limits rather than uWS's defaults: a slow client may have
// up to 1 MiB queued and is then closed (uWS's default would silently skip it at 64 KiB, which
// would hide losses), frames up to 64 KiB, no compression.
//
// Usage: node uws-server.mjs [PORT]     (0 picks a free port; prints "Listening on ws://...")

import uWS from 'uwebsockets';

const port = Number.parseInt(process.argv[2] ?? '8000', 10);
const host = '127.0.0.1';
const TOPIC = 'chat';
const decoder = new TextDecoder();

const app = uWS.App();

function publish (event) {
  event.timestamp = new Date().toISOString();
  app.publish(TOPIC, JSON.stringify(event), false);
}

app.ws('/ws/chat', {
  compression: uWS.DISABLED,
  maxPayloadLength: 64 * 1024,
  maxBackpressure: 1024 * 1024,
  closeOnBackpressureLimit: true,
  idleTimeout: 120,

  open: (ws) => {
    ws.subscribe(TOPIC);
    publish({ type: 'system', message: 'A new user joined the chat' });
  },

  message: (ws, data, isBinary) => {
    if (isBinary)
      return;
    let frame;
    try {
      frame = JSON.parse(decoder.decode(data));
    } catch {
      return;
    }
    if (frame === null || typeof frame !== 'object')
      return;
    publish({
      type: 'message',
      username: frame.username ?? 'Anonymous',
      message: frame.message ?? '',
    });
  },

  close: () => {
    /* uWS has already unsubscribed the closed socket */
    publish({ type: 'system', message: 'A user left the chat' });
  },
});

app.listen(host, port, (listenSocket) => {
  if (!listenSocket) {
    console.error(`Could not listen on ${host}:${port}`);
    process.exit(1);
  }
  console.log(`Listening on ws://${host}:${uWS.us_socket_local_port(listenSocket)}/ws/chat`);
});

for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => process.exit(0));
