/* test-protocol.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "confab-protocol.h"

typedef struct
{
  const char          *name;
  char                *input;
  ConfabProtocolError  error;
} BadInput;

static char *
repeat (const char *piece,
        guint       times)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, piece);

  return g_string_free (s, FALSE);
}

static char *
nested (const char *open,
        const char *close,
        guint       depth)
{
  g_autofree char *opens = repeat (open, depth);
  g_autofree char *closes = repeat (close, depth);

  return g_strconcat (opens, "1", closes, NULL);
}

static char *
message_with (const char *text)
{
  return g_strdup_printf ("{\"username\": \"alice\", \"message\": \"%s\"}", text);
}

static GPtrArray *
build_bad_inputs (void)
{
  GPtrArray *inputs = g_ptr_array_new ();
  g_autofree char *long_text = repeat ("a", CONFAB_MAX_MESSAGE_CHARS + 1);
  g_autofree char *long_wide = repeat ("é", CONFAB_MAX_MESSAGE_CHARS + 1);
  g_autofree char *long_name = repeat ("n", CONFAB_MAX_USERNAME_CHARS + 1);
  g_autofree char *long_cid = repeat ("c", CONFAB_MAX_CID_CHARS + 1);
  g_autofree char *deep_arrays = nested ("[", "]", CONFAB_MAX_JSON_DEPTH + 1);
  g_autofree char *deep_objects = nested ("{\"a\":", "}", 5000);

#define BAD(n, in, err) G_STMT_START {                      \
    BadInput *b = g_new0 (BadInput, 1);                     \
    b->name = n; b->input = in; b->error = err;             \
    g_ptr_array_add (inputs, b);                            \
  } G_STMT_END
#define E(x) CONFAB_PROTOCOL_ERROR_##x

  BAD ("empty frame", g_strdup (""), E (INVALID_JSON));
  BAD ("plain text", g_strdup ("hello everyone"), E (INVALID_JSON));
  BAD ("open brace", g_strdup ("{"), E (INVALID_JSON));
  BAD ("unterminated object", g_strdup ("{\"message\": \"hi\""), E (INVALID_JSON));
  BAD ("trailing garbage", g_strdup ("{\"message\": \"hi\"} x"), E (INVALID_JSON));
  BAD ("missing colon", g_strdup ("{\"message\" \"hi\"}"), E (INVALID_JSON));
  BAD ("array", g_strdup ("[\"hi\"]"), E (NOT_AN_OBJECT));
  BAD ("string", g_strdup ("\"hi\""), E (NOT_AN_OBJECT));
  BAD ("number", g_strdup ("42"), E (NOT_AN_OBJECT));
  BAD ("null", g_strdup ("null"), E (NOT_AN_OBJECT));
  BAD ("boolean", g_strdup ("true"), E (NOT_AN_OBJECT));
  BAD ("deep arrays", g_steal_pointer (&deep_arrays), E (TOO_DEEP));
  BAD ("deep objects", g_steal_pointer (&deep_objects), E (TOO_DEEP));
  BAD ("empty object", g_strdup ("{}"), E (MISSING_MESSAGE));
  BAD ("username only", g_strdup ("{\"username\": \"alice\"}"), E (MISSING_MESSAGE));
  BAD ("message number", g_strdup ("{\"message\": 5}"), E (INVALID_FIELD));
  BAD ("message null", g_strdup ("{\"message\": null}"), E (INVALID_FIELD));
  BAD ("message array", g_strdup ("{\"message\": [\"hi\"]}"), E (INVALID_FIELD));
  BAD ("message object", g_strdup ("{\"message\": {\"text\": \"hi\"}}"), E (INVALID_FIELD));
  BAD ("message boolean", g_strdup ("{\"message\": true}"), E (INVALID_FIELD));
  BAD ("username number", g_strdup ("{\"message\": \"hi\", \"username\": 5}"), E (INVALID_FIELD));
  BAD ("username array", g_strdup ("{\"message\": \"hi\", \"username\": [\"a\"]}"), E (INVALID_FIELD));
  BAD ("type number", g_strdup ("{\"message\": \"hi\", \"type\": 1}"), E (INVALID_FIELD));
  BAD ("cid number", g_strdup ("{\"message\": \"hi\", \"cid\": 7}"), E (INVALID_FIELD));
  BAD ("cid too long", g_strdup_printf ("{\"message\": \"hi\", \"cid\": \"%s\"}", long_cid), E (INVALID_FIELD));
  BAD ("escaped NUL", message_with ("a\\u0000b"), E (INVALID_FIELD));
  BAD ("lone surrogate", message_with ("\\ud800z"), E (INVALID_FIELD));
  BAD ("lone surrogate at the end", message_with ("\\ud800"), E (INVALID_JSON));
  BAD ("empty message", message_with (""), E (EMPTY_MESSAGE));
  BAD ("blank message", message_with ("  \\n\\t  "), E (EMPTY_MESSAGE));
  BAD ("too long", message_with (long_text), E (MESSAGE_TOO_LONG));
  BAD ("too long in characters", message_with (long_wide), E (MESSAGE_TOO_LONG));
  BAD ("bell character", message_with ("ding\\u0007"), E (INVALID_MESSAGE));
  BAD ("escape sequence", message_with ("\\u001b[31mred"), E (INVALID_MESSAGE));
  BAD ("username too long", g_strdup_printf ("{\"message\": \"hi\", \"username\": \"%s\"}", long_name), E (USERNAME_TOO_LONG));
  BAD ("username control", g_strdup ("{\"message\": \"hi\", \"username\": \"a\\u0001b\"}"), E (INVALID_USERNAME));
  BAD ("username newline", g_strdup ("{\"message\": \"hi\", \"username\": \"a\\nb\"}"), E (INVALID_USERNAME));
  BAD ("typed message without text", g_strdup ("{\"type\": \"message\", \"cid\": \"1\"}"), E (MISSING_MESSAGE));

#undef BAD
#undef E

  return inputs;
}

static void
bad_input_free (BadInput *bad)
{
  g_free (bad->input);
  g_free (bad);
}

static void
test_bad_inputs (void)
{
  g_autoptr(GPtrArray) inputs = build_bad_inputs ();

  g_ptr_array_set_free_func (inputs, (GDestroyNotify)bad_input_free);
  g_assert_cmpuint (inputs->len, >=, 30);

  for (guint i = 0; i < inputs->len; i++)
    {
      BadInput *bad = g_ptr_array_index (inputs, i);
      g_auto(ConfabClientFrame) frame = { 0 };
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("bad input: %s", bad->name);
      ok = confab_protocol_parse_client_frame (bad->input, strlen (bad->input), &frame, &error);
      g_assert_false (ok);
      g_assert_error (error, CONFAB_PROTOCOL_ERROR, (gint)bad->error);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (confab_protocol_error_code (error->code), !=, "unknown");
    }
}

static void
test_error_carries_cid (void)
{
  const char *input = "{\"type\": \"message\", \"message\": \"\", \"cid\": \"abc-1\"}";
  g_auto(ConfabClientFrame) frame = { 0 };
  g_auto(ConfabServerFrame) parsed = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_false (confab_protocol_parse_client_frame (input, strlen (input), &frame, &error));
  g_assert_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_EMPTY_MESSAGE);
  g_assert_cmpstr (frame.cid, ==, "abc-1");

  bytes = confab_protocol_build_error (error, frame.cid);
  g_assert_true (confab_protocol_parse_server_frame (g_bytes_get_data (bytes, NULL),
                                                     g_bytes_get_size (bytes), &parsed, NULL));
  g_assert_cmpint (parsed.type, ==, CONFAB_SERVER_FRAME_ERROR);
  g_assert_cmpstr (parsed.code, ==, "empty-message");
  g_assert_cmpstr (parsed.cid, ==, "abc-1");
  g_assert_cmpstr (parsed.error, ==, error->message);
}

static void
test_good_inputs (void)
{
  g_autofree char *longest = repeat ("é", CONFAB_MAX_MESSAGE_CHARS);
  g_autofree char *longest_frame = message_with (longest);
  g_autofree char *deep_ok = g_strdup_printf ("{\"extra\": %s, \"message\": \"hi\"}",
                                              nested ("[", "]", CONFAB_MAX_JSON_DEPTH - 1));
  struct {
    const char *input;
    ConfabClientFrameType type;
    const char *username;
    const char *text;
    const char *cid;
  } cases[] = {
    { "{\"username\": \"alice\", \"message\": \"hello\"}", CONFAB_CLIENT_FRAME_MESSAGE, "alice", "hello", NULL },
    { "{\"message\": \"no name\"}", CONFAB_CLIENT_FRAME_MESSAGE, NULL, "no name", NULL },
    { "{\"username\": null, \"message\": \"x\"}", CONFAB_CLIENT_FRAME_MESSAGE, NULL, "x", NULL },
    { "{\"username\": \"   \", \"message\": \"x\"}", CONFAB_CLIENT_FRAME_MESSAGE, NULL, "x", NULL },
    { "{\"username\": \"  bob \", \"message\": \"x  \\n\"}", CONFAB_CLIENT_FRAME_MESSAGE, "bob", "x", NULL },
    { "{\"type\": \"message\", \"username\": \"c\", \"message\": \"two\\nlines\\tand tab\", \"cid\": \"k1\"}",
      CONFAB_CLIENT_FRAME_MESSAGE, "c", "two\nlines\tand tab", "k1" },
    { "{\"message\": \"<b>x</b> &amp;\", \"future\": {\"field\": 1}}", CONFAB_CLIENT_FRAME_MESSAGE, NULL, "<b>x</b> &amp;", NULL },
    { "{\"type\": \"typing\", \"whatever\": []}", CONFAB_CLIENT_FRAME_IGNORED, NULL, NULL, NULL },
    { "{\"message\": \"emoji 🎉 and \\u00e9\"}", CONFAB_CLIENT_FRAME_MESSAGE, NULL, "emoji 🎉 and é", NULL },
    { "{\"message\": \"a \\\\u0000 b\"}", CONFAB_CLIENT_FRAME_MESSAGE, NULL, "a \\u0000 b", NULL },
    { longest_frame, CONFAB_CLIENT_FRAME_MESSAGE, "alice", longest, NULL },
    { deep_ok, CONFAB_CLIENT_FRAME_MESSAGE, NULL, "hi", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(ConfabClientFrame) frame = { 0 };
      g_autoptr(GError) error = NULL;

      g_test_message ("good input %u", i);
      g_assert_true (confab_protocol_parse_client_frame (cases[i].input, strlen (cases[i].input),
                                                         &frame, &error));
      g_assert_no_error (error);
      g_assert_cmpint (frame.type, ==, cases[i].type);
      g_assert_cmpstr (frame.username, ==, cases[i].username);
      g_assert_cmpstr (frame.text, ==, cases[i].text);
      g_assert_cmpstr (frame.cid, ==, cases[i].cid);
    }
}

static ConfabMessage *
round_trip (ConfabMessage *message,
            gboolean       backlog)
{
  g_autoptr(GBytes) bytes = confab_protocol_build_event (message, backlog);
  g_auto(ConfabServerFrame) frame = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (confab_protocol_parse_server_frame (g_bytes_get_data (bytes, NULL),
                                                     g_bytes_get_size (bytes), &frame, &error));
  g_assert_no_error (error);
  g_assert_cmpint (frame.type, ==, CONFAB_SERVER_FRAME_EVENT);

  return g_steal_pointer (&frame.event);
}

static void
test_event_round_trip (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2026-12-04T19:24:31.351542+01:00", NULL);
  ConfabMessage *originals[5];

  originals[0] = confab_message_new_chat ("alice", "hello <b>world</b> & \"quotes\"\nline", when);
  confab_message_set_cid (originals[0], "cid-1");
  originals[1] = confab_message_new_system (CONFAB_SYSTEM_EVENT_JOIN, "bob", NULL, "bob joined the chat", when);
  originals[2] = confab_message_new_system (CONFAB_SYSTEM_EVENT_LEAVE, NULL, NULL, "A user left the chat", when);
  originals[3] = confab_message_new_system (CONFAB_SYSTEM_EVENT_RENAME, "robert", "bob", "bob is now robert", when);
  originals[4] = confab_message_new_chat ("émile 🎉", "ünïcödé", when);

  for (guint i = 0; i < G_N_ELEMENTS (originals); i++)
    {
      for (guint backlog = 0; backlog < 2; backlog++)
        {
          g_autoptr(ConfabMessage) copy = NULL;

          confab_message_set_id (originals[i], 40 + i);
          copy = round_trip (originals[i], backlog);

          g_assert_cmpint (confab_message_get_kind (copy), ==, confab_message_get_kind (originals[i]));
          g_assert_cmpint (confab_message_get_event (copy), ==, confab_message_get_event (originals[i]));
          g_assert_cmpint (confab_message_get_id (copy), ==, 40 + i);
          g_assert_cmpstr (confab_message_get_username (copy), ==, confab_message_get_username (originals[i]));
          g_assert_cmpstr (confab_message_get_previous (copy), ==, confab_message_get_previous (originals[i]));
          g_assert_cmpstr (confab_message_get_text (copy), ==, confab_message_get_text (originals[i]));
          g_assert_cmpstr (confab_message_get_cid (copy), ==, confab_message_get_cid (originals[i]));
          g_assert_cmpint (confab_message_get_backlog (copy), ==, backlog);
          g_assert_true (g_date_time_equal (confab_message_get_timestamp (copy), when));
        }
      g_object_unref (originals[i]);
    }
}

static void
test_welcome_presence_round_trip (void)
{
  const char *users[] = { "alice", "bob", NULL };
  g_autoptr(GBytes) welcome = confab_protocol_build_welcome ("Kitchen", "abc123", 41, 2, TRUE);
  g_autoptr(GBytes) presence = confab_protocol_build_presence (users, 1, 3);
  g_auto(ConfabServerFrame) w = { 0 };
  g_auto(ConfabServerFrame) p = { 0 };

  g_assert_true (confab_protocol_parse_server_frame (g_bytes_get_data (welcome, NULL),
                                                     g_bytes_get_size (welcome), &w, NULL));
  g_assert_cmpint (w.type, ==, CONFAB_SERVER_FRAME_WELCOME);
  g_assert_cmpint (w.protocol, ==, CONFAB_PROTOCOL_VERSION);
  g_assert_cmpstr (w.room, ==, "Kitchen");
  g_assert_cmpstr (w.history, ==, "abc123");
  g_assert_cmpint (w.last_id, ==, 41);
  g_assert_cmpuint (w.backlog, ==, 2);
  g_assert_true (w.gap);
  g_assert_true (g_str_has_prefix (w.server, "Confab "));

  g_assert_true (confab_protocol_parse_server_frame (g_bytes_get_data (presence, NULL),
                                                     g_bytes_get_size (presence), &p, NULL));
  g_assert_cmpint (p.type, ==, CONFAB_SERVER_FRAME_PRESENCE);
  g_assert_true (g_strv_equal ((const char * const *)p.users, users));
  g_assert_cmpuint (p.anonymous, ==, 1);
  g_assert_cmpuint (p.online, ==, 3);
}

static void
test_client_message_round_trip (void)
{
  g_autofree char *text = confab_protocol_build_client_message ("alice", "hi \"there\"\n<i>", "c-9");
  g_auto(ConfabClientFrame) frame = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (confab_protocol_parse_client_frame (text, strlen (text), &frame, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (frame.username, ==, "alice");
  g_assert_cmpstr (frame.text, ==, "hi \"there\"\n<i>");
  g_assert_cmpstr (frame.cid, ==, "c-9");
}

static void
test_seed_frames (void)
{
  /* Exactly what the seed's server sends: no id, local time without an offset. */
  const char *message = "{\"type\": \"message\", \"username\": \"alice\", \"message\": \"hello\", "
                        "\"timestamp\": \"2026-12-04T19:24:31.351542\"}";
  const char *system = "{\"type\": \"system\", \"message\": \"A new user joined the chat\", "
                       "\"timestamp\": \"2026-12-04T19:24:31.351542\"}";
  const char *unknown = "{\"type\": \"reaction\", \"emoji\": \"👍\"}";
  g_auto(ConfabServerFrame) m = { 0 };
  g_auto(ConfabServerFrame) s = { 0 };
  g_auto(ConfabServerFrame) u = { 0 };
  g_autoptr(GDateTime) local = NULL;

  g_assert_true (confab_protocol_parse_server_frame (message, strlen (message), &m, NULL));
  g_assert_cmpint (m.type, ==, CONFAB_SERVER_FRAME_EVENT);
  g_assert_cmpint (confab_message_get_id (m.event), ==, 0);
  g_assert_cmpstr (confab_message_get_username (m.event), ==, "alice");
  local = g_date_time_to_local (confab_message_get_timestamp (m.event));
  g_assert_cmpint (g_date_time_get_hour (local), ==, 19);
  g_assert_cmpint (g_date_time_get_microsecond (local), ==, 351542);

  g_assert_true (confab_protocol_parse_server_frame (system, strlen (system), &s, NULL));
  g_assert_true (confab_message_is_system (s.event));
  g_assert_cmpint (confab_message_get_event (s.event), ==, CONFAB_SYSTEM_EVENT_NONE);
  g_assert_cmpstr (confab_message_get_text (s.event), ==, "A new user joined the chat");

  g_assert_true (confab_protocol_parse_server_frame (unknown, strlen (unknown), &u, NULL));
  g_assert_cmpint (u.type, ==, CONFAB_SERVER_FRAME_UNKNOWN);
}

static void
test_timestamps (void)
{
  const char *good[] = {
    "2026-12-04T19:24:31.351542",
    "2026-12-04T19:24:31Z",
    "2026-12-04T19:24:31.5+01:00",
    "2026-12-04T19:24:31-05:30",
  };
  const char *bad[] = { "", "yesterday", "2026-13-40T99:00:00", "12/04/2026" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GDateTime) t = confab_protocol_parse_timestamp (good[i]);

      g_assert_nonnull (t);
      g_assert_cmpint (g_date_time_get_year (t), ==, 2026);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GDateTime) t = confab_protocol_parse_timestamp (bad[i]);

      g_assert_null (t);
    }
}

static void
test_error_codes (void)
{
  for (guint i = 0; i < CONFAB_PROTOCOL_ERROR_UNKNOWN; i++)
    g_assert_cmpint (confab_protocol_error_from_code (confab_protocol_error_code (i)), ==, i);

  g_assert_cmpint (confab_protocol_error_from_code ("from-the-future"), ==, CONFAB_PROTOCOL_ERROR_UNKNOWN);
  g_assert_cmpstr (confab_protocol_error_code (CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LONG), ==, "message-too-long");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/confab/protocol/bad-inputs", test_bad_inputs);
  g_test_add_func ("/confab/protocol/good-inputs", test_good_inputs);
  g_test_add_func ("/confab/protocol/error-carries-cid", test_error_carries_cid);
  g_test_add_func ("/confab/protocol/event-round-trip", test_event_round_trip);
  g_test_add_func ("/confab/protocol/welcome-presence-round-trip", test_welcome_presence_round_trip);
  g_test_add_func ("/confab/protocol/client-message-round-trip", test_client_message_round_trip);
  g_test_add_func ("/confab/protocol/seed-frames", test_seed_frames);
  g_test_add_func ("/confab/protocol/timestamps", test_timestamps);
  g_test_add_func ("/confab/protocol/error-codes", test_error_codes);

  return g_test_run ();
}
