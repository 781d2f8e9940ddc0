/* confab-discovery.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-discovery"

#include "config.h"

#include <avahi-common/error.h>

#include "confab-discovery.h"

G_DEFINE_QUARK (confab-discovery-error-quark, confab_discovery_error)

GError *
confab_discovery_error_new_from_avahi (int avahi_error)
{
  ConfabDiscoveryError code;

  switch (avahi_error)
    {
    case AVAHI_ERR_NO_DAEMON:
    case AVAHI_ERR_DISCONNECTED:
    case AVAHI_ERR_DBUS_ERROR:
      code = CONFAB_DISCOVERY_ERROR_DAEMON_MISSING;
      break;

    case AVAHI_ERR_ACCESS_DENIED:
    case AVAHI_ERR_NOT_PERMITTED:
      code = CONFAB_DISCOVERY_ERROR_NOT_PERMITTED;
      break;

    case AVAHI_ERR_INVALID_SERVICE_NAME:
      code = CONFAB_DISCOVERY_ERROR_INVALID_NAME;
      break;

    case AVAHI_ERR_COLLISION:
      code = CONFAB_DISCOVERY_ERROR_COLLISION;
      break;

    default:
      code = CONFAB_DISCOVERY_ERROR_FAILED;
      break;
    }

  /* avahi_strerror() returns Avahi's own (translated) description. */
  return g_error_new_literal (CONFAB_DISCOVERY_ERROR, code, avahi_strerror (avahi_error));
}
