/* confab-browser.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-browser"

#include "config.h"

#include <net/if.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/address.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-glib/glib-watch.h>

#include "confab-browser.h"
#include "confab-discovery.h"
#include "confab-enums.h"
#include "confab-room.h"

/* When there is no system bus at all, Avahi cannot tell us when one appears: try again. */
#define RETRY_SECONDS 10

/* The longest WebSocket path we take from a TXT record. */
#define MAX_PATH_BYTES 200

typedef struct _Service Service;

/* One sighting of a service: Avahi reports each service once per interface and IP
 * protocol, and each gets its own resolver. */
typedef struct
{
  Service *service;
  AvahiServiceResolver *resolver;
  AvahiIfIndex interface;
  AvahiProtocol protocol;

  /* The address family asked for: first the one the service was seen on, so that
   * a host on both IPv4 and IPv6 gets an address of each to choose from. */
  AvahiProtocol aprotocol;

  /* Set once resolved */
  char *host;
  char *address;
  AvahiStringList *txt;
  int rank;
  guint16 port;
  guint resolved : 1;
  guint local : 1;
} Instance;

/* One service name: what the list shows as one room. */
struct _Service
{
  ConfabBrowser *browser;
  char *key;
  char *name;
  char *domain;
  GPtrArray *instances;

  /* The item in the list, or NULL while no instance is resolved. */
  ConfabRoom *room;
};

struct _ConfabBrowser
{
  GObject parent_instance;

  /* ConfabRoom, sorted by name: the list model */
  GPtrArray *items;

  /* "name\ndomain" → Service */
  GHashTable *services;

  GError *error;
  ConfabBrowserState state;

  AvahiGLibPoll *poll;
  AvahiClient *client;
  AvahiServiceBrowser *browser;

  guint retry_source;
  guint reconnect_source;

  guint started : 1;
  guint in_client_new : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabBrowser, confab_browser, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void connect_client (ConfabBrowser *self);

static void
instance_free (Instance *instance)
{
  g_clear_pointer (&instance->resolver, avahi_service_resolver_free);
  g_clear_pointer (&instance->host, g_free);
  g_clear_pointer (&instance->address, g_free);
  g_clear_pointer (&instance->txt, avahi_string_list_free);
  g_free (instance);
}

static Service *
service_new (ConfabBrowser *browser,
             const char    *key,
             const char    *name,
             const char    *domain)
{
  Service *service = g_new0 (Service, 1);

  service->browser = browser;
  service->key = g_strdup (key);
  service->name = g_strdup (name);
  service->domain = g_strdup (domain);
  service->instances = g_ptr_array_new_with_free_func ((GDestroyNotify)instance_free);

  return service;
}

static void
service_free (Service *service)
{
  g_clear_pointer (&service->instances, g_ptr_array_unref);
  g_clear_object (&service->room);
  g_clear_pointer (&service->key, g_free);
  g_clear_pointer (&service->name, g_free);
  g_clear_pointer (&service->domain, g_free);
  g_free (service);
}

static char *
make_key (const char *name,
          const char *domain)
{
  return g_strconcat (name, "\n", domain, NULL);
}

/* Lower is better: routable IPv4, IPv4 link-local, IPv6, IPv6 link-local. */
static int
address_rank (const AvahiAddress *address)
{
  if (address->proto == AVAHI_PROTO_INET)
    {
      const guint8 *bytes = (const guint8 *)&address->data.ipv4.address;

      return (bytes[0] == 169 && bytes[1] == 254) ? 1 : 0;
    }

  if (address->data.ipv6.address[0] == 0xfe && (address->data.ipv6.address[1] & 0xc0) == 0x80)
    return 3;

  return 2;
}

/* A link-local IPv6 address is useless without the interface it lives on: give it its
 * "%eth0" scope. */
static char *
format_address (const AvahiAddress *address,
                AvahiIfIndex        interface)
{
  char text[AVAHI_ADDRESS_STR_MAX];
  char ifname[IF_NAMESIZE];

  avahi_address_snprint (text, sizeof text, address);

  if (address_rank (address) == 3 && interface > 0 && if_indextoname (interface, ifname) != NULL)
    return g_strdup_printf ("%s%%%s", text, ifname);

  return g_strdup (text);
}

/* The value of TXT item @key as valid UTF-8 on one line, or %NULL. */
static char *
dup_txt_value (AvahiStringList *txt,
               const char      *key)
{
  AvahiStringList *item;
  char *value = NULL;
  char *ret;
  size_t size = 0;

  if ((item = avahi_string_list_find (txt, key)) == NULL)
    return NULL;

  if (avahi_string_list_get_pair (item, NULL, &value, &size) < 0 || value == NULL)
    return NULL;

  ret = g_utf8_make_valid (value, size);
  avahi_free (value);

  /* It is shown to the user: no line breaks or other control characters. */
  for (char *p = ret; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p))
        *p = ' ';
    }

  return ret;
}

/* Only a plain absolute path goes into a URL; anything else gets the default. */
static gboolean
is_plain_path (const char *path)
{
  if (path == NULL || path[0] != '/' || strlen (path) > MAX_PATH_BYTES)
    return FALSE;

  for (const char *p = path; *p != '\0'; p++)
    {
      if (!g_ascii_isgraph (*p) || *p == '?' || *p == '#' || *p == '%' || *p == '\\')
        return FALSE;
    }

  return TRUE;
}

static int
compare_instances (gconstpointer a,
                   gconstpointer b)
{
  const Instance *ia = *(const Instance * const *)a;
  const Instance *ib = *(const Instance * const *)b;

  /* Resolved first, then by address rank. */
  if (ia->resolved != ib->resolved)
    return ia->resolved ? -1 : 1;
  if (!ia->resolved)
    return 0;

  return ia->rank - ib->rank;
}

/* Merges what the instances of a service resolved to into one room, or %NULL while none
 * is resolved. */
static ConfabRoom *
build_room (Service *service)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_autofree char *room = NULL;
  g_autofree char *path = NULL;
  g_autofree char *protocol_text = NULL;
  const Instance *best;
  guint64 protocol = 0;
  gboolean local = FALSE;

  /* A copy takes the free function along: this one must not free the instances. */
  sorted = g_ptr_array_copy (service->instances, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL);
  g_ptr_array_sort (sorted, compare_instances);

  if (sorted->len == 0 || !((Instance *)sorted->pdata[0])->resolved)
    return NULL;

  best = sorted->pdata[0];

  addresses = g_ptr_array_new ();
  for (guint i = 0; i < sorted->len; i++)
    {
      const Instance *instance = sorted->pdata[i];
      gboolean seen = FALSE;

      if (!instance->resolved)
        break;

      local |= instance->local;

      for (guint j = 0; j < addresses->len && !seen; j++)
        seen = g_str_equal (addresses->pdata[j], instance->address);
      if (!seen)
        g_ptr_array_add (addresses, instance->address);
    }
  g_ptr_array_add (addresses, NULL);

  room = dup_txt_value (best->txt, CONFAB_DISCOVERY_TXT_ROOM);
  path = dup_txt_value (best->txt, CONFAB_DISCOVERY_TXT_PATH);
  protocol_text = dup_txt_value (best->txt, CONFAB_DISCOVERY_TXT_PROTOCOL);

  if (protocol_text != NULL &&
      !g_ascii_string_to_unsigned (protocol_text, 10, 0, G_MAXUINT, &protocol, NULL))
    protocol = 0;

  return confab_room_new (service->name,
                          room,
                          best->host,
                          (const char * const *)addresses->pdata,
                          best->port,
                          is_plain_path (path) ? path : CONFAB_DISCOVERY_DEFAULT_PATH,
                          (guint)protocol,
                          local);
}

static int
compare_rooms (gconstpointer a,
               gconstpointer b)
{
  ConfabRoom *ra = *(ConfabRoom * const *)a;
  ConfabRoom *rb = *(ConfabRoom * const *)b;

  return g_utf8_collate (confab_room_get_name (ra), confab_room_get_name (rb));
}

static guint
find_insert_position (ConfabBrowser *self,
                      ConfabRoom    *room)
{
  guint lo = 0;
  guint hi = self->items->len;

  g_assert (CONFAB_IS_BROWSER (self));

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (compare_rooms (&self->items->pdata[mid], &room) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* Brings the list up to date with what is known of @service. Emits items-changed,
 * so callers must not use @service's instances afterwards. */
static void
update_service (ConfabBrowser *self,
                Service       *service)
{
  g_autoptr(ConfabRoom) room = NULL;
  guint position;

  g_assert (CONFAB_IS_BROWSER (self));

  room = build_room (service);

  if (service->room == NULL && room == NULL)
    return;

  if (service->room != NULL && room != NULL && confab_room_equal (service->room, room))
    return;

  if (service->room == NULL)
    {
      position = find_insert_position (self, room);
      g_ptr_array_insert (self->items, position, g_object_ref (room));
      service->room = g_steal_pointer (&room);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
      return;
    }

  if (!g_ptr_array_find (self->items, service->room, &position))
    g_assert_not_reached ();

  g_clear_object (&service->room);

  if (room == NULL)
    {
      g_ptr_array_remove_index (self->items, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      return;
    }

  /* Same name, so the same place in the sorted list. */
  g_object_unref (g_ptr_array_steal_index (self->items, position));
  g_ptr_array_insert (self->items, position, g_object_ref (room));
  service->room = g_steal_pointer (&room);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

/* Forgets every service and empties the list. Resolvers are freed here, while the
 * client that owns them still exists. */
static void
clear_services (ConfabBrowser *self)
{
  guint n_items;

  g_assert (CONFAB_IS_BROWSER (self));

  g_hash_table_remove_all (self->services);

  n_items = self->items->len;
  if (n_items > 0)
    {
      g_ptr_array_set_size (self->items, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n_items, 0);
    }
}

static void
set_state (ConfabBrowser      *self,
           ConfabBrowserState  state)
{
  g_assert (CONFAB_IS_BROWSER (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Takes @error (may be %NULL, which clears the error). */
static void
set_error (ConfabBrowser *self,
           GError        *error)
{
  g_autoptr(GError) old = NULL;

  g_assert (CONFAB_IS_BROWSER (self));

  old = g_steal_pointer (&self->error);
  self->error = error;

  if (g_strcmp0 (old ? old->message : NULL, error ? error->message : NULL) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
set_daemon_missing (ConfabBrowser *self)
{
  g_assert (CONFAB_IS_BROWSER (self));

  clear_services (self);
  set_error (self,
             g_error_new_literal (CONFAB_DISCOVERY_ERROR,
                                  CONFAB_DISCOVERY_ERROR_DAEMON_MISSING,
                                  _("Avahi is not running, so rooms on the network can't be "
                                    "found. You can still join by address.")));
  set_state (self, CONFAB_BROWSER_STATE_DAEMON_MISSING);
}

static void
fail (ConfabBrowser *self,
      int            avahi_error)
{
  g_autoptr(GError) error = NULL;

  g_assert (CONFAB_IS_BROWSER (self));

  error = confab_discovery_error_new_from_avahi (avahi_error);

  if (g_error_matches (error, CONFAB_DISCOVERY_ERROR, CONFAB_DISCOVERY_ERROR_DAEMON_MISSING))
    {
      set_daemon_missing (self);
      return;
    }

  g_debug ("Browsing failed: %s", error->message);

  clear_services (self);
  set_error (self,
             g_error_new (CONFAB_DISCOVERY_ERROR, error->code,
                          _("Rooms on the network can't be found: %s. You can still join by "
                            "address."),
                          error->message));
  set_state (self, CONFAB_BROWSER_STATE_FAILED);
}

static void
service_resolved_cb (AvahiServiceResolver   *resolver,
                     AvahiIfIndex            interface,
                     AvahiProtocol           protocol,
                     AvahiResolverEvent      event,
                     const char             *name,
                     const char             *type,
                     const char             *domain,
                     const char             *host_name,
                     const AvahiAddress     *address,
                     uint16_t                port,
                     AvahiStringList        *txt,
                     AvahiLookupResultFlags  flags,
                     void                   *user_data)
{
  Instance *instance = user_data;
  Service *service = instance->service;
  g_autoptr(ConfabBrowser) self = g_object_ref (service->browser);
  AvahiClient *client;

  g_assert (CONFAB_IS_BROWSER (self));

  switch (event)
    {
    case AVAHI_RESOLVER_FOUND:
      /* The resolver stays open and reports again when the service changes. */
      g_clear_pointer (&instance->host, g_free);
      g_clear_pointer (&instance->address, g_free);
      g_clear_pointer (&instance->txt, avahi_string_list_free);

      instance->host = g_strdup (host_name);
      instance->address = format_address (address, interface);
      instance->rank = address_rank (address);
      instance->txt = avahi_string_list_copy (txt);
      instance->port = port;
      instance->local = (flags & AVAHI_LOOKUP_RESULT_LOCAL) != 0;
      instance->resolved = TRUE;
      break;

    case AVAHI_RESOLVER_FAILURE:
    default:
      /* Typically a timeout: the host announced the service but does not answer, or
       * has no address of the family asked for. */
      client = avahi_service_resolver_get_client (resolver);
      g_debug ("Could not resolve “%s”: %s",
               name, avahi_strerror (avahi_client_errno (client)));
      g_clear_pointer (&instance->resolver, avahi_service_resolver_free);
      instance->resolved = FALSE;

      /* Then any address will do. (@name, @type and @domain went with the resolver.) */
      if (instance->aprotocol != AVAHI_PROTO_UNSPEC)
        {
          instance->aprotocol = AVAHI_PROTO_UNSPEC;
          instance->resolver = avahi_service_resolver_new (client,
                                                           instance->interface,
                                                           instance->protocol,
                                                           service->name,
                                                           CONFAB_DISCOVERY_SERVICE_TYPE,
                                                           service->domain,
                                                           instance->aprotocol, 0,
                                                           service_resolved_cb, instance);
        }
      break;
    }

  update_service (self, service);
}

static Instance *
find_instance (Service       *service,
               AvahiIfIndex   interface,
               AvahiProtocol  protocol,
               guint         *position)
{
  for (guint i = 0; i < service->instances->len; i++)
    {
      Instance *instance = service->instances->pdata[i];

      if (instance->interface == interface && instance->protocol == protocol)
        {
          if (position != NULL)
            *position = i;
          return instance;
        }
    }

  return NULL;
}

static void
add_instance (ConfabBrowser *self,
              AvahiClient   *client,
              AvahiIfIndex   interface,
              AvahiProtocol  protocol,
              const char    *name,
              const char    *type,
              const char    *domain)
{
  g_autofree char *key = make_key (name, domain);
  Service *service;
  Instance *instance;

  g_assert (CONFAB_IS_BROWSER (self));

  if ((service = g_hash_table_lookup (self->services, key)) == NULL)
    {
      service = service_new (self, key, name, domain);
      g_hash_table_insert (self->services, service->key, service);
    }

  if (find_instance (service, interface, protocol, NULL) != NULL)
    return;

  instance = g_new0 (Instance, 1);
  instance->service = service;
  instance->interface = interface;
  instance->protocol = protocol;
  instance->aprotocol = protocol;
  instance->resolver = avahi_service_resolver_new (client,
                                                   interface, protocol,
                                                   name, type, domain,
                                                   instance->aprotocol, 0,
                                                   service_resolved_cb, instance);

  if (instance->resolver == NULL)
    {
      g_debug ("Could not start resolving “%s”: %s",
               name, avahi_strerror (avahi_client_errno (client)));
      instance_free (instance);
      if (service->instances->len == 0)
        g_hash_table_remove (self->services, key);
      return;
    }

  g_ptr_array_add (service->instances, instance);
}

static void
remove_instance (ConfabBrowser *self,
                 AvahiIfIndex   interface,
                 AvahiProtocol  protocol,
                 const char    *name,
                 const char    *domain)
{
  g_autofree char *key = make_key (name, domain);
  Service *service;
  guint position;

  g_assert (CONFAB_IS_BROWSER (self));

  if ((service = g_hash_table_lookup (self->services, key)) == NULL)
    return;

  if (find_instance (service, interface, protocol, &position) == NULL)
    return;

  g_ptr_array_remove_index (service->instances, position);

  if (service->instances->len > 0)
    {
      update_service (self, service);
      return;
    }

  /* Gone from the network: forget it. It leaves the table before the list, in case a
   * handler of items-changed stops the browser, which empties the table. */
  g_hash_table_steal (self->services, key);
  update_service (self, service);
  service_free (service);
}

static void
service_browsed_cb (AvahiServiceBrowser    *browser,
                    AvahiIfIndex            interface,
                    AvahiProtocol           protocol,
                    AvahiBrowserEvent       event,
                    const char             *name,
                    const char             *type,
                    const char             *domain,
                    AvahiLookupResultFlags  flags,
                    void                   *user_data)
{
  g_autoptr(ConfabBrowser) self = g_object_ref (user_data);

  g_assert (CONFAB_IS_BROWSER (self));

  switch (event)
    {
    case AVAHI_BROWSER_NEW:
      g_debug ("Found “%s” (interface %d, protocol %d)", name, interface, protocol);
      add_instance (self, avahi_service_browser_get_client (browser),
                    interface, protocol, name, type, domain);
      break;

    case AVAHI_BROWSER_REMOVE:
      g_debug ("Lost “%s” (interface %d, protocol %d)", name, interface, protocol);
      remove_instance (self, interface, protocol, name, domain);
      break;

    case AVAHI_BROWSER_FAILURE:
      g_clear_pointer (&self->browser, avahi_service_browser_free);
      fail (self, avahi_client_errno (avahi_service_browser_get_client (browser)));
      break;

    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    case AVAHI_BROWSER_ALL_FOR_NOW:
    default:
      break;
    }
}

static void
start_browsing (ConfabBrowser *self,
                AvahiClient   *client)
{
  g_assert (CONFAB_IS_BROWSER (self));

  if (!self->started || self->browser != NULL)
    return;

  self->browser = avahi_service_browser_new (client,
                                             AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                             CONFAB_DISCOVERY_SERVICE_TYPE, NULL, 0,
                                             service_browsed_cb, self);

  if (self->browser == NULL)
    {
      fail (self, avahi_client_errno (client));
      return;
    }

  set_error (self, NULL);
  set_state (self, CONFAB_BROWSER_STATE_RUNNING);
}

static gboolean
retry_cb (gpointer user_data)
{
  ConfabBrowser *self = user_data;

  g_assert (CONFAB_IS_BROWSER (self));

  self->retry_source = 0;
  connect_client (self);

  return G_SOURCE_REMOVE;
}

/* The daemon went away: this client is dead for good. A new one waits for the daemon. */
static gboolean
reconnect_cb (gpointer user_data)
{
  ConfabBrowser *self = user_data;

  g_assert (CONFAB_IS_BROWSER (self));

  self->reconnect_source = 0;

  clear_services (self);
  g_clear_pointer (&self->browser, avahi_service_browser_free);
  g_clear_pointer (&self->client, avahi_client_free);

  if (self->started)
    connect_client (self);

  return G_SOURCE_REMOVE;
}

static void
client_state_changed_cb (AvahiClient      *client,
                         AvahiClientState  state,
                         void             *user_data)
{
  g_autoptr(ConfabBrowser) self = g_object_ref (user_data);
  int error;

  g_assert (CONFAB_IS_BROWSER (self));

  if (!self->started)
    return;

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
    case AVAHI_CLIENT_S_REGISTERING:
    case AVAHI_CLIENT_S_COLLISION:
      /* Browsing works while the daemon (re)registers its host name. */
      start_browsing (self, client);
      break;

    case AVAHI_CLIENT_CONNECTING:
      /* AVAHI_CLIENT_NO_FAIL: no daemon yet, the client waits for one. */
      set_daemon_missing (self);
      break;

    case AVAHI_CLIENT_FAILURE:
      error = avahi_client_errno (client);

      if (error == AVAHI_ERR_DISCONNECTED && !self->in_client_new)
        {
          set_daemon_missing (self);
          if (self->reconnect_source == 0)
            self->reconnect_source = g_idle_add (reconnect_cb, self);
        }
      else
        {
          fail (self, error);
        }
      break;

    default:
      break;
    }
}

static void
connect_client (ConfabBrowser *self)
{
  g_autoptr(ConfabBrowser) hold = g_object_ref (self);
  AvahiClient *client;
  int error = AVAHI_OK;

  g_assert (CONFAB_IS_BROWSER (self));
  g_assert (self->client == NULL);

  if (self->poll == NULL)
    self->poll = avahi_glib_poll_new (g_main_context_get_thread_default (), G_PRIORITY_DEFAULT);

  /* The callback runs from inside avahi_client_new(), which may create the service
   * browser before self->client is set; stop() must not free the client then. */
  self->in_client_new = TRUE;
  client = avahi_client_new (avahi_glib_poll_get (self->poll),
                             AVAHI_CLIENT_NO_FAIL,
                             client_state_changed_cb, self,
                             &error);
  self->in_client_new = FALSE;

  if (client == NULL)
    {
      /* Avahi frees a browser made on a client it could not set up. */
      self->browser = NULL;

      if (!self->started)
        return;

      fail (self, error);

      /* Only the lack of a system bus gets here with AVAHI_CLIENT_NO_FAIL. */
      if (self->state == CONFAB_BROWSER_STATE_DAEMON_MISSING)
        self->retry_source = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);

      return;
    }

  if (!self->started)
    {
      self->browser = NULL;
      avahi_client_free (client);
      return;
    }

  self->client = client;
}

static GType
confab_browser_get_item_type (GListModel *model)
{
  return CONFAB_TYPE_ROOM;
}

static guint
confab_browser_get_n_items (GListModel *model)
{
  ConfabBrowser *self = CONFAB_BROWSER (model);

  return self->items->len;
}

static gpointer
confab_browser_get_item (GListModel *model,
                         guint       position)
{
  ConfabBrowser *self = CONFAB_BROWSER (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (self->items->pdata[position]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = confab_browser_get_item_type;
  iface->get_n_items = confab_browser_get_n_items;
  iface->get_item = confab_browser_get_item;
}

static void
confab_browser_dispose (GObject *object)
{
  ConfabBrowser *self = (ConfabBrowser *)object;

  self->started = FALSE;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);

  /* Resolvers and the browser belong to the client: free them first. */
  g_hash_table_remove_all (self->services);
  g_ptr_array_set_size (self->items, 0);
  g_clear_pointer (&self->browser, avahi_service_browser_free);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);

  G_OBJECT_CLASS (confab_browser_parent_class)->dispose (object);
}

static void
confab_browser_finalize (GObject *object)
{
  ConfabBrowser *self = (ConfabBrowser *)object;

  g_clear_pointer (&self->services, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (confab_browser_parent_class)->finalize (object);
}

static void
confab_browser_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ConfabBrowser *self = CONFAB_BROWSER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, confab_browser_get_error_message (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_browser_class_init (ConfabBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_browser_dispose;
  object_class->finalize = confab_browser_finalize;
  object_class->get_property = confab_browser_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CONFAB_TYPE_BROWSER_STATE,
                       CONFAB_BROWSER_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabBrowser:error-message:
   *
   * A sentence for the user saying why no rooms can be found, or %NULL.
   */
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_browser_init (ConfabBrowser *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->services = g_hash_table_new_full (g_str_hash, g_str_equal,
                                          NULL, (GDestroyNotify)service_free);
}

/* Creates a browser. Its list stays empty until confab_browser_start(). */
ConfabBrowser *
confab_browser_new (void)
{
  return g_object_new (CONFAB_TYPE_BROWSER, NULL);
}

/* Starts looking for rooms on the thread-default main context. Progress and trouble
 * are reported through ConfabBrowser:state: without Avahi the state becomes
 * daemon-missing and browsing starts as soon as Avahi does. Starting a browser that
 * failed tries again. */
void
confab_browser_start (ConfabBrowser *self)
{
  g_return_if_fail (CONFAB_IS_BROWSER (self));

  if (self->started && self->state != CONFAB_BROWSER_STATE_FAILED)
    return;

  if (self->started)
    confab_browser_stop (self);

  self->started = TRUE;
  set_error (self, NULL);
  set_state (self, CONFAB_BROWSER_STATE_STARTING);

  if (self->client == NULL)
    connect_client (self);
}

/* Stops looking and empties the list. */
void
confab_browser_stop (ConfabBrowser *self)
{
  g_return_if_fail (CONFAB_IS_BROWSER (self));

  self->started = FALSE;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);

  clear_services (self);
  g_clear_pointer (&self->browser, avahi_service_browser_free);

  /* Inside avahi_client_new(), connect_client() frees the new client on return. */
  if (!self->in_client_new)
    g_clear_pointer (&self->client, avahi_client_free);

  set_error (self, NULL);
  set_state (self, CONFAB_BROWSER_STATE_IDLE);
}

ConfabBrowserState
confab_browser_get_state (ConfabBrowser *self)
{
  g_return_val_if_fail (CONFAB_IS_BROWSER (self), CONFAB_BROWSER_STATE_IDLE);

  return self->state;
}

/* A sentence for the user saying why no rooms can be found, or %NULL. */
const char *
confab_browser_get_error_message (ConfabBrowser *self)
{
  g_return_val_if_fail (CONFAB_IS_BROWSER (self), NULL);

  return self->error ? self->error->message : NULL;
}

/* The error behind ConfabBrowser:error-message, in the CONFAB_DISCOVERY_ERROR domain. */
const GError *
confab_browser_get_error (ConfabBrowser *self)
{
  g_return_val_if_fail (CONFAB_IS_BROWSER (self), NULL);

  return self->error;
}
