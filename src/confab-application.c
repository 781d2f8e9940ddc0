/* confab-application.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-application"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-application.h"
#include "confab-client.h"
#include "confab-headless.h"
#include "confab-server.h"
#include "confab-start-dialog.h"
#include "confab-window.h"

/* Options are read twice: handle_local_options() deals with what never needs the display
 * (--version, --headless, bad numbers) in the process that was started; command_line() runs in
 * the primary instance, so a second `confab --join URL` opens its window in the running one.
 */

struct _ConfabApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (ConfabApplication, confab_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "host", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Host a room and open its chat window"), NULL },
  { "join", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Join the room at URL"), N_("URL") },
  { "headless", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Host a room without a window, logging to standard output"), NULL },
  { "port", 'p', 0, G_OPTION_ARG_STRING, NULL, N_("Port to host on (0 picks any free port; default 8000)"), N_("N") },
  { "room", 'r', 0, G_OPTION_ARG_STRING, NULL, N_("Name of the hosted room"), N_("NAME") },
  { "username", 'u', 0, G_OPTION_ARG_STRING, NULL, N_("Your name in the room"), N_("NAME") },
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Directory for the room's history (headless)"), N_("DIR") },
  { "backlog", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Events a late joiner receives (default 200)"), N_("N") },
  { "address", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Address to listen on (default: every interface)"), N_("ADDRESS") },
  { "no-publish", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Do not announce the hosted room on the local network"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

static gint
confab_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  ConfabHeadlessOptions headless = { 0 };
  const char *port_text = NULL;
  const char *backlog_text = NULL;
  guint64 port = 8000;
  guint64 backlog = 0;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  /* Numbers come in as text: GApplication cannot tell "--port 0" from no --port at all. */
  if (g_variant_dict_lookup (options, "port", "&s", &port_text) &&
      !g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &port, NULL))
    {
      g_printerr (_("Invalid port “%s”: use a number from 0 to 65535.\n"), port_text);
      return 2;
    }
  if (g_variant_dict_lookup (options, "backlog", "&s", &backlog_text) &&
      !g_ascii_string_to_unsigned (backlog_text, 10, 0, 1000000, &backlog, NULL))
    {
      g_printerr (_("Invalid backlog “%s”: use a number from 0 to 1000000.\n"), backlog_text);
      return 2;
    }

  if (!g_variant_dict_contains (options, "headless"))
    return -1;

  /* A headless host never touches the display, so it runs here, before GTK starts. */
  headless.port = (guint)port;
  headless.backlog = (guint)backlog;
  headless.publish = !g_variant_dict_contains (options, "no-publish");
  g_variant_dict_lookup (options, "room", "&s", &headless.room);
  g_variant_dict_lookup (options, "address", "&s", &headless.address);
  g_variant_dict_lookup (options, "data-dir", "^&ay", &headless.data_dir);

  return confab_headless_run (&headless);
}

static GtkWindow *
find_chat_window (ConfabApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (CONFAB_IS_WINDOW (l->data) || CONFAB_IS_START_DIALOG (l->data))
        return l->data;
    }

  return NULL;
}

static void
show_start_dialog (ConfabApplication *self)
{
  GtkWindow *window;

  g_assert (CONFAB_IS_APPLICATION (self));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (CONFAB_IS_START_DIALOG (l->data))
        {
          gtk_window_present (l->data);
          return;
        }
    }

  window = GTK_WINDOW (confab_start_dialog_new (GTK_APPLICATION (self)));
  gtk_window_present (window);
}

static int
host_room (ConfabApplication       *self,
           GApplicationCommandLine *cmdline,
           GVariantDict            *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *room = NULL;
  const char *room_option = NULL;
  const char *port_text = NULL;
  ConfabWindow *window;
  guint64 port = CONFAB_SERVER_DEFAULT_PORT;

  g_assert (CONFAB_IS_APPLICATION (self));

  /* Checked by handle_local_options() already. */
  if (g_variant_dict_lookup (options, "port", "&s", &port_text))
    g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &port, NULL);

  if (g_variant_dict_lookup (options, "room", "&s", &room_option) && *room_option != '\0')
    room = g_strdup (room_option);
  else
    room = g_settings_get_string (self->settings, "host-room-name");

  if (*room == '\0')
    {
      g_free (room);
      room = g_strdup (_("Chat Room"));
    }

  window = confab_window_new_hosting (GTK_APPLICATION (self), room, (guint) port, &error);

  if (window == NULL)
    {
      if (g_error_matches (error, CONFAB_SERVER_ERROR, CONFAB_SERVER_ERROR_ADDRESS_IN_USE))
        g_application_command_line_printerr (cmdline,
                                             _("Cannot host on port %u: another program uses it. "
                                               "Choose another port with --port, or --port 0 "
                                               "for any free port.\n"),
                                             (guint) port);
      else
        g_application_command_line_printerr (cmdline, _("Cannot host the room: %s\n"),
                                             error->message);
      return 1;
    }

  g_settings_set_string (self->settings, "host-room-name", room);
  gtk_window_present (GTK_WINDOW (window));

  return 0;
}

static int
join_room (ConfabApplication       *self,
           GApplicationCommandLine *cmdline,
           const char              *address)
{
  g_autoptr(GError) error = NULL;
  ConfabWindow *window;

  g_assert (CONFAB_IS_APPLICATION (self));

  window = confab_window_new_joining (GTK_APPLICATION (self), address, &error);

  if (window == NULL)
    {
      g_application_command_line_printerr (cmdline,
                                           _("Cannot join “%s”: %s\n"
                                             "Use a computer’s name or IP address, with a port "
                                             "if it is not 8000, or a ws:// URL.\n"),
                                           address, error->message);
      return 2;
    }

  gtk_window_present (GTK_WINDOW (window));

  return 0;
}

static int
confab_application_command_line (GApplication            *app,
                                 GApplicationCommandLine *cmdline)
{
  ConfabApplication *self = CONFAB_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  const char *username = NULL;
  const char *address = NULL;

  if (g_variant_dict_lookup (options, "username", "&s", &username))
    g_settings_set_string (self->settings, "username", username);

  if (g_variant_dict_contains (options, "host"))
    return host_room (self, cmdline, options);

  if (g_variant_dict_lookup (options, "join", "&s", &address))
    return join_room (self, cmdline, address);

  g_application_activate (app);

  return 0;
}

static void
confab_application_activate (GApplication *app)
{
  ConfabApplication *self = CONFAB_APPLICATION (app);
  GtkWindow *window;

  /* A notification or a second plain `confab` brings back what is open. */
  if ((window = gtk_application_get_active_window (GTK_APPLICATION (app))) ||
      (window = find_chat_window (self)))
    gtk_window_present (window);
  else
    show_start_dialog (self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  ConfabApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  g_assert (CONFAB_IS_APPLICATION (self));

  /* Closing rather than destroying lets a host's window ask first. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  ConfabApplication *self = user_data;

  g_assert (CONFAB_IS_APPLICATION (self));

  show_start_dialog (self);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  ConfabApplication *self = user_data;
  static const char *developers[] = { "The Confab developers", NULL };
  GtkWidget *about;

  g_assert (CONFAB_IS_APPLICATION (self));

  /* libadwaita 1.5 (the Flatpak's GNOME runtime) has the adaptive AdwAboutDialog. */
#if ADW_CHECK_VERSION (1, 5, 0)
  about = g_object_new (ADW_TYPE_ABOUT_DIALOG,
#else
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
#endif
                        "application-name", _("Confab"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Confab developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Chat with the people on your network."),
                        "website", "https://github.com/confab/confab",
                        "issue-url", "https://github.com/confab/confab/issues",
                        "copyright", "© 2026 The Confab developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one a line */
                        "translator-credits", _("translator-credits"),
                        NULL);

#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (about),
                      GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (self))));
#else
  gtk_window_present (GTK_WINDOW (about));
#endif
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "about", about_action },
};

static void
confab_application_startup (GApplication *app)
{
  ConfabApplication *self = CONFAB_APPLICATION (app);

  G_APPLICATION_CLASS (confab_application_parent_class)->startup (app);

  /* Only here, in the primary instance: --headless and --version never need the schema. */
  self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<Control>w", NULL });

  gtk_window_set_default_icon_name (APP_ID);
}

static void
confab_application_dispose (GObject *object)
{
  ConfabApplication *self = CONFAB_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (confab_application_parent_class)->dispose (object);
}

static void
confab_application_class_init (ConfabApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = confab_application_dispose;

  app_class->handle_local_options = confab_application_handle_local_options;
  app_class->command_line = confab_application_command_line;
  app_class->activate = confab_application_activate;
  app_class->startup = confab_application_startup;
}

static void
confab_application_init (ConfabApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Chat with the people on your network."));
}

/**
 * confab_application_new:
 *
 * Returns: (transfer full): the application, handling its command line in the primary instance
 */
ConfabApplication *
confab_application_new (void)
{
  return g_object_new (CONFAB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/confab/Confab",
                       NULL);
}
