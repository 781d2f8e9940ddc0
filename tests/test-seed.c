/* test-seed.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "confab-client.h"
#include "confab-enums.h"
#include "confab-protocol.h"
#include "confab-server.h"
#include "confab-test-utils.h"

/* The seed's protocol, both ways: a client that speaks only the seed's frames against a
 * ConfabServer, and ConfabClient against the seed's own FastAPI server. */

static guint
count_type (TestPeer   *peer,
            const char *type)
{
  g_autoptr(GPtrArray) frames = test_peer_frames_of_type (peer, type);

  return frames->len;
}

static void
assert_base_shape (JsonObject *frame)
{
  const char *type = json_object_get_string_member (frame, "type");

  /* What the seed's page reads: type, message, timestamp, and username on messages. */
  g_assert_true (g_str_equal (type, "message") || g_str_equal (type, "system"));
  g_assert_nonnull (json_object_get_string_member (frame, "message"));
  g_assert_nonnull (json_object_get_string_member (frame, "timestamp"));
  if (g_str_equal (type, "message"))
    g_assert_nonnull (json_object_get_string_member (frame, "username"));
}

static void
test_seed_client_against_confab (void)
{
  g_autoptr(ConfabServer) server = confab_server_new ("Seed room", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(TestPeer) first = NULL;
  g_autoptr(TestPeer) second = NULL;
  TestPeer *leaver;
  JsonObject *frame;

  g_assert_true (confab_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = confab_server_dup_url (server, "127.0.0.1");

  first = test_peer_connect (url);
  WAIT_UNTIL (count_type (first, "system") == 1);
  frame = test_peer_get_frame (first, 0);
  g_assert_cmpstr (json_object_get_string_member (frame, "message"), ==, "A new user joined the chat");

  second = test_peer_connect (url);
  WAIT_UNTIL (count_type (first, "system") == 2);

  /* Exactly the seed page's frame. */
  test_peer_send (first, "{\"username\": \"alice\", \"message\": \"hello from the seed page\"}");
  test_peer_send (second, "{\"message\": \"no name\"}");
  WAIT_UNTIL (count_type (second, "message") == 2);
  WAIT_UNTIL (count_type (first, "message") == 2);

  frame = test_peer_last_of_type (second, "message");
  g_assert_cmpstr (json_object_get_string_member (frame, "username"), ==, "Anonymous");
  {
    g_autoptr(GPtrArray) messages = test_peer_frames_of_type (second, "message");

    frame = g_ptr_array_index (messages, 0);
  }
  g_assert_cmpstr (json_object_get_string_member (frame, "username"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (frame, "message"), ==, "hello from the seed page");
  {
    g_autoptr(GDateTime) when = confab_protocol_parse_timestamp (json_object_get_string_member (frame, "timestamp"));

    g_assert_nonnull (when);
  }

  leaver = test_peer_connect (url);
  WAIT_UNTIL (count_type (first, "system") == 3);
  test_peer_free (leaver);
  WAIT_UNTIL (count_type (first, "system") == 4);
  g_assert_cmpstr (json_object_get_string_member (test_peer_last_of_type (first, "system"), "message"),
                   ==, "A user left the chat");

  /* A base client sees only base frames: no welcome, no presence. */
  for (guint i = 0; i < test_peer_n_frames (first); i++)
    assert_base_shape (test_peer_get_frame (first, i));
  for (guint i = 0; i < test_peer_n_frames (second); i++)
    assert_base_shape (test_peer_get_frame (second, i));

  confab_server_stop (server);
}

static gboolean
has_system_text (GListModel *model,
                 const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ConfabMessage) message = g_list_model_get_item (model, i);

      if (confab_message_is_system (message) && g_str_equal (confab_message_get_text (message), text))
        return TRUE;
    }

  return FALSE;
}

static void
test_confab_client_against_seed (void)
{
  g_autoptr(GError) error = NULL;
  SeedServer *seed = seed_server_start (&error);
  g_autofree char *url = NULL;
  g_autoptr(ConfabClient) alice = NULL;
  g_autoptr(ConfabClient) bob = NULL;
  g_autoptr(TestPeer) raw = NULL;
  GListModel *alice_log;
  GListModel *bob_log;

  if (seed == NULL)
    {
      g_test_skip_printf ("the seed's server cannot run: %s", error->message);
      return;
    }

  url = seed_server_get_url (seed);
  alice = confab_client_new (url);
  bob = confab_client_new (url);
  alice_log = confab_client_get_messages (alice);
  bob_log = confab_client_get_messages (bob);
  confab_client_set_username (alice, "alice");
  confab_client_set_username (bob, "bob");

  confab_client_connect (alice);
  WAIT_UNTIL (confab_client_get_state (alice) == CONFAB_CLIENT_STATE_CONNECTED);
  WAIT_UNTIL (g_list_model_get_n_items (alice_log) == 1);
  confab_client_connect (bob);
  WAIT_UNTIL (confab_client_get_state (bob) == CONFAB_CLIENT_STATE_CONNECTED);
  WAIT_UNTIL (g_list_model_get_n_items (alice_log) == 2);
  WAIT_UNTIL (g_list_model_get_n_items (bob_log) == 1);

  g_assert_true (confab_client_send (alice, "hello from Confab"));
  g_assert_true (confab_client_send (bob, "hello back"));
  WAIT_UNTIL (confab_test_count_chat (alice_log) == 2 && confab_test_count_chat (bob_log) == 2);

  /* The seed has no ids, no presence, no room name: Confab gets along without them. */
  g_assert_false (confab_client_get_extended (alice));
  g_assert_null (confab_client_get_room_name (alice));
  g_assert_cmpuint (g_strv_length ((char **)confab_client_get_members (alice)), ==, 0);
  g_assert_true (has_system_text (alice_log, "A new user joined the chat"));

  {
    g_autoptr(ConfabMessage) mine = g_list_model_get_item (alice_log, 2);
    g_autoptr(ConfabMessage) theirs = g_list_model_get_item (alice_log, 3);

    g_assert_cmpstr (confab_message_get_text (mine), ==, "hello from Confab");
    g_assert_cmpstr (confab_message_get_username (mine), ==, "alice");
    g_assert_true (confab_message_get_own (mine));
    g_assert_cmpint (confab_message_get_id (mine), ==, 0);
    g_assert_cmpstr (confab_message_get_username (theirs), ==, "bob");
    g_assert_false (confab_message_get_own (theirs));
  }

  /* What Confab sends is readable by a plain seed client too. */
  raw = test_peer_connect (url);
  WAIT_UNTIL (count_type (raw, "system") == 1);
  confab_client_send (alice, "to the seed page");
  WAIT_UNTIL (count_type (raw, "message") == 1);
  g_assert_cmpstr (json_object_get_string_member (test_peer_last_of_type (raw, "message"), "username"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (test_peer_last_of_type (raw, "message"), "message"), ==, "to the seed page");

  confab_client_disconnect (bob);
  WAIT_UNTIL (has_system_text (alice_log, "A user left the chat"));

  /* The seed server goes away: Confab reports it and keeps trying. */
  confab_client_set_reconnect_delay (alice, 50);
  g_clear_pointer (&raw, test_peer_free);
  seed_server_stop (seed);
  WAIT_UNTIL (confab_client_get_state (alice) == CONFAB_CLIENT_STATE_RECONNECTING);
  confab_client_disconnect (alice);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/confab/seed/seed-client-against-confab", test_seed_client_against_confab);
  g_test_add_func ("/confab/seed/confab-client-against-seed", test_confab_client_against_seed);

  return g_test_run ();
}
