/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-report.h: the office's figures for funders and steunpunten.
 *
 * Read from an open KoersStore (the office vault holds the same case model
 * as a laptop), per period and optionally per steunpunt, in CSV, JSON,
 * XLSX or PDF, Dutch or English. Every figure keeps the clients behind it,
 * so koers_office_report_explain() reconciles it. The definitions are in
 * docs/office.md, "Reports". GLib, cairo, pango and libxlsxwriter only.
 */
#pragma once

#include <gio/gio.h>

#include "koers-store.h"

G_BEGIN_DECLS

#define KOERS_OFFICE_REPORT_ERROR (koers_office_report_error_quark ())

typedef enum
{
  KOERS_OFFICE_REPORT_ERROR_PERIOD,     /* a period that cannot be read */
  KOERS_OFFICE_REPORT_ERROR_STEUNPUNT,  /* no such steunpunt */
  KOERS_OFFICE_REPORT_ERROR_FIGURE,     /* no such figure */
  KOERS_OFFICE_REPORT_ERROR_FORMAT,     /* no such format, or writing it failed */
} KoersOfficeReportError;

GQuark koers_office_report_error_quark (void);

typedef enum
{
  KOERS_REPORT_FORMAT_CSV,
  KOERS_REPORT_FORMAT_JSON,
  KOERS_REPORT_FORMAT_XLSX,
  KOERS_REPORT_FORMAT_PDF,
} KoersReportFormat;

gboolean koers_report_format_from_name (const char        *name,
                                        KoersReportFormat *format);

/* A period, both ends included, as "YYYY-MM-DD". */
typedef struct
{
  char *from;
  char *to;
  char *label;   /* as given: "2026Q3" */
} KoersReportPeriod;

void koers_report_period_clear (KoersReportPeriod *period);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KoersReportPeriod, koers_report_period_clear)

/* "2026Q3", "2026", "2026-03", "2026-01..2026-06". */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_report_period_parse (const char        *text,
                                    KoersReportPeriod *period,
                                    GError           **error);

typedef struct
{
  char       *id;        /* "reached.new", "returns.country.AF" */
  const char *section;   /* "reach", "psychosocial", ... */
  char       *label;     /* in the report's language */
  gint64      value;
  gint64      total;     /* the denominator of a share; 0: none */
  double      target;    /* a share to reach (0.75); 0: none */
  GHashTable *clients;   /* client ids behind the value (a set) */
} KoersReportFigure;

typedef struct
{
  KoersReportPeriod period;
  char             *steunpunt_name;   /* NULL: every steunpunt */
  char             *language;         /* "nl" or "en" */
  char             *made_on;          /* the store's today */
  GPtrArray        *figures;          /* KoersReportFigure, in report order */
} KoersReport;

void koers_report_free (KoersReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersReport, koers_report_free)

/* The figures of @period for @steunpunt (its id or name; NULL: all), with
 * labels in @lang ("nl" by default, "en"). */
G_GNUC_WARN_UNUSED_RESULT
KoersReport *koers_office_report_compute (KoersStore  *store,
                                          const char  *period,
                                          const char  *steunpunt,
                                          const char  *lang,
                                          GError     **error);

const KoersReportFigure *koers_report_find (const KoersReport *report,
                                            const char        *figure_id);

/* Computes the report and writes it to @out in @format. */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_office_report_run (KoersStore        *store,
                                  const char        *period,
                                  const char        *steunpunt,
                                  KoersReportFormat  format,
                                  const char        *lang,
                                  GOutputStream     *out,
                                  GError           **error);

/* The pseudonymous case ids (koers_office_pseudonym() with @secret) of the
 * clients behind @figure_id, sorted. Free with g_strfreev(). */
G_GNUC_WARN_UNUSED_RESULT
char   **koers_office_report_explain (KoersStore  *store,
                                      const char  *period,
                                      const char  *steunpunt,
                                      const char  *figure_id,
                                      GBytes      *secret,
                                      GError     **error);

/* Writers (koers-office-report-write.c, -xlsx.c, -pdf.c). */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_report_write_csv  (const KoersReport *report, GOutputStream *out, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_report_write_json (const KoersReport *report, GOutputStream *out, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_report_write_xlsx (const KoersReport *report, GOutputStream *out, GError **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_report_write_pdf  (const KoersReport *report, GOutputStream *out, GError **error);

/* A section's title in the report's language. */
const char *koers_report_section_title (const char *section,
                                        const char *lang);

G_END_DECLS
