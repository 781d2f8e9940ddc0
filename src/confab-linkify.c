/* confab-linkify.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-linkify"

#include "config.h"

#include <string.h>

#include "confab-linkify.h"

/* Text from the network is never markup: everything is escaped, and the only markup added is
 * ours, an <a> around each web address, whose target is escaped as well.
 */

static GRegex *
get_url_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      GRegex *compiled = g_regex_new ("\\bhttps?://[^\\s<>\"]+",
                                      G_REGEX_CASELESS | G_REGEX_OPTIMIZE,
                                      0, NULL);
      g_once_init_leave (&regex, compiled);
    }

  return regex;
}

static guint
count_char (const char *text,
            gsize       len,
            char        c)
{
  guint n = 0;

  for (gsize i = 0; i < len; i++)
    n += text[i] == c;

  return n;
}

/* Sentence punctuation right after an address belongs to the sentence, and so does a closing
 * parenthesis that the address did not open.
 */
static gsize
trim_url_end (const char *url,
              gsize       len)
{
  while (len > 0)
    {
      char last = url[len - 1];

      if (strchr (".,;:!?'", last) != NULL)
        len--;
      else if (last == ')' && count_char (url, len, ')') > count_char (url, len, '('))
        len--;
      else
        break;
    }

  return len;
}

static void
append_escaped (GString    *markup,
                const char *text,
                gssize      len)
{
  g_autofree char *escaped = g_markup_escape_text (text, len);

  g_string_append (markup, escaped);
}

/**
 * confab_linkify_markup:
 * @text: plain text, as received
 *
 * Builds Pango markup that shows @text literally, with each http:// or https:// address
 * turned into a link.
 *
 * Returns: (transfer full) (nullable): the markup, or %NULL when @text holds no address and
 *   should be shown as plain text
 */
char *
confab_linkify_markup (const char *text)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) markup = NULL;
  gsize done = 0;
  gboolean found = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_regex_match (get_url_regex (), text, 0, &match))
    return NULL;

  markup = g_string_new (NULL);

  while (g_match_info_matches (match))
    {
      int start;
      int end;
      gsize scheme_len;
      gsize len;

      g_match_info_fetch_pos (match, 0, &start, &end);
      len = trim_url_end (text + start, end - start);
      scheme_len = strstr (text + start, "://") - (text + start) + 3;

      /* Only an address with something after the scheme is a link. */
      if (len > scheme_len)
        {
          g_autofree char *href = g_markup_escape_text (text + start, len);

          append_escaped (markup, text + done, start - done);
          g_string_append_printf (markup, "<a href=\"%s\">%s</a>", href, href);
          done = start + len;
          found = TRUE;
        }

      g_match_info_next (match, NULL);
    }

  if (!found)
    return NULL;

  append_escaped (markup, text + done, -1);

  return g_string_free (g_steal_pointer (&markup), FALSE);
}
