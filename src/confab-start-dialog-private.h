/* confab-start-dialog-private.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "confab-start-dialog.h"

G_BEGIN_DECLS

/* The widgets a person uses, for tests that drive the dialog as a person would. */
typedef struct
{
  AdwViewStack  *stack;
  AdwEntryRow   *room_row;
  AdwEntryRow   *host_name_row;
  GtkSpinButton *port_spin;
  GtkLabel      *host_error_label;
  AdwEntryRow   *address_row;
  AdwEntryRow   *join_name_row;
  GtkLabel      *join_error_label;
  GtkListBox    *lan_list;
  GtkLabel      *lan_status_label;
  GtkListBox    *recent_list;
} ConfabStartDialogWidgets;

void _confab_start_dialog_get_widgets (ConfabStartDialog        *self,
                                       ConfabStartDialogWidgets *widgets);

G_END_DECLS
