/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-client-item.h: one row of the client list (KoersClientList's
 * items): the id, name, phase and outcome of a client, no more. */
#pragma once

#include <glib-object.h>

#include "store/koers-store-page.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CLIENT_ITEM (koers_client_item_get_type ())
G_DECLARE_FINAL_TYPE (KoersClientItem, koers_client_item, KOERS, CLIENT_ITEM, GObject)

/* Takes @row. */
KoersClientItem *koers_client_item_new         (KoersClientRow  *row);
const char      *koers_client_item_get_id      (KoersClientItem *self);
/* Whether the item shows exactly @row (same client, same text). */
gboolean         koers_client_item_shows       (KoersClientItem      *self,
                                                const KoersClientRow *row);
const char      *koers_client_item_get_name    (KoersClientItem *self);
KoersPhase       koers_client_item_get_phase   (KoersClientItem *self);
KoersOutcome     koers_client_item_get_outcome (KoersClientItem *self);
const char      *koers_client_item_get_country (KoersClientItem *self);
int              koers_client_item_get_birth_year (KoersClientItem *self);

G_END_DECLS
