/* confab-browser.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ConfabBrowserState:
 * @CONFAB_BROWSER_STATE_IDLE: not started, or stopped; the list is empty.
 * @CONFAB_BROWSER_STATE_STARTING: connecting to Avahi.
 * @CONFAB_BROWSER_STATE_RUNNING: looking for rooms; the list follows the network.
 * @CONFAB_BROWSER_STATE_DAEMON_MISSING: Avahi is not running, the list is empty; the
 *   browser starts looking as soon as Avahi starts. Joining by address still works.
 * @CONFAB_BROWSER_STATE_FAILED: Avahi refused to browse; see
 *   #ConfabBrowser:error-message. Calling confab_browser_start() again retries.
 */
typedef enum
{
  CONFAB_BROWSER_STATE_IDLE,
  CONFAB_BROWSER_STATE_STARTING,
  CONFAB_BROWSER_STATE_RUNNING,
  CONFAB_BROWSER_STATE_DAEMON_MISSING,
  CONFAB_BROWSER_STATE_FAILED,
} ConfabBrowserState;

#define CONFAB_TYPE_BROWSER (confab_browser_get_type ())

/* A GListModel of ConfabRoom: the rooms announced on the network, sorted by name. */
G_DECLARE_FINAL_TYPE (ConfabBrowser, confab_browser, CONFAB, BROWSER, GObject)

ConfabBrowser      *confab_browser_new               (void);
void                confab_browser_start             (ConfabBrowser *self);
void                confab_browser_stop              (ConfabBrowser *self);
ConfabBrowserState  confab_browser_get_state         (ConfabBrowser *self);
const char         *confab_browser_get_error_message (ConfabBrowser *self);
const GError       *confab_browser_get_error         (ConfabBrowser *self);

G_END_DECLS
