/* confab-ui-test-utils.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *confab_ui_test_init (int    *argc,
                           char ***argv);
int   confab_ui_test_run  (char   *data_home);

G_END_DECLS
