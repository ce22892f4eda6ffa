/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli-demo.h: the word lists the demo draws fictional files from. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a fictional client comes from. Name parts are "native|Latin" (the
 * Latin half is how the client spells it in Latin letters, used as an
 * alias) or just the name for Latin-script origins. Lists end in NULL. */
typedef struct
{
  const char        *script;     /* "Arabic", "Ge'ez", ... (for the summary) */
  guint              weight;     /* relative share of the clients */
  const char *const *countries;  /* ISO 3166 alpha-2 */
  const char *const *languages;
  const char *const *male;
  const char *const *female;
  const char *const *family;
  gboolean           interpreter; /* usually needs one */
} KoersDemoOrigin;

typedef struct
{
  const char *code;     /* ISO 3166 alpha-2 */
  const char *name_nl;  /* in Dutch, for the notes */
  const char *city;     /* region of return and the partner's seat */
} KoersDemoCountry;

extern const KoersDemoOrigin  koers_demo_origins[];
extern const guint            koers_demo_n_origins;
extern const KoersDemoCountry koers_demo_countries[];

const KoersDemoCountry *koers_demo_country (const char *code);

/* Reference data. */
extern const char *const koers_demo_steunpunten[];  /* "name|city" */
extern const char *const koers_demo_volunteers[];
extern const char *const koers_demo_counsellors[];
extern const char *const koers_demo_consultants[];
/* "kind|name", kind as in KoersOrgKind order. */
extern const char *const koers_demo_referral_orgs[];

/* Notes, in Dutch as volunteers write them, with placeholders: {naam} the
 * given name, {hij}/{Hij} he or she, {hem} him or her, {zijn}/{Zijn} his or
 * her, {land} the country in Dutch, {stad} the city of the steunpunt. */
extern const char *const koers_demo_openings[];
extern const char *const koers_demo_topic_notes[4];    /* by koers_topic_names */
extern const char *const koers_demo_barrier_notes[9];  /* by koers_barrier_names */
extern const char *const koers_demo_signal_notes[];
extern const char *const koers_demo_closings[];
extern const char *const koers_demo_addenda[];

extern const char *const koers_demo_next_steps[];
extern const char *const koers_demo_referral_reasons[6];  /* by KoersOrgKind */
extern const char *const koers_demo_return_steps[];      /* "owner|text", owner 0..2 */
extern const char *const koers_demo_support_items[5];     /* by KoersSupportKind */
extern const char *const koers_demo_checkin_notes[];

G_END_DECLS
