/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-vpcd-bridge: cs_vpcd_serve against a fake vpcd, without pcscd or root.
 *
 * The test plays vpcd: it listens on two adjacent loopback ports and speaks
 * the framing as Debian's vpcd does (length and body in separate send()s),
 * while the bridge runs in a thread on a temporary deck.
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cs-deck.h"
#include "cs-vpcd.h"
#include "../test-util.h"

#define WAIT_MS 3000

typedef struct {
  char *dir;
  CsDeck *deck; /* the test's own view of the deck */
  int listen[2]; /* fake vpcd, port and port + 1 */
  guint16 port;
  GCancellable *cancellable;
  GThread *server;
} Fixture;

static gpointer
serve_thread (gpointer data)
{
  Fixture *f = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = cs_deck_open (f->dir, &error);
  gboolean ok;

  g_assert_no_error (error);
  ok = cs_vpcd_serve (deck, "127.0.0.1", f->port, f->cancellable, &error);
  g_assert_no_error (error);
  return GINT_TO_POINTER (ok);
}

static int
listen_on (guint16 port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port) };
  socklen_t len = sizeof sa;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &sa, sizeof sa) != 0 || listen (fd, 0) != 0)
    {
      close (fd);
      return -1;
    }
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &sa, &len), ==, 0);
  return fd;
}

/* Two adjacent free ports, as vpcd uses (slot n on port + n). */
static void
listen_pair (Fixture *f)
{
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      struct sockaddr_in sa;
      socklen_t len = sizeof sa;
      int a = listen_on (0);

      g_assert_cmpint (getsockname (a, (struct sockaddr *) &sa, &len), ==, 0);
      f->port = ntohs (sa.sin_port);
      if (f->port < G_MAXUINT16 && (f->listen[1] = listen_on (f->port + 1)) >= 0)
        {
          f->listen[0] = a;
          return;
        }
      close (a);
    }
  g_assert_not_reached ();
}

static gboolean
readable (int fd, int timeout_ms)
{
  struct pollfd pfd = { .fd = fd, .events = POLLIN };

  return poll (&pfd, 1, timeout_ms) == 1;
}

static int
accept_card (Fixture *f, guint slot)
{
  int fd;

  g_assert_true (readable (f->listen[slot], WAIT_MS));
  fd = accept4 (f->listen[slot], NULL, NULL, SOCK_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  return fd;
}

/* Like Debian's vpcd: the length and the body in two send() calls. */
static void
send_frame (int fd, const guint8 *body, gsize len)
{
  guint8 hdr[2] = { len >> 8, len & 0xff };

  g_assert_cmpint (send (fd, hdr, 2, MSG_NOSIGNAL), ==, 2);
  g_assert_cmpint (send (fd, body, len, MSG_NOSIGNAL), ==, (gssize) len);
}

static gboolean
recv_all (int fd, guint8 *buf, gsize len)
{
  gsize off = 0;

  while (off < len)
    {
      ssize_t n;

      if (!readable (fd, WAIT_MS))
        return FALSE;
      n = recv (fd, buf + off, len - off, 0);
      if (n <= 0)
        return FALSE;
      off += n;
    }
  return TRUE;
}

/* Reads one frame as hex; NULL on EOF. */
static char *
recv_frame (int fd)
{
  guint8 hdr[2], body[0x10000];
  GString *s;
  gsize len;

  if (!recv_all (fd, hdr, 2))
    return NULL;
  len = (hdr[0] << 8) | hdr[1];
  g_assert_cmpuint (len, >, 0); /* P7: never a zero-length frame */
  g_assert_true (recv_all (fd, body, len));
  s = g_string_new (NULL);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, i ? " %02X" : "%02X", body[i]);
  return g_string_free (s, FALSE);
}

static void
assert_eof (int fd)
{
  guint8 b;

  g_assert_true (readable (fd, WAIT_MS));
  g_assert_cmpint (recv (fd, &b, 1, 0), ==, 0);
}

static void
assert_exchange (int fd, const guint8 *body, gsize len, const char *want)
{
  g_autofree char *got = NULL;

  send_frame (fd, body, len);
  got = recv_frame (fd);
  g_assert_cmpstr (got, ==, want);
}

static const guint8 ctrl_atr[] = { 0x04 };
static const guint8 ctrl_on[] = { 0x01 };
static const guint8 ctrl_reset[] = { 0x02 };
static const guint8 select_sle[] = { 0xFF, 0xA4, 0x00, 0x00, 0x01, 0x05 };
static const guint8 read_errcnt[] = { 0xFF, 0xB1, 0x00, 0x00, 0x03 };
#define SLE_ATR "3B 04 92 23 10 91"

static char *
insert_new (Fixture *f, guint slot)
{
  g_autoptr (GError) error = NULL;
  char *path = cs_deck_new_card (f->deck, CS_CARD_SLE4428, NULL, &error);

  g_assert_no_error (error);
  cs_deck_insert (f->deck, slot, path, &error);
  g_assert_no_error (error);
  return path;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-vpcd-bridge-XXXXXX", &error);
  g_assert_no_error (error);
  f->deck = cs_deck_open (f->dir, &error);
  g_assert_no_error (error);
  listen_pair (f);
  f->cancellable = g_cancellable_new ();
}

static void
start_server (Fixture *f)
{
  f->server = g_thread_new ("vpcd-bridge", serve_thread, f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_cancellable_cancel (f->cancellable);
  if (f->server)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (f->server)));
  close (f->listen[0]);
  close (f->listen[1]);
  g_clear_object (&f->cancellable);
  g_clear_pointer (&f->deck, cs_deck_free);
  tu_rm_rf_strict (f->dir);
  g_free (f->dir);
}

static void
test_framing (Fixture *f, gconstpointer data)
{
  g_autofree char *path = insert_new (f, 0);
  int fd;

  start_server (f);
  fd = accept_card (f, 0);
  assert_exchange (fd, ctrl_atr, 1, SLE_ATR);
  send_frame (fd, ctrl_on, 1); /* no reply to power events */
  assert_exchange (fd, select_sle, sizeof select_sle, "90 00");
  assert_exchange (fd, read_errcnt, sizeof read_errcnt, "FF 00 00 90 00");
  /* A reset makes the reader forget the card type (volatile state). */
  send_frame (fd, ctrl_reset, 1);
  assert_exchange (fd, read_errcnt, sizeof read_errcnt, "69 85");
  /* Many GET_ATRs in a row, as pcscd's presence poll does. */
  for (guint i = 0; i < 50; i++)
    assert_exchange (fd, ctrl_atr, 1, SLE_ATR);
  close (fd);
}

static void
test_insert_remove (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  int fd;

  start_server (f);
  /* Both slots empty: the bridge must not present a card. */
  g_assert_false (readable (f->listen[0], 400));
  g_assert_false (readable (f->listen[1], 10));

  path = insert_new (f, 1);
  fd = accept_card (f, 1);
  assert_exchange (fd, ctrl_atr, 1, SLE_ATR);
  g_assert_false (readable (f->listen[0], 10));

  cs_deck_remove (f->deck, 1, &error);
  g_assert_no_error (error);
  assert_eof (fd);
  close (fd);
  g_assert_false (readable (f->listen[1], 400));
}

static void
test_vpcd_restart (Fixture *f, gconstpointer data)
{
  g_autofree char *path = insert_new (f, 0);
  int fd;

  start_server (f);
  fd = accept_card (f, 0);
  close (fd); /* vpcd went away (pcscd stopped) */
  fd = accept_card (f, 0); /* the card is presented again */
  assert_exchange (fd, ctrl_atr, 1, SLE_ATR);
  close (fd);
}

static void
test_pulled (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = insert_new (f, 0);
  int fd;

  cs_deck_set_faults (f->deck, 0, "pull-after=2", &error);
  g_assert_no_error (error);
  start_server (f);
  fd = accept_card (f, 0);
  assert_exchange (fd, select_sle, sizeof select_sle, "90 00");
  send_frame (fd, read_errcnt, sizeof read_errcnt);
  assert_eof (fd); /* pulled: no reply, the connection just closes */
  close (fd);
  /* and it stays out until the deck changes */
  g_assert_false (readable (f->listen[0], 400));
  cs_deck_insert (f->deck, 0, path, &error);
  g_assert_no_error (error);
  fd = accept_card (f, 0);
  assert_exchange (fd, ctrl_atr, 1, SLE_ATR);
  close (fd);
}

/* -- the simulator's own debug log ---------------------------------------------------- */

static GString *sim_log;
static GMutex sim_log_lock;

static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  g_autofree char *line = g_log_writer_format_fields (level, fields, n_fields, FALSE);

  g_mutex_lock (&sim_log_lock);
  g_string_append_printf (sim_log, "%s\n", line);
  g_mutex_unlock (&sim_log_lock);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, data);
  return G_LOG_WRITER_HANDLED;
}

/* insucard-cardsim logs every APDU at debug level: headers, lengths and
 * status words, never the data (it cannot know which data is a secret). */
static void
test_log_redacted (Fixture *f, gconstpointer data)
{
  static const guint8 present_psc[] = { 0xFF, 0x20, 0x00, 0x00, 0x02, 0xC7, 0x3E };
  static const guint8 write_data[] = { 0xFF, 0xD0, 0x00, 0x40, 0x04, 0xDE, 0xAD, 0xBE, 0xEF };
  static const guint8 read_data[] = { 0xFF, 0xB0, 0x00, 0x08, 0x08 };
  g_autofree char *path = insert_new (f, 0);
  g_autofree char *log = NULL;
  int fd;

  g_mutex_lock (&sim_log_lock);
  g_string_truncate (sim_log, 0);
  g_mutex_unlock (&sim_log_lock);
  start_server (f);
  fd = accept_card (f, 0);
  assert_exchange (fd, select_sle, sizeof select_sle, "90 00");
  send_frame (fd, present_psc, sizeof present_psc);
  g_free (recv_frame (fd));
  send_frame (fd, write_data, sizeof write_data);
  g_free (recv_frame (fd));
  send_frame (fd, read_data, sizeof read_data);
  g_free (recv_frame (fd));
  close (fd);
  g_cancellable_cancel (f->cancellable);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (g_steal_pointer (&f->server))));

  g_mutex_lock (&sim_log_lock);
  log = g_strdup (sim_log->str);
  g_mutex_unlock (&sim_log_lock);
  g_assert_nonnull (strstr (log, "FF 20 00 00 02 ** **"));
  g_assert_nonnull (strstr (log, "FF D0 00 40 04 ** ** ** **"));
  g_assert_null (strstr (log, "C7 3E"));
  g_assert_null (strstr (log, "DE AD BE EF"));
  /* Nor the card's answer to a read: the serial is data too. */
  g_assert_nonnull (strstr (log, "FF B0 00 08 08 < ** ** ** ** ** ** ** ** 9000"));
}

int
main (int argc, char **argv)
{
  g_setenv ("G_MESSAGES_DEBUG", "cardsim", TRUE);
  sim_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/vpcd-bridge/framing", test_framing);
  ADD ("/vpcd-bridge/insert-remove", test_insert_remove);
  ADD ("/vpcd-bridge/vpcd-restart", test_vpcd_restart);
  ADD ("/vpcd-bridge/pulled", test_pulled);
  ADD ("/vpcd-bridge/log-redacted", test_log_redacted);
#undef ADD
  return g_test_run ();
}
