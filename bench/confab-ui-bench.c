/* confab-ui-bench.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The desktop app under a long, fast room: a real ConfabWindow joined to a real host
 * (`confab --headless` in another process), fed N messages at R per second by a raw
 * WebSocket sender, while the window's frame clock is watched. Reports the time from process
 * start to the first drawn frame, frame intervals while the log grows, and RSS.
 *
 *   confab-ui-bench CONFAB_BINARY [--messages N] [--rate R]
 *
 * Run it under an X server (bench/ui does, with xvfb-run). Frame times under Xvfb are those of
 * GTK's frame clock without vsync: a long interval means the main loop was busy, which is
 * what a stall is. */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "confab-client.h"
#include "confab-window.h"

typedef struct
{
  GSubprocess             *host;
  GDataInputStream        *host_out;
  guint                    port;
  SoupSession             *session;
  SoupWebsocketConnection *feeder;
  ConfabWindow            *window;
  GArray                  *frames;   /* gint64 µs, CLOCK_BOOTTIME */
  gint64                   process_start;
  gint64                   first_frame;
  gint64                   feed_start;
  gint64                   feed_end;
  guint                    n_messages;
  guint                    rate;
  guint                    sent;
  guint                    feed_source;
  gsize                    rss_before_kib;
  gsize                    peak_rss_kib;
  gboolean                 done;
  /* A 10 ms heartbeat: how late it fires says how long the main loop was busy. */
  gint64                   last_beat;
  gint64                   max_busy;
  gint64                   max_busy_steady;
} Bench;

static gint64
boottime_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_BOOTTIME, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* When the kernel started this process, on the same clock. */
static gint64
process_start_us (void)
{
  g_autofree char *stat = NULL;
  char *p;
  unsigned long long start_ticks = 0;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      (p = strrchr (stat, ')')) == NULL)
    return boottime_us ();

  /* Field 22 (starttime), counted from the field after the command name (field 3). */
  p += 2;
  for (int field = 3; field < 22 && p != NULL; field++)
    p = strchr (p + 1, ' ');
  if (p == NULL || sscanf (p, " %llu", &start_ticks) != 1)
    return boottime_us ();

  return (gint64)(start_ticks * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK));
}

static gsize
read_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return 0;

  return (gsize)g_ascii_strtoull (line + strlen (field), NULL, 10);
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 now = boottime_us ();

  if (bench->first_frame == 0)
    bench->first_frame = now;

  if (g_getenv ("CONFAB_UI_BENCH_TRACE") && bench->frames->len > 0 &&
      now - g_array_index (bench->frames, gint64, bench->frames->len - 1) > 50000)
    g_printerr ("stall: %.1f ms at %.2f s, %u sent\n",
                (now - g_array_index (bench->frames, gint64, bench->frames->len - 1)) / 1e3,
                (now - bench->feed_start) / 1e6, bench->sent);

  g_array_append_val (bench->frames, now);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = boottime_us ();
  gint64 late = now - bench->last_beat - 10000;

  if (bench->last_beat != 0 && bench->feed_start != 0 && bench->feed_end == 0)
    {
      bench->max_busy = MAX (bench->max_busy, late);
      if (now - bench->feed_start > 2 * G_USEC_PER_SEC)
        bench->max_busy_steady = MAX (bench->max_busy_steady, late);
      if (late > 50000 && g_getenv ("CONFAB_UI_BENCH_TRACE"))
        g_printerr ("busy: main loop held for %.1f ms at %.2f s\n", late / 1e3,
                    (now - bench->feed_start) / 1e6);
    }
  bench->last_beat = now;

  return G_SOURCE_CONTINUE;
}

static gboolean
feed_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 elapsed = boottime_us () - bench->feed_start;
  guint due = MIN (bench->n_messages, (guint)(elapsed * bench->rate / G_USEC_PER_SEC) + 1);

  /* Catch up to the schedule, so that a slow turn of the loop does not lower the rate. */
  while (bench->sent < due)
    {
      g_autofree char *frame = g_strdup_printf ("{\"username\": \"feeder\", \"message\": "
                                                "\"message %u of a long and busy day, with some "
                                                "words to wrap https://example.org/%u\"}",
                                                bench->sent, bench->sent);

      soup_websocket_connection_send_text (bench->feeder, frame);
      bench->sent++;
    }

  if (bench->sent >= bench->n_messages)
    {
      bench->feed_source = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
feeder_connected_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  bench->feeder = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (bench->feeder == NULL)
    g_error ("The feeder could not connect: %s", error->message);
}

static void
message_received_cb (ConfabClient  *client,
                     ConfabMessage *message,
                     guint         *received)
{
  if (!confab_message_is_system (message))
    (*received)++;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

typedef struct
{
  guint  frames;
  double p50_ms;
  double p99_ms;
  double max_ms;
  guint  over_50;
  guint  over_100;
} FrameStats;

/* Frame intervals whose frame ended within [from, to]. */
static FrameStats
frame_stats (Bench  *bench,
             gint64  from,
             gint64  to)
{
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  FrameStats stats = { 0 };

  for (guint i = 1; i < bench->frames->len; i++)
    {
      gint64 t = g_array_index (bench->frames, gint64, i);
      gint64 d = t - g_array_index (bench->frames, gint64, i - 1);

      if (t < from || t > to)
        continue;
      g_array_append_val (intervals, d);
      stats.over_50 += d > 50000;
      stats.over_100 += d > 100000;
      stats.max_ms = MAX (stats.max_ms, d / 1e3);
    }

  g_array_sort (intervals, compare_gint64);
  stats.frames = intervals->len;
  if (stats.frames > 0)
    {
      stats.p50_ms = g_array_index (intervals, gint64, stats.frames / 2) / 1e3;
      stats.p99_ms = g_array_index (intervals, gint64, MIN (stats.frames - 1, stats.frames * 99 / 100)) / 1e3;
    }

  return stats;
}

static void
print_stats (const char       *label,
             const FrameStats *stats,
             double            seconds)
{
  g_print ("ui: %s: %u frames (%.1f/s); interval p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
           "over 50 ms: %u, over 100 ms: %u\n",
           label, stats->frames, seconds > 0 ? stats->frames / seconds : 0.0,
           stats->p50_ms, stats->p99_ms, stats->max_ms, stats->over_50, stats->over_100);
}

#define WARM_UP_US (2 * G_USEC_PER_SEC)

static void
report (Bench *bench)
{
  gsize rss_after = read_status_kib ("VmRSS:");
  gsize peak = read_status_kib ("VmHWM:");
  gint64 steady_from = MIN (bench->feed_start + WARM_UP_US, bench->feed_end);
  FrameStats all = frame_stats (bench, bench->feed_start, bench->feed_end);
  FrameStats steady = frame_stats (bench, steady_from, bench->feed_end);
  double seconds = (bench->feed_end - bench->feed_start) / 1e6;

  g_print ("ui: %u messages at %u/s in %.1f s\n", bench->n_messages, bench->rate, seconds);
  g_print ("ui: start to first frame %.0f ms\n", (bench->first_frame - bench->process_start) / 1e3);
  print_stats ("whole run", &all, seconds);
  print_stats ("after the first 2 s", &steady, (bench->feed_end - steady_from) / 1e6);
  g_print ("ui: main loop busy at most %.1f ms (%.1f ms after the first 2 s)\n",
           bench->max_busy / 1e3, bench->max_busy_steady / 1e3);
  g_print ("ui: RSS %zu KiB before, %zu KiB after, peak %zu KiB; %.2f KiB per message\n",
           bench->rss_before_kib, rss_after, peak,
           (double)(rss_after - bench->rss_before_kib) / bench->n_messages);
  g_print ("{\"messages\": %u, \"rate\": %u, \"seconds\": %.2f, \"first_frame_ms\": %.1f, "
           "\"frames\": %u, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f, "
           "\"over_50ms\": %u, \"over_100ms\": %u, \"steady_p99_ms\": %.2f, "
           "\"steady_max_ms\": %.2f, \"steady_over_50ms\": %u, \"rss_before_kib\": %zu, "
           "\"rss_after_kib\": %zu, \"peak_kib\": %zu}\n",
           bench->n_messages, bench->rate, seconds,
           (bench->first_frame - bench->process_start) / 1e3,
           all.frames, all.p50_ms, all.p99_ms, all.max_ms, all.over_50, all.over_100,
           steady.p99_ms, steady.max_ms, steady.over_50,
           bench->rss_before_kib, rss_after, peak);
}

static void
host_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Bench *bench = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                     result, NULL, NULL);
  const char *at;

  if (line == NULL)
    return;

  if (bench->port == 0 && (at = strstr (line, "Listening on ws://")) != NULL)
    {
      at = strchr (at + strlen ("Listening on ws://"), ':');
      bench->port = at ? (guint)g_ascii_strtoull (at + 1, NULL, 10) : 0;
    }

  /* Keep draining its log, or it would block on a full pipe. */
  g_data_input_stream_read_line_async (bench->host_out, G_PRIORITY_LOW, NULL, host_line_cb, bench);
}

static void
iterate_until (gboolean *flag,
               guint    *value,
               guint     target)
{
  while ((flag && !*flag) || (value && *value < target))
    g_main_context_iteration (NULL, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  Bench bench = { 0 };
  guint64 value;
  guint received = 0;

  bench.process_start = process_start_us ();
  bench.n_messages = 100000;
  bench.rate = 1000;

  if (argc < 2)
    {
      g_printerr ("usage: %s CONFAB_BINARY [--messages N] [--rate R]\n", argv[0]);
      return 2;
    }
  for (int i = 2; i + 1 < argc; i += 2)
    {
      if (!g_ascii_string_to_unsigned (argv[i + 1], 10, 1, G_MAXUINT, &value, NULL))
        return 2;
      if (g_str_equal (argv[i], "--messages"))
        bench.n_messages = value;
      else if (g_str_equal (argv[i], "--rate"))
        bench.rate = value;
    }

  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  gtk_init ();
  adw_init ();

  /* The host, in its own process, so that its history does not count here. */
  data_dir = g_dir_make_tmp ("confab-ui-bench-XXXXXX", &error);
  g_assert_no_error (error);
  bench.host = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                                 argv[1], "--headless", "--port", "0", "--no-publish",
                                 "--data-dir", data_dir, NULL);
  g_assert_no_error (error);
  bench.host_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bench.host));
  g_data_input_stream_read_line_async (bench.host_out, G_PRIORITY_LOW, NULL, host_line_cb, &bench);
  iterate_until (NULL, &bench.port, 1);

  url = g_strdup_printf ("ws://127.0.0.1:%u/ws/chat", bench.port);

  /* The window, as `confab --join` opens it. */
  {
    g_autoptr(ConfabClient) client = confab_client_new (url);

    confab_client_set_username (client, "reader");
    bench.window = confab_window_new (NULL, client, NULL);
    bench.frames = g_array_new (FALSE, FALSE, sizeof (gint64));
    gtk_window_set_default_size (GTK_WINDOW (bench.window), 900, 650);
    gtk_window_present (GTK_WINDOW (bench.window));
    while (!gtk_widget_get_realized (GTK_WIDGET (bench.window)))
      g_main_context_iteration (NULL, TRUE);
    g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (bench.window)), "after-paint",
                      G_CALLBACK (after_paint_cb), &bench);
    g_signal_connect (client, "message-received", G_CALLBACK (message_received_cb), &received);
    confab_client_connect (client);

    while (bench.first_frame == 0 || confab_client_get_state (client) != CONFAB_CLIENT_STATE_CONNECTED)
      g_main_context_iteration (NULL, TRUE);
  }

  bench.session = soup_session_new ();
  msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_websocket_connect_async (bench.session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        feeder_connected_cb, &bench);
  while (bench.feeder == NULL)
    g_main_context_iteration (NULL, TRUE);

  bench.rss_before_kib = read_status_kib ("VmRSS:");
  bench.feed_start = boottime_us ();
  bench.feed_source = g_timeout_add (5, feed_cb, &bench);
  g_timeout_add_full (G_PRIORITY_HIGH, 10, heartbeat_cb, &bench, NULL);

  /* Until the window's client has every message (it is in the model by then). */
  while (received < bench.n_messages)
    g_main_context_iteration (NULL, TRUE);
  bench.feed_end = boottime_us ();

  report (&bench);

  soup_websocket_connection_close (bench.feeder, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&bench.feeder);
  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_subprocess_send_signal (bench.host, SIGTERM);
  g_subprocess_wait (bench.host, NULL, NULL);
  g_clear_object (&bench.host_out);
  g_clear_object (&bench.host);
  g_clear_object (&bench.session);
  g_array_unref (bench.frames);

  {
    g_autoptr(GDir) dir = g_dir_open (data_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (data_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (data_dir);
  }

  return 0;
}
