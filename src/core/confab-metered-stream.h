/* confab-metered-stream.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_METERED_STREAM (confab_metered_stream_get_type ())

G_DECLARE_FINAL_TYPE (ConfabMeteredStream, confab_metered_stream, CONFAB, METERED_STREAM, GIOStream)

GIOStream *confab_metered_stream_new               (GIOStream           *base);
GIOStream *confab_metered_stream_get_base          (ConfabMeteredStream *self);
guint64    confab_metered_stream_get_bytes_written (ConfabMeteredStream *self);

G_END_DECLS
