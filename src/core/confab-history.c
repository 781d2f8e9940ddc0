/* confab-history.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-history"

#include "config.h"

#include <sqlite3.h>

#include "confab-history.h"

/* A room's event log. Every event goes to SQLite, so that a room keeps its history across
 * restarts; the most recent `capacity` events also stay in memory, so that sending a late
 * joiner its backlog never touches the disk and never costs more than the backlog itself.
 * Writes are grouped into one transaction per 100 ms (or per COMMIT_EVERY events), because
 * a transaction per message would cost a disk write per message; a crash loses at most the
 * last 100 ms of history, a clean stop nothing (the server flushes). */

#define DEFAULT_CAPACITY 200
#define COMMIT_EVERY 1024
#define COMMIT_DELAY_MS 100

struct _ConfabHistory
{
  GObject       parent_instance;

  char         *path;
  char         *id;
  sqlite3      *db;
  sqlite3_stmt *insert;
  gint64        last_id;
  gint64        count;
  guint         capacity;

  /* The newest events, oldest first, and their cids. */
  GQueue        recent;
  GHashTable   *cids;

  guint         pending;
  guint         commit_source;
};

G_DEFINE_FINAL_TYPE (ConfabHistory, confab_history, G_TYPE_OBJECT)

G_DEFINE_QUARK (confab-history-error-quark, confab_history_error)

enum {
  PROP_0,
  PROP_LAST_ID,
  PROP_CAPACITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char schema[] =
  "PRAGMA journal_mode = WAL;"
  "PRAGMA synchronous = NORMAL;"
  /* Reads come from memory (the recent window); a small page cache is enough for writes. */
  "PRAGMA cache_size = -256;"
  "CREATE TABLE IF NOT EXISTS meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS events ("
  "  id INTEGER PRIMARY KEY,"
  "  kind INTEGER NOT NULL,"
  "  event INTEGER NOT NULL DEFAULT 0,"
  "  username TEXT,"
  "  previous TEXT,"
  "  text TEXT NOT NULL,"
  "  timestamp TEXT NOT NULL,"
  "  cid TEXT,"
  "  count INTEGER NOT NULL DEFAULT 1,"
  "  usernames TEXT);";

/* Columns added after the first release of the schema, for histories made before them. */
static const char * const added_columns[] = {
  "ALTER TABLE events ADD COLUMN count INTEGER NOT NULL DEFAULT 1",
  "ALTER TABLE events ADD COLUMN usernames TEXT",
};

static gboolean
set_sqlite_error (GError    **error,
                  int         code,
                  sqlite3    *db,
                  const char *what)
{
  g_set_error (error, CONFAB_HISTORY_ERROR, code, "%s: %s", what,
               db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
exec_sql (ConfabHistory  *self,
          const char     *sql,
          GError        **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, CONFAB_HISTORY_ERROR, CONFAB_HISTORY_ERROR_WRITE,
                   "History database: %s", message ? message : "unknown error");
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static ConfabMessage *
message_from_row (sqlite3_stmt *stmt)
{
  g_autofree char *username = column_dup (stmt, 3);
  g_autofree char *previous = column_dup (stmt, 4);
  g_autofree char *text = column_dup (stmt, 5);
  g_autofree char *stamp = column_dup (stmt, 6);
  g_autofree char *cid = column_dup (stmt, 7);
  g_autofree char *usernames = column_dup (stmt, 9);
  gint64 count = sqlite3_column_int64 (stmt, 8);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) timestamp = NULL;
  ConfabMessage *message;

  if (stamp != NULL)
    timestamp = g_date_time_new_from_iso8601 (stamp, local);

  if (sqlite3_column_int (stmt, 1) == CONFAB_MESSAGE_KIND_SYSTEM)
    message = confab_message_new_system (CLAMP (sqlite3_column_int (stmt, 2),
                                                CONFAB_SYSTEM_EVENT_NONE,
                                                CONFAB_SYSTEM_EVENT_RENAME),
                                         username, previous, text ? text : "", timestamp);
  else
    message = confab_message_new_chat (username, text ? text : "", timestamp);

  confab_message_set_id (message, sqlite3_column_int64 (stmt, 0));
  confab_message_set_cid (message, cid);

  /* A join or leave of several people: the names are kept one a line (names have no
   * control characters). */
  if (count > 1)
    {
      g_auto(GStrv) names = usernames && usernames[0] ? g_strsplit (usernames, "\n", -1)
                                                      : g_new0 (char *, 1);

      confab_message_set_group (message, (guint)MIN (count, G_MAXUINT), (const char * const *)names);
    }

  return message;
}

static void
remember (ConfabHistory *self,
          ConfabMessage *message)
{
  const char *cid = confab_message_get_cid (message);

  g_queue_push_tail (&self->recent, g_object_ref (message));
  if (cid != NULL)
    g_hash_table_replace (self->cids, (gpointer)cid, message);
}

static void
forget_oldest (ConfabHistory *self)
{
  g_autoptr(ConfabMessage) oldest = g_queue_pop_head (&self->recent);
  const char *cid = confab_message_get_cid (oldest);

  if (cid != NULL && g_hash_table_lookup (self->cids, cid) == oldest)
    g_hash_table_remove (self->cids, cid);
}

static void
clear_recent (ConfabHistory *self)
{
  g_hash_table_remove_all (self->cids);
  g_queue_clear_full (&self->recent, g_object_unref);
}

/* Fills the in-memory window with the newest `capacity` events from disk. */
static gboolean
load_recent (ConfabHistory  *self,
             GError        **error)
{
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, kind, event, username, previous, text, timestamp, cid, count, usernames "
                          "FROM events ORDER BY id DESC LIMIT ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (error, CONFAB_HISTORY_ERROR_CORRUPT, self->db, "Reading history");

  sqlite3_bind_int64 (stmt, 1, self->capacity);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (loaded, message_from_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, CONFAB_HISTORY_ERROR_CORRUPT, self->db, "Reading history");

  clear_recent (self);
  for (guint i = loaded->len; i > 0; i--)
    remember (self, g_ptr_array_index (loaded, i - 1));

  return TRUE;
}

static gboolean
load_meta (ConfabHistory  *self,
           GError        **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = 'history'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (error, CONFAB_HISTORY_ERROR_CORRUPT, self->db, "Reading history");

  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->id = column_dup (stmt, 0);
  sqlite3_finalize (stmt);

  if (self->id == NULL)
    {
      char *sql;
      gboolean ok;

      /* A new history gets a name of its own, so that clients can tell it from an old one. */
      self->id = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
      sql = sqlite3_mprintf ("INSERT INTO meta (key, value) VALUES ('history', %Q);", self->id);
      ok = exec_sql (self, sql, error);
      sqlite3_free (sql);
      if (!ok)
        return FALSE;
    }

  if (sqlite3_prepare_v2 (self->db, "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM events",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (error, CONFAB_HISTORY_ERROR_CORRUPT, self->db, "Reading history");

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      self->last_id = sqlite3_column_int64 (stmt, 0);
      self->count = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);

  return TRUE;
}

static gboolean
commit_cb (gpointer user_data)
{
  ConfabHistory *self = CONFAB_HISTORY (user_data);
  g_autoptr(GError) error = NULL;

  g_assert (CONFAB_IS_HISTORY (self));

  self->commit_source = 0;
  if (!confab_history_flush (self, &error))
    g_warning ("Could not save the room's history: %s", error->message);

  return G_SOURCE_REMOVE;
}

static gboolean
write_event (ConfabHistory  *self,
             ConfabMessage  *message,
             GError        **error)
{
  g_autofree char *stamp = g_date_time_format_iso8601 (confab_message_get_timestamp (message));
  const char * const *names = confab_message_get_usernames (message);
  g_autofree char *usernames = names ? g_strjoinv ("\n", (char **)names) : NULL;
  sqlite3_stmt *stmt = self->insert;
  int rc;

  if (self->pending == 0 && !exec_sql (self, "BEGIN", error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, confab_message_get_id (message));
  sqlite3_bind_int (stmt, 2, confab_message_get_kind (message));
  sqlite3_bind_int (stmt, 3, confab_message_get_event (message));
  sqlite3_bind_text (stmt, 4, confab_message_get_username (message), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, confab_message_get_previous (message), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, confab_message_get_text (message), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, stamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, confab_message_get_cid (message), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, confab_message_get_count (message));
  sqlite3_bind_text (stmt, 10, usernames, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  self->pending++;

  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, CONFAB_HISTORY_ERROR_WRITE, self->db, "Saving an event");

  if (self->pending >= COMMIT_EVERY)
    return confab_history_flush (self, error);

  if (self->commit_source == 0)
    self->commit_source = g_timeout_add_full (G_PRIORITY_LOW, COMMIT_DELAY_MS, commit_cb, self, NULL);

  return TRUE;
}

static void
confab_history_finalize (GObject *object)
{
  ConfabHistory *self = (ConfabHistory *)object;
  g_autoptr(GError) error = NULL;

  if (!confab_history_flush (self, &error))
    g_warning ("Could not save the room's history: %s", error->message);

  g_clear_handle_id (&self->commit_source, g_source_remove);
  g_clear_pointer (&self->insert, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  clear_recent (self);
  g_clear_pointer (&self->cids, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->id, g_free);

  G_OBJECT_CLASS (confab_history_parent_class)->finalize (object);
}

static void
confab_history_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ConfabHistory *self = CONFAB_HISTORY (object);

  switch (prop_id)
    {
    case PROP_LAST_ID:
      g_value_set_int64 (value, self->last_id);
      break;

    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_history_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ConfabHistory *self = CONFAB_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      confab_history_set_capacity (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_history_class_init (ConfabHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = confab_history_finalize;
  object_class->get_property = confab_history_get_property;
  object_class->set_property = confab_history_set_property;

  /**
   * ConfabHistory:last-id:
   *
   * The id of the newest event, 0 while the history is empty.
   */
  properties[PROP_LAST_ID] =
    g_param_spec_int64 ("last-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ConfabHistory:capacity:
   *
   * How many of the newest events are kept in memory: the most a backlog can hold.
   */
  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 1, G_MAXINT, DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_history_init (ConfabHistory *self)
{
  self->capacity = DEFAULT_CAPACITY;
  self->cids = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->recent);
}

/**
 * confab_history_new:
 * @path: (nullable): the SQLite file, created if missing; %NULL keeps the history in memory
 *
 * Opens a room's history.
 *
 * Returns: (transfer full) (nullable): the history, or %NULL with @error set
 */
ConfabHistory *
confab_history_new (const char  *path,
                    GError     **error)
{
  g_autoptr(ConfabHistory) self = g_object_new (CONFAB_TYPE_HISTORY, NULL);
  int rc;

  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path ? path : ":memory:", &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, CONFAB_HISTORY_ERROR_OPEN, self->db, "Opening the history");
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 2000);

  if (!exec_sql (self, schema, error))
    return NULL;

  /* Fails with "duplicate column" where the column is there already: that is fine. */
  for (guint i = 0; i < G_N_ELEMENTS (added_columns); i++)
    sqlite3_exec (self->db, added_columns[i], NULL, NULL, NULL);

  if (!load_meta (self, error) || !load_recent (self, error))
    return NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO events (id, kind, event, username, previous, text, timestamp, cid, count, usernames) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &self->insert, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, CONFAB_HISTORY_ERROR_CORRUPT, self->db, "Opening the history");
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * confab_history_get_id:
 *
 * Returns: the name of this history, which a new history never shares
 */
const char *
confab_history_get_id (ConfabHistory *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);

  return self->id;
}

const char *
confab_history_get_path (ConfabHistory *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);

  return self->path;
}

gint64
confab_history_get_last_id (ConfabHistory *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY (self), 0);

  return self->last_id;
}

/**
 * confab_history_get_count:
 *
 * Returns: how many events the history holds, on disk and in memory
 */
gint64
confab_history_get_count (ConfabHistory *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY (self), 0);

  return self->count;
}

guint
confab_history_get_capacity (ConfabHistory *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY (self), 0);

  return self->capacity;
}

/**
 * confab_history_set_capacity:
 * @capacity: how many of the newest events to keep in memory
 *
 * Sets the size of the in-memory window; the backlog a client gets is at most this long.
 */
void
confab_history_set_capacity (ConfabHistory *self,
                             guint          capacity)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CONFAB_IS_HISTORY (self));
  g_return_if_fail (capacity > 0);

  if (self->capacity == capacity)
    return;

  self->capacity = capacity;

  if (capacity > self->recent.length && self->recent.length < self->count)
    {
      /* Growing: bring older events back from disk. */
      if (!confab_history_flush (self, &error) || !load_recent (self, &error))
        g_warning ("Could not read the room's history: %s", error->message);
    }

  while (self->recent.length > capacity)
    forget_oldest (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY]);
}

/**
 * confab_history_append:
 * @message: an event without an id
 *
 * Gives @message the next id and records it. A failure to write to disk is logged and
 * does not lose the event for the clients connected now.
 *
 * Returns: the id given
 */
gint64
confab_history_append (ConfabHistory *self,
                       ConfabMessage *message)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), 0);
  g_return_val_if_fail (CONFAB_IS_MESSAGE (message), 0);

  self->last_id++;
  self->count++;
  confab_message_set_id (message, self->last_id);

  remember (self, message);
  if (self->recent.length > self->capacity)
    forget_oldest (self);

  if (!write_event (self, message, &error))
    g_warning ("Could not save event %" G_GINT64_FORMAT ": %s", self->last_id, error->message);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ID]);

  return self->last_id;
}

/**
 * confab_history_lookup_cid:
 * @cid: a client's token for a message
 *
 * Finds a recent event by the token its sender gave it, so that a message resent after a
 * reconnect is not recorded twice.
 *
 * Returns: (transfer none) (nullable): the event, if it is among the recent ones
 */
ConfabMessage *
confab_history_lookup_cid (ConfabHistory *self,
                           const char    *cid)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);

  if (cid == NULL)
    return NULL;

  return g_hash_table_lookup (self->cids, cid);
}

/**
 * confab_history_get_backlog:
 * @after_id: send what comes after this id; 0 or less for "the newest ones"
 * @limit: at most this many (and never more than the capacity)
 * @gap: (out) (optional): set to %TRUE when events after @after_id were left out
 *
 * Returns: (transfer container) (element-type ConfabMessage): the events, oldest first
 */
GPtrArray *
confab_history_get_backlog (ConfabHistory *self,
                            gint64         after_id,
                            guint          limit,
                            gboolean      *gap)
{
  GPtrArray *events;
  guint n = 0;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);

  limit = MIN (limit, self->recent.length);
  events = g_ptr_array_new_full (limit, g_object_unref);

  /* Walk back from the newest event; the in-memory window holds every event a backlog can
   * contain, so the disk is never read here. */
  for (GList *l = self->recent.tail; l != NULL && n < limit; l = l->prev, n++)
    {
      if (confab_message_get_id (l->data) <= after_id)
        break;
    }

  for (GList *l = g_queue_peek_nth_link (&self->recent, self->recent.length - n); l; l = l->next)
    g_ptr_array_add (events, g_object_ref (l->data));

  if (gap != NULL)
    {
      gint64 first = events->len > 0 ? confab_message_get_id (g_ptr_array_index (events, 0))
                                     : self->last_id + 1;
      *gap = after_id > 0 && first > after_id + 1;
    }

  return events;
}

/**
 * confab_history_flush:
 *
 * Commits what has been appended to disk now, rather than when the main loop is idle.
 *
 * Returns: %TRUE on success
 */
gboolean
confab_history_flush (ConfabHistory  *self,
                      GError        **error)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY (self), FALSE);

  g_clear_handle_id (&self->commit_source, g_source_remove);

  if (self->pending == 0)
    return TRUE;

  self->pending = 0;

  return exec_sql (self, "COMMIT", error);
}
