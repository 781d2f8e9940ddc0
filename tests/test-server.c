/* test-server.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "confab-client.h"
#include "confab-enums.h"
#include "confab-protocol.h"
#include "confab-server.h"
#include "confab-test-utils.h"

typedef struct
{
  ConfabServer *server;
  char         *url;
  char         *plain_url;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = confab_server_new ("Test room", NULL);
  confab_server_listen (fixture->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (confab_server_get_port (fixture->server), >, 0);

  fixture->plain_url = confab_server_dup_url (fixture->server, "127.0.0.1");
  fixture->url = g_strconcat (fixture->plain_url, "?protocol=1", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  confab_server_stop (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_free (fixture->url);
  g_free (fixture->plain_url);
}

static char *
url_with (Fixture    *fixture,
          const char *params)
{
  return g_strconcat (fixture->plain_url, "?", params, NULL);
}

/* The chat messages a raw peer received, live or backlog, as "id:username:text". */
static GPtrArray *
chat_log (TestPeer *peer)
{
  g_autoptr(GPtrArray) frames = test_peer_frames_of_type (peer, "message");
  GPtrArray *log = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < frames->len; i++)
    {
      JsonObject *frame = g_ptr_array_index (frames, i);

      g_ptr_array_add (log, g_strdup_printf ("%" G_GINT64_FORMAT ":%s:%s",
                                             json_object_get_int_member_with_default (frame, "id", 0),
                                             json_object_get_string_member (frame, "username"),
                                             json_object_get_string_member (frame, "message")));
    }

  return log;
}

static guint
count_type (TestPeer   *peer,
            const char *type)
{
  g_autoptr(GPtrArray) frames = test_peer_frames_of_type (peer, type);

  return frames->len;
}

static void
assert_ids_increase (TestPeer *peer)
{
  gint64 last = 0;

  for (guint i = 0; i < test_peer_n_frames (peer); i++)
    {
      JsonObject *frame = test_peer_get_frame (peer, i);
      gint64 id = json_object_get_int_member_with_default (frame, "id", -1);

      if (id < 0)
        continue;
      g_assert_cmpint (id, >, last);
      last = id;
    }
}

static void
assert_same_log (GPtrArray *a,
                 GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
}

static void
run_room (Fixture *fixture,
          guint    n_clients,
          guint    n_senders,
          guint    per_sender)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify)test_peer_free);
  g_autoptr(GPtrArray) reference = NULL;
  guint total = n_senders * per_sender;

  for (guint i = 0; i < n_clients; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s&username=user%u", fixture->url, i);

      g_ptr_array_add (peers, test_peer_connect (url));
    }
  WAIT_UNTIL (confab_server_get_n_clients (fixture->server) == n_clients);

  /* Senders take turns, so their messages interleave on the wire. */
  for (guint m = 0; m < per_sender; m++)
    for (guint s = 0; s < n_senders; s++)
      {
        g_autofree char *frame = g_strdup_printf ("{\"username\": \"user%u\", \"message\": \"%u-%u\"}", s, s, m);

        test_peer_send (g_ptr_array_index (peers, s), frame);
      }

  for (guint i = 0; i < n_clients; i++)
    WAIT_UNTIL (count_type (g_ptr_array_index (peers, i), "message") >= total);

  reference = chat_log (g_ptr_array_index (peers, 0));
  g_assert_cmpuint (reference->len, ==, total);

  /* Each sender's messages are in its own order. */
  for (guint s = 0; s < n_senders; s++)
    {
      guint next = 0;

      for (guint i = 0; i < reference->len; i++)
        {
          g_autofree char *prefix = g_strdup_printf (":user%u:%u-", s, s);
          const char *entry = g_ptr_array_index (reference, i);
          const char *at = strstr (entry, prefix);

          if (at != NULL)
            {
              g_assert_cmpuint (g_ascii_strtoull (at + strlen (prefix), NULL, 10), ==, next);
              next++;
            }
        }
      g_assert_cmpuint (next, ==, per_sender);
    }

  /* Every client saw the same messages, once each, in the same order. */
  for (guint i = 0; i < n_clients; i++)
    {
      g_autoptr(GPtrArray) log = chat_log (g_ptr_array_index (peers, i));

      assert_same_log (reference, log);
      assert_ids_increase (g_ptr_array_index (peers, i));
    }
}

static void
test_broadcast_two (Fixture       *fixture,
                    gconstpointer  data)
{
  run_room (fixture, 2, 2, 50);
}

static void
test_broadcast_fifty (Fixture       *fixture,
                      gconstpointer  data)
{
  run_room (fixture, 50, 5, 20);
}

static JsonObject *
last_system (TestPeer *peer)
{
  return test_peer_last_of_type (peer, "system");
}

static gboolean
presence_is (TestPeer   *peer,
             const char *expected_users,
             guint       anonymous,
             guint       online)
{
  JsonObject *presence = test_peer_last_of_type (peer, "presence");
  g_autoptr(GString) users = g_string_new (NULL);
  JsonArray *array;

  if (presence == NULL)
    return FALSE;

  array = json_object_get_array_member (presence, "users");
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (users, "%s%s", i ? "," : "", json_array_get_string_element (array, i));

  return g_str_equal (users->str, expected_users) &&
         json_object_get_int_member (presence, "anonymous") == anonymous &&
         json_object_get_int_member (presence, "online") == online;
}

static void
test_join_leave_names (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *alice_url = url_with (fixture, "protocol=1&username=alice");
  g_autoptr(TestPeer) alice = test_peer_connect (alice_url);
  TestPeer *anonymous;
  TestPeer *bob;
  g_autofree char *bob_url = url_with (fixture, "username=%20bob%20");

  WAIT_UNTIL (last_system (alice) != NULL);
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "message"), ==, "alice joined the chat");
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "event"), ==, "join");
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "username"), ==, "alice");

  /* A seed-style client never announces itself: the seed's wording. */
  anonymous = test_peer_connect (fixture->plain_url);
  WAIT_UNTIL (count_type (alice, "system") == 2);
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "message"), ==, "A new user joined the chat");
  g_assert_false (json_object_has_member (last_system (alice), "username"));

  test_peer_free (anonymous);
  WAIT_UNTIL (count_type (alice, "system") == 3);
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "message"), ==, "A user left the chat");
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "event"), ==, "leave");

  bob = test_peer_connect (bob_url);
  WAIT_UNTIL (count_type (alice, "system") == 4);
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "message"), ==, "bob joined the chat");

  /* A named client whose messages carry another name is renamed. */
  test_peer_send (bob, "{\"username\": \"robert\", \"message\": \"call me robert\"}");
  WAIT_UNTIL (count_type (alice, "system") == 5);
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "event"), ==, "rename");
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "message"), ==, "bob is now robert");
  WAIT_UNTIL (count_type (alice, "message") == 1);

  test_peer_free (bob);
  WAIT_UNTIL (count_type (alice, "system") == 6);
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "message"), ==, "robert left the chat");
}

static void
test_presence (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *alice_url = url_with (fixture, "protocol=1&username=alice");
  g_autofree char *bob_url = url_with (fixture, "protocol=1&username=bob");
  g_autofree char *carol_url = url_with (fixture, "protocol=1&username=carol");
  g_autoptr(TestPeer) alice = test_peer_connect (alice_url);
  TestPeer *bob;
  TestPeer *carol;
  TestPeer *seed;

  WAIT_UNTIL (presence_is (alice, "alice", 0, 1));

  bob = test_peer_connect (bob_url);
  WAIT_UNTIL (presence_is (alice, "alice,bob", 0, 2));
  WAIT_UNTIL (presence_is (bob, "alice,bob", 0, 2));

  /* A seed client is anonymous until its first message names it, and never gets presence. */
  seed = test_peer_connect (fixture->plain_url);
  WAIT_UNTIL (presence_is (alice, "alice,bob", 1, 3));
  test_peer_send (seed, "{\"username\": \"dave\", \"message\": \"hi\"}");
  WAIT_UNTIL (presence_is (alice, "alice,bob,dave", 0, 3));
  WAIT_UNTIL (count_type (seed, "message") == 1);
  g_assert_cmpuint (count_type (seed, "presence"), ==, 0);
  g_assert_cmpuint (count_type (seed, "welcome"), ==, 0);

  test_peer_free (bob);
  WAIT_UNTIL (presence_is (alice, "alice,dave", 0, 2));

  /* An abrupt drop, with no close frame, is a leave all the same. */
  carol = test_peer_connect (carol_url);
  WAIT_UNTIL (presence_is (alice, "alice,carol,dave", 0, 3));
  test_peer_abort (carol);
  WAIT_UNTIL (presence_is (alice, "alice,dave", 0, 2));
  g_assert_cmpstr (json_object_get_string_member (last_system (alice), "message"), ==, "carol left the chat");
  test_peer_free (carol);
  test_peer_free (seed);
  WAIT_UNTIL (presence_is (alice, "alice", 0, 1));
}

static void
test_joins_coalesce (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *watcher_url = url_with (fixture, "protocol=1&username=watcher");
  g_autoptr(TestPeer) watcher = test_peer_connect (watcher_url);
  g_autoptr(GPtrArray) crowd = g_ptr_array_new_with_free_func ((GDestroyNotify)test_peer_free);
  g_autoptr(GPtrArray) systems = NULL;
  JsonObject *group;
  JsonArray *names;
  guint presences;

  WAIT_UNTIL (presence_is (watcher, "watcher", 0, 1));
  presences = count_type (watcher, "presence");

  /* A wide window, so that a slow machine still connects the five within it. */
  g_object_set (fixture->server, "announce-delay", 2000, NULL);

  /* Five people arrive at once (three named, two seed-style): one announcement. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s&username=p%u", fixture->url, i);

      g_ptr_array_add (crowd, test_peer_connect (url));
    }
  g_ptr_array_add (crowd, test_peer_connect (fixture->plain_url));
  g_ptr_array_add (crowd, test_peer_connect (fixture->plain_url));

  WAIT_UNTIL (presence_is (watcher, "p0,p1,p2,watcher", 2, 6));
  systems = test_peer_frames_of_type (watcher, "system");
  group = g_ptr_array_index (systems, systems->len - 1);
  g_assert_cmpstr (json_object_get_string_member (group, "event"), ==, "join");
  g_assert_cmpint (json_object_get_int_member (group, "count"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (group, "message"), ==,
                   "p0, p1, p2 and 2 others joined the chat");
  names = json_object_get_array_member (group, "usernames");
  g_assert_cmpuint (json_array_get_length (names), ==, 3);
  /* Presence was sent once for the five, not five times. */
  g_assert_cmpuint (count_type (watcher, "presence"), ==, presences + 1);

  /* A message sent while joins wait flushes them first: order is kept. */
  g_ptr_array_add (crowd, test_peer_connect (fixture->plain_url));
  test_peer_send (watcher, "{\"message\": \"welcome all\"}");
  WAIT_UNTIL (count_type (watcher, "message") == 1);
  g_assert_cmpstr (json_object_get_string_member (last_system (watcher), "message"), ==,
                   "A new user joined the chat");
  assert_ids_increase (watcher);

  /* They all leave at once. */
  g_ptr_array_set_size (crowd, 0);
  WAIT_UNTIL (presence_is (watcher, "watcher", 0, 1));
  g_assert_cmpstr (json_object_get_string_member (last_system (watcher), "event"), ==, "leave");
  g_assert_cmpint (json_object_get_int_member (last_system (watcher), "count"), ==, 6);
}

static void
test_backlog (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *sender_url = url_with (fixture, "protocol=1&username=sender");
  g_autofree char *late_url = url_with (fixture, "protocol=1&username=late");
  g_autoptr(TestPeer) sender = NULL;
  g_autoptr(TestPeer) late = NULL;
  g_autoptr(TestPeer) seed_late = NULL;
  JsonObject *welcome;
  gint64 last_id;
  gint64 expected;

  confab_server_set_backlog_size (fixture->server, 10);
  sender = test_peer_connect (sender_url);

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *frame = g_strdup_printf ("{\"message\": \"m%u\"}", i);

      test_peer_send (sender, frame);
    }
  WAIT_UNTIL (count_type (sender, "message") == 25);
  last_id = confab_history_get_last_id (confab_server_get_history (fixture->server));

  late = test_peer_connect (late_url);
  /* welcome, 10 backlog events, then the live join */
  WAIT_UNTIL (test_peer_n_frames (late) >= 12);

  welcome = test_peer_get_frame (late, 0);
  g_assert_cmpstr (json_object_get_string_member (welcome, "type"), ==, "welcome");
  g_assert_cmpstr (json_object_get_string_member (welcome, "room"), ==, "Test room");
  g_assert_cmpint (json_object_get_int_member (welcome, "backlog"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (welcome, "last_id"), ==, last_id);
  g_assert_false (json_object_get_boolean_member (welcome, "gap"));

  expected = last_id - 9;
  for (guint i = 1; i <= 10; i++)
    {
      JsonObject *frame = test_peer_get_frame (late, i);

      g_assert_true (json_object_get_boolean_member (frame, "backlog"));
      g_assert_cmpint (json_object_get_int_member (frame, "id"), ==, expected++);
    }
  g_assert_cmpstr (json_object_get_string_member (test_peer_get_frame (late, 10), "message"), ==, "m24");

  /* Then live, with the next id: nothing between, nothing twice. */
  g_assert_false (json_object_has_member (test_peer_get_frame (late, 11), "backlog"));
  g_assert_cmpint (json_object_get_int_member (test_peer_get_frame (late, 11), "id"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (test_peer_get_frame (late, 11), "message"), ==, "late joined the chat");

  test_peer_send (sender, "{\"message\": \"live\"}");
  WAIT_UNTIL (count_type (late, "message") == 11);
  g_assert_cmpint (json_object_get_int_member (test_peer_last_of_type (late, "message"), "id"), ==, expected + 1);
  assert_ids_increase (late);

  /* A base client gets the backlog too, as base-shaped events. */
  seed_late = test_peer_connect (fixture->plain_url);
  WAIT_UNTIL (test_peer_n_frames (seed_late) >= 11);
  g_assert_cmpstr (json_object_get_string_member (test_peer_get_frame (seed_late, 0), "type"), !=, "welcome");
  g_assert_true (json_object_get_boolean_member (test_peer_get_frame (seed_late, 0), "backlog"));
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *sender_url = url_with (fixture, "protocol=1&username=sender");
  g_autoptr(TestPeer) sender = test_peer_connect (sender_url);
  const char *history = confab_history_get_id (confab_server_get_history (fixture->server));
  g_autofree char *resume_url = NULL;
  g_autofree char *stale_url = NULL;
  g_autoptr(TestPeer) resumed = NULL;
  g_autoptr(TestPeer) stale = NULL;
  gint64 since;

  test_peer_send (sender, "{\"message\": \"one\"}");
  WAIT_UNTIL (count_type (sender, "message") == 1);
  since = confab_history_get_last_id (confab_server_get_history (fixture->server));
  test_peer_send (sender, "{\"message\": \"two\"}");
  test_peer_send (sender, "{\"message\": \"three\"}");
  WAIT_UNTIL (count_type (sender, "message") == 3);

  resume_url = g_strdup_printf ("%s&since=%" G_GINT64_FORMAT "&history=%s", fixture->url, since, history);
  resumed = test_peer_connect (resume_url);
  WAIT_UNTIL (count_type (resumed, "system") >= 1);
  g_assert_cmpint (json_object_get_int_member (test_peer_get_frame (resumed, 0), "backlog"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (test_peer_get_frame (resumed, 1), "message"), ==, "two");
  g_assert_cmpstr (json_object_get_string_member (test_peer_get_frame (resumed, 2), "message"), ==, "three");

  /* `since` from another history does not count: the normal backlog comes instead. */
  stale_url = g_strdup_printf ("%s&since=%" G_GINT64_FORMAT "&history=someone-else", fixture->url, since);
  stale = test_peer_connect (stale_url);
  WAIT_UNTIL (test_peer_n_frames (stale) >= 1);
  g_assert_cmpint (json_object_get_int_member (test_peer_get_frame (stale, 0), "backlog"), >, 2);
}

static void
test_bad_frames_lose_nothing (Fixture       *fixture,
                              gconstpointer  data)
{
  static const char * const bad[] = {
    "",
    "not json at all",
    "[1, 2, 3]",
    "{\"message\": 42}",
    "{\"message\": \"\"}",
    "{\"username\": \"x\"}",
    "{\"message\": \"hi\", \"username\": {\"nested\": true}}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
  };
  static const char * const codes[] = {
    "invalid-json", "invalid-json", "not-an-object", "invalid-field", "empty-message",
    "missing-message", "invalid-field", "too-deep",
  };
  g_autofree char *good_url = url_with (fixture, "protocol=1&username=good");
  g_autofree char *bad_url = url_with (fixture, "protocol=1&username=bad");
  g_autoptr(TestPeer) good = test_peer_connect (good_url);
  g_autoptr(TestPeer) bad_peer = test_peer_connect (bad_url);
  g_autoptr(TestPeer) watcher = test_peer_connect (fixture->url);
  g_autoptr(GPtrArray) errors = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *from_good = g_strdup_printf ("{\"message\": \"good %u\"}", i);
      g_autofree char *from_bad = g_strdup_printf ("{\"message\": \"bad peer's good %u\"}", i);

      test_peer_send (bad_peer, bad[i]);
      test_peer_send (good, from_good);
      test_peer_send (bad_peer, from_bad);
    }
  test_peer_send_binary (bad_peer, "\x01\x02\x03", 3);
  test_peer_send (good, "{\"message\": \"last\"}");

  WAIT_UNTIL (count_type (watcher, "message") == 2 * G_N_ELEMENTS (bad) + 1);
  WAIT_UNTIL (count_type (bad_peer, "error") == G_N_ELEMENTS (bad) + 1);

  errors = test_peer_frames_of_type (bad_peer, "error");
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      JsonObject *error = g_ptr_array_index (errors, i);

      g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, codes[i]);
      g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");
    }
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (errors, G_N_ELEMENTS (bad)), "code"),
                   ==, "binary-frame");

  /* Errors go to their sender only. */
  g_assert_cmpuint (count_type (good, "error"), ==, 0);
  g_assert_cmpuint (count_type (watcher, "error"), ==, 0);
  g_assert_false (test_peer_is_closed (bad_peer));
  assert_ids_increase (watcher);
}

static void
test_huge_frame (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *padding = g_strnfill (100 * 1024, 'x');
  g_autofree char *huge = g_strdup_printf ("{\"message\": \"%s\"}", padding);
  g_autofree char *over_limit = g_strnfill (CONFAB_MAX_MESSAGE_CHARS + 10, 'y');
  g_autofree char *long_message = g_strdup_printf ("{\"message\": \"%s\"}", over_limit);
  g_autoptr(TestPeer) bully = test_peer_connect (fixture->url);
  g_autoptr(TestPeer) other = test_peer_connect (fixture->url);
  g_autoptr(TestPeer) chatty = test_peer_connect (fixture->url);

  /* Over the 4,000 characters: an error, and the connection stays. */
  test_peer_send (bully, long_message);
  WAIT_UNTIL (count_type (bully, "error") == 1);
  g_assert_cmpstr (json_object_get_string_member (test_peer_last_of_type (bully, "error"), "code"),
                   ==, "message-too-long");

  /* Over the 64 KiB frame limit: the connection cannot go on. */
  test_peer_send (bully, huge);
  test_peer_send (chatty, "{\"message\": \"still here\"}");
  WAIT_UNTIL (test_peer_is_closed (bully));
  /* The server sends 1009 and closes at once; the rest of the huge frame, unread, can make
   * the kernel reset the connection before the bully reads the close frame. */
  if (test_peer_close_code (bully) != 0)
    g_assert_cmpuint (test_peer_close_code (bully), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  WAIT_UNTIL (confab_server_get_n_clients (fixture->server) == 2);

  WAIT_UNTIL (count_type (other, "message") == 1);
  test_peer_send (chatty, "{\"message\": \"after\"}");
  WAIT_UNTIL (count_type (other, "message") == 2);
  g_assert_cmpstr (json_object_get_string_member (test_peer_last_of_type (other, "message"), "message"), ==, "after");
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gssize *n = user_data;

  *n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
}

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  /* libsoup will not send invalid UTF-8 in a text frame, so this client writes the frame by
   * hand: FIN + text opcode, masked, 4-byte mask of zeros. */
  static const guint8 frame[] = { 0x81, 0x80 | 4, 0, 0, 0, 0, '"', 0xff, 0xfe, '"' };
  g_autoptr(GSocketConnection) raw = stalled_peer_connect (confab_server_get_port (fixture->server), NULL);
  g_autoptr(TestPeer) other = test_peer_connect (fixture->url);
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (raw));
  guint8 buffer[4096];
  gsize have = 0;
  gboolean found = FALSE;

  WAIT_UNTIL (confab_server_get_n_clients (fixture->server) == 2);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (raw)), frame, sizeof frame,
                             NULL, NULL, NULL);

  /* Read frames until the close frame, and check its code. */
  while (!found)
    {
      gssize n = -2;
      gsize pos = 0;

      g_input_stream_read_async (input, buffer + have, sizeof buffer - have, G_PRIORITY_DEFAULT,
                                 NULL, read_cb, &n);
      WAIT_UNTIL (n != -2);
      g_assert_cmpint (n, >, 0);
      have += n;

      while (pos + 2 <= have)
        {
          gsize len = buffer[pos + 1] & 0x7f;

          g_assert_cmpuint (len, <, 126);
          if (pos + 2 + len > have)
            break;
          if ((buffer[pos] & 0x0f) == 0x8)
            {
              g_assert_cmpuint (len, >=, 2);
              g_assert_cmpuint ((buffer[pos + 2] << 8) | buffer[pos + 3], ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
              found = TRUE;
              break;
            }
          pos += 2 + len;
        }
    }

  WAIT_UNTIL (confab_server_get_n_clients (fixture->server) == 1);
  test_peer_send (other, "{\"message\": \"fine\"}");
  WAIT_UNTIL (count_type (other, "message") == 1);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  gboolean *done = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  *done = TRUE;
}

static void
test_endless_fragments (Fixture       *fixture,
                        gconstpointer  data)
{
  /* Fragments of one message that never ends: each is under the frame limit, together they
   * are not. Masked with a zero mask, so the payload goes as it is. */
  const gsize fragment = 60000;
  g_autoptr(GSocketConnection) raw = stalled_peer_connect (confab_server_get_port (fixture->server), NULL);
  g_autoptr(TestPeer) other = test_peer_connect (fixture->url);
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autofree guint8 *payload = g_malloc (fragment);
  gboolean done = FALSE;

  WAIT_UNTIL (confab_server_get_n_clients (fixture->server) == 2);
  memset (payload, 'a', fragment);

  for (guint i = 0; i < 8; i++)
    {
      guint8 header[8] = { i == 0 ? 0x01 : 0x00, 0x80 | 126, fragment >> 8, fragment & 0xff, 0, 0, 0, 0 };

      g_byte_array_append (stream, header, sizeof header);
      g_byte_array_append (stream, payload, fragment);
    }

  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (raw)),
                                   stream->data, stream->len, G_PRIORITY_DEFAULT, NULL,
                                   write_cb, &done);

  /* The server lets it go before holding the whole thing; the room goes on. */
  WAIT_UNTIL (confab_server_get_n_clients (fixture->server) == 1);
  WAIT_UNTIL (done);
  test_peer_send (other, "{\"message\": \"still fine\"}");
  WAIT_UNTIL (count_type (other, "message") == 1);
}

static void
test_slow_reader (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *padding = g_strnfill (3900, 'z');
  g_autoptr(TestPeer) sender = test_peer_connect (fixture->url);
  g_autoptr(TestPeer) reader = test_peer_connect (fixture->url);
  g_autoptr(GSocketConnection) stalled = NULL;
  guint n = 0;

  confab_server_set_max_pending_bytes (fixture->server, 256 * 1024);

  stalled = stalled_peer_connect (confab_server_get_port (fixture->server), "protocol=1&username=stalled");
  WAIT_UNTIL (confab_server_get_n_clients (fixture->server) == 3);

  /* Keep talking until the kernel's buffers toward the stalled reader are full and the
   * server has let it go; the others must get every message meanwhile, without waiting. */
  while (confab_server_get_n_clients (fixture->server) == 3 && n < 5000)
    {
      for (guint i = 0; i < 50; i++, n++)
        {
          g_autofree char *frame = g_strdup_printf ("{\"message\": \"%u %s\"}", n, padding);

          test_peer_send (sender, frame);
        }
      WAIT_UNTIL (count_type (reader, "message") == n);
    }

  g_test_message ("the stalled reader was dropped after %u messages", n);
  g_assert_cmpuint (confab_server_get_n_clients (fixture->server), ==, 2);
  WAIT_UNTIL (last_system (reader) != NULL &&
              g_strcmp0 (json_object_get_string_member (last_system (reader), "message"),
                         "stalled left the chat") == 0);

  {
    g_autoptr(GPtrArray) messages = test_peer_frames_of_type (reader, "message");

    for (guint i = 0; i < n; i++)
      {
        const char *text = json_object_get_string_member (g_ptr_array_index (messages, i), "message");

        g_assert_cmpuint (g_ascii_strtoull (text, NULL, 10), ==, i);
      }
  }
  assert_ids_increase (reader);
  g_assert_cmpuint (count_type (sender, "message"), ==, n);
}

static void
test_cid_dedup (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TestPeer) peer = test_peer_connect (fixture->url);

  test_peer_send (peer, "{\"type\": \"message\", \"message\": \"once\", \"cid\": \"same\"}");
  test_peer_send (peer, "{\"type\": \"message\", \"message\": \"once\", \"cid\": \"same\"}");
  test_peer_send (peer, "{\"type\": \"message\", \"message\": \"other\", \"cid\": \"different\"}");
  WAIT_UNTIL (count_type (peer, "message") == 2);
  g_assert_cmpstr (json_object_get_string_member (test_peer_last_of_type (peer, "message"), "cid"), ==, "different");
}

static void
test_port_in_use (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(ConfabServer) second = confab_server_new ("Second", NULL);
  g_autoptr(GError) error = NULL;

  g_autofree char *address = NULL;

  /* What the UI binds to: where the room listens. */
  g_object_get (fixture->server, "address", &address, NULL);
  g_assert_cmpstr (address, ==, "127.0.0.1");

  g_assert_false (confab_server_listen (second, "127.0.0.1", confab_server_get_port (fixture->server), &error));
  g_assert_error (error, CONFAB_SERVER_ERROR, CONFAB_SERVER_ERROR_ADDRESS_IN_USE);
  g_assert_false (confab_server_get_listening (second));
  g_clear_error (&error);

  g_assert_false (confab_server_listen (second, "not-an-address", 0, &error));
  g_assert_error (error, CONFAB_SERVER_ERROR, CONFAB_SERVER_ERROR_INVALID_ADDRESS);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GBytes **body = user_data;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
}

static SoupMessage *
fetch (Fixture    *fixture,
       const char *path,
       const char *etag,
       GBytes    **body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", confab_server_get_port (fixture->server), path);
  SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, url);

  if (etag != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", etag);

  *body = NULL;
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, fetch_cb, body);
  WAIT_UNTIL (*body != NULL);

  return msg;
}

static void
test_web_client (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct {
    const char *path;
    guint status;
    const char *type;
  } cases[] = {
    { "/", SOUP_STATUS_OK, "text/html" },
    { "/index.html", SOUP_STATUS_OK, "text/html" },
    { "/app.js", SOUP_STATUS_OK, "text/javascript" },
    { "/style.css", SOUP_STATUS_OK, "text/css" },
    { "/missing.html", SOUP_STATUS_NOT_FOUND, NULL },
    { "/../../etc/passwd", SOUP_STATUS_NOT_FOUND, NULL },
    { "/ws/chat", SOUP_STATUS_BAD_REQUEST, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(SoupMessage) msg = fetch (fixture, cases[i].path, NULL, &body);
      SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

      g_test_message ("GET %s", cases[i].path);
      g_assert_cmpuint (soup_message_get_status (msg), ==, cases[i].status);
      if (cases[i].type != NULL)
        {
          g_autoptr(GBytes) again = NULL;
          g_autoptr(SoupMessage) revalidate = NULL;
          const char *etag = soup_message_headers_get_one (headers, "ETag");

          g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL), cases[i].type));
          g_assert_cmpstr (soup_message_headers_get_one (headers, "Cache-Control"), ==, "no-cache");
          g_assert_nonnull (etag);
          g_assert_cmpuint (g_bytes_get_size (body), >, 0);

          revalidate = fetch (fixture, cases[i].path, etag, &again);
          g_assert_cmpuint (soup_message_get_status (revalidate), ==, SOUP_STATUS_NOT_MODIFIED);
        }
    }
}

static gboolean
model_has_text (GListModel *model,
                const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ConfabMessage) message = g_list_model_get_item (model, i);

      if (g_strcmp0 (confab_message_get_text (message), text) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
assert_model_in_order (GListModel *model)
{
  gint64 last = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ConfabMessage) message = g_list_model_get_item (model, i);

      g_assert_cmpint (confab_message_get_id (message), >, last);
      last = confab_message_get_id (message);
    }
}

static void
error_received_cb (ConfabClient  *client,
                   const char    *code,
                   const char    *message,
                   char         **out)
{
  g_free (*out);
  *out = g_strdup (code);
}

static void
test_client_basics (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(ConfabClient) alice = confab_client_new (fixture->plain_url);
  g_autoptr(ConfabClient) bob = confab_client_new (fixture->plain_url);
  GListModel *alice_log = confab_client_get_messages (alice);
  GListModel *bob_log = confab_client_get_messages (bob);
  g_autoptr(ConfabMessage) first = NULL;
  g_autofree char *error_code = NULL;

  confab_client_set_username (alice, "alice");
  confab_client_set_username (bob, "bob");
  g_assert_false (confab_client_send (alice, "not connected yet"));

  confab_client_connect (alice);
  g_assert_cmpint (confab_client_get_state (alice), ==, CONFAB_CLIENT_STATE_CONNECTING);
  WAIT_UNTIL (confab_client_get_state (alice) == CONFAB_CLIENT_STATE_CONNECTED);
  WAIT_UNTIL (confab_client_get_extended (alice));
  g_assert_cmpstr (confab_client_get_room_name (alice), ==, "Test room");
  WAIT_UNTIL (model_has_text (alice_log, "alice joined the chat"));

  confab_client_connect (bob);
  WAIT_UNTIL (g_strv_length ((char **)confab_client_get_members (alice)) == 2);
  g_assert_cmpstr (confab_client_get_members (alice)[0], ==, "alice");
  g_assert_cmpstr (confab_client_get_members (alice)[1], ==, "bob");
  g_assert_cmpuint (confab_client_get_n_online (alice), ==, 2);

  g_assert_false (confab_client_send (alice, "   \n "));
  g_assert_true (confab_client_send (alice, "hello bob"));
  g_assert_true (confab_client_send (bob, "hi alice <b>x</b> &amp;"));

  WAIT_UNTIL (confab_test_count_chat (alice_log) == 2 && confab_test_count_chat (bob_log) == 2);
  g_assert_true (model_has_text (bob_log, "hi alice <b>x</b> &amp;"));
  assert_model_in_order (alice_log);
  assert_model_in_order (bob_log);
  /* Bob joined second and got alice's join as backlog: both see the same room. */
  g_assert_cmpuint (g_list_model_get_n_items (alice_log), ==, g_list_model_get_n_items (bob_log));

  /* Own messages are marked, and the join of bob names him. */
  for (guint i = 0; i < g_list_model_get_n_items (alice_log); i++)
    {
      g_autoptr(ConfabMessage) message = g_list_model_get_item (alice_log, i);

      if (!confab_message_is_system (message))
        g_assert_cmpint (confab_message_get_own (message), ==,
                         g_str_equal (confab_message_get_username (message), "alice"));
    }
  g_assert_true (model_has_text (alice_log, "bob joined the chat"));

  /* A message the server refuses comes back as an error signal. */
  g_signal_connect (alice, "error-received", G_CALLBACK (error_received_cb), &error_code);
  {
    g_autofree char *too_long = g_strnfill (CONFAB_MAX_MESSAGE_CHARS + 1, 'x');

    g_assert_true (confab_client_send (alice, too_long));
  }
  WAIT_UNTIL (error_code != NULL);
  g_assert_cmpstr (error_code, ==, "message-too-long");

  confab_client_disconnect (bob);
  g_assert_cmpint (confab_client_get_state (bob), ==, CONFAB_CLIENT_STATE_DISCONNECTED);
  WAIT_UNTIL (model_has_text (alice_log, "bob left the chat"));
  first = g_list_model_get_item (alice_log, 0);
  g_assert_true (confab_message_is_system (first));
}

static void
test_client_reconnect (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ConfabClient) alice = confab_client_new (fixture->plain_url);
  g_autoptr(ConfabClient) bob = confab_client_new (fixture->plain_url);
  g_autoptr(GError) error = NULL;
  GListModel *log = confab_client_get_messages (alice);
  guint port = confab_server_get_port (fixture->server);
  ConfabHistory *history = confab_server_get_history (fixture->server);
  ConfabServer *restarted;

  confab_client_set_username (alice, "alice");
  confab_client_set_reconnect_delay (alice, 20);
  confab_client_connect (alice);
  WAIT_UNTIL (confab_client_get_extended (alice));
  confab_client_send (alice, "before");
  WAIT_UNTIL (confab_test_count_chat (log) == 1);

  /* The host goes away: alice keeps trying. */
  g_object_ref (history);
  confab_server_stop (fixture->server);
  WAIT_UNTIL (confab_client_get_state (alice) == CONFAB_CLIENT_STATE_RECONNECTING);
  g_assert_cmpstr (confab_client_get_status_reason (alice), ==, "The host stopped hosting");
  g_assert_false (confab_client_send (alice, "while away"));

  /* It comes back with the same history and messages alice has not seen. */
  restarted = confab_server_new ("Test room", history);
  g_object_unref (history);
  {
    g_autoptr(ConfabMessage) missed = confab_message_new_chat ("carol", "missed while away", NULL);

    confab_history_append (history, missed);
  }
  g_assert_true (confab_server_listen (restarted, "127.0.0.1", port, &error));
  g_assert_no_error (error);

  WAIT_UNTIL (confab_client_get_state (alice) == CONFAB_CLIENT_STATE_CONNECTED);
  WAIT_UNTIL (model_has_text (log, "missed while away"));

  confab_client_connect (bob);
  WAIT_UNTIL (confab_client_get_state (bob) == CONFAB_CLIENT_STATE_CONNECTED);
  confab_client_send (bob, "after");
  WAIT_UNTIL (model_has_text (log, "after"));
  g_assert_cmpuint (confab_test_count_chat (log), ==, 3);
  assert_model_in_order (log);

  /* Gone for good: a few more tries, then Disconnected with the reason. */
  confab_client_set_max_retries (alice, 2);
  confab_server_stop (restarted);
  WAIT_UNTIL (confab_client_get_state (alice) == CONFAB_CLIENT_STATE_RECONNECTING);
  WAIT_UNTIL (confab_client_get_state (alice) == CONFAB_CLIENT_STATE_DISCONNECTED);
  g_assert_cmpstr (confab_client_get_status_reason (alice), ==, "Nobody is hosting at this address");
  g_assert_cmpint (confab_client_get_retry_at (alice), ==, 0);

  confab_client_disconnect (bob);
  g_assert_finalize_object (restarted);
}

static void
test_normalize_address (void)
{
  static const struct {
    const char *input;
    const char *url;
  } cases[] = {
    { "192.168.1.20", "ws://192.168.1.20:8000/ws/chat" },
    { "  kitchen.local  ", "ws://kitchen.local:8000/ws/chat" },
    { "kitchen.local:9000", "ws://kitchen.local:9000/ws/chat" },
    { "ws://10.0.0.5:8000/ws/chat", "ws://10.0.0.5:8000/ws/chat" },
    { "ws://10.0.0.5:8123", "ws://10.0.0.5:8123/ws/chat" },
    { "http://10.0.0.5:8123/", "ws://10.0.0.5:8123/ws/chat" },
    { "WS://Host:1/custom", "ws://host:1/custom" },
    { "wss://secure.example:443/ws/chat", "wss://secure.example:443/ws/chat" },
    { "fe80::1", "ws://[fe80::1]:8000/ws/chat" },
    { "[::1]:8001", "ws://[::1]:8001/ws/chat" },
    { "", NULL },
    { "   ", NULL },
    { "ftp://files.example", NULL },
    { "ws://", NULL },
    { "host:notaport", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = confab_client_normalize_address (cases[i].input, &error);

      g_test_message ("address “%s”", cases[i].input);
      if (cases[i].url == NULL)
        {
          g_assert_null (url);
          g_assert_error (error, CONFAB_CLIENT_ERROR, CONFAB_CLIENT_ERROR_INVALID_ADDRESS);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (g_ascii_strdown (url, -1), ==, g_ascii_strdown (cases[i].url, -1));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/confab/server/broadcast/two-clients", test_broadcast_two);
  ADD ("/confab/server/broadcast/fifty-clients", test_broadcast_fifty);
  ADD ("/confab/server/join-leave-names", test_join_leave_names);
  ADD ("/confab/server/presence", test_presence);
  ADD ("/confab/server/joins-coalesce", test_joins_coalesce);
  ADD ("/confab/server/backlog", test_backlog);
  ADD ("/confab/server/resume", test_resume);
  ADD ("/confab/server/bad-frames-lose-nothing", test_bad_frames_lose_nothing);
  ADD ("/confab/server/huge-frame", test_huge_frame);
  ADD ("/confab/server/invalid-utf8", test_invalid_utf8);
  ADD ("/confab/server/slow-reader", test_slow_reader);
  ADD ("/confab/server/endless-fragments", test_endless_fragments);
  ADD ("/confab/server/cid-dedup", test_cid_dedup);
  ADD ("/confab/server/port-in-use", test_port_in_use);
  ADD ("/confab/server/web-client", test_web_client);
  ADD ("/confab/client/basics", test_client_basics);
  ADD ("/confab/client/reconnect", test_client_reconnect);
#undef ADD
  g_test_add_func ("/confab/client/normalize-address", test_normalize_address);

  return g_test_run ();
}
