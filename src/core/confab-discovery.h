/* confab-discovery.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The DNS-SD service type a hosting Confab announces, and the TXT keys it sets. */
#define CONFAB_DISCOVERY_SERVICE_TYPE "_confab._tcp"
#define CONFAB_DISCOVERY_TXT_PROTOCOL "protocol"
#define CONFAB_DISCOVERY_TXT_PATH     "path"
#define CONFAB_DISCOVERY_TXT_ROOM     "room"

/* What a host announces as its WebSocket path and protocol version (docs/protocol.md). */
#define CONFAB_DISCOVERY_DEFAULT_PATH "/ws/chat"
#define CONFAB_DISCOVERY_PROTOCOL     1

#define CONFAB_DISCOVERY_ERROR (confab_discovery_error_quark ())

/**
 * ConfabDiscoveryError:
 * @CONFAB_DISCOVERY_ERROR_FAILED: Avahi reported an error not listed here; the message is
 *   Avahi's own description of it.
 * @CONFAB_DISCOVERY_ERROR_DAEMON_MISSING: the Avahi daemon (or the system D-Bus it is
 *   reached through) is not running. Publishers and browsers recover by themselves when
 *   it starts.
 * @CONFAB_DISCOVERY_ERROR_NOT_PERMITTED: the system's D-Bus policy does not let us talk
 *   to Avahi.
 * @CONFAB_DISCOVERY_ERROR_INVALID_NAME: the room name cannot be used as a DNS-SD
 *   instance name (for instance, it is empty).
 * @CONFAB_DISCOVERY_ERROR_COLLISION: the name stayed taken after many alternative names
 *   were tried.
 *
 * Error codes of the %CONFAB_DISCOVERY_ERROR domain, used by #ConfabPublisher and
 * #ConfabBrowser.
 */
typedef enum
{
  CONFAB_DISCOVERY_ERROR_FAILED,
  CONFAB_DISCOVERY_ERROR_DAEMON_MISSING,
  CONFAB_DISCOVERY_ERROR_NOT_PERMITTED,
  CONFAB_DISCOVERY_ERROR_INVALID_NAME,
  CONFAB_DISCOVERY_ERROR_COLLISION,
} ConfabDiscoveryError;

GQuark  confab_discovery_error_quark           (void);

/* Wraps an Avahi error code (AVAHI_ERR_*) in a GError of the CONFAB_DISCOVERY_ERROR
 * domain, with Avahi's own description as the message. For the discovery objects. */
GError *confab_discovery_error_new_from_avahi  (int avahi_error);

G_END_DECLS
