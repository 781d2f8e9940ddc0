/* confab-ui-test-utils.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "confab-window.h"

G_BEGIN_DECLS

char *confab_ui_test_init (int    *argc,
                           char ***argv);
int   confab_ui_test_run  (char   *data_home);

ConfabWindow  *confab_ui_test_find_chat_window   (void);
void           confab_ui_test_close_chat_windows (void);
guint          confab_ui_test_count_rows         (GtkListBox *list);
GtkListBoxRow *confab_ui_test_find_row           (GtkListBox *list,
                                                  const char *title);

G_END_DECLS
