/* confab-publisher.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ConfabPublisherState:
 * @CONFAB_PUBLISHER_STATE_IDLE: not started, or stopped: nothing is announced.
 * @CONFAB_PUBLISHER_STATE_REGISTERING: the announcement is being registered (this
 *   includes probing for a free name and re-registering under an alternative name).
 * @CONFAB_PUBLISHER_STATE_PUBLISHED: the room is announced as
 *   #ConfabPublisher:published-name.
 * @CONFAB_PUBLISHER_STATE_DAEMON_MISSING: Avahi is not running; the room will be
 *   announced as soon as it starts. Joining by address still works.
 * @CONFAB_PUBLISHER_STATE_FAILED: Avahi refused the announcement; see
 *   #ConfabPublisher:error-message. Calling confab_publisher_start() again retries.
 */
typedef enum
{
  CONFAB_PUBLISHER_STATE_IDLE,
  CONFAB_PUBLISHER_STATE_REGISTERING,
  CONFAB_PUBLISHER_STATE_PUBLISHED,
  CONFAB_PUBLISHER_STATE_DAEMON_MISSING,
  CONFAB_PUBLISHER_STATE_FAILED,
} ConfabPublisherState;

#define CONFAB_TYPE_PUBLISHER (confab_publisher_get_type ())

G_DECLARE_FINAL_TYPE (ConfabPublisher, confab_publisher, CONFAB, PUBLISHER, GObject)

ConfabPublisher      *confab_publisher_new                (const char      *room_name,
                                                           guint            port);
void                  confab_publisher_start              (ConfabPublisher *self);
void                  confab_publisher_stop               (ConfabPublisher *self);
ConfabPublisherState  confab_publisher_get_state          (ConfabPublisher *self);
const char           *confab_publisher_get_room_name      (ConfabPublisher *self);
void                  confab_publisher_set_room_name      (ConfabPublisher *self,
                                                           const char      *room_name);
guint                 confab_publisher_get_port           (ConfabPublisher *self);
void                  confab_publisher_set_port           (ConfabPublisher *self,
                                                           guint            port);
const char           *confab_publisher_get_published_name (ConfabPublisher *self);
const char           *confab_publisher_get_error_message  (ConfabPublisher *self);
const GError         *confab_publisher_get_error          (ConfabPublisher *self);

G_END_DECLS
