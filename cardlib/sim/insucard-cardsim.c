/* SPDX-License-Identifier: GPL-3.0-or-later */
/* insucard-cardsim: make simulated cards, put them in and out of the two
 * slots of a deck, look at them, and serve the deck to pcscd through vpcd.
 *
 * Exit status: 0 done, 1 the operation failed, 2 usage error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl-codec.h"
#include "cs-card.h"
#include "cs-deck.h"
#include "cs-vpcd.h"

#define EXIT_USAGE 2

static const char *usage_text =
    "Usage: insucard-cardsim COMMAND [OPTION…]\n"
    "\n"
    "Commands:\n"
    "  new cpu|sle4428 [--serial HEX] [--deck DIR]   make a blank card, print its image path\n"
    "  insert SLOT FILE [--deck DIR]                  put a card image in slot 0 or 1\n"
    "  remove SLOT [--deck DIR]                       take the card out of a slot\n"
    "  show FILE                                      describe a card image\n"
    "  list [--deck DIR]                              the slots and the cards of a deck\n"
    "  fault SLOT SPEC [--deck DIR]                   arm faults: \"pull-after=3\", '' clears\n"
    "  unplug SLOT [--deck DIR]                       unplug the reader of a slot (the card "
    "stays)\n"
    "  plug SLOT [--deck DIR]                         plug it in again\n"
    "  reader-order normal|reversed [--deck DIR]      the order the sim backend lists readers in\n"
    "  serve --deck DIR --vpcd HOST:PORT              serve slots 0/1 to vpcd on PORT/PORT+1\n"
    "\n"
    "The deck defaults to $INSUCARD_SIM_DECK, else ./deck.  COMMAND --help for details.\n";

static char *opt_deck;

static const char *
default_deck (void)
{
  const char *env = g_getenv ("INSUCARD_SIM_DECK");

  return env && *env ? env : "deck";
}

static int usage_error (GOptionContext *ctx, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static int
usage_error (GOptionContext *ctx, const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_printerr ("insucard-cardsim: %s\n", msg);
  if (ctx)
    {
      g_autofree char *help = g_option_context_get_help (ctx, TRUE, NULL);
      g_printerr ("%s", help);
    }
  return EXIT_USAGE;
}

static int
failure (GError *error)
{
  g_printerr ("insucard-cardsim: %s\n", error->message);
  return EXIT_FAILURE;
}

/* Parses a subcommand's options; argv[0] is the subcommand. */
static gboolean
parse (GOptionContext *ctx, int *argc, char ***argv, int *status)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      *status = usage_error (ctx, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_slot (const char *text, guint *slot)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 0, CS_DECK_SLOTS - 1, &v, NULL))
    return FALSE;
  *slot = v;
  return TRUE;
}

static CsDeck *
open_deck (GError **error)
{
  return cs_deck_open (opt_deck ? opt_deck : default_deck (), error);
}

static const GOptionEntry deck_entries[] = {
  { "deck", 'd', 0, G_OPTION_ARG_FILENAME, &opt_deck, "Deck directory", "DIR" },
  { NULL },
};

/* The start of insert, remove, fault, plug and unplug: --deck, then SLOT and the rest of
 * nargs arguments (argv[0] counted), then the deck opened.  NULL with
 * *status set on a usage error or a deck that does not open. */
static CsDeck *
open_slot_command (GOptionContext *ctx, int *argc, char ***argv, int nargs, const char *usage,
                   guint *slot, int *status)
{
  g_autoptr (GError) error = NULL;
  CsDeck *deck;

  g_option_context_add_main_entries (ctx, deck_entries, NULL);
  if (!parse (ctx, argc, argv, status))
    return NULL;
  if (*argc != nargs || !parse_slot ((*argv)[1], slot))
    {
      *status = usage_error (ctx, "%s", usage);
      return NULL;
    }
  deck = open_deck (&error);
  if (deck == NULL)
    *status = failure (error);
  return deck;
}

static int
cmd_new (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("new cpu|sle4428 - make a blank card");
  g_autofree char *serial_hex = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = NULL;
  g_autofree char *path = NULL;
  const GOptionEntry entries[] = {
    { "serial", 's', 0, G_OPTION_ARG_STRING, &serial_hex, "Serial, 16 hex digits", "HEX" },
    { NULL },
  };
  guint8 serial[CS_SERIAL_LEN];
  CsCardKind kind;
  int status;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, deck_entries, NULL);
  if (!parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2 || !cs_card_kind_from_string (argv[1], &kind))
    return usage_error (ctx, "new: give the card kind, cpu or sle4428");
  /* The length check first: cl_hex_decode would skip white space. */
  if (serial_hex
      && (strlen (serial_hex) != 2 * CS_SERIAL_LEN
          || !cl_hex_decode (serial_hex, serial, CS_SERIAL_LEN, NULL)))
    return usage_error (ctx, "--serial wants %d hex digits", 2 * CS_SERIAL_LEN);

  deck = open_deck (&error);
  if (deck == NULL)
    return failure (error);
  path = cs_deck_new_card (deck, kind, serial_hex ? serial : NULL, &error);
  if (path == NULL)
    return failure (error);
  g_print ("%s\n", path);
  return EXIT_SUCCESS;
}

static int
cmd_insert (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("insert SLOT FILE - put a card in a slot");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = NULL;
  guint slot;
  int status;

  deck = open_slot_command (ctx, &argc, &argv, 3, "insert: give a slot (0 or 1) and a card image",
                            &slot, &status);
  if (deck == NULL)
    return status;
  if (!cs_deck_insert (deck, slot, argv[2], &error))
    return failure (error);
  return EXIT_SUCCESS;
}

static int
cmd_remove (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx =
      g_option_context_new ("remove SLOT - take the card out of a slot");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = NULL;
  guint slot;
  int status;

  deck = open_slot_command (ctx, &argc, &argv, 2, "remove: give a slot, 0 or 1", &slot, &status);
  if (deck == NULL)
    return status;
  if (!cs_deck_remove (deck, slot, &error))
    return failure (error);
  return EXIT_SUCCESS;
}

static int
cmd_show (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("show FILE - describe a card image");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCard) card = NULL;
  g_autofree char *text = NULL;
  int status;

  if (!parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error (ctx, "show: give one card image");
  card = cs_card_load (argv[1], &error);
  if (card == NULL)
    return failure (error);
  text = cs_card_describe (card);
  g_print ("image:   %s\n%s", argv[1], text);
  return EXIT_SUCCESS;
}

static void
print_card_line (const char *path)
{
  g_autoptr (CsCard) card = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sn = NULL;

  card = cs_card_load (path, &error);
  if (card == NULL)
    {
      g_print ("%s (unreadable: %s)\n", path, error->message);
      return;
    }
  sn = cl_hex_encode (cs_card_get_serial (card), CS_SERIAL_LEN);
  g_print ("%s (%s %s)\n", path, cs_card_kind_to_string (cs_card_get_kind (card)), sn);
}

static int
cmd_list (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("list - the slots and cards of a deck");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  int status;

  g_option_context_add_main_entries (ctx, deck_entries, NULL);
  if (!parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error (ctx, "list: no arguments expected");
  deck = open_deck (&error);
  if (deck == NULL)
    return failure (error);
  cards = cs_deck_list_cards (deck, &error);
  if (cards == NULL)
    return failure (error);

  g_print ("deck %s\n", cs_deck_get_dir (deck));
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      const char *path = cs_deck_get_slot_card (deck, i);

      g_print ("slot %u: ", i);
      if (!cs_deck_get_reader_plugged (deck, i))
        g_print ("[reader unplugged] ");
      if (path)
        print_card_line (path);
      else
        g_print ("empty\n");
    }
  g_print ("reader order: %s\n", cs_reader_order_to_string (cs_deck_get_reader_order (deck)));
  g_print ("cards:\n");
  for (guint i = 0; i < cards->len; i++)
    {
      g_print ("  ");
      print_card_line (cards->pdata[i]);
    }
  return EXIT_SUCCESS;
}

static int
cmd_fault (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("fault SLOT SPEC - arm faults on a slot");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = NULL;
  guint slot;
  int status;

  g_option_context_set_description (ctx, "SPEC: key=value;… with pull-after, tear-write, "
                                         "garbage-after, short-after, delay-ms.\n");
  deck = open_slot_command (ctx, &argc, &argv, 3, "fault: give a slot (0 or 1) and a fault spec",
                            &slot, &status);
  if (deck == NULL)
    return status;
  if (!cs_deck_set_faults (deck, slot, argv[2], &error))
    {
      /* A malformed spec is the user's mistake, not a failure. */
      if (error->domain == G_KEY_FILE_ERROR || error->domain == G_NUMBER_PARSER_ERROR)
        return usage_error (NULL, "%s", error->message);
      return failure (error);
    }
  return EXIT_SUCCESS;
}

static int
plug_command (int argc, char **argv, gboolean plugged)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new (
      plugged ? "plug SLOT - plug the slot's reader in again"
              : "unplug SLOT - unplug the slot's reader (as a pulled cable or a suspend)");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = NULL;
  guint slot;
  int status;

  g_option_context_set_description (
      ctx, "The card stays in the slot. While unplugged, the sim backend does not list the "
           "reader and its connections fail; plugged again, it is back under the same name and "
           "needs a new connection.\n");
  deck = open_slot_command (ctx, &argc, &argv, 2,
                            plugged ? "plug: give a slot, 0 or 1" : "unplug: give a slot, 0 or 1",
                            &slot, &status);
  if (deck == NULL)
    return status;
  if (!cs_deck_set_reader_plugged (deck, slot, plugged, &error))
    return failure (error);
  return EXIT_SUCCESS;
}

static int
cmd_unplug (int argc, char **argv)
{
  return plug_command (argc, argv, FALSE);
}

static int
cmd_plug (int argc, char **argv)
{
  return plug_command (argc, argv, TRUE);
}

static int
cmd_reader_order (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx =
      g_option_context_new ("reader-order normal|reversed - the order readers are listed in");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = NULL;
  CsReaderOrder order;
  int status;

  g_option_context_set_description (
      ctx, "normal lists R1 then R2, reversed R2 then R1; the names stay the same, as after a "
           "replug of two identical readers.\n");
  g_option_context_add_main_entries (ctx, deck_entries, NULL);
  if (!parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2 || !cs_reader_order_from_string (argv[1], &order))
    return usage_error (ctx, "reader-order: give normal or reversed");
  deck = open_deck (&error);
  if (deck == NULL)
    return failure (error);
  if (!cs_deck_set_reader_order (deck, order, &error))
    return failure (error);
  return EXIT_SUCCESS;
}

static int
cmd_serve (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx =
      g_option_context_new ("serve - serve the deck to pcscd via vpcd");
  g_autofree char *vpcd = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = NULL;
  g_autofree char *host = NULL;
  const GOptionEntry entries[] = {
    { "vpcd", 0, 0, G_OPTION_ARG_STRING, &vpcd, "vpcd address (slot 0 on PORT, 1 on PORT+1)",
      "HOST:PORT" },
    { NULL },
  };
  const char *colon;
  guint64 port;
  int status;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, deck_entries, NULL);
  if (!parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error (ctx, "serve: no arguments expected");
  if (vpcd == NULL || (colon = strrchr (vpcd, ':')) == NULL || colon == vpcd
      || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65534, &port, NULL))
    return usage_error (ctx, "serve: --vpcd HOST:PORT is required");
  host = g_strndup (vpcd, colon - vpcd);

  deck = open_deck (&error);
  if (deck == NULL)
    return failure (error);
  if (!cs_vpcd_serve (deck, host, (guint16) port, NULL, &error))
    return failure (error);
  return EXIT_SUCCESS;
}

int
main (int argc, char **argv)
{
  static const struct {
    const char *name;
    int (*run) (int argc, char **argv);
  } commands[] = {
    { "new", cmd_new },       { "insert", cmd_insert },
    { "remove", cmd_remove }, { "show", cmd_show },
    { "list", cmd_list },     { "fault", cmd_fault },
    { "serve", cmd_serve },   { "unplug", cmd_unplug },
    { "plug", cmd_plug },     { "reader-order", cmd_reader_order },
  };
  int status = EXIT_USAGE;

  g_set_prgname ("insucard-cardsim");
  if (argc < 2)
    {
      g_printerr ("%s", usage_text);
      return EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      g_print ("%s", usage_text);
      return EXIT_SUCCESS;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("insucard-cardsim %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        /* The subcommand sees itself as argv[0]. */
        status = commands[i].run (argc - 1, argv + 1);
        g_clear_pointer (&opt_deck, g_free);
        return status;
      }
  g_printerr ("insucard-cardsim: unknown command “%s”\n\n%s", argv[1], usage_text);
  return status;
}
