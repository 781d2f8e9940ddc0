/* confab-start-dialog.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_START_DIALOG (confab_start_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ConfabStartDialog, confab_start_dialog, CONFAB, START_DIALOG, AdwApplicationWindow)

ConfabStartDialog *confab_start_dialog_new          (GtkApplication    *application);
GListModel        *confab_start_dialog_get_rooms    (ConfabStartDialog *self);
void               confab_start_dialog_set_rooms    (ConfabStartDialog *self,
                                                     GListModel        *rooms);
void               confab_start_dialog_show_page    (ConfabStartDialog *self,
                                                     const char        *page);

G_END_DECLS
