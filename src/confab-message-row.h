/* confab-message-row.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "confab-message.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_MESSAGE_ROW (confab_message_row_get_type ())

G_DECLARE_FINAL_TYPE (ConfabMessageRow, confab_message_row, CONFAB, MESSAGE_ROW, GtkWidget)

GtkWidget     *confab_message_row_new          (void);
ConfabMessage *confab_message_row_get_item     (ConfabMessageRow *self);
void           confab_message_row_set_item     (ConfabMessageRow *self,
                                                ConfabMessage    *item);
const char    *confab_message_row_get_shown_name (ConfabMessageRow *self);
const char    *confab_message_row_get_shown_text (ConfabMessageRow *self);

G_END_DECLS
