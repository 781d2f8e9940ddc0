/* confab-headless.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ConfabHeadlessOptions:
 * @room: the room's name, or %NULL for the default
 * @address: the address to listen on, or %NULL for every interface
 * @port: the port; 0 picks any free port
 * @data_dir: where the history lives, or %NULL for the user's data directory
 * @backlog: how many events a late joiner receives, 0 for the default
 * @publish: whether to announce the room on the LAN
 *
 * What `confab --headless` was asked to do.
 */
typedef struct
{
  const char *room;
  const char *address;
  guint       port;
  const char *data_dir;
  guint       backlog;
  gboolean    publish;
} ConfabHeadlessOptions;

int   confab_headless_run              (const ConfabHeadlessOptions *options);
char *confab_default_history_path      (const char                  *data_dir,
                                        const char                  *room,
                                        GError                     **error);

G_END_DECLS
