/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-report-xlsx.c: a report as a workbook with native charts.
 *
 * libxlsxwriter writes to a file only: the workbook goes to a private
 * folder (0700) that is removed at once after it was copied to the
 * stream. A report holds counts and organisation names, never a client.
 */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n-lib.h>

#include <glib/gstdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "koers-office-report.h"

static const char *
tr (const KoersReport *report, const char *nl, const char *en)
{
  return strcmp (report->language, "en") == 0 ? en : nl;
}

static void
write_figures (const KoersReport *report, lxw_workbook *book)
{
  lxw_worksheet *sheet = workbook_add_worksheet (book, tr (report, "Cijfers", "Figures"));
  const char *head[] = { "section", "figure", "label", "value", "total", "share", "target" };

  for (guint c = 0; c < G_N_ELEMENTS (head); c++)
    worksheet_write_string (sheet, 0, (lxw_col_t) c, head[c], NULL);
  worksheet_set_column (sheet, 1, 2, 36, NULL);
  for (guint i = 0; i < report->figures->len; i++)
    {
      const KoersReportFigure *fig = g_ptr_array_index (report->figures, i);
      lxw_row_t row = (lxw_row_t) i + 1;

      worksheet_write_string (sheet, row, 0, fig->section, NULL);
      worksheet_write_string (sheet, row, 1, fig->id, NULL);
      worksheet_write_string (sheet, row, 2, fig->label, NULL);
      worksheet_write_number (sheet, row, 3, (double) fig->value, NULL);
      if (fig->total > 0)
        {
          worksheet_write_number (sheet, row, 4, (double) fig->total, NULL);
          worksheet_write_number (sheet, row, 5, (double) fig->value / fig->total, NULL);
        }
      if (fig->target > 0)
        worksheet_write_number (sheet, row, 6, fig->target, NULL);
    }
}

/* Writes the figures whose id starts with @prefix to columns A (label), B
 * (value or share) and, with @targets, C (target) from @first_row; returns
 * the number of rows. */
static lxw_row_t
write_chart_data (const KoersReport *report, lxw_worksheet *sheet, lxw_row_t first_row,
                  const char *prefix, gboolean shares)
{
  lxw_row_t n = 0;

  for (guint i = 0; i < report->figures->len; i++)
    {
      const KoersReportFigure *fig = g_ptr_array_index (report->figures, i);

      if (!g_str_has_prefix (fig->id, prefix) || (shares && fig->target <= 0))
        continue;
      worksheet_write_string (sheet, first_row + n, 0, fig->label, NULL);
      worksheet_write_number (sheet, first_row + n, 1,
                              shares ? (fig->total > 0 ? (double) fig->value / fig->total : 0)
                                     : (double) fig->value, NULL);
      if (shares)
        worksheet_write_number (sheet, first_row + n, 2, fig->target, NULL);
      n++;
    }
  return n;
}

static void
add_series (lxw_chart *chart, const char *sheet_name, lxw_row_t first, lxw_row_t n,
            lxw_col_t col, const char *name)
{
  lxw_chart_series *series = chart_add_series (chart, NULL, NULL);

  chart_series_set_categories (series, sheet_name, first, 0, first + n - 1, 0);
  chart_series_set_values (series, sheet_name, first, col, first + n - 1, col);
  chart_series_set_name (series, name);
}

/* A chart of the figures under @prefix, its data at @first_row, placed at
 * @place_row in column E. */
static lxw_row_t
add_chart (const KoersReport *report, lxw_workbook *book, lxw_worksheet *sheet,
           const char *sheet_name, lxw_row_t first_row, const char *prefix,
           const char *title, gboolean shares)
{
  lxw_row_t n;
  lxw_chart *chart;

  worksheet_write_string (sheet, first_row, 0, title, NULL);
  n = write_chart_data (report, sheet, first_row + 1, prefix, shares);
  if (n == 0)
    return 2;
  chart = workbook_add_chart (book, shares ? LXW_CHART_COLUMN : LXW_CHART_BAR);
  chart_title_set_name (chart, title);
  add_series (chart, sheet_name, first_row + 1, n, 1,
              shares ? tr (report, "Resultaat", "Result") : tr (report, "Aantal", "Count"));
  if (shares)
    {
      add_series (chart, sheet_name, first_row + 1, n, 2, tr (report, "Doel", "Target"));
      chart_axis_set_max (chart->y_axis, 1.0);
      chart_axis_set_min (chart->y_axis, 0.0);
    }
  worksheet_insert_chart (sheet, first_row, 4, chart);
  return MAX (n + 2, 16);
}

static void
write_charts (const KoersReport *report, lxw_workbook *book)
{
  const char *name = tr (report, "Grafieken", "Charts");
  lxw_worksheet *sheet = workbook_add_worksheet (book, name);
  lxw_row_t row = 0;

  worksheet_set_column (sheet, 0, 0, 36, NULL);
  row += add_chart (report, book, sheet, name, row, "monitoring.",
                    tr (report, "Monitoring na 12 maanden tegen het doel",
                        "Monitoring at 12 months against the target"), TRUE);
  row += add_chart (report, book, sheet, name, row, "outcome.",
                    koers_report_section_title ("outcomes", report->language), FALSE);
  row += add_chart (report, book, sheet, name, row, "returns.country.",
                    tr (report, "Terugkeer per land", "Returns by country"), FALSE);
  add_chart (report, book, sheet, name, row, "referrals.kind.",
             tr (report, "Doorverwijzingen per soort", "Referrals by kind"), FALSE);
}

static gboolean
copy_file (const char *path, GOutputStream *out, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;

  return g_file_get_contents (path, &data, &len, error) &&
         g_output_stream_write_all (out, data, len, NULL, NULL, error);
}

gboolean
koers_report_write_xlsx (const KoersReport  *report,
                         GOutputStream      *out,
                         GError            **error)
{
  g_autofree char *dir = g_dir_make_tmp ("koers-report-XXXXXX", error);
  g_autofree char *path = NULL;
  lxw_workbook *book;
  lxw_error rc;
  gboolean ok;

  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, "report.xlsx", NULL);
  book = workbook_new (path);
  if (book == NULL)
    {
      g_rmdir (dir);
      g_set_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_FORMAT,
                   _("The workbook could not be started."));
      return FALSE;
    }
  write_figures (report, book);
  write_charts (report, book);
  rc = workbook_close (book);
  ok = rc == LXW_NO_ERROR;
  if (!ok)
    g_set_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_FORMAT,
                 _("The workbook could not be written: %s."), lxw_strerror (rc));
  ok = ok && copy_file (path, out, error);
  g_unlink (path);
  g_rmdir (dir);
  return ok;
}
