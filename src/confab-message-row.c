/* confab-message-row.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-linkify.h"
#include "confab-message-row.h"

/* One event of the log: a chat message (avatar, name, time, text) or a system event (one dim,
 * italic line). Everything shown comes from the network and is set as plain text; only links
 * found in a chat message go through confab_linkify_markup(), which escapes the rest.
 */

struct _ConfabMessageRow
{
  GtkWidget      parent_instance;

  ConfabMessage *item;
  gulong         notify_handler;

  GtkWidget     *chat_box;
  AdwAvatar     *avatar;
  GtkLabel      *name_label;
  GtkLabel      *time_label;
  GtkLabel      *text_label;
  GtkWidget     *system_box;
  GtkLabel      *system_label;
  GtkLabel      *system_time_label;
  GtkWidget     *menu;
};

G_DEFINE_FINAL_TYPE (ConfabMessageRow, confab_message_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_message_text (GtkLabel   *label,
                  const char *text)
{
  g_autofree char *markup = confab_linkify_markup (text);

  if (markup != NULL)
    gtk_label_set_markup (label, markup);
  else
    gtk_label_set_text (label, text);
}

static void
update_row (ConfabMessageRow *self)
{
  g_autofree char *time = NULL;
  g_autofree char *full_time = NULL;
  GDateTime *timestamp;
  gboolean is_system;

  g_assert (CONFAB_IS_MESSAGE_ROW (self));

  if (self->item == NULL)
    {
      gtk_widget_set_visible (self->chat_box, FALSE);
      gtk_widget_set_visible (self->system_box, FALSE);
      return;
    }

  is_system = confab_message_is_system (self->item);
  time = confab_message_format_time (self->item);

  timestamp = confab_message_get_timestamp (self->item);
  if (timestamp != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (timestamp);

      /* Translators: the full date and time of a message, shown in its tooltip; see
       * the strftime() manual for the codes. */
      full_time = g_date_time_format (local, _("%A, %e %B %Y, %H:%M:%S"));
    }

  gtk_widget_set_visible (self->chat_box, !is_system);
  gtk_widget_set_visible (self->system_box, is_system);

  if (is_system)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "system");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "own");
      gtk_label_set_text (self->system_label, confab_message_get_text (self->item));
      gtk_label_set_text (self->system_time_label, time ? time : "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->system_time_label), full_time);
    }
  else
    {
      const char *username = confab_message_get_username (self->item);

      if (username == NULL || *username == '\0')
        username = _("Anonymous");

      gtk_widget_remove_css_class (GTK_WIDGET (self), "system");
      if (confab_message_get_own (self->item))
        gtk_widget_add_css_class (GTK_WIDGET (self), "own");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), "own");

      adw_avatar_set_text (self->avatar, username);
      gtk_label_set_text (self->name_label, username);
      gtk_label_set_text (self->time_label, time ? time : "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), full_time);
      set_message_text (self->text_label, confab_message_get_text (self->item));
    }
}

static void
item_notify_cb (ConfabMessageRow *self,
                GParamSpec       *pspec,
                ConfabMessage    *item)
{
  g_assert (CONFAB_IS_MESSAGE_ROW (self));
  g_assert (CONFAB_IS_MESSAGE (item));

  update_row (self);
}

static void
confab_message_row_dispose (GObject *object)
{
  ConfabMessageRow *self = (ConfabMessageRow *)object;

  confab_message_row_set_item (self, NULL);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_MESSAGE_ROW);

  G_OBJECT_CLASS (confab_message_row_parent_class)->dispose (object);
}

static void
confab_message_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ConfabMessageRow *self = CONFAB_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_message_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ConfabMessageRow *self = CONFAB_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      confab_message_row_set_item (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
copy_text_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ConfabMessageRow *self = CONFAB_MESSAGE_ROW (widget);

  g_assert (CONFAB_IS_MESSAGE_ROW (self));

  if (self->item != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), confab_message_get_text (self->item));
}

/* Text labels are not selectable: in a log of thousands of rows, selectable labels made
 * GTK 4.8 spend hundreds of milliseconds per frame in a busy room (bench/ui). Copying is a
 * right click, a long press or the Menu key away instead. */
static void
show_menu (ConfabMessageRow *self,
           double            x,
           double            y)
{
  g_assert (CONFAB_IS_MESSAGE_ROW (self));

  if (self->item == NULL || confab_message_is_system (self->item))
    return;

  if (self->menu == NULL)
    {
      g_autoptr(GMenu) model = g_menu_new ();

      g_menu_append (model, _("_Copy Text"), "row.copy-text");
      self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (model));
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int)x, (int)y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
secondary_pressed_cb (ConfabMessageRow *self,
                      int               n_press,
                      double            x,
                      double            y,
                      GtkGestureClick  *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_menu (self, x, y);
}

static void
long_pressed_cb (ConfabMessageRow   *self,
                 double              x,
                 double              y,
                 GtkGestureLongPress *gesture)
{
  show_menu (self, x, y);
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  show_menu (CONFAB_MESSAGE_ROW (widget), 48, gtk_widget_get_height (widget) / 2.0);
}

static void
confab_message_row_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  ConfabMessageRow *self = CONFAB_MESSAGE_ROW (widget);

  GTK_WIDGET_CLASS (confab_message_row_parent_class)->size_allocate (widget, width, height, baseline);

  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
confab_message_row_class_init (ConfabMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_message_row_dispose;
  object_class->get_property = confab_message_row_get_property;
  object_class->set_property = confab_message_row_set_property;

  /**
   * ConfabMessageRow:item:
   *
   * The message shown.
   */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         CONFAB_TYPE_MESSAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/confab-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabMessageRow, chat_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabMessageRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, ConfabMessageRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabMessageRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabMessageRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabMessageRow, system_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabMessageRow, system_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabMessageRow, system_time_label);

  widget_class->size_allocate = confab_message_row_size_allocate;

  gtk_widget_class_install_action (widget_class, "row.copy-text", NULL, copy_text_action);
  gtk_widget_class_install_action (widget_class, "row.menu", NULL, menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "row.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "row.menu", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
confab_message_row_init (ConfabMessageRow *self)
{
  GtkLayoutManager *layout;
  GtkGesture *gesture;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
confab_message_row_new (void)
{
  return g_object_new (CONFAB_TYPE_MESSAGE_ROW, NULL);
}

/**
 * confab_message_row_get_item:
 * @self: a #ConfabMessageRow
 *
 * Returns: (transfer none) (nullable): the message shown
 */
ConfabMessage *
confab_message_row_get_item (ConfabMessageRow *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE_ROW (self), NULL);

  return self->item;
}

/**
 * confab_message_row_set_item:
 * @self: a #ConfabMessageRow
 * @item: (nullable): the message to show
 *
 * Shows @item, and follows its changes.
 */
void
confab_message_row_set_item (ConfabMessageRow *self,
                             ConfabMessage    *item)
{
  g_return_if_fail (CONFAB_IS_MESSAGE_ROW (self));
  g_return_if_fail (!item || CONFAB_IS_MESSAGE (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_handler, self->item);

  g_set_object (&self->item, item);

  if (item != NULL)
    self->notify_handler = g_signal_connect_object (item, "notify",
                                                    G_CALLBACK (item_notify_cb),
                                                    self, G_CONNECT_SWAPPED);

  update_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

/**
 * confab_message_row_get_shown_name:
 * @self: a #ConfabMessageRow
 *
 * Returns: the sender's name as displayed, or %NULL for a system event
 */
const char *
confab_message_row_get_shown_name (ConfabMessageRow *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE_ROW (self), NULL);

  if (self->item == NULL || confab_message_is_system (self->item))
    return NULL;

  return gtk_label_get_text (self->name_label);
}

/**
 * confab_message_row_get_shown_text:
 * @self: a #ConfabMessageRow
 *
 * Returns: the text as a person sees it on screen, after any markup was applied
 */
const char *
confab_message_row_get_shown_text (ConfabMessageRow *self)
{
  g_return_val_if_fail (CONFAB_IS_MESSAGE_ROW (self), NULL);

  if (self->item == NULL)
    return NULL;

  if (confab_message_is_system (self->item))
    return gtk_label_get_text (self->system_label);

  return gtk_label_get_text (self->text_label);
}
