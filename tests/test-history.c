/* test-history.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "confab-history.h"
#include "confab-test-utils.h"

static void
append_chat (ConfabHistory *history,
             guint          n,
             const char    *cid_prefix)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %u", i);
      g_autofree char *cid = cid_prefix ? g_strdup_printf ("%s-%u", cid_prefix, i) : NULL;
      g_autoptr(ConfabMessage) message = confab_message_new_chat ("alice", text, NULL);

      confab_message_set_cid (message, cid);
      confab_history_append (history, message);
    }
}

static void
assert_consecutive (GPtrArray *events,
                    gint64     first,
                    gint64     last)
{
  g_assert_cmpuint (events->len, ==, last - first + 1);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpint (confab_message_get_id (g_ptr_array_index (events, i)), ==, first + i);
}

static void
test_ids_and_backlog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabHistory) history = confab_history_new (NULL, &error);
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GPtrArray) since = NULL;
  g_autoptr(GPtrArray) far = NULL;
  g_autoptr(GPtrArray) none = NULL;
  gboolean gap = TRUE;

  g_assert_no_error (error);
  g_assert_cmpint (confab_history_get_last_id (history), ==, 0);
  confab_history_set_capacity (history, 50);

  append_chat (history, 120, NULL);
  g_assert_cmpint (confab_history_get_last_id (history), ==, 120);
  g_assert_cmpint (confab_history_get_count (history), ==, 120);

  recent = confab_history_get_backlog (history, 0, 20, &gap);
  assert_consecutive (recent, 101, 120);
  g_assert_false (gap);

  since = confab_history_get_backlog (history, 110, 50, &gap);
  assert_consecutive (since, 111, 120);
  g_assert_false (gap);

  /* Missed more than the backlog holds: the newest ones, and a gap. */
  far = confab_history_get_backlog (history, 10, 50, &gap);
  assert_consecutive (far, 71, 120);
  g_assert_true (gap);

  none = confab_history_get_backlog (history, 120, 50, &gap);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_false (gap);
}

static void
test_cids (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabHistory) history = confab_history_new (NULL, &error);
  ConfabMessage *found;

  g_assert_no_error (error);
  confab_history_set_capacity (history, 10);
  append_chat (history, 15, "k");

  found = confab_history_lookup_cid (history, "k-14");
  g_assert_nonnull (found);
  g_assert_cmpint (confab_message_get_id (found), ==, 15);
  g_assert_cmpint (confab_message_get_id (confab_history_lookup_cid (history, "k-5")), ==, 6);
  /* Out of the window: forgotten. */
  g_assert_null (confab_history_lookup_cid (history, "k-4"));
  g_assert_null (confab_history_lookup_cid (history, "nope"));
}

static void
test_persistence (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("confab-history-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "room.sqlite", NULL);
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) backlog = NULL;
  ConfabHistory *history;

  g_assert_no_error (error);

  history = confab_history_new (path, &error);
  g_assert_no_error (error);
  id = g_strdup (confab_history_get_id (history));
  append_chat (history, 299, "p");
  {
    const char *names[] = { "ana", "ben", NULL };
    g_autoptr(ConfabMessage) group = confab_message_new_system (CONFAB_SYSTEM_EVENT_JOIN, NULL, NULL,
                                                                "ana, ben and 1 other joined the chat", NULL);

    confab_message_set_group (group, 3, names);
    confab_history_append (history, group);
  }
  g_assert_finalize_object (history);

  history = confab_history_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (confab_history_get_id (history), ==, id);
  g_assert_cmpint (confab_history_get_last_id (history), ==, 300);
  g_assert_cmpint (confab_history_get_count (history), ==, 300);

  backlog = confab_history_get_backlog (history, 0, 200, NULL);
  assert_consecutive (backlog, 101, 300);
  g_assert_cmpstr (confab_message_get_text (g_ptr_array_index (backlog, 198)), ==, "message 298");
  g_assert_cmpstr (confab_message_get_username (g_ptr_array_index (backlog, 0)), ==, "alice");
  g_assert_nonnull (confab_history_lookup_cid (history, "p-298"));

  /* A grouped join keeps its count and names across the restart. */
  {
    ConfabMessage *group = g_ptr_array_index (backlog, 199);
    const char *names[] = { "ana", "ben", NULL };

    g_assert_cmpint (confab_message_get_event (group), ==, CONFAB_SYSTEM_EVENT_JOIN);
    g_assert_cmpuint (confab_message_get_count (group), ==, 3);
    g_assert_true (g_strv_equal (confab_message_get_usernames (group), names));
  }

  append_chat (history, 1, NULL);
  g_assert_cmpint (confab_history_get_last_id (history), ==, 301);
  g_assert_finalize_object (history);

  /* A different file is a different history. */
  {
    g_autofree char *other_path = g_build_filename (dir, "other.sqlite", NULL);
    g_autoptr(ConfabHistory) other = confab_history_new (other_path, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (confab_history_get_id (other), !=, id);
    g_remove (other_path);
  }

  g_remove (path);
}

static void
test_old_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("confab-history-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "old.sqlite", NULL);
  g_autoptr(ConfabHistory) history = NULL;
  g_autoptr(GPtrArray) backlog = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);

  /* A history written before events had a count and names. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                                 "INSERT INTO meta VALUES ('history', 'old1');"
                                 "CREATE TABLE events (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
                                 "  event INTEGER NOT NULL DEFAULT 0, username TEXT, previous TEXT,"
                                 "  text TEXT NOT NULL, timestamp TEXT NOT NULL, cid TEXT);"
                                 "INSERT INTO events VALUES (1, 0, 0, 'zoe', NULL, 'from before',"
                                 "  '2026-12-01T10:00:00Z', NULL);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = confab_history_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (confab_history_get_id (history), ==, "old1");
  append_chat (history, 1, NULL);

  backlog = confab_history_get_backlog (history, 0, 10, NULL);
  assert_consecutive (backlog, 1, 2);
  g_assert_cmpstr (confab_message_get_text (g_ptr_array_index (backlog, 0)), ==, "from before");
  g_assert_cmpuint (confab_message_get_count (g_ptr_array_index (backlog, 0)), ==, 1);

  g_clear_object (&history);
  confab_test_remove_tree (dir);
}

static void
test_unwritable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabHistory) history = NULL;

  history = confab_history_new ("/proc/confab-cannot-be-here/room.sqlite", &error);
  g_assert_null (history);
  g_assert_error (error, CONFAB_HISTORY_ERROR, CONFAB_HISTORY_ERROR_OPEN);
}

static void
test_grow_capacity (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabHistory) history = confab_history_new (NULL, &error);
  g_autoptr(GPtrArray) backlog = NULL;

  g_assert_no_error (error);
  confab_history_set_capacity (history, 5);
  append_chat (history, 30, NULL);
  confab_history_set_capacity (history, 25);

  backlog = confab_history_get_backlog (history, 0, 25, NULL);
  assert_consecutive (backlog, 6, 30);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/confab/history/ids-and-backlog", test_ids_and_backlog);
  g_test_add_func ("/confab/history/cids", test_cids);
  g_test_add_func ("/confab/history/persistence", test_persistence);
  g_test_add_func ("/confab/history/old-schema", test_old_schema);
  g_test_add_func ("/confab/history/unwritable", test_unwritable);
  g_test_add_func ("/confab/history/grow-capacity", test_grow_capacity);

  return g_test_run ();
}
