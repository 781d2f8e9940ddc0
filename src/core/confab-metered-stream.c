/* confab-metered-stream.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-metered-stream"

#include "config.h"

#include <string.h>

#include "confab-metered-stream.h"

/* The stream under each server-side SoupWebsocketConnection. Reading passes straight
 * through. Writing is corked: what libsoup writes, and the frames the server queues itself,
 * go into a queue of byte chunks that is flushed once per main-loop iteration with one
 * writev() per connection, instead of one send() per frame.
 *
 * That does three things libsoup 3.2 cannot do by itself:
 * - a broadcast frame is built once and the same bytes are queued on every connection
 *   (server frames are not masked, so they are identical for every client);
 * - many frames to one client leave in one system call;
 * - the number of bytes waiting for a client is known exactly, so that a reader that stops
 *   reading can be let go before it costs the host its memory.
 *
 * libsoup's own writes (pongs, close frames) are accepted at once, always, so that its
 * internal queue stays empty and its frames and ours keep their order in our queue. */

#define MAX_VECTORS 64
#define SMALL_QUEUE 16
/* Past this many unsent bytes even libsoup's own writes fail, whatever the server does:
 * a peer that sends pings and never reads cannot grow the queue without end. */
#define HARD_LIMIT (16 * 1024 * 1024)
/* How long a closing stream may take to deliver what is queued. */
#define CLOSE_FLUSH_TIMEOUT_SECONDS 5

struct _ConfabFlushGroup
{
  gatomicrefcount  ref_count;
  GSource         *source;
  GPtrArray       *dirty;
};

typedef struct
{
  GSource           source;
  ConfabFlushGroup *group;
} FlushSource;

#define CONFAB_TYPE_METERED_OUTPUT (confab_metered_output_get_type ())

G_DECLARE_FINAL_TYPE (ConfabMeteredOutput, confab_metered_output, CONFAB, METERED_OUTPUT, GOutputStream)

typedef struct
{
  GBytes *bytes;
  gsize   offset;
} Chunk;

struct _ConfabMeteredOutput
{
  GOutputStream     parent_instance;
  GOutputStream    *base;
  ConfabFlushGroup *group;
  /* Chunk[], unsent from `head` on: no allocation per queued frame. */
  GArray           *chunks;
  guint             head;
  gsize             pending;
  guint64           written;
  GSource          *writable_source;
  GError           *error;
  GTask            *close_task;
  GSource          *close_timeout;
  guint             dirty : 1;
};

/* The reading side counts too: libsoup 3.2 reassembles a fragmented message without any
 * limit on its total size, so a peer could grow the host's memory with continuation
 * frames that never end. Past `limit` bytes read since the last complete message, reading
 * fails and libsoup drops the connection. */
#define CONFAB_TYPE_METERED_INPUT (confab_metered_input_get_type ())

G_DECLARE_FINAL_TYPE (ConfabMeteredInput, confab_metered_input, CONFAB, METERED_INPUT, GInputStream)

struct _ConfabMeteredInput
{
  GInputStream  parent_instance;
  GInputStream *base;
  guint64       read;
  guint64       mark;
  guint64       limit;
};

struct _ConfabMeteredStream
{
  GIOStream            parent_instance;
  GIOStream           *base;
  ConfabMeteredInput  *input;
  ConfabMeteredOutput *output;
};

static void confab_metered_output_pollable_init (GPollableOutputStreamInterface *iface);
static void flush_output (ConfabMeteredOutput *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabMeteredOutput, confab_metered_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      confab_metered_output_pollable_init))

static void confab_metered_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabMeteredInput, confab_metered_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      confab_metered_input_pollable_init))

G_DEFINE_FINAL_TYPE (ConfabMeteredStream, confab_metered_stream, G_TYPE_IO_STREAM)

static gssize
count_read (ConfabMeteredInput  *self,
            gssize               ret,
            GError             **error)
{
  if (ret > 0)
    {
      self->read += ret;
      if (self->limit > 0 && self->read - self->mark > self->limit)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "More than %" G_GUINT64_FORMAT " bytes without a complete message",
                       self->limit);
          return -1;
        }
    }

  return ret;
}

static gssize
confab_metered_input_read (GInputStream  *stream,
                           void          *buffer,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  ConfabMeteredInput *self = CONFAB_METERED_INPUT (stream);

  return count_read (self, g_input_stream_read (self->base, buffer, count, cancellable, error), error);
}

static gssize
confab_metered_input_read_nonblocking (GPollableInputStream  *stream,
                                       void                  *buffer,
                                       gsize                  count,
                                       GError               **error)
{
  ConfabMeteredInput *self = CONFAB_METERED_INPUT (stream);
  gssize ret;

  ret = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base),
                                                  buffer, count, NULL, error);

  return count_read (self, ret, error);
}

static gboolean
confab_metered_input_close (GInputStream  *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static gboolean
confab_metered_input_can_poll (GPollableInputStream *stream)
{
  ConfabMeteredInput *self = CONFAB_METERED_INPUT (stream);

  return g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->base));
}

static gboolean
confab_metered_input_is_readable (GPollableInputStream *stream)
{
  ConfabMeteredInput *self = CONFAB_METERED_INPUT (stream);

  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
confab_metered_input_create_source (GPollableInputStream *stream,
                                    GCancellable         *cancellable)
{
  ConfabMeteredInput *self = CONFAB_METERED_INPUT (stream);
  g_autoptr(GSource) base_source = NULL;

  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);

  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static void
confab_metered_input_finalize (GObject *object)
{
  ConfabMeteredInput *self = CONFAB_METERED_INPUT (object);

  g_clear_object (&self->base);

  G_OBJECT_CLASS (confab_metered_input_parent_class)->finalize (object);
}

static void
confab_metered_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = confab_metered_input_can_poll;
  iface->is_readable = confab_metered_input_is_readable;
  iface->create_source = confab_metered_input_create_source;
  iface->read_nonblocking = confab_metered_input_read_nonblocking;
}

static void
confab_metered_input_class_init (ConfabMeteredInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = confab_metered_input_finalize;
  stream_class->read_fn = confab_metered_input_read;
  stream_class->close_fn = confab_metered_input_close;
}

static void
confab_metered_input_init (ConfabMeteredInput *self)
{
}

static gboolean
flush_source_prepare (GSource *source,
                      gint    *timeout)
{
  FlushSource *flush = (FlushSource *)source;

  *timeout = -1;

  return flush->group->dirty->len > 0;
}

static gboolean
flush_source_check (GSource *source)
{
  FlushSource *flush = (FlushSource *)source;

  return flush->group->dirty->len > 0;
}

static gboolean
flush_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  FlushSource *flush = (FlushSource *)source;
  g_autoptr(GPtrArray) dirty = NULL;

  /* Swap the list: flushing may mark streams dirty again (a close that completes). */
  dirty = g_steal_pointer (&flush->group->dirty);
  flush->group->dirty = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < dirty->len; i++)
    {
      ConfabMeteredOutput *output = g_ptr_array_index (dirty, i);

      output->dirty = FALSE;
      flush_output (output);
    }

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs flush_source_funcs = {
  flush_source_prepare,
  flush_source_check,
  flush_source_dispatch,
  NULL, NULL, NULL,
};

/**
 * confab_flush_group_new:
 * @context: (nullable): the main context the streams are used on
 *
 * Returns: (transfer full): a group whose streams are flushed together, once per iteration
 *   of @context
 */
ConfabFlushGroup *
confab_flush_group_new (GMainContext *context)
{
  ConfabFlushGroup *group = g_new0 (ConfabFlushGroup, 1);
  FlushSource *source;

  g_atomic_ref_count_init (&group->ref_count);
  group->dirty = g_ptr_array_new_with_free_func (g_object_unref);

  /* Same priority as socket input: what one iteration reads is sent by the next. */
  group->source = g_source_new (&flush_source_funcs, sizeof (FlushSource));
  source = (FlushSource *)group->source;
  source->group = group;
  g_source_set_priority (group->source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (group->source, "ConfabFlushGroup");
  g_source_attach (group->source, context);

  return group;
}

ConfabFlushGroup *
confab_flush_group_ref (ConfabFlushGroup *group)
{
  g_atomic_ref_count_inc (&group->ref_count);

  return group;
}

void
confab_flush_group_unref (ConfabFlushGroup *group)
{
  if (!g_atomic_ref_count_dec (&group->ref_count))
    return;

  g_source_destroy (group->source);
  g_source_unref (group->source);
  g_ptr_array_unref (group->dirty);
  g_free (group);
}

static void
mark_dirty (ConfabMeteredOutput *self)
{
  if (self->dirty || self->writable_source != NULL || self->group == NULL)
    return;

  self->dirty = TRUE;
  g_ptr_array_add (self->group->dirty, g_object_ref (self));
}

static void
drop_chunks (ConfabMeteredOutput *self)
{
  for (guint i = self->head; i < self->chunks->len; i++)
    g_bytes_unref (g_array_index (self->chunks, Chunk, i).bytes);

  g_array_set_size (self->chunks, 0);
  self->head = 0;
  self->pending = 0;
}

static void
append_chunk (ConfabMeteredOutput *self,
              GBytes              *bytes)
{
  Chunk chunk = { bytes, 0 };

  g_array_append_val (self->chunks, chunk);
  self->pending += g_bytes_get_size (bytes);
  mark_dirty (self);
}

/* Forgets the first @sent bytes of the queue, which are on their way. */
static void
consume (ConfabMeteredOutput *self,
         gsize                sent)
{
  self->written += sent;
  self->pending -= sent;

  while (sent > 0)
    {
      Chunk *chunk = &g_array_index (self->chunks, Chunk, self->head);
      gsize left = g_bytes_get_size (chunk->bytes) - chunk->offset;

      if (sent < left)
        {
          chunk->offset += sent;
          break;
        }

      sent -= left;
      g_bytes_unref (chunk->bytes);
      self->head++;
    }

  if (self->head == self->chunks->len)
    {
      /* A burst (a backlog, a busy minute) grew the array: give its memory back, since an
       * idle connection should cost as little as possible. */
      if (self->chunks->len > SMALL_QUEUE)
        {
          g_array_unref (self->chunks);
          self->chunks = g_array_new (FALSE, FALSE, sizeof (Chunk));
        }
      else
        g_array_set_size (self->chunks, 0);
      self->head = 0;
    }
  else if (self->head >= 1024 && self->head * 2 >= self->chunks->len)
    {
      g_array_remove_range (self->chunks, 0, self->head);
      self->head = 0;
    }
}

static void finish_close (ConfabMeteredOutput *self);

static gboolean
writable_cb (GObject  *stream,
             gpointer  user_data)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (user_data);

  g_clear_pointer (&self->writable_source, g_source_unref);
  flush_output (self);

  return G_SOURCE_REMOVE;
}

/* Writes as much as the socket takes now; waits for it to be writable for the rest. */
static void
flush_output (ConfabMeteredOutput *self)
{
  while (self->pending > 0 && self->error == NULL)
    {
      GOutputVector vectors[MAX_VECTORS];
      guint n = 0;
      gsize sent = 0;
      GPollableReturn ret;
      GError *error = NULL;

      for (guint i = self->head; i < self->chunks->len && n < MAX_VECTORS; i++, n++)
        {
          Chunk *chunk = &g_array_index (self->chunks, Chunk, i);
          gsize size;
          const guint8 *data = g_bytes_get_data (chunk->bytes, &size);

          vectors[n].buffer = data + chunk->offset;
          vectors[n].size = size - chunk->offset;
        }

      ret = g_pollable_output_stream_writev_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                         vectors, n, &sent, NULL, &error);
      if (ret == G_POLLABLE_RETURN_WOULD_BLOCK)
        {
          g_autoptr(GSource) source = NULL;

          source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->base), NULL);
          g_source_set_callback (source, (GSourceFunc)(void (*) (void))writable_cb, self, NULL);
          g_source_set_static_name (source, "ConfabMeteredOutput writable");
          g_source_attach (source, g_main_context_get_thread_default ());
          self->writable_source = g_steal_pointer (&source);
          return;
        }

      if (ret == G_POLLABLE_RETURN_FAILED)
        {
          /* The peer is gone; libsoup hears of it on the reading side. */
          g_debug ("Write failed: %s", error->message);
          self->error = error;
          drop_chunks (self);
          break;
        }

      consume (self, sent);
    }

  if (self->pending == 0 && self->close_task != NULL)
    finish_close (self);
}

static gssize
confab_metered_output_write_nonblocking (GPollableOutputStream  *stream,
                                         const void             *buffer,
                                         gsize                   count,
                                         GError                **error)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (stream);

  if (self->error != NULL)
    {
      g_set_error_literal (error, self->error->domain, self->error->code, self->error->message);
      return -1;
    }

  if (self->pending > HARD_LIMIT)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           "The peer has not read what was sent to it");
      return -1;
    }

  if (count > 0)
    append_chunk (self, g_bytes_new (buffer, count));

  return count;
}

static gssize
confab_metered_output_write (GOutputStream  *stream,
                             const void     *buffer,
                             gsize           count,
                             GCancellable   *cancellable,
                             GError        **error)
{
  return confab_metered_output_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (stream),
                                                  buffer, count, error);
}

static gboolean
confab_metered_output_close (GOutputStream  *stream,
                             GCancellable   *cancellable,
                             GError        **error)
{
  /* The base stream is closed with the GIOStream that owns it. */
  return TRUE;
}

static gboolean
confab_metered_output_can_poll (GPollableOutputStream *stream)
{
  return TRUE;
}

static gboolean
confab_metered_output_is_writable (GPollableOutputStream *stream)
{
  /* Writes are always taken (or fail): libsoup never needs to wait. */
  return TRUE;
}

static GSource *
confab_metered_output_create_source (GPollableOutputStream *stream,
                                     GCancellable          *cancellable)
{
  g_autoptr(GSource) ready = g_timeout_source_new (0);

  return g_pollable_source_new_full (stream, ready, cancellable);
}

static void
confab_metered_output_dispose (GObject *object)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (object);

  if (self->writable_source != NULL)
    {
      g_source_destroy (self->writable_source);
      g_clear_pointer (&self->writable_source, g_source_unref);
    }
  if (self->close_timeout != NULL)
    {
      g_source_destroy (self->close_timeout);
      g_clear_pointer (&self->close_timeout, g_source_unref);
    }

  G_OBJECT_CLASS (confab_metered_output_parent_class)->dispose (object);
}

static void
confab_metered_output_finalize (GObject *object)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (object);

  drop_chunks (self);
  g_clear_pointer (&self->chunks, g_array_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->base);
  g_clear_pointer (&self->group, confab_flush_group_unref);

  G_OBJECT_CLASS (confab_metered_output_parent_class)->finalize (object);
}

static void
confab_metered_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = confab_metered_output_can_poll;
  iface->is_writable = confab_metered_output_is_writable;
  iface->create_source = confab_metered_output_create_source;
  iface->write_nonblocking = confab_metered_output_write_nonblocking;
}

static void
confab_metered_output_class_init (ConfabMeteredOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->dispose = confab_metered_output_dispose;
  object_class->finalize = confab_metered_output_finalize;
  stream_class->write_fn = confab_metered_output_write;
  stream_class->close_fn = confab_metered_output_close;
}

static void
confab_metered_output_init (ConfabMeteredOutput *self)
{
  self->chunks = g_array_new (FALSE, FALSE, sizeof (Chunk));
}

static GInputStream *
confab_metered_stream_get_input_stream (GIOStream *stream)
{
  ConfabMeteredStream *self = CONFAB_METERED_STREAM (stream);

  return G_INPUT_STREAM (self->input);
}

static GOutputStream *
confab_metered_stream_get_output_stream (GIOStream *stream)
{
  ConfabMeteredStream *self = CONFAB_METERED_STREAM (stream);

  return G_OUTPUT_STREAM (self->output);
}

static gboolean
confab_metered_stream_close (GIOStream     *stream,
                             GCancellable  *cancellable,
                             GError       **error)
{
  ConfabMeteredStream *self = CONFAB_METERED_STREAM (stream);

  drop_chunks (self->output);

  return g_io_stream_close (self->base, cancellable, error);
}

static void
base_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Everything queued has been written, or the time to write it is up: close the socket. */
static void
finish_close (ConfabMeteredOutput *self)
{
  GTask *task = g_steal_pointer (&self->close_task);
  ConfabMeteredStream *stream = g_task_get_source_object (task);

  if (self->close_timeout != NULL)
    {
      g_source_destroy (self->close_timeout);
      g_clear_pointer (&self->close_timeout, g_source_unref);
    }
  if (self->writable_source != NULL)
    {
      g_source_destroy (self->writable_source);
      g_clear_pointer (&self->writable_source, g_source_unref);
    }
  drop_chunks (self);

  g_io_stream_close_async (stream->base, g_task_get_priority (task), NULL, base_closed_cb, task);
}

static gboolean
close_timeout_cb (gpointer user_data)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (user_data);

  g_clear_pointer (&self->close_timeout, g_source_unref);
  g_debug ("Closing with %" G_GSIZE_FORMAT " bytes unsent", self->pending);
  finish_close (self);

  return G_SOURCE_REMOVE;
}

static void
confab_metered_stream_close_async (GIOStream           *stream,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  ConfabMeteredStream *self = CONFAB_METERED_STREAM (stream);
  ConfabMeteredOutput *output = self->output;
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_metered_stream_close_async);
  g_task_set_priority (task, io_priority);
  output->close_task = task;

  /* The close frame libsoup just wrote is at the end of the queue: deliver what we can
   * first, for a while. */
  flush_output (output);
  if (output->close_task != NULL)
    {
      output->close_timeout = g_timeout_source_new_seconds (CLOSE_FLUSH_TIMEOUT_SECONDS);
      g_source_set_callback (output->close_timeout, close_timeout_cb, output, NULL);
      g_source_attach (output->close_timeout, g_main_context_get_thread_default ());
    }
}

static gboolean
confab_metered_stream_close_finish (GIOStream     *stream,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
confab_metered_stream_finalize (GObject *object)
{
  ConfabMeteredStream *self = CONFAB_METERED_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (confab_metered_stream_parent_class)->finalize (object);
}

static void
confab_metered_stream_class_init (ConfabMeteredStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = confab_metered_stream_finalize;
  stream_class->get_input_stream = confab_metered_stream_get_input_stream;
  stream_class->get_output_stream = confab_metered_stream_get_output_stream;
  stream_class->close_fn = confab_metered_stream_close;
  stream_class->close_async = confab_metered_stream_close_async;
  stream_class->close_finish = confab_metered_stream_close_finish;
}

static void
confab_metered_stream_init (ConfabMeteredStream *self)
{
}

/**
 * confab_metered_stream_new:
 * @base: a stream whose output stream is pollable
 * @group: (nullable): the group to flush with; %NULL writes nothing until... never: pass one
 *
 * Returns: (transfer full): a stream that reads from @base and writes to it corked
 */
GIOStream *
confab_metered_stream_new (GIOStream        *base,
                           ConfabFlushGroup *group)
{
  ConfabMeteredStream *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (base)), NULL);
  g_return_val_if_fail (group != NULL, NULL);

  self = g_object_new (CONFAB_TYPE_METERED_STREAM, NULL);
  self->base = g_object_ref (base);
  self->input = g_object_new (CONFAB_TYPE_METERED_INPUT, NULL);
  self->input->base = g_object_ref (g_io_stream_get_input_stream (base));
  self->output = g_object_new (CONFAB_TYPE_METERED_OUTPUT, NULL);
  self->output->base = g_object_ref (g_io_stream_get_output_stream (base));
  self->output->group = confab_flush_group_ref (group);

  return G_IO_STREAM (self);
}

GIOStream *
confab_metered_stream_get_base (ConfabMeteredStream *self)
{
  g_return_val_if_fail (CONFAB_IS_METERED_STREAM (self), NULL);

  return self->base;
}

/**
 * confab_metered_stream_queue:
 * @bytes: bytes ready for the wire (a whole WebSocket frame)
 *
 * Queues @bytes, without copying them, after everything queued so far.
 */
void
confab_metered_stream_queue (ConfabMeteredStream *self,
                             GBytes              *bytes)
{
  g_return_if_fail (CONFAB_IS_METERED_STREAM (self));

  if (self->output->error != NULL || self->output->close_task != NULL)
    return;

  append_chunk (self->output, g_bytes_ref (bytes));
}

/**
 * confab_metered_stream_get_pending:
 *
 * Returns: how many bytes are queued and not yet handed to the kernel
 */
gsize
confab_metered_stream_get_pending (ConfabMeteredStream *self)
{
  g_return_val_if_fail (CONFAB_IS_METERED_STREAM (self), 0);

  return self->output->pending;
}

guint64
confab_metered_stream_get_bytes_written (ConfabMeteredStream *self)
{
  g_return_val_if_fail (CONFAB_IS_METERED_STREAM (self), 0);

  return self->output->written;
}

/**
 * confab_metered_stream_set_read_limit:
 * @limit: how many bytes may be read between two calls to
 *   confab_metered_stream_mark_read(); 0 for no limit
 */
void
confab_metered_stream_set_read_limit (ConfabMeteredStream *self,
                                      guint64              limit)
{
  g_return_if_fail (CONFAB_IS_METERED_STREAM (self));

  self->input->limit = limit;
}

/**
 * confab_metered_stream_mark_read:
 *
 * Says that what was read so far made sense (a whole message, a pong): the read limit
 * counts from here.
 */
void
confab_metered_stream_mark_read (ConfabMeteredStream *self)
{
  g_return_if_fail (CONFAB_IS_METERED_STREAM (self));

  self->input->mark = self->input->read;
}

gboolean
confab_metered_stream_get_failed (ConfabMeteredStream *self)
{
  g_return_val_if_fail (CONFAB_IS_METERED_STREAM (self), FALSE);

  return self->output->error != NULL;
}

/**
 * confab_websocket_text_frame:
 * @payload: UTF-8 text
 *
 * Builds a whole, unfragmented, unmasked text frame (RFC 6455 §5.2), as a server sends it,
 * so that one frame can be queued on every connection.
 *
 * Returns: (transfer full): header and payload in one buffer
 */
GBytes *
confab_websocket_text_frame (const void *payload,
                             gsize       length)
{
  guint8 *frame;
  gsize header;

  if (length < 126)
    header = 2;
  else if (length <= G_MAXUINT16)
    header = 4;
  else
    header = 10;

  frame = g_malloc (header + length);
  frame[0] = 0x80 | 0x1; /* FIN, text */

  if (header == 2)
    frame[1] = (guint8)length;
  else if (header == 4)
    {
      frame[1] = 126;
      frame[2] = (guint8)(length >> 8);
      frame[3] = (guint8)length;
    }
  else
    {
      frame[1] = 127;
      for (guint i = 0; i < 8; i++)
        frame[2 + i] = (guint8)((guint64)length >> (56 - 8 * i));
    }

  memcpy (frame + header, payload, length);

  return g_bytes_new_take (frame, header + length);
}
