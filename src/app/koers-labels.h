/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-labels.h: what a person reads for the store's vocabularies, and
 * dates in the UI language. Plain functions, no class. */
#pragma once

#include <glib.h>

#include "store/koers-records.h"

G_BEGIN_DECLS

/* Translated label of a conversation topic or barrier name (the store's
 * koers_topic_names / koers_barrier_names); the name itself if unknown. */
const char *koers_label_topic   (const char *name);
const char *koers_label_barrier (const char *name);
const char *koers_label_owner   (KoersOwner  owner);
const char *koers_label_plan_status (KoersPlanStatus status);
const char *koers_label_role    (KoersRole    role);
const char *koers_label_referral_status (KoersReferralStatus status);
const char *koers_label_org_kind (KoersOrgKind kind);
/* A return plan's support items and a check-in's answers. */
const char *koers_label_support_kind   (KoersSupportKind   kind);
const char *koers_label_support_status (KoersSupportStatus status);
const char *koers_label_answer         (KoersAnswer        answer);
/* "Check-in after 3 months" */
char       *koers_label_checkin        (int                months);
const char *koers_ui_language   (void);
const char *koers_label_country (const char *code);
/* What a person reads for a client's phase or outcome. */
const char *koers_phase_label   (KoersPhase   phase);
const char *koers_outcome_label (KoersOutcome outcome);

/* "YYYY-MM-DD" as the UI language writes a date ("23 november 2026"), or
 * a copy of @iso when it is not a date. NULL gives NULL. */
char       *koers_label_date    (const char *iso);

/* A day ("23 November 2026") and a day with time ("23 November, 14:05")
 * in the UI language: month names follow the translation, not LC_TIME. */
char       *koers_label_day      (GDateTime  *date);
char       *koers_label_day_time (GDateTime  *date);

G_END_DECLS
