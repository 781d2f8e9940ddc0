/* confab-ui-test-utils.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "confab-window.h"

#include "confab-test-utils.h"
#include "confab-ui-test-utils.h"

/* What every UI test program does first: a fresh data directory, then GLib's test framework,
 * GTK and libadwaita.
 *
 * Returns: (transfer full): the data directory, to give back to confab_ui_test_run() */
char *
confab_ui_test_init (int    *argc,
                     char ***argv)
{
  char *data_home;

  /* Hosted rooms keep their history under the user's data directory: a fresh one per run.
   * (Not G_TEST_OPTION_ISOLATE_DIRS: GTK needs the system's XDG_DATA_DIRS for MIME types.) */
  data_home = g_dir_make_tmp ("confab-ui-test-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (argc, argv, NULL);
  /* The test's own D-Bus session has no desktop portal to ask for the colour scheme. */
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  gtk_init ();
  adw_init ();

  return data_home;
}

/* Runs the tests added since confab_ui_test_init(), then removes @data_home (and frees it). */
int
confab_ui_test_run (char *data_home)
{
  int status = g_test_run ();

  confab_test_remove_tree (data_home);
  g_free (data_home);

  return status;
}

/* The first chat window open, or NULL. */
ConfabWindow *
confab_ui_test_find_chat_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (CONFAB_IS_WINDOW (toplevel))
        return CONFAB_WINDOW (toplevel);
    }

  return NULL;
}

/* Closes every chat window the test opened, and waits until each is gone. */
void
confab_ui_test_close_chat_windows (void)
{
  ConfabWindow *window;

  while ((window = confab_ui_test_find_chat_window ()) != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
      gtk_window_destroy (GTK_WINDOW (window));
      WAIT_UNTIL (window == NULL);
    }
}

guint
confab_ui_test_count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;

  return n;
}

/* The row of @list titled @title, or NULL. */
GtkListBoxRow *
confab_ui_test_find_row (GtkListBox *list,
                         const char *title)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)); i++)
    {
      if (ADW_IS_PREFERENCES_ROW (row) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
        return row;
    }

  return NULL;
}
