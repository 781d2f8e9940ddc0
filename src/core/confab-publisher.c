/* confab-publisher.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-publisher"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/domain.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-glib/glib-watch.h>

#include "confab-discovery.h"
#include "confab-enums.h"
#include "confab-publisher.h"

/* When there is no system bus at all, Avahi cannot tell us when one appears: try again. */
#define RETRY_SECONDS 10

/* After this many alternative names, something is wrong: stop renaming. */
#define MAX_RENAMES 32

/* The longest TXT item is 255 bytes, including "room=". */
#define MAX_TXT_ROOM_BYTES (255 - (sizeof CONFAB_DISCOVERY_TXT_ROOM))

struct _ConfabPublisher
{
  GObject parent_instance;

  char *room_name;
  char *published_name;
  GError *error;
  guint port;
  ConfabPublisherState state;

  AvahiGLibPoll *poll;
  AvahiClient *client;
  AvahiEntryGroup *group;

  guint retry_source;
  guint reconnect_source;
  guint n_renames;

  guint started : 1;
  guint in_client_new : 1;
};

G_DEFINE_FINAL_TYPE (ConfabPublisher, confab_publisher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOM_NAME,
  PROP_PORT,
  PROP_STATE,
  PROP_PUBLISHED_NAME,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void connect_client (ConfabPublisher *self);

/* Cuts @str to at most @max_bytes without splitting a character. */
static char *
utf8_truncate (const char *str,
               gsize       max_bytes)
{
  const char *end = str;

  while (*end != '\0')
    {
      const char *next = g_utf8_next_char (end);

      if ((gsize)(next - str) > max_bytes)
        break;
      end = next;
    }

  return g_strndup (str, end - str);
}

static void
set_state (ConfabPublisher      *self,
           ConfabPublisherState  state)
{
  g_assert (CONFAB_IS_PUBLISHER (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Takes @error (may be %NULL, which clears the error). */
static void
set_error (ConfabPublisher *self,
           GError          *error)
{
  g_autoptr(GError) old = NULL;

  g_assert (CONFAB_IS_PUBLISHER (self));

  old = g_steal_pointer (&self->error);
  self->error = error;

  if (g_strcmp0 (old ? old->message : NULL, error ? error->message : NULL) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
set_published_name (ConfabPublisher *self,
                    char            *name)
{
  g_autofree char *old = NULL;

  g_assert (CONFAB_IS_PUBLISHER (self));

  old = g_steal_pointer (&self->published_name);
  self->published_name = name;

  if (g_strcmp0 (old, name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISHED_NAME]);
}

static void
set_daemon_missing (ConfabPublisher *self)
{
  g_assert (CONFAB_IS_PUBLISHER (self));

  set_error (self,
             g_error_new_literal (CONFAB_DISCOVERY_ERROR,
                                  CONFAB_DISCOVERY_ERROR_DAEMON_MISSING,
                                  _("Avahi is not running, so this room can't be announced on "
                                    "the network. People can still join by address.")));
  set_state (self, CONFAB_PUBLISHER_STATE_DAEMON_MISSING);
}

static void
fail (ConfabPublisher *self,
      int              avahi_error)
{
  g_autoptr(GError) error = NULL;

  g_assert (CONFAB_IS_PUBLISHER (self));

  error = confab_discovery_error_new_from_avahi (avahi_error);

  if (g_error_matches (error, CONFAB_DISCOVERY_ERROR, CONFAB_DISCOVERY_ERROR_DAEMON_MISSING))
    {
      set_daemon_missing (self);
      return;
    }

  g_debug ("Announcing “%s” failed: %s", self->published_name, error->message);

  /* Withdraw whatever part of the announcement made it. */
  if (self->group != NULL)
    avahi_entry_group_reset (self->group);

  set_error (self,
             g_error_new (CONFAB_DISCOVERY_ERROR, error->code,
                          _("The room can't be announced on the network: %s"),
                          error->message));
  set_state (self, CONFAB_PUBLISHER_STATE_FAILED);
}

/* Avahi's rule for a taken name: "Kitchen" becomes "Kitchen #2", then "Kitchen #3". */
static gboolean
rename_after_collision (ConfabPublisher *self)
{
  char *alternative;

  g_assert (CONFAB_IS_PUBLISHER (self));

  if (++self->n_renames > MAX_RENAMES)
    {
      set_error (self,
                 g_error_new (CONFAB_DISCOVERY_ERROR, CONFAB_DISCOVERY_ERROR_COLLISION,
                              _("The room can't be announced on the network: too many rooms "
                                "are called “%s”."),
                              self->room_name));
      set_state (self, CONFAB_PUBLISHER_STATE_FAILED);
      return FALSE;
    }

  alternative = avahi_alternative_service_name (self->published_name);
  g_debug ("“%s” is taken, trying “%s”", self->published_name, alternative);
  set_published_name (self, g_strdup (alternative));
  avahi_free (alternative);

  return TRUE;
}

static AvahiStringList *
build_txt (ConfabPublisher *self)
{
  g_autofree char *room = NULL;
  AvahiStringList *txt = NULL;

  g_assert (CONFAB_IS_PUBLISHER (self));

  room = utf8_truncate (self->room_name, MAX_TXT_ROOM_BYTES);

  /* avahi_string_list_add() prepends: add in reverse to read protocol, path, room. */
  txt = avahi_string_list_add_pair (txt, CONFAB_DISCOVERY_TXT_ROOM, room);
  txt = avahi_string_list_add_pair (txt, CONFAB_DISCOVERY_TXT_PATH, CONFAB_DISCOVERY_DEFAULT_PATH);
  txt = avahi_string_list_add_printf (txt, CONFAB_DISCOVERY_TXT_PROTOCOL "=%d",
                                      CONFAB_DISCOVERY_PROTOCOL);

  return txt;
}

static void entry_group_state_changed_cb (AvahiEntryGroup      *group,
                                          AvahiEntryGroupState  state,
                                          void                 *user_data);

/* Adds the service to the (empty) entry group and commits it. @client is passed in
 * because this also runs from inside avahi_client_new(), before self->client is set. */
static void
register_service (ConfabPublisher *self,
                  AvahiClient     *client)
{
  AvahiStringList *txt;
  int ret;

  g_assert (CONFAB_IS_PUBLISHER (self));
  g_assert (client != NULL);

  if (!self->started)
    return;

  if (self->group == NULL)
    {
      self->group = avahi_entry_group_new (client, entry_group_state_changed_cb, self);

      if (self->group == NULL)
        {
          fail (self, avahi_client_errno (client));
          return;
        }
    }
  else if (!avahi_entry_group_is_empty (self->group))
    {
      /* Already added: the client went through S_RUNNING again. */
      return;
    }

  set_error (self, NULL);
  set_state (self, CONFAB_PUBLISHER_STATE_REGISTERING);

  txt = build_txt (self);

  for (;;)
    {
      ret = avahi_entry_group_add_service_strlst (self->group,
                                                  AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
                                                  self->published_name,
                                                  CONFAB_DISCOVERY_SERVICE_TYPE,
                                                  NULL, NULL,
                                                  self->port, txt);

      /* Taken by another service on this machine: Avahi says so at once. */
      if (ret == AVAHI_ERR_COLLISION)
        {
          if (!rename_after_collision (self))
            break;
          continue;
        }

      if (ret == AVAHI_OK)
        ret = avahi_entry_group_commit (self->group);

      if (ret != AVAHI_OK)
        fail (self, ret);

      break;
    }

  avahi_string_list_free (txt);
}

static gboolean
retry_cb (gpointer user_data)
{
  ConfabPublisher *self = user_data;

  g_assert (CONFAB_IS_PUBLISHER (self));

  self->retry_source = 0;
  connect_client (self);

  return G_SOURCE_REMOVE;
}

/* The daemon went away: this client is dead for good. A new one waits for the daemon. */
static gboolean
reconnect_cb (gpointer user_data)
{
  ConfabPublisher *self = user_data;

  g_assert (CONFAB_IS_PUBLISHER (self));

  self->reconnect_source = 0;

  /* Freeing the client frees the entry group too. */
  self->group = NULL;
  g_clear_pointer (&self->client, avahi_client_free);

  if (self->started)
    connect_client (self);

  return G_SOURCE_REMOVE;
}

static void
entry_group_state_changed_cb (AvahiEntryGroup      *group,
                              AvahiEntryGroupState  state,
                              void                 *user_data)
{
  g_autoptr(ConfabPublisher) self = g_object_ref (user_data);

  g_assert (CONFAB_IS_PUBLISHER (self));

  /* Called from avahi_entry_group_new() before we stored the group. */
  if (self->group != NULL && self->group != group)
    return;

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      g_debug ("Announced “%s” on port %u", self->published_name, self->port);
      set_state (self, CONFAB_PUBLISHER_STATE_PUBLISHED);
      break;

    case AVAHI_ENTRY_GROUP_COLLISION:
      /* Another host on the network already uses the name. */
      avahi_entry_group_reset (group);
      if (rename_after_collision (self))
        register_service (self, avahi_entry_group_get_client (group));
      break;

    case AVAHI_ENTRY_GROUP_FAILURE:
      fail (self, avahi_client_errno (avahi_entry_group_get_client (group)));
      break;

    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
    default:
      break;
    }
}

static void
client_state_changed_cb (AvahiClient      *client,
                         AvahiClientState  state,
                         void             *user_data)
{
  g_autoptr(ConfabPublisher) self = g_object_ref (user_data);
  int error;

  g_assert (CONFAB_IS_PUBLISHER (self));

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      register_service (self, client);
      break;

    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      /* The host name is being (re)registered: withdraw, and add again once running. */
      if (self->group != NULL)
        avahi_entry_group_reset (self->group);
      if (self->started)
        {
          set_error (self, NULL);
          set_state (self, CONFAB_PUBLISHER_STATE_REGISTERING);
        }
      break;

    case AVAHI_CLIENT_CONNECTING:
      /* AVAHI_CLIENT_NO_FAIL: no daemon yet, the client waits for one. */
      if (self->started)
        set_daemon_missing (self);
      break;

    case AVAHI_CLIENT_FAILURE:
      error = avahi_client_errno (client);

      if (!self->started)
        break;

      if (error == AVAHI_ERR_DISCONNECTED && !self->in_client_new)
        {
          set_daemon_missing (self);
          if (self->reconnect_source == 0)
            self->reconnect_source = g_idle_add (reconnect_cb, self);
        }
      else
        {
          fail (self, error);
        }
      break;

    default:
      break;
    }
}

static void
connect_client (ConfabPublisher *self)
{
  g_autoptr(ConfabPublisher) hold = g_object_ref (self);
  AvahiClient *client;
  int error = AVAHI_OK;

  g_assert (CONFAB_IS_PUBLISHER (self));
  g_assert (self->client == NULL);

  if (self->poll == NULL)
    self->poll = avahi_glib_poll_new (g_main_context_get_thread_default (), G_PRIORITY_DEFAULT);

  /* The callback runs from inside avahi_client_new(); stop() must not free the client
   * then, so it only clears started and we free the client here. */
  self->in_client_new = TRUE;
  client = avahi_client_new (avahi_glib_poll_get (self->poll),
                             AVAHI_CLIENT_NO_FAIL,
                             client_state_changed_cb, self,
                             &error);
  self->in_client_new = FALSE;

  if (client == NULL)
    {
      /* Avahi frees the entry group with a client it could not set up. */
      self->group = NULL;

      if (!self->started)
        return;

      fail (self, error);

      /* Only the lack of a system bus gets here with AVAHI_CLIENT_NO_FAIL. */
      if (self->state == CONFAB_PUBLISHER_STATE_DAEMON_MISSING)
        self->retry_source = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);

      return;
    }

  if (!self->started)
    {
      self->group = NULL;
      avahi_client_free (client);
      return;
    }

  self->client = client;
}

/* (Re)starts announcing under the current room name and port: from start(), and when
 * either changes while started. */
static void
begin_publishing (ConfabPublisher *self)
{
  g_assert (CONFAB_IS_PUBLISHER (self));
  g_assert (self->started);

  if (self->group != NULL)
    avahi_entry_group_reset (self->group);

  /* A DNS-SD instance name is one DNS label: at most 63 bytes. */
  self->n_renames = 0;
  set_published_name (self, utf8_truncate (self->room_name, AVAHI_LABEL_MAX - 1));

  if (self->published_name[0] == '\0')
    {
      set_error (self,
                 g_error_new_literal (CONFAB_DISCOVERY_ERROR, CONFAB_DISCOVERY_ERROR_INVALID_NAME,
                                      _("The room can't be announced on the network: it has "
                                        "no name.")));
      set_state (self, CONFAB_PUBLISHER_STATE_FAILED);
      return;
    }

  if (self->client == NULL)
    {
      /* Avahi is missing and a retry is due: it will use the new name. */
      if (self->retry_source != 0 || self->reconnect_source != 0)
        return;

      set_error (self, NULL);
      set_state (self, CONFAB_PUBLISHER_STATE_REGISTERING);
      connect_client (self);
      return;
    }

  switch (avahi_client_get_state (self->client))
    {
    case AVAHI_CLIENT_S_RUNNING:
      register_service (self, self->client);
      break;

    case AVAHI_CLIENT_CONNECTING:
      set_daemon_missing (self);
      break;

    case AVAHI_CLIENT_FAILURE:
      /* A client that failed stays failed: start over with a new one. */
      if (self->in_client_new)
        break;
      self->group = NULL;
      g_clear_pointer (&self->client, avahi_client_free);
      set_error (self, NULL);
      set_state (self, CONFAB_PUBLISHER_STATE_REGISTERING);
      connect_client (self);
      break;

    case AVAHI_CLIENT_S_REGISTERING:
    case AVAHI_CLIENT_S_COLLISION:
    default:
      /* The client goes to S_RUNNING soon, and we register then. */
      set_error (self, NULL);
      set_state (self, CONFAB_PUBLISHER_STATE_REGISTERING);
      break;
    }
}

static void
confab_publisher_dispose (GObject *object)
{
  ConfabPublisher *self = (ConfabPublisher *)object;

  self->started = FALSE;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);

  /* Freeing the group withdraws the service; freeing the client would free it too. */
  g_clear_pointer (&self->group, avahi_entry_group_free);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);

  G_OBJECT_CLASS (confab_publisher_parent_class)->dispose (object);
}

static void
confab_publisher_finalize (GObject *object)
{
  ConfabPublisher *self = (ConfabPublisher *)object;

  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->published_name, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (confab_publisher_parent_class)->finalize (object);
}

static void
confab_publisher_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ConfabPublisher *self = CONFAB_PUBLISHER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      g_value_set_string (value, self->room_name);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PUBLISHED_NAME:
      g_value_set_string (value, self->published_name);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, confab_publisher_get_error_message (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_publisher_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ConfabPublisher *self = CONFAB_PUBLISHER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      confab_publisher_set_room_name (self, g_value_get_string (value));
      break;

    case PROP_PORT:
      confab_publisher_set_port (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_publisher_class_init (ConfabPublisherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_publisher_dispose;
  object_class->finalize = confab_publisher_finalize;
  object_class->get_property = confab_publisher_get_property;
  object_class->set_property = confab_publisher_set_property;

  /**
   * ConfabPublisher:room-name:
   *
   * The room name to announce. Changing it while started announces the room again
   * under the new name.
   */
  properties[PROP_ROOM_NAME] =
    g_param_spec_string ("room-name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabPublisher:port:
   *
   * The TCP port the room's server listens on.
   */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CONFAB_TYPE_PUBLISHER_STATE,
                       CONFAB_PUBLISHER_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabPublisher:published-name:
   *
   * The DNS-SD instance name in use: the room name, or an alternative such as
   * "Kitchen #2" after a collision. %NULL while idle.
   */
  properties[PROP_PUBLISHED_NAME] =
    g_param_spec_string ("published-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabPublisher:error-message:
   *
   * A sentence for the user saying why the room is not announced, or %NULL.
   */
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_publisher_init (ConfabPublisher *self)
{
  self->room_name = g_strdup ("");
}

/* Creates a publisher for a room served on @port. It announces nothing before
 * confab_publisher_start(). */
ConfabPublisher *
confab_publisher_new (const char *room_name,
                      guint       port)
{
  g_return_val_if_fail (room_name != NULL, NULL);
  g_return_val_if_fail (port > 0 && port <= G_MAXUINT16, NULL);

  return g_object_new (CONFAB_TYPE_PUBLISHER,
                       "room-name", room_name,
                       "port", port,
                       NULL);
}

/* Starts announcing the room. Progress and trouble are reported through
 * ConfabPublisher:state, never as a return value: without Avahi the state becomes
 * daemon-missing and the room is announced as soon as Avahi starts. Starting a publisher
 * that failed tries again. */
void
confab_publisher_start (ConfabPublisher *self)
{
  g_return_if_fail (CONFAB_IS_PUBLISHER (self));

  if (self->started && self->state != CONFAB_PUBLISHER_STATE_FAILED)
    return;

  if (self->started)
    confab_publisher_stop (self);

  self->started = TRUE;
  begin_publishing (self);
}

/* Withdraws the announcement; browsers see the room go away. Safe to call at any time,
 * also when not started. */
void
confab_publisher_stop (ConfabPublisher *self)
{
  g_return_if_fail (CONFAB_IS_PUBLISHER (self));

  self->started = FALSE;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);

  g_clear_pointer (&self->group, avahi_entry_group_free);

  /* Inside avahi_client_new(), connect_client() frees the new client on return. */
  if (!self->in_client_new)
    g_clear_pointer (&self->client, avahi_client_free);

  set_published_name (self, NULL);
  set_error (self, NULL);
  set_state (self, CONFAB_PUBLISHER_STATE_IDLE);
}

ConfabPublisherState
confab_publisher_get_state (ConfabPublisher *self)
{
  g_return_val_if_fail (CONFAB_IS_PUBLISHER (self), CONFAB_PUBLISHER_STATE_IDLE);

  return self->state;
}

const char *
confab_publisher_get_room_name (ConfabPublisher *self)
{
  g_return_val_if_fail (CONFAB_IS_PUBLISHER (self), NULL);

  return self->room_name;
}

void
confab_publisher_set_room_name (ConfabPublisher *self,
                                const char      *room_name)
{
  g_return_if_fail (CONFAB_IS_PUBLISHER (self));

  if (room_name == NULL)
    room_name = "";

  if (g_strcmp0 (self->room_name, room_name) == 0)
    return;

  g_free (self->room_name);
  self->room_name = g_strdup (room_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOM_NAME]);

  if (self->started)
    begin_publishing (self);
}

guint
confab_publisher_get_port (ConfabPublisher *self)
{
  g_return_val_if_fail (CONFAB_IS_PUBLISHER (self), 0);

  return self->port;
}

void
confab_publisher_set_port (ConfabPublisher *self,
                           guint            port)
{
  g_return_if_fail (CONFAB_IS_PUBLISHER (self));
  g_return_if_fail (port <= G_MAXUINT16);

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);

  if (self->started)
    begin_publishing (self);
}

/* The instance name in use (it differs from the room name after a collision), or %NULL
 * while idle. */
const char *
confab_publisher_get_published_name (ConfabPublisher *self)
{
  g_return_val_if_fail (CONFAB_IS_PUBLISHER (self), NULL);

  return self->published_name;
}

/* A sentence for the user saying why the room is not announced, or %NULL. */
const char *
confab_publisher_get_error_message (ConfabPublisher *self)
{
  g_return_val_if_fail (CONFAB_IS_PUBLISHER (self), NULL);

  return self->error ? self->error->message : NULL;
}

/* The error behind ConfabPublisher:error-message, in the CONFAB_DISCOVERY_ERROR domain. */
const GError *
confab_publisher_get_error (ConfabPublisher *self)
{
  g_return_val_if_fail (CONFAB_IS_PUBLISHER (self), NULL);

  return self->error;
}
