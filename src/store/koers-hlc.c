/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include "koers-hlc.h"

KoersHlcStamp
koers_hlc_pack (gint64 wall_ms,
                guint  counter)
{
  return ((KoersHlcStamp) MAX (wall_ms, 0) << KOERS_HLC_COUNTER_BITS) | (counter & 0xffff);
}

/* The smallest stamp above @floor whose wall part is at least @now_ms.
 * A full counter rolls over into the next millisecond. */
static KoersHlcStamp
advance (KoersHlcStamp floor,
         gint64        now_ms)
{
  KoersHlcStamp wall_now = koers_hlc_pack (now_ms, 0);

  if (wall_now > floor)
    return wall_now;
  return floor + 1;
}

KoersHlcStamp
koers_hlc_tick (KoersHlc *hlc,
                gint64    now_ms)
{
  g_return_val_if_fail (hlc != NULL, 0);

  hlc->last = advance (hlc->last, now_ms);
  return hlc->last;
}

KoersHlcStamp
koers_hlc_receive (KoersHlc      *hlc,
                   KoersHlcStamp  remote,
                   gint64         now_ms)
{
  g_return_val_if_fail (hlc != NULL, 0);

  hlc->last = advance (MAX (hlc->last, remote), now_ms);
  return hlc->last;
}
