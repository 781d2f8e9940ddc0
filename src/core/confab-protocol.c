/* confab-protocol.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-protocol"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "confab-protocol.h"

G_DEFINE_QUARK (confab-protocol-error-quark, confab_protocol_error)

static const char * const error_codes[] = {
  [CONFAB_PROTOCOL_ERROR_INVALID_JSON] = "invalid-json",
  [CONFAB_PROTOCOL_ERROR_NOT_AN_OBJECT] = "not-an-object",
  [CONFAB_PROTOCOL_ERROR_TOO_DEEP] = "too-deep",
  [CONFAB_PROTOCOL_ERROR_INVALID_FIELD] = "invalid-field",
  [CONFAB_PROTOCOL_ERROR_MISSING_MESSAGE] = "missing-message",
  [CONFAB_PROTOCOL_ERROR_EMPTY_MESSAGE] = "empty-message",
  [CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LONG] = "message-too-long",
  [CONFAB_PROTOCOL_ERROR_INVALID_MESSAGE] = "invalid-message",
  [CONFAB_PROTOCOL_ERROR_USERNAME_TOO_LONG] = "username-too-long",
  [CONFAB_PROTOCOL_ERROR_INVALID_USERNAME] = "invalid-username",
  [CONFAB_PROTOCOL_ERROR_BINARY_FRAME] = "binary-frame",
  [CONFAB_PROTOCOL_ERROR_UNKNOWN] = "unknown",
};

static const char * const event_names[] = {
  [CONFAB_SYSTEM_EVENT_NONE] = NULL,
  [CONFAB_SYSTEM_EVENT_JOIN] = "join",
  [CONFAB_SYSTEM_EVENT_LEAVE] = "leave",
  [CONFAB_SYSTEM_EVENT_RENAME] = "rename",
};

typedef enum
{
  SCAN_OK,
  SCAN_TOO_DEEP,
  SCAN_HAS_NUL,
} ScanResult;

/* Looks at the raw text before json-glib does. Deep nesting is refused first: json-glib's
 * parser recurses, and a 64 KiB frame of brackets would cost tens of thousands of stack
 * frames. An escaped NUL is refused too: json-glib ends the string there, which would cut a
 * message short without a word. */
static ScanResult
scan_raw_json (const char *data,
               gsize       length,
               guint       max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            {
              if (i + 5 < length && memcmp (data + i + 1, "u0000", 5) == 0)
                return SCAN_HAS_NUL;
              i++;
            }
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return SCAN_TOO_DEEP;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return SCAN_OK;
}

static gboolean
has_control_characters (const char *text,
                        gboolean    allow_newlines)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (allow_newlines && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c))
        return TRUE;
    }

  return FALSE;
}

/* Reads an optional string member: absent is fine (*out stays NULL), null is fine when
 * @nullable, anything else but a valid UTF-8 string is an invalid-field error. */
static gboolean
get_string_member (JsonObject  *object,
                   const char  *name,
                   gboolean     nullable,
                   const char **out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_NULL (node) && nullable)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                   "The field “%s” must be a string.", name);
      return FALSE;
    }

  *out = json_node_get_string (node);
  if (!g_utf8_validate (*out, -1, NULL))
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                   "The field “%s” is not valid UTF-8.", name);
      return FALSE;
    }

  return TRUE;
}

static JsonNode *
parse_object (const char  *data,
              gsize        length,
              GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length > G_MAXSSIZE)
    length = G_MAXSSIZE;

  switch (scan_raw_json (data, length, CONFAB_MAX_JSON_DEPTH))
    {
    case SCAN_TOO_DEEP:
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_TOO_DEEP,
                   "The frame is nested deeper than %d levels.", CONFAB_MAX_JSON_DEPTH);
      return NULL;

    case SCAN_HAS_NUL:
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                           "A string in the frame holds a NUL character.");
      return NULL;

    case SCAN_OK:
    default:
      break;
    }

  /* Immutable parsers share strings instead of copying them. */
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_JSON,
                   "The frame is not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_JSON,
                           "The frame is empty.");
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_NOT_AN_OBJECT,
                           "The frame must be a JSON object.");
      return NULL;
    }

  return json_node_ref (root);
}

static void
add_timestamp (JsonBuilder *builder,
               GDateTime   *timestamp)
{
  g_autofree char *iso = g_date_time_format_iso8601 (timestamp);

  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, iso);
}

static GBytes *
builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  return g_bytes_new_take (data, length);
}

static gint64
get_int_member (JsonObject *object,
                const char *name,
                gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);

    case G_TYPE_DOUBLE:
      return (gint64)json_node_get_double (node);

    default:
      return fallback;
    }
}

static gboolean
get_bool_member (JsonObject *object,
                 const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static const char *
get_string_or_null (JsonObject *object,
                    const char *name)
{
  const char *value = NULL;

  if (!get_string_member (object, name, TRUE, &value, NULL))
    return NULL;

  return value;
}

static ConfabSystemEvent
system_event_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (event_names); i++)
    {
      if (event_names[i] != NULL && g_strcmp0 (event_names[i], name) == 0)
        return i;
    }

  return CONFAB_SYSTEM_EVENT_NONE;
}

static ConfabMessage *
parse_event (JsonObject *object,
             gboolean    system)
{
  g_autoptr(GDateTime) timestamp = NULL;
  ConfabMessage *message;
  const char *text = get_string_or_null (object, "message");
  const char *username = get_string_or_null (object, "username");
  const char *stamp = get_string_or_null (object, "timestamp");

  if (stamp != NULL)
    timestamp = confab_protocol_parse_timestamp (stamp);

  if (system)
    message = confab_message_new_system (system_event_from_name (get_string_or_null (object, "event")),
                                         username,
                                         get_string_or_null (object, "previous"),
                                         text ? text : "",
                                         timestamp);
  else
    message = confab_message_new_chat (username ? username : CONFAB_ANONYMOUS,
                                       text ? text : "",
                                       timestamp);

  confab_message_set_id (message, MAX (0, get_int_member (object, "id", 0)));
  confab_message_set_cid (message, get_string_or_null (object, "cid"));

  if (system && get_int_member (object, "count", 1) > 1)
    {
      JsonNode *names = json_object_get_member (object, "usernames");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) usernames = NULL;

      if (names != NULL && JSON_NODE_HOLDS_ARRAY (names))
        {
          JsonArray *array = json_node_get_array (names);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *node = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
                  g_utf8_validate (json_node_get_string (node), -1, NULL))
                g_strv_builder_add (builder, json_node_get_string (node));
            }
        }
      usernames = g_strv_builder_end (builder);
      confab_message_set_group (message, (guint)MIN (get_int_member (object, "count", 1), G_MAXUINT),
                                (const char * const *)usernames);
    }
  confab_message_set_backlog (message, get_bool_member (object, "backlog"));

  return message;
}

/**
 * confab_protocol_error_code:
 *
 * Returns: the wire name of @error, as docs/protocol.md lists it
 */
const char *
confab_protocol_error_code (ConfabProtocolError error)
{
  if ((guint)error >= G_N_ELEMENTS (error_codes))
    return error_codes[CONFAB_PROTOCOL_ERROR_UNKNOWN];

  return error_codes[error];
}

ConfabProtocolError
confab_protocol_error_from_code (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_codes); i++)
    {
      if (g_strcmp0 (error_codes[i], code) == 0)
        return i;
    }

  return CONFAB_PROTOCOL_ERROR_UNKNOWN;
}

/**
 * confab_protocol_check_username:
 * @raw: (nullable): a username as a client gave it
 * @normalized: (out) (transfer full) (optional): the trimmed name, %NULL when @raw is %NULL
 *   or blank
 *
 * Applies the username rules: trimmed, at most %CONFAB_MAX_USERNAME_CHARS characters, no
 * control characters.
 *
 * Returns: %TRUE if @raw is acceptable
 */
gboolean
confab_protocol_check_username (const char  *raw,
                                char       **normalized,
                                GError     **error)
{
  g_autofree char *name = NULL;

  if (normalized != NULL)
    *normalized = NULL;

  if (raw == NULL)
    return TRUE;

  if (!g_utf8_validate (raw, -1, NULL))
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_USERNAME,
                           "The username is not valid UTF-8.");
      return FALSE;
    }

  name = g_strstrip (g_strdup (raw));

  if (has_control_characters (name, FALSE))
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_USERNAME,
                           "A username cannot hold control characters.");
      return FALSE;
    }

  if (g_utf8_strlen (name, -1) > CONFAB_MAX_USERNAME_CHARS)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_USERNAME_TOO_LONG,
                   "A username can be at most %d characters long.", CONFAB_MAX_USERNAME_CHARS);
      return FALSE;
    }

  if (normalized != NULL && name[0] != '\0')
    *normalized = g_steal_pointer (&name);

  return TRUE;
}

/**
 * confab_protocol_parse_client_frame:
 * @data: the frame's text
 * @length: its length in bytes
 * @frame: (out caller-allocates): where to put what it says; clear it with
 *   confab_client_frame_clear() whatever this returns (on failure @frame->cid may be set, so
 *   that the error can name the message)
 *
 * Parses and validates one frame a client sent, under every rule of docs/protocol.md.
 *
 * Returns: %TRUE if the frame is acceptable
 */
gboolean
confab_protocol_parse_client_frame (const char         *data,
                                    gsize               length,
                                    ConfabClientFrame  *frame,
                                    GError            **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  const char *type = NULL;
  const char *raw_text = NULL;
  const char *raw_username = NULL;
  const char *cid = NULL;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  memset (frame, 0, sizeof *frame);
  frame->type = CONFAB_CLIENT_FRAME_IGNORED;

  if (!(root = parse_object (data, length, error)))
    return FALSE;

  object = json_node_get_object (root);

  /* Read the cid first, so that any later error can carry it. */
  if (!get_string_member (object, "cid", FALSE, &cid, error))
    return FALSE;
  if (cid != NULL && g_utf8_strlen (cid, -1) > CONFAB_MAX_CID_CHARS)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                   "The field “cid” can be at most %d characters long.", CONFAB_MAX_CID_CHARS);
      return FALSE;
    }
  frame->cid = g_strdup (cid);

  if (!get_string_member (object, "type", FALSE, &type, error))
    return FALSE;

  /* Rule 2 of the base: a type we don't know is ignored, not an error. */
  if (type != NULL && g_strcmp0 (type, "message") != 0)
    return TRUE;

  if (!get_string_member (object, "username", TRUE, &raw_username, error))
    return FALSE;

  if (!json_object_has_member (object, "message"))
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_MISSING_MESSAGE,
                           "The frame has no “message” field.");
      return FALSE;
    }

  if (!get_string_member (object, "message", FALSE, &raw_text, error))
    return FALSE;

  text = g_strdup (raw_text);
  g_strchomp (text);

  if (text[strspn (text, " \t\n\r")] == '\0')
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_EMPTY_MESSAGE,
                           "The message is empty.");
      return FALSE;
    }

  if (g_utf8_strlen (text, -1) > CONFAB_MAX_MESSAGE_CHARS)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LONG,
                   "A message can be at most %d characters long.", CONFAB_MAX_MESSAGE_CHARS);
      return FALSE;
    }

  if (has_control_characters (text, TRUE))
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_MESSAGE,
                           "A message cannot hold control characters other than tabs and new lines.");
      return FALSE;
    }

  if (!confab_protocol_check_username (raw_username, &frame->username, error))
    return FALSE;

  frame->type = CONFAB_CLIENT_FRAME_MESSAGE;
  frame->text = g_steal_pointer (&text);

  return TRUE;
}

void
confab_client_frame_clear (ConfabClientFrame *frame)
{
  g_clear_pointer (&frame->username, g_free);
  g_clear_pointer (&frame->text, g_free);
  g_clear_pointer (&frame->cid, g_free);
}

/**
 * confab_protocol_build_client_message:
 * @username: (nullable): who writes
 * @text: what they write
 * @cid: (nullable): the client's token for this message
 *
 * Returns: (transfer full): the frame a Confab client sends for a chat message
 */
char *
confab_protocol_build_client_message (const char *username,
                                      const char *text,
                                      const char *cid)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "message");
  if (username != NULL)
    {
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, username);
    }
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  if (cid != NULL)
    {
      json_builder_set_member_name (builder, "cid");
      json_builder_add_string_value (builder, cid);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/**
 * confab_protocol_build_event:
 * @message: an event with its id
 * @backlog: whether it is sent as backlog
 *
 * Returns: (transfer full): the event's frame, base-shaped with Confab's fields
 */
GBytes *
confab_protocol_build_event (ConfabMessage *message,
                             gboolean       backlog)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  ConfabSystemEvent event = confab_message_get_event (message);
  const char *username = confab_message_get_username (message);
  const char *previous = confab_message_get_previous (message);
  const char *cid = confab_message_get_cid (message);
  gboolean system = confab_message_is_system (message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, system ? "system" : "message");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, confab_message_get_id (message));
  if (system && event != CONFAB_SYSTEM_EVENT_NONE)
    {
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, event_names[event]);
    }
  if (username != NULL)
    {
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, username);
    }
  if (previous != NULL)
    {
      json_builder_set_member_name (builder, "previous");
      json_builder_add_string_value (builder, previous);
    }
  if (confab_message_get_count (message) > 1)
    {
      const char * const *usernames = confab_message_get_usernames (message);

      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, confab_message_get_count (message));
      json_builder_set_member_name (builder, "usernames");
      json_builder_begin_array (builder);
      for (guint i = 0; usernames != NULL && usernames[i] != NULL; i++)
        json_builder_add_string_value (builder, usernames[i]);
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, confab_message_get_text (message));
  add_timestamp (builder, confab_message_get_timestamp (message));
  if (cid != NULL)
    {
      json_builder_set_member_name (builder, "cid");
      json_builder_add_string_value (builder, cid);
    }
  if (backlog)
    {
      json_builder_set_member_name (builder, "backlog");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

/**
 * confab_protocol_build_welcome:
 *
 * Returns: (transfer full): the welcome frame of docs/protocol.md
 */
GBytes *
confab_protocol_build_welcome (const char *room,
                               const char *history,
                               gint64      last_id,
                               guint       backlog,
                               gboolean    gap)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "welcome");
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_int_value (builder, CONFAB_PROTOCOL_VERSION);
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, PACKAGE_NAME " " PACKAGE_VERSION);
  json_builder_set_member_name (builder, "room");
  json_builder_add_string_value (builder, room);
  json_builder_set_member_name (builder, "history");
  json_builder_add_string_value (builder, history);
  json_builder_set_member_name (builder, "last_id");
  json_builder_add_int_value (builder, last_id);
  json_builder_set_member_name (builder, "backlog");
  json_builder_add_int_value (builder, backlog);
  json_builder_set_member_name (builder, "gap");
  json_builder_add_boolean_value (builder, gap);
  json_builder_set_member_name (builder, "limits");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_int_value (builder, CONFAB_MAX_MESSAGE_CHARS);
  json_builder_set_member_name (builder, "username");
  json_builder_add_int_value (builder, CONFAB_MAX_USERNAME_CHARS);
  json_builder_set_member_name (builder, "frame");
  json_builder_add_int_value (builder, CONFAB_MAX_FRAME_BYTES);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

/**
 * confab_protocol_build_presence:
 * @users: the sorted names present, each once
 *
 * Returns: (transfer full): the presence frame of docs/protocol.md
 */
GBytes *
confab_protocol_build_presence (const char * const *users,
                                guint               anonymous,
                                guint               online)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "presence");
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; users != NULL && users[i] != NULL; i++)
    json_builder_add_string_value (builder, users[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "anonymous");
  json_builder_add_int_value (builder, anonymous);
  json_builder_set_member_name (builder, "online");
  json_builder_add_int_value (builder, online);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

/**
 * confab_protocol_build_error:
 * @error: a #CONFAB_PROTOCOL_ERROR error
 * @cid: (nullable): the token of the message it answers
 *
 * Returns: (transfer full): the error frame for @error, to send to its sender only
 */
GBytes *
confab_protocol_build_error (const GError *error,
                             const char   *cid)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  ConfabProtocolError code = CONFAB_PROTOCOL_ERROR_UNKNOWN;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == CONFAB_PROTOCOL_ERROR)
    code = error->code;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "error");
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, confab_protocol_error_code (code));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  if (cid != NULL)
    {
      json_builder_set_member_name (builder, "cid");
      json_builder_add_string_value (builder, cid);
    }
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

/**
 * confab_protocol_parse_server_frame:
 * @frame: (out caller-allocates): clear it with confab_server_frame_clear()
 *
 * Parses one frame from a server: a Confab server or a base one. Fields a server leaves out
 * get the base's defaults; unknown types come back as %CONFAB_SERVER_FRAME_UNKNOWN.
 *
 * Returns: %TRUE if the frame is a JSON object
 */
gboolean
confab_protocol_parse_server_frame (const char         *data,
                                    gsize               length,
                                    ConfabServerFrame  *frame,
                                    GError            **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *type;

  g_return_val_if_fail (frame != NULL, FALSE);

  memset (frame, 0, sizeof *frame);
  frame->type = CONFAB_SERVER_FRAME_UNKNOWN;

  if (!(root = parse_object (data, length, error)))
    return FALSE;

  object = json_node_get_object (root);
  type = get_string_or_null (object, "type");

  if (g_strcmp0 (type, "message") == 0 || g_strcmp0 (type, "system") == 0)
    {
      frame->type = CONFAB_SERVER_FRAME_EVENT;
      frame->event = parse_event (object, type[0] == 's');
    }
  else if (g_strcmp0 (type, "welcome") == 0)
    {
      frame->type = CONFAB_SERVER_FRAME_WELCOME;
      frame->protocol = (gint)CLAMP (get_int_member (object, "protocol", 1), 0, G_MAXINT);
      frame->server = g_strdup (get_string_or_null (object, "server"));
      frame->room = g_strdup (get_string_or_null (object, "room"));
      frame->history = g_strdup (get_string_or_null (object, "history"));
      frame->last_id = MAX (0, get_int_member (object, "last_id", 0));
      frame->backlog = (guint)CLAMP (get_int_member (object, "backlog", 0), 0, G_MAXUINT);
      frame->gap = get_bool_member (object, "gap");
    }
  else if (g_strcmp0 (type, "presence") == 0)
    {
      JsonNode *users = json_object_get_member (object, "users");
      g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

      frame->type = CONFAB_SERVER_FRAME_PRESENCE;
      if (users != NULL && JSON_NODE_HOLDS_ARRAY (users))
        {
          JsonArray *array = json_node_get_array (users);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *node = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_VALUE (node) &&
                  json_node_get_value_type (node) == G_TYPE_STRING &&
                  g_utf8_validate (json_node_get_string (node), -1, NULL))
                g_strv_builder_add (names, json_node_get_string (node));
            }
        }
      frame->users = g_strv_builder_end (names);
      frame->anonymous = (guint)CLAMP (get_int_member (object, "anonymous", 0), 0, G_MAXUINT);
      frame->online = (guint)CLAMP (get_int_member (object, "online", 0), 0, G_MAXUINT);
    }
  else if (g_strcmp0 (type, "error") == 0)
    {
      frame->type = CONFAB_SERVER_FRAME_ERROR;
      frame->code = g_strdup (get_string_or_null (object, "code"));
      frame->error = g_strdup (get_string_or_null (object, "message"));
      frame->cid = g_strdup (get_string_or_null (object, "cid"));
    }

  return TRUE;
}

void
confab_server_frame_clear (ConfabServerFrame *frame)
{
  g_clear_object (&frame->event);
  g_clear_pointer (&frame->server, g_free);
  g_clear_pointer (&frame->room, g_free);
  g_clear_pointer (&frame->history, g_free);
  g_clear_pointer (&frame->users, g_strfreev);
  g_clear_pointer (&frame->code, g_free);
  g_clear_pointer (&frame->error, g_free);
  g_clear_pointer (&frame->cid, g_free);
}

/**
 * confab_protocol_parse_timestamp:
 * @text: an ISO 8601 date and time: with an offset, with `Z`, or with neither (local time,
 *   as the seed's server sends)
 *
 * Returns: (transfer full) (nullable): the time, or %NULL if @text is not such a time
 */
GDateTime *
confab_protocol_parse_timestamp (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  if (text == NULL)
    return NULL;

  return g_date_time_new_from_iso8601 (text, local);
}
