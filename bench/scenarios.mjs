// scenarios.mjs
//
// Copyright 2026 The Confab authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The benchmark's scenarios, shared by loadgen.mjs and compare.mjs. Each is a set of defaults
// that loadgen options may override; `quick` holds the tiny variant used by `compare --quick`
// and by the `bench-quick` meson test.

const n = (value) => value.toLocaleString('en-US');

export const SCENARIOS = {
  fanout: {
    kind: 'messages',
    title: (p) => `fan-out: ${p.clients} clients, 1 sender x ${n(p.messages)} messages of ${p.size} bytes`,
    clients: 100, senders: 1, messages: 2000, size: 100, window: 16,
    quick: { clients: 10, messages: 200 },
  },
  chatty: {
    kind: 'messages',
    title: (p) => `chatty room: ${p.clients} clients, ${p.senders} senders x ${n(p.messages)} messages`,
    clients: 50, senders: 10, messages: 500, size: 100, window: 8,
    quick: { clients: 10, senders: 3, messages: 100 },
  },
  churn: {
    kind: 'messages',
    title: (p) => `churn: ${p.clients} clients, 1 sender x ${n(p.messages)} messages; ${p.churners} ` +
                  `receivers drop ${p.drops} times each without a close frame and rejoin`,
    clients: 100, senders: 1, messages: 2000, size: 100, window: 16,
    churners: 30, drops: 2, reconnectMs: 20, dropMode: 'mix',
    quick: { clients: 20, messages: 400, churners: 5 },
  },
  idle1k: {
    kind: 'idle',
    title: (p) => `${n(p.clients)} idle connections`,
    clients: 1000, connectBudgetMs: 30000, settleBudgetMs: 20000,
    quick: { clients: 100, connectBudgetMs: 10000, settleBudgetMs: 10000 },
  },
  idle10k: {
    kind: 'idle',
    title: (p) => `${n(p.clients)} idle connections (within a ${p.connectBudgetMs / 1000} s connect budget)`,
    clients: 10000, connectBudgetMs: 20000, settleBudgetMs: 10000,
    quick: null,   /* not part of --quick */
  },
  history: {
    kind: 'history',
    title: (p) => `a client joins a room whose history holds ${n(p.fill)} messages`,
    fill: 100000, size: 100, window: 256, joins: 10, fillBudgetMs: 180000,
    needsHistory: true,
    quick: { fill: 1000, joins: 3, fillBudgetMs: 20000 },
  },
};

export const SCENARIO_NAMES = Object.keys(SCENARIOS);

export const QUICK_NAMES = SCENARIO_NAMES.filter((name) => SCENARIOS[name].quick !== null);

/* The parameters of @name, with the quick variant applied if @quick, then @overrides. */
export function scenarioParams (name, quick = false, overrides = {}) {
  const base = SCENARIOS[name];
  if (base === undefined)
    throw new Error(`unknown scenario "${name}" (known: ${SCENARIO_NAMES.join(', ')})`);
  const { quick: quickParams, title, ...params } = base;
  const result = { name, ...params, ...(quick ? quickParams ?? {} : {}), ...overrides };
  result.title = title(result);
  return result;
}
