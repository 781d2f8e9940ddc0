/* confab-history.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "confab-types.h"
#include "confab-message.h"

G_BEGIN_DECLS

#define CONFAB_HISTORY_ERROR (confab_history_error_quark ())

/**
 * ConfabHistoryError:
 * @CONFAB_HISTORY_ERROR_OPEN: the database could not be opened or created
 * @CONFAB_HISTORY_ERROR_CORRUPT: the database is not a Confab history
 * @CONFAB_HISTORY_ERROR_WRITE: writing failed (disk full, read-only, ...)
 */
typedef enum
{
  CONFAB_HISTORY_ERROR_OPEN,
  CONFAB_HISTORY_ERROR_CORRUPT,
  CONFAB_HISTORY_ERROR_WRITE,
} ConfabHistoryError;

#define CONFAB_TYPE_HISTORY (confab_history_get_type ())

G_DECLARE_FINAL_TYPE (ConfabHistory, confab_history, CONFAB, HISTORY, GObject)

GQuark         confab_history_error_quark (void);
ConfabHistory *confab_history_new          (const char     *path,
                                            GError        **error);
const char    *confab_history_get_id       (ConfabHistory  *self);
const char    *confab_history_get_path     (ConfabHistory  *self);
gint64         confab_history_get_last_id  (ConfabHistory  *self);
gint64         confab_history_get_count    (ConfabHistory  *self);
guint          confab_history_get_capacity (ConfabHistory  *self);
void           confab_history_set_capacity (ConfabHistory  *self,
                                            guint           capacity);
gint64         confab_history_append       (ConfabHistory  *self,
                                            ConfabMessage  *message);
ConfabMessage *confab_history_lookup_cid   (ConfabHistory  *self,
                                            const char     *cid);
GPtrArray     *confab_history_get_backlog  (ConfabHistory  *self,
                                            gint64          after_id,
                                            guint           limit,
                                            gboolean       *gap);
gboolean       confab_history_flush        (ConfabHistory  *self,
                                            GError        **error);

G_END_DECLS
