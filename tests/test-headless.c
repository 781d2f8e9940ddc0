/* test-headless.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "confab-browser.h"
#include "confab-client.h"
#include "confab-enums.h"
#include "confab-message.h"
#include "confab-room.h"
#include "confab-test-utils.h"

/* `confab --headless` as people and scripts run it: a real process, read through its
 * standard output, stopped with a signal. */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GString          *log;
  char             *data_dir;
  guint             port;
  gboolean          reading;
  gboolean          eof;
} Host;

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Host *host = user_data;
  g_autofree char *line = NULL;

  host->reading = FALSE;
  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, NULL);
  if (line == NULL)
    {
      host->eof = TRUE;
      return;
    }

  g_string_append_printf (host->log, "%s\n", line);
  host->reading = TRUE;
  g_data_input_stream_read_line_async (host->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, host);
}

static Host *
host_start (const char *first_arg,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Host *host = g_new0 (Host, 1);
  const char *binary = g_getenv ("CONFAB_BINARY");
  va_list args;

  g_assert_nonnull (binary);

  host->log = g_string_new (NULL);
  host->data_dir = g_dir_make_tmp ("confab-headless-XXXXXX", &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, (char *)binary);
  g_ptr_array_add (argv, "--headless");
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, host->data_dir);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  host->process = g_subprocess_newv ((const char * const *)argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                     &error);
  g_assert_no_error (error);

  host->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (host->process));
  host->reading = TRUE;
  g_data_input_stream_read_line_async (host->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, host);

  return host;
}

static guint
host_wait_port (Host *host)
{
  const char *at;

  WAIT_UNTIL (strstr (host->log->str, "Listening on ws://") != NULL || host->eof);
  at = strstr (host->log->str, "Listening on ws://");
  g_assert_nonnull (at);
  at = strchr (at + strlen ("Listening on ws://"), ':');
  host->port = (guint)g_ascii_strtoull (at + 1, NULL, 10);
  g_assert_cmpuint (host->port, >, 0);

  return host->port;
}

static int
host_stop (Host *host,
           int   signum)
{
  int status;

  if (signum != 0)
    g_subprocess_send_signal (host->process, signum);
  WAIT_UNTIL (host->eof);
  g_subprocess_wait (host->process, NULL, NULL);
  status = g_subprocess_get_if_exited (host->process) ? g_subprocess_get_exit_status (host->process) : -1;

  return status;
}

static void
host_free (Host *host)
{
  confab_test_remove_tree (host->data_dir);
  g_clear_object (&host->out);
  g_clear_object (&host->process);
  g_string_free (host->log, TRUE);
  g_free (host->data_dir);
  g_free (host);
}

static void
test_serves_and_stops (void)
{
  Host *host = host_start ("--port", "0", "--room", "Lab", "--no-publish", NULL);
  g_autoptr(ConfabClient) client = NULL;
  g_autofree char *url = NULL;

  url = g_strdup_printf ("ws://127.0.0.1:%u/ws/chat", host_wait_port (host));
  client = confab_client_new (url);
  confab_client_set_username (client, "tester");
  confab_client_connect (client);
  WAIT_UNTIL (confab_client_get_extended (client));
  g_assert_cmpstr (confab_client_get_room_name (client), ==, "Lab");

  g_assert_true (confab_client_send (client, "hello headless"));
  WAIT_UNTIL (strstr (host->log->str, "<tester> hello headless") != NULL);
  g_assert_nonnull (strstr (host->log->str, "tester joined the chat"));

  /* SIGTERM: the client hears the host go, the process exits cleanly. */
  g_assert_cmpint (host_stop (host, SIGTERM), ==, 0);
  g_assert_nonnull (strstr (host->log->str, "Stopped"));
  WAIT_UNTIL (confab_client_get_state (client) != CONFAB_CLIENT_STATE_CONNECTED);
  confab_client_disconnect (client);
  host_free (host);
}

static void
test_history_survives_restart (void)
{
  Host *host = host_start ("--port", "0", "--no-publish", NULL);
  g_autoptr(ConfabClient) writer = NULL;
  g_autoptr(ConfabClient) reader = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dir = NULL;
  GListModel *log;
  gboolean found = FALSE;

  url = g_strdup_printf ("ws://127.0.0.1:%u/ws/chat", host_wait_port (host));
  writer = confab_client_new (url);
  confab_client_connect (writer);
  WAIT_UNTIL (confab_client_get_extended (writer));
  confab_client_send (writer, "remember me");
  WAIT_UNTIL (strstr (host->log->str, "remember me") != NULL);
  confab_client_disconnect (writer);
  g_assert_cmpint (host_stop (host, SIGINT), ==, 0);

  /* Same data directory, new process: the history is still there. */
  dir = g_strdup (host->data_dir);
  g_clear_object (&host->process);
  g_clear_object (&host->out);
  g_string_truncate (host->log, 0);
  host->eof = FALSE;
  {
    g_autoptr(GError) error = NULL;
    const char *argv[] = { g_getenv ("CONFAB_BINARY"), "--headless", "--port", "0",
                           "--no-publish", "--data-dir", dir, NULL };

    host->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
    g_assert_no_error (error);
    host->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (host->process));
    g_data_input_stream_read_line_async (host->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, host);
  }
  g_free (url);
  url = g_strdup_printf ("ws://127.0.0.1:%u/ws/chat", host_wait_port (host));
  reader = confab_client_new (url);
  confab_client_connect (reader);
  WAIT_UNTIL (confab_client_get_extended (reader) && g_list_model_get_n_items (confab_client_get_messages (reader)) >= 3);

  log = confab_client_get_messages (reader);
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(ConfabMessage) message = g_list_model_get_item (log, i);

      found |= g_strcmp0 (confab_message_get_text (message), "remember me") == 0 &&
               confab_message_get_backlog (message);
    }
  g_assert_true (found);

  confab_client_disconnect (reader);
  g_assert_cmpint (host_stop (host, SIGTERM), ==, 0);
  host_free (host);
}

static void
test_port_taken (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  guint16 port;
  Host *host;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  port_text = g_strdup_printf ("%u", port);

  host = host_start ("--port", port_text, "--no-publish", NULL);
  g_assert_cmpint (host_stop (host, 0), ==, 1);
  g_assert_nonnull (strstr (host->log->str, "already in use"));
  g_assert_null (strstr (host->log->str, "CRITICAL"));
  host_free (host);

  host = host_start ("--port", "70000", NULL);
  g_assert_cmpint (host_stop (host, 0), ==, 2);
  g_assert_nonnull (strstr (host->log->str, "Invalid port"));
  host_free (host);
}

static gboolean
browser_has (ConfabBrowser *browser,
             const char    *room,
             guint          port)
{
  GListModel *model = G_LIST_MODEL (browser);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ConfabRoom) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (confab_room_get_room (item), room) == 0 && confab_room_get_port (item) == port)
        return TRUE;
    }

  return FALSE;
}

static void
test_publishes (void)
{
  g_autoptr(ConfabBrowser) browser = confab_browser_new ();
  g_autofree char *room = g_strdup_printf ("Headless %u", g_random_int ());
  Host *quiet;
  Host *host;
  guint port;

  confab_browser_start (browser);
  WAIT_UNTIL (confab_browser_get_state (browser) != CONFAB_BROWSER_STATE_STARTING &&
              confab_browser_get_state (browser) != CONFAB_BROWSER_STATE_IDLE);
  if (confab_browser_get_state (browser) != CONFAB_BROWSER_STATE_RUNNING)
    {
      g_test_skip ("avahi-daemon is not running: start it with tests/start-services.sh");
      return;
    }

  /* --no-publish: never announced. */
  quiet = host_start ("--port", "0", "--room", room, "--no-publish", NULL);
  host_wait_port (quiet);

  host = host_start ("--port", "0", "--room", room, NULL);
  port = host_wait_port (host);
  WAIT_UNTIL (browser_has (browser, room, port));
  g_assert_nonnull (strstr (host->log->str, "Announced on the local network"));
  g_assert_false (browser_has (browser, room, quiet->port));

  g_assert_cmpint (host_stop (host, SIGTERM), ==, 0);
  WAIT_UNTIL (!browser_has (browser, room, port));
  g_assert_cmpint (host_stop (quiet, SIGTERM), ==, 0);

  host_free (host);
  host_free (quiet);
  confab_browser_stop (browser);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/confab/headless/serves-and-stops", test_serves_and_stops);
  g_test_add_func ("/confab/headless/history-survives-restart", test_history_survives_restart);
  g_test_add_func ("/confab/headless/port-taken", test_port_taken);
  g_test_add_func ("/confab/headless/publishes", test_publishes);

  return g_test_run ();
}
