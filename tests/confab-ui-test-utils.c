/* confab-ui-test-utils.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

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
