/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-client-item.h: one row of the client list (KoersClientList's
 * items): the id, name, phase, outcome, country and year of birth of a
 * client, and whether their changes have reached the office ("delivery",
 * read apart, a page of rows at a time). */
#pragma once

#include <glib-object.h>

#include "store/koers-store-page.h"

G_BEGIN_DECLS

/* "delivery" before it is read, or when this laptop is not enrolled:
 * nothing to show. Otherwise a KoersDelivery. */
#define KOERS_CLIENT_ITEM_DELIVERY_NONE (-1)

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
/* When the file was made (the UUIDv7 id's time, local), or NULL. */
GDateTime       *koers_client_item_dup_added   (KoersClientItem *self);
/* The line under the name: country of origin by name in the UI language
 * and year of birth (the day the file was made when neither is known), so
 * that two people of the same name do not look alike; then phase and
 * outcome. */
char            *koers_client_item_dup_detail  (KoersClientItem *self);
int              koers_client_item_get_delivery (KoersClientItem *self);
void             koers_client_item_set_delivery (KoersClientItem *self,
                                                 int              delivery);
/* "changed-elsewhere": changes from another laptop arrived since the
 * current worker last opened the file (read with the delivery). */
gboolean         koers_client_item_get_changed_elsewhere (KoersClientItem *self);
void             koers_client_item_set_changed_elsewhere (KoersClientItem *self,
                                                          gboolean         changed);

G_END_DECLS
