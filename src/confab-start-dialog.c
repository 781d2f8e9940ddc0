/* confab-start-dialog.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-start-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-browser.h"
#include "confab-client.h"
#include "confab-room.h"
#include "confab-server.h"
#include "confab-start-dialog-private.h"
#include "confab-ui-utils.h"
#include "confab-window.h"

/* What Confab shows when it starts without options: host a room, or join one by its address,
 * from the recent rooms, or from the rooms found on the network. It closes once a chat window
 * is open. While it is open it looks for rooms with its own ConfabBrowser.
 */

/* How long "Looking for rooms…" spins before the list says none were found. Rooms on the
 * same network answer within a second or two. */
#define LOOKING_SECONDS 5

struct _ConfabStartDialog
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GListModel           *rooms;
  ConfabBrowser        *browser;

  guint                 looking_source;
  /* Browsing has run long enough that an empty list means there are no rooms. */
  guint                 looked_long : 1;

  /* Template widgets */
  AdwViewStack         *stack;
  AdwEntryRow          *room_row;
  AdwEntryRow          *host_name_row;
  GtkSpinButton        *port_spin;
  GtkLabel             *host_error_label;
  AdwEntryRow          *address_row;
  AdwEntryRow          *join_name_row;
  GtkLabel             *join_error_label;
  AdwPreferencesGroup  *lan_group;
  GtkListBox           *lan_list;
  GtkSpinner           *lan_spinner;
  GtkLabel             *lan_status_label;
  AdwPreferencesGroup  *recent_group;
  GtkListBox           *recent_list;
};

G_DEFINE_FINAL_TYPE (ConfabStartDialog, confab_start_dialog, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ROOMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
dup_stripped (const char *text)
{
  return g_strstrip (g_strdup (text ? text : ""));
}

/* A suggestion for a first room name. */
static char *
dup_default_room_name (void)
{
  g_autofree char *first = confab_dup_first_name ();

  if (first == NULL)
    return g_strdup (_("Chat Room"));

  /* Translators: the suggested name of a hosted room; %s is the person's first name */
  return g_strdup_printf (_("%s’s Room"), first);
}

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
update_actions (ConfabStartDialog *self)
{
  g_autofree char *room = NULL;
  g_autofree char *address = NULL;

  g_assert (CONFAB_IS_START_DIALOG (self));

  room = dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->room_row)));
  address = dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->address_row)));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "start.host", *room != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "start.join", *address != '\0');
}

static void
open_window (ConfabStartDialog *self,
             ConfabWindow      *window)
{
  g_assert (CONFAB_IS_START_DIALOG (self));
  g_assert (CONFAB_IS_WINDOW (window));

  gtk_window_present (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
join_address (ConfabStartDialog *self,
              const char        *address)
{
  g_autoptr(GError) error = NULL;
  GtkApplication *application;
  ConfabWindow *window;

  g_assert (CONFAB_IS_START_DIALOG (self));

  application = gtk_window_get_application (GTK_WINDOW (self));
  window = confab_window_new_joining (application, address, &error);

  if (window == NULL)
    {
      /* The core says what is wrong with the address, in words meant for people. */
      show_error (self->join_error_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return;
    }

  g_settings_set_string (self->settings, "start-page", "join");
  open_window (self, window);
}

static void
host_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ConfabStartDialog *self = CONFAB_START_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *room = NULL;
  GtkApplication *application;
  ConfabWindow *window;
  guint port;

  room = dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->room_row)));
  if (*room == '\0')
    return;

  gtk_spin_button_update (self->port_spin);
  port = gtk_spin_button_get_value_as_int (self->port_spin);

  g_settings_set_string (self->settings, "host-room-name", room);
  g_settings_set_int (self->settings, "host-port", port);

  application = gtk_window_get_application (GTK_WINDOW (self));
  window = confab_window_new_hosting (application, room, port, &error);

  if (window == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, CONFAB_SERVER_ERROR, CONFAB_SERVER_ERROR_ADDRESS_IN_USE))
        message = g_strdup_printf (_("Port %u is in use by another program. Choose another "
                                     "port, or 0 for any free port."),
                                   port);
      else
        /* Translators: %s is the reason */
        message = g_strdup_printf (_("Could not host the room: %s"), error->message);

      show_error (self->host_error_label, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->port_spin));
      return;
    }

  g_settings_set_string (self->settings, "start-page", "host");
  open_window (self, window);
}

static void
join_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ConfabStartDialog *self = CONFAB_START_DIALOG (widget);
  g_autofree char *address = NULL;

  address = dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->address_row)));
  if (*address == '\0')
    return;

  join_address (self, address);
}

static void
room_row_activated_cb (ConfabStartDialog *self,
                       AdwActionRow      *row)
{
  const char *url;

  g_assert (CONFAB_IS_START_DIALOG (self));

  url = g_object_get_data (G_OBJECT (row), "confab-url");
  if (url != NULL)
    join_address (self, url);
}

static void
forget_clicked_cb (ConfabStartDialog *self,
                   GtkButton         *button)
{
  g_autoptr(GVariant) rooms = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *forget;
  const char *url;
  const char *name;

  g_assert (CONFAB_IS_START_DIALOG (self));

  forget = g_object_get_data (G_OBJECT (button), "confab-url");

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  rooms = g_settings_get_value (self->settings, "recent-rooms");
  g_variant_iter_init (&iter, rooms);
  while (g_variant_iter_next (&iter, "(&s&s)", &url, &name))
    {
      if (g_strcmp0 (url, forget) != 0)
        g_variant_builder_add (&builder, "(ss)", url, name);
    }

  g_settings_set_value (self->settings, "recent-rooms", g_variant_builder_end (&builder));
}

static GtkWidget *
create_recent_row (ConfabStartDialog *self,
                   const char        *name,
                   const char        *url)
{
  g_autofree char *address = confab_dup_short_address (url);
  GtkWidget *forget;
  GtkWidget *row;

  g_assert (CONFAB_IS_START_DIALOG (self));

  /* Room names come from the network: never markup. */
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  if (name != NULL && *name != '\0')
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), address);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), address);
    }

  g_object_set_data_full (G_OBJECT (row), "confab-url", g_strdup (url), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (room_row_activated_cb),
                           self, G_CONNECT_SWAPPED);

  forget = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (forget, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (forget, _("Forget Room"));
  gtk_widget_add_css_class (forget, "flat");
  g_object_set_data_full (G_OBJECT (forget), "confab-url", g_strdup (url), g_free);
  g_signal_connect_object (forget, "clicked", G_CALLBACK (forget_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), forget);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

static GtkWidget *
create_lan_row_cb (gpointer item,
                   gpointer user_data)
{
  ConfabStartDialog *self = user_data;
  ConfabRoom *room = item;
  g_autofree char *url = NULL;
  g_autofree char *address = NULL;
  g_autofree char *subtitle = NULL;
  const char *host;
  GtkWidget *icon;
  GtkWidget *row;

  g_assert (CONFAB_IS_START_DIALOG (self));
  g_assert (CONFAB_IS_ROOM (room));

  url = confab_room_dup_url (room);
  address = url ? confab_dup_short_address (url) : NULL;
  host = confab_room_get_host (room);

  /* Everything here comes from the network: never markup. */
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), confab_room_get_room (room));

  if (confab_room_get_local (room))
    /* Translators: the subtitle of a room hosted on this computer; %s is its address */
    subtitle = g_strdup_printf (_("This computer · %s"), address ? address : "");
  else if (host != NULL && *host != '\0' && address != NULL)
    /* Translators: the subtitle of a room on the network: "laptop.local · 192.168.1.20:8000" */
    subtitle = g_strdup_printf (_("%s · %s"), host, address);
  else
    subtitle = g_strdup (address ? address : host);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  icon = gtk_image_new_from_icon_name (confab_room_get_local (room) ? "computer-symbolic"
                                                                     : "network-server-symbolic");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (url != NULL)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "confab-url", g_steal_pointer (&url), g_free);
      g_signal_connect_object (row, "activated", G_CALLBACK (room_row_activated_cb),
                               self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
    }
  else
    {
      /* Found, but no address resolved yet: nothing to join. */
      gtk_widget_set_sensitive (row, FALSE);
    }

  return row;
}

/* What the list says while it has no rooms: why, or that it is still looking. */
static void
update_lan_status (ConfabStartDialog *self)
{
  const char *text;
  gboolean looking = FALSE;

  g_assert (CONFAB_IS_START_DIALOG (self));

  if (self->rooms == NULL)
    {
      text = _("Rooms hosted nearby will appear here.");
    }
  else if (CONFAB_IS_BROWSER (self->rooms))
    {
      ConfabBrowser *browser = CONFAB_BROWSER (self->rooms);

      switch (confab_browser_get_state (browser))
        {
        case CONFAB_BROWSER_STATE_DAEMON_MISSING:
        case CONFAB_BROWSER_STATE_FAILED:
          /* The browser's own sentence: why, and that joining by address still works. */
          text = confab_browser_get_error_message (browser);
          break;

        case CONFAB_BROWSER_STATE_IDLE:
        case CONFAB_BROWSER_STATE_STARTING:
        case CONFAB_BROWSER_STATE_RUNNING:
        default:
          looking = !self->looked_long;
          text = looking ? _("Looking for rooms…") : _("No rooms found yet");
          break;
        }
    }
  else
    {
      looking = TRUE;
      text = _("Looking for rooms…");
    }

  gtk_label_set_text (self->lan_status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->lan_spinner), looking);
  gtk_spinner_set_spinning (self->lan_spinner, looking);
}

static gboolean
looking_timeout_cb (gpointer user_data)
{
  ConfabStartDialog *self = user_data;

  g_assert (CONFAB_IS_START_DIALOG (self));

  self->looking_source = 0;
  self->looked_long = TRUE;
  update_lan_status (self);

  return G_SOURCE_REMOVE;
}

static void
browser_state_changed_cb (ConfabStartDialog *self,
                          GParamSpec        *pspec,
                          ConfabBrowser     *browser)
{
  g_assert (CONFAB_IS_START_DIALOG (self));
  g_assert (CONFAB_IS_BROWSER (browser));

  /* Give the network a few seconds from the moment Avahi is there to ask. */
  if (confab_browser_get_state (browser) == CONFAB_BROWSER_STATE_RUNNING)
    {
      if (self->looking_source == 0 && !self->looked_long)
        self->looking_source = g_timeout_add_seconds (LOOKING_SECONDS, looking_timeout_cb, self);
    }
  else
    {
      g_clear_handle_id (&self->looking_source, g_source_remove);
      self->looked_long = FALSE;
    }

  update_lan_status (self);
}

static void
update_lan_rooms (ConfabStartDialog *self)
{
  g_assert (CONFAB_IS_START_DIALOG (self));

  gtk_list_box_bind_model (self->lan_list, self->rooms, create_lan_row_cb, self, NULL);
  update_lan_status (self);
}

static void
start_browsing (ConfabStartDialog *self)
{
  g_assert (CONFAB_IS_START_DIALOG (self));

  /* Only while the dialog shows the dialog's own browser's rooms. */
  if (self->browser != NULL && self->rooms == G_LIST_MODEL (self->browser) &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    confab_browser_start (self->browser);
}

static void
update_recent_rooms (ConfabStartDialog *self)
{
  g_autoptr(GVariant) rooms = NULL;
  GVariantIter iter;
  GtkWidget *child;
  const char *url;
  const char *name;
  guint n = 0;

  g_assert (CONFAB_IS_START_DIALOG (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);

  rooms = g_settings_get_value (self->settings, "recent-rooms");
  g_variant_iter_init (&iter, rooms);
  while (g_variant_iter_next (&iter, "(&s&s)", &url, &name))
    {
      gtk_list_box_append (self->recent_list, create_recent_row (self, name, url));
      n++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), n > 0);
}

static void
field_changed_cb (ConfabStartDialog *self)
{
  g_assert (CONFAB_IS_START_DIALOG (self));

  show_error (self->host_error_label, NULL);
  show_error (self->join_error_label, NULL);
  update_actions (self);
}

static void
room_entry_activated_cb (ConfabStartDialog *self)
{
  g_assert (CONFAB_IS_START_DIALOG (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "start.host", NULL);
}

static void
address_entry_activated_cb (ConfabStartDialog *self)
{
  g_assert (CONFAB_IS_START_DIALOG (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "start.join", NULL);
}

static void
confab_start_dialog_constructed (GObject *object)
{
  ConfabStartDialog *self = (ConfabStartDialog *)object;
  g_autofree char *room = NULL;
  g_autofree char *username = NULL;
  g_autofree char *page = NULL;

  G_OBJECT_CLASS (confab_start_dialog_parent_class)->constructed (object);

  room = g_settings_get_string (self->settings, "host-room-name");
  if (*room == '\0')
    {
      g_free (room);
      room = dup_default_room_name ();
    }
  gtk_editable_set_text (GTK_EDITABLE (self->room_row), room);
  gtk_spin_button_set_value (self->port_spin, g_settings_get_int (self->settings, "host-port"));

  /* Both pages show the one remembered name. */
  g_settings_bind (self->settings, "username", self->host_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "username", self->join_name_row, "text", G_SETTINGS_BIND_DEFAULT);

  /* A first name to start from; the person sees it before anyone else does. */
  username = g_settings_get_string (self->settings, "username");
  if (*username == '\0')
    {
      g_autofree char *first = confab_dup_first_name ();

      if (first != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->host_name_row), first);
    }

  page = g_settings_get_string (self->settings, "start-page");
  adw_view_stack_set_visible_child_name (self->stack, page);

  update_recent_rooms (self);
  update_actions (self);
}

static void
confab_start_dialog_map (GtkWidget *widget)
{
  ConfabStartDialog *self = CONFAB_START_DIALOG (widget);

  GTK_WIDGET_CLASS (confab_start_dialog_parent_class)->map (widget);

  start_browsing (self);
}

static void
confab_start_dialog_dispose (GObject *object)
{
  ConfabStartDialog *self = (ConfabStartDialog *)object;

  g_clear_handle_id (&self->looking_source, g_source_remove);

  /* Let go of the rooms before the browser empties its list on the way out. */
  if (self->rooms != NULL)
    g_signal_handlers_disconnect_by_data (self->rooms, self);
  if (self->lan_list != NULL)
    gtk_list_box_bind_model (self->lan_list, NULL, NULL, NULL, NULL);
  if (self->browser != NULL)
    confab_browser_stop (self->browser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_START_DIALOG);

  g_clear_object (&self->rooms);
  g_clear_object (&self->browser);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (confab_start_dialog_parent_class)->dispose (object);
}

static void
confab_start_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ConfabStartDialog *self = CONFAB_START_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ROOMS:
      g_value_set_object (value, self->rooms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_start_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ConfabStartDialog *self = CONFAB_START_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ROOMS:
      confab_start_dialog_set_rooms (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_start_dialog_class_init (ConfabStartDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = confab_start_dialog_constructed;
  object_class->dispose = confab_start_dialog_dispose;
  object_class->get_property = confab_start_dialog_get_property;
  object_class->set_property = confab_start_dialog_set_property;

  widget_class->map = confab_start_dialog_map;

  /**
   * ConfabStartDialog:rooms:
   *
   * The rooms shown under “Rooms on This Network”: a #GListModel of #ConfabRoom. By default
   * the dialog's own #ConfabBrowser, which looks for rooms while the dialog is shown; %NULL
   * shows none.
   */
  properties[PROP_ROOMS] =
    g_param_spec_object ("rooms", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/confab-start-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, room_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, host_name_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, port_spin);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, host_error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, join_name_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, join_error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, lan_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, lan_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, lan_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, lan_status_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, recent_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabStartDialog, recent_list);

  gtk_widget_class_install_action (widget_class, "start.host", NULL, host_action);
  gtk_widget_class_install_action (widget_class, "start.join", NULL, join_action);
}

static void
confab_start_dialog_init (ConfabStartDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  /* Started once the dialog is on screen; stopped with it. */
  self->browser = confab_browser_new ();
  confab_start_dialog_set_rooms (self, G_LIST_MODEL (self->browser));

  g_signal_connect_object (self->settings, "changed::recent-rooms",
                           G_CALLBACK (update_recent_rooms), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->room_row, "changed",
                           G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->port_spin, "value-changed",
                           G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->address_row, "changed",
                           G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->room_row, "entry-activated",
                           G_CALLBACK (room_entry_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->address_row, "entry-activated",
                           G_CALLBACK (address_entry_activated_cb), self, G_CONNECT_SWAPPED);
}

/**
 * confab_start_dialog_new:
 * @application: (nullable): the application
 *
 * Returns: (transfer floating): a new #ConfabStartDialog
 */
ConfabStartDialog *
confab_start_dialog_new (GtkApplication *application)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (CONFAB_TYPE_START_DIALOG,
                       "application", application,
                       NULL);
}

/**
 * confab_start_dialog_get_rooms:
 * @self: a #ConfabStartDialog
 *
 * Returns: (transfer none) (nullable): the rooms listed under “Rooms on This Network”: the
 *   dialog's own #ConfabBrowser unless confab_start_dialog_set_rooms() replaced it
 */
GListModel *
confab_start_dialog_get_rooms (ConfabStartDialog *self)
{
  g_return_val_if_fail (CONFAB_IS_START_DIALOG (self), NULL);

  return self->rooms;
}

/**
 * confab_start_dialog_set_rooms:
 * @self: a #ConfabStartDialog
 * @rooms: (nullable): a #GListModel of #ConfabRoom
 *
 * Shows @rooms under “Rooms on This Network” instead of what the dialog's own browser finds,
 * following its changes; activating one joins it. When @rooms is a #ConfabBrowser, the list
 * also says when it is still looking and why it cannot look. The dialog's own browser stops
 * while it is not shown.
 */
void
confab_start_dialog_set_rooms (ConfabStartDialog *self,
                               GListModel        *rooms)
{
  g_return_if_fail (CONFAB_IS_START_DIALOG (self));
  g_return_if_fail (!rooms || G_IS_LIST_MODEL (rooms));

  if (self->rooms == rooms)
    return;

  if (self->rooms != NULL)
    g_signal_handlers_disconnect_by_data (self->rooms, self);

  g_set_object (&self->rooms, rooms);

  if (self->browser != NULL && rooms != G_LIST_MODEL (self->browser))
    confab_browser_stop (self->browser);

  g_clear_handle_id (&self->looking_source, g_source_remove);
  self->looked_long = FALSE;

  if (CONFAB_IS_BROWSER (rooms))
    {
      g_signal_connect_object (rooms, "notify::state",
                               G_CALLBACK (browser_state_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (rooms, "notify::error-message",
                               G_CALLBACK (update_lan_status), self, G_CONNECT_SWAPPED);
      browser_state_changed_cb (self, NULL, CONFAB_BROWSER (rooms));
    }

  update_lan_rooms (self);
  start_browsing (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOMS]);
}

/**
 * confab_start_dialog_show_page:
 * @self: a #ConfabStartDialog
 * @page: "host" or "join"
 *
 * Shows the page to host a room or the one to join a room.
 */
void
confab_start_dialog_show_page (ConfabStartDialog *self,
                               const char        *page)
{
  g_return_if_fail (CONFAB_IS_START_DIALOG (self));
  g_return_if_fail (g_strcmp0 (page, "host") == 0 || g_strcmp0 (page, "join") == 0);

  adw_view_stack_set_visible_child_name (self->stack, page);
}

void
_confab_start_dialog_get_widgets (ConfabStartDialog        *self,
                                  ConfabStartDialogWidgets *widgets)
{
  g_return_if_fail (CONFAB_IS_START_DIALOG (self));
  g_return_if_fail (widgets != NULL);

  widgets->stack = self->stack;
  widgets->room_row = self->room_row;
  widgets->host_name_row = self->host_name_row;
  widgets->port_spin = self->port_spin;
  widgets->host_error_label = self->host_error_label;
  widgets->address_row = self->address_row;
  widgets->join_name_row = self->join_name_row;
  widgets->join_error_label = self->join_error_label;
  widgets->lan_list = self->lan_list;
  widgets->lan_status_label = self->lan_status_label;
  widgets->recent_list = self->recent_list;
}
