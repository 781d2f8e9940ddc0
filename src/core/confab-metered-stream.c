/* confab-metered-stream.c
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "confab-metered-stream"

#include "config.h"

#include "confab-metered-stream.h"

/* A GIOStream that passes everything through to another one and counts the bytes that
 * really left on the output side. The server puts it under each SoupWebsocketConnection:
 * libsoup queues outgoing frames without bound and tells nobody how much is queued, so
 * "bytes handed to libsoup" minus "bytes written" is how far behind a reader is. */

#define CONFAB_TYPE_METERED_OUTPUT (confab_metered_output_get_type ())

G_DECLARE_FINAL_TYPE (ConfabMeteredOutput, confab_metered_output, CONFAB, METERED_OUTPUT, GOutputStream)

struct _ConfabMeteredOutput
{
  GOutputStream  parent_instance;
  GOutputStream *base;
  guint64        written;
};

struct _ConfabMeteredStream
{
  GIOStream            parent_instance;
  GIOStream           *base;
  ConfabMeteredOutput *output;
};

static void confab_metered_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabMeteredOutput, confab_metered_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      confab_metered_output_pollable_init))

G_DEFINE_FINAL_TYPE (ConfabMeteredStream, confab_metered_stream, G_TYPE_IO_STREAM)

static gssize
confab_metered_output_write (GOutputStream  *stream,
                             const void     *buffer,
                             gsize           count,
                             GCancellable   *cancellable,
                             GError        **error)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (stream);
  gssize ret;

  ret = g_output_stream_write (self->base, buffer, count, cancellable, error);
  if (ret > 0)
    self->written += ret;

  return ret;
}

static gboolean
confab_metered_output_flush (GOutputStream  *stream,
                             GCancellable   *cancellable,
                             GError        **error)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (stream);

  return g_output_stream_flush (self->base, cancellable, error);
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
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (stream);

  return G_IS_POLLABLE_OUTPUT_STREAM (self->base) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static gboolean
confab_metered_output_is_writable (GPollableOutputStream *stream)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (stream);

  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static GSource *
confab_metered_output_create_source (GPollableOutputStream *stream,
                                     GCancellable          *cancellable)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (stream);
  g_autoptr(GSource) base_source = NULL;

  base_source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->base), NULL);

  return g_pollable_source_new_full (self, base_source, cancellable);
}

static gssize
confab_metered_output_write_nonblocking (GPollableOutputStream  *stream,
                                         const void             *buffer,
                                         gsize                   count,
                                         GError                **error)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (stream);
  gssize ret;

  ret = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                    buffer, count, NULL, error);
  if (ret > 0)
    self->written += ret;

  return ret;
}

static void
confab_metered_output_finalize (GObject *object)
{
  ConfabMeteredOutput *self = CONFAB_METERED_OUTPUT (object);

  g_clear_object (&self->base);

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

  object_class->finalize = confab_metered_output_finalize;
  stream_class->write_fn = confab_metered_output_write;
  stream_class->flush = confab_metered_output_flush;
  stream_class->close_fn = confab_metered_output_close;
}

static void
confab_metered_output_init (ConfabMeteredOutput *self)
{
}

static GInputStream *
confab_metered_stream_get_input_stream (GIOStream *stream)
{
  ConfabMeteredStream *self = CONFAB_METERED_STREAM (stream);

  return g_io_stream_get_input_stream (self->base);
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

static void
confab_metered_stream_close_async (GIOStream           *stream,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  ConfabMeteredStream *self = CONFAB_METERED_STREAM (stream);
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_metered_stream_close_async);
  g_io_stream_close_async (self->base, io_priority, cancellable, base_closed_cb, task);
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
 *
 * Returns: (transfer full): a stream that reads and writes through @base, counting
 */
GIOStream *
confab_metered_stream_new (GIOStream *base)
{
  ConfabMeteredStream *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (CONFAB_TYPE_METERED_STREAM, NULL);
  self->base = g_object_ref (base);
  self->output = g_object_new (CONFAB_TYPE_METERED_OUTPUT, NULL);
  self->output->base = g_object_ref (g_io_stream_get_output_stream (base));

  return G_IO_STREAM (self);
}

GIOStream *
confab_metered_stream_get_base (ConfabMeteredStream *self)
{
  g_return_val_if_fail (CONFAB_IS_METERED_STREAM (self), NULL);

  return self->base;
}

/**
 * confab_metered_stream_get_bytes_written:
 *
 * Returns: how many bytes have been written to the base stream so far
 */
guint64
confab_metered_stream_get_bytes_written (ConfabMeteredStream *self)
{
  g_return_val_if_fail (CONFAB_IS_METERED_STREAM (self), 0);

  return self->output->written;
}
