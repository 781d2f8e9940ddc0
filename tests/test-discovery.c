/* test-discovery.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/address.h>
#include <avahi-glib/glib-watch.h>

#include "confab-browser.h"
#include "confab-discovery.h"
#include "confab-publisher.h"
#include "confab-room.h"
#include "confab-test-utils.h"

/* A room name no other test run (nor another machine on a real LAN) uses. */
static char *
make_room_name (const char *what)
{
  return g_strdup_printf ("Confab test %s %08x", what, g_random_int ());
}

/* A real port to announce: a listener bound to port 0 picks one. */
static GSocketListener *
make_listener (guint *port)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;

  *port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (*port, >, 0);

  return g_steal_pointer (&listener);
}

/* The room called @name in @model, borrowed from the model, or NULL. */
static ConfabRoom *
find_room (GListModel *model,
           const char *name)
{
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(ConfabRoom) room = g_list_model_get_item (model, i);

      if (g_strcmp0 (confab_room_get_name (room), name) == 0)
        return room;
    }

  return NULL;
}

/* Keeps a count from items-changed alone, to check the model's bookkeeping. */
static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *count = user_data;

  g_assert_cmpuint (position + removed, <=, *count);
  *count = *count - removed + added;
  g_assert_cmpuint (*count, ==, g_list_model_get_n_items (model));
}

static ConfabBrowser *
start_browser (guint *count)
{
  g_autoptr(ConfabBrowser) browser = confab_browser_new ();

  g_signal_connect (browser, "items-changed", G_CALLBACK (items_changed_cb), count);

  confab_browser_start (browser);
  WAIT_UNTIL (confab_browser_get_state (browser) != CONFAB_BROWSER_STATE_STARTING);
  g_assert_cmpint (confab_browser_get_state (browser), ==, CONFAB_BROWSER_STATE_RUNNING);
  g_assert_null (confab_browser_get_error_message (browser));

  return g_steal_pointer (&browser);
}

static void
test_room_url (void)
{
  const char *ipv4[] = { "192.0.2.7", "fd00::7", NULL };
  const char *ipv6[] = { "fd00::7", NULL };
  const char *scoped[] = { "fe80::1%eth0", NULL };
  g_autoptr(ConfabRoom) room = NULL;
  g_autofree char *url = NULL;

  room = confab_room_new ("Kitchen #2", "Kitchen", "laptop.local", ipv4, 8000, "/ws/chat", 1, FALSE);
  g_assert_cmpstr (confab_room_get_name (room), ==, "Kitchen #2");
  g_assert_cmpstr (confab_room_get_room (room), ==, "Kitchen");
  g_assert_cmpstr (confab_room_get_address (room), ==, "192.0.2.7");
  g_assert_cmpuint (g_strv_length ((char **)confab_room_get_addresses (room)), ==, 2);
  url = confab_room_dup_url (room);
  g_assert_cmpstr (url, ==, "ws://192.0.2.7:8000/ws/chat");
  g_clear_pointer (&url, g_free);
  g_object_get (room, "url", &url, NULL);
  g_assert_cmpstr (url, ==, "ws://192.0.2.7:8000/ws/chat");
  g_clear_pointer (&url, g_free);
  g_assert_finalize_object (g_steal_pointer (&room));

  room = confab_room_new ("Attic", NULL, "attic.local", ipv6, 8001, NULL, 0, TRUE);
  g_assert_cmpstr (confab_room_get_room (room), ==, "Attic");
  g_assert_cmpstr (confab_room_get_path (room), ==, "/ws/chat");
  g_assert_true (confab_room_get_local (room));
  url = confab_room_dup_url (room);
  g_assert_cmpstr (url, ==, "ws://[fd00::7]:8001/ws/chat");
  g_clear_pointer (&url, g_free);
  g_assert_finalize_object (g_steal_pointer (&room));

  room = confab_room_new ("Cellar", "Cellar", "cellar.local", scoped, 8002, "/ws/chat", 1, FALSE);
  url = confab_room_dup_url (room);
  g_assert_cmpstr (url, ==, "ws://[fe80::1%25eth0]:8002/ws/chat");
  g_clear_pointer (&url, g_free);
  g_assert_finalize_object (g_steal_pointer (&room));

  room = confab_room_new ("Nowhere", NULL, NULL, NULL, 8003, NULL, 0, FALSE);
  g_assert_null (confab_room_get_address (room));
  g_assert_null (confab_room_dup_url (room));
  g_object_get (room, "url", &url, NULL);
  g_assert_null (url);
  g_assert_finalize_object (g_steal_pointer (&room));
}

static void
test_publish_and_browse (void)
{
  g_autoptr(GSocketListener) listener = NULL;
  g_autoptr(ConfabPublisher) publisher = NULL;
  g_autoptr(ConfabBrowser) browser = NULL;
  g_autofree char *room_name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected_url = NULL;
  ConfabRoom *room;
  guint count = 0;
  guint port;

  SKIP_WITHOUT_AVAHI ();

  room_name = make_room_name ("publish");
  listener = make_listener (&port);
  browser = start_browser (&count);

  publisher = confab_publisher_new (room_name, port);
  g_assert_cmpint (confab_publisher_get_state (publisher), ==, CONFAB_PUBLISHER_STATE_IDLE);
  g_assert_null (confab_publisher_get_published_name (publisher));

  confab_publisher_start (publisher);
  WAIT_UNTIL (confab_publisher_get_state (publisher) != CONFAB_PUBLISHER_STATE_REGISTERING);
  g_assert_cmpint (confab_publisher_get_state (publisher), ==, CONFAB_PUBLISHER_STATE_PUBLISHED);
  g_assert_cmpstr (confab_publisher_get_published_name (publisher), ==, room_name);
  g_assert_null (confab_publisher_get_error_message (publisher));

  /* The browser sees it, with what the TXT record says. */
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), room_name) != NULL);
  room = find_room (G_LIST_MODEL (browser), room_name);
  g_assert_cmpstr (confab_room_get_room (room), ==, room_name);
  g_assert_cmpuint (confab_room_get_port (room), ==, port);
  g_assert_cmpstr (confab_room_get_path (room), ==, "/ws/chat");
  g_assert_cmpuint (confab_room_get_protocol (room), ==, 1);
  g_assert_true (confab_room_get_local (room));
  g_assert_nonnull (confab_room_get_host (room));
  g_assert_nonnull (confab_room_get_address (room));

  url = confab_room_dup_url (room);
  expected_url = g_strdup_printf (":%u/ws/chat", port);
  g_assert_true (g_str_has_prefix (url, "ws://"));
  g_assert_true (g_str_has_suffix (url, expected_url));

  /* Stopping withdraws it. */
  confab_publisher_stop (publisher);
  g_assert_cmpint (confab_publisher_get_state (publisher), ==, CONFAB_PUBLISHER_STATE_IDLE);
  g_assert_null (confab_publisher_get_published_name (publisher));
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), room_name) == NULL);

  confab_browser_stop (browser);
  g_assert_cmpint (confab_browser_get_state (browser), ==, CONFAB_BROWSER_STATE_IDLE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (browser)), ==, 0);
  g_assert_cmpuint (count, ==, 0);

  g_assert_finalize_object (g_steal_pointer (&publisher));
  g_assert_finalize_object (g_steal_pointer (&browser));
}

static void
test_same_room_name (void)
{
  g_autoptr(GSocketListener) listener1 = NULL;
  g_autoptr(GSocketListener) listener2 = NULL;
  g_autoptr(ConfabPublisher) first = NULL;
  g_autoptr(ConfabPublisher) second = NULL;
  g_autoptr(ConfabBrowser) browser = NULL;
  g_autofree char *room_name = NULL;
  g_autofree char *second_name = NULL;
  ConfabRoom *room1;
  ConfabRoom *room2;
  guint count = 0;
  guint port1;
  guint port2;

  SKIP_WITHOUT_AVAHI ();

  room_name = make_room_name ("twins");
  listener1 = make_listener (&port1);
  listener2 = make_listener (&port2);
  browser = start_browser (&count);

  first = confab_publisher_new (room_name, port1);
  confab_publisher_start (first);
  WAIT_UNTIL (confab_publisher_get_state (first) == CONFAB_PUBLISHER_STATE_PUBLISHED);

  second = confab_publisher_new (room_name, port2);
  confab_publisher_start (second);
  WAIT_UNTIL (confab_publisher_get_state (second) != CONFAB_PUBLISHER_STATE_REGISTERING);
  g_assert_cmpint (confab_publisher_get_state (second), ==, CONFAB_PUBLISHER_STATE_PUBLISHED);

  /* Avahi's rule for a taken name. */
  second_name = g_strdup_printf ("%s #2", room_name);
  g_assert_cmpstr (confab_publisher_get_published_name (first), ==, room_name);
  g_assert_cmpstr (confab_publisher_get_published_name (second), ==, second_name);

  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), room_name) != NULL &&
              find_room (G_LIST_MODEL (browser), second_name) != NULL);
  room1 = find_room (G_LIST_MODEL (browser), room_name);
  room2 = find_room (G_LIST_MODEL (browser), second_name);
  g_assert_cmpuint (confab_room_get_port (room1), ==, port1);
  g_assert_cmpuint (confab_room_get_port (room2), ==, port2);

  /* Both show the room name the hosts chose. */
  g_assert_cmpstr (confab_room_get_room (room1), ==, room_name);
  g_assert_cmpstr (confab_room_get_room (room2), ==, room_name);

  /* One goes, the other stays. */
  confab_publisher_stop (first);
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), room_name) == NULL);
  g_assert_nonnull (find_room (G_LIST_MODEL (browser), second_name));

  g_assert_finalize_object (g_steal_pointer (&second));
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), second_name) == NULL);

  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&browser));
}

static void
test_rename_while_published (void)
{
  g_autoptr(GSocketListener) listener = NULL;
  g_autoptr(ConfabPublisher) publisher = NULL;
  g_autoptr(ConfabBrowser) browser = NULL;
  g_autofree char *old_name = NULL;
  g_autofree char *new_name = NULL;
  guint count = 0;
  guint port;

  SKIP_WITHOUT_AVAHI ();

  old_name = make_room_name ("before");
  new_name = make_room_name ("after");
  listener = make_listener (&port);
  browser = start_browser (&count);

  publisher = confab_publisher_new (old_name, port);
  confab_publisher_start (publisher);
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), old_name) != NULL);

  confab_publisher_set_room_name (publisher, new_name);
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), new_name) != NULL &&
              find_room (G_LIST_MODEL (browser), old_name) == NULL);
  WAIT_UNTIL (confab_publisher_get_state (publisher) == CONFAB_PUBLISHER_STATE_PUBLISHED);
  g_assert_cmpstr (confab_publisher_get_published_name (publisher), ==, new_name);

  g_assert_finalize_object (g_steal_pointer (&publisher));
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), new_name) == NULL);
  g_assert_finalize_object (g_steal_pointer (&browser));
}

static void
foreign_group_changed_cb (AvahiEntryGroup      *group,
                          AvahiEntryGroupState  state,
                          void                 *user_data)
{
  AvahiEntryGroupState *out = user_data;

  *out = state;
}

/* A service that is not a Confab host: its TXT record is odd and its host has only an
 * IPv6 address, though it is announced over IPv4. Published with Avahi's own API. */
static void
test_foreign_service (void)
{
  g_autoptr(ConfabBrowser) browser = NULL;
  g_autofree char *name = make_room_name ("foreign");
  g_autofree char *host = g_strdup_printf ("confab-test-%08x.local", g_random_int ());
  g_autofree char *url = NULL;
  AvahiEntryGroupState group_state = AVAHI_ENTRY_GROUP_UNCOMMITED;
  AvahiGLibPoll *poll;
  AvahiClient *client;
  AvahiEntryGroup *group;
  AvahiAddress address;
  ConfabRoom *room;
  guint count = 0;
  int error = 0;

  SKIP_WITHOUT_AVAHI ();

  browser = start_browser (&count);

  poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
  client = avahi_client_new (avahi_glib_poll_get (poll), 0, NULL, NULL, &error);
  g_assert_nonnull (client);
  group = avahi_entry_group_new (client, foreign_group_changed_cb, &group_state);
  g_assert_nonnull (group);

  g_assert_nonnull (avahi_address_parse ("::1", AVAHI_PROTO_INET6, &address));
  g_assert_cmpint (avahi_entry_group_add_address (group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                  AVAHI_PUBLISH_NO_REVERSE, host, &address),
                   ==, 0);
  g_assert_cmpint (avahi_entry_group_add_service (group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
                                                  name, CONFAB_DISCOVERY_SERVICE_TYPE, NULL, host,
                                                  4242,
                                                  "path=/ws/chat?evil=1", "protocol=one",
                                                  NULL),
                   ==, 0);
  g_assert_cmpint (avahi_entry_group_commit (group), ==, 0);
  WAIT_UNTIL (group_state == AVAHI_ENTRY_GROUP_ESTABLISHED);

  /* Resolving for an IPv4 address times out (after 5 s); then any address does. */
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), name) != NULL);
  room = find_room (G_LIST_MODEL (browser), name);
  g_assert_cmpstr (confab_room_get_room (room), ==, name);
  g_assert_cmpstr (confab_room_get_host (room), ==, host);
  g_assert_cmpstr (confab_room_get_address (room), ==, "::1");
  g_assert_cmpuint (confab_room_get_port (room), ==, 4242);
  g_assert_cmpstr (confab_room_get_path (room), ==, "/ws/chat");
  g_assert_cmpuint (confab_room_get_protocol (room), ==, 0);
  url = confab_room_dup_url (room);
  g_assert_cmpstr (url, ==, "ws://[::1]:4242/ws/chat");

  avahi_client_free (client);
  avahi_glib_poll_free (poll);
  WAIT_UNTIL (find_room (G_LIST_MODEL (browser), name) == NULL);

  g_assert_finalize_object (g_steal_pointer (&browser));
}

/* Without Avahi, both objects must say so at once and stay usable. */
static void
check_daemon_missing (void)
{
  g_autoptr(ConfabPublisher) publisher = NULL;
  g_autoptr(ConfabBrowser) browser = NULL;
  const GError *error;
  gint64 start = g_get_monotonic_time ();

  browser = confab_browser_new ();
  confab_browser_start (browser);
  WAIT_UNTIL (confab_browser_get_state (browser) != CONFAB_BROWSER_STATE_STARTING);
  g_assert_cmpint (confab_browser_get_state (browser), ==, CONFAB_BROWSER_STATE_DAEMON_MISSING);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (browser)), ==, 0);
  error = confab_browser_get_error (browser);
  g_assert_error (error, CONFAB_DISCOVERY_ERROR, CONFAB_DISCOVERY_ERROR_DAEMON_MISSING);
  g_assert_nonnull (strstr (confab_browser_get_error_message (browser), "Avahi is not running"));

  publisher = confab_publisher_new ("Kitchen", 8000);
  confab_publisher_start (publisher);
  WAIT_UNTIL (confab_publisher_get_state (publisher) != CONFAB_PUBLISHER_STATE_REGISTERING);
  g_assert_cmpint (confab_publisher_get_state (publisher), ==, CONFAB_PUBLISHER_STATE_DAEMON_MISSING);
  error = confab_publisher_get_error (publisher);
  g_assert_error (error, CONFAB_DISCOVERY_ERROR, CONFAB_DISCOVERY_ERROR_DAEMON_MISSING);
  g_assert_nonnull (strstr (confab_publisher_get_error_message (publisher), "Avahi is not running"));

  /* "At once": no D-Bus timeout was waited for. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  /* Stopping and starting again is fine. */
  confab_publisher_stop (publisher);
  g_assert_cmpint (confab_publisher_get_state (publisher), ==, CONFAB_PUBLISHER_STATE_IDLE);
  g_assert_null (confab_publisher_get_error_message (publisher));
  confab_publisher_start (publisher);
  g_assert_cmpint (confab_publisher_get_state (publisher), ==, CONFAB_PUBLISHER_STATE_DAEMON_MISSING);

  confab_browser_stop (browser);
  g_assert_cmpint (confab_browser_get_state (browser), ==, CONFAB_BROWSER_STATE_IDLE);
  g_assert_null (confab_browser_get_error_message (browser));

  g_assert_finalize_object (g_steal_pointer (&publisher));
  g_assert_finalize_object (g_steal_pointer (&browser));
}

/* No system bus at all (a container, say). */
static void
test_no_system_bus (void)
{
  confab_test_without_system_bus (check_daemon_missing);
}

/* A system bus without avahi-daemon on it: Avahi's client waits for the daemon
 * (AVAHI_CLIENT_NO_FAIL), and we report it missing meanwhile. */
static void
test_no_daemon_on_bus (void)
{
  confab_test_without_avahi_daemon (check_daemon_missing);
}

static void
test_invalid_name (void)
{
  g_autoptr(ConfabPublisher) publisher = confab_publisher_new ("", 8000);
  g_autofree char *room_name = make_room_name ("renamed");
  const GError *error;

  /* Refused before Avahi is asked, so this needs no daemon. */
  confab_publisher_start (publisher);
  g_assert_cmpint (confab_publisher_get_state (publisher), ==, CONFAB_PUBLISHER_STATE_FAILED);
  g_assert_error (confab_publisher_get_error (publisher),
                  CONFAB_DISCOVERY_ERROR, CONFAB_DISCOVERY_ERROR_INVALID_NAME);
  g_assert_nonnull (confab_publisher_get_error_message (publisher));

  /* Starting again tries again, and fails the same way. */
  confab_publisher_start (publisher);
  g_assert_cmpint (confab_publisher_get_state (publisher), ==, CONFAB_PUBLISHER_STATE_FAILED);

  /* A usable name gets it going (or waiting for Avahi, when there is none). */
  confab_publisher_set_room_name (publisher, room_name);
  g_assert_cmpint (confab_publisher_get_state (publisher), !=, CONFAB_PUBLISHER_STATE_FAILED);
  g_assert_cmpstr (confab_publisher_get_published_name (publisher), ==, room_name);
  error = confab_publisher_get_error (publisher);
  g_assert_true (error == NULL ||
                 g_error_matches (error, CONFAB_DISCOVERY_ERROR,
                                  CONFAB_DISCOVERY_ERROR_DAEMON_MISSING));

  confab_publisher_stop (publisher);
  g_assert_cmpint (confab_publisher_get_state (publisher), ==, CONFAB_PUBLISHER_STATE_IDLE);
  g_assert_finalize_object (g_steal_pointer (&publisher));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/confab/discovery/room-url", test_room_url);
  g_test_add_func ("/confab/discovery/invalid-name", test_invalid_name);
  g_test_add_func ("/confab/discovery/no-system-bus", test_no_system_bus);
  g_test_add_func ("/confab/discovery/no-daemon-on-bus", test_no_daemon_on_bus);
  g_test_add_func ("/confab/discovery/publish-and-browse", test_publish_and_browse);
  g_test_add_func ("/confab/discovery/same-room-name", test_same_room_name);
  g_test_add_func ("/confab/discovery/rename-while-published", test_rename_while_published);
  g_test_add_func ("/confab/discovery/foreign-service", test_foreign_service);

  return g_test_run ();
}
