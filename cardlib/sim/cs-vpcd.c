/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-vpcd.c: serves the deck's two slots to vsmartcard's vpcd driver.
 *
 * vpcd (inside pcscd) listens on port + slot; we connect while a card is in
 * the slot and close when it leaves.  Every message both ways is a 2-byte
 * big-endian length and that many bytes; a 1-byte message from vpcd is a
 * control byte (00 off, 01 on, 02 reset, 04 get ATR), anything longer is a
 * C-APDU.  Pitfalls we guard against (docs/card-formats.md, "Through pcscd"):
 *  - P9: vpcd sends length and body in two send() calls, so without
 *    TCP_QUICKACK re-armed before every recv() each APDU costs ~45 ms;
 *  - P7: a zero-length reply hangs vpcd, so we close instead of sending one;
 *  - pcscd polls GET_ATR every 0.4 s: answered at once, logged only at debug.
 * One thread: a private GMainContext with an fd watch per connection and a
 * 100 ms tick that follows the deck.
 */
#include "config.h"

#include "cs-vpcd.h"
#include "cl-redact.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>

#include "cs-slot.h"

#define VPCD_CTRL_OFF 0
#define VPCD_CTRL_ON 1
#define VPCD_CTRL_RESET 2
#define VPCD_CTRL_ATR 4
#define VPCD_MAX_FRAME 0xffff

#define TICK_MS 100
#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 1000
#define IO_TIMEOUT_MS 1000

typedef struct {
  CsSlot *slot;
  guint index;
  GMainContext *context;
  struct sockaddr_storage addr;
  socklen_t addrlen;
  guint16 port;

  int fd; /* -1 while no card is presented to vpcd */
  GSource *watch; /* readable watch on fd */
  GSource *retry; /* pending reconnect */
  guint backoff_ms;
  gboolean pulled; /* a fault pulled the card: wait for the deck to change */
  char *last_error; /* last sync error, so a broken deck warns once */
  gboolean quickack; /* off only to measure P9 (docs/performance.md) */

  guint8 rx[2 + VPCD_MAX_FRAME];
  gsize rx_fill;
  guint8 tx[2 + CS_MAX_RESPONSE];
} VpcdLink;

typedef struct {
  VpcdLink links[CS_DECK_SLOTS];
  gboolean quit;
} VpcdServer;

static void link_try_connect (VpcdLink *link);

static gboolean
debug_enabled (void)
{
  return !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
}

/* The simulator sees no caller flags, so it cannot tell a code written to
 * a KTC file from any other data: it logs headers, lengths and status words
 * and shows every data byte as "**" (cl-redact.h with all flags set). */
static void
log_exchange (const VpcdLink *link, const guint8 *capdu, gsize clen, const guint8 *rapdu,
              gsize rlen)
{
  const ClApduFlags all = CL_APDU_FLAG_SECRET_DATA | CL_APDU_FLAG_SECRET_RESPONSE;
  g_autofree char *cmd = NULL, *resp = NULL;

  if (!debug_enabled ())
    return;
  cl_log_redact (capdu, clen, all, rapdu, rlen, TRUE, &cmd, &resp);
  if (rapdu == NULL || rlen < 2)
    g_debug ("slot %u > %s < (no reply)", link->index, cmd);
  else
    g_debug ("slot %u > %s < %s%s%02X%02X", link->index, cmd, resp, *resp ? " " : "",
             rapdu[rlen - 2], rapdu[rlen - 1]);
}

static void
link_disconnect (VpcdLink *link, const char *why)
{
  if (link->fd < 0)
    return;
  if (link->watch)
    {
      g_source_destroy (link->watch);
      g_clear_pointer (&link->watch, g_source_unref);
    }
  close (link->fd);
  link->fd = -1;
  link->rx_fill = 0;
  g_info ("slot %u: card out of vpcd port %u (%s)", link->index, link->port, why);
}

static gboolean
on_retry (gpointer user_data)
{
  VpcdLink *link = user_data;

  g_clear_pointer (&link->retry, g_source_unref);
  if (link->fd < 0 && !link->pulled && cs_slot_has_card (link->slot))
    link_try_connect (link);
  return G_SOURCE_REMOVE;
}

static void
link_schedule_retry (VpcdLink *link)
{
  if (link->retry)
    return;
  link->retry = g_timeout_source_new (link->backoff_ms);
  g_source_set_callback (link->retry, on_retry, link, NULL);
  g_source_attach (link->retry, link->context);
  link->backoff_ms = MIN (link->backoff_ms * 2, BACKOFF_MAX_MS);
}

static void
link_cancel_retry (VpcdLink *link)
{
  if (!link->retry)
    return;
  g_source_destroy (link->retry);
  g_clear_pointer (&link->retry, g_source_unref);
}

/* Waits until fd is ready for events; FALSE on timeout or error. */
static gboolean
wait_fd (int fd, short events)
{
  struct pollfd pfd = { .fd = fd, .events = events };
  int r;

  do
    r = poll (&pfd, 1, IO_TIMEOUT_MS);
  while (r < 0 && errno == EINTR);
  return r == 1 && !(pfd.revents & (POLLERR | POLLNVAL));
}

/* Length and body in one send(), so the peer never waits on Nagle (P9). */
static gboolean
link_send_frame (VpcdLink *link, const guint8 *body, gsize len)
{
  gsize total = len + 2, off = 0;

  /* P7: vpcd blocks forever on a zero-length frame; the caller closes. */
  g_return_val_if_fail (len > 0 && len <= VPCD_MAX_FRAME, FALSE);
  link->tx[0] = len >> 8;
  link->tx[1] = len & 0xff;
  memmove (link->tx + 2, body, len);
  while (off < total)
    {
      ssize_t n = send (link->fd, link->tx + off, total - off, MSG_NOSIGNAL);
      if (n > 0)
        off += n;
      else if (n < 0 && errno == EINTR)
        continue;
      else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && wait_fd (link->fd, POLLOUT))
        continue;
      else
        return FALSE;
    }
  return TRUE;
}

static void
link_handle_control (VpcdLink *link, guint8 ctrl)
{
  g_autoptr (GBytes) atr = NULL;

  switch (ctrl)
    {
    case VPCD_CTRL_OFF:
      g_debug ("slot %u: power off", link->index);
      cs_slot_power (link->slot, CS_POWER_OFF);
      break;
    case VPCD_CTRL_ON:
      g_debug ("slot %u: power on", link->index);
      cs_slot_power (link->slot, CS_POWER_ON);
      break;
    case VPCD_CTRL_RESET:
      g_debug ("slot %u: reset", link->index);
      cs_slot_power (link->slot, CS_POWER_RESET);
      break;
    case VPCD_CTRL_ATR:
      /* pcscd's presence poll, every 0.4 s: no logging at all here. */
      atr = cs_slot_get_atr (link->slot);
      if (!atr || g_bytes_get_size (atr) == 0)
        link_disconnect (link, "no card to answer with an ATR");
      else if (!link_send_frame (link, g_bytes_get_data (atr, NULL), g_bytes_get_size (atr)))
        link_disconnect (link, "send failed");
      break;
    default:
      g_debug ("slot %u: unknown control byte %02X ignored", link->index, ctrl);
      break;
    }
}

static void
link_handle_apdu (VpcdLink *link, const guint8 *capdu, gsize clen)
{
  guint8 *rapdu = link->tx + 2; /* the reply is built where it is sent from */
  gsize rlen = 0;

  CsSlotResult res = cs_slot_transmit (link->slot, capdu, clen, rapdu, &rlen);

  log_exchange (link, capdu, clen, res == CS_SLOT_REPLY ? rapdu : NULL, rlen);
  switch (res)
    {
    case CS_SLOT_REPLY:
      if (rlen == 0 || rlen > VPCD_MAX_FRAME)
        {
          g_warning ("slot %u: reply of %" G_GSIZE_FORMAT " bytes cannot go to vpcd", link->index,
                     rlen);
          link_disconnect (link, "unsendable reply");
        }
      else if (!link_send_frame (link, rapdu, rlen))
        link_disconnect (link, "send failed");
      break;
    case CS_SLOT_REMOVED:
      link->pulled = TRUE;
      link_disconnect (link, "card pulled during a command");
      break;
    case CS_SLOT_EMPTY:
      link_disconnect (link, "slot empty");
      break;
    }
}

/* Reads whatever is there; dispatches each complete frame. */
static gboolean
on_readable (gint fd, GIOCondition condition, gpointer user_data)
{
  static const int one = 1;
  VpcdLink *link = user_data;

  while (link->fd >= 0)
    {
      gsize want;
      ssize_t n;
      guint len = link->rx_fill >= 2 ? (link->rx[0] << 8) | link->rx[1] : 0;

      want = link->rx_fill < 2 ? 2 - link->rx_fill : 2 + len - link->rx_fill;
      /* TCP_QUICKACK is not sticky: re-arm before every recv (P9). */
      if (link->quickack)
        setsockopt (fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
      n = recv (fd, link->rx + link->rx_fill, want, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return G_SOURCE_CONTINUE;
      if (n <= 0)
        {
          /* vpcd went away (pcscd stopped): present the card again later. */
          link_disconnect (link, n == 0 ? "vpcd closed the connection" : g_strerror (errno));
          link_schedule_retry (link);
          return G_SOURCE_REMOVE;
        }
      link->rx_fill += n;
      if (link->rx_fill < 2)
        continue;
      len = (link->rx[0] << 8) | link->rx[1];
      if (len == 0)
        {
          link->rx_fill = 0; /* vpcd never sends these; skip */
          continue;
        }
      if (link->rx_fill < 2 + len)
        continue;
      link->rx_fill = 0;
      if (len == 1)
        link_handle_control (link, link->rx[2]);
      else
        link_handle_apdu (link, link->rx + 2, len);
    }
  return G_SOURCE_REMOVE;
}

static int
connect_with_timeout (const VpcdLink *link)
{
  int fd, err = 0;
  socklen_t errlen = sizeof err;

  fd = socket (link->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return -1;
  if (connect (fd, (const struct sockaddr *) &link->addr, link->addrlen) == 0)
    return fd;
  if (errno == EINPROGRESS && wait_fd (fd, POLLOUT)
      && getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &errlen) == 0 && err == 0)
    return fd;
  close (fd);
  return -1;
}

static void
link_try_connect (VpcdLink *link)
{
  static const int one = 1;
  int fd = connect_with_timeout (link);

  if (fd < 0)
    {
      /* vpcd not listening (yet): normal while pcscd starts; quiet. */
      g_debug ("slot %u: vpcd port %u not reachable, retry in %u ms", link->index, link->port,
               link->backoff_ms);
      link_schedule_retry (link);
      return;
    }
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  link->fd = fd;
  link->rx_fill = 0;
  link->backoff_ms = BACKOFF_MIN_MS;
  link->watch = g_unix_fd_source_new (fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (link->watch, G_SOURCE_FUNC (on_readable), link, NULL);
  g_source_attach (link->watch, link->context);
  g_info ("slot %u: card in, connected to vpcd port %u", link->index, link->port);
}

static void
link_follow_deck (VpcdLink *link)
{
  g_autoptr (GError) error = NULL;
  gboolean changed = FALSE;

  /* Even a failed sync may have dropped the old card: act on `changed`. */
  if (!cs_slot_sync (link->slot, &changed, &error))
    {
      if (g_strcmp0 (link->last_error, error->message) != 0)
        g_message ("slot %u: %s", link->index, error->message);
      g_free (link->last_error);
      link->last_error = g_strdup (error->message);
    }
  else
    g_clear_pointer (&link->last_error, g_free);
  if (changed)
    {
      link->pulled = FALSE;
      link->backoff_ms = BACKOFF_MIN_MS;
      link_cancel_retry (link);
      /* A swapped card must look like remove + insert to pcscd. */
      link_disconnect (link, "card removed or swapped in the deck");
    }
  if (cs_slot_has_card (link->slot) && link->fd < 0 && !link->pulled && !link->retry)
    link_try_connect (link);
  else if (!cs_slot_has_card (link->slot))
    link_cancel_retry (link);
}

static gboolean
on_tick (gpointer user_data)
{
  VpcdServer *server = user_data;

  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    link_follow_deck (&server->links[i]);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_quit (gpointer user_data)
{
  VpcdServer *server = user_data;

  server->quit = TRUE;
  return G_SOURCE_CONTINUE;
}

/* Runs in the cancelling thread: only wake the serving loop, which then
 * sees the cancellable and stops.  (A GCancellableSource would do the same
 * but leaks when destroyed after firing on GLib 2.74.) */
static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  g_main_context_wakeup (user_data);
}

static gboolean
resolve (const char *host, guint16 port, struct sockaddr_storage *addr, socklen_t *addrlen,
         GError **error)
{
  struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
  g_autofree char *service = g_strdup_printf ("%u", port);
  int rc = getaddrinfo (host, service, &hints, &res);

  if (rc != 0 || !res)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND, "cannot resolve vpcd host %s: %s",
                   host, gai_strerror (rc));
      return FALSE;
    }
  memcpy (addr, res->ai_addr, res->ai_addrlen);
  *addrlen = res->ai_addrlen;
  freeaddrinfo (res);
  return TRUE;
}

static void
set_port (struct sockaddr_storage *addr, guint16 port)
{
  if (addr->ss_family == AF_INET6)
    ((struct sockaddr_in6 *) addr)->sin6_port = htons (port);
  else
    ((struct sockaddr_in *) addr)->sin_port = htons (port);
}

static GSource *
attach (GSource *source, GMainContext *context, GSourceFunc func, gpointer data)
{
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, context);
  return source;
}

gboolean
cs_vpcd_serve (CsDeck *deck, const char *host, guint16 port, GCancellable *cancellable,
               GError **error)
{
  g_autoptr (GMainContext) context = NULL;
  g_autofree VpcdServer *server = NULL;
  GSource *sources[3] = { NULL };
  gulong cancel_handler = 0;
  struct sockaddr_storage addr;
  socklen_t addrlen;

  g_return_val_if_fail (deck != NULL, FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (port < G_MAXUINT16, FALSE);

  if (!resolve (host, port, &addr, &addrlen, error))
    return FALSE;

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  server = g_new0 (VpcdServer, 1);
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      VpcdLink *link = &server->links[i];

      link->slot = cs_slot_new (deck, i);
      link->index = i;
      link->context = context;
      link->addr = addr;
      link->addrlen = addrlen;
      link->port = port + i;
      set_port (&link->addr, link->port);
      link->fd = -1;
      link->backoff_ms = BACKOFF_MIN_MS;
      link->quickack = g_strcmp0 (g_getenv ("INSUCARD_VPCD_NO_QUICKACK"), "1") != 0;
    }

  sources[0] = attach (g_unix_signal_source_new (SIGTERM), context, on_quit, server);
  sources[1] = attach (g_unix_signal_source_new (SIGINT), context, on_quit, server);
  sources[2] = attach (g_timeout_source_new (TICK_MS), context, on_tick, server);
  if (cancellable)
    cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), context, NULL);
  g_info ("serving deck %s to vpcd at %s:%u and :%u", cs_deck_get_dir (deck), host, port, port + 1);

  on_tick (server);
  while (!server->quit && !g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (context, TRUE);

  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      VpcdLink *link = &server->links[i];

      link_cancel_retry (link);
      link_disconnect (link, "simulator stopping");
      g_clear_pointer (&link->last_error, g_free);
      cs_slot_free (link->slot);
    }
  g_cancellable_disconnect (cancellable, cancel_handler);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i])
      {
        g_source_destroy (sources[i]);
        g_source_unref (sources[i]);
      }
  g_main_context_pop_thread_default (context);
  return TRUE;
}
