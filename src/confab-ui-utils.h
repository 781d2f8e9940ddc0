/* confab-ui-utils.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  confab_text_is_blank        (const char *text);
char     *confab_dup_short_address    (const char *url);
char     *confab_dup_web_address      (const char *url);
char     *confab_dup_first_name       (void);

G_END_DECLS
