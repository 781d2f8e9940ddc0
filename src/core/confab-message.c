/* confab-message.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-message"

#include "config.h"

#include "confab-enums.h"
#include "confab-message.h"

/* One event of a room: what someone wrote, or what the room says. The server assigns ids;
 * a message that has not been through a Confab server has id 0. */
struct _ConfabMessage
{
  GObject            parent_instance;

  ConfabMessageKind  kind;
  ConfabSystemEvent  event;
  gint64             id;
  char              *username;
  char              *previous;
  char              *text;
  GDateTime         *timestamp;
  char              *cid;
  /* A join or leave of several people at once: how many, and the names known. */
  guint              count;
  char             **usernames;
  guint              backlog : 1;
  guint              own : 1;
};

G_DEFINE_FINAL_TYPE (ConfabMessage, confab_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_EVENT,
  PROP_ID,
  PROP_USERNAME,
  PROP_PREVIOUS,
  PROP_TEXT,
  PROP_TIMESTAMP,
  PROP_CID,
  PROP_BACKLOG,
  PROP_OWN,
  PROP_IS_SYSTEM,
  PROP_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
confab_message_finalize (GObject *object)
{
  ConfabMessage *self = (ConfabMessage *)object;

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->previous, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->timestamp, g_date_time_unref);
  g_clear_pointer (&self->cid, g_free);
  g_clear_pointer (&self->usernames, g_strfreev);

  G_OBJECT_CLASS (confab_message_parent_class)->finalize (object);
}

static void
confab_message_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ConfabMessage *self = CONFAB_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_EVENT:
      g_value_set_enum (value, self->event);
      break;

    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_PREVIOUS:
      g_value_set_string (value, self->previous);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_TIMESTAMP:
      g_value_set_boxed (value, self->timestamp);
      break;

    case PROP_CID:
      g_value_set_string (value, self->cid);
      break;

    case PROP_BACKLOG:
      g_value_set_boolean (value, self->backlog);
      break;

    case PROP_OWN:
      g_value_set_boolean (value, self->own);
      break;

    case PROP_IS_SYSTEM:
      g_value_set_boolean (value, confab_message_is_system (self));
      break;

    case PROP_TIME:
      g_value_take_string (value, confab_message_format_time (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_message_class_init (ConfabMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = confab_message_finalize;
  object_class->get_property = confab_message_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       CONFAB_TYPE_MESSAGE_KIND, CONFAB_MESSAGE_KIND_CHAT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENT] =
    g_param_spec_enum ("event", NULL, NULL,
                       CONFAB_TYPE_SYSTEM_EVENT, CONFAB_SYSTEM_EVENT_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREVIOUS] =
    g_param_spec_string ("previous", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMESTAMP] =
    g_param_spec_boxed ("timestamp", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CID] =
    g_param_spec_string ("cid", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKLOG] =
    g_param_spec_boolean ("backlog", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWN] =
    g_param_spec_boolean ("own", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_SYSTEM] =
    g_param_spec_boolean ("is-system", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME] =
    g_param_spec_string ("time", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_message_init (ConfabMessage *self)
{
  self->count = 1;
}

/**
 * confab_message_new_chat:
 * @username: who wrote it
 * @text: what they wrote
 * @timestamp: (nullable): when; %NULL means now
 *
 * Returns: (transfer full): a chat message with no id yet
 */
ConfabMessage *
confab_message_new_chat (const char *username,
                         const char *text,
                         GDateTime  *timestamp)
{
  ConfabMessage *self;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (CONFAB_TYPE_MESSAGE, NULL);
  self->kind = CONFAB_MESSAGE_KIND_CHAT;
  self->username = g_strdup (username);
  self->text = g_strdup (text);
  self->timestamp = timestamp ? g_date_time_ref (timestamp) : g_date_time_new_now_local ();

  return self;
}

/**
 * confab_message_new_system:
 * @event: what happened
 * @username: (nullable): who it happened to, when known
 * @previous: (nullable): their previous name, for a rename
 * @text: the sentence to show
 * @timestamp: (nullable): when; %NULL means now
 *
 * Returns: (transfer full): a system event with no id yet
 */
ConfabMessage *
confab_message_new_system (ConfabSystemEvent  event,
                           const char        *username,
                           const char        *previous,
                           const char        *text,
                           GDateTime         *timestamp)
{
  ConfabMessage *self;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (CONFAB_TYPE_MESSAGE, NULL);
  self->kind = CONFAB_MESSAGE_KIND_SYSTEM;
  self->event = event;
  self->username = g_strdup (username);
  self->previous = g_strdup (previous);
  self->text = g_strdup (text);
  self->timestamp = timestamp ? g_date_time_ref (timestamp) : g_date_time_new_now_local ();

  return self;
}

ConfabMessageKind
confab_message_get_kind (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), CONFAB_MESSAGE_KIND_CHAT);

  return self->kind;
}

ConfabSystemEvent
confab_message_get_event (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), CONFAB_SYSTEM_EVENT_NONE);

  return self->event;
}

gint64
confab_message_get_id (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), 0);

  return self->id;
}

void
confab_message_set_id (ConfabMessage *self,
                       gint64         id)
{
  g_return_if_fail (CONFAB_IS_MESSAGE (self));
  g_return_if_fail (id >= 0);

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

const char *
confab_message_get_username (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), NULL);

  return self->username;
}

const char *
confab_message_get_previous (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), NULL);

  return self->previous;
}

const char *
confab_message_get_text (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), NULL);

  return self->text;
}

GDateTime *
confab_message_get_timestamp (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), NULL);

  return self->timestamp;
}

const char *
confab_message_get_cid (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), NULL);

  return self->cid;
}

void
confab_message_set_cid (ConfabMessage *self,
                        const char    *cid)
{
  g_return_if_fail (CONFAB_IS_MESSAGE (self));

  if (g_strcmp0 (self->cid, cid) != 0)
    {
      g_free (self->cid);
      self->cid = g_strdup (cid);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CID]);
    }
}

gboolean
confab_message_get_backlog (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), FALSE);

  return self->backlog;
}

void
confab_message_set_backlog (ConfabMessage *self,
                            gboolean       backlog)
{
  g_return_if_fail (CONFAB_IS_MESSAGE (self));

  backlog = !!backlog;
  if (self->backlog != backlog)
    {
      self->backlog = backlog;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKLOG]);
    }
}

gboolean
confab_message_get_own (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), FALSE);

  return self->own;
}

void
confab_message_set_own (ConfabMessage *self,
                        gboolean       own)
{
  g_return_if_fail (CONFAB_IS_MESSAGE (self));

  own = !!own;
  if (self->own != own)
    {
      self->own = own;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWN]);
    }
}

gboolean
confab_message_is_system (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), FALSE);

  return self->kind == CONFAB_MESSAGE_KIND_SYSTEM;
}

/**
 * confab_message_format_time:
 *
 * Returns: (transfer full): the message's time of day in the local time zone, "HH:MM"
 */
char *
confab_message_format_time (ConfabMessage *self)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), NULL);

  local = g_date_time_to_local (self->timestamp);
  return g_date_time_format (local, "%H:%M");
}

/**
 * confab_message_get_count:
 *
 * Returns: how many people a join or leave event is about (1 unless several were announced
 *   together)
 */
guint
confab_message_get_count (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), 1);

  return self->count;
}

/**
 * confab_message_get_usernames:
 *
 * Returns: (nullable) (transfer none): for an event about several people, the names of those
 *   who had one
 */
const char * const *
confab_message_get_usernames (ConfabMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE (self), NULL);

  return (const char * const *)self->usernames;
}

/**
 * confab_message_set_group:
 * @count: how many people the event is about
 * @usernames: (nullable): the names among them
 *
 * Makes a join or leave event about several people at once.
 */
void
confab_message_set_group (ConfabMessage      *self,
                          guint               count,
                          const char * const *usernames)
{
  g_return_if_fail (CONFAB_IS_MESSAGE (self));
  g_return_if_fail (count > 0);

  self->count = count;
  g_strfreev (self->usernames);
  self->usernames = usernames ? g_strdupv ((char **)usernames) : NULL;
}
