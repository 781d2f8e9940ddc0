/* confab-room.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_ROOM (confab_room_get_type ())

G_DECLARE_FINAL_TYPE (ConfabRoom, confab_room, CONFAB, ROOM, GObject)

/* A room found on the network: one DNS-SD service of type _confab._tcp. Rooms are
 * immutable; when what is known about a room changes, ConfabBrowser replaces its item. */
ConfabRoom         *confab_room_new           (const char         *name,
                                               const char         *room,
                                               const char         *host,
                                               const char * const *addresses,
                                               guint               port,
                                               const char         *path,
                                               guint               protocol,
                                               gboolean            local);
const char         *confab_room_get_name      (ConfabRoom         *self);
const char         *confab_room_get_room      (ConfabRoom         *self);
const char         *confab_room_get_host      (ConfabRoom         *self);
const char         *confab_room_get_address   (ConfabRoom         *self);
const char * const *confab_room_get_addresses (ConfabRoom         *self);
guint               confab_room_get_port      (ConfabRoom         *self);
const char         *confab_room_get_path      (ConfabRoom         *self);
guint               confab_room_get_protocol  (ConfabRoom         *self);
gboolean            confab_room_get_local     (ConfabRoom         *self);
char               *confab_room_dup_url       (ConfabRoom         *self);
gboolean            confab_room_equal         (ConfabRoom         *self,
                                               ConfabRoom         *other);

G_END_DECLS
