/* confab-room.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-room"

#include "config.h"

#include <string.h>

#include "confab-discovery.h"
#include "confab-room.h"

struct _ConfabRoom
{
  GObject parent_instance;

  char *name;
  char *room;
  char *host;
  GStrv addresses;
  char *path;
  guint port;
  guint protocol;
  guint local : 1;
};

G_DEFINE_FINAL_TYPE (ConfabRoom, confab_room, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ROOM,
  PROP_HOST,
  PROP_ADDRESS,
  PROP_ADDRESSES,
  PROP_PORT,
  PROP_PATH,
  PROP_PROTOCOL,
  PROP_LOCAL,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
confab_room_finalize (GObject *object)
{
  ConfabRoom *self = (ConfabRoom *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->room, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->addresses, g_strfreev);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (confab_room_parent_class)->finalize (object);
}

static void
confab_room_constructed (GObject *object)
{
  ConfabRoom *self = (ConfabRoom *)object;

  G_OBJECT_CLASS (confab_room_parent_class)->constructed (object);

  /* Keep the getters total: a room always has a name, a room label and a path. */
  if (self->name == NULL)
    self->name = g_strdup ("");
  if (self->room == NULL || self->room[0] == '\0')
    {
      g_free (self->room);
      self->room = g_strdup (self->name);
    }
  if (self->path == NULL || self->path[0] != '/')
    {
      g_free (self->path);
      self->path = g_strdup (CONFAB_DISCOVERY_DEFAULT_PATH);
    }
  if (self->addresses == NULL)
    self->addresses = g_new0 (char *, 1);
}

static void
confab_room_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ConfabRoom *self = CONFAB_ROOM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ROOM:
      g_value_set_string (value, self->room);
      break;

    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, confab_room_get_address (self));
      break;

    case PROP_ADDRESSES:
      g_value_set_boxed (value, self->addresses);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_PROTOCOL:
      g_value_set_uint (value, self->protocol);
      break;

    case PROP_LOCAL:
      g_value_set_boolean (value, self->local);
      break;

    case PROP_URL:
      g_value_take_string (value, confab_room_dup_url (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_room_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ConfabRoom *self = CONFAB_ROOM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_ROOM:
      self->room = g_value_dup_string (value);
      break;

    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;

    case PROP_ADDRESSES:
      self->addresses = g_value_dup_boxed (value);
      break;

    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;

    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    case PROP_PROTOCOL:
      self->protocol = g_value_get_uint (value);
      break;

    case PROP_LOCAL:
      self->local = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_room_class_init (ConfabRoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = confab_room_constructed;
  object_class->finalize = confab_room_finalize;
  object_class->get_property = confab_room_get_property;
  object_class->set_property = confab_room_set_property;

  /**
   * ConfabRoom:name:
   *
   * The DNS-SD instance name, unique on the network ("Kitchen", or "Kitchen #2" when two
   * hosts chose the same room name).
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoom:room:
   *
   * The room name the host chose, from the TXT record; the instance name when the TXT
   * record has none.
   */
  properties[PROP_ROOM] =
    g_param_spec_string ("room", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoom:host:
   *
   * The host's mDNS name, such as "laptop.local".
   */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoom:address:
   *
   * The address to connect to: the first of #ConfabRoom:addresses, or %NULL.
   */
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoom:addresses:
   *
   * Every address the host was resolved to, best first (IPv4 before IPv6, link-local
   * IPv6 last, carrying its "%interface" scope).
   */
  properties[PROP_ADDRESSES] =
    g_param_spec_boxed ("addresses", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoom:path:
   *
   * The WebSocket path, from the TXT record; "/ws/chat" when absent or malformed.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoom:protocol:
   *
   * The protocol version from the TXT record, or 0 when absent or not a number.
   */
  properties[PROP_PROTOCOL] =
    g_param_spec_uint ("protocol", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoom:local:
   *
   * Whether the room is announced by this computer.
   */
  properties[PROP_LOCAL] =
    g_param_spec_boolean ("local", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoom:url:
   *
   * The WebSocket URL to join the room (see confab_room_dup_url()), or %NULL when no
   * address is known.
   */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_room_init (ConfabRoom *self)
{
}

/* Creates a room. @addresses is best first; it may be %NULL or empty (no address known). */
ConfabRoom *
confab_room_new (const char         *name,
                 const char         *room,
                 const char         *host,
                 const char * const *addresses,
                 guint               port,
                 const char         *path,
                 guint               protocol,
                 gboolean            local)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (port <= G_MAXUINT16, NULL);

  return g_object_new (CONFAB_TYPE_ROOM,
                       "name", name,
                       "room", room,
                       "host", host,
                       "addresses", addresses,
                       "port", port,
                       "path", path,
                       "protocol", protocol,
                       "local", local,
                       NULL);
}

const char *
confab_room_get_name (ConfabRoom *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), NULL);

  return self->name;
}

const char *
confab_room_get_room (ConfabRoom *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), NULL);

  return self->room;
}

const char *
confab_room_get_host (ConfabRoom *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), NULL);

  return self->host;
}

/* The best address, or %NULL when none is known. */
const char *
confab_room_get_address (ConfabRoom *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), NULL);

  return self->addresses[0];
}

/* Every known address, best first; never %NULL. */
const char * const *
confab_room_get_addresses (ConfabRoom *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), NULL);

  return (const char * const *)self->addresses;
}

guint
confab_room_get_port (ConfabRoom *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), 0);

  return self->port;
}

const char *
confab_room_get_path (ConfabRoom *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), NULL);

  return self->path;
}

guint
confab_room_get_protocol (ConfabRoom *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), 0);

  return self->protocol;
}

gboolean
confab_room_get_local (ConfabRoom *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), FALSE);

  return self->local;
}

/* Returns the WebSocket URL to join the room, "ws://ADDRESS:PORT/ws/chat", with an IPv6
 * address in brackets and its zone ("%eth0") escaped as RFC 6874 asks; %NULL when no
 * address is known. */
char *
confab_room_dup_url (ConfabRoom *self)
{
  const char *address;
  const char *zone;

  g_return_val_if_fail (CONFAB_IS_ROOM (self), NULL);

  if ((address = confab_room_get_address (self)) == NULL)
    return NULL;

  if (strchr (address, ':') == NULL)
    return g_strdup_printf ("ws://%s:%u%s", address, self->port, self->path);

  if ((zone = strchr (address, '%')) != NULL)
    return g_strdup_printf ("ws://[%.*s%%25%s]:%u%s",
                            (int)(zone - address), address, zone + 1, self->port, self->path);

  return g_strdup_printf ("ws://[%s]:%u%s", address, self->port, self->path);
}

/* Whether two rooms say the same thing, so that a new resolution changes nothing. */
gboolean
confab_room_equal (ConfabRoom *self,
                   ConfabRoom *other)
{
  g_return_val_if_fail (CONFAB_IS_ROOM (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_ROOM (other), FALSE);

  return g_str_equal (self->name, other->name) &&
         g_str_equal (self->room, other->room) &&
         g_strcmp0 (self->host, other->host) == 0 &&
         g_strv_equal ((const char * const *)self->addresses,
                       (const char * const *)other->addresses) &&
         self->port == other->port &&
         g_str_equal (self->path, other->path) &&
         self->protocol == other->protocol &&
         self->local == other->local;
}
