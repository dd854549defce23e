/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-slot.c: one reader slot of the deck: follows deck.ini, counts the
 * APDUs of an insertion, fires faults, and saves the image after every APDU
 * that changed the card (docs/card-formats.md, "Faults"). */
#include "cs-slot.h"
#include "cs-fault.h"

#include <string.h>

/* Fault keys, as bits, to remember which environment faults have fired:
 * the environment cannot be edited like deck.ini can. */
enum {
  FAULT_PULL = 1 << 0,
  FAULT_TEAR = 1 << 1,
  FAULT_GARBAGE = 1 << 2,
  FAULT_SHORT = 1 << 3,
};

struct _CsSlot {
  CsDeck *deck; /* not owned */
  guint index;
  CsCard *card;
  char *path; /* image of the card in the slot (also when it failed to load) */
  guint generation;
  guint apdus; /* APDUs of this insertion */
  guint env_fired; /* FAULT_* bits of environment faults already fired */
};

CsSlot *
cs_slot_new (CsDeck *deck, guint index)
{
  CsSlot *slot;

  g_return_val_if_fail (deck != NULL, NULL);
  g_return_val_if_fail (index < CS_DECK_SLOTS, NULL);

  slot = g_new0 (CsSlot, 1);
  slot->deck = deck;
  slot->index = index;
  return slot;
}

static void
drop_card (CsSlot *slot)
{
  g_clear_pointer (&slot->card, cs_card_free);
  g_clear_pointer (&slot->path, g_free);
}

static void save_if_dirty (CsSlot *slot);

/* A chip change that must be durable before the APDU goes on. */
static void
commit_card (CsCard *card, gpointer data)
{
  save_if_dirty (data);
}

gboolean
cs_slot_sync (CsSlot *slot, gboolean *changed, GError **error)
{
  const char *path;
  CsCard *card;

  g_return_val_if_fail (slot != NULL, FALSE);

  if (changed)
    *changed = FALSE;
  if (!cs_deck_reload (slot->deck, NULL, error))
    return FALSE;
  path = cs_deck_get_slot_card (slot->deck, slot->index);
  if (g_strcmp0 (path, slot->path) == 0)
    return TRUE;

  if (changed)
    *changed = slot->card != NULL;
  drop_card (slot);
  if (path == NULL)
    return TRUE;

  /* Remember the path even if the image is unreadable, so one bad image is
   * reported once, not on every poll. */
  slot->path = g_strdup (path);
  card = cs_card_load (path, error);
  if (card == NULL)
    return FALSE;
  slot->card = card;
  cs_card_set_commit_func (card, commit_card, slot);
  slot->generation++;
  slot->apdus = 0;
  if (changed)
    *changed = TRUE;
  return TRUE;
}

gboolean
cs_slot_has_card (CsSlot *slot)
{
  return slot->card != NULL;
}

CsCard *
cs_slot_get_card (CsSlot *slot)
{
  return slot->card;
}

guint
cs_slot_get_generation (CsSlot *slot)
{
  return slot->generation;
}

GBytes *
cs_slot_get_atr (CsSlot *slot)
{
  return slot->card ? cs_card_get_atr (slot->card) : NULL;
}

void
cs_slot_power (CsSlot *slot, CsPower power)
{
  g_return_if_fail (slot != NULL);
  if (slot->card)
    cs_card_power (slot->card, power);
}

/* ---- faults -------------------------------------------------------------- */

static guint
fault_bits (const CsFaults *f)
{
  return (f->pull_after > 0 ? FAULT_PULL : 0) | (f->tear_write >= 0 ? FAULT_TEAR : 0)
         | (f->garbage_after > 0 ? FAULT_GARBAGE : 0) | (f->short_after > 0 ? FAULT_SHORT : 0);
}

/* deck.ini's faults, overridden key by key by the environment's; an
 * environment fault that already fired stays off (and hides the deck's). */
static void
current_faults (CsSlot *slot, CsFaults *f, guint *env_bits)
{
  CsFaults env;

  cs_faults_init (f);
  cs_faults_from_keyfile (f, cs_deck_get_keyfile (slot->deck), slot->index);
  cs_faults_init (&env);
  cs_faults_from_env (&env, slot->index);
  *env_bits = fault_bits (&env);

  if (*env_bits & FAULT_PULL)
    f->pull_after = slot->env_fired & FAULT_PULL ? 0 : env.pull_after;
  if (*env_bits & FAULT_TEAR)
    f->tear_write = slot->env_fired & FAULT_TEAR ? -1 : env.tear_write;
  if (*env_bits & FAULT_GARBAGE)
    f->garbage_after = slot->env_fired & FAULT_GARBAGE ? 0 : env.garbage_after;
  if (*env_bits & FAULT_SHORT)
    f->short_after = slot->env_fired & FAULT_SHORT ? 0 : env.short_after;
  if (env.delay_ms > 0)
    f->delay_ms = env.delay_ms;
}

/* One-shot: a fired fault leaves deck.ini (or is remembered, for env). */
static void
fire (CsSlot *slot, guint bit, const char *key, guint env_bits)
{
  g_autoptr (GError) error = NULL;

  g_info ("slot %u: fault %s fires at APDU %u", slot->index, key, slot->apdus);
  if (env_bits & bit)
    slot->env_fired |= bit;
  else if (!cs_deck_clear_fault (slot->deck, slot->index, key, &error))
    g_warning ("slot %u: cannot clear fault %s: %s", slot->index, key, error->message);
}

static void
save_if_dirty (CsSlot *slot)
{
  g_autoptr (GError) error = NULL;

  if (cs_card_is_dirty (slot->card) && !cs_card_save (slot->card, slot->path, &error))
    g_warning ("slot %u: cannot save the card image: %s", slot->index, error->message);
}

/* The card leaves the reader: out of the deck, out of the slot. */
static void
pull (CsSlot *slot)
{
  g_autoptr (GError) error = NULL;

  if (!cs_deck_remove (slot->deck, slot->index, &error))
    g_warning ("slot %u: cannot remove the card from the deck: %s", slot->index, error->message);
  drop_card (slot);
}

/* Line noise: random bytes, but SW1 never 6x/9x, so the reply can never be
 * mistaken for a valid status word. */
static void
make_garbage (guint8 *rapdu, gsize rlen)
{
  for (gsize i = 0; i < rlen; i++)
    rapdu[i] = g_random_int_range (0, 256);
  rapdu[rlen - 2] = g_random_int_range (0x00, 0x60);
}

CsSlotResult
cs_slot_transmit (CsSlot *slot, const guint8 *capdu, gsize clen, guint8 *rapdu, gsize *rlen)
{
  CsFaults f;
  guint env_bits;
  guint n;
  gsize len;

  g_return_val_if_fail (slot != NULL, CS_SLOT_EMPTY);
  g_return_val_if_fail (rapdu != NULL && rlen != NULL, CS_SLOT_EMPTY);

  *rlen = 0;
  if (slot->card == NULL)
    return CS_SLOT_EMPTY;

  n = ++slot->apdus;
  /* Faults may be armed while the card sits in the slot: look again. */
  if (!cs_deck_reload (slot->deck, NULL, NULL))
    g_debug ("slot %u: deck.ini unreadable, using the faults last read", slot->index);
  current_faults (slot, &f, &env_bits);
  if (f.delay_ms > 0)
    g_usleep ((gulong) f.delay_ms * 1000);

  /* pull-after=N: the card leaves as the Nth APDU arrives; the Nth is
   * neither executed nor answered. */
  if (f.pull_after > 0 && n >= (guint) f.pull_after)
    {
      fire (slot, FAULT_PULL, "pull-after", env_bits);
      pull (slot);
      return CS_SLOT_REMOVED;
    }

  cs_card_set_tear (slot->card, f.tear_write);
  len = cs_card_transmit (slot->card, capdu, clen, rapdu);
  if (cs_card_was_torn (slot->card))
    {
      /* The partial write stays on the card, as on a real chip. */
      save_if_dirty (slot);
      fire (slot, FAULT_TEAR, "tear-write", env_bits);
      pull (slot);
      return CS_SLOT_REMOVED;
    }
  cs_card_set_tear (slot->card, -1);
  save_if_dirty (slot);

  if (f.garbage_after > 0 && n >= (guint) f.garbage_after)
    {
      fire (slot, FAULT_GARBAGE, "garbage-after", env_bits);
      make_garbage (rapdu, len);
    }
  else if (f.short_after > 0 && n >= (guint) f.short_after)
    {
      fire (slot, FAULT_SHORT, "short-after", env_bits);
      len = 1; /* only the first byte makes it */
    }
  *rlen = len;
  return CS_SLOT_REPLY;
}

void
cs_slot_free (CsSlot *slot)
{
  if (slot == NULL)
    return;
  drop_card (slot);
  g_free (slot);
}
