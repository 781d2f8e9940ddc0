/* confab-server.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-server"

#include "config.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include <libsoup/soup.h>

#include "confab-enums.h"
#include "confab-history.h"
#include "confab-metered-stream.h"
#include "confab-protocol.h"
#include "confab-server.h"
#include "confab-web-resources.h"

/* A chat room on a SoupServer. Everything runs on the main context of the thread that
 * created the server: each event is serialised once and the same bytes are queued on every
 * connection, so a broadcast costs one libsoup send per client and no JSON work per client.
 * See DESIGN.md beside this file. */

#define WEB_RESOURCE_PREFIX "/io/github/confab/Confab/web"
#define BACKLOG_FRAME_KEY "confab-backlog-frame"
#define LISTEN_BACKLOG 1024
/* Joins and leaves within this window are announced together. */
#define DEFAULT_ANNOUNCE_DELAY_MS 100

typedef struct
{
  ConfabServer            *server;
  SoupWebsocketConnection *ws;
  ConfabMeteredStream     *stream;
  char                    *username;
  char                    *remote;
  gint64                   last_seen;
  guint                    index;
  guint                    extended : 1;
  guint                    joined : 1;
  guint                    doomed : 1;
} Peer;

struct _ConfabServer
{
  GObject         parent_instance;

  SoupServer     *soup;
  GSocket        *listener;
  GSource        *accept_source;
  ConfabHistory  *history;
  char           *room_name;
  char           *address;
  GResource      *web;
  ConfabFlushGroup *flush_group;

  /* Connections that receive broadcasts, in no particular order. */
  GPtrArray      *peers;
  /* Connections being closed, kept until libsoup says they are. */
  GHashTable     *closing;
  /* Connections found too slow during a broadcast, removed once it is over. */
  GPtrArray      *doomed;

  guint           port;
  guint           backlog_size;
  gsize           max_pending_bytes;
  guint           keepalive_interval;
  guint           keepalive_source;

  /* Joins and leaves not announced yet, in order, and whether presence changed: when a
   * meeting starts and a hundred people join at once, the room hears a few announcements and
   * a few presence frames, not a hundred of each to a hundred people. */
  GArray         *announcements;
  guint           announce_source;
  guint           announce_delay;
  guint           presence_dirty : 1;
  guint           listening : 1;
  guint           removing : 1;
};

G_DEFINE_FINAL_TYPE (ConfabServer, confab_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (confab-server-error-quark, confab_server_error)

enum {
  PROP_0,
  PROP_ROOM_NAME,
  PROP_HISTORY,
  PROP_PORT,
  PROP_ADDRESS,
  PROP_LISTENING,
  PROP_N_CLIENTS,
  PROP_BACKLOG_SIZE,
  PROP_MAX_PENDING_BYTES,
  PROP_KEEPALIVE_INTERVAL,
  PROP_ANNOUNCE_DELAY,
  N_PROPS
};

enum {
  EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void remove_peer (ConfabServer *self,
                         Peer         *peer,
                         gushort       code,
                         const char   *reason);

static gsize
peer_get_unsent (Peer *peer)
{
  return confab_metered_stream_get_pending (peer->stream);
}

/* Frames leave as whole WebSocket frames built once: see confab-metered-stream.c. */
static GBytes *
to_wire (GBytes *json)
{
  gsize length;
  const char *data = g_bytes_get_data (json, &length);

  return confab_websocket_text_frame (data, length);
}

static void
peer_free (Peer *peer)
{
  if (peer->ws != NULL)
    g_signal_handlers_disconnect_by_data (peer->ws, peer);
  g_clear_object (&peer->ws);
  g_clear_object (&peer->stream);
  g_clear_pointer (&peer->username, g_free);
  g_clear_pointer (&peer->remote, g_free);
  g_free (peer);
}

/* Queues @wire (a whole frame) on one connection. A reader that falls more than
 * max-pending-bytes behind is closed, so that it never holds up the room nor grows the
 * host's memory without end. */
static void
send_frame (ConfabServer *self,
            Peer         *peer,
            GBytes       *wire)
{
  g_assert (CONFAB_IS_SERVER (self));

  if (peer->doomed || soup_websocket_connection_get_state (peer->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  confab_metered_stream_queue (peer->stream, wire);

  /* Not removed here: that would announce a leave in the middle of a broadcast, and the
   * others would see the leave before the event being broadcast. */
  if (peer->joined && peer_get_unsent (peer) > self->max_pending_bytes)
    {
      g_message ("Closing %s: %" G_GSIZE_FORMAT " bytes unsent",
                 peer->remote, peer_get_unsent (peer));
      peer->doomed = TRUE;
      g_ptr_array_add (self->doomed, peer);
    }
}

/* Removes the connections found too slow; each removal broadcasts a leave, which may find
 * more. Called when no broadcast is under way. */
static void
remove_doomed (ConfabServer *self)
{
  g_assert (CONFAB_IS_SERVER (self));

  if (self->removing)
    return;

  self->removing = TRUE;
  while (self->doomed->len > 0)
    {
      Peer *peer = g_ptr_array_steal_index (self->doomed, 0);

      remove_peer (self, peer, CONFAB_CLOSE_SLOW_CONSUMER,
                   "Too far behind: this connection did not keep up with the room");
    }
  self->removing = FALSE;
}

static void
broadcast_frame (ConfabServer *self,
                 GBytes       *frame,
                 gboolean      extended_only)
{
  g_assert (CONFAB_IS_SERVER (self));

  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (self->peers, i);

      if (!extended_only || peer->extended)
        send_frame (self, peer, frame);
    }
}

static GBytes *
get_backlog_frame (ConfabMessage *message)
{
  GBytes *frame = g_object_get_data (G_OBJECT (message), BACKLOG_FRAME_KEY);

  /* Cached on the event: a thousand late joiners serialise it once. */
  if (frame == NULL)
    {
      g_autoptr(GBytes) json = confab_protocol_build_event (message, TRUE);

      frame = to_wire (json);
      g_object_set_data_full (G_OBJECT (message), BACKLOG_FRAME_KEY, frame,
                              (GDestroyNotify)g_bytes_unref);
    }

  return frame;
}

static void
broadcast_event (ConfabServer  *self,
                 ConfabMessage *message)
{
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GBytes) frame = NULL;

  g_assert (CONFAB_IS_SERVER (self));

  confab_history_append (self->history, message);
  json = confab_protocol_build_event (message, FALSE);
  frame = to_wire (json);
  broadcast_frame (self, frame, FALSE);

  g_signal_emit (self, signals[EVENT], 0, message);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **)a, *(const char **)b);
}

static void
broadcast_presence (ConfabServer *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GBytes) frame = NULL;
  guint anonymous = 0;
  gboolean anyone_listens = FALSE;

  g_assert (CONFAB_IS_SERVER (self));

  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (self->peers, i);

      anyone_listens |= peer->extended;
      if (peer->username == NULL)
        anonymous++;
      else if (g_hash_table_add (seen, peer->username))
        g_ptr_array_add (names, peer->username);
    }

  if (!anyone_listens)
    return;

  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  json = confab_protocol_build_presence ((const char * const *)names->pdata,
                                         anonymous, self->peers->len);
  frame = to_wire (json);
  broadcast_frame (self, frame, TRUE);
}

typedef struct
{
  ConfabSystemEvent  event;
  char              *username;
} Announcement;

static void
announcement_clear (Announcement *announcement)
{
  g_clear_pointer (&announcement->username, g_free);
}

static char *
describe_group (ConfabSystemEvent   event,
                guint               count,
                const char * const *names)
{
  guint n_names = names ? g_strv_length ((char **)names) : 0;
  const char *verb = event == CONFAB_SYSTEM_EVENT_JOIN ? "joined" : "left";
  g_autoptr(GString) text = g_string_new (NULL);

  if (count == 1)
    {
      if (n_names == 1)
        return g_strdup_printf ("%s %s the chat", names[0], verb);
      return g_strdup (event == CONFAB_SYSTEM_EVENT_JOIN ? "A new user joined the chat"
                                                         : "A user left the chat");
    }

  if (n_names == 0)
    return g_strdup_printf ("%u %s %s the chat", count,
                            event == CONFAB_SYSTEM_EVENT_JOIN ? "new users" : "users", verb);

  /* "alice, bob and carol", or "alice, bob and 7 others" */
  for (guint i = 0; i < MIN (n_names, 3); i++)
    {
      if (i > 0)
        g_string_append (text, (i == n_names - 1 && count == n_names) ? " and " : ", ");
      g_string_append (text, names[i]);
    }
  if (count > MIN (n_names, 3))
    g_string_append_printf (text, " and %u other%s", count - MIN (n_names, 3),
                            count - MIN (n_names, 3) == 1 ? "" : "s");
  g_string_append_printf (text, " %s the chat", verb);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Announces @count joins or leaves (in @announcements from @first) as one event. */
static void
announce_group (ConfabServer *self,
                guint         first,
                guint         count)
{
  Announcement *head = &g_array_index (self->announcements, Announcement, first);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(ConfabMessage) message = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *text = NULL;

  for (guint i = first; i < first + count; i++)
    {
      Announcement *a = &g_array_index (self->announcements, Announcement, i);

      if (a->username != NULL)
        g_strv_builder_add (builder, a->username);
    }
  names = g_strv_builder_end (builder);
  text = describe_group (head->event, count, (const char * const *)names);

  message = confab_message_new_system (head->event, count == 1 ? head->username : NULL, NULL,
                                       text, NULL);
  if (count > 1)
    confab_message_set_group (message, count, (const char * const *)names);

  broadcast_event (self, message);
}

/* Sends what is pending: joins and leaves (runs of the same kind become one event), then
 * presence. Called when the window closes, and before anything else is broadcast, so that
 * the room's events keep their order. */
static void
flush_announcements (ConfabServer *self)
{
  g_autoptr(GArray) pending = NULL;
  guint start = 0;

  g_assert (CONFAB_IS_SERVER (self));

  g_clear_handle_id (&self->announce_source, g_source_remove);

  for (guint i = 1; i <= self->announcements->len; i++)
    {
      if (i == self->announcements->len ||
          g_array_index (self->announcements, Announcement, i).event !=
          g_array_index (self->announcements, Announcement, start).event)
        {
          announce_group (self, start, i - start);
          start = i;
        }
    }
  g_array_set_size (self->announcements, 0);

  if (self->presence_dirty)
    {
      self->presence_dirty = FALSE;
      broadcast_presence (self);
    }
}

static gboolean
announce_cb (gpointer user_data)
{
  ConfabServer *self = CONFAB_SERVER (user_data);

  self->announce_source = 0;
  flush_announcements (self);
  remove_doomed (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_announcements (ConfabServer *self)
{
  if (self->announce_source == 0)
    self->announce_source = g_timeout_add (self->announce_delay, announce_cb, self);
}

static void
queue_announcement (ConfabServer      *self,
                    ConfabSystemEvent  event,
                    const char        *username)
{
  Announcement announcement = { event, g_strdup (username) };

  g_array_append_val (self->announcements, announcement);
  self->presence_dirty = TRUE;
  schedule_announcements (self);
}

static void
announce_leave (ConfabServer *self,
                Peer         *peer)
{
  queue_announcement (self, CONFAB_SYSTEM_EVENT_LEAVE, peer->username);
}

/* Takes @peer out of the room: no more broadcasts reach it, the others hear that it left,
 * and its connection is closed with @code unless it is closed already. */
static void
remove_peer (ConfabServer *self,
             Peer         *peer,
             gushort       code,
             const char   *reason)
{
  Peer *moved;
  guint index = peer->index;

  g_assert (CONFAB_IS_SERVER (self));
  g_assert (index < self->peers->len && g_ptr_array_index (self->peers, index) == peer);

  g_ptr_array_remove_index_fast (self->peers, index);
  if (index < self->peers->len)
    {
      moved = g_ptr_array_index (self->peers, index);
      moved->index = index;
    }

  if (peer->doomed)
    g_ptr_array_remove_fast (self->doomed, peer);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLIENTS]);

  if (peer->joined)
    {
      peer->joined = FALSE;
      announce_leave (self, peer);
    }

  if (soup_websocket_connection_get_state (peer->ws) == SOUP_WEBSOCKET_STATE_CLOSED)
    peer_free (peer);
  else
    {
      g_hash_table_add (self->closing, peer);
      if (soup_websocket_connection_get_state (peer->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (peer->ws, code, reason);
    }
}

static void
send_error (ConfabServer *self,
            Peer         *peer,
            const GError *error,
            const char   *cid)
{
  g_autoptr(GBytes) json = confab_protocol_build_error (error, cid);
  g_autoptr(GBytes) frame = to_wire (json);

  g_debug ("Rejected a frame from %s: %s", peer->remote, error->message);
  send_frame (self, peer, frame);
}

static void
update_username (ConfabServer *self,
                 Peer         *peer,
                 const char   *username)
{
  g_autofree char *previous = NULL;

  if (username == NULL || g_strcmp0 (peer->username, username) == 0)
    return;

  previous = g_steal_pointer (&peer->username);
  peer->username = g_strdup (username);

  flush_announcements (self);

  if (previous != NULL)
    {
      g_autoptr(ConfabMessage) message = NULL;
      g_autofree char *text = g_strdup_printf ("%s is now %s", previous, username);

      message = confab_message_new_system (CONFAB_SYSTEM_EVENT_RENAME, username, previous,
                                           text, NULL);
      broadcast_event (self, message);
    }

  self->presence_dirty = TRUE;
  schedule_announcements (self);
}

static void
handle_chat (ConfabServer      *self,
             Peer              *peer,
             ConfabClientFrame *frame)
{
  g_autoptr(ConfabMessage) message = NULL;
  const char *username;

  /* A message resent after a reconnect, which we have already: the sender sees it in its
   * backlog, the others have seen it once. */
  if (frame->cid != NULL && confab_history_lookup_cid (self->history, frame->cid) != NULL)
    return;

  update_username (self, peer, frame->username);
  flush_announcements (self);

  username = frame->username ? frame->username : peer->username;
  message = confab_message_new_chat (username ? username : CONFAB_ANONYMOUS, frame->text, NULL);
  confab_message_set_cid (message, frame->cid);
  broadcast_event (self, message);
}

static void
ws_message_cb (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *bytes,
               Peer                    *peer)
{
  ConfabServer *self = peer->server;
  g_auto(ConfabClientFrame) frame = { 0 };
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data;

  g_assert (CONFAB_IS_SERVER (self));

  peer->last_seen = g_get_monotonic_time ();
  confab_metered_stream_mark_read (peer->stream);

  if (!peer->joined)
    return;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_set_error_literal (&error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_BINARY_FRAME,
                           "Binary frames are not understood: send JSON in text frames.");
      send_error (self, peer, error, NULL);
      return;
    }

  data = g_bytes_get_data (bytes, &length);

  if (!confab_protocol_parse_client_frame (data, length, &frame, &error))
    {
      send_error (self, peer, error, frame.cid);
      return;
    }

  if (frame.type == CONFAB_CLIENT_FRAME_MESSAGE)
    handle_chat (self, peer, &frame);

  remove_doomed (self);
}

static void
ws_pong_cb (SoupWebsocketConnection *ws,
            GBytes                  *message,
            Peer                    *peer)
{
  peer->last_seen = g_get_monotonic_time ();
  confab_metered_stream_mark_read (peer->stream);
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              Peer                    *peer)
{
  ConfabServer *self = peer->server;

  g_assert (CONFAB_IS_SERVER (self));

  g_debug ("Connection from %s closed (code %u)", peer->remote,
           soup_websocket_connection_get_close_code (ws));

  if (g_hash_table_remove (self->closing, peer))
    peer_free (peer);
  else
    remove_peer (self, peer, 0, NULL);

  remove_doomed (self);
}

static gboolean
keepalive_cb (gpointer user_data)
{
  ConfabServer *self = CONFAB_SERVER (user_data);
  gint64 deadline = g_get_monotonic_time () - 3 * (gint64)self->keepalive_interval * G_USEC_PER_SEC;

  g_autoptr(GPtrArray) silent = g_ptr_array_new ();
  g_autoptr(GBytes) ping = NULL;
  static const guint8 ping_frame[] = { 0x80 | 0x9, 0 }; /* FIN, ping, no payload */

  g_assert (CONFAB_IS_SERVER (self));

  /* One timer and one shared ping frame for the whole room, rather than a timer in every
   * connection: the peers answer with pongs, which libsoup reports. */
  ping = g_bytes_new_static (ping_frame, sizeof ping_frame);

  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (self->peers, i);

      if (peer->last_seen < deadline && !peer->doomed)
        g_ptr_array_add (silent, peer);
      else
        send_frame (self, peer, ping);
    }

  for (guint i = 0; i < silent->len; i++)
    {
      Peer *peer = g_ptr_array_index (silent, i);

      g_message ("Closing %s: no sign of life", peer->remote);
      remove_peer (self, peer, CONFAB_CLOSE_IDLE, "No sign of life");
    }

  remove_doomed (self);

  return G_SOURCE_CONTINUE;
}

static void
restart_keepalive (ConfabServer *self)
{
  g_clear_handle_id (&self->keepalive_source, g_source_remove);

  if (self->keepalive_interval > 0 && self->listening)
    self->keepalive_source = g_timeout_add_seconds (self->keepalive_interval, keepalive_cb, self);
}

typedef struct
{
  char     *username;
  char     *history;
  gint64    since;
  gboolean  extended;
} JoinRequest;

static void
join_request_clear (JoinRequest *request)
{
  g_clear_pointer (&request->username, g_free);
  g_clear_pointer (&request->history, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JoinRequest, join_request_clear)

static void
parse_join_request (SoupServerMessage *msg,
                    JoinRequest       *request)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = NULL;
  const char *value;

  if (query == NULL || !(params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL)))
    return;

  /* Any version from 1 on understands the extension frames. */
  if ((value = g_hash_table_lookup (params, "protocol")) != NULL)
    request->extended = g_ascii_strtoll (value, NULL, 10) >= 1;

  /* A bad name in the URL is not worth refusing the connection: the client joins unnamed. */
  if (!confab_protocol_check_username (g_hash_table_lookup (params, "username"),
                                       &request->username, NULL))
    request->username = NULL;

  request->history = g_strdup (g_hash_table_lookup (params, "history"));

  if ((value = g_hash_table_lookup (params, "since")) != NULL)
    request->since = g_ascii_strtoll (value, NULL, 10);
}

static void
join_peer (ConfabServer *self,
           Peer         *peer,
           JoinRequest  *request)
{
  g_autoptr(GPtrArray) backlog = NULL;
  gboolean gap = FALSE;
  gint64 since = 0;

  g_assert (CONFAB_IS_SERVER (self));

  /* `since` counts only in the history it came from. */
  if (g_strcmp0 (request->history, confab_history_get_id (self->history)) == 0)
    since = request->since;

  backlog = confab_history_get_backlog (self->history, since, self->backlog_size, &gap);

  if (peer->extended)
    {
      g_autoptr(GBytes) json = NULL;
      g_autoptr(GBytes) welcome = NULL;

      json = confab_protocol_build_welcome (self->room_name,
                                            confab_history_get_id (self->history),
                                            confab_history_get_last_id (self->history),
                                            backlog->len, gap);
      welcome = to_wire (json);
      send_frame (self, peer, welcome);
    }

  /* Backlog first, then live events: the peer is not in the room until the backlog is
   * queued, so nothing can come between or twice. */
  for (guint i = 0; i < backlog->len; i++)
    send_frame (self, peer, get_backlog_frame (g_ptr_array_index (backlog, i)));

  peer->index = self->peers->len;
  peer->joined = TRUE;
  g_ptr_array_add (self->peers, peer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLIENTS]);

  queue_announcement (self, CONFAB_SYSTEM_EVENT_JOIN, peer->username);
}

static void
upgrade_written_cb (SoupServerMessage *msg,
                    ConfabServer      *self)
{
  g_auto(JoinRequest) request = { 0 };
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GIOStream) metered = NULL;
  Peer *peer;

  g_assert (CONFAB_IS_SERVER (self));

  g_signal_handlers_disconnect_by_func (msg, upgrade_written_cb, self);

  parse_join_request (msg, &request);

  peer = g_new0 (Peer, 1);
  peer->server = self;
  peer->remote = g_strdup (soup_server_message_get_remote_host (msg));
  peer->extended = request.extended;
  peer->username = g_steal_pointer (&request.username);
  peer->last_seen = g_get_monotonic_time ();

  stream = soup_server_message_steal_connection (msg);
  metered = confab_metered_stream_new (stream, self->flush_group);
  peer->stream = CONFAB_METERED_STREAM (g_object_ref (metered));
  /* Two frames' worth between complete messages: enough for any message we accept. */
  confab_metered_stream_set_read_limit (peer->stream, 2 * CONFAB_MAX_FRAME_BYTES);
  peer->ws = soup_websocket_connection_new (metered,
                                            soup_server_message_get_uri (msg),
                                            SOUP_WEBSOCKET_CONNECTION_SERVER,
                                            NULL, NULL, NULL);
  soup_websocket_connection_set_max_incoming_payload_size (peer->ws, CONFAB_MAX_FRAME_BYTES);

  g_signal_connect (peer->ws, "message", G_CALLBACK (ws_message_cb), peer);
  g_signal_connect (peer->ws, "pong", G_CALLBACK (ws_pong_cb), peer);
  g_signal_connect (peer->ws, "closed", G_CALLBACK (ws_closed_cb), peer);

  g_debug ("Connection from %s (%s)", peer->remote,
           peer->username ? peer->username : "unnamed");

  join_peer (self, peer, &request);
  remove_doomed (self);
}

static void
websocket_request_cb (SoupServer        *soup,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  ConfabServer *self = CONFAB_SERVER (user_data);
  g_autoptr(GError) error = NULL;

  g_assert (CONFAB_IS_SERVER (self));

  if (!soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, &error))
    {
      static const char body[] = "This is a Confab chat room's WebSocket endpoint. "
                                 "Open / in a browser to join.\n";

      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                        body, sizeof body - 1);
      return;
    }

  /* The handshake is libsoup's; once the 101 is written we take the connection, so that the
   * WebSocket can sit on a stream that counts what it really sends. No extensions are
   * offered: a compressed frame could not be shared by every client. */
  soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL);
  g_signal_connect_object (msg, "wrote-informational",
                           G_CALLBACK (upgrade_written_cb), self, 0);
}

static const char *
guess_content_type (const char *path)
{
  static const struct {
    const char *suffix;
    const char *type;
  } types[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".json", "application/json" },
    { ".webmanifest", "application/manifest+json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (g_str_has_suffix (path, types[i].suffix))
        return types[i].type;
    }

  return "application/octet-stream";
}

static void
web_request_cb (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  ConfabServer *self = CONFAB_SERVER (user_data);
  g_autofree char *resource_path = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(GBytes) data = NULL;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *if_none_match;

  g_assert (CONFAB_IS_SERVER (self));

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (headers, "Allow", "GET, HEAD");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  if (g_strcmp0 (path, "/") == 0)
    path = "/index.html";

  if (strstr (path, "..") == NULL)
    {
      resource_path = g_strconcat (WEB_RESOURCE_PREFIX, path, NULL);
      data = g_resource_lookup_data (self->web, resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    }

  if (data == NULL)
    {
      static const char body[] = "Not found\n";

      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                        body, sizeof body - 1);
      return;
    }

  /* The files change only with the program: revalidate every time, answer with 304 when
   * nothing changed. */
  etag = g_strdup_printf ("\"%s-%08x\"", PACKAGE_VERSION, g_bytes_hash (data));
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'self'; connect-src 'self' ws: wss:; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'");

  if_none_match = soup_message_headers_get_one (request_headers, "If-None-Match");
  if (g_strcmp0 (if_none_match, etag) == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, guess_content_type (path), SOUP_MEMORY_COPY,
                                    g_bytes_get_data (data, NULL), g_bytes_get_size (data));
}

/* Our own listening socket rather than SoupServer's: GLib's default listen backlog is 10,
 * and a room where a hundred people join at once (a meeting starts) would see connections
 * dropped and retried a second later. */
static GSocket *
open_listening_socket (GInetAddress  *inet,
                       guint          port,
                       GError       **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 && g_inet_address_get_is_any (inet))
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, 0, NULL);

  address = g_inet_socket_address_new (inet, port);
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;

  return g_steal_pointer (&socket);
}

#define MAX_ACCEPTS_PER_TURN 64

/* Accepts what is waiting, up to a bound, and hands each connection to libsoup. libsoup's own
 * listener accepts one connection per turn of the main loop, and with thousands of clients
 * each turn polls thousands of sockets: a crowd arriving at once waited on that. */
static gboolean
accept_cb (GSocket      *listener,
           GIOCondition  condition,
           gpointer      user_data)
{
  ConfabServer *self = CONFAB_SERVER (user_data);

  g_assert (CONFAB_IS_SERVER (self));

  for (guint i = 0; i < MAX_ACCEPTS_PER_TURN; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = NULL;
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GSocketAddress) local = NULL;
      g_autoptr(GSocketAddress) remote = NULL;

      client = g_socket_accept (listener, NULL, &error);
      if (client == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_message ("Could not accept a connection: %s", error->message);
          break;
        }

      /* Chat frames are small and people wait for them: don't let Nagle hold them back. */
      g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

      connection = g_socket_connection_factory_create_connection (client);
      local = g_socket_get_local_address (client, NULL);
      remote = g_socket_get_remote_address (client, NULL);
      if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (connection), local, remote, &error))
        g_message ("Could not take a connection: %s", error->message);
    }

  return G_SOURCE_CONTINUE;
}

static void
close_all_peers (ConfabServer *self)
{
  /* Everyone leaves at once: no leave events, there is nobody left to tell. */
  g_ptr_array_set_size (self->doomed, 0);
  g_clear_handle_id (&self->announce_source, g_source_remove);
  g_array_set_size (self->announcements, 0);
  self->presence_dirty = FALSE;
  while (self->peers->len > 0)
    {
      Peer *peer = g_ptr_array_index (self->peers, self->peers->len - 1);

      peer->joined = FALSE;
      peer->doomed = FALSE;
      remove_peer (self, peer, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "The host stopped hosting");
    }
}

static void
confab_server_dispose (GObject *object)
{
  ConfabServer *self = (ConfabServer *)object;
  GHashTableIter iter;
  Peer *peer;

  confab_server_stop (self);

  g_hash_table_iter_init (&iter, self->closing);
  while (g_hash_table_iter_next (&iter, (gpointer *)&peer, NULL))
    {
      g_hash_table_iter_remove (&iter);
      peer_free (peer);
    }

  g_clear_object (&self->soup);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (confab_server_parent_class)->dispose (object);
}

static void
confab_server_finalize (GObject *object)
{
  ConfabServer *self = (ConfabServer *)object;

  g_clear_pointer (&self->peers, g_ptr_array_unref);
  g_clear_pointer (&self->closing, g_hash_table_unref);
  g_clear_pointer (&self->doomed, g_ptr_array_unref);
  g_clear_pointer (&self->announcements, g_array_unref);
  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->web, g_resource_unref);
  g_clear_pointer (&self->flush_group, confab_flush_group_unref);

  G_OBJECT_CLASS (confab_server_parent_class)->finalize (object);
}

static void
confab_server_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ConfabServer *self = CONFAB_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      g_value_set_string (value, self->room_name);
      break;

    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_LISTENING:
      g_value_set_boolean (value, self->listening);
      break;

    case PROP_N_CLIENTS:
      g_value_set_uint (value, self->peers->len);
      break;

    case PROP_BACKLOG_SIZE:
      g_value_set_uint (value, self->backlog_size);
      break;

    case PROP_MAX_PENDING_BYTES:
      g_value_set_uint64 (value, self->max_pending_bytes);
      break;

    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive_interval);
      break;

    case PROP_ANNOUNCE_DELAY:
      g_value_set_uint (value, self->announce_delay);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_server_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ConfabServer *self = CONFAB_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      self->room_name = g_value_dup_string (value);
      break;

    case PROP_HISTORY:
      self->history = g_value_dup_object (value);
      break;

    case PROP_BACKLOG_SIZE:
      confab_server_set_backlog_size (self, g_value_get_uint (value));
      break;

    case PROP_MAX_PENDING_BYTES:
      confab_server_set_max_pending_bytes (self, g_value_get_uint64 (value));
      break;

    case PROP_KEEPALIVE_INTERVAL:
      confab_server_set_keepalive_interval (self, g_value_get_uint (value));
      break;

    case PROP_ANNOUNCE_DELAY:
      self->announce_delay = MAX (1, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_server_constructed (GObject *object)
{
  ConfabServer *self = (ConfabServer *)object;

  G_OBJECT_CLASS (confab_server_parent_class)->constructed (object);

  if (self->room_name == NULL || self->room_name[0] == '\0')
    {
      g_free (self->room_name);
      self->room_name = g_strdup ("Confab");
    }

  if (self->history == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* An in-memory database cannot fail to open short of running out of memory. */
      self->history = confab_history_new (NULL, &error);
      g_assert_no_error (error);
    }

  confab_history_set_capacity (self->history, MAX (self->backlog_size, 1));
}

static void
confab_server_class_init (ConfabServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = confab_server_constructed;
  object_class->dispose = confab_server_dispose;
  object_class->finalize = confab_server_finalize;
  object_class->get_property = confab_server_get_property;
  object_class->set_property = confab_server_set_property;

  properties[PROP_ROOM_NAME] =
    g_param_spec_string ("room-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, CONFAB_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ConfabServer:address:
   *
   * The address listened on while listening: an IP address, "::" or "0.0.0.0" for every
   * interface; %NULL otherwise.
   */
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LISTENING] =
    g_param_spec_boolean ("listening", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CLIENTS] =
    g_param_spec_uint ("n-clients", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKLOG_SIZE] =
    g_param_spec_uint ("backlog-size", NULL, NULL, 0, 1000000, CONFAB_SERVER_DEFAULT_BACKLOG,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_PENDING_BYTES] =
    g_param_spec_uint64 ("max-pending-bytes", NULL, NULL, 4096, G_MAXUINT32,
                         CONFAB_SERVER_DEFAULT_MAX_PENDING_BYTES,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, 3600,
                       CONFAB_SERVER_DEFAULT_KEEPALIVE_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ConfabServer:announce-delay:
   *
   * Milliseconds during which joins and leaves are gathered into one announcement (and
   * presence into one update), unless a message comes first.
   */
  properties[PROP_ANNOUNCE_DELAY] =
    g_param_spec_uint ("announce-delay", NULL, NULL, 1, 10000, DEFAULT_ANNOUNCE_DELAY_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ConfabServer::event:
   * @self: the server
   * @message: the event, with its id
   *
   * Emitted after each event is broadcast: a chat message, a join, a leave, a rename.
   */
  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CONFAB_TYPE_MESSAGE);
}

static void
confab_server_init (ConfabServer *self)
{
  self->peers = g_ptr_array_new ();
  self->closing = g_hash_table_new (NULL, NULL);
  self->doomed = g_ptr_array_new ();
  self->announcements = g_array_new (FALSE, FALSE, sizeof (Announcement));
  g_array_set_clear_func (self->announcements, (GDestroyNotify)announcement_clear);
  self->backlog_size = CONFAB_SERVER_DEFAULT_BACKLOG;
  self->max_pending_bytes = CONFAB_SERVER_DEFAULT_MAX_PENDING_BYTES;
  self->keepalive_interval = CONFAB_SERVER_DEFAULT_KEEPALIVE_SECONDS;
  self->announce_delay = DEFAULT_ANNOUNCE_DELAY_MS;
  self->web = g_resource_ref (confab_web_get_resource ());
  self->flush_group = confab_flush_group_new (g_main_context_get_thread_default ());
}

/**
 * confab_server_new:
 * @room_name: (nullable): the room's name
 * @history: (nullable): where events are kept; %NULL keeps them in memory
 *
 * Returns: (transfer full): a room that is not listening yet
 */
ConfabServer *
confab_server_new (const char    *room_name,
                   ConfabHistory *history)
{
  g_return_val_if_fail (history == NULL || CONFAB_IS_HISTORY (history), NULL);

  return g_object_new (CONFAB_TYPE_SERVER,
                       "room-name", room_name,
                       "history", history,
                       NULL);
}

/**
 * confab_server_listen:
 * @address: (nullable): the address to listen on, %NULL for every interface
 * @port: the port, or 0 for any free one
 *
 * Starts serving the room: the WebSocket at /ws/chat and the web client at /.
 *
 * Returns: %TRUE if listening; a taken port gives %CONFAB_SERVER_ERROR_ADDRESS_IN_USE
 */
gboolean
confab_server_listen (ConfabServer  *self,
                      const char    *address,
                      guint          port,
                      GError       **error)
{
  g_autoptr(SoupServer) soup = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CONFAB_IS_SERVER (self), FALSE);
  g_return_val_if_fail (!self->listening, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  soup = soup_server_new ("server-header", PACKAGE_NAME "/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (soup, CONFAB_PROTOCOL_PATH, websocket_request_cb, self, NULL);
  soup_server_add_handler (soup, NULL, web_request_cb, self, NULL);

  if (address != NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

      if (inet == NULL)
        {
          g_set_error (error, CONFAB_SERVER_ERROR, CONFAB_SERVER_ERROR_INVALID_ADDRESS,
                       "“%s” is not an IP address to listen on.", address);
          return FALSE;
        }

      socket = open_listening_socket (inet, port, &local_error);
    }
  else
    {
      g_autoptr(GInetAddress) any6 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);

      /* Every interface: one dual-stack socket takes IPv4 and IPv6; without IPv6, IPv4 alone. */
      socket = open_listening_socket (any6, port, &local_error);
      if (socket == NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          g_autoptr(GInetAddress) any4 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);

          g_clear_error (&local_error);
          socket = open_listening_socket (any4, port, &local_error);
        }
    }

  if (socket == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, CONFAB_SERVER_ERROR, CONFAB_SERVER_ERROR_ADDRESS_IN_USE,
                     "Port %u is already in use by another program. "
                     "Choose another port, or 0 for any free port.", port);
      else
        g_set_error (error, CONFAB_SERVER_ERROR, CONFAB_SERVER_ERROR_FAILED,
                     "Could not listen on port %u: %s", port, local_error->message);
      soup_server_disconnect (soup);
      return FALSE;
    }

  bound = g_socket_get_local_address (socket, NULL);
  self->port = bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : port;
  g_free (self->address);
  self->address = bound ? g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound)))
                        : NULL;

  self->soup = g_steal_pointer (&soup);
  self->listener = g_steal_pointer (&socket);
  self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, (GSourceFunc)(void (*) (void))accept_cb, self, NULL);
  g_source_set_static_name (self->accept_source, "ConfabServer accept");
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
  self->listening = TRUE;
  restart_keepalive (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);

  return TRUE;
}

/**
 * confab_server_stop:
 *
 * Closes every connection (code 1001) and stops listening. The history stays.
 */
void
confab_server_stop (ConfabServer *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CONFAB_IS_SERVER (self));

  close_all_peers (self);
  g_clear_handle_id (&self->keepalive_source, g_source_remove);

  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->listener != NULL)
    {
      g_socket_close (self->listener, NULL);
      g_clear_object (&self->listener);
    }

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }

  if (self->history != NULL && !confab_history_flush (self->history, &error))
    g_warning ("Could not save the room's history: %s", error->message);

  if (self->listening)
    {
      self->listening = FALSE;
      g_clear_pointer (&self->address, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);
    }
}

gboolean
confab_server_get_listening (ConfabServer *self)
{
  g_return_val_if_fail (CONFAB_IS_SERVER (self), FALSE);

  return self->listening;
}

guint
confab_server_get_port (ConfabServer *self)
{
  g_return_val_if_fail (CONFAB_IS_SERVER (self), 0);

  return self->port;
}

/**
 * confab_server_dup_url:
 * @host: a host name or address by which others reach this machine
 *
 * Returns: (transfer full): the room's WebSocket URL through @host
 */
char *
confab_server_dup_url (ConfabServer *self,
                       const char   *host)
{
  g_return_val_if_fail (CONFAB_IS_SERVER (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("ws://[%s]:%u" CONFAB_PROTOCOL_PATH, host, self->port);

  return g_strdup_printf ("ws://%s:%u" CONFAB_PROTOCOL_PATH, host, self->port);
}

/**
 * confab_server_dup_lan_urls:
 *
 * Returns: (transfer full): the room's URLs on this machine's network addresses, IPv4
 *   first; loopback and link-local addresses are left out
 */
GStrv
confab_server_dup_lan_urls (ConfabServer *self)
{
  g_autoptr(GStrvBuilder) v4 = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) v6 = g_strv_builder_new ();
  g_auto(GStrv) v6_urls = NULL;
  struct ifaddrs *addrs = NULL;

  g_return_val_if_fail (CONFAB_IS_SERVER (self), NULL);

  if (getifaddrs (&addrs) == 0)
    {
      for (struct ifaddrs *ifa = addrs; ifa != NULL; ifa = ifa->ifa_next)
        {
          g_autoptr(GSocketAddress) address = NULL;
          g_autofree char *host = NULL;
          g_autofree char *url = NULL;
          GInetAddress *inet;
          gsize len;

          if (ifa->ifa_addr == NULL)
            continue;
          if (ifa->ifa_addr->sa_family == AF_INET)
            len = sizeof (struct sockaddr_in);
          else if (ifa->ifa_addr->sa_family == AF_INET6)
            len = sizeof (struct sockaddr_in6);
          else
            continue;

          address = g_socket_address_new_from_native (ifa->ifa_addr, len);
          inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
          if (g_inet_address_get_is_loopback (inet) || g_inet_address_get_is_link_local (inet))
            continue;

          host = g_inet_address_to_string (inet);
          url = confab_server_dup_url (self, host);
          g_strv_builder_add (ifa->ifa_addr->sa_family == AF_INET ? v4 : v6, url);
        }
      freeifaddrs (addrs);
    }

  v6_urls = g_strv_builder_end (v6);
  g_strv_builder_addv (v4, (const char **)v6_urls);

  return g_strv_builder_end (v4);
}

const char *
confab_server_get_room_name (ConfabServer *self)
{
  g_return_val_if_fail (CONFAB_IS_SERVER (self), NULL);

  return self->room_name;
}

guint
confab_server_get_n_clients (ConfabServer *self)
{
  g_return_val_if_fail (CONFAB_IS_SERVER (self), 0);

  return self->peers->len;
}

ConfabHistory *
confab_server_get_history (ConfabServer *self)
{
  g_return_val_if_fail (CONFAB_IS_SERVER (self), NULL);

  return self->history;
}

guint
confab_server_get_backlog_size (ConfabServer *self)
{
  g_return_val_if_fail (CONFAB_IS_SERVER (self), 0);

  return self->backlog_size;
}

/**
 * confab_server_set_backlog_size:
 * @backlog_size: how many recent events a late joiner receives
 */
void
confab_server_set_backlog_size (ConfabServer *self,
                                guint         backlog_size)
{
  g_return_if_fail (CONFAB_IS_SERVER (self));

  if (self->backlog_size == backlog_size)
    return;

  self->backlog_size = backlog_size;
  if (self->history != NULL)
    confab_history_set_capacity (self->history, MAX (backlog_size, 1));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKLOG_SIZE]);
}

gsize
confab_server_get_max_pending_bytes (ConfabServer *self)
{
  g_return_val_if_fail (CONFAB_IS_SERVER (self), 0);

  return self->max_pending_bytes;
}

/**
 * confab_server_set_max_pending_bytes:
 * @max_pending_bytes: how many unsent bytes a connection may fall behind before it is
 *   closed with code 4001
 */
void
confab_server_set_max_pending_bytes (ConfabServer *self,
                                     gsize         max_pending_bytes)
{
  g_return_if_fail (CONFAB_IS_SERVER (self));

  if (self->max_pending_bytes == max_pending_bytes)
    return;

  self->max_pending_bytes = max_pending_bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PENDING_BYTES]);
}

guint
confab_server_get_keepalive_interval (ConfabServer *self)
{
  g_return_val_if_fail (CONFAB_IS_SERVER (self), 0);

  return self->keepalive_interval;
}

/**
 * confab_server_set_keepalive_interval:
 * @seconds: how often to ping each client, 0 for never; a client silent for three
 *   intervals is closed with code 4002. Applies to connections made afterwards.
 */
void
confab_server_set_keepalive_interval (ConfabServer *self,
                                      guint         seconds)
{
  g_return_if_fail (CONFAB_IS_SERVER (self));

  if (self->keepalive_interval == seconds)
    return;

  self->keepalive_interval = seconds;
  restart_keepalive (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEPALIVE_INTERVAL]);
}
