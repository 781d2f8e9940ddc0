/* confab-window.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "confab-client.h"
#include "confab-server.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_WINDOW (confab_window_get_type ())

G_DECLARE_FINAL_TYPE (ConfabWindow, confab_window, CONFAB, WINDOW, AdwApplicationWindow)

ConfabWindow *confab_window_new         (GtkApplication *application,
                                         ConfabClient   *client,
                                         ConfabServer   *server);
ConfabWindow *confab_window_new_hosting (GtkApplication *application,
                                         const char     *room_name,
                                         guint           port,
                                         GError        **error);
ConfabWindow *confab_window_new_joining (GtkApplication *application,
                                         const char     *address,
                                         GError        **error);
ConfabClient *confab_window_get_client  (ConfabWindow   *self);
ConfabServer *confab_window_get_server  (ConfabWindow   *self);
gboolean      confab_window_get_show_members (ConfabWindow *self);
void          confab_window_set_show_members (ConfabWindow *self,
                                              gboolean      show_members);

G_END_DECLS
