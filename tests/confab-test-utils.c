/* confab-test-utils.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <glib/gstdio.h>

#include "confab-message.h"
#include "confab-test-utils.h"

struct _TestPeer
{
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  GPtrArray               *frames;
  GError                  *error;
  gboolean                 done;
  gboolean                 closed;
};

struct _SeedServer
{
  GSubprocess *process;
  guint        port;
};

static gboolean
tick_cb (gpointer user_data)
{
  /* Removed by confab_test_iterate(), whether it fired or not. */
  return G_SOURCE_CONTINUE;
}

void
confab_test_iterate (void)
{
  guint tick = g_timeout_add (20, tick_cb, NULL);

  g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static void
peer_message_cb (SoupWebsocketConnection *ws,
                 gint                     type,
                 GBytes                  *bytes,
                 TestPeer                *peer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (!json_parser_load_from_data (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_error ("The server sent a frame that is not a JSON object: %.*s", (int)length, data);

  g_ptr_array_add (peer->frames, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
}

static void
peer_closed_cb (SoupWebsocketConnection *ws,
                TestPeer                *peer)
{
  peer->closed = TRUE;
}

static void
peer_connected_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TestPeer *peer = user_data;

  peer->ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &peer->error);
  peer->done = TRUE;
}

TestPeer *
test_peer_connect (const char *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  TestPeer *peer = g_new0 (TestPeer, 1);

  g_assert_nonnull (msg);

  peer->session = soup_session_new ();
  peer->frames = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  soup_session_websocket_connect_async (peer->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, peer_connected_cb, peer);
  WAIT_UNTIL (peer->done);
  g_assert_no_error (peer->error);

  soup_websocket_connection_set_max_incoming_payload_size (peer->ws, 1024 * 1024);
  g_signal_connect (peer->ws, "message", G_CALLBACK (peer_message_cb), peer);
  g_signal_connect (peer->ws, "closed", G_CALLBACK (peer_closed_cb), peer);

  return peer;
}

void
test_peer_free (TestPeer *peer)
{
  if (peer->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (peer->ws, peer);
      if (soup_websocket_connection_get_state (peer->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (peer->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_clear_object (&peer->ws);
  g_clear_object (&peer->session);
  g_clear_pointer (&peer->frames, g_ptr_array_unref);
  g_clear_error (&peer->error);
  g_free (peer);
}

void
test_peer_send (TestPeer   *peer,
                const char *text)
{
  soup_websocket_connection_send_text (peer->ws, text);
}

void
test_peer_send_binary (TestPeer   *peer,
                       const void *data,
                       gsize       length)
{
  soup_websocket_connection_send_binary (peer->ws, data, length);
}

guint
test_peer_n_frames (TestPeer *peer)
{
  return peer->frames->len;
}

JsonObject *
test_peer_get_frame (TestPeer *peer,
                     guint     index)
{
  g_assert_cmpuint (index, <, peer->frames->len);

  return g_ptr_array_index (peer->frames, index);
}

/* Returns: (transfer container): the frames whose "type" is @type, in arrival order */
GPtrArray *
test_peer_frames_of_type (TestPeer   *peer,
                          const char *type)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < peer->frames->len; i++)
    {
      JsonObject *frame = g_ptr_array_index (peer->frames, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (frame, "type", ""), type) == 0)
        g_ptr_array_add (found, frame);
    }

  return found;
}

JsonObject *
test_peer_last_of_type (TestPeer   *peer,
                        const char *type)
{
  for (guint i = peer->frames->len; i > 0; i--)
    {
      JsonObject *frame = g_ptr_array_index (peer->frames, i - 1);

      if (g_strcmp0 (json_object_get_string_member_with_default (frame, "type", ""), type) == 0)
        return frame;
    }

  return NULL;
}

gboolean
test_peer_is_closed (TestPeer *peer)
{
  return peer->closed;
}

gushort
test_peer_close_code (TestPeer *peer)
{
  return soup_websocket_connection_get_close_code (peer->ws);
}

SoupWebsocketConnection *
test_peer_get_connection (TestPeer *peer)
{
  return peer->ws;
}

/* Drops the connection the way a crashed client or a pulled cable would: no close frame. */
void
test_peer_abort (TestPeer *peer)
{
  GIOStream *stream = soup_websocket_connection_get_io_stream (peer->ws);

  g_signal_handlers_disconnect_by_data (peer->ws, peer);
  g_io_stream_close (stream, NULL, NULL);
  peer->closed = TRUE;
}

typedef struct
{
  guint              port;
  const char        *query;
  GSocketConnection *connection;
  gboolean           done;
} StalledConnect;

/* Runs in a thread: the server answers the handshake from the main loop, which the test
 * keeps turning meanwhile. */
static gpointer
stalled_connect_thread (gpointer data)
{
  StalledConnect *op = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  GInputStream *input;
  char buffer[4096];
  gsize have = 0;

  op->connection = g_socket_client_connect_to_host (client, "127.0.0.1", op->port, NULL, &error);
  g_assert_no_error (error);

  /* The smallest receive buffer the kernel allows, so that the server's side fills fast. */
  g_socket_set_option (g_socket_connection_get_socket (op->connection), SOL_SOCKET, SO_RCVBUF,
                       4096, NULL);

  request = g_strdup_printf ("GET /ws/chat%s%s HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n",
                             op->query ? "?" : "", op->query ? op->query : "", op->port);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (op->connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  /* Read the response headers one byte at a time, so that no frame is read with them. */
  input = g_io_stream_get_input_stream (G_IO_STREAM (op->connection));
  while (have < sizeof buffer - 1)
    {
      gssize n = g_input_stream_read (input, buffer + have, 1, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 1);
      have++;
      if (have >= 4 && memcmp (buffer + have - 4, "\r\n\r\n", 4) == 0)
        break;
    }
  buffer[have] = '\0';
  g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 101"));

  g_atomic_int_set (&op->done, TRUE);

  return NULL;
}

GSocketConnection *
stalled_peer_connect (guint       port,
                      const char *query)
{
  StalledConnect op = { port, query, NULL, FALSE };
  GThread *thread = g_thread_new ("stalled-peer", stalled_connect_thread, &op);

  WAIT_UNTIL (g_atomic_int_get (&op.done));
  g_thread_join (thread);

  return op.connection;
}

SeedServer *
seed_server_start (GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  const char *seed_dir = g_getenv ("CONFAB_SEED_DIR");
  SeedServer *seed;
  int fd;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) || seed_dir == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "/usr/bin/python3 or CONFAB_SEED_DIR is missing");
      return NULL;
    }

  /* Listen here and hand uvicorn the socket: the port is known before it starts, and
   * connections made before it is ready wait in the backlog instead of failing. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return NULL;

  seed = g_new0 (SeedServer, 1);
  seed->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  fd = dup (g_socket_get_fd (socket));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, seed_dir);
  g_subprocess_launcher_take_fd (launcher, fd, 3);
  seed->process = g_subprocess_launcher_spawn (launcher, error,
                                               "/usr/bin/python3", "-m", "uvicorn", "main:app",
                                               "--fd", "3", "--log-level", "warning",
                                               NULL);
  if (seed->process == NULL)
    {
      g_free (seed);
      return NULL;
    }

  return seed;
}

char *
seed_server_get_url (SeedServer *seed)
{
  return g_strdup_printf ("ws://127.0.0.1:%u/ws/chat", seed->port);
}

void
seed_server_stop (SeedServer *seed)
{
  if (seed == NULL)
    return;

  g_subprocess_send_signal (seed->process, SIGTERM);
  g_subprocess_wait (seed->process, NULL, NULL);
  g_object_unref (seed->process);
  g_free (seed);
}

/* Removes @path and, for a directory, everything below it (not following links). */
void
confab_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          confab_test_remove_tree (child);
        }
    }

  g_remove (path);
}

/* Whether avahi-daemon answers on the system bus, for the tests that need it. */
gboolean
confab_test_avahi_available (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus,
                                       "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.Avahi"),
                                       G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

/* How many chat messages (not system events) a client's model holds. */
guint
confab_test_count_chat (GListModel *model)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ConfabMessage) message = g_list_model_get_item (model, i);

      n += !confab_message_is_system (message);
    }

  return n;
}

/* Runs @check in a subprocess whose system bus does not exist: Avahi's client cannot even
 * wait for the daemon there. */
void
confab_test_without_system_bus (void (*check) (void))
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/confab-test-bus", TRUE);
      check ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Runs @check in a subprocess whose system bus is a private one with no avahi-daemon on it:
 * Avahi's client waits for the daemon there. Skips without dbus-daemon. */
void
confab_test_without_avahi_daemon (void (*check) (void))
{
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");

  if (dbus_daemon == NULL)
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }

  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);
      check ();
      g_test_dbus_down (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}
