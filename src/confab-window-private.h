/* confab-window-private.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "confab-window.h"

G_BEGIN_DECLS

/* The widgets a person uses, for tests that drive the window as a person would. */
typedef struct
{
  GtkListView *list_view;
  GtkEntry    *message_entry;
  GtkEntry    *username_entry;
  GtkWidget   *send_button;
  GtkLabel    *title_label;
  GtkLabel    *subtitle_label;
  GtkRevealer *banner_revealer;
  GtkLabel    *banner_label;
  GtkRevealer *jump_revealer;
  GtkListBox  *members_list;
  GtkListBox  *invite_list;
  GtkLabel    *announce_label;
} ConfabWindowWidgets;

void _confab_window_get_widgets (ConfabWindow        *self,
                                 ConfabWindowWidgets *widgets);

G_END_DECLS
