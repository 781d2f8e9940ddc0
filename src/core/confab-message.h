/* confab-message.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "confab-types.h"

G_BEGIN_DECLS

/**
 * ConfabMessageKind:
 * @CONFAB_MESSAGE_KIND_CHAT: something a person wrote
 * @CONFAB_MESSAGE_KIND_SYSTEM: something the room says (joins, leaves, renames)
 */
typedef enum
{
  CONFAB_MESSAGE_KIND_CHAT,
  CONFAB_MESSAGE_KIND_SYSTEM,
} ConfabMessageKind;

/**
 * ConfabSystemEvent:
 * @CONFAB_SYSTEM_EVENT_NONE: not a system event, or one this version does not know
 * @CONFAB_SYSTEM_EVENT_JOIN: someone joined
 * @CONFAB_SYSTEM_EVENT_LEAVE: someone left
 * @CONFAB_SYSTEM_EVENT_RENAME: someone changed their name
 */
typedef enum
{
  CONFAB_SYSTEM_EVENT_NONE,
  CONFAB_SYSTEM_EVENT_JOIN,
  CONFAB_SYSTEM_EVENT_LEAVE,
  CONFAB_SYSTEM_EVENT_RENAME,
} ConfabSystemEvent;

#define CONFAB_TYPE_MESSAGE (confab_message_get_type ())

G_DECLARE_FINAL_TYPE (ConfabMessage, confab_message, CONFAB, MESSAGE, GObject)

ConfabMessage     *confab_message_new_chat      (const char        *username,
                                                 const char        *text,
                                                 GDateTime         *timestamp);
ConfabMessage     *confab_message_new_system    (ConfabSystemEvent  event,
                                                 const char        *username,
                                                 const char        *previous,
                                                 const char        *text,
                                                 GDateTime         *timestamp);
ConfabMessageKind  confab_message_get_kind      (ConfabMessage     *self);
ConfabSystemEvent  confab_message_get_event     (ConfabMessage     *self);
gint64             confab_message_get_id        (ConfabMessage     *self);
void               confab_message_set_id        (ConfabMessage     *self,
                                                 gint64             id);
const char        *confab_message_get_username  (ConfabMessage     *self);
const char        *confab_message_get_previous  (ConfabMessage     *self);
const char        *confab_message_get_text      (ConfabMessage     *self);
GDateTime         *confab_message_get_timestamp (ConfabMessage     *self);
const char        *confab_message_get_cid       (ConfabMessage     *self);
void               confab_message_set_cid       (ConfabMessage     *self,
                                                 const char        *cid);
gboolean           confab_message_get_backlog   (ConfabMessage     *self);
void               confab_message_set_backlog   (ConfabMessage     *self,
                                                 gboolean           backlog);
gboolean           confab_message_get_own       (ConfabMessage     *self);
void               confab_message_set_own       (ConfabMessage     *self,
                                                 gboolean           own);
gboolean           confab_message_is_system     (ConfabMessage     *self);
guint              confab_message_get_count     (ConfabMessage     *self);
const char * const *confab_message_get_usernames (ConfabMessage    *self);
void               confab_message_set_group     (ConfabMessage     *self,
                                                 guint              count,
                                                 const char * const *usernames);
char              *confab_message_format_time   (ConfabMessage     *self);

G_END_DECLS
