/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-hlc.h: hybrid logical clock stamps for the change log.
 *
 * A stamp is one 64-bit integer: wall-clock milliseconds since the Unix
 * epoch in the high 48 bits, a counter in the low 16. Stamps compare as
 * integers. A clock never goes backwards, even when the wall clock does.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef guint64 KoersHlcStamp;

#define KOERS_HLC_COUNTER_BITS 16
#define KOERS_HLC_WALL_MS(stamp)  ((gint64) ((stamp) >> KOERS_HLC_COUNTER_BITS))
#define KOERS_HLC_COUNTER(stamp)  ((guint) ((stamp) & 0xffff))

typedef struct
{
  KoersHlcStamp last;
} KoersHlc;

/* A stamp for a local event at wall-clock time @now_ms. */
KoersHlcStamp  koers_hlc_tick     (KoersHlc      *hlc,
                                   gint64         now_ms);

/* Takes in a stamp received from another device; returns the stamp of
 * the receive event, greater than both @remote and every earlier stamp. */
KoersHlcStamp  koers_hlc_receive  (KoersHlc      *hlc,
                                   KoersHlcStamp  remote,
                                   gint64         now_ms);

KoersHlcStamp  koers_hlc_pack     (gint64         wall_ms,
                                   guint          counter);

G_END_DECLS
