/* confab-ui-utils.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-ui-utils"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "confab-ui-utils.h"

/**
 * confab_text_is_blank:
 * @text: (nullable): some text
 *
 * Returns: whether @text is %NULL, empty or only white space: nothing worth sending
 */
gboolean
confab_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

/**
 * confab_dup_short_address:
 * @url: a room's ws:// URL
 *
 * Returns: (transfer full): "host:port", the way people type an address to join, or @url
 *   itself when it cannot be parsed
 */
char *
confab_dup_short_address (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;
  int port;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
    return g_strdup (url);

  port = g_uri_get_port (uri);

  if (strchr (host, ':') != NULL)
    return port < 0 ? g_strdup_printf ("[%s]", host) : g_strdup_printf ("[%s]:%d", host, port);

  return port < 0 ? g_strdup (host) : g_strdup_printf ("%s:%d", host, port);
}

/**
 * confab_dup_web_address:
 * @url: a hosted room's ws:// URL
 *
 * Returns: (transfer full) (nullable): the address of the web page the host serves next to
 *   the WebSocket, for people without Confab
 */
char *
confab_dup_web_address (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) web = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  web = g_uri_build (G_URI_FLAGS_NONE, "http", NULL,
                     g_uri_get_host (uri), g_uri_get_port (uri),
                     "/", NULL, NULL);

  return g_uri_to_string (web);
}

/**
 * confab_dup_first_name:
 *
 * Returns: (transfer full) (nullable): the person's first name, if the system knows it
 */
char *
confab_dup_first_name (void)
{
  const char *real_name = g_get_real_name ();
  const char *space;

  if (real_name == NULL || *real_name == '\0' || g_str_equal (real_name, "Unknown"))
    return NULL;

  space = strchr (real_name, ' ');

  return g_strndup (real_name, space ? (gsize) (space - real_name) : strlen (real_name));
}
