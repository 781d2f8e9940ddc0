/* test-web.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The web client end to end: a ConfabServer and a core ConfabClient run in this process, and
 * the page the server serves runs in Debian's Chromium, driven by web/confab-web-driver.js
 * (playwright-core) through a line protocol of JSON objects on its stdin and stdout. Every wait
 * iterates the main context, so the server and the client keep working while the browser does,
 * and every wait is bounded.
 *
 * The browser tests skip when node, web/node_modules or chromium is missing; `npm ci` in
 * tests/web installs the driver's one dependency. */

#define G_LOG_DOMAIN "test-web"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "confab-client.h"
#include "confab-message.h"
#include "confab-server.h"

#define ROOM_NAME        "Kitchen"
#define CORE_NAME        "Core"
#define WAIT_S           20
#define DRIVER_START_S   90
#define DRIVER_CALL_S    60

typedef struct
{
  ConfabServer     *server;
  ConfabClient     *client;
  char             *page_url;

  GSubprocess      *driver;
  GOutputStream    *driver_in;
  GDataInputStream *driver_out;
  GCancellable     *cancellable;
  GQueue            replies;
  gboolean          driver_eof;
  gboolean          driver_exited;
  gint64            next_id;
} Fixture;

static char *node_path;
static char *chromium_path;
static char *driver_dir;
static char *skip_reason;

/* ---- bounded waits ---- */

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* One turn of the main context, woken at least every 20 ms so that deadlines are checked. */
static void
iterate (void)
{
  guint tick = g_timeout_add (20, tick_cb, NULL);

  g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

/* Runs the main context until @cond holds, failing the test after @seconds. Never a sleep:
 * the server, the core client and the driver's pipe all make progress on this context. */
#define WEB_WAIT_UNTIL(cond, seconds)                                                    \
  G_STMT_START {                                                                         \
    gint64 wait_deadline_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC;        \
    while (!(cond))                                                                      \
      {                                                                                  \
        if (g_get_monotonic_time () > wait_deadline_)                                    \
          g_error ("%s:%d: timed out waiting until %s", __FILE__, __LINE__, #cond);      \
        iterate ();                                                                      \
      }                                                                                  \
  } G_STMT_END

/* ---- the core side ---- */

static ConfabMessage *
find_message (ConfabClient      *client,
              ConfabMessageKind  kind,
              ConfabSystemEvent  event,
              const char        *username,
              const char        *text)
{
  GListModel *messages = confab_client_get_messages (client);
  guint n = g_list_model_get_n_items (messages);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ConfabMessage) message = g_list_model_get_item (messages, i);

      if (confab_message_get_kind (message) != kind)
        continue;
      if (kind == CONFAB_MESSAGE_KIND_SYSTEM && confab_message_get_event (message) != event)
        continue;
      if (username != NULL && g_strcmp0 (confab_message_get_username (message), username) != 0)
        continue;
      if (text != NULL && g_strcmp0 (confab_message_get_text (message), text) != 0)
        continue;

      /* The model keeps it alive. */
      return message;
    }

  return NULL;
}

static ConfabMessage *
find_chat (ConfabClient *client,
           const char   *text)
{
  return find_message (client, CONFAB_MESSAGE_KIND_CHAT, CONFAB_SYSTEM_EVENT_NONE, NULL, text);
}

/* ---- the driver ---- */

static void read_driver_line (Fixture *fixture);

static void
driver_line_read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *line = NULL;
  JsonNode *root;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                    NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the fixture is being torn down */

  if (line == NULL)
    {
      if (error != NULL)
        g_test_message ("reading from the driver: %s", error->message);
      fixture->driver_eof = TRUE;
      return;
    }

  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, line, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    g_queue_push_tail (&fixture->replies, json_object_ref (json_node_get_object (root)));
  else
    g_test_message ("driver said: %s", line);

  read_driver_line (fixture);
}

static void
read_driver_line (Fixture *fixture)
{
  g_data_input_stream_read_line_async (fixture->driver_out, G_PRIORITY_DEFAULT,
                                       fixture->cancellable, driver_line_read_cb, fixture);
}

static void
driver_exited_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *exited = TRUE;
}

static JsonObject *
request_new (const char *cmd,
             const char *page)
{
  JsonObject *request = json_object_new ();

  json_object_set_string_member (request, "cmd", cmd);
  if (page != NULL)
    json_object_set_string_member (request, "page", page);

  return request;
}

static void
write_request (Fixture    *fixture,
               JsonObject *request)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  json_node_set_object (node, request);
  text = json_to_string (node, FALSE);
  line = g_strconcat (text, "\n", NULL);

  /* A few hundred bytes into a pipe that the driver drains: this does not block. */
  g_output_stream_write_all (fixture->driver_in, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
head_reply_has_id (Fixture *fixture,
                   gint64   id)
{
  JsonObject *reply = g_queue_peek_head (&fixture->replies);

  return reply != NULL && json_object_get_int_member_with_default (reply, "id", -1) == id;
}

/* Sends @request (consumed) and returns the driver's answer. With @must_succeed, an answer
 * that is not ok fails the test. */
static JsonObject *
driver_call_full (Fixture    *fixture,
                  JsonObject *request,
                  gboolean    must_succeed)
{
  g_autoptr(JsonObject) owned = request;
  JsonObject *reply;
  gint64 id = ++fixture->next_id;

  g_assert_nonnull (fixture->driver);

  json_object_set_int_member (request, "id", id);
  write_request (fixture, request);

  WEB_WAIT_UNTIL (!g_queue_is_empty (&fixture->replies) || fixture->driver_eof, DRIVER_CALL_S);
  g_assert_false (g_queue_is_empty (&fixture->replies));
  g_assert_true (head_reply_has_id (fixture, id));
  reply = g_queue_pop_head (&fixture->replies);

  if (must_succeed && !json_object_get_boolean_member_with_default (reply, "ok", FALSE))
    {
      g_test_message ("driver: %s failed: %s",
                      json_object_get_string_member_with_default (request, "cmd", "?"),
                      json_object_get_string_member_with_default (reply, "error", "?"));
      g_assert_true (json_object_get_boolean_member_with_default (reply, "ok", FALSE));
    }

  return reply;
}

static JsonObject *
driver_call (Fixture    *fixture,
             JsonObject *request)
{
  return driver_call_full (fixture, request, TRUE);
}

static void
start_driver (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_build_filename (driver_dir, "confab-web-driver.js", NULL);
  JsonObject *hello;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_cwd (launcher, driver_dir);
  g_subprocess_launcher_setenv (launcher, "CONFAB_CHROMIUM", chromium_path, TRUE);
  fixture->driver = g_subprocess_launcher_spawn (launcher, &error, node_path, script, NULL);
  g_assert_no_error (error);

  fixture->driver_in = g_object_ref (g_subprocess_get_stdin_pipe (fixture->driver));
  fixture->driver_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->driver));
  fixture->cancellable = g_cancellable_new ();
  read_driver_line (fixture);

  WEB_WAIT_UNTIL (!g_queue_is_empty (&fixture->replies) || fixture->driver_eof, DRIVER_START_S);
  g_assert_false (g_queue_is_empty (&fixture->replies));
  hello = g_queue_pop_head (&fixture->replies);
  if (!json_object_get_boolean_member_with_default (hello, "ready", FALSE))
    g_test_message ("the browser did not start: %s",
                    json_object_get_string_member_with_default (hello, "error", "?"));
  g_assert_true (json_object_get_boolean_member_with_default (hello, "ready", FALSE));
  json_object_unref (hello);
}

static void
stop_driver (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  if (fixture->driver == NULL)
    return;

  /* Closing stdin tells the driver to close the browser and exit. */
  g_output_stream_close (fixture->driver_in, NULL, &error);
  if (error != NULL)
    g_test_message ("closing the driver's stdin: %s", error->message);

  g_subprocess_wait_async (fixture->driver, NULL, driver_exited_cb, &fixture->driver_exited);
  WEB_WAIT_UNTIL (fixture->driver_exited, DRIVER_CALL_S);
  g_assert_true (g_subprocess_get_if_exited (fixture->driver));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->driver), ==, 0);

  g_cancellable_cancel (fixture->cancellable);
  g_queue_clear_full (&fixture->replies, (GDestroyNotify) json_object_unref);
  g_clear_object (&fixture->driver_in);
  g_clear_object (&fixture->driver_out);
  g_clear_object (&fixture->cancellable);
  g_clear_object (&fixture->driver);
}

/* Opens the page as @page with @username remembered in its localStorage (as if typed on
 * an earlier visit), and returns once the page says it is connected. */
static void
open_page (Fixture    *fixture,
           const char *page,
           const char *username)
{
  JsonObject *request = request_new ("open", page);
  g_autoptr(JsonObject) reply = NULL;

  json_object_set_string_member (request, "url", fixture->page_url);
  if (username != NULL)
    json_object_set_string_member (request, "username", username);
  reply = driver_call (fixture, request);

  g_assert_cmpint (json_object_get_int_member (reply, "status"), ==, 200);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (reply, "contentType"), "text/html"));
}

static void
page_send (Fixture    *fixture,
           const char *page,
           const char *text)
{
  JsonObject *request = request_new ("send", page);
  g_autoptr(JsonObject) reply = NULL;

  json_object_set_string_member (request, "text", text);
  reply = driver_call (fixture, request);
  /* The entry empties once the message is on its way. */
  g_assert_cmpstr (json_object_get_string_member (reply, "entryAfter"), ==, "");
}

static JsonObject *
page_snapshot (Fixture    *fixture,
               const char *page)
{
  return driver_call (fixture, request_new ("snapshot", page));
}

/* Waits until the page shows a chat message with exactly @text; returns what it shows. */
static JsonObject *
page_wait_message (Fixture    *fixture,
                   const char *page,
                   const char *text)
{
  JsonObject *request = request_new ("wait-message", page);
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *message;

  json_object_set_string_member (request, "text", text);
  reply = driver_call_full (fixture, request, FALSE);
  if (!json_object_get_boolean_member_with_default (reply, "ok", FALSE))
    {
      g_autoptr(JsonObject) snapshot = page_snapshot (fixture, page);
      JsonArray *items = json_object_get_array_member (snapshot, "items");

      g_test_message ("the page never showed “%s”; it is %s and shows:", text,
                      json_object_get_string_member (snapshot, "status"));
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);

          g_test_message ("  %s %s: %s", json_object_get_string_member (item, "kind"),
                          json_object_get_string_member_with_default (item, "username", "-"),
                          json_object_get_string_member (item, "text"));
        }
      g_assert_true (json_object_get_boolean_member_with_default (reply, "ok", FALSE));
    }
  message = json_object_get_object_member (reply, "message");
  g_assert_nonnull (message);

  return json_object_ref (message);
}


static void
assert_no_page_errors (JsonObject *snapshot)
{
  JsonArray *errors = json_object_get_array_member (snapshot, "errors");

  for (guint i = 0; i < json_array_get_length (errors); i++)
    g_test_message ("page: %s", json_array_get_string_element (errors, i));
  g_assert_cmpuint (json_array_get_length (errors), ==, 0);
}

static gboolean
string_array_contains (JsonArray  *array,
                       const char *wanted)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (g_strcmp0 (json_array_get_string_element (array, i), wanted) == 0)
        return TRUE;
    }

  return FALSE;
}

/* ---- fixtures ---- */

static void
fixture_set_up_server (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ws_url = NULL;
  guint port;

  g_queue_init (&fixture->replies);

  fixture->server = confab_server_new (ROOM_NAME, NULL);
  confab_server_listen (fixture->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  port = confab_server_get_port (fixture->server);
  g_assert_cmpuint (port, >, 0);

  fixture->page_url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  ws_url = g_strdup_printf ("ws://127.0.0.1:%u/ws/chat", port);

  fixture->client = confab_client_new (ws_url);
  confab_client_set_username (fixture->client, user_data != NULL ? user_data : CORE_NAME);
  confab_client_connect (fixture->client);
  WEB_WAIT_UNTIL (confab_client_get_state (fixture->client) == CONFAB_CLIENT_STATE_CONNECTED, WAIT_S);
}

static void
fixture_set_up_browser (Fixture       *fixture,
                        gconstpointer  user_data)
{
  fixture_set_up_server (fixture, user_data);

  if (skip_reason != NULL)
    {
      g_test_skip (skip_reason);
      return;
    }

  start_driver (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  stop_driver (fixture);

  confab_client_disconnect (fixture->client);
  g_assert_finalize_object (fixture->client);
  confab_server_stop (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_clear_pointer (&fixture->page_url, g_free);
}

/* ---- tests ---- */

typedef struct
{
  char        *body;
  char        *content_type;
  char        *cache_control;
  guint        status;
  gboolean     done;
} Fetch;

static void
fetch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);

  headers = soup_message_get_response_headers (msg);
  fetch->status = soup_message_get_status (msg);
  fetch->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  fetch->cache_control = g_strdup (soup_message_headers_get_one (headers, "Cache-Control"));
  fetch->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  fetch->done = TRUE;
}

static void
fetch_clear (Fetch *fetch)
{
  g_clear_pointer (&fetch->body, g_free);
  g_clear_pointer (&fetch->content_type, g_free);
  g_clear_pointer (&fetch->cache_control, g_free);
}

static void
fetch (SoupSession *session,
       const char  *url,
       Fetch       *fetch)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);

  memset (fetch, 0, sizeof *fetch);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, fetch_done_cb, fetch);
  WEB_WAIT_UNTIL (fetch->done, WAIT_S);
}

/* The files of the page are in the server, with their types, and nothing points outside. */
static void
test_web_served (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const struct {
    const char *path;
    const char *type;
  } files[] = {
    { "", "text/html" },
    { "index.html", "text/html" },
    { "style.css", "text/css" },
    { "app.js", "text/javascript" },
    { "favicon.svg", "image/svg+xml" },
  };
  g_autoptr(SoupSession) session = soup_session_new ();

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *url = g_strconcat (fixture->page_url, files[i].path, NULL);
      Fetch result;

      fetch (session, url, &result);
      g_assert_cmpuint (result.status, ==, 200);
      g_assert_nonnull (result.content_type);
      g_assert_true (g_str_has_prefix (result.content_type, files[i].type));
      g_assert_cmpuint (strlen (result.body), >, 0);
      /* No CDN, no font service: the page must work on a LAN with no internet. */
      g_assert_null (strstr (result.body, "//cdn"));
      g_assert_null (strstr (result.body, "https://fonts."));
      if (g_str_has_suffix (url, "/") || g_str_has_suffix (url, ".html"))
        {
          g_assert_nonnull (result.cache_control);
          g_assert_nonnull (strstr (result.cache_control, "no-cache"));
          g_assert_nonnull (strstr (result.body, "app.js"));
          g_assert_nonnull (strstr (result.body, "style.css"));
        }
      if (g_str_has_suffix (url, ".js"))
        g_assert_null (strstr (result.body, "innerHTML"));
      fetch_clear (&result);
    }
}

/* A message typed in the page reaches the core client with the page's username. */
static void
test_web_page_to_client (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *request;
  ConfabMessage *message;

  if (fixture->driver == NULL)
    return;

  open_page (fixture, "web", "Wendy");

  /* The remembered name went with the connection: the join event names her. */
  WEB_WAIT_UNTIL (find_message (fixture->client, CONFAB_MESSAGE_KIND_SYSTEM,
                                CONFAB_SYSTEM_EVENT_JOIN, "Wendy", NULL) != NULL, WAIT_S);

  page_send (fixture, "web", "Hello from the browser");
  WEB_WAIT_UNTIL (find_chat (fixture->client, "Hello from the browser") != NULL, WAIT_S);
  message = find_chat (fixture->client, "Hello from the browser");
  g_assert_cmpstr (confab_message_get_username (message), ==, "Wendy");
  g_assert_nonnull (confab_message_get_cid (message));

  /* The page recognises its own message by its cid, and its outbox empties. */
  shown = page_wait_message (fixture, "web", "Hello from the browser");
  g_assert_true (json_object_get_boolean_member (shown, "own"));
  g_assert_cmpstr (json_object_get_string_member (shown, "username"), ==, "Wendy");
  g_assert_cmpint (json_object_get_int_member (shown, "id"), ==, confab_message_get_id (message));

  /* A name typed into the page is used at once, and remembered. */
  request = request_new ("set-name", "web");
  json_object_set_string_member (request, "name", "Wanda");
  json_object_unref (driver_call (fixture, request));
  page_send (fixture, "web", "Same person, new name");
  WEB_WAIT_UNTIL (find_chat (fixture->client, "Same person, new name") != NULL, WAIT_S);
  message = find_chat (fixture->client, "Same person, new name");
  g_assert_cmpstr (confab_message_get_username (message), ==, "Wanda");

  json_object_unref (page_wait_message (fixture, "web", "Same person, new name"));
  snapshot = page_snapshot (fixture, "web");
  g_assert_cmpstr (json_object_get_string_member (snapshot, "storedName"), ==, "Wanda");
  g_assert_cmpint (json_object_get_int_member (snapshot, "outbox"), ==, 0);
  assert_no_page_errors (snapshot);
}

/* A message sent by a core client shows in the page, with the room, presence and status. */
static void
test_web_client_to_page (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *request;
  JsonArray *members;

  if (fixture->driver == NULL)
    return;

  open_page (fixture, "web", "Wendy");

  g_assert_true (confab_client_send (fixture->client, "Hello from the core"));
  shown = page_wait_message (fixture, "web", "Hello from the core");
  g_assert_cmpstr (json_object_get_string_member (shown, "username"), ==, CORE_NAME);
  g_assert_false (json_object_get_boolean_member (shown, "own"));
  g_assert_false (json_object_get_boolean_member (shown, "backlog"));
  g_assert_cmpint (json_object_get_int_member (shown, "id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (shown, "datetime"), !=, "");

  request = request_new ("wait-members", "web");
  json_object_set_string_member (request, "name", CORE_NAME);
  json_object_unref (driver_call (fixture, request));

  snapshot = page_snapshot (fixture, "web");
  g_assert_cmpstr (json_object_get_string_member (snapshot, "state"), ==, "connected");
  g_assert_cmpstr (json_object_get_string_member (snapshot, "status"), ==, "Connected");
  g_assert_cmpstr (json_object_get_string_member (snapshot, "room"), ==, ROOM_NAME);
  g_assert_false (json_object_get_boolean_member (snapshot, "entryDisabled"));
  g_assert_false (json_object_get_boolean_member (snapshot, "sendDisabled"));
  members = json_object_get_array_member (snapshot, "members");
  g_assert_true (string_array_contains (members, CORE_NAME));
  g_assert_true (string_array_contains (members, "Wendy"));
  assert_no_page_errors (snapshot);
}

/* A page that joins late shows what was said before it came, in order, marked as backlog. */
static void
test_web_backlog (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const char * const earlier[] = { "First, before the page", "Second", "Third" };
  g_autoptr(JsonObject) snapshot = NULL;
  g_autoptr(JsonObject) live = NULL;
  JsonArray *items;
  gint64 last_id = 0;
  guint found = 0;

  if (fixture->driver == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (earlier); i++)
    g_assert_true (confab_client_send (fixture->client, earlier[i]));
  WEB_WAIT_UNTIL (find_chat (fixture->client, earlier[G_N_ELEMENTS (earlier) - 1]) != NULL, WAIT_S);

  open_page (fixture, "late", "Latecomer");
  json_object_unref (page_wait_message (fixture, "late", earlier[G_N_ELEMENTS (earlier) - 1]));

  snapshot = page_snapshot (fixture, "late");
  items = json_object_get_array_member (snapshot, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      gint64 id = json_object_get_int_member (item, "id");

      /* Everything in id order, each once. */
      g_assert_cmpint (id, >, last_id);
      last_id = id;

      if (found < G_N_ELEMENTS (earlier) &&
          g_strcmp0 (json_object_get_string_member (item, "kind"), "message") == 0 &&
          g_strcmp0 (json_object_get_string_member (item, "text"), earlier[found]) == 0)
        {
          g_assert_true (json_object_get_boolean_member (item, "backlog"));
          g_assert_cmpstr (json_object_get_string_member (item, "username"), ==, CORE_NAME);
          g_assert_false (json_object_get_boolean_member (item, "own"));
          found++;
        }
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (earlier));
  assert_no_page_errors (snapshot);

  /* And what comes after is live. */
  g_assert_true (confab_client_send (fixture->client, "Now live"));
  live = page_wait_message (fixture, "late", "Now live");
  g_assert_false (json_object_get_boolean_member (live, "backlog"));
  g_assert_cmpint (json_object_get_int_member (live, "id"), >, last_id);
}

static JsonObject *
page_wait_state (Fixture    *fixture,
                 const char *page,
                 const char *state)
{
  JsonObject *request = request_new ("wait-state", page);

  json_object_set_string_member (request, "state", state);
  return driver_call (fixture, request);
}

static guint
count_items_with_text (JsonObject *snapshot,
                       const char *text)
{
  JsonArray *items = json_object_get_array_member (snapshot, "items");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (item, "text"), text) == 0)
        count++;
    }

  return count;
}

/* The host goes away and comes back: the page says so, locks the entry, reconnects by itself
 * and picks up where it was, with nothing shown twice. */
static void
test_web_reconnect (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(JsonObject) waiting = NULL;
  g_autoptr(JsonObject) connected = NULL;
  g_autoptr(JsonObject) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  guint port = confab_server_get_port (fixture->server);

  if (fixture->driver == NULL)
    return;

  open_page (fixture, "web", "Wendy");
  g_assert_true (confab_client_send (fixture->client, "Before the break"));
  json_object_unref (page_wait_message (fixture, "web", "Before the break"));

  confab_server_stop (fixture->server);
  waiting = page_wait_state (fixture, "web", "waiting");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (waiting, "status"), "Reconnecting in "));
  g_assert_true (json_object_get_boolean_member (waiting, "entryDisabled"));
  g_assert_true (json_object_get_boolean_member (waiting, "sendDisabled"));

  confab_server_listen (fixture->server, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  connected = page_wait_state (fixture, "web", "connected");
  g_assert_cmpstr (json_object_get_string_member (connected, "status"), ==, "Connected");
  g_assert_false (json_object_get_boolean_member (connected, "entryDisabled"));

  WEB_WAIT_UNTIL (confab_client_get_state (fixture->client) == CONFAB_CLIENT_STATE_CONNECTED, WAIT_S);
  g_assert_true (confab_client_send (fixture->client, "After the break"));
  json_object_unref (page_wait_message (fixture, "web", "After the break"));
  page_send (fixture, "web", "Back again");
  WEB_WAIT_UNTIL (find_chat (fixture->client, "Back again") != NULL, WAIT_S);

  snapshot = page_snapshot (fixture, "web");
  g_assert_cmpuint (count_items_with_text (snapshot, "Before the break"), ==, 1);
  g_assert_cmpuint (count_items_with_text (snapshot, "After the break"), ==, 1);
  assert_no_page_errors (snapshot);
}

static void
assert_probe_clean (Fixture    *fixture,
                    const char *page)
{
  g_autoptr(JsonObject) probe = driver_call (fixture, request_new ("probe", page));
  JsonArray *links;

  g_assert_true (json_object_get_null_member (probe, "pwned"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (probe, "foreignElements")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (probe, "scripts"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (probe, "images"), ==, 0);

  /* The only links are the http(s) URLs written in the text, safe to follow. */
  links = json_object_get_array_member (probe, "links");
  g_assert_cmpuint (json_array_get_length (links), >, 0);
  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *link = json_array_get_object_element (links, i);

      g_assert_true (g_str_has_prefix (json_object_get_string_member (link, "href"), "https://example.org/"));
      g_assert_cmpstr (json_object_get_string_member (link, "rel"), ==, "noopener noreferrer");
    }

  assert_no_page_errors (probe);
}

/* A message carrying HTML shows as text and runs nothing, whoever sends it. */
static void
test_web_html_is_text (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const char payload[] =
    "<img src=x onerror=\"window.__confabPwned='img'\">"
    "<script>window.__confabPwned='script'</script>"
    "<b>bold?</b> &amp; <a href=\"javascript:window.__confabPwned='link'\">click</a> "
    "javascript:window.__confabPwned=1 https://example.org/?q=<i>x</i>";
  static const char typed[] =
    "<svg onload=\"window.__confabPwned='typed'\"></svg><iframe src=\"javascript:1\"></iframe> "
    "see https://example.org/typed";
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) own = NULL;
  ConfabMessage *message;

  if (fixture->driver == NULL)
    return;

  open_page (fixture, "web", "Wendy");

  /* From the network... */
  g_assert_true (confab_client_send (fixture->client, payload));
  shown = page_wait_message (fixture, "web", payload);
  g_assert_cmpstr (json_object_get_string_member (shown, "text"), ==, payload);
  assert_probe_clean (fixture, "web");

  /* ...and typed into the page: it leaves as text and comes back as text. */
  page_send (fixture, "web", typed);
  WEB_WAIT_UNTIL (find_chat (fixture->client, typed) != NULL, WAIT_S);
  message = find_chat (fixture->client, typed);
  g_assert_cmpstr (confab_message_get_username (message), ==, "Wendy");
  own = page_wait_message (fixture, "web", typed);
  g_assert_true (json_object_get_boolean_member (own, "own"));
  assert_probe_clean (fixture, "web");
}

static void
open_shot_page (Fixture    *fixture,
                const char *page,
                int         width,
                int         height,
                gboolean    mobile)
{
  JsonObject *request = request_new ("open", page);
  JsonObject *storage = json_object_new ();

  /* The same person on a laptop and a phone: one name, one client token, so both pages
   * know the messages as their own. */
  json_object_set_string_member (storage, "confab.client", "5ca1ab1e0a11");
  json_object_set_string_member (request, "url", fixture->page_url);
  json_object_set_string_member (request, "username", "Alice");
  json_object_set_object_member (request, "storage", storage);
  json_object_set_int_member (request, "width", width);
  json_object_set_int_member (request, "height", height);
  json_object_set_boolean_member (request, "mobile", mobile);
  json_object_unref (driver_call (fixture, request));
}

static void
take_screenshot (Fixture    *fixture,
                 const char *page,
                 const char *folder,
                 const char *name,
                 const char *scheme)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  JsonObject *request = request_new ("screenshot", page);

  json_object_set_string_member (request, "path", path);
  json_object_set_string_member (request, "colorScheme", scheme);
  json_object_unref (driver_call (fixture, request));
  g_test_message ("wrote %s", path);
}

/* Not a check: with CONFAB_WEB_SCREENSHOTS set to a folder, fills a room and takes the
 * pictures of the page that the README shows (data/screenshots/web-*.png). */
static void
test_web_screenshots (Fixture       *fixture,
                      gconstpointer  user_data)
{
  static const char cake[] = "Great, thanks! I will bring cake later.\nLemon or chocolate?";
  static const char answer[] = "Chocolate, obviously. <b>Not</b> lemon 🍫";
  const char *folder = g_getenv ("CONFAB_WEB_SCREENSHOTS");
  g_autoptr(ConfabClient) jonas = NULL;
  g_autofree char *ws_url = NULL;
  ConfabClient *marta = fixture->client;

  if (fixture->driver == NULL)
    return;

  ws_url = g_strdup_printf ("ws://127.0.0.1:%u/ws/chat", confab_server_get_port (fixture->server));
  jonas = confab_client_new (ws_url);
  confab_client_set_username (jonas, "Jonas Weber");
  confab_client_connect (jonas);
  WEB_WAIT_UNTIL (confab_client_get_state (jonas) == CONFAB_CLIENT_STATE_CONNECTED, WAIT_S);

  g_assert_true (confab_client_send (marta, "Morning! Is the coffee machine fixed yet?"));
  WEB_WAIT_UNTIL (find_chat (jonas, "Morning! Is the coffee machine fixed yet?") != NULL, WAIT_S);
  g_assert_true (confab_client_send (jonas, "Yes, since yesterday. How to descale it: https://example.org/kitchen/coffee"));
  g_assert_true (confab_client_send (jonas, "Every Friday, please 🙏"));
  WEB_WAIT_UNTIL (find_chat (marta, "Every Friday, please 🙏") != NULL, WAIT_S);

  open_shot_page (fixture, "desktop", 1100, 720, FALSE);
  page_send (fixture, "desktop", cake);
  WEB_WAIT_UNTIL (find_chat (marta, cake) != NULL, WAIT_S);
  g_assert_true (confab_client_send (marta, answer));
  json_object_unref (page_wait_message (fixture, "desktop", answer));
  take_screenshot (fixture, "desktop", folder, "web-light.png", "light");
  take_screenshot (fixture, "desktop", folder, "web-dark.png", "dark");

  open_shot_page (fixture, "phone", 390, 780, TRUE);
  json_object_unref (page_wait_message (fixture, "phone", answer));
  take_screenshot (fixture, "phone", folder, "web-phone-light.png", "light");
  take_screenshot (fixture, "phone", folder, "web-phone-dark.png", "dark");

  confab_client_disconnect (jonas);
}

/* ---- main ---- */

static char *
find_prerequisites (void)
{
  g_autofree char *playwright = NULL;
  const char *env;

  driver_dir = g_test_build_filename (G_TEST_DIST, "web", NULL);

  env = g_getenv ("CONFAB_NODE");
  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_EXECUTABLE))
    node_path = g_strdup (env);
  if (node_path == NULL)
    node_path = g_find_program_in_path ("node");
  if (node_path == NULL)
    node_path = g_find_program_in_path ("nodejs");
  if (node_path == NULL)
    return g_strdup ("node is not installed");

  playwright = g_build_filename (driver_dir, "node_modules", "playwright-core", "package.json", NULL);
  if (!g_file_test (playwright, G_FILE_TEST_EXISTS))
    return g_strdup ("tests/web/node_modules is missing: run npm ci in tests/web");

  env = g_getenv ("CONFAB_CHROMIUM");
  if (env != NULL && *env != '\0')
    chromium_path = g_strdup (env);
  else if (g_file_test ("/usr/bin/chromium", G_FILE_TEST_IS_EXECUTABLE))
    chromium_path = g_strdup ("/usr/bin/chromium");
  else
    chromium_path = g_find_program_in_path ("chromium");
  if (chromium_path == NULL || !g_file_test (chromium_path, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup ("chromium is not installed");

  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  skip_reason = find_prerequisites ();

  g_test_add ("/confab/web/served", Fixture, NULL,
              fixture_set_up_server, test_web_served, fixture_tear_down);
  g_test_add ("/confab/web/page-to-client", Fixture, NULL,
              fixture_set_up_browser, test_web_page_to_client, fixture_tear_down);
  g_test_add ("/confab/web/client-to-page", Fixture, NULL,
              fixture_set_up_browser, test_web_client_to_page, fixture_tear_down);
  g_test_add ("/confab/web/backlog", Fixture, NULL,
              fixture_set_up_browser, test_web_backlog, fixture_tear_down);
  g_test_add ("/confab/web/html-is-text", Fixture, NULL,
              fixture_set_up_browser, test_web_html_is_text, fixture_tear_down);
  g_test_add ("/confab/web/reconnect", Fixture, NULL,
              fixture_set_up_browser, test_web_reconnect, fixture_tear_down);
  if (g_strcmp0 (g_getenv ("CONFAB_WEB_SCREENSHOTS"), "") > 0)
    g_test_add ("/confab/web/screenshots", Fixture, "Marta",
                fixture_set_up_browser, test_web_screenshots, fixture_tear_down);

  ret = g_test_run ();

  g_clear_pointer (&skip_reason, g_free);
  g_clear_pointer (&node_path, g_free);
  g_clear_pointer (&chromium_path, g_free);
  g_clear_pointer (&driver_dir, g_free);

  return ret;
}
