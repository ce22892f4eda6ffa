/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-orgs-page.h: the organisations directory in Preferences, kept by a
 * coordinator: referral organisations by kind (where a conversation
 * refers a client) and partner organisations abroad by country (chosen on
 * a return plan). A fresh vault starts with an empty list. */
#pragma once

#include <adwaita.h>

#include "store/koers-store.h"

G_BEGIN_DECLS

#define KOERS_TYPE_ORGS_PAGE (koers_orgs_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersOrgsPage, koers_orgs_page, KOERS, ORGS_PAGE, AdwPreferencesPage)

KoersOrgsPage *koers_orgs_page_new (KoersStore *store);

G_END_DECLS
