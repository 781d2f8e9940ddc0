/* confab-headless.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-headless"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "confab-headless.h"
#include "confab-history.h"
#include "confab-message.h"
#include "confab-publisher.h"
#include "confab-server.h"

/* `confab --headless`: a room with no window, for a spare machine in a cupboard. It logs
 * the room to standard output and stops cleanly on SIGINT or SIGTERM. */

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

static void
publisher_state_cb (ConfabPublisher *publisher,
                    GParamSpec      *pspec,
                    gpointer         user_data)
{
  switch (confab_publisher_get_state (publisher))
    {
    case CONFAB_PUBLISHER_STATE_PUBLISHED:
      g_print (_("Announced on the local network as “%s”\n"),
               confab_publisher_get_published_name (publisher));
      break;

    case CONFAB_PUBLISHER_STATE_DAEMON_MISSING:
    case CONFAB_PUBLISHER_STATE_FAILED:
      g_print (_("Not announced on the local network: %s\n"),
               confab_publisher_get_error_message (publisher));
      break;

    case CONFAB_PUBLISHER_STATE_IDLE:
    case CONFAB_PUBLISHER_STATE_REGISTERING:
    default:
      break;
    }
}

static void
event_cb (ConfabServer  *server,
          ConfabMessage *message,
          gpointer       user_data)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (confab_message_get_timestamp (message));
  g_autofree char *time = g_date_time_format (local, "%H:%M:%S");

  if (confab_message_is_system (message))
    g_print ("[%s] * %s\n", time, confab_message_get_text (message));
  else
    g_print ("[%s] <%s> %s\n", time, confab_message_get_username (message),
             confab_message_get_text (message));
}

/**
 * confab_default_history_path:
 * @data_dir: (nullable): a directory, or %NULL for the user's data directory
 * @room: the room's name
 *
 * Finds, and creates the directory for, the SQLite file that keeps @room's history.
 *
 * Returns: (transfer full) (nullable): the file's path, or %NULL with @error set
 */
char *
confab_default_history_path (const char  *data_dir,
                             const char  *room,
                             GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *file = NULL;

  g_return_val_if_fail (room != NULL, NULL);

  if (data_dir != NULL)
    dir = g_strdup (data_dir);
  else
    dir = g_build_filename (g_get_user_data_dir (), "confab", "rooms", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the directory “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  /* A room name is anything a person types: keep the file name tame. */
  escaped = g_uri_escape_string (room, NULL, FALSE);
  g_strdelimit (escaped, "%", '_');
  file = g_strconcat (escaped, ".sqlite", NULL);

  return g_build_filename (dir, file, NULL);
}

/**
 * confab_headless_run:
 *
 * Hosts a room until SIGINT or SIGTERM.
 *
 * Returns: the process's exit status: 0 after a clean stop, 1 when the room could not open
 */
int
confab_headless_run (const ConfabHeadlessOptions *options)
{
  g_autoptr(ConfabHistory) history = NULL;
  g_autoptr(ConfabServer) server = NULL;
  g_autoptr(ConfabPublisher) publisher = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *local_url = NULL;
  g_auto(GStrv) lan_urls = NULL;
  const char *room;
  guint sigint, sigterm;

  g_return_val_if_fail (options != NULL, 1);

  /* Logs are read live, through pipes too. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  room = options->room && options->room[0] ? options->room : "Confab";

  if (!(path = confab_default_history_path (options->data_dir, room, &error)) ||
      !(history = confab_history_new (path, &error)))
    {
      g_printerr (_("confab: cannot open the room’s history: %s\n"), error->message);
      return 1;
    }

  server = confab_server_new (room, history);
  if (options->backlog > 0)
    confab_server_set_backlog_size (server, options->backlog);
  g_signal_connect (server, "event", G_CALLBACK (event_cb), NULL);

  if (!confab_server_listen (server, options->address, options->port, &error))
    {
      g_printerr ("confab: %s\n", error->message);
      return 1;
    }

  local_url = confab_server_dup_url (server, options->address ? options->address : "127.0.0.1");
  {
    g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, confab_history_get_count (history));

    g_print (_("Hosting “%s” on port %u (history: %s, %s events)\n"),
             room, confab_server_get_port (server), path, count);
  }
  g_print (_("Listening on %s\n"), local_url);

  lan_urls = confab_server_dup_lan_urls (server);
  for (guint i = 0; lan_urls[i] != NULL; i++)
    g_print (_("Others can join at %s\n"), lan_urls[i]);
  g_print (_("Browsers can open http://HOST:%u/ with any of those addresses\n"),
           confab_server_get_port (server));

  if (options->publish)
    {
      publisher = confab_publisher_new (room, confab_server_get_port (server));
      g_signal_connect (publisher, "notify::state", G_CALLBACK (publisher_state_cb), NULL);
      confab_publisher_start (publisher);
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);

  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);

  g_print (_("Stopping: closing %u connections\n"), confab_server_get_n_clients (server));
  if (publisher != NULL)
    confab_publisher_stop (publisher);
  confab_server_stop (server);

  if (!confab_history_flush (history, &error))
    {
      g_printerr (_("confab: could not save the room’s history: %s\n"), error->message);
      return 1;
    }

  g_print (_("Stopped\n"));

  return 0;
}
