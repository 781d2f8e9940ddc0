/* confab-test-utils.h
 *
 * Copyright 2026 The Confab developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Runs the main context until @cond holds; fails the test after CONFAB_TEST_TIMEOUT seconds.
 * Never a sleep: each turn waits for the next event, with a short tick to re-check @cond. */
#define CONFAB_TEST_TIMEOUT 20

#define WAIT_UNTIL(cond)                                                         \
  G_STMT_START {                                                                 \
    gint64 wait_deadline_ = g_get_monotonic_time () +                            \
                            CONFAB_TEST_TIMEOUT * G_USEC_PER_SEC;                \
    while (!(cond))                                                              \
      {                                                                          \
        if (g_get_monotonic_time () > wait_deadline_)                            \
          g_error ("%s:%d: timed out waiting until %s", __FILE__, __LINE__, #cond); \
        confab_test_iterate ();                                                  \
      }                                                                          \
  } G_STMT_END

void     confab_test_iterate         (void);
void     confab_test_remove_tree     (const char *path);
guint    confab_test_count_chat      (GListModel *model);
gboolean confab_test_avahi_available (void);
void     confab_test_without_system_bus   (void (*check) (void));
void     confab_test_without_avahi_daemon (void (*check) (void));

/* Skips the rest of the test, saying why, when avahi-daemon is not on the system bus. */
#define SKIP_WITHOUT_AVAHI()                                                              \
  G_STMT_START {                                                                          \
    if (!confab_test_avahi_available ())                                                  \
      {                                                                                   \
        g_test_skip ("avahi-daemon is not reachable on the system bus; "                  \
                     "run tests/start-services.sh as root to start it");                  \
        return;                                                                           \
      }                                                                                   \
  } G_STMT_END

/* A raw WebSocket peer that speaks whatever frames a test hands it, and keeps every frame it
 * receives, parsed. Seed-style clients and misbehaving clients are made of these. */
typedef struct _TestPeer TestPeer;

TestPeer                *test_peer_connect        (const char *url);
void                     test_peer_free           (TestPeer   *peer);
void                     test_peer_send           (TestPeer   *peer,
                                                   const char *text);
void                     test_peer_send_binary    (TestPeer   *peer,
                                                   const void *data,
                                                   gsize       length);
guint                    test_peer_n_frames       (TestPeer   *peer);
JsonObject              *test_peer_get_frame      (TestPeer   *peer,
                                                   guint       index);
GPtrArray               *test_peer_frames_of_type (TestPeer   *peer,
                                                   const char *type);
JsonObject              *test_peer_last_of_type   (TestPeer   *peer,
                                                   const char *type);
gboolean                 test_peer_is_closed      (TestPeer   *peer);
gushort                  test_peer_close_code     (TestPeer   *peer);
SoupWebsocketConnection *test_peer_get_connection (TestPeer   *peer);
void                     test_peer_abort          (TestPeer   *peer);

/* A client that completes the handshake and then never reads another byte. */
GSocketConnection       *stalled_peer_connect     (guint       port,
                                                   const char *query);

/* The seed's own FastAPI server (tests/seed/main.py), run with Debian's Python. */
typedef struct _SeedServer SeedServer;

SeedServer *seed_server_start   (GError    **error);
char       *seed_server_get_url (SeedServer *seed);
void        seed_server_stop    (SeedServer *seed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestPeer, test_peer_free)

G_END_DECLS
