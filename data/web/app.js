/* app.js: Confab's web client.
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speaks the base protocol with any host, and Confab's extensions (welcome, backlog, presence,
 * errors, cid) when the host offers them; see docs/protocol.md. Nothing that comes from the
 * network is ever parsed as HTML: every node is built with createElement and textContent.
 */

(function () {
  'use strict';

  const NAME_KEY = 'confab.username';
  const CLIENT_KEY = 'confab.client';
  const BACKOFF_MS = [1000, 2000, 4000, 8000, 16000, 30000];
  /* About ten minutes of trying before the page stops and waits for a click (or for the
   * tab to come back, or the network to return). */
  const MAX_ATTEMPTS = 24;
  const GROUP_GAP_MS = 5 * 60 * 1000;
  const MAX_ITEMS = 1500;
  const NEAR_BOTTOM_PX = 72;
  const AVATAR_COLORS = 14;

  const $ = (id) => document.getElementById(id);
  const ui = {
    app: $('app'),
    room: $('room-name'),
    subtitle: $('room-subtitle'),
    status: $('status'),
    statusText: $('status-text'),
    retry: $('retry'),
    membersToggle: $('members-toggle'),
    membersBadge: $('members-badge'),
    members: $('members'),
    membersClose: $('members-close'),
    membersHeading: $('members-heading'),
    membersSummary: $('members-summary'),
    membersList: $('members-list'),
    backdrop: $('members-backdrop'),
    scroller: $('scroller'),
    log: $('log'),
    outbox: $('outbox'),
    empty: $('empty'),
    jump: $('jump'),
    jumpText: $('jump-text'),
    composer: $('composer'),
    username: $('username'),
    entry: $('entry'),
    send: $('send'),
    counter: $('counter'),
    error: $('composer-error'),
    errorText: $('composer-error-text'),
    errorCode: $('composer-error-code'),
    errorClose: $('composer-error-close'),
    announcer: $('announcer'),
  };

  const state = {
    ws: null,
    phase: 'connecting',      /* connecting | connected | waiting | disconnected */
    everConnected: false,
    attempt: 0,               /* consecutive attempts that got no frame */
    retryAt: 0,
    retryTimer: 0,
    countdownTimer: 0,
    firstFrame: true,
    extended: false,          /* this connection sent a welcome */
    history: null,
    lastId: 0,
    seen: new Set(),
    backlogPending: false,
    backlogRemaining: 0,
    room: null,
    limits: { message: 4000, username: 64 },
    outbox: [],
    cidPrefix: '',
    cidCounter: 0,
    last: null,               /* what the newest log item was, for grouping and day separators */
    pinned: true,
    unread: 0,
    hiddenUnread: 0,
    refocus: false,
    hasPresence: false,
  };

  /* ---- small helpers ---- */

  function el (tag, className, text) {
    const node = document.createElement(tag);
    if (className)
      node.className = className;
    if (text !== undefined && text !== null)
      node.textContent = text;
    return node;
  }

  function storageGet (key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function storageSet (key, value) {
    try {
      if (value)
        window.localStorage.setItem(key, value);
      else
        window.localStorage.removeItem(key);
    } catch (e) {
      /* Private modes may refuse storage; the page works without it. */
    }
  }

  function randomHex (bytes) {
    const buf = new Uint8Array(bytes);
    /* getRandomValues works on plain http:// LAN pages, unlike randomUUID. */
    window.crypto.getRandomValues(buf);
    return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /* What the host counts: Unicode code points, not UTF-16 units. */
  function codePointLength (text) {
    return Array.from(text).length;
  }

  function currentName () {
    return ui.username.value.trim();
  }

  function isString (v) {
    return typeof v === 'string';
  }

  function announce (text) {
    /* Clearing first makes screen readers repeat an identical announcement. */
    ui.announcer.textContent = '';
    window.setTimeout(() => { ui.announcer.textContent = text; }, 50);
  }

  /* ---- time ---- */

  const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

  /* ISO 8601 with or without an offset; without one (a base server) it is the host's local
   * time, which on a LAN is as good a guess as any, so it is read as ours. */
  function parseTimestamp (text) {
    if (!isString(text))
      return null;
    const m = ISO_RE.exec(text.trim());
    if (!m)
      return null;
    const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
    const s = m[6] ? Number(m[6]) : 0;
    const ms = m[7] ? Math.floor(Number('0.' + m[7]) * 1000) : 0;
    let time;
    if (!m[8]) {
      time = new Date(y, mo - 1, d, h, mi, s, ms).getTime();
    } else {
      time = Date.UTC(y, mo - 1, d, h, mi, s, ms);
      if (m[8].toUpperCase() !== 'Z') {
        const sign = m[8][0] === '-' ? -1 : 1;
        const digits = m[8].slice(1).replace(':', '');
        const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0);
        time -= sign * offset * 60000;
      }
    }
    return Number.isFinite(time) ? new Date(time) : null;
  }

  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
  const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });
  const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
  const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
  const yearFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

  function dayKey (date) {
    return date.getFullYear() + '-' + date.getMonth() + '-' + date.getDate();
  }

  function dayLabel (date) {
    const today = new Date();
    const start = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    const days = Math.round((start(today) - start(date)) / 86400000);
    if (days === 0)
      return 'Today';
    if (days === 1)
      return 'Yesterday';
    if (days > 1 && days < 7)
      return weekdayFormat.format(date);
    if (date.getFullYear() === today.getFullYear())
      return dateFormat.format(date);
    return yearFormat.format(date);
  }

  function timeElement (date) {
    const t = el('time', 'time', timeFormat.format(date));
    t.dateTime = date.toISOString();
    t.title = fullFormat.format(date);
    return t;
  }

  /* ---- text with links ---- */

  const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;

  function trimUrl (candidate) {
    let url = candidate;
    for (;;) {
      const last = url.slice(-1);
      if ('.,;:!?*'.includes(last)) {
        url = url.slice(0, -1);
      } else if (last === ')' || last === ']' || last === '}') {
        const open = { ')': '(', ']': '[', '}': '{' }[last];
        if (url.split(open).length >= url.split(last).length)
          break;
        url = url.slice(0, -1);
      } else {
        break;
      }
    }
    return url;
  }

  function safeHref (candidate) {
    try {
      const url = new URL(candidate);
      if (url.protocol === 'http:' || url.protocol === 'https:')
        return url.href;
    } catch (e) {
      /* not a URL after all: stays text */
    }
    return null;
  }

  /* Appends @text to @parent as text nodes, with http(s) links as <a> elements. */
  function appendRichText (parent, text) {
    let index = 0;
    URL_RE.lastIndex = 0;
    for (let m = URL_RE.exec(text); m; m = URL_RE.exec(text)) {
      const candidate = trimUrl(m[0]);
      const href = safeHref(candidate);
      if (!href)
        continue;
      if (m.index > index)
        parent.appendChild(document.createTextNode(text.slice(index, m.index)));
      const a = el('a', null, candidate);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      parent.appendChild(a);
      index = m.index + candidate.length;
      URL_RE.lastIndex = index;
    }
    if (index < text.length)
      parent.appendChild(document.createTextNode(text.slice(index)));
  }

  /* ---- avatars ---- */

  function avatarColor (name) {
    let hash = 5381;
    for (let i = 0; i < name.length; i++)
      hash = ((hash << 5) + hash + name.charCodeAt(i)) >>> 0;
    return (hash % AVATAR_COLORS) + 1;
  }

  function initials (name) {
    const words = name.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0)
      return '?';
    const first = Array.from(words[0])[0] || '';
    const second = words.length > 1 ? (Array.from(words[words.length - 1])[0] || '') : '';
    return (first + second).toUpperCase();
  }

  function avatar (name, size) {
    const a = el('span', 'avatar color' + avatarColor(name), initials(name));
    a.setAttribute('aria-hidden', 'true');
    if (size)
      a.classList.add(size);
    return a;
  }

  /* ---- the log ---- */

  function updateEmpty () {
    ui.empty.hidden = ui.log.childElementCount > 0 || ui.outbox.childElementCount > 0;
  }

  function distanceFromBottom () {
    const s = ui.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight;
  }

  function scrollToBottom (smooth) {
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    ui.scroller.scrollTo({ top: ui.scroller.scrollHeight, behavior: smooth && !reduce ? 'smooth' : 'auto' });
    state.pinned = true;
    state.unread = 0;
    updateJump();
  }

  function updateJump () {
    const away = distanceFromBottom() > NEAR_BOTTOM_PX;
    ui.jump.hidden = !away;
    if (state.unread > 0)
      ui.jumpText.textContent = state.unread === 1 ? '1 new message' : state.unread + ' new messages';
    else
      ui.jumpText.textContent = 'Jump to newest';
  }

  function trimLog () {
    while (ui.log.childElementCount > MAX_ITEMS)
      ui.log.removeChild(ui.log.firstElementChild);
  }

  /* Adds @item (an <li>) to the log, with a day separator first when the day changes. */
  function appendItem (item, date, own) {
    const stick = state.pinned || own;
    const key = dayKey(date);
    if (!state.last || state.last.day !== key) {
      const sep = el('li', 'day-separator');
      sep.appendChild(el('span', null, dayLabel(date)));
      ui.log.appendChild(sep);
    }
    ui.log.appendChild(item);
    trimLog();
    updateEmpty();
    if (state.backlogPending) {
      /* The backlog comes in a burst: scroll once, when it is all there. */
      return;
    }
    if (stick) {
      scrollToBottom(false);
    } else {
      state.unread++;
      updateJump();
    }
  }

  function clearLog () {
    ui.log.replaceChildren();
    state.seen.clear();
    state.lastId = 0;
    state.last = null;
    updateEmpty();
  }

  function renderSystem (text, username, date, extraClass) {
    const li = el('li', 'item system' + (extraClass ? ' ' + extraClass : ''));
    const p = el('p', 'system-text');
    /* Names in join and leave events stand out; the rest is the host's own wording. */
    if (username && text.startsWith(username)) {
      p.appendChild(el('strong', null, username));
      p.appendChild(document.createTextNode(text.slice(username.length)));
    } else {
      p.textContent = text;
    }
    li.appendChild(p);
    li.appendChild(timeElement(date));
    appendItem(li, date, false);
    state.last = { day: dayKey(date), kind: 'system' };
    return li;
  }

  function localNotice (text) {
    renderSystem(text, null, new Date(), 'local');
  }

  function renderChat (username, text, date, own) {
    const li = el('li', 'item message' + (own ? ' own' : ''));
    const last = state.last;
    const continued = last && last.kind === 'message' && last.username === username &&
                      last.own === own && last.day === dayKey(date) &&
                      date.getTime() - last.time < GROUP_GAP_MS && date.getTime() >= last.time;
    if (continued)
      li.classList.add('continued');
    li.dataset.username = username;
    li.dataset.own = own ? 'true' : 'false';

    if (!own)
      li.appendChild(avatar(username));

    const bubble = el('div', 'bubble');
    /* Always in the tree so a screen reader says who wrote each message. */
    const sender = el('p', 'sender', own ? 'You' : username);
    sender.classList.add('color' + avatarColor(username));
    if (own || continued)
      sender.classList.add('sr-only');
    bubble.appendChild(sender);

    const body = el('p', 'text');
    appendRichText(body, text);
    bubble.appendChild(body);
    bubble.appendChild(timeElement(date));
    li.appendChild(bubble);

    appendItem(li, date, own);
    state.last = { day: dayKey(date), kind: 'message', username, own, time: date.getTime() };
    return li;
  }

  /* Ours when it carries one of our cids (the prefix is kept in localStorage, so this holds
   * across reloads). A base server echoes no cid: there, a message is ours when it carries
   * our name. */
  function isOwn (event) {
    if (isString(event.cid))
      return state.cidPrefix !== '' && event.cid.startsWith(state.cidPrefix + '-');
    const name = currentName();
    return !state.extended && name !== '' && event.username === name;
  }

  function handleEvent (event) {
    if (event.backlog === true && state.backlogRemaining > 0)
      state.backlogRemaining--;
    else if (event.backlog !== true && state.backlogPending)
      finishBacklog();

    const id = Number.isSafeInteger(event.id) && event.id > 0 ? event.id : null;
    let duplicate = false;
    if (id !== null) {
      duplicate = state.seen.has(id);
      state.seen.add(id);
      if (id > state.lastId)
        state.lastId = id;
    }

    if (!duplicate) {
      const date = parseTimestamp(event.timestamp) || new Date();
      const text = isString(event.message) ? event.message : '';
      let li;
      if (event.type === 'message') {
        const username = isString(event.username) && event.username !== '' ? event.username : 'Anonymous';
        const own = isOwn(event);
        if (isString(event.cid))
          acknowledge(event.cid);
        li = renderChat(username, text, date, own);
        if (!own && document.hidden) {
          state.hiddenUnread++;
          updateTitle();
        }
      } else {
        li = renderSystem(text, isString(event.username) ? event.username : null, date);
      }
      if (id !== null)
        li.dataset.id = String(id);
      if (event.backlog === true)
        li.dataset.backlog = 'true';
    }

    if (state.backlogPending && state.backlogRemaining === 0)
      finishBacklog();
  }

  /* ---- outbox: messages sent but not yet echoed ---- */

  function newCid () {
    state.cidCounter++;
    return state.cidPrefix + '-' + Date.now().toString(36) + '-' + state.cidCounter.toString(36);
  }

  function pendingLabel () {
    return state.phase === 'connected' ? 'Sending…' : 'Not sent yet';
  }

  function renderPending (text) {
    const li = el('li', 'item message own pending');
    const bubble = el('div', 'bubble');
    bubble.appendChild(el('p', 'sender sr-only', 'You'));
    const body = el('p', 'text');
    appendRichText(body, text);
    bubble.appendChild(body);
    bubble.appendChild(el('span', 'time pending-label', pendingLabel()));
    li.appendChild(bubble);
    ui.outbox.appendChild(li);
    updateEmpty();
    scrollToBottom(false);
    return li;
  }

  function updatePendingLabels () {
    for (const item of state.outbox)
      item.el.querySelector('.pending-label').textContent = pendingLabel();
  }

  function removeFromOutbox (cid) {
    const index = state.outbox.findIndex((item) => item.cid === cid);
    if (index < 0)
      return null;
    const [item] = state.outbox.splice(index, 1);
    item.el.remove();
    updateEmpty();
    return item;
  }

  function acknowledge (cid) {
    removeFromOutbox(cid);
  }

  function flushOutbox () {
    if (!state.ws || state.ws.readyState !== WebSocket.OPEN)
      return;
    /* The host drops a cid it already accepted, so resending what was not echoed is safe. */
    for (const item of state.outbox)
      state.ws.send(JSON.stringify(item.frame));
  }

  function finishBacklog () {
    state.backlogPending = false;
    state.backlogRemaining = 0;
    ui.log.removeAttribute('aria-busy');
    if (state.pinned)
      scrollToBottom(false);
    else
      updateJump();
    flushOutbox();
  }

  /* ---- frames ---- */

  function setRoom (name) {
    state.room = name;
    ui.room.textContent = name;
    document.title = name + ' – Confab';
    ui.entry.placeholder = 'Message ' + name + '…';
    updateTitle();
  }

  function updateTitle () {
    const base = state.room ? state.room + ' – Confab' : 'Confab';
    document.title = state.hiddenUnread > 0 ? '(' + state.hiddenUnread + ') ' + base : base;
  }

  function handleWelcome (welcome) {
    state.extended = true;
    if (isString(welcome.room) && welcome.room.trim() !== '')
      setRoom(welcome.room);
    const limits = welcome.limits;
    if (limits && typeof limits === 'object') {
      if (Number.isSafeInteger(limits.message) && limits.message > 0)
        state.limits.message = limits.message;
      if (Number.isSafeInteger(limits.username) && limits.username > 0) {
        state.limits.username = limits.username;
        ui.username.maxLength = limits.username;
      }
    }
    const history = isString(welcome.history) ? welcome.history : null;
    if (state.history !== null && history !== state.history && ui.log.childElementCount > 0) {
      /* The host started a new history: what we have no longer lines up with its ids. */
      clearLog();
      localNotice('The host started a new conversation.');
    }
    const resumed = state.history !== null && history === state.history && state.lastId > 0;
    state.history = history;
    if (resumed && welcome.gap === true)
      localNotice('Some messages were missed while you were away.');

    state.backlogRemaining = Number.isSafeInteger(welcome.backlog) && welcome.backlog > 0 ? welcome.backlog : 0;
    if (state.backlogRemaining > 0) {
      state.backlogPending = true;
      ui.log.setAttribute('aria-busy', 'true');
    } else {
      finishBacklog();
    }
  }

  function handlePresence (presence) {
    if (state.backlogPending)
      finishBacklog();
    const users = Array.isArray(presence.users) ? presence.users.filter(isString) : [];
    const anonymous = Number.isSafeInteger(presence.anonymous) && presence.anonymous > 0 ? presence.anonymous : 0;
    const online = Number.isSafeInteger(presence.online) && presence.online >= 0 ? presence.online : users.length + anonymous;
    const me = currentName();

    const items = [];
    for (const name of users) {
      const li = el('li', 'member');
      li.appendChild(avatar(name, 'small'));
      li.appendChild(el('span', 'member-name', name));
      if (name === me)
        li.appendChild(el('span', 'member-you', '(you)'));
      items.push(li);
    }
    if (anonymous > 0) {
      const li = el('li', 'member anonymous');
      const a = el('span', 'avatar small anonymous-avatar', '?');
      a.setAttribute('aria-hidden', 'true');
      li.appendChild(a);
      li.appendChild(el('span', 'member-name', anonymous === 1 ? '1 person without a name' : anonymous + ' people without a name'));
      items.push(li);
    }
    ui.membersList.replaceChildren(...items);

    const summary = online === 1 ? '1 online' : online + ' online';
    ui.membersSummary.textContent = summary;
    ui.subtitle.textContent = summary;
    ui.subtitle.hidden = false;
    ui.membersBadge.textContent = String(online);
    ui.membersToggle.querySelector('.sr-only').textContent = 'Members, ' + summary;

    if (!state.hasPresence) {
      state.hasPresence = true;
      document.body.classList.add('has-members');
      ui.members.hidden = false;
      ui.membersToggle.hidden = false;
    }
    ui.members.classList.remove('stale');
  }

  function showError (message, code) {
    ui.errorText.textContent = message;
    ui.errorCode.textContent = code || '';
    ui.errorCode.hidden = !code;
    ui.error.hidden = false;
  }

  function hideError () {
    ui.error.hidden = true;
  }

  function handleError (frame) {
    const message = isString(frame.message) && frame.message !== '' ? frame.message : 'The host refused that.';
    const code = isString(frame.code) ? frame.code : '';
    if (isString(frame.cid)) {
      const item = removeFromOutbox(frame.cid);
      /* Give the refused text back so that it can be fixed and sent again. */
      if (item && ui.entry.value.trim() === '') {
        ui.entry.value = item.frame.message;
        autosize();
        updateCounter();
      }
    }
    showError(message, code);
  }

  function handleFrame (data) {
    if (!isString(data))
      return;
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return;
    }
    if (!frame || typeof frame !== 'object' || Array.isArray(frame))
      return;

    if (state.firstFrame) {
      state.firstFrame = false;
      state.attempt = 0;
      /* A Confab host always says welcome first; anything else is a base server. */
      state.extended = frame.type === 'welcome';
      if (!state.extended) {
        state.history = null;
        state.lastId = 0;
      }
    }

    switch (frame.type) {
    case 'welcome':
      handleWelcome(frame);
      break;
    case 'presence':
      handlePresence(frame);
      break;
    case 'error':
      handleError(frame);
      break;
    case 'message':
    case 'system':
      handleEvent(frame);
      break;
    default:
      break; /* rule 2: unknown types are ignored */
    }
  }

  /* ---- connection ---- */

  function socketUrl () {
    const params = new URLSearchParams();
    params.set('protocol', '1');
    const name = currentName();
    if (name)
      params.set('username', name);
    if (state.history && state.lastId > 0) {
      params.set('since', String(state.lastId));
      params.set('history', state.history);
    }
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    return scheme + '//' + window.location.host + '/ws/chat?' + params.toString();
  }

  function statusLabel () {
    switch (state.phase) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return state.everConnected ? 'Reconnecting…' : 'Connecting…';
    case 'waiting': {
      const seconds = Math.max(1, Math.round((state.retryAt - Date.now()) / 1000));
      return 'Reconnecting in ' + seconds + ' s…';
    }
    default:
      return navigator.onLine === false ? 'Offline' : 'Disconnected';
    }
  }

  function updateStatus () {
    ui.statusText.textContent = statusLabel();
  }

  function setPhase (phase) {
    const before = state.phase;
    const entryHadFocus = document.activeElement === ui.entry;
    state.phase = phase;
    document.body.dataset.state = phase;
    ui.status.dataset.state = phase;
    updateStatus();

    const connected = phase === 'connected';
    if (entryHadFocus && !connected)
      state.refocus = true;
    ui.entry.disabled = !connected;
    ui.send.disabled = !connected;
    ui.retry.hidden = !(phase === 'waiting' || phase === 'disconnected');
    ui.members.classList.toggle('stale', !connected);
    updatePendingLabels();

    window.clearInterval(state.countdownTimer);
    state.countdownTimer = 0;
    if (phase === 'waiting')
      state.countdownTimer = window.setInterval(updateStatus, 250);

    if (connected && state.refocus) {
      state.refocus = false;
      ui.entry.focus();
    }
    if (before !== phase) {
      if (connected)
        announce(state.room ? 'Connected to ' + state.room : 'Connected');
      else if (phase === 'waiting' && before === 'connected')
        announce('Connection lost. ' + statusLabel());
      else if (phase === 'disconnected')
        announce('Disconnected');
    }
  }

  function clearRetry () {
    window.clearTimeout(state.retryTimer);
    state.retryTimer = 0;
  }

  function scheduleRetry () {
    clearRetry();
    state.attempt++;
    if (state.attempt > MAX_ATTEMPTS || navigator.onLine === false) {
      setPhase('disconnected');
      return;
    }
    const base = BACKOFF_MS[Math.min(state.attempt - 1, BACKOFF_MS.length - 1)];
    /* A little jitter so that every page of a restarted host does not knock at once. */
    const delay = Math.round(base * (0.9 + Math.random() * 0.2));
    state.retryAt = Date.now() + delay;
    state.retryTimer = window.setTimeout(connect, delay);
    setPhase('waiting');
  }

  function connect () {
    clearRetry();
    if (state.ws)
      return;
    setPhase('connecting');
    let ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch (e) {
      scheduleRetry();
      return;
    }
    state.ws = ws;
    state.firstFrame = true;
    state.backlogPending = false;
    state.backlogRemaining = 0;

    ws.addEventListener('open', () => {
      if (state.ws !== ws)
        return;
      state.everConnected = true;
      setPhase('connected');
    });
    ws.addEventListener('message', (event) => {
      if (state.ws === ws)
        handleFrame(event.data);
    });
    ws.addEventListener('close', () => {
      if (state.ws !== ws)
        return;
      state.ws = null;
      ui.log.removeAttribute('aria-busy');
      scheduleRetry();
    });
  }

  function connectNow () {
    if (state.ws)
      return;
    state.attempt = 0;
    connect();
  }

  /* ---- composing ---- */

  function autosize () {
    const entry = ui.entry;
    entry.style.height = 'auto';
    const max = parseFloat(getComputedStyle(entry).lineHeight) * 8 || 160;
    entry.style.height = Math.min(entry.scrollHeight + 2, max) + 'px';
    entry.style.overflowY = entry.scrollHeight > max ? 'auto' : 'hidden';
  }

  function updateCounter () {
    const limit = state.limits.message;
    const length = codePointLength(ui.entry.value.replace(/\s+$/, ''));
    const left = limit - length;
    if (left > limit * 0.1) {
      ui.counter.hidden = true;
      ui.counter.textContent = '';
      return;
    }
    ui.counter.hidden = false;
    ui.counter.classList.toggle('over', left < 0);
    ui.counter.textContent = left >= 0 ? left + ' left' : -left + ' too many';
  }

  function sendMessage () {
    if (state.phase !== 'connected' || !state.ws || state.ws.readyState !== WebSocket.OPEN)
      return false;
    const text = ui.entry.value;
    if (text.trim() === '')
      return false;
    const trimmed = text.replace(/\s+$/, '');
    if (codePointLength(trimmed) > state.limits.message) {
      showError('A message can be at most ' + state.limits.message + ' characters long.', 'message-too-long');
      return false;
    }

    const frame = { type: 'message', message: trimmed };
    const name = currentName();
    if (name)
      frame.username = name;
    if (state.extended) {
      frame.cid = newCid();
      state.outbox.push({ cid: frame.cid, frame, el: renderPending(trimmed) });
    }
    state.ws.send(JSON.stringify(frame));
    hideError();
    return true;
  }

  function submit () {
    if (sendMessage()) {
      ui.entry.value = '';
      autosize();
      updateCounter();
      scrollToBottom(false);
    }
    ui.entry.focus();
  }

  /* ---- members panel (an overlay on narrow screens) ---- */

  function setMembersOpen (open) {
    document.body.classList.toggle('members-open', open);
    ui.membersToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    ui.backdrop.hidden = !open;
    if (open)
      ui.membersHeading.focus();
  }

  /* ---- wiring ---- */

  function init () {
    state.cidPrefix = storageGet(CLIENT_KEY) || '';
    if (!/^[0-9a-f]{12}$/.test(state.cidPrefix)) {
      state.cidPrefix = randomHex(6);
      storageSet(CLIENT_KEY, state.cidPrefix);
    }

    const saved = storageGet(NAME_KEY);
    if (saved)
      ui.username.value = saved.slice(0, 64);

    ui.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      submit();
    });

    ui.entry.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.altKey &&
          !event.metaKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    ui.entry.addEventListener('input', () => {
      autosize();
      updateCounter();
    });

    ui.username.addEventListener('input', () => storageSet(NAME_KEY, currentName()));
    ui.username.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        if (!ui.entry.disabled)
          ui.entry.focus();
      }
    });

    ui.errorClose.addEventListener('click', () => {
      hideError();
      ui.entry.focus();
    });

    ui.scroller.addEventListener('scroll', () => {
      state.pinned = distanceFromBottom() <= NEAR_BOTTOM_PX;
      if (state.pinned)
        state.unread = 0;
      updateJump();
    }, { passive: true });
    ui.jump.addEventListener('click', () => {
      scrollToBottom(true);
      ui.entry.focus({ preventScroll: true });
    });
    /* The keyboard opening on a phone, or the entry growing, must not hide the newest line. */
    if ('ResizeObserver' in window) {
      new ResizeObserver(() => {
        if (state.pinned)
          ui.scroller.scrollTop = ui.scroller.scrollHeight;
      }).observe(ui.scroller);
    }

    ui.retry.addEventListener('click', connectNow);
    ui.membersToggle.addEventListener('click', () => {
      setMembersOpen(!document.body.classList.contains('members-open'));
    });
    ui.membersClose.addEventListener('click', () => {
      setMembersOpen(false);
      ui.membersToggle.focus();
    });
    ui.backdrop.addEventListener('click', () => setMembersOpen(false));
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && document.body.classList.contains('members-open')) {
        setMembersOpen(false);
        ui.membersToggle.focus();
      }
    });

    window.addEventListener('online', connectNow);
    window.addEventListener('offline', updateStatus);
    document.addEventListener('visibilitychange', () => {
      if (document.hidden)
        return;
      state.hiddenUnread = 0;
      updateTitle();
      /* Phones freeze background tabs: try at once rather than wait out the backoff. */
      if (state.phase === 'waiting' || state.phase === 'disconnected')
        connectNow();
    });

    updateEmpty();
    if (ui.username.value)
      state.refocus = true;
    else
      ui.username.focus();
    connect();
  }

  init();
}());
