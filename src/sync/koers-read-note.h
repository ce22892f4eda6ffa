/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-read-note.h: a laptop's signed note of how far it has read each
 * device of its steunpunt and the office's folder (docs/sync-format.md,
 * "Read note"), at <steunpunt>/<device>/read on the drop. The office reads
 * it in `pull`; `drop clean` deletes a batch only when every active device
 * of its steunpunt has read it.
 *
 * API overview
 *   Laptop, after reading its colleagues and the office:
 *     KoersReadNote *note = koers_read_note_new (steunpunt, device, now_ms);
 *     koers_read_note_add (note, other_device, &chain_state);   (each)
 *     GBytes *file = koers_read_note_write (note, device_key, &error);
 *   Office:
 *     note = koers_read_note_read (file, registered_public_key, steunpunt,
 *                                  device, &error);
 */
#pragma once

#include <glib.h>

#include "koers-envelope.h"
#include "koers-sync-keys.h"

G_BEGIN_DECLS

/* The office's id where the formats name a device: in the header of its
 * batches to a steunpunt's laptops, and in read notes for its folder. */
#define KOERS_SYNC_OFFICE_UUID   "00000000-0000-0000-0000-000000000000"
/* Its folder in each steunpunt's folder on the drop. */
#define KOERS_SYNC_OFFICE_FOLDER "office"
/* A read note's name in the device's folder. */
#define KOERS_READ_NOTE_NAME     "read"

#define KOERS_READ_NOTE_ERROR (koers_read_note_error_quark ())

typedef enum
{
  KOERS_READ_NOTE_ERROR_SIZE,       /* not the size of a note with its count of entries */
  KOERS_READ_NOTE_ERROR_FORMAT,     /* not a read note, another version, bad fields */
  KOERS_READ_NOTE_ERROR_SIGNATURE,  /* not signed by the device's registered key */
  KOERS_READ_NOTE_ERROR_DEVICE,     /* another steunpunt's or device's note */
} KoersReadNoteError;

GQuark koers_read_note_error_quark (void);

#define KOERS_READ_NOTE_MAX_ENTRIES 1025   /* every device of a list, and the office */
#define KOERS_READ_NOTE_HEADER      52     /* the entries follow it */
#define KOERS_READ_NOTE_MAX_FILE    (KOERS_READ_NOTE_HEADER + KOERS_READ_NOTE_MAX_ENTRIES * 60 + 64)

typedef struct
{
  guint8          device_id[KOERS_SYNC_ID_BYTES];  /* zeros: the office's folder */
  KoersChainState read;                            /* the last batch of it read */
} KoersReadEntry;

typedef struct
{
  guint8   steunpunt_id[KOERS_SYNC_ID_BYTES];
  guint8   device_id[KOERS_SYNC_ID_BYTES];   /* the reader, who signs */
  gint64   made_ms;
  GArray  *entries;                          /* KoersReadEntry, by device id */
} KoersReadNote;

KoersReadNote *koers_read_note_new   (const guint8 *steunpunt_id,
                                      const guint8 *device_id,
                                      gint64        made_ms);
void           koers_read_note_free  (KoersReadNote *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersReadNote, koers_read_note_free)

void           koers_read_note_add   (KoersReadNote         *note,
                                      const guint8          *device_id,
                                      const KoersChainState *read);

/* The note signed with @device_key (Ed25519 with its secret). */
G_GNUC_WARN_UNUSED_RESULT
GBytes        *koers_read_note_write (KoersReadNote      *note,
                                      const KoersSyncKey *device_key,
                                      GError            **error);

/* Checks, in this order: size, format, the signature with @sign_public
 * (the device's registered key), that it is @device_id's note of
 * @steunpunt_id (when not NULL), then every entry. All or nothing. */
G_GNUC_WARN_UNUSED_RESULT
KoersReadNote *koers_read_note_read  (GBytes        *file,
                                      const guint8  *sign_public,
                                      const guint8  *steunpunt_id,
                                      const guint8  *device_id,
                                      GError       **error);

G_END_DECLS
