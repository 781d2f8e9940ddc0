/* confab-server.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "confab-types.h"
#include "confab-history.h"

G_BEGIN_DECLS

#define CONFAB_SERVER_ERROR (confab_server_error_quark ())

/**
 * ConfabServerError:
 * @CONFAB_SERVER_ERROR_ADDRESS_IN_USE: the port is taken by another program
 * @CONFAB_SERVER_ERROR_INVALID_ADDRESS: the address to listen on cannot be parsed
 * @CONFAB_SERVER_ERROR_FAILED: listening failed for another reason
 */
typedef enum
{
  CONFAB_SERVER_ERROR_ADDRESS_IN_USE,
  CONFAB_SERVER_ERROR_INVALID_ADDRESS,
  CONFAB_SERVER_ERROR_FAILED,
} ConfabServerError;

#define CONFAB_SERVER_DEFAULT_PORT 8000
#define CONFAB_SERVER_DEFAULT_BACKLOG 200
#define CONFAB_SERVER_DEFAULT_MAX_PENDING_BYTES (1024 * 1024)
#define CONFAB_SERVER_DEFAULT_KEEPALIVE_SECONDS 30

#define CONFAB_TYPE_SERVER (confab_server_get_type ())

G_DECLARE_FINAL_TYPE (ConfabServer, confab_server, CONFAB, SERVER, GObject)

GQuark         confab_server_error_quark          (void);
ConfabServer  *confab_server_new                  (const char    *room_name,
                                                   ConfabHistory *history);
gboolean       confab_server_listen               (ConfabServer  *self,
                                                   const char    *address,
                                                   guint          port,
                                                   GError       **error);
void           confab_server_stop                 (ConfabServer  *self);
gboolean       confab_server_get_listening        (ConfabServer  *self);
guint          confab_server_get_port             (ConfabServer  *self);
char          *confab_server_dup_url              (ConfabServer  *self,
                                                   const char    *host);
GStrv          confab_server_dup_lan_urls         (ConfabServer  *self);
const char    *confab_server_get_room_name        (ConfabServer  *self);
guint          confab_server_get_n_clients        (ConfabServer  *self);
ConfabHistory *confab_server_get_history          (ConfabServer  *self);
guint          confab_server_get_backlog_size     (ConfabServer  *self);
void           confab_server_set_backlog_size     (ConfabServer  *self,
                                                   guint          backlog_size);
gsize          confab_server_get_max_pending_bytes (ConfabServer *self);
void           confab_server_set_max_pending_bytes (ConfabServer *self,
                                                    gsize         max_pending_bytes);
guint          confab_server_get_keepalive_interval (ConfabServer *self);
void           confab_server_set_keepalive_interval (ConfabServer *self,
                                                     guint         seconds);

G_END_DECLS
