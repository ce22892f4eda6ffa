/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-report-data.h: a store filled with known cases, and the figures the
 * test expects, counted from the cases themselves (never from the store). */
#pragma once

#include "store-fixture.h"

G_BEGIN_DECLS

#define REPORT_N_CASES      48
#define REPORT_N_STEUNPUNTEN 3

/* The client's reporting consent records: granted; none at all; granted,
 * then withdrawn; refused, then granted. */
typedef enum { REPORT_CONSENT_GRANTED, REPORT_CONSENT_NONE, REPORT_CONSENT_WITHDRAWN,
               REPORT_CONSENT_GRANTED_LATER } ReportConsent;

/* One client's known history. Dates "YYYY-MM-DD"; NULL: none. */
typedef struct
{
  char       *client_id;
  guint       steunpunt;          /* index */
  char       *conversations[2];
  gboolean    signal;             /* on the first conversation */
  char       *counsellor_on;      /* a referral to a counsellor, made */
  char       *org_on;             /* a referral to an organisation, accepted */
  guint       org;                /* index: return, legal aid, mental health */
  char       *proposed_on;        /* a referral only proposed */
  KoersOutcome outcome;
  char       *closed_on;
  gboolean    plan_agreed;        /* a plan, agreed, not departed */
  char       *departed_on;
  const char *country;
  int         partner;            /* index, -1: none */
  char       *checkin_due;        /* the 12-month check-in */
  char       *checkin_held;
  KoersAnswer social, economic;
  ReportConsent reporting;        /* pseudonymous_reporting */
} ReportCase;

typedef struct
{
  StoreFixture f;
  char        *steunpunt_ids[REPORT_N_STEUNPUNTEN];
  char        *steunpunt_names[REPORT_N_STEUNPUNTEN];
  char        *org_ids[3];
  char        *partner_ids[2];
  ReportCase   cases[REPORT_N_CASES];
} ReportData;

/* The texts that identify a person, in every script the data uses. */
extern const char *const report_names[];
extern const char *const report_aliases[];
extern const char *const report_notes[];

void        report_data_setup     (ReportData *d, gconstpointer unused);
void        report_data_teardown  (ReportData *d, gconstpointer unused);
/* Whether case @c may be reported (its latest reporting consent grants it). */
gboolean    report_case_consents  (const ReportCase *c);

typedef struct
{
  gint64      value;
  GHashTable *clients;   /* client ids */
} ExpectedFigure;

/* figure id -> ExpectedFigure, for @steunpunt (index, -1: all); only the
 * cases with reporting consent, and "left_out.no_consent" counting the
 * others that some figure would have counted (no clients behind it). */
GHashTable *report_expect         (ReportData *d,
                                   const char *from,
                                   const char *to,
                                   const char *today,
                                   int         steunpunt);
/* 0 for a figure not expected at all. */
gint64      report_expected_value (GHashTable *expected,
                                   const char *figure_id);

G_END_DECLS
