/* test-dialog.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The host-or-join window, driven as a person would: its fields, its buttons' actions, the
 * recent rooms and the rooms found on the network.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "confab-browser.h"
#include "confab-client.h"
#include "confab-room.h"
#include "confab-server.h"
#include "confab-start-dialog-private.h"
#include "confab-test-utils.h"
#include "confab-ui-test-utils.h"
#include "confab-window.h"

typedef struct
{
  ConfabStartDialog        *dialog;
  ConfabStartDialogWidgets  w;
  GSettings                *settings;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->settings = g_settings_new (APP_ID);
  g_settings_reset (f->settings, "username");
  g_settings_reset (f->settings, "recent-rooms");
  g_settings_reset (f->settings, "host-room-name");
  g_settings_reset (f->settings, "host-port");
  g_settings_reset (f->settings, "start-page");

  f->dialog = confab_start_dialog_new (NULL);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  _confab_start_dialog_get_widgets (f->dialog, &f->w);
  gtk_window_present (GTK_WINDOW (f->dialog));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  WAIT_UNTIL (f->dialog == NULL);

  confab_ui_test_close_chat_windows ();
  g_clear_object (&f->settings);
}

static GtkWidget *
find_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button (child);

      if (button != NULL)
        return button;
    }

  return NULL;
}

static void
test_dialog_defaults (Fixture       *f,
                      gconstpointer  data)
{
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (f->w.stack), ==, "host");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (f->w.port_spin), ==, 8000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->w.room_row)), !=, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->w.host_error_label)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->w.join_error_label)));

  /* Nothing to join yet. */
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "start.join", NULL);
  g_assert_nonnull (f->dialog);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->w.join_error_label)));
  g_assert_null (confab_ui_test_find_chat_window ());

  /* Both pages edit the one remembered name. */
  gtk_editable_set_text (GTK_EDITABLE (f->w.host_name_row), "Sam");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->w.join_name_row)), ==, "Sam");
}

static void
test_dialog_join_invalid (Fixture       *f,
                          gconstpointer  data)
{
  confab_start_dialog_show_page (f->dialog, "join");
  gtk_editable_set_text (GTK_EDITABLE (f->w.address_row), "ftp://example.org");
  g_signal_emit_by_name (f->w.address_row, "entry-activated");

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->w.join_error_label)));
  g_assert_cmpstr (gtk_label_get_text (f->w.join_error_label), !=, "");
  g_assert_nonnull (f->dialog);
  g_assert_null (confab_ui_test_find_chat_window ());

  /* Editing the address clears the error. */
  gtk_editable_set_text (GTK_EDITABLE (f->w.address_row), "127.0.0.1");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->w.join_error_label)));
}

static void
test_dialog_join (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabServer) server = confab_server_new ("Join Me", NULL);
  g_autofree char *address = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GVariant) recent = NULL;
  ConfabWindow *window;
  ConfabClient *client;
  const char *recent_url;
  const char *recent_name;

  confab_server_listen (server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  address = g_strdup_printf ("127.0.0.1:%u", confab_server_get_port (server));
  url = confab_server_dup_url (server, "127.0.0.1");

  confab_start_dialog_show_page (f->dialog, "join");
  gtk_editable_set_text (GTK_EDITABLE (f->w.join_name_row), "joiner");
  gtk_editable_set_text (GTK_EDITABLE (f->w.address_row), address);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "start.join", NULL));

  /* The dialog gives way to the chat window. */
  WAIT_UNTIL (f->dialog == NULL);
  window = confab_ui_test_find_chat_window ();
  g_assert_nonnull (window);
  g_assert_null (confab_window_get_server (window));

  client = confab_window_get_client (window);
  g_assert_cmpstr (confab_client_get_url (client), ==, url);
  WAIT_UNTIL (confab_client_get_state (client) == CONFAB_CLIENT_STATE_CONNECTED);
  g_assert_cmpstr (confab_client_get_username (client), ==, "joiner");

  /* Remembered for next time, with the room's name. */
  WAIT_UNTIL (g_strcmp0 (confab_client_get_room_name (client), "Join Me") == 0);
  recent = g_settings_get_value (f->settings, "recent-rooms");
  g_assert_cmpuint (g_variant_n_children (recent), ==, 1);
  g_variant_get_child (recent, 0, "(&s&s)", &recent_url, &recent_name);
  g_assert_cmpstr (recent_url, ==, url);
  g_assert_cmpstr (recent_name, ==, "Join Me");

  confab_ui_test_close_chat_windows ();
  confab_server_stop (server);
}

static void
test_dialog_host (Fixture       *f,
                  gconstpointer  data)
{
  ConfabWindow *window;
  ConfabServer *server;
  g_autofree char *remembered = NULL;

  gtk_editable_set_text (GTK_EDITABLE (f->w.room_row), "  Kitchen  ");
  gtk_spin_button_set_value (f->w.port_spin, 0);
  g_signal_emit_by_name (f->w.room_row, "entry-activated");

  WAIT_UNTIL (f->dialog == NULL);
  window = confab_ui_test_find_chat_window ();
  g_assert_nonnull (window);

  server = confab_window_get_server (window);
  g_assert_nonnull (server);
  g_assert_cmpstr (confab_server_get_room_name (server), ==, "Kitchen");
  g_assert_cmpuint (confab_server_get_port (server), >, 0);
  WAIT_UNTIL (confab_client_get_state (confab_window_get_client (window)) ==
              CONFAB_CLIENT_STATE_CONNECTED);

  remembered = g_settings_get_string (f->settings, "host-room-name");
  g_assert_cmpstr (remembered, ==, "Kitchen");
}

static void
test_dialog_host_port_taken (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabServer) blocker = confab_server_new ("Blocker", NULL);
  guint port;

  confab_server_listen (blocker, NULL, 0, &error);
  g_assert_no_error (error);
  port = confab_server_get_port (blocker);

  gtk_spin_button_set_value (f->w.port_spin, port);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "start.host", NULL));

  /* A clear error in the dialog, which stays. */
  g_assert_nonnull (f->dialog);
  g_assert_null (confab_ui_test_find_chat_window ());
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->w.host_error_label)));
  {
    g_autofree char *port_text = g_strdup_printf ("%u", port);

    g_assert_nonnull (strstr (gtk_label_get_text (f->w.host_error_label), port_text));
  }

  confab_server_stop (blocker);
}

static void
test_dialog_recent_rooms (Fixture       *f,
                          gconstpointer  data)
{
  GVariantBuilder builder;
  GtkListBoxRow *row;
  GtkWidget *forget = NULL;

  g_assert_cmpuint (confab_ui_test_count_rows (f->w.recent_list), ==, 0);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  g_variant_builder_add (&builder, "(ss)", "ws://192.0.2.7:8000/ws/chat", "<b>Old</b> & Room");
  g_variant_builder_add (&builder, "(ss)", "ws://192.0.2.8:9000/ws/chat", "");
  g_settings_set_value (f->settings, "recent-rooms", g_variant_builder_end (&builder));

  g_assert_cmpuint (confab_ui_test_count_rows (f->w.recent_list), ==, 2);

  /* Names from the network are shown as they are. */
  row = gtk_list_box_get_row_at_index (f->w.recent_list, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "<b>Old</b> & Room");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "192.0.2.7:8000");

  /* A room without a name goes by its address. */
  row = gtk_list_box_get_row_at_index (f->w.recent_list, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "192.0.2.8:9000");

  /* Forgetting one. */
  forget = find_button (GTK_WIDGET (gtk_list_box_get_row_at_index (f->w.recent_list, 0)));
  g_assert_nonnull (forget);
  g_signal_emit_by_name (forget, "clicked");

  g_assert_cmpuint (confab_ui_test_count_rows (f->w.recent_list), ==, 1);
  row = gtk_list_box_get_row_at_index (f->w.recent_list, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "192.0.2.8:9000");
}

static void
test_dialog_lan_rooms (Fixture       *f,
                       gconstpointer  data)
{
  const char *lan[] = { "192.0.2.9", NULL };
  const char *loopback[] = { "127.0.0.1", NULL };
  g_autoptr(GListStore) rooms = g_list_store_new (CONFAB_TYPE_ROOM);
  g_autoptr(ConfabRoom) remote = NULL;
  g_autoptr(ConfabRoom) local = NULL;
  g_autoptr(ConfabRoom) unresolved = NULL;
  GtkListBoxRow *row;

  /* By default the dialog looks for rooms itself. */
  g_assert_true (CONFAB_IS_BROWSER (confab_start_dialog_get_rooms (f->dialog)));

  confab_start_dialog_set_rooms (f->dialog, G_LIST_MODEL (rooms));
  g_assert_true (confab_start_dialog_get_rooms (f->dialog) == G_LIST_MODEL (rooms));
  g_assert_cmpuint (confab_ui_test_count_rows (f->w.lan_list), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (f->w.lan_status_label), ==, "Looking for rooms…");

  /* The room's own name, not the DNS-SD instance name; never markup. */
  remote = confab_room_new ("Café #2", "Café <i>Lounge</i>", "studio.local", lan, 8000,
                            "/ws/chat", 1, FALSE);
  g_list_store_append (rooms, remote);

  g_assert_cmpuint (confab_ui_test_count_rows (f->w.lan_list), ==, 1);
  row = gtk_list_box_get_row_at_index (f->w.lan_list, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Café <i>Lounge</i>");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "studio.local · 192.0.2.9:8000");
  g_assert_true (gtk_list_box_row_get_activatable (row));

  /* Rooms hosted on this computer say so. */
  local = confab_room_new ("Attic", NULL, "laptop.local", loopback, 9000, NULL, 1, TRUE);
  g_list_store_append (rooms, local);
  row = gtk_list_box_get_row_at_index (f->w.lan_list, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Attic");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "This computer · 127.0.0.1:9000");

  /* Without an address there is nothing to join yet. */
  unresolved = confab_room_new ("Cellar", NULL, "cellar.local", NULL, 9001, NULL, 1, FALSE);
  g_list_store_append (rooms, unresolved);
  row = gtk_list_box_get_row_at_index (f->w.lan_list, 2);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (row)));

  g_list_store_remove_all (rooms);
  g_assert_cmpuint (confab_ui_test_count_rows (f->w.lan_list), ==, 0);

  /* None at all. */
  confab_start_dialog_set_rooms (f->dialog, NULL);
  g_assert_null (confab_start_dialog_get_rooms (f->dialog));
  g_assert_cmpstr (gtk_label_get_text (f->w.lan_status_label), ==, "Rooms hosted nearby will appear here.");
}

int
main (int   argc,
      char *argv[])
{
  char *data_home;

  data_home = confab_ui_test_init (&argc, &argv);

#define DIALOG_TEST(path, func) \
  g_test_add ("/confab/dialog/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  DIALOG_TEST ("defaults", test_dialog_defaults);
  DIALOG_TEST ("join-invalid", test_dialog_join_invalid);
  DIALOG_TEST ("join", test_dialog_join);
  DIALOG_TEST ("host", test_dialog_host);
  DIALOG_TEST ("host-port-taken", test_dialog_host_port_taken);
  DIALOG_TEST ("recent-rooms", test_dialog_recent_rooms);
  DIALOG_TEST ("lan-rooms", test_dialog_lan_rooms);

#undef DIALOG_TEST

  return confab_ui_test_run (data_home);
}
