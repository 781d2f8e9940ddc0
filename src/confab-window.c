/* confab-window.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-headless.h"
#include "confab-history.h"
#include "confab-message.h"
#include "confab-message-row.h"
#include "confab-publisher.h"
#include "confab-ui-utils.h"
#include "confab-window-private.h"

/* The chat window: one room, seen through one ConfabClient. A host's window also owns the
 * ConfabServer it hosts, and its client talks to that server over the loopback address like
 * anyone else's; a ConfabPublisher announces the room on the network while the window is open.
 */

/* Within this many pixels of the end, the log counts as scrolled to the newest message. */
#define FOLLOW_THRESHOLD 32.0
#define MAX_RECENT_ROOMS 8

struct _ConfabWindow
{
  AdwApplicationWindow  parent_instance;

  ConfabClient         *client;
  ConfabServer         *server;
  ConfabPublisher      *publisher;
  GSettings            *settings;
  GtkStringList        *members;
  GtkAdjustment        *vadjustment;

  guint                 countdown_source;
  guint                 follow_source;

  /* Keep the newest message in view; dropped when the person scrolls up. */
  guint                 follow : 1;
  /* The adjustment is being moved by us, not by the person. */
  guint                 scrolling : 1;
  guint                 show_members : 1;
  guint                 close_confirmed : 1;
  guint                 was_connected : 1;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkLabel             *title_label;
  GtkWidget            *status_dot;
  GtkLabel             *subtitle_label;
  GtkToggleButton      *members_button;
  GtkLabel             *members_count_label;
  GtkRevealer          *banner_revealer;
  GtkWidget            *banner_box;
  GtkLabel             *banner_label;
  GtkButton            *banner_button;
  AdwFlap              *flap;
  GtkStack             *content_stack;
  GtkScrolledWindow    *scroller;
  GtkListView          *list_view;
  AdwStatusPage        *empty_page;
  GtkRevealer          *jump_revealer;
  GtkEntry             *username_entry;
  GtkEntry             *message_entry;
  GtkWidget            *send_button;
  AdwPreferencesGroup  *members_group;
  GtkListBox           *members_list;
  AdwPreferencesGroup  *invite_group;
  GtkListBox           *invite_list;
  GtkWidget            *announce_box;
  GtkImage             *announce_icon;
  GtkLabel             *announce_label;
  AdwPreferencesGroup  *room_group;
  AdwActionRow         *address_row;
};

G_DEFINE_FINAL_TYPE (ConfabWindow, confab_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SERVER,
  PROP_SHOW_MEMBERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_toast (ConfabWindow *self,
            const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast;

  g_assert (CONFAB_IS_WINDOW (self));

  /* A toast's title is markup, and the text may come from the network. */
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static guint
count_others (ConfabWindow *self)
{
  guint n_clients;

  g_assert (CONFAB_IS_WINDOW (self));

  if (self->server == NULL || !confab_server_get_listening (self->server))
    return 0;

  n_clients = confab_server_get_n_clients (self->server);

  /* The host's own window is one of the server's clients. */
  if (n_clients > 0 && confab_client_get_state (self->client) == CONFAB_CLIENT_STATE_CONNECTED)
    n_clients--;

  return n_clients;
}

static void
update_actions (ConfabWindow *self)
{
  ConfabClientState state;
  gboolean connected;
  const char *text;

  g_assert (CONFAB_IS_WINDOW (self));

  state = confab_client_get_state (self->client);
  connected = state == CONFAB_CLIENT_STATE_CONNECTED;
  text = gtk_editable_get_text (GTK_EDITABLE (self->message_entry));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.send", connected && !confab_text_is_blank (text));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reconnect",
                                 state == CONFAB_CLIENT_STATE_DISCONNECTED ||
                                 state == CONFAB_CLIENT_STATE_RECONNECTING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.jump-to-newest", !self->follow);
}

static void
update_title (ConfabWindow *self)
{
  const char *room;

  g_assert (CONFAB_IS_WINDOW (self));

  room = confab_client_get_room_name (self->client);
  if ((room == NULL || *room == '\0') && self->server != NULL)
    room = confab_server_get_room_name (self->server);
  if (room == NULL || *room == '\0')
    room = _("Chat Room");

  gtk_label_set_text (self->title_label, room);
  gtk_window_set_title (GTK_WINDOW (self), room);
}

static void
update_empty_page (ConfabWindow *self)
{
  GListModel *messages;
  g_autofree char *address = NULL;

  g_assert (CONFAB_IS_WINDOW (self));

  messages = confab_client_get_messages (self->client);
  if (g_list_model_get_n_items (messages) > 0)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "messages");
      return;
    }

  address = confab_dup_short_address (confab_client_get_url (self->client));

  switch (confab_client_get_state (self->client))
    {
    case CONFAB_CLIENT_STATE_CONNECTED:
      adw_status_page_set_title (self->empty_page, _("No Messages Yet"));
      adw_status_page_set_description (self->empty_page, _("Say hello to the room."));
      break;

    case CONFAB_CLIENT_STATE_CONNECTING:
    case CONFAB_CLIENT_STATE_RECONNECTING:
      adw_status_page_set_title (self->empty_page, _("Connecting…"));
      adw_status_page_set_description (self->empty_page, address);
      break;

    case CONFAB_CLIENT_STATE_DISCONNECTED:
    default:
      adw_status_page_set_title (self->empty_page, _("Not Connected"));
      adw_status_page_set_description (self->empty_page,
                                       confab_client_get_status_reason (self->client));
      break;
    }

  gtk_stack_set_visible_child_name (self->content_stack, "empty");
}

static gboolean
countdown_cb (gpointer user_data);

static void
update_status (ConfabWindow *self)
{
  g_autofree char *where = NULL;
  g_autofree char *status = NULL;
  g_autofree char *banner = NULL;
  g_autofree char *subtitle = NULL;
  const char *reason;
  const char *dot_class = NULL;
  const char *button_label = NULL;
  gboolean counting = FALSE;
  gboolean connected;
  ConfabClientState state;

  g_assert (CONFAB_IS_WINDOW (self));

  state = confab_client_get_state (self->client);
  reason = confab_client_get_status_reason (self->client);
  if (reason != NULL && *reason == '\0')
    reason = NULL;

  if (self->server != NULL)
    /* Translators: where a hosted room is, in the window's subtitle */
    where = g_strdup_printf (_("Port %u"), confab_server_get_port (self->server));
  else
    where = confab_dup_short_address (confab_client_get_url (self->client));

  switch (state)
    {
    case CONFAB_CLIENT_STATE_CONNECTED:
      status = g_strdup (self->server ? _("Hosting") : _("Connected"));
      break;

    case CONFAB_CLIENT_STATE_CONNECTING:
      status = g_strdup (_("Connecting…"));
      dot_class = "connecting";
      break;

    case CONFAB_CLIENT_STATE_RECONNECTING:
      {
        gint64 retry_at = confab_client_get_retry_at (self->client);
        gint64 now = g_get_real_time ();

        dot_class = "connecting";
        button_label = _("_Retry Now");

        if (retry_at > now)
          {
            int seconds = (int) ((retry_at - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

            counting = TRUE;
            status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Reconnecting in %d second…",
                                                   "Reconnecting in %d seconds…",
                                                   seconds),
                                      seconds);
          }
        else
          {
            status = g_strdup (_("Reconnecting…"));
          }

        if (reason != NULL)
          /* Translators: %s is why the connection was lost, the second the reconnection status */
          banner = g_strdup_printf (_("Connection lost: %s. %s"), reason, status);
        else
          banner = g_strdup_printf (_("Connection lost. %s"), status);
      }
      break;

    case CONFAB_CLIENT_STATE_DISCONNECTED:
    default:
      status = g_strdup (_("Disconnected"));
      dot_class = "disconnected";
      button_label = _("_Reconnect");

      if (reason != NULL)
        /* Translators: %s is why the connection ended */
        banner = g_strdup_printf (_("Disconnected: %s"), reason);
      else
        banner = g_strdup (_("Disconnected from the room."));
      break;
    }

  /* Translators: the window's subtitle, "Connected · 192.168.1.20:8000" */
  subtitle = g_strdup_printf (_("%s · %s"), status, where);
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), reason);

  gtk_widget_remove_css_class (self->status_dot, "connecting");
  gtk_widget_remove_css_class (self->status_dot, "disconnected");
  if (dot_class != NULL)
    gtk_widget_add_css_class (self->status_dot, dot_class);

  if (banner != NULL)
    {
      gtk_label_set_text (self->banner_label, banner);
      gtk_button_set_label (self->banner_button, button_label);
      gtk_button_set_use_underline (self->banner_button, TRUE);
      if (state == CONFAB_CLIENT_STATE_DISCONNECTED)
        gtk_widget_add_css_class (self->banner_box, "error");
      else
        gtk_widget_remove_css_class (self->banner_box, "error");
    }
  gtk_revealer_set_reveal_child (self->banner_revealer, banner != NULL);

  connected = state == CONFAB_CLIENT_STATE_CONNECTED;

  /* Let go of the focus first: GTK does not tell a text field it lost the focus when it
   * becomes insensitive, and it would go on blinking. It comes back on reconnection. */
  if (!connected)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->message_entry)))
        gtk_root_set_focus (GTK_ROOT (self), NULL);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->message_entry), connected);
  /* Who was here when the connection was lost, dimmed: nobody can say who is there now. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->members_list), connected);

  if (counting && self->countdown_source == 0)
    self->countdown_source = g_timeout_add (250, countdown_cb, self);
  else if (!counting)
    g_clear_handle_id (&self->countdown_source, g_source_remove);

  update_empty_page (self);
  update_actions (self);
}

static gboolean
countdown_cb (gpointer user_data)
{
  ConfabWindow *self = user_data;

  g_assert (CONFAB_IS_WINDOW (self));

  update_status (self);

  if (self->countdown_source == 0)
    return G_SOURCE_REMOVE;

  return G_SOURCE_CONTINUE;
}

static GtkWidget *
create_member_row_cb (gpointer item,
                      gpointer user_data)
{
  ConfabWindow *self = user_data;
  const char *name = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
  GtkWidget *row;

  g_assert (CONFAB_IS_WINDOW (self));

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), adw_avatar_new (32, name, TRUE));

  if (g_strcmp0 (name, confab_client_get_username (self->client)) == 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("You"));

  return row;
}

static void
update_members (ConfabWindow *self)
{
  const char * const *names;
  g_autofree char *count = NULL;
  g_autofree char *description = NULL;
  guint n_names;
  guint n_online;

  g_assert (CONFAB_IS_WINDOW (self));

  names = confab_client_get_members (self->client);
  n_names = names ? g_strv_length ((char **) names) : 0;
  n_online = confab_client_get_n_online (self->client);

  gtk_string_list_splice (self->members, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->members)),
                          names);

  if (!confab_client_get_extended (self->client))
    {
      description = g_strdup (_("This server does not tell who is here."));
      gtk_widget_set_visible (GTK_WIDGET (self->members_count_label), FALSE);
    }
  else
    {
      if (n_online > n_names)
        description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%u more without a name",
                                                    "%u more without a name",
                                                    n_online - n_names),
                                       n_online - n_names);

      count = g_strdup_printf ("%u", n_online);
      gtk_label_set_text (self->members_count_label, count);
      gtk_widget_set_visible (GTK_WIDGET (self->members_count_label), n_online > 0);
    }

  adw_preferences_group_set_description (self->members_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->members_list), n_names > 0);
}

static void
copy_text (ConfabWindow *self,
           const char   *text)
{
  g_assert (CONFAB_IS_WINDOW (self));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  show_toast (self, _("Address copied"));
}

static void
copy_button_clicked_cb (GtkButton *button,
                        gpointer   user_data)
{
  ConfabWindow *self = user_data;

  g_assert (CONFAB_IS_WINDOW (self));

  copy_text (self, g_object_get_data (G_OBJECT (button), "confab-address"));
}

static GtkWidget *
create_invite_row (ConfabWindow *self,
                   const char   *url)
{
  g_autofree char *address = confab_dup_short_address (url);
  g_autofree char *web = confab_dup_web_address (url);
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  GtkWidget *button;

  g_assert (CONFAB_IS_WINDOW (self));

  /* Translators: %s is the address of the room's web page */
  subtitle = g_strdup_printf (_("Or %s in a web browser"), web);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), address);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Copy Address"));
  g_object_set_data_full (G_OBJECT (button), "confab-address", g_strdup (address), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (copy_button_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
update_invite (ConfabWindow *self)
{
  g_auto(GStrv) urls = NULL;
  g_autofree char *description = NULL;
  GtkWidget *child;
  guint port;

  g_assert (CONFAB_IS_WINDOW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->invite_group), self->server != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->room_group), self->server == NULL);

  if (self->server == NULL)
    {
      g_autofree char *address = confab_dup_short_address (confab_client_get_url (self->client));

      adw_action_row_set_subtitle (self->address_row, address);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->invite_list))))
    gtk_list_box_remove (self->invite_list, child);

  port = confab_server_get_port (self->server);
  urls = confab_server_dup_lan_urls (self->server);

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    gtk_list_box_append (self->invite_list, create_invite_row (self, urls[i]));

  if (urls == NULL || urls[0] == NULL)
    {
      g_autofree char *local = confab_server_dup_url (self->server, "localhost");

      gtk_list_box_append (self->invite_list, create_invite_row (self, local));
      description = g_strdup (_("This computer is not on a network: only programs on it can join."));
    }
  else
    {
      description = g_strdup_printf (_("People on your network join with one of these addresses. "
                                       "If they cannot connect, allow port %u through this "
                                       "computer’s firewall."),
                                     port);
    }

  adw_preferences_group_set_description (self->invite_group, description);
}

/* What a host announces on the network, under the addresses to share. */
static void
update_announcement (ConfabWindow *self)
{
  g_autofree char *text = NULL;
  const char *icon_name = NULL;
  gboolean trouble = FALSE;

  g_assert (CONFAB_IS_WINDOW (self));

  if (self->publisher == NULL)
    {
      gtk_widget_set_visible (self->announce_box, FALSE);
      return;
    }

  switch (confab_publisher_get_state (self->publisher))
    {
    case CONFAB_PUBLISHER_STATE_REGISTERING:
      icon_name = "content-loading-symbolic";
      text = g_strdup (_("Announcing the room on this network…"));
      break;

    case CONFAB_PUBLISHER_STATE_PUBLISHED:
      icon_name = "emblem-ok-symbolic";
      /* Translators: %s is the name the room is listed under in others' Join page */
      text = g_strdup_printf (_("Announced on this network as “%s”"),
                              confab_publisher_get_published_name (self->publisher));
      break;

    case CONFAB_PUBLISHER_STATE_DAEMON_MISSING:
    case CONFAB_PUBLISHER_STATE_FAILED:
      icon_name = "dialog-warning-symbolic";
      text = g_strdup (confab_publisher_get_error_message (self->publisher));
      trouble = TRUE;
      break;

    case CONFAB_PUBLISHER_STATE_IDLE:
    default:
      break;
    }

  gtk_widget_set_visible (self->announce_box, text != NULL);
  if (text == NULL)
    return;

  gtk_image_set_from_icon_name (self->announce_icon, icon_name);
  gtk_label_set_text (self->announce_label, text);
  if (trouble)
    gtk_widget_add_css_class (self->announce_box, "warning");
  else
    gtk_widget_remove_css_class (self->announce_box, "warning");
}

static void
remember_room (ConfabWindow *self)
{
  g_autoptr(GVariant) rooms = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *url;
  const char *name;
  const char *room;
  guint n = 1;

  g_assert (CONFAB_IS_WINDOW (self));

  /* Hosted rooms are remembered as the host page's settings instead. */
  if (self->server != NULL)
    return;

  url = confab_client_get_url (self->client);
  room = confab_client_get_room_name (self->client);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  g_variant_builder_add (&builder, "(ss)", url, room ? room : "");

  rooms = g_settings_get_value (self->settings, "recent-rooms");
  g_variant_iter_init (&iter, rooms);
  while (n < MAX_RECENT_ROOMS && g_variant_iter_next (&iter, "(&s&s)", &url, &name))
    {
      if (g_strcmp0 (url, confab_client_get_url (self->client)) == 0)
        continue;

      g_variant_builder_add (&builder, "(ss)", url, name);
      n++;
    }

  g_settings_set_value (self->settings, "recent-rooms", g_variant_builder_end (&builder));
}

static gboolean
is_at_end (GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  return value >= end - FOLLOW_THRESHOLD;
}

static void
update_jump_button (ConfabWindow *self)
{
  g_assert (CONFAB_IS_WINDOW (self));

  gtk_revealer_set_reveal_child (self->jump_revealer, !self->follow);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.jump-to-newest", !self->follow);
}

static void
scroll_to_newest (ConfabWindow *self)
{
  GListModel *messages;
  guint n_items;

  g_assert (CONFAB_IS_WINDOW (self));

  messages = confab_client_get_messages (self->client);
  n_items = g_list_model_get_n_items (messages);

  self->scrolling = TRUE;

  /* The list view only knows the height of the rows it has built, so first bring the last
   * row in, then pin the adjustment to the end it has found. */
  if (n_items > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n_items - 1);

  gtk_adjustment_set_value (self->vadjustment,
                            gtk_adjustment_get_upper (self->vadjustment) -
                            gtk_adjustment_get_page_size (self->vadjustment));

  self->scrolling = FALSE;
}

static gboolean
follow_cb (gpointer user_data)
{
  ConfabWindow *self = user_data;

  g_assert (CONFAB_IS_WINDOW (self));

  self->follow_source = 0;

  if (self->follow)
    scroll_to_newest (self);

  return G_SOURCE_REMOVE;
}

static void
queue_follow (ConfabWindow *self)
{
  g_assert (CONFAB_IS_WINDOW (self));

  if (self->follow_source == 0)
    self->follow_source = g_idle_add_full (G_PRIORITY_LOW, follow_cb, self, NULL);
}

static void
vadjustment_value_changed_cb (ConfabWindow  *self,
                              GtkAdjustment *adjustment)
{
  g_assert (CONFAB_IS_WINDOW (self));

  if (self->scrolling)
    return;

  self->follow = is_at_end (adjustment);
  update_jump_button (self);
}

static void
vadjustment_changed_cb (ConfabWindow  *self,
                        GtkAdjustment *adjustment)
{
  g_assert (CONFAB_IS_WINDOW (self));

  /* Rows were measured or the window resized: stay at the end if we were there. */
  if (self->follow && !is_at_end (adjustment))
    queue_follow (self);
}

static void
messages_items_changed_cb (ConfabWindow *self,
                           guint         position,
                           guint         removed,
                           guint         added,
                           GListModel   *messages)
{
  g_assert (CONFAB_IS_WINDOW (self));

  update_empty_page (self);

  if (self->follow)
    queue_follow (self);
}

static void
client_state_changed_cb (ConfabWindow *self,
                         GParamSpec   *pspec,
                         ConfabClient *client)
{
  GtkWidget *focus;

  g_assert (CONFAB_IS_WINDOW (self));

  update_status (self);

  if (confab_client_get_state (client) != CONFAB_CLIENT_STATE_CONNECTED)
    return;

  if (!self->was_connected)
    {
      self->was_connected = TRUE;
      remember_room (self);
    }

  /* Back in the room: put the cursor where the person writes, unless they are renaming. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->username_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->message_entry));
}

static void
client_room_name_changed_cb (ConfabWindow *self,
                             GParamSpec   *pspec,
                             ConfabClient *client)
{
  g_assert (CONFAB_IS_WINDOW (self));

  update_title (self);

  if (self->was_connected)
    remember_room (self);
}

static void
client_members_changed_cb (ConfabWindow *self,
                           GParamSpec   *pspec,
                           ConfabClient *client)
{
  g_assert (CONFAB_IS_WINDOW (self));

  update_members (self);
}

static void
client_error_received_cb (ConfabWindow *self,
                          const char   *code,
                          const char   *message,
                          ConfabClient *client)
{
  g_assert (CONFAB_IS_WINDOW (self));

  show_toast (self, message ? message : code);
}

static void
client_message_received_cb (ConfabWindow  *self,
                            ConfabMessage *message,
                            ConfabClient  *client)
{
  g_autoptr(GNotification) notification = NULL;
  GApplication *application;
  const char *username;

  g_assert (CONFAB_IS_WINDOW (self));
  g_assert (CONFAB_IS_MESSAGE (message));

  application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (application == NULL ||
      gtk_window_is_active (GTK_WINDOW (self)) ||
      confab_message_is_system (message) ||
      confab_message_get_own (message))
    return;

  username = confab_message_get_username (message);
  if (username == NULL || *username == '\0')
    username = _("Anonymous");

  /* Notification bodies are plain text. */
  notification = g_notification_new (username);
  g_notification_set_body (notification, confab_message_get_text (message));
  g_application_send_notification (application, "confab-message", notification);
}

static void
window_is_active_changed_cb (ConfabWindow *self)
{
  GApplication *application;

  g_assert (CONFAB_IS_WINDOW (self));

  application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (application != NULL && gtk_window_is_active (GTK_WINDOW (self)))
    g_application_withdraw_notification (application, "confab-message");
}

static void
username_changed_cb (ConfabWindow *self,
                     GtkEditable  *editable)
{
  g_autofree char *username = NULL;

  g_assert (CONFAB_IS_WINDOW (self));

  /* Applied to the next message; the server tells the room about the new name then. */
  username = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  confab_client_set_username (self->client, *username ? username : NULL);
}

static void
message_changed_cb (ConfabWindow *self,
                    GtkEditable  *editable)
{
  g_assert (CONFAB_IS_WINDOW (self));

  update_actions (self);
}

static void
send_message (ConfabWindow *self)
{
  const char *text;

  g_assert (CONFAB_IS_WINDOW (self));

  text = gtk_editable_get_text (GTK_EDITABLE (self->message_entry));

  if (confab_text_is_blank (text) ||
      confab_client_get_state (self->client) != CONFAB_CLIENT_STATE_CONNECTED)
    return;

  username_changed_cb (self, GTK_EDITABLE (self->username_entry));

  if (confab_client_send (self->client, text))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->message_entry), "");

      /* What one just wrote is worth seeing. */
      self->follow = TRUE;
      update_jump_button (self);
      queue_follow (self);
    }
}

static void
message_activated_cb (ConfabWindow *self,
                      GtkEntry     *entry)
{
  g_assert (CONFAB_IS_WINDOW (self));

  send_message (self);
}

static gboolean
close_confirmed_cb (gpointer user_data)
{
  ConfabWindow *self = user_data;

  g_assert (CONFAB_IS_WINDOW (self));

  gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
stop_hosting_response_cb (ConfabWindow *self,
                          const char   *response,
                          gpointer      dialog)
{
  g_assert (CONFAB_IS_WINDOW (self));

  /* Close once the dialog, transient for this window, is done with it. */
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, close_confirmed_cb, g_object_ref (self), g_object_unref);
}

static void
confirm_close (ConfabWindow *self,
               guint         others)
{
  const char *body = g_dngettext (GETTEXT_PACKAGE,
                                  "%u person is still in this room. Closing this "
                                  "window ends the room for everyone.",
                                  "%u people are still in this room. Closing this "
                                  "window ends the room for everyone.",
                                  others);

  g_assert (CONFAB_IS_WINDOW (self));

  /* libadwaita 1.5 (the Flatpak's GNOME runtime) has adaptive dialogs; Debian 12's 1.2 has
   * AdwMessageDialog, a window of its own. */
#if ADW_CHECK_VERSION (1, 5, 0)
  {
    AdwAlertDialog *dialog = ADW_ALERT_DIALOG (adw_alert_dialog_new (_("Stop Hosting?"), NULL));

    adw_alert_dialog_format_body (dialog, body, others);
    adw_alert_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "stop", _("_Stop Hosting"),
                                    NULL);
    adw_alert_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
    adw_alert_dialog_set_default_response (dialog, "cancel");
    adw_alert_dialog_set_close_response (dialog, "cancel");
    g_signal_connect_object (dialog, "response::stop",
                             G_CALLBACK (stop_hosting_response_cb),
                             self, G_CONNECT_SWAPPED);
    adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (self));
  }
#else
  {
    AdwMessageDialog *dialog;

    dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Stop Hosting?"), NULL));
    adw_message_dialog_format_body (dialog, body, others);
    adw_message_dialog_add_responses (dialog,
                                      "cancel", _("_Cancel"),
                                      "stop", _("_Stop Hosting"),
                                      NULL);
    adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
    adw_message_dialog_set_default_response (dialog, "cancel");
    adw_message_dialog_set_close_response (dialog, "cancel");
    g_signal_connect_object (dialog, "response::stop",
                             G_CALLBACK (stop_hosting_response_cb),
                             self, G_CONNECT_SWAPPED);

    gtk_window_present (GTK_WINDOW (dialog));
  }
#endif
}

static void
save_window_state (ConfabWindow *self)
{
  int width;
  int height;

  g_assert (CONFAB_IS_WINDOW (self));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  send_message (CONFAB_WINDOW (widget));
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);

  confab_client_connect (self->client);
}

static void
jump_to_newest_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);

  self->follow = TRUE;
  update_jump_button (self);
  scroll_to_newest (self);
}

static void
copy_address_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);
  g_autofree char *address = NULL;

  if (self->server != NULL)
    {
      g_auto(GStrv) urls = confab_server_dup_lan_urls (self->server);
      g_autofree char *local = NULL;

      if (urls != NULL && urls[0] != NULL)
        address = confab_dup_short_address (urls[0]);
      else
        address = confab_dup_short_address (local = confab_server_dup_url (self->server, "localhost"));
    }
  else
    {
      address = confab_dup_short_address (confab_client_get_url (self->client));
    }

  copy_text (self, address);
}

static void
network_changed_cb (ConfabWindow    *self,
                    gboolean         available,
                    GNetworkMonitor *monitor)
{
  g_assert (CONFAB_IS_WINDOW (self));

  update_invite (self);
}

static void
flap_folded_changed_cb (ConfabWindow *self,
                        GParamSpec   *pspec,
                        AdwFlap      *flap)
{
  g_assert (CONFAB_IS_WINDOW (self));

  /* Unfolded again: show the panel if the person wants it. */
  if (!adw_flap_get_folded (flap))
    confab_window_set_show_members (self,
                                    g_settings_get_boolean (self->settings, "show-members"));
}

static gboolean
confab_window_close_request (GtkWindow *window)
{
  ConfabWindow *self = CONFAB_WINDOW (window);
  guint others;

  if (!self->close_confirmed && (others = count_others (self)) > 0)
    {
      confirm_close (self, others);
      return TRUE;
    }

  save_window_state (self);

  return GTK_WINDOW_CLASS (confab_window_parent_class)->close_request (window);
}

static void
confab_window_constructed (GObject *object)
{
  ConfabWindow *self = (ConfabWindow *)object;
  g_autoptr(GtkNoSelection) selection = NULL;
  GListModel *messages;

  G_OBJECT_CLASS (confab_window_parent_class)->constructed (object);

  g_assert (CONFAB_IS_CLIENT (self->client));

  messages = confab_client_get_messages (self->client);
  selection = gtk_no_selection_new (g_object_ref (messages));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  g_signal_connect_object (messages, "items-changed",
                           G_CALLBACK (messages_items_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->client, "notify::state",
                           G_CALLBACK (client_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::status-reason",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::retry-at",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::room-name",
                           G_CALLBACK (client_room_name_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::members",
                           G_CALLBACK (client_members_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::n-online",
                           G_CALLBACK (client_members_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::extended",
                           G_CALLBACK (client_members_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "error-received",
                           G_CALLBACK (client_error_received_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "message-received",
                           G_CALLBACK (client_message_received_cb), self, G_CONNECT_SWAPPED);

  if (self->server != NULL)
    {
      g_signal_connect_object (self->server, "notify::room-name",
                               G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                               G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);

      /* Others find the room in their Join page. Without Avahi the publisher says so, and
       * announces the room as soon as Avahi starts. */
      self->publisher = confab_publisher_new (confab_server_get_room_name (self->server),
                                              confab_server_get_port (self->server));
      g_signal_connect_object (self->publisher, "notify::state",
                               G_CALLBACK (update_announcement), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->publisher, "notify::published-name",
                               G_CALLBACK (update_announcement), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->publisher, "notify::error-message",
                               G_CALLBACK (update_announcement), self, G_CONNECT_SWAPPED);
      confab_publisher_start (self->publisher);
    }

  /* The name box shows the remembered name, and every window follows changes to it. */
  g_settings_bind (self->settings, "username",
                   self->username_entry, "text",
                   G_SETTINGS_BIND_DEFAULT);
  username_changed_cb (self, GTK_EDITABLE (self->username_entry));

  update_title (self);
  update_members (self);
  update_invite (self);
  update_announcement (self);
  update_status (self);
  update_jump_button (self);

  if (confab_client_get_state (self->client) == CONFAB_CLIENT_STATE_DISCONNECTED)
    confab_client_connect (self->client);
  else if (confab_client_get_state (self->client) == CONFAB_CLIENT_STATE_CONNECTED)
    client_state_changed_cb (self, NULL, self->client);
}

static void
confab_window_dispose (GObject *object)
{
  ConfabWindow *self = (ConfabWindow *)object;

  g_clear_handle_id (&self->countdown_source, g_source_remove);
  g_clear_handle_id (&self->follow_source, g_source_remove);

  if (self->client != NULL)
    confab_client_disconnect (self->client);
  /* Withdraw the announcement before the room goes. */
  if (self->publisher != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->publisher, self);
      confab_publisher_stop (self->publisher);
    }
  if (self->server != NULL)
    confab_server_stop (self->server);

  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_WINDOW);

  g_clear_object (&self->client);
  g_clear_object (&self->publisher);
  g_clear_object (&self->server);
  g_clear_object (&self->members);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (confab_window_parent_class)->dispose (object);
}

static void
confab_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ConfabWindow *self = CONFAB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_SERVER:
      g_value_set_object (value, self->server);
      break;

    case PROP_SHOW_MEMBERS:
      g_value_set_boolean (value, self->show_members);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ConfabWindow *self = CONFAB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_SERVER:
      self->server = g_value_dup_object (value);
      break;

    case PROP_SHOW_MEMBERS:
      confab_window_set_show_members (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_window_class_init (ConfabWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = confab_window_constructed;
  object_class->dispose = confab_window_dispose;
  object_class->get_property = confab_window_get_property;
  object_class->set_property = confab_window_set_property;

  window_class->close_request = confab_window_close_request;

  /**
   * ConfabWindow:client:
   *
   * The connection to the room this window shows.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         CONFAB_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabWindow:server:
   *
   * The room this window hosts, or %NULL when it joined someone else's.
   */
  properties[PROP_SERVER] =
    g_param_spec_object ("server", NULL, NULL,
                         CONFAB_TYPE_SERVER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabWindow:show-members:
   *
   * Whether the side panel with who is here is shown.
   */
  properties[PROP_SHOW_MEMBERS] =
    g_param_spec_boolean ("show-members", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/confab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, status_dot);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, members_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, members_count_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, banner_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, jump_revealer);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, username_entry);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, message_entry);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, send_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, members_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, members_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, invite_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, invite_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, announce_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, announce_icon);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, announce_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, room_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, address_row);

  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.jump-to-newest", NULL, jump_to_newest_action);
  gtk_widget_class_install_action (widget_class, "win.copy-address", NULL, copy_address_action);
  gtk_widget_class_install_property_action (widget_class, "win.toggle-members", "show-members");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-members", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_CONTROL_MASK,
                                       "win.jump-to-newest", NULL);

  g_type_ensure (CONFAB_TYPE_MESSAGE_ROW);
}

static void
confab_window_init (ConfabWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->members = gtk_string_list_new (NULL);
  self->follow = TRUE;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_list_box_bind_model (self->members_list, G_LIST_MODEL (self->members),
                           create_member_row_cb, self, NULL);

  self->vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (self->vadjustment, "value-changed",
                           G_CALLBACK (vadjustment_value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vadjustment, "changed",
                           G_CALLBACK (vadjustment_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->username_entry, "changed",
                           G_CALLBACK (username_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message_entry, "changed",
                           G_CALLBACK (message_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message_entry, "activate",
                           G_CALLBACK (message_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "notify::is-active",
                           G_CALLBACK (window_is_active_changed_cb), self, G_CONNECT_SWAPPED);

  g_object_bind_property (self, "show-members", self->flap, "reveal-flap",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_signal_connect_object (self->flap, "notify::folded",
                           G_CALLBACK (flap_folded_changed_cb), self, G_CONNECT_SWAPPED);
  confab_window_set_show_members (self, g_settings_get_boolean (self->settings, "show-members"));
}

/**
 * confab_window_new:
 * @application: (nullable): the application
 * @client: the connection to show
 * @server: (nullable): the room this window hosts
 *
 * Creates a chat window for @client, and connects @client unless it is connected or connecting
 * already. The window applies the remembered username to @client. Closing the window
 * disconnects @client and stops @server.
 *
 * Returns: (transfer floating): a new #ConfabWindow
 */
ConfabWindow *
confab_window_new (GtkApplication *application,
                   ConfabClient   *client,
                   ConfabServer   *server)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CONFAB_IS_CLIENT (client), NULL);
  g_return_val_if_fail (!server || CONFAB_IS_SERVER (server), NULL);

  return g_object_new (CONFAB_TYPE_WINDOW,
                       "application", application,
                       "client", client,
                       "server", server,
                       NULL);
}

/**
 * confab_window_new_hosting:
 * @application: (nullable): the application
 * @room_name: the room's name
 * @port: the port to listen on, every interface; 0 picks any free port
 * @error: where to put why hosting failed
 *
 * Hosts a room, keeping its history under the user's data directory, and opens its chat
 * window, joined to it over the loopback address.
 *
 * Returns: (transfer floating) (nullable): a new #ConfabWindow, or %NULL with @error set,
 *   %CONFAB_SERVER_ERROR_ADDRESS_IN_USE when @port is taken
 */
ConfabWindow *
confab_window_new_hosting (GtkApplication  *application,
                           const char      *room_name,
                           guint            port,
                           GError         **error)
{
  g_autoptr(ConfabHistory) history = NULL;
  g_autoptr(ConfabServer) server = NULL;
  g_autoptr(ConfabClient) client = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (room_name != NULL, NULL);
  g_return_val_if_fail (port <= G_MAXUINT16, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = confab_default_history_path (NULL, room_name, &local_error);
  if (path != NULL)
    history = confab_history_new (path, &local_error);

  /* A room without a history on disk still works; it forgets when it stops. */
  if (history == NULL)
    g_message ("Keeping the history of “%s” in memory: %s", room_name, local_error->message);

  server = confab_server_new (room_name, history);
  if (!confab_server_listen (server, NULL, port, error))
    return NULL;

  url = confab_server_dup_url (server, "127.0.0.1");
  client = confab_client_new (url);

  return confab_window_new (application, client, server);
}

/**
 * confab_window_new_joining:
 * @application: (nullable): the application
 * @address: `host`, `host:port` or a ws:// URL
 * @error: where to put why @address is not one
 *
 * Opens a chat window joined to the room at @address.
 *
 * Returns: (transfer floating) (nullable): a new #ConfabWindow, or %NULL with @error set
 */
ConfabWindow *
confab_window_new_joining (GtkApplication  *application,
                           const char      *address,
                           GError         **error)
{
  g_autoptr(ConfabClient) client = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  url = confab_client_normalize_address (address, error);
  if (url == NULL)
    return NULL;

  client = confab_client_new (url);

  return confab_window_new (application, client, NULL);
}

/**
 * confab_window_get_client:
 * @self: a #ConfabWindow
 *
 * Returns: (transfer none): the connection this window shows
 */
ConfabClient *
confab_window_get_client (ConfabWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_WINDOW (self), NULL);

  return self->client;
}

/**
 * confab_window_get_server:
 * @self: a #ConfabWindow
 *
 * Returns: (transfer none) (nullable): the room this window hosts
 */
ConfabServer *
confab_window_get_server (ConfabWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_WINDOW (self), NULL);

  return self->server;
}

gboolean
confab_window_get_show_members (ConfabWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_WINDOW (self), FALSE);

  return self->show_members;
}

/**
 * confab_window_set_show_members:
 * @self: a #ConfabWindow
 * @show_members: whether to show who is here
 *
 * Shows or hides the side panel; the choice is remembered when the panel has room to stay.
 */
void
confab_window_set_show_members (ConfabWindow *self,
                                gboolean      show_members)
{
  g_return_if_fail (CONFAB_IS_WINDOW (self));

  show_members = !!show_members;

  if (self->show_members == show_members)
    return;

  self->show_members = show_members;

  if (!adw_flap_get_folded (self->flap))
    g_settings_set_boolean (self->settings, "show-members", show_members);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_MEMBERS]);
}

void
_confab_window_get_widgets (ConfabWindow        *self,
                            ConfabWindowWidgets *widgets)
{
  g_return_if_fail (CONFAB_IS_WINDOW (self));
  g_return_if_fail (widgets != NULL);

  widgets->list_view = self->list_view;
  widgets->message_entry = self->message_entry;
  widgets->username_entry = self->username_entry;
  widgets->send_button = self->send_button;
  widgets->title_label = self->title_label;
  widgets->subtitle_label = self->subtitle_label;
  widgets->banner_revealer = self->banner_revealer;
  widgets->banner_label = self->banner_label;
  widgets->jump_revealer = self->jump_revealer;
  widgets->members_list = self->members_list;
  widgets->invite_list = self->invite_list;
  widgets->announce_label = self->announce_label;
}
