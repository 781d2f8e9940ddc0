/* confab-metered-stream.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Streams that share one flush per main-loop iteration. */
typedef struct _ConfabFlushGroup ConfabFlushGroup;

ConfabFlushGroup *confab_flush_group_new   (GMainContext     *context);
ConfabFlushGroup *confab_flush_group_ref   (ConfabFlushGroup *group);
void              confab_flush_group_unref (ConfabFlushGroup *group);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabFlushGroup, confab_flush_group_unref)

#define CONFAB_TYPE_METERED_STREAM (confab_metered_stream_get_type ())

G_DECLARE_FINAL_TYPE (ConfabMeteredStream, confab_metered_stream, CONFAB, METERED_STREAM, GIOStream)

GIOStream *confab_metered_stream_new               (GIOStream           *base,
                                                    ConfabFlushGroup    *group);
GIOStream *confab_metered_stream_get_base          (ConfabMeteredStream *self);
void       confab_metered_stream_queue             (ConfabMeteredStream *self,
                                                    GBytes              *bytes);
gsize      confab_metered_stream_get_pending       (ConfabMeteredStream *self);
guint64    confab_metered_stream_get_bytes_written (ConfabMeteredStream *self);
gboolean   confab_metered_stream_get_failed        (ConfabMeteredStream *self);
void       confab_metered_stream_set_read_limit    (ConfabMeteredStream *self,
                                                    guint64              limit);
void       confab_metered_stream_mark_read         (ConfabMeteredStream *self);

GBytes    *confab_websocket_text_frame             (const void          *payload,
                                                    gsize                length);

G_END_DECLS
