/* confab-types.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _ConfabClient        ConfabClient;
typedef struct _ConfabHistory       ConfabHistory;
typedef struct _ConfabMessage       ConfabMessage;
typedef struct _ConfabServer        ConfabServer;

G_END_DECLS
