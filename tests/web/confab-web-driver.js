#!/usr/bin/env node
/* confab-web-driver.js: drives Confab's web client in Debian's Chromium for tests/test-web.c.
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A line protocol over stdin and stdout, one JSON object a line. The driver first says
 *   {"ready": true}                   or {"ready": false, "error": "..."}
 * then answers each request {"id": N, "cmd": "...", ...} with
 *   {"id": N, "ok": true, ...}        or {"id": N, "ok": false, "error": "..."}
 * in order. Every wait has a bound (`timeout`, in ms). The driver exits when stdin closes,
 * so it never outlives the test that spawned it. Diagnostics go to stderr.
 *
 * Commands (each page is a separate browser context, so it has its own localStorage):
 *   open        {page, url, username?, storage?, colorScheme?, width?, height?, mobile?}
 *               opens url; a username (the remembered name) and any other storage items are
 *               put in localStorage first; answers once the page says it is connected
 *   set-name    {page, name}              types a name into the name field
 *   send        {page, text}              types text into the entry and presses Enter
 *   wait-message {page, text, timeout?}   waits until a chat message with exactly this text
 *               shows; answers with what the page shows for it
 *   wait-members {page, name, timeout?}   waits until the members list holds name
 *   wait-state  {page, state, timeout?}   waits until the page is connected, connecting,
 *               waiting (to reconnect) or disconnected; answers with the status it shows
 *   snapshot    {page}                    everything the page shows: state, room, log, members
 *   probe       {page}                    what untrusted text could have done: elements in the
 *               log's text, scripts and images in the log, links, window.__confabPwned
 *   screenshot  {page, path, colorScheme?, width?, height?}
 *   close       {page}
 *   quit
 */

'use strict';

const readline = require('readline');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];
const DEFAULT_TIMEOUT = 15000;

let browser = null;
const pages = new Map();   /* name -> { context, page, errors } */

function reply (object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

function log (...args) {
  process.stderr.write('# driver: ' + args.join(' ') + '\n');
}

function pageOf (request) {
  const entry = pages.get(request.page || 'main');
  if (!entry)
    throw new Error('no page named ' + request.page);
  return entry;
}

async function launch () {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    throw new Error('playwright-core is not installed (npm ci in tests/web): ' + e.message);
  }
  /* launch() gives the browser a fresh temporary profile and removes it on close, and each
   * page gets a context of its own: nothing carries over between pages or runs. */
  browser = await chromium.launch({
    executablePath: process.env.CONFAB_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60000,
  });
}

async function cmdOpen (request) {
  const name = request.page || 'main';
  if (pages.has(name))
    throw new Error('page ' + name + ' is already open');
  const options = {
    viewport: { width: request.width || 1024, height: request.height || 720 },
    colorScheme: request.colorScheme || 'light',
    reducedMotion: 'reduce',
    locale: 'en-GB',
  };
  if (request.mobile) {
    options.isMobile = true;
    options.hasTouch = true;
    options.deviceScaleFactor = request.deviceScaleFactor || 2;
  } else if (request.deviceScaleFactor) {
    options.deviceScaleFactor = request.deviceScaleFactor;
  }

  const context = await browser.newContext(options);
  const entry = { context, page: null, errors: [] };
  const storage = Object.assign({}, request.storage || {});
  if (request.username)
    storage['confab.username'] = request.username;
  if (Object.keys(storage).length > 0)
    await context.addInitScript((items) => {
      for (const [key, value] of Object.entries(items))
        window.localStorage.setItem(key, value);
    }, storage);

  const page = await context.newPage();
  entry.page = page;
  page.on('pageerror', (error) => entry.errors.push('pageerror: ' + error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      entry.errors.push('console ' + message.type() + ': ' + message.text());
  });
  /* Nothing may leave the machine: the page has no external URL, and this proves it. */
  await page.route(/^(?!https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]).*/, (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:'))
      return route.continue();
    entry.errors.push('external request: ' + url);
    return route.abort();
  });
  pages.set(name, entry);

  const response = await page.goto(request.url, { waitUntil: 'load', timeout: request.timeout || DEFAULT_TIMEOUT });
  const headers = response ? response.headers() : {};
  await page.waitForSelector('body[data-state="connected"]', { timeout: request.timeout || DEFAULT_TIMEOUT });
  return {
    status: response ? response.status() : 0,
    contentType: headers['content-type'] || '',
    cacheControl: headers['cache-control'] || '',
  };
}

async function cmdSetName (request) {
  const { page } = pageOf(request);
  await page.fill('#username', request.name);
  return {};
}

async function cmdSend (request) {
  const { page } = pageOf(request);
  await page.waitForSelector('#entry:not([disabled])', { timeout: request.timeout || DEFAULT_TIMEOUT });
  await page.fill('#entry', request.text);
  await page.press('#entry', 'Enter');
  return { entryAfter: await page.inputValue('#entry') };
}

/* Runs in the page: what one log item shows. */
function describeItems () {
  return Array.from(document.querySelectorAll('#log > li.item')).map((li) => {
    const text = li.querySelector('.text, .system-text');
    return {
      kind: li.classList.contains('message') ? 'message' : 'system',
      id: li.dataset.id ? Number(li.dataset.id) : null,
      username: li.dataset.username || null,
      own: li.dataset.own === 'true',
      backlog: li.dataset.backlog === 'true',
      continued: li.classList.contains('continued'),
      text: text ? text.textContent : '',
      time: (li.querySelector('time') || {}).textContent || '',
      datetime: (li.querySelector('time') || {}).dateTime || '',
    };
  });
}

async function cmdWaitMessage (request) {
  const { page } = pageOf(request);
  const handle = await page.waitForFunction((wanted) => {
    for (const li of document.querySelectorAll('#log > li.message')) {
      const text = li.querySelector('.text');
      if (text && text.textContent === wanted)
        return true;
    }
    return false;
  }, request.text, { timeout: request.timeout || DEFAULT_TIMEOUT, polling: 50 });
  await handle.dispose();
  const items = await page.evaluate(describeItems);
  const index = items.findIndex((item) => item.kind === 'message' && item.text === request.text);
  return { message: items[index], index, count: items.length };
}

async function cmdWaitMembers (request) {
  const { page } = pageOf(request);
  await page.waitForFunction((wanted) => {
    return Array.from(document.querySelectorAll('#members-list .member-name'))
      .some((node) => node.textContent === wanted);
  }, request.name, { timeout: request.timeout || DEFAULT_TIMEOUT, polling: 50 });
  return {};
}

async function cmdWaitState (request) {
  const { page } = pageOf(request);
  await page.waitForSelector('body[data-state="' + request.state + '"]',
                             { state: 'attached', timeout: request.timeout || DEFAULT_TIMEOUT });
  return {
    status: await page.textContent('#status-text'),
    entryDisabled: await page.isDisabled('#entry'),
    sendDisabled: await page.isDisabled('#send'),
  };
}

async function cmdSnapshot (request) {
  const { page, errors } = pageOf(request);
  const snapshot = await page.evaluate(() => ({
    state: document.body.dataset.state,
    status: document.getElementById('status-text').textContent,
    room: document.getElementById('room-name').textContent,
    title: document.title,
    username: document.getElementById('username').value,
    entryDisabled: document.getElementById('entry').disabled,
    sendDisabled: document.getElementById('send').disabled,
    outbox: document.querySelectorAll('#outbox > li').length,
    members: Array.from(document.querySelectorAll('#members-list .member-name')).map((n) => n.textContent),
    error: document.getElementById('composer-error').hidden ? null
      : document.getElementById('composer-error-text').textContent,
    storedName: window.localStorage.getItem('confab.username'),
  }));
  snapshot.items = await page.evaluate(describeItems);
  snapshot.errors = errors.slice();
  return snapshot;
}

async function cmdProbe (request) {
  const { page, errors } = pageOf(request);
  const probe = await page.evaluate(() => {
    const log = document.getElementById('log');
    const texts = Array.from(log.querySelectorAll('.text, .system-text'));
    const foreign = [];
    for (const text of texts)
      for (const child of text.querySelectorAll('*'))
        if (!(child.tagName === 'A' || (child.tagName === 'STRONG' && text.classList.contains('system-text'))))
          foreign.push(child.tagName.toLowerCase());
    return {
      pwned: window.__confabPwned === undefined ? null : String(window.__confabPwned),
      foreignElements: foreign,
      scripts: log.querySelectorAll('script').length,
      images: log.querySelectorAll('img').length,
      links: Array.from(log.querySelectorAll('a')).map((a) => ({
        href: a.getAttribute('href'),
        text: a.textContent,
        rel: a.rel,
        target: a.target,
      })),
    };
  });
  probe.errors = errors.slice();
  return probe;
}

async function cmdScreenshot (request) {
  const { page } = pageOf(request);
  if (request.colorScheme)
    await page.emulateMedia({ colorScheme: request.colorScheme });
  if (request.width && request.height)
    await page.setViewportSize({ width: request.width, height: request.height });
  await page.screenshot({ path: request.path, animations: 'disabled', caret: 'hide' });
  return { path: request.path };
}

async function cmdClose (request) {
  const entry = pageOf(request);
  pages.delete(request.page || 'main');
  await entry.context.close();
  return {};
}

let stopping = false;

async function shutdown (code) {
  if (stopping)
    return;
  stopping = true;
  try {
    if (browser)
      await browser.close();
  } catch (e) {
    log('closing the browser:', e.message);
  }
  browser = null;
  process.exit(code);
}

async function main () {
  try {
    await launch();
  } catch (e) {
    reply({ ready: false, error: e.message });
    await shutdown(1);
    return;
  }
  reply({ ready: true });

  const commands = {
    'open': cmdOpen,
    'set-name': cmdSetName,
    'send': cmdSend,
    'wait-message': cmdWaitMessage,
    'wait-members': cmdWaitMembers,
    'wait-state': cmdWaitState,
    'snapshot': cmdSnapshot,
    'probe': cmdProbe,
    'screenshot': cmdScreenshot,
    'close': cmdClose,
  };

  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  /* One request at a time, in order: the test waits for each answer anyway. */
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      if (line.trim() === '')
        return;
      let request;
      try {
        request = JSON.parse(line);
      } catch (e) {
        reply({ id: null, ok: false, error: 'not JSON: ' + e.message });
        return;
      }
      if (request.cmd === 'quit') {
        reply({ id: request.id, ok: true });
        await shutdown(0);
        return;
      }
      const command = commands[request.cmd];
      if (!command) {
        reply({ id: request.id, ok: false, error: 'unknown command ' + request.cmd });
        return;
      }
      try {
        const result = await command(request);
        reply(Object.assign({ id: request.id, ok: true }, result));
      } catch (e) {
        log(request.cmd, 'failed:', e.message);
        reply({ id: request.id, ok: false, error: e.message.split('\n')[0] });
      }
    });
  });
  lines.on('close', () => {
    queue.then(() => shutdown(0));
  });
}

process.on('SIGTERM', () => shutdown(0));
/* The test went away: nobody is listening, close the browser and go. */
process.stdout.on('error', () => shutdown(1));
main();
