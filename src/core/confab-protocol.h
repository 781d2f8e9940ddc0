/* confab-protocol.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "confab-message.h"

G_BEGIN_DECLS

/* The limits and constants of docs/protocol.md. */
#define CONFAB_PROTOCOL_VERSION      1
#define CONFAB_PROTOCOL_PATH         "/ws/chat"
#define CONFAB_MAX_MESSAGE_CHARS     4000
#define CONFAB_MAX_USERNAME_CHARS    64
#define CONFAB_MAX_CID_CHARS         64
#define CONFAB_MAX_FRAME_BYTES       65536
#define CONFAB_MAX_JSON_DEPTH        32
#define CONFAB_ANONYMOUS             "Anonymous"

#define CONFAB_CLOSE_SLOW_CONSUMER   4001
#define CONFAB_CLOSE_IDLE            4002

#define CONFAB_PROTOCOL_ERROR (confab_protocol_error_quark ())

/**
 * ConfabProtocolError:
 * @CONFAB_PROTOCOL_ERROR_INVALID_JSON: the frame is not JSON
 * @CONFAB_PROTOCOL_ERROR_NOT_AN_OBJECT: the JSON is not an object
 * @CONFAB_PROTOCOL_ERROR_TOO_DEEP: nesting deeper than %CONFAB_MAX_JSON_DEPTH
 * @CONFAB_PROTOCOL_ERROR_INVALID_FIELD: a known field has the wrong type or size
 * @CONFAB_PROTOCOL_ERROR_MISSING_MESSAGE: a chat frame without `message`
 * @CONFAB_PROTOCOL_ERROR_EMPTY_MESSAGE: `message` is empty or blank
 * @CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LONG: `message` is longer than %CONFAB_MAX_MESSAGE_CHARS
 * @CONFAB_PROTOCOL_ERROR_INVALID_MESSAGE: `message` holds control characters
 * @CONFAB_PROTOCOL_ERROR_USERNAME_TOO_LONG: `username` is longer than %CONFAB_MAX_USERNAME_CHARS
 * @CONFAB_PROTOCOL_ERROR_INVALID_USERNAME: `username` holds control characters
 * @CONFAB_PROTOCOL_ERROR_BINARY_FRAME: a binary frame
 * @CONFAB_PROTOCOL_ERROR_UNKNOWN: a code this version does not know (from a newer peer)
 *
 * The stable error codes of docs/protocol.md; confab_protocol_error_code() gives each its
 * wire name.
 */
typedef enum
{
  CONFAB_PROTOCOL_ERROR_INVALID_JSON,
  CONFAB_PROTOCOL_ERROR_NOT_AN_OBJECT,
  CONFAB_PROTOCOL_ERROR_TOO_DEEP,
  CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
  CONFAB_PROTOCOL_ERROR_MISSING_MESSAGE,
  CONFAB_PROTOCOL_ERROR_EMPTY_MESSAGE,
  CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LONG,
  CONFAB_PROTOCOL_ERROR_INVALID_MESSAGE,
  CONFAB_PROTOCOL_ERROR_USERNAME_TOO_LONG,
  CONFAB_PROTOCOL_ERROR_INVALID_USERNAME,
  CONFAB_PROTOCOL_ERROR_BINARY_FRAME,
  CONFAB_PROTOCOL_ERROR_UNKNOWN,
} ConfabProtocolError;

typedef enum
{
  CONFAB_CLIENT_FRAME_MESSAGE,
  CONFAB_CLIENT_FRAME_IGNORED,
} ConfabClientFrameType;

/**
 * ConfabClientFrame:
 * @type: a chat message, or a frame to ignore (an unknown `type`)
 * @username: the trimmed username, or %NULL when absent, null or blank
 * @text: the message text, trailing white space trimmed
 * @cid: the client's token for this message, or %NULL
 *
 * One frame from a client, validated.
 */
typedef struct
{
  ConfabClientFrameType  type;
  char                  *username;
  char                  *text;
  char                  *cid;
} ConfabClientFrame;

typedef enum
{
  CONFAB_SERVER_FRAME_EVENT,
  CONFAB_SERVER_FRAME_WELCOME,
  CONFAB_SERVER_FRAME_PRESENCE,
  CONFAB_SERVER_FRAME_ERROR,
  CONFAB_SERVER_FRAME_UNKNOWN,
} ConfabServerFrameType;

/**
 * ConfabServerFrame:
 *
 * One frame from a server. Which fields are set depends on @type: @event for events;
 * @protocol, @server, @room, @history, @last_id, @backlog and @gap for a welcome;
 * @users, @anonymous and @online for presence; @code, @error and @cid for an error.
 */
typedef struct
{
  ConfabServerFrameType  type;
  ConfabMessage         *event;
  gint                   protocol;
  char                  *server;
  char                  *room;
  char                  *history;
  gint64                 last_id;
  guint                  backlog;
  gboolean               gap;
  char                 **users;
  guint                  anonymous;
  guint                  online;
  char                  *code;
  char                  *error;
  char                  *cid;
} ConfabServerFrame;

GQuark      confab_protocol_error_quark          (void);
const char *confab_protocol_error_code           (ConfabProtocolError  error);
ConfabProtocolError
            confab_protocol_error_from_code      (const char          *code);
gboolean    confab_protocol_check_username       (const char          *raw,
                                                  char               **normalized,
                                                  GError             **error);
gboolean    confab_protocol_parse_client_frame   (const char          *data,
                                                  gsize                length,
                                                  ConfabClientFrame   *frame,
                                                  GError             **error);
void        confab_client_frame_clear            (ConfabClientFrame   *frame);
char       *confab_protocol_build_client_message (const char          *username,
                                                  const char          *text,
                                                  const char          *cid);
GBytes     *confab_protocol_build_event          (ConfabMessage       *message,
                                                  gboolean             backlog);
GBytes     *confab_protocol_build_welcome        (const char          *room,
                                                  const char          *history,
                                                  gint64               last_id,
                                                  guint                backlog,
                                                  gboolean             gap);
GBytes     *confab_protocol_build_presence       (const char * const  *users,
                                                  guint                anonymous,
                                                  guint                online);
GBytes     *confab_protocol_build_error          (const GError        *error,
                                                  const char          *cid);
gboolean    confab_protocol_parse_server_frame   (const char          *data,
                                                  gsize                length,
                                                  ConfabServerFrame   *frame,
                                                  GError             **error);
void        confab_server_frame_clear            (ConfabServerFrame   *frame);
GDateTime  *confab_protocol_parse_timestamp      (const char          *text);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConfabClientFrame, confab_client_frame_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConfabServerFrame, confab_server_frame_clear)

G_END_DECLS
