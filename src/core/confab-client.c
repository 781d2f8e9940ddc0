/* confab-client.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "confab-client.h"
#include "confab-enums.h"
#include "confab-message.h"
#include "confab-protocol.h"

/* One connection to a room, kept alive: it reconnects with backoff after a drop, asks for
 * what it missed (`since`), and resends what it sent but never saw echoed (the server drops
 * a resent `cid` it already has). Events land in a GListModel in id order, each once. */

#define DEFAULT_RECONNECT_DELAY_MS 1000
#define MAX_RECONNECT_DELAY_MS     30000
#define DEFAULT_MAX_RETRIES        8
#define KEEPALIVE_SECONDS          30
#define MAX_INCOMING_FRAME         (256 * 1024)

typedef struct
{
  char *cid;
  char *frame;
} Outgoing;

struct _ConfabClient
{
  GObject                  parent_instance;

  char                    *url;
  char                    *username;
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  GCancellable            *cancellable;

  ConfabClientState        state;
  char                    *status_reason;
  gint64                   retry_at;
  guint                    retry_source;
  guint                    attempts;
  guint                    reconnect_delay;
  guint                    max_retries;
  gint64                   last_seen;
  guint                    watchdog_source;

  /* What the server told us. */
  char                    *room_name;
  char                    *history;
  char                   **members;
  guint                    n_online;
  gboolean                 extended;
  gboolean                 first_frame;

  GListStore              *messages;
  GHashTable              *ids;
  gint64                   last_id;
  /* New events not yet in `messages`: added in one splice per main-loop iteration, since a
   * list view does work per items-changed, and a busy room sends hundreds a second. */
  GPtrArray               *incoming;
  guint                    incoming_source;

  /* Sent, not yet seen echoed, in order. */
  GQueue                   outbox;
  GHashTable              *own_cids;
};

G_DEFINE_FINAL_TYPE (ConfabClient, confab_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (confab-client-error-quark, confab_client_error)

enum {
  PROP_0,
  PROP_URL,
  PROP_STATE,
  PROP_STATUS_REASON,
  PROP_RETRY_AT,
  PROP_USERNAME,
  PROP_ROOM_NAME,
  PROP_EXTENDED,
  PROP_MEMBERS,
  PROP_N_ONLINE,
  PROP_RECONNECT_DELAY,
  PROP_MAX_RETRIES,
  N_PROPS
};

enum {
  ERROR_RECEIVED,
  MESSAGE_RECEIVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_attempt (ConfabClient *self);

static void
outgoing_free (Outgoing *outgoing)
{
  g_free (outgoing->cid);
  g_free (outgoing->frame);
  g_free (outgoing);
}

static void
set_state (ConfabClient      *self,
           ConfabClientState  state,
           const char        *reason)
{
  g_assert (CONFAB_IS_CLIENT (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (reason != NULL && g_strcmp0 (reason, self->status_reason) != 0)
    {
      g_free (self->status_reason);
      self->status_reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_REASON]);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_retry_at (ConfabClient *self,
              gint64        retry_at)
{
  if (self->retry_at != retry_at)
    {
      self->retry_at = retry_at;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_AT]);
    }
}

static void
set_members (ConfabClient  *self,
             char         **members,
             guint          n_online)
{
  if (!g_strv_equal ((const char * const *)members, (const char * const *)self->members))
    {
      g_strfreev (self->members);
      self->members = g_strdupv (members);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBERS]);
    }

  if (self->n_online != n_online)
    {
      self->n_online = n_online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ONLINE]);
    }
}

static void
drop_connection (ConfabClient *self)
{
  g_clear_handle_id (&self->watchdog_source, g_source_remove);

  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->ws);
    }
}

static gboolean
retry_cb (gpointer user_data)
{
  ConfabClient *self = CONFAB_CLIENT (user_data);

  g_assert (CONFAB_IS_CLIENT (self));

  self->retry_source = 0;
  set_retry_at (self, 0);
  start_attempt (self);

  return G_SOURCE_REMOVE;
}

/* After a failure: wait longer each time, with some jitter so that a room whose host came
 * back is not hit by every client at once; give up after max-retries attempts. */
static void
schedule_retry (ConfabClient *self,
                const char   *reason)
{
  guint delay;

  g_assert (CONFAB_IS_CLIENT (self));

  drop_connection (self);

  if (self->attempts >= self->max_retries)
    {
      set_retry_at (self, 0);
      set_state (self, CONFAB_CLIENT_STATE_DISCONNECTED, reason);
      return;
    }

  delay = self->reconnect_delay;
  for (guint i = 0; i < self->attempts && delay < MAX_RECONNECT_DELAY_MS; i++)
    delay *= 2;
  delay = MIN (delay, MAX_RECONNECT_DELAY_MS);
  delay = (guint)(delay * g_random_double_range (0.8, 1.2));

  self->attempts++;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add (delay, retry_cb, self);

  set_retry_at (self, g_get_real_time () + (gint64)delay * 1000);
  set_state (self, CONFAB_CLIENT_STATE_RECONNECTING, reason);
}

static char *
describe_close (SoupWebsocketConnection *ws)
{
  gushort code = soup_websocket_connection_get_close_code (ws);
  const char *data = soup_websocket_connection_get_close_data (ws);

  switch (code)
    {
    case SOUP_WEBSOCKET_CLOSE_GOING_AWAY:
      return g_strdup (_("The host stopped hosting"));

    case SOUP_WEBSOCKET_CLOSE_TOO_BIG:
      return g_strdup (_("The host refused a message that was too large"));

    case CONFAB_CLOSE_SLOW_CONSUMER:
      return g_strdup (_("The connection was too slow to keep up with the room"));

    case CONFAB_CLOSE_IDLE:
      return g_strdup (_("The host heard nothing from us for too long"));

    case 0:
    case SOUP_WEBSOCKET_CLOSE_NO_STATUS:
    case SOUP_WEBSOCKET_CLOSE_ABNORMAL:
      return g_strdup (_("The connection was lost"));

    default:
      if (data != NULL && data[0] != '\0')
        return g_strdup_printf (_("The host closed the connection: %s"), data);
      return g_strdup_printf (_("The host closed the connection (code %u)"), code);
    }
}

static char *
localize_group (ConfabMessage *message)
{
  const char * const *names = confab_message_get_usernames (message);
  guint count = confab_message_get_count (message);
  guint n_names = names ? g_strv_length ((char **)names) : 0;
  gboolean join = confab_message_get_event (message) == CONFAB_SYSTEM_EVENT_JOIN;
  guint others;

  if (n_names == 0)
    return join ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new user joined the chat",
                                                "%u new users joined the chat", count), count)
                : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u user left the chat",
                                                "%u users left the chat", count), count);

  if (n_names == count && count == 2)
    return join ? g_strdup_printf (_("%s and %s joined the chat"), names[0], names[1])
                : g_strdup_printf (_("%s and %s left the chat"), names[0], names[1]);

  if (n_names == count && count == 3)
    return join ? g_strdup_printf (_("%s, %s and %s joined the chat"), names[0], names[1], names[2])
                : g_strdup_printf (_("%s, %s and %s left the chat"), names[0], names[1], names[2]);

  others = count - MIN (n_names, 2);
  if (n_names == 1)
    return join ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u other joined the chat",
                                                "%s and %u others joined the chat", others),
                                   names[0], others)
                : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u other left the chat",
                                                "%s and %u others left the chat", others),
                                   names[0], others);

  return join ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s and %u other joined the chat",
                                              "%s, %s and %u others joined the chat", others),
                                 names[0], names[1], others)
              : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s and %u other left the chat",
                                              "%s, %s and %u others left the chat", others),
                                 names[0], names[1], others);
}

static char *
localize_system_text (ConfabMessage *message)
{
  const char *username = confab_message_get_username (message);

  if (confab_message_get_count (message) > 1 &&
      (confab_message_get_event (message) == CONFAB_SYSTEM_EVENT_JOIN ||
       confab_message_get_event (message) == CONFAB_SYSTEM_EVENT_LEAVE))
    return localize_group (message);

  /* The server's sentences are English; ours follow the user's language. */
  switch (confab_message_get_event (message))
    {
    case CONFAB_SYSTEM_EVENT_JOIN:
      return username ? g_strdup_printf (_("%s joined the chat"), username)
                      : g_strdup (_("A new user joined the chat"));

    case CONFAB_SYSTEM_EVENT_LEAVE:
      return username ? g_strdup_printf (_("%s left the chat"), username)
                      : g_strdup (_("A user left the chat"));

    case CONFAB_SYSTEM_EVENT_RENAME:
      if (username != NULL && confab_message_get_previous (message) != NULL)
        return g_strdup_printf (_("%s is now %s"), confab_message_get_previous (message), username);
      return NULL;

    case CONFAB_SYSTEM_EVENT_NONE:
    default:
      return NULL;
    }
}

static ConfabMessage *
prepare_event (ConfabClient  *self,
               ConfabMessage *event)
{
  g_autofree char *text = NULL;
  ConfabMessage *message = event;
  const char *cid = confab_message_get_cid (event);

  if (confab_message_is_system (event) && (text = localize_system_text (event)) != NULL)
    {
      message = confab_message_new_system (confab_message_get_event (event),
                                           confab_message_get_username (event),
                                           confab_message_get_previous (event),
                                           text,
                                           confab_message_get_timestamp (event));
      confab_message_set_id (message, confab_message_get_id (event));
      confab_message_set_backlog (message, confab_message_get_backlog (event));
      confab_message_set_group (message, confab_message_get_count (event),
                                confab_message_get_usernames (event));
    }
  else
    g_object_ref (message);

  if (!confab_message_is_system (message))
    {
      /* A base server echoes no cid: there, a message is ours when it carries our name. */
      if (cid != NULL)
        confab_message_set_own (message, g_hash_table_contains (self->own_cids, cid));
      else if (!self->extended)
        confab_message_set_own (message, g_strcmp0 (confab_message_get_username (message),
                                                    self->username ? self->username
                                                                   : CONFAB_ANONYMOUS) == 0);
    }

  return message;
}

static void
acknowledge (ConfabClient *self,
             const char   *cid)
{
  if (cid == NULL)
    return;

  for (GList *l = self->outbox.head; l != NULL; l = l->next)
    {
      Outgoing *outgoing = l->data;

      if (g_strcmp0 (outgoing->cid, cid) == 0)
        {
          g_queue_delete_link (&self->outbox, l);
          outgoing_free (outgoing);
          return;
        }
    }
}

/* Puts the events received since the last turn of the main loop into the model, at once. */
static void
flush_incoming (ConfabClient *self)
{
  g_autoptr(GPtrArray) batch = NULL;

  g_clear_handle_id (&self->incoming_source, g_source_remove);

  if (self->incoming->len == 0)
    return;

  batch = g_steal_pointer (&self->incoming);
  self->incoming = g_ptr_array_new_with_free_func (g_object_unref);

  g_list_store_splice (self->messages, g_list_model_get_n_items (G_LIST_MODEL (self->messages)),
                       0, batch->pdata, batch->len);

  for (guint i = 0; i < batch->len; i++)
    {
      ConfabMessage *message = g_ptr_array_index (batch, i);

      if (!confab_message_get_backlog (message))
        g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, message);
    }
}

static gboolean
flush_incoming_cb (gpointer user_data)
{
  ConfabClient *self = CONFAB_CLIENT (user_data);

  self->incoming_source = 0;
  flush_incoming (self);

  return G_SOURCE_REMOVE;
}

static guint
find_position (ConfabClient *self,
               gint64        id)
{
  GListModel *model = G_LIST_MODEL (self->messages);
  guint lo = 0;
  guint hi = g_list_model_get_n_items (model);

  /* The first item with a larger id; events without ids sort as they came. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autoptr(ConfabMessage) item = g_list_model_get_item (model, mid);
      gint64 item_id = confab_message_get_id (item);

      if (item_id != 0 && item_id > id)
        hi = mid;
      else
        lo = mid + 1;
    }

  return lo;
}

static void
add_event (ConfabClient  *self,
           ConfabMessage *event)
{
  g_autoptr(ConfabMessage) message = NULL;
  gint64 id = confab_message_get_id (event);

  g_assert (CONFAB_IS_CLIENT (self));

  acknowledge (self, confab_message_get_cid (event));

  if (id > 0 && g_hash_table_contains (self->ids, &id))
    return;

  message = prepare_event (self, event);

  if (id > 0)
    {
      gint64 *key = g_new (gint64, 1);

      *key = id;
      g_hash_table_add (self->ids, key);
    }

  if (id == 0 || id > self->last_id)
    {
      g_ptr_array_add (self->incoming, g_steal_pointer (&message));
      if (self->incoming_source == 0)
        self->incoming_source = g_idle_add_full (G_PRIORITY_DEFAULT, flush_incoming_cb, self, NULL);
    }
  else
    {
      /* Rare: an older event (a resumed backlog) goes in its place, after what came before. */
      flush_incoming (self);
      g_list_store_insert (self->messages, find_position (self, id), message);
      if (!confab_message_get_backlog (message))
        g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, message);
    }

  self->last_id = MAX (self->last_id, id);
}

static void
flush_outbox (ConfabClient *self)
{
  for (GList *l = self->outbox.head; l != NULL; l = l->next)
    {
      Outgoing *outgoing = l->data;

      soup_websocket_connection_send_text (self->ws, outgoing->frame);
    }
}

static void
handle_welcome (ConfabClient      *self,
                ConfabServerFrame *frame)
{
  /* A different history means the host started over: what we had is another room's. */
  if (self->history != NULL && g_strcmp0 (self->history, frame->history) != 0)
    {
      flush_incoming (self);
      g_list_store_remove_all (self->messages);
      g_hash_table_remove_all (self->ids);
      self->last_id = 0;
    }

  g_free (self->history);
  self->history = g_strdup (frame->history);

  if (!self->extended)
    {
      self->extended = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTENDED]);
    }

  if (g_strcmp0 (self->room_name, frame->room) != 0)
    {
      g_free (self->room_name);
      self->room_name = g_strdup (frame->room);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOM_NAME]);
    }

  /* Whatever was in flight when the connection dropped goes again; the server ignores the
   * ones it already has. */
  flush_outbox (self);
}

static void
ws_message_cb (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *bytes,
               ConfabClient            *self)
{
  g_auto(ConfabServerFrame) frame = { 0 };
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  g_assert (CONFAB_IS_CLIENT (self));

  self->last_seen = g_get_monotonic_time ();

  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      !confab_protocol_parse_server_frame (data, length, &frame, &error))
    {
      g_debug ("Ignoring a frame from the server: %s", error ? error->message : "binary");
      return;
    }

  if (self->first_frame)
    {
      self->first_frame = FALSE;

      /* A base server says no welcome: what we sent is as delivered as it will ever be. */
      if (frame.type != CONFAB_SERVER_FRAME_WELCOME)
        g_queue_clear_full (&self->outbox, (GDestroyNotify)outgoing_free);
    }

  switch (frame.type)
    {
    case CONFAB_SERVER_FRAME_EVENT:
      add_event (self, frame.event);
      break;

    case CONFAB_SERVER_FRAME_WELCOME:
      handle_welcome (self, &frame);
      break;

    case CONFAB_SERVER_FRAME_PRESENCE:
      set_members (self, frame.users, frame.online);
      break;

    case CONFAB_SERVER_FRAME_ERROR:
      acknowledge (self, frame.cid);
      g_signal_emit (self, signals[ERROR_RECEIVED], 0,
                     frame.code ? frame.code : "unknown",
                     frame.error ? frame.error : "");
      break;

    case CONFAB_SERVER_FRAME_UNKNOWN:
    default:
      break;
    }
}

static void
ws_pong_cb (SoupWebsocketConnection *ws,
            GBytes                  *message,
            ConfabClient            *self)
{
  self->last_seen = g_get_monotonic_time ();
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              ConfabClient            *self)
{
  g_autofree char *reason = describe_close (ws);

  g_assert (CONFAB_IS_CLIENT (self));

  g_debug ("Connection to %s closed: %s", self->url, reason);

  /* A connection that worked earns a fresh series of attempts. */
  self->attempts = 0;
  schedule_retry (self, reason);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  ConfabClient *self = CONFAB_CLIENT (user_data);

  g_assert (CONFAB_IS_CLIENT (self));

  /* The server answers our pings; three intervals of silence mean it is gone. */
  if (g_get_monotonic_time () - self->last_seen > 3 * (gint64)KEEPALIVE_SECONDS * G_USEC_PER_SEC)
    {
      self->watchdog_source = 0;
      self->attempts = 0;
      schedule_retry (self, _("The host stopped answering"));
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static char *
describe_connect_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup (_("Nobody is hosting at this address"));
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return g_strdup (_("The host name could not be found"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup (_("The host did not answer in time"));
  if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET))
    return g_strdup (_("There is no chat room at this address"));

  return g_strdup (error->message);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ConfabClient) self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (ws == NULL)
    {
      g_autofree char *reason = describe_connect_error (error);

      g_debug ("Could not connect to %s: %s", self->url, error->message);
      schedule_retry (self, reason);
      return;
    }

  self->ws = ws;
  self->first_frame = TRUE;
  self->last_seen = g_get_monotonic_time ();
  soup_websocket_connection_set_max_incoming_payload_size (ws, MAX_INCOMING_FRAME);
  soup_websocket_connection_set_keepalive_interval (ws, KEEPALIVE_SECONDS);
  g_signal_connect (ws, "message", G_CALLBACK (ws_message_cb), self);
  g_signal_connect (ws, "pong", G_CALLBACK (ws_pong_cb), self);
  g_signal_connect (ws, "closed", G_CALLBACK (ws_closed_cb), self);
  self->watchdog_source = g_timeout_add_seconds (KEEPALIVE_SECONDS, watchdog_cb, self);

  set_state (self, CONFAB_CLIENT_STATE_CONNECTED, "");
}

static char *
build_connect_url (ConfabClient *self)
{
  g_autoptr(GString) url = g_string_new (self->url);

  g_string_append (url, strchr (self->url, '?') ? "&" : "?");
  g_string_append (url, "protocol=1");

  if (self->username != NULL && self->username[0] != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (self->username, NULL, FALSE);

      g_string_append_printf (url, "&username=%s", escaped);
    }

  if (self->history != NULL && self->last_id > 0)
    {
      g_autofree char *escaped = g_uri_escape_string (self->history, NULL, FALSE);

      g_string_append_printf (url, "&since=%" G_GINT64_FORMAT "&history=%s",
                              self->last_id, escaped);
    }

  return g_string_free (g_steal_pointer (&url), FALSE);
}

static void
start_attempt (ConfabClient *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_assert (CONFAB_IS_CLIENT (self));

  drop_connection (self);

  url = build_connect_url (self);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      set_state (self, CONFAB_CLIENT_STATE_DISCONNECTED, _("The address is not valid"));
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, connected_cb, g_object_ref (self));
}

static void
confab_client_dispose (GObject *object)
{
  ConfabClient *self = (ConfabClient *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->incoming_source, g_source_remove);
  drop_connection (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (confab_client_parent_class)->dispose (object);
}

static void
confab_client_finalize (GObject *object)
{
  ConfabClient *self = (ConfabClient *)object;

  g_queue_clear_full (&self->outbox, (GDestroyNotify)outgoing_free);
  g_clear_pointer (&self->own_cids, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_hash_table_unref);
  g_clear_pointer (&self->incoming, g_ptr_array_unref);
  g_clear_object (&self->messages);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->status_reason, g_free);
  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->history, g_free);
  g_clear_pointer (&self->members, g_strfreev);

  G_OBJECT_CLASS (confab_client_parent_class)->finalize (object);
}

static void
confab_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ConfabClient *self = CONFAB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_STATUS_REASON:
      g_value_set_string (value, self->status_reason);
      break;

    case PROP_RETRY_AT:
      g_value_set_int64 (value, self->retry_at);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_ROOM_NAME:
      g_value_set_string (value, self->room_name);
      break;

    case PROP_EXTENDED:
      g_value_set_boolean (value, self->extended);
      break;

    case PROP_MEMBERS:
      g_value_set_boxed (value, self->members);
      break;

    case PROP_N_ONLINE:
      g_value_set_uint (value, self->n_online);
      break;

    case PROP_RECONNECT_DELAY:
      g_value_set_uint (value, self->reconnect_delay);
      break;

    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ConfabClient *self = CONFAB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;

    case PROP_USERNAME:
      confab_client_set_username (self, g_value_get_string (value));
      break;

    case PROP_RECONNECT_DELAY:
      confab_client_set_reconnect_delay (self, g_value_get_uint (value));
      break;

    case PROP_MAX_RETRIES:
      confab_client_set_max_retries (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_client_class_init (ConfabClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_client_dispose;
  object_class->finalize = confab_client_finalize;
  object_class->get_property = confab_client_get_property;
  object_class->set_property = confab_client_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CONFAB_TYPE_CLIENT_STATE, CONFAB_CLIENT_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_REASON] =
    g_param_spec_string ("status-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_AT] =
    g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROOM_NAME] =
    g_param_spec_string ("room-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXTENDED] =
    g_param_spec_boolean ("extended", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMBERS] =
    g_param_spec_boxed ("members", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ONLINE] =
    g_param_spec_uint ("n-online", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECONNECT_DELAY] =
    g_param_spec_uint ("reconnect-delay", NULL, NULL, 1, MAX_RECONNECT_DELAY_MS,
                       DEFAULT_RECONNECT_DELAY_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL, 0, G_MAXUINT, DEFAULT_MAX_RETRIES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ConfabClient::error-received:
   * @self: the client
   * @code: the error's stable code (docs/protocol.md)
   * @message: the server's sentence for it
   *
   * The server refused something this client sent.
   */
  signals[ERROR_RECEIVED] =
    g_signal_new ("error-received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * ConfabClient::message-received:
   * @self: the client
   * @message: the event, as added to the messages model
   *
   * A live event arrived (not one from the backlog).
   */
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CONFAB_TYPE_MESSAGE);
}

static void
confab_client_init (ConfabClient *self)
{
  self->session = soup_session_new_with_options ("timeout", 15,
                                                 "idle-timeout", 0,
                                                 NULL);
  self->messages = g_list_store_new (CONFAB_TYPE_MESSAGE);
  self->incoming = g_ptr_array_new_with_free_func (g_object_unref);
  self->ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->own_cids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->reconnect_delay = DEFAULT_RECONNECT_DELAY_MS;
  self->max_retries = DEFAULT_MAX_RETRIES;
  self->members = g_new0 (char *, 1);
  g_queue_init (&self->outbox);
}

/**
 * confab_client_normalize_address:
 * @address: what a person typed: `host`, `host:port`, or a `ws://` (or `http://`) URL
 *
 * Returns: (transfer full) (nullable): the room's WebSocket URL (port 8000 and path
 *   /ws/chat unless given), or %NULL with @error set
 */
char *
confab_client_normalize_address (const char  *address,
                                 GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *candidate = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  const char *path;
  int port;

  g_return_val_if_fail (address != NULL, NULL);

  text = g_strstrip (g_strdup (address));

  if (text[0] == '\0')
    {
      g_set_error_literal (error, CONFAB_CLIENT_ERROR, CONFAB_CLIENT_ERROR_INVALID_ADDRESS,
                           _("Enter the address of a room"));
      return NULL;
    }

  if (strstr (text, "://") != NULL)
    candidate = g_strdup (text);
  else if (text[0] != '[' && strchr (text, ':') != strrchr (text, ':'))
    candidate = g_strdup_printf ("ws://[%s]", text); /* a bare IPv6 address */
  else
    candidate = g_strdup_printf ("ws://%s", text);

  uri = g_uri_parse (candidate, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, CONFAB_CLIENT_ERROR, CONFAB_CLIENT_ERROR_INVALID_ADDRESS,
                   _("“%s” is not an address: use a host name, host:port or a ws:// URL"), text);
      return NULL;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (g_str_equal (scheme, "http"))
    (g_free (scheme), scheme = g_strdup ("ws"));
  else if (g_str_equal (scheme, "https"))
    (g_free (scheme), scheme = g_strdup ("wss"));
  else if (!g_str_equal (scheme, "ws") && !g_str_equal (scheme, "wss"))
    {
      g_set_error (error, CONFAB_CLIENT_ERROR, CONFAB_CLIENT_ERROR_INVALID_ADDRESS,
                   _("Confab cannot join “%s” addresses: use ws://"), scheme);
      return NULL;
    }

  port = g_uri_get_port (uri);
  if (port < 0 && strstr (text, "://") == NULL)
    port = 8000;

  path = g_uri_get_path (uri);
  if (path == NULL || path[0] == '\0' || g_str_equal (path, "/"))
    path = CONFAB_PROTOCOL_PATH;

  return g_uri_join (G_URI_FLAGS_NONE, scheme, NULL,
                     g_uri_get_host (uri), port, path, g_uri_get_query (uri), NULL);
}

/**
 * confab_client_new:
 * @url: the room's WebSocket URL (see confab_client_normalize_address())
 *
 * Returns: (transfer full): a client, not connected yet
 */
ConfabClient *
confab_client_new (const char *url)
{
  g_return_val_if_fail (url != NULL, NULL);

  return g_object_new (CONFAB_TYPE_CLIENT, "url", url, NULL);
}

const char *
confab_client_get_url (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), NULL);

  return self->url;
}

/**
 * confab_client_connect:
 *
 * Starts connecting, and keeps the connection up until confab_client_disconnect() or until
 * max-retries attempts in a row fail.
 */
void
confab_client_connect (ConfabClient *self)
{
  g_return_if_fail (CONFAB_IS_CLIENT (self));

  if (self->state == CONFAB_CLIENT_STATE_CONNECTED || self->state == CONFAB_CLIENT_STATE_CONNECTING)
    return;

  g_clear_handle_id (&self->retry_source, g_source_remove);
  set_retry_at (self, 0);
  self->attempts = 0;
  set_state (self, CONFAB_CLIENT_STATE_CONNECTING, "");
  start_attempt (self);
}

/**
 * confab_client_disconnect:
 *
 * Leaves the room. The messages stay in the model.
 */
void
confab_client_disconnect (ConfabClient *self)
{
  g_return_if_fail (CONFAB_IS_CLIENT (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  drop_connection (self);
  set_retry_at (self, 0);
  set_state (self, CONFAB_CLIENT_STATE_DISCONNECTED, _("You left the room"));
}

/**
 * confab_client_send:
 * @text: what to say, under the username property's name
 *
 * Returns: %TRUE if @text was sent; %FALSE if it is blank or the client is not connected
 */
gboolean
confab_client_send (ConfabClient *self,
                    const char   *text)
{
  Outgoing *outgoing;

  g_return_val_if_fail (CONFAB_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (self->state != CONFAB_CLIENT_STATE_CONNECTED || self->ws == NULL)
    return FALSE;

  if (text[strspn (text, " \t\r\n")] == '\0')
    return FALSE;

  outgoing = g_new0 (Outgoing, 1);
  outgoing->cid = g_uuid_string_random ();
  outgoing->frame = confab_protocol_build_client_message (self->username ? self->username
                                                                         : CONFAB_ANONYMOUS,
                                                          text, outgoing->cid);
  g_hash_table_add (self->own_cids, g_strdup (outgoing->cid));

  soup_websocket_connection_send_text (self->ws, outgoing->frame);

  /* Kept until the echo comes back; a base server never echoes, so nothing is kept there. */
  if (self->extended)
    g_queue_push_tail (&self->outbox, outgoing);
  else
    outgoing_free (outgoing);

  return TRUE;
}

ConfabClientState
confab_client_get_state (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), CONFAB_CLIENT_STATE_DISCONNECTED);

  return self->state;
}

/**
 * confab_client_get_status_reason:
 *
 * Returns: (nullable): why the connection last failed or closed, in a sentence
 */
const char *
confab_client_get_status_reason (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), NULL);

  return self->status_reason;
}

/**
 * confab_client_get_retry_at:
 *
 * Returns: the wall-clock time (g_get_real_time()) of the next attempt, 0 if none is due
 */
gint64
confab_client_get_retry_at (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), 0);

  return self->retry_at;
}

const char *
confab_client_get_username (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), NULL);

  return self->username;
}

/**
 * confab_client_set_username:
 * @username: (nullable): the name for the next messages
 */
void
confab_client_set_username (ConfabClient *self,
                            const char   *username)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (CONFAB_IS_CLIENT (self));

  if (username != NULL)
    normalized = g_strstrip (g_strdup (username));
  if (normalized != NULL && normalized[0] == '\0')
    g_clear_pointer (&normalized, g_free);

  if (g_strcmp0 (self->username, normalized) == 0)
    return;

  g_free (self->username);
  self->username = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

/**
 * confab_client_get_room_name:
 *
 * Returns: (nullable): the room's name, once a Confab server has said it
 */
const char *
confab_client_get_room_name (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), NULL);

  return self->room_name;
}

/**
 * confab_client_get_extended:
 *
 * Returns: whether the server speaks Confab's extensions (%FALSE for a base server)
 */
gboolean
confab_client_get_extended (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), FALSE);

  return self->extended;
}

/**
 * confab_client_get_messages:
 *
 * Returns: (transfer none): the room's events as #ConfabMessage items, in id order, each once
 */
GListModel *
confab_client_get_messages (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), NULL);

  return G_LIST_MODEL (self->messages);
}

/**
 * confab_client_get_members:
 *
 * Returns: (transfer none): the names of the people in the room, sorted
 */
const char * const *
confab_client_get_members (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), NULL);

  return (const char * const *)self->members;
}

guint
confab_client_get_n_online (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), 0);

  return self->n_online;
}

guint
confab_client_get_reconnect_delay (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), 0);

  return self->reconnect_delay;
}

/**
 * confab_client_set_reconnect_delay:
 * @initial_ms: the wait before the first retry; each further one doubles it, up to 30 s
 */
void
confab_client_set_reconnect_delay (ConfabClient *self,
                                   guint         initial_ms)
{
  g_return_if_fail (CONFAB_IS_CLIENT (self));
  g_return_if_fail (initial_ms > 0);

  if (self->reconnect_delay != initial_ms)
    {
      self->reconnect_delay = initial_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT_DELAY]);
    }
}

guint
confab_client_get_max_retries (ConfabClient *self)
{
  g_return_val_if_fail (CONFAB_IS_CLIENT (self), 0);

  return self->max_retries;
}

/**
 * confab_client_set_max_retries:
 * @max_retries: failed attempts in a row before giving up (state DISCONNECTED)
 */
void
confab_client_set_max_retries (ConfabClient *self,
                               guint         max_retries)
{
  g_return_if_fail (CONFAB_IS_CLIENT (self));

  if (self->max_retries != max_retries)
    {
      self->max_retries = max_retries;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRIES]);
    }
}
