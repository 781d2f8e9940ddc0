/* test-lan.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Rooms on the LAN in the desktop app, against a real avahi-daemon (tests/start-services.sh):
 * the join page lists rooms as they come and go and joins one with a click, and a host's
 * window announces its room. Without Avahi both say so plainly, nothing waits, and joining
 * by address still works; those cases run in subprocesses whose system bus is elsewhere.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "confab-browser.h"
#include "confab-client.h"
#include "confab-publisher.h"
#include "confab-room.h"
#include "confab-server.h"
#include "confab-start-dialog-private.h"
#include "confab-test-utils.h"
#include "confab-ui-test-utils.h"
#include "confab-window-private.h"

typedef struct
{
  char                     *room_name;
  ConfabServer             *server;
  ConfabPublisher          *publisher;
  ConfabStartDialog        *dialog;
  ConfabStartDialogWidgets  w;
} Fixture;

/* A room name no other test run (nor another machine on a real LAN) uses. */
static char *
make_room_name (const char *what)
{
  return g_strdup_printf ("Confab UI test %s %08x", what, g_random_int ());
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "username");
  g_settings_reset (settings, "recent-rooms");
  g_settings_reset (settings, "start-page");
}

/* The room called @name in @model, borrowed from the model, or NULL. */
static ConfabRoom *
find_room (GListModel *model,
           const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ConfabRoom) room = g_list_model_get_item (model, i);

      if (g_strcmp0 (confab_room_get_room (room), name) == 0)
        return room;
    }

  return NULL;
}

static void
open_dialog (Fixture *f)
{
  f->dialog = confab_start_dialog_new (NULL);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  _confab_start_dialog_get_widgets (f->dialog, &f->w);
  confab_start_dialog_show_page (f->dialog, "join");
  gtk_window_present (GTK_WINDOW (f->dialog));
}

/* A room hosted in-process on the loopback address, not announced yet, and the join page. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  reset_settings ();

  f->room_name = make_room_name ("room");
  f->server = confab_server_new (f->room_name, NULL);
  confab_server_listen (f->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  f->publisher = confab_publisher_new (f->room_name, confab_server_get_port (f->server));

  open_dialog (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  WAIT_UNTIL (f->dialog == NULL);

  confab_ui_test_close_chat_windows ();

  confab_publisher_stop (f->publisher);
  g_assert_finalize_object (g_steal_pointer (&f->publisher));
  confab_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->room_name, g_free);
}

static void
publish (Fixture *f)
{
  confab_publisher_start (f->publisher);
  WAIT_UNTIL (confab_publisher_get_state (f->publisher) != CONFAB_PUBLISHER_STATE_REGISTERING);
  g_assert_cmpint (confab_publisher_get_state (f->publisher), ==, CONFAB_PUBLISHER_STATE_PUBLISHED);
}

/* The room appears in the list while it is announced, and goes when the announcement does. */
static void
test_lan_rooms_come_and_go (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *address = NULL;
  GtkListBoxRow *row;
  const char *subtitle;

  SKIP_WITHOUT_AVAHI ();

  g_assert_true (CONFAB_IS_BROWSER (confab_start_dialog_get_rooms (f->dialog)));
  WAIT_UNTIL (confab_browser_get_state (CONFAB_BROWSER (confab_start_dialog_get_rooms (f->dialog))) ==
              CONFAB_BROWSER_STATE_RUNNING);
  g_assert_null (confab_ui_test_find_row (f->w.lan_list, f->room_name));

  publish (f);
  WAIT_UNTIL (confab_ui_test_find_row (f->w.lan_list, f->room_name) != NULL);

  /* Where it is: this computer, at the server's port. */
  row = confab_ui_test_find_row (f->w.lan_list, f->room_name);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  address = g_strdup_printf (":%u", confab_server_get_port (f->server));
  g_assert_true (g_str_has_prefix (subtitle, "This computer · "));
  g_assert_true (g_str_has_suffix (subtitle, address));
  g_assert_true (gtk_list_box_row_get_activatable (row));

  confab_publisher_stop (f->publisher);
  WAIT_UNTIL (confab_ui_test_find_row (f->w.lan_list, f->room_name) == NULL);

  /* And back. */
  publish (f);
  WAIT_UNTIL (confab_ui_test_find_row (f->w.lan_list, f->room_name) != NULL);
}

/* One click on a listed room joins it, under the name in “Your Name”. */
static void
test_lan_join_from_list (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *suffix = NULL;
  GtkListBoxRow *row;
  ConfabWindow *window;
  ConfabClient *client;

  SKIP_WITHOUT_AVAHI ();

  gtk_editable_set_text (GTK_EDITABLE (f->w.join_name_row), "lan-joiner");

  publish (f);
  WAIT_UNTIL (confab_ui_test_find_row (f->w.lan_list, f->room_name) != NULL);
  row = confab_ui_test_find_row (f->w.lan_list, f->room_name);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (row)));

  /* The dialog gives way to the chat window, connected to that server. */
  WAIT_UNTIL (f->dialog == NULL);
  window = confab_ui_test_find_chat_window ();
  g_assert_nonnull (window);
  g_assert_null (confab_window_get_server (window));

  client = confab_window_get_client (window);
  suffix = g_strdup_printf (":%u/ws/chat", confab_server_get_port (f->server));
  g_assert_true (g_str_has_suffix (confab_client_get_url (client), suffix));
  WAIT_UNTIL (confab_client_get_state (client) == CONFAB_CLIENT_STATE_CONNECTED);
  WAIT_UNTIL (confab_server_get_n_clients (f->server) == 1);
  WAIT_UNTIL (g_strcmp0 (confab_client_get_room_name (client), f->room_name) == 0);
  g_assert_cmpstr (confab_client_get_username (client), ==, "lan-joiner");
}

/* Without Avahi: the list says so in a plain sentence, at once, and the address field joins. */
static void
check_dialog_without_avahi (void)
{
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  g_autofree char *address = NULL;
  ConfabBrowser *browser;
  ConfabWindow *window;
  ConfabClient *client;
  gint64 start = g_get_monotonic_time ();

  fixture_setup (f, NULL);

  browser = CONFAB_BROWSER (confab_start_dialog_get_rooms (f->dialog));
  WAIT_UNTIL (confab_browser_get_state (browser) == CONFAB_BROWSER_STATE_DAEMON_MISSING);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (f->w.lan_status_label)));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (browser)), ==, 0);
  g_assert_null (gtk_list_box_get_row_at_index (f->w.lan_list, 0));
  g_assert_cmpstr (gtk_label_get_text (f->w.lan_status_label), ==,
                   confab_browser_get_error_message (browser));
  g_assert_nonnull (strstr (gtk_label_get_text (f->w.lan_status_label), "Avahi is not running"));

  /* Announcing fails the same way, and nothing else minds. */
  confab_publisher_start (f->publisher);
  WAIT_UNTIL (confab_publisher_get_state (f->publisher) != CONFAB_PUBLISHER_STATE_REGISTERING);
  g_assert_cmpint (confab_publisher_get_state (f->publisher), ==, CONFAB_PUBLISHER_STATE_DAEMON_MISSING);

  address = g_strdup_printf ("127.0.0.1:%u", confab_server_get_port (f->server));
  gtk_editable_set_text (GTK_EDITABLE (f->w.join_name_row), "by-address");
  gtk_editable_set_text (GTK_EDITABLE (f->w.address_row), address);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "start.join", NULL));

  WAIT_UNTIL (f->dialog == NULL);
  window = confab_ui_test_find_chat_window ();
  g_assert_nonnull (window);
  client = confab_window_get_client (window);
  WAIT_UNTIL (confab_client_get_state (client) == CONFAB_CLIENT_STATE_CONNECTED);
  g_assert_cmpstr (confab_client_get_username (client), ==, "by-address");

  fixture_teardown (f, NULL);
}

/* A host without Avahi still hosts, and says its room is not announced. */
static void
check_host_without_avahi (void)
{
  g_autoptr(GError) error = NULL;
  ConfabWindowWidgets w;
  ConfabWindow *window;

  reset_settings ();

  window = confab_window_new_hosting (NULL, "Not Announced", 0, &error);
  g_assert_no_error (error);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  _confab_window_get_widgets (window, &w);
  gtk_window_present (GTK_WINDOW (window));

  WAIT_UNTIL (strstr (gtk_label_get_text (w.announce_label), "Avahi is not running") != NULL);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (w.announce_label)));
  WAIT_UNTIL (confab_client_get_state (confab_window_get_client (window)) ==
              CONFAB_CLIENT_STATE_CONNECTED);

  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_UNTIL (window == NULL);
}

/* What runs in the subprocesses below, without Avahi. */
typedef void (*CheckFunc) (void);

static const CheckFunc dialog_check = check_dialog_without_avahi;
static const CheckFunc host_check = check_host_without_avahi;

/* No system bus at all: Avahi's client cannot even wait for the daemon. */
static void
test_lan_no_system_bus (gconstpointer data)
{
  const CheckFunc *check = data;

  confab_test_without_system_bus (*check);
}

/* A system bus without avahi-daemon on it: Avahi's client waits for the daemon. */
static void
test_lan_no_daemon_on_bus (gconstpointer data)
{
  const CheckFunc *check = data;

  confab_test_without_avahi_daemon (*check);
}

/* A host's window announces its room, shows under what name, and withdraws it on closing. */
static void
test_lan_host_announces (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabBrowser) browser = NULL;
  g_autofree char *room_name = NULL;
  g_autofree char *announced = NULL;
  ConfabWindowWidgets w;
  ConfabWindow *window;
  ConfabRoom *room;

  SKIP_WITHOUT_AVAHI ();

  reset_settings ();
  room_name = make_room_name ("host");

  browser = confab_browser_new ();
  confab_browser_start (browser);

  window = confab_window_new_hosting (NULL, room_name, 0, &error);
  g_assert_no_error (error);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  _confab_window_get_widgets (window, &w);
  gtk_window_present (GTK_WINDOW (window));

  announced = g_strdup_printf ("Announced on this network as “%s”", room_name);
  WAIT_UNTIL (g_strcmp0 (gtk_label_get_text (w.announce_label), announced) == 0);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (w.announce_label)));

  /* Others see it, at the port the window hosts on. */
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), room_name) != NULL);
  room = find_room (G_LIST_MODEL (browser), room_name);
  g_assert_cmpuint (confab_room_get_port (room), ==,
                    confab_server_get_port (confab_window_get_server (window)));

  /* Closing the window ends the announcement with the room. */
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_UNTIL (window == NULL);
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), room_name) == NULL);

  confab_browser_stop (browser);
  g_assert_finalize_object (g_steal_pointer (&browser));
}

int
main (int   argc,
      char *argv[])
{
  char *data_home;

  data_home = confab_ui_test_init (&argc, &argv);

#define LAN_TEST(path, func) \
  g_test_add ("/confab/lan/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  LAN_TEST ("dialog/rooms-come-and-go", test_lan_rooms_come_and_go);
  LAN_TEST ("dialog/join-from-list", test_lan_join_from_list);

#undef LAN_TEST

  g_test_add_func ("/confab/lan/host/announces", test_lan_host_announces);

  g_test_add_data_func ("/confab/lan/dialog/no-system-bus", &dialog_check, test_lan_no_system_bus);
  g_test_add_data_func ("/confab/lan/dialog/no-daemon-on-bus", &dialog_check, test_lan_no_daemon_on_bus);
  g_test_add_data_func ("/confab/lan/host/no-system-bus", &host_check, test_lan_no_system_bus);
  g_test_add_data_func ("/confab/lan/host/no-daemon-on-bus", &host_check, test_lan_no_daemon_on_bus);

  return confab_ui_test_run (data_home);
}
