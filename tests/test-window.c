/* test-window.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The chat window, driven as a person would: a real server in-process, the window joined to it,
 * and other clients (Confab's own and seed-style raw WebSockets) in the same room.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "confab-client.h"
#include "confab-linkify.h"
#include "confab-message.h"
#include "confab-message-row.h"
#include "confab-server.h"
#include "confab-test-utils.h"
#include "confab-ui-test-utils.h"
#include "confab-window-private.h"

typedef struct
{
  ConfabServer        *server;
  char                *url;
  ConfabClient        *client;   /* the window's */
  ConfabWindow        *window;
  ConfabWindowWidgets  w;
  ConfabClient        *peer;     /* someone else in the room */
} Fixture;

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "username");
  g_settings_reset (settings, "recent-rooms");
  g_settings_reset (settings, "show-members");
}

static ConfabClient *
connect_peer (const char *url,
              const char *username)
{
  ConfabClient *peer = confab_client_new (url);

  confab_client_set_username (peer, username);
  confab_client_connect (peer);
  WAIT_UNTIL (confab_client_get_state (peer) == CONFAB_CLIENT_STATE_CONNECTED);

  return peer;
}

static void
open_window (Fixture      *f,
             ConfabClient *client,
             ConfabServer *server)
{
  f->window = confab_window_new (NULL, client, server);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  _confab_window_get_widgets (f->window, &f->w);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  reset_settings ();

  f->server = confab_server_new ("Test Room", NULL);
  confab_server_listen (f->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  f->url = confab_server_dup_url (f->server, "127.0.0.1");

  f->client = confab_client_new (f->url);
  confab_client_set_reconnect_delay (f->client, 50);
  confab_client_set_max_retries (f->client, 2);

  open_window (f, f->client, NULL);
  WAIT_UNTIL (confab_client_get_state (f->client) == CONFAB_CLIENT_STATE_CONNECTED);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  WAIT_UNTIL (f->window == NULL);

  if (f->peer != NULL)
    confab_client_disconnect (f->peer);
  g_clear_object (&f->peer);
  g_clear_object (&f->client);

  if (f->server != NULL)
    confab_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->url, g_free);
}

static GListModel *
shown_model (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (f->w.list_view));
}

/* The chat message with @text in @model, or NULL. */
static ConfabMessage *
find_message (GListModel *model,
              const char *text)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ConfabMessage) message = g_list_model_get_item (model, i);

      if (!confab_message_is_system (message) &&
          g_strcmp0 (confab_message_get_text (message), text) == 0)
        return message;
    }

  return NULL;
}

/* The row the list view built for @message, or NULL while it has not. */
static ConfabMessageRow *
find_row (GtkWidget     *widget,
          ConfabMessage *message)
{
  if (CONFAB_IS_MESSAGE_ROW (widget) &&
      confab_message_row_get_item (CONFAB_MESSAGE_ROW (widget)) == message)
    return CONFAB_MESSAGE_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      ConfabMessageRow *row = find_row (child, message);

      if (row != NULL)
        return row;
    }

  return NULL;
}

static const char *
subtitle (Fixture *f)
{
  return gtk_label_get_text (f->w.subtitle_label);
}

static void
type_and_activate (GtkEntry   *entry,
                   const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
}

static void
test_window_receive (Fixture       *f,
                     gconstpointer  data)
{
  ConfabMessage *message;
  ConfabMessageRow *row;

  f->peer = connect_peer (f->url, "peer");
  confab_client_send (f->peer, "hello from peer");

  WAIT_UNTIL ((message = find_message (shown_model (f), "hello from peer")) != NULL);
  g_assert_cmpstr (confab_message_get_username (message), ==, "peer");
  g_assert_false (confab_message_get_own (message));

  /* Newest at the bottom, and built as a row on screen. */
  WAIT_UNTIL ((row = find_row (GTK_WIDGET (f->w.list_view), message)) != NULL);
  g_assert_cmpstr (confab_message_row_get_shown_name (row), ==, "peer");
  g_assert_cmpstr (confab_message_row_get_shown_text (row), ==, "hello from peer");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "own"));
}

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
test_window_copy_text (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *copied = NULL;
  ConfabMessage *message;
  ConfabMessageRow *row;

  f->peer = connect_peer (f->url, "peer");
  confab_client_send (f->peer, "copy <me> & keep it");

  WAIT_UNTIL ((message = find_message (shown_model (f), "copy <me> & keep it")) != NULL);
  WAIT_UNTIL ((row = find_row (GTK_WIDGET (f->w.list_view), message)) != NULL);

  /* What the row's menu (right click, long press, Menu key) offers. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.copy-text", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (row)), NULL,
                                 clipboard_read_cb, &copied);
  WAIT_UNTIL (copied != NULL);
  g_assert_cmpstr (copied, ==, "copy <me> & keep it");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.menu", NULL));
}

static void
test_window_send (Fixture       *f,
                  gconstpointer  data)
{
  GListModel *peer_messages;
  ConfabMessage *message;
  ConfabMessageRow *row;

  f->peer = connect_peer (f->url, "peer");
  peer_messages = confab_client_get_messages (f->peer);

  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (f->w.message_entry)));
  gtk_editable_set_text (GTK_EDITABLE (f->w.username_entry), "tester");
  type_and_activate (f->w.message_entry, "hi there");

  WAIT_UNTIL ((message = find_message (peer_messages, "hi there")) != NULL);
  g_assert_cmpstr (confab_message_get_username (message), ==, "tester");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->w.message_entry)), ==, "");

  /* One's own message is set apart. */
  WAIT_UNTIL ((message = find_message (shown_model (f), "hi there")) != NULL &&
              confab_message_get_own (message));
  WAIT_UNTIL ((row = find_row (GTK_WIDGET (f->w.list_view), message)) != NULL);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "own"));

  /* The name box is remembered, and applies to the next message. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *remembered = g_settings_get_string (settings, "username");

    g_assert_cmpstr (remembered, ==, "tester");
  }

  gtk_editable_set_text (GTK_EDITABLE (f->w.username_entry), "renamed");
  type_and_activate (f->w.message_entry, "after the rename");
  WAIT_UNTIL ((message = find_message (peer_messages, "after the rename")) != NULL);
  g_assert_cmpstr (confab_message_get_username (message), ==, "renamed");
}

static void
test_window_send_button (Fixture       *f,
                         gconstpointer  data)
{
  GListModel *peer_messages;
  ConfabMessage *message;

  f->peer = connect_peer (f->url, "peer");
  peer_messages = confab_client_get_messages (f->peer);

  g_assert_false (gtk_widget_get_sensitive (f->w.send_button));
  gtk_editable_set_text (GTK_EDITABLE (f->w.message_entry), "by the button");
  g_assert_true (gtk_widget_get_sensitive (f->w.send_button));
  g_signal_emit_by_name (f->w.send_button, "clicked");

  WAIT_UNTIL ((message = find_message (peer_messages, "by the button")) != NULL);
  g_assert_cmpstr (confab_message_get_username (message), ==, "Anonymous");
}

static void
test_window_blank_not_sent (Fixture       *f,
                            gconstpointer  data)
{
  GListModel *peer_messages;

  f->peer = connect_peer (f->url, "peer");
  peer_messages = confab_client_get_messages (f->peer);

  type_and_activate (f->w.message_entry, "");
  type_and_activate (f->w.message_entry, "   \t ");
  g_assert_false (gtk_widget_get_sensitive (f->w.send_button));
  /* What was typed stays for the person to fix. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->w.message_entry)), ==, "   \t ");

  /* Anything sent before this marker would have arrived before it. */
  type_and_activate (f->w.message_entry, "marker");
  WAIT_UNTIL (find_message (peer_messages, "marker") != NULL);
  g_assert_cmpuint (confab_test_count_chat (peer_messages), ==, 1);
}

static void
test_window_status (Fixture       *f,
                    gconstpointer  data)
{
  g_assert_nonnull (strstr (subtitle (f), "Connected"));
  g_assert_nonnull (strstr (subtitle (f), "127.0.0.1"));
  /* The room's name comes with the server's welcome, right after the handshake. */
  WAIT_UNTIL (g_strcmp0 (gtk_label_get_text (f->w.title_label), "Test Room") == 0);
  g_assert_false (gtk_revealer_get_reveal_child (f->w.banner_revealer));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (f->w.message_entry)));

  confab_server_stop (f->server);

  WAIT_UNTIL (strstr (subtitle (f), "Reconnecting") != NULL);
  g_assert_true (gtk_revealer_get_reveal_child (f->w.banner_revealer));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (f->w.message_entry)));
  g_assert_false (gtk_widget_get_sensitive (f->w.send_button));

  WAIT_UNTIL (strstr (subtitle (f), "Disconnected") != NULL);
  g_assert_cmpint (confab_client_get_state (f->client), ==, CONFAB_CLIENT_STATE_DISCONNECTED);
  g_assert_true (gtk_revealer_get_reveal_child (f->w.banner_revealer));
  g_assert_nonnull (strstr (gtk_label_get_text (f->w.banner_label), "Disconnected"));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (f->w.message_entry)));

  /* Typing while disconnected sends nothing and loses nothing. */
  gtk_editable_set_text (GTK_EDITABLE (f->w.message_entry), "kept");
  g_signal_emit_by_name (f->w.message_entry, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->w.message_entry)), ==, "kept");
}

static void
test_window_reconnect (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint port = confab_server_get_port (f->server);

  confab_server_stop (f->server);
  WAIT_UNTIL (confab_client_get_state (f->client) == CONFAB_CLIENT_STATE_DISCONNECTED);

  /* The host comes back; the banner's button reconnects. */
  g_clear_object (&f->server);
  f->server = confab_server_new ("Test Room", NULL);
  confab_server_listen (f->server, "127.0.0.1", port, &error);
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.reconnect", NULL));
  WAIT_UNTIL (confab_client_get_state (f->client) == CONFAB_CLIENT_STATE_CONNECTED);
  WAIT_UNTIL (!gtk_revealer_get_reveal_child (f->w.banner_revealer));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (f->w.message_entry)));
}

static void
test_window_text_is_text (Fixture       *f,
                          gconstpointer  data)
{
  static const char *texts[] = {
    "<b>x</b>",
    "&amp;",
    "<i>a</i> & b &lt; https://example.org/?a=1&b=<2> <span foreground=\"red\">c</span>",
  };
  ConfabMessage *message;
  ConfabMessageRow *row;

  f->peer = connect_peer (f->url, "<b>bold name</b>");

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    confab_client_send (f->peer, texts[i]);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      WAIT_UNTIL ((message = find_message (shown_model (f), texts[i])) != NULL);
      WAIT_UNTIL ((row = find_row (GTK_WIDGET (f->w.list_view), message)) != NULL);

      /* What a person sees is exactly what was sent. */
      g_assert_cmpstr (confab_message_row_get_shown_text (row), ==, texts[i]);
      g_assert_cmpstr (confab_message_row_get_shown_name (row), ==, "<b>bold name</b>");
    }
}

static void
test_window_seed_client (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TestPeer) seed = NULL;
  ConfabMessage *message;
  JsonObject *frame;

  /* The seed's page: no query parameters, base frames only. */
  seed = test_peer_connect (f->url);
  test_peer_send (seed, "{\"username\": \"seedy\", \"message\": \"from the seed page\"}");

  WAIT_UNTIL ((message = find_message (shown_model (f), "from the seed page")) != NULL);
  g_assert_cmpstr (confab_message_get_username (message), ==, "seedy");

  gtk_editable_set_text (GTK_EDITABLE (f->w.username_entry), "desktop");
  type_and_activate (f->w.message_entry, "from the desktop");

  WAIT_UNTIL ((frame = test_peer_last_of_type (seed, "message")) != NULL &&
              g_strcmp0 (json_object_get_string_member (frame, "message"), "from the desktop") == 0);
  g_assert_cmpstr (json_object_get_string_member (frame, "username"), ==, "desktop");
}

static void
test_window_members (Fixture       *f,
                     gconstpointer  data)
{
  gtk_editable_set_text (GTK_EDITABLE (f->w.username_entry), "me");
  type_and_activate (f->w.message_entry, "naming myself");

  f->peer = connect_peer (f->url, "peer");

  WAIT_UNTIL (confab_ui_test_find_row (f->w.members_list, "peer") != NULL &&
              confab_ui_test_find_row (f->w.members_list, "me") != NULL);
  g_assert_cmpuint (confab_ui_test_count_rows (f->w.members_list), ==, 2);

  confab_client_disconnect (f->peer);
  WAIT_UNTIL (confab_ui_test_find_row (f->w.members_list, "peer") == NULL);
  g_assert_cmpuint (confab_ui_test_count_rows (f->w.members_list), ==, 1);
}

static void
test_window_follow (Fixture       *f,
                    gconstpointer  data)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->w.list_view));
  GListModel *model = shown_model (f);
  char text[32];

  gtk_window_set_default_size (GTK_WINDOW (f->window), 600, 400);
  f->peer = connect_peer (f->url, "peer");

  for (guint i = 0; i < 60; i++)
    {
      g_snprintf (text, sizeof text, "line %u", i);
      confab_client_send (f->peer, text);
    }
  WAIT_UNTIL (find_message (model, "line 59") != NULL);

  /* Following: the newest message is in view, no button. */
  WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) > 2 * gtk_adjustment_get_page_size (adjustment) &&
              gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
              gtk_adjustment_get_upper (adjustment) - 1);
  g_assert_false (gtk_revealer_get_reveal_child (f->w.jump_revealer));

  /* Scrolled up to read: new messages do not move the view; the button appears. */
  gtk_adjustment_set_value (adjustment, 0);
  WAIT_UNTIL (gtk_revealer_get_reveal_child (f->w.jump_revealer));
  confab_client_send (f->peer, "while reading");
  WAIT_UNTIL (find_message (model, "while reading") != NULL);
  for (guint i = 0; i < 10; i++)
    confab_test_iterate ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), <, 1);
  g_assert_true (gtk_revealer_get_reveal_child (f->w.jump_revealer));

  /* Jump to newest. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.jump-to-newest", NULL));
  WAIT_UNTIL (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
              gtk_adjustment_get_upper (adjustment) - 1);
  g_assert_false (gtk_revealer_get_reveal_child (f->w.jump_revealer));
}

static void
test_window_host (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabClient) peer = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  ConfabWindowWidgets w;
  ConfabWindow *window;
  AdwMessageDialog *dialog = NULL;
  g_autofree char *url = NULL;
  ConfabServer *server;

  reset_settings ();

  window = confab_window_new_hosting (NULL, "Hosted Room", 0, &error);
  g_assert_no_error (error);
  g_assert_true (CONFAB_IS_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  _confab_window_get_widgets (window, &w);
  gtk_window_present (GTK_WINDOW (window));

  server = confab_window_get_server (window);
  g_assert_true (confab_server_get_listening (server));
  g_assert_cmpuint (confab_server_get_port (server), >, 0);

  /* A host chats from its own window. */
  WAIT_UNTIL (confab_client_get_state (confab_window_get_client (window)) ==
              CONFAB_CLIENT_STATE_CONNECTED);
  g_assert_cmpstr (gtk_label_get_text (w.title_label), ==, "Hosted Room");
  g_assert_nonnull (strstr (gtk_label_get_text (w.subtitle_label), "Hosting"));

  /* It shows where others join. */
  g_assert_cmpuint (confab_ui_test_count_rows (w.invite_list), >=, 1);

  /* Alone, closing just closes; with someone else in the room, it asks first. */
  url = confab_server_dup_url (server, "127.0.0.1");
  peer = connect_peer (url, "guest");
  WAIT_UNTIL (confab_server_get_n_clients (server) == 2);

  gtk_window_close (GTK_WINDOW (window));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        dialog = ADW_MESSAGE_DIALOG (toplevel);
    }
  g_assert_nonnull (window);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));

  adw_message_dialog_response (dialog, "cancel");
  for (guint i = 0; i < 10; i++)
    confab_test_iterate ();
  g_assert_nonnull (window);
  g_assert_true (confab_server_get_listening (server));

  gtk_window_close (GTK_WINDOW (window));
  dialog = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        dialog = ADW_MESSAGE_DIALOG (toplevel);
    }
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "stop");

  /* The room ends for everyone. */
  WAIT_UNTIL (window == NULL);
  WAIT_UNTIL (confab_client_get_state (peer) != CONFAB_CLIENT_STATE_CONNECTED);
  confab_client_disconnect (peer);
}

static void
test_window_host_port_taken (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabServer) blocker = confab_server_new ("Blocker", NULL);
  ConfabWindow *window;

  confab_server_listen (blocker, NULL, 0, &error);
  g_assert_no_error (error);

  window = confab_window_new_hosting (NULL, "Second", confab_server_get_port (blocker), &error);
  g_assert_null (window);
  g_assert_error (error, CONFAB_SERVER_ERROR, CONFAB_SERVER_ERROR_ADDRESS_IN_USE);

  confab_server_stop (blocker);
}

static void
test_linkify (void)
{
  static const struct {
    const char *text;
    const char *href;
  } cases[] = {
    { "see https://gnome.org.", "https://gnome.org" },
    { "(http://example.org/a_(b))", "http://example.org/a_(b)" },
    { "<b>https://x.org/?a=1&b=2</b>", "https://x.org/?a=1&amp;b=2" },
    { "HTTPS://UPPER.example, then", "HTTPS://UPPER.example" },
  };

  g_assert_null (confab_linkify_markup ("no links <b>here</b> &amp;"));
  g_assert_null (confab_linkify_markup ("http:// alone"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GtkWidget) label = NULL;
      g_autofree char *markup = confab_linkify_markup (cases[i].text);
      g_autofree char *anchor = g_strdup_printf ("<a href=\"%s\">", cases[i].href);

      g_assert_nonnull (markup);
      g_assert_nonnull (strstr (markup, anchor));

      /* Shown by a label, it gives back the text exactly. */
      label = g_object_ref_sink (gtk_label_new (NULL));
      gtk_label_set_markup (GTK_LABEL (label), markup);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  char *data_home;

  data_home = confab_ui_test_init (&argc, &argv);

  g_test_add_func ("/confab/ui/linkify", test_linkify);

#define WINDOW_TEST(path, func) \
  g_test_add ("/confab/window/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  WINDOW_TEST ("receive", test_window_receive);
  WINDOW_TEST ("copy-text", test_window_copy_text);
  WINDOW_TEST ("send", test_window_send);
  WINDOW_TEST ("send-button", test_window_send_button);
  WINDOW_TEST ("blank-not-sent", test_window_blank_not_sent);
  WINDOW_TEST ("status", test_window_status);
  WINDOW_TEST ("reconnect", test_window_reconnect);
  WINDOW_TEST ("text-is-text", test_window_text_is_text);
  WINDOW_TEST ("seed-client", test_window_seed_client);
  WINDOW_TEST ("members", test_window_members);
  WINDOW_TEST ("follow", test_window_follow);

#undef WINDOW_TEST

  g_test_add_func ("/confab/window/host", test_window_host);
  g_test_add_func ("/confab/window/host-port-taken", test_window_host_port_taken);

  return confab_ui_test_run (data_home);
}
