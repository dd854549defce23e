/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-card-name.c: what training's card drawer calls a card (ic-card-name.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "cl-codec.h"
#include "ic-card-name.h"
#include "wf-icard.h"
#include "wf-opcard-data.h"

gboolean
ic_card_name_is_blank (const WfCardFacts *f)
{
  return f != NULL
         && (f->info.kind == CL_CARD_KIND_CPU_BLANK
             || (f->info.kind == CL_CARD_KIND_SLE4428 && f->blank));
}

const char *
ic_card_name_title (const WfCardFacts *f)
{
  if (f == NULL)
    return _ ("Unreadable card image");
  switch (f->info.kind)
    {
    case CL_CARD_KIND_MCC:
      return _ ("Master control card");
    case CL_CARD_KIND_KTC:
      return _ ("Key transport card");
    case CL_CARD_KIND_AC:
      return _ ("Administrator card");
    case CL_CARD_KIND_KC:
      return _ ("Key card");
    case CL_CARD_KIND_SLE4428:
      return f->blank ? _ ("Blank insurance card") : _ ("Insurance card");
    case CL_CARD_KIND_CPU_BLANK:
      return _ ("Blank CPU card");
    case CL_CARD_KIND_CPU_UNFINISHED:
      return _ ("Unfinished CPU card");
    case CL_CARD_KIND_CPU_OTHER:
      return _ ("CPU card, not of this system");
    case CL_CARD_KIND_UNKNOWN:
    default:
      return _ ("Unknown card");
    }
}

static char *
serial_text (const WfCardFacts *f)
{
  g_autofree char *hex = NULL;

  if (!f->info.has_serial)
    return g_strdup ("");
  hex = cl_hex_encode (f->info.serial, 8);
  return g_strdup_printf (_ ("Serial %s"), hex);
}

char *
ic_card_name_detail (const WfCardFacts *f)
{
  if (f == NULL)
    return g_strdup ("");
  switch (f->info.kind)
    {
    case CL_CARD_KIND_AC:
      if (f->holder_name != NULL)
        return g_strdup_printf (C_ ("card holder, role", "%s, %s"), f->holder_name,
                                wf_role_describe (f->role));
      break;
    case CL_CARD_KIND_KC:
      if (f->holder_name != NULL && f->workstation != NULL)
        return g_strdup_printf (_ ("%s, works at %s"), f->holder_name, f->workstation);
      break;
    case CL_CARD_KIND_SLE4428:
      if (f->card_number[0] != '\0')
        {
          g_autofree char *number = wf_icard_format_card_number (f->card_number);

          if (f->status != 0 && f->status != WF_ICARD_STATUS_ACTIVE)
            return g_strdup_printf (_ ("No. %s, %s"), number,
                                    wf_icard_status_to_string (f->status));
          return g_strdup_printf (_ ("No. %s"), number);
        }
      /* Part written (pulled in the middle of an issuance): the serial
       * tells it from the others, as the unfinished issuance names it. */
      if (!f->blank && f->info.has_serial)
        {
          g_autofree char *hex = cl_hex_encode (f->info.serial, 8);

          return g_strdup_printf (_ ("Written, but its number cannot be read; serial %s"), hex);
        }
      if (!f->blank)
        return g_strdup (_ ("Written, but its number cannot be read"));
      break;
    default:
      break;
    }
  return serial_text (f);
}

int
ic_card_name_rank (const WfCardFacts *f)
{
  if (f == NULL)
    return 90;
  switch (f->info.kind)
    {
    case CL_CARD_KIND_MCC:
      return 0;
    case CL_CARD_KIND_KTC:
      return 10;
    case CL_CARD_KIND_AC:
      return 20 + f->info.role;
    case CL_CARD_KIND_KC:
      return 30;
    case CL_CARD_KIND_SLE4428:
      return f->blank ? 80 : 40;
    case CL_CARD_KIND_CPU_UNFINISHED:
      return 50;
    case CL_CARD_KIND_CPU_OTHER:
      return 60;
    case CL_CARD_KIND_CPU_BLANK:
      return 81;
    case CL_CARD_KIND_UNKNOWN:
    default:
      return 70;
    }
}
