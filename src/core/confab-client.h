/* confab-client.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "confab-types.h"

G_BEGIN_DECLS

/**
 * ConfabClientState:
 * @CONFAB_CLIENT_STATE_DISCONNECTED: not connected, and not trying
 * @CONFAB_CLIENT_STATE_CONNECTING: the first attempt is under way
 * @CONFAB_CLIENT_STATE_CONNECTED: connected; messages can be sent
 * @CONFAB_CLIENT_STATE_RECONNECTING: the connection dropped; waiting to try again or trying
 */
typedef enum
{
  CONFAB_CLIENT_STATE_DISCONNECTED,
  CONFAB_CLIENT_STATE_CONNECTING,
  CONFAB_CLIENT_STATE_CONNECTED,
  CONFAB_CLIENT_STATE_RECONNECTING,
} ConfabClientState;

#define CONFAB_CLIENT_ERROR (confab_client_error_quark ())

/**
 * ConfabClientError:
 * @CONFAB_CLIENT_ERROR_INVALID_ADDRESS: the address is not `host`, `host:port` or a ws:// URL
 */
typedef enum
{
  CONFAB_CLIENT_ERROR_INVALID_ADDRESS,
} ConfabClientError;

#define CONFAB_TYPE_CLIENT (confab_client_get_type ())

G_DECLARE_FINAL_TYPE (ConfabClient, confab_client, CONFAB, CLIENT, GObject)

GQuark             confab_client_error_quark         (void);
char              *confab_client_normalize_address   (const char   *address,
                                                      GError      **error);
ConfabClient      *confab_client_new                 (const char   *url);
const char        *confab_client_get_url             (ConfabClient *self);
void               confab_client_connect             (ConfabClient *self);
void               confab_client_disconnect          (ConfabClient *self);
gboolean           confab_client_send                (ConfabClient *self,
                                                      const char   *text);
ConfabClientState  confab_client_get_state           (ConfabClient *self);
const char        *confab_client_get_status_reason   (ConfabClient *self);
gint64             confab_client_get_retry_at        (ConfabClient *self);
const char        *confab_client_get_username        (ConfabClient *self);
void               confab_client_set_username        (ConfabClient *self,
                                                      const char   *username);
const char        *confab_client_get_room_name       (ConfabClient *self);
gboolean           confab_client_get_extended        (ConfabClient *self);
GListModel        *confab_client_get_messages        (ConfabClient *self);
const char * const *confab_client_get_members        (ConfabClient *self);
guint              confab_client_get_n_online        (ConfabClient *self);
guint              confab_client_get_reconnect_delay (ConfabClient *self);
void               confab_client_set_reconnect_delay (ConfabClient *self,
                                                      guint         initial_ms);
guint              confab_client_get_max_retries     (ConfabClient *self);
void               confab_client_set_max_retries     (ConfabClient *self,
                                                      guint         max_retries);

G_END_DECLS
