/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-report-write.c: a report as CSV and as JSON. */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <string.h>

#include "koers-office-export.h"
#include "koers-office-report.h"

void
koers_office_csv_field (GString    *out,
                        const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
koers_office_json_string (GString    *out,
                          const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

gboolean
koers_office_write_all (GOutputStream  *out,
                        GString        *text,
                        GError        **error)
{
  return g_output_stream_write_all (out, text->str, text->len, NULL, NULL, error);
}

/* A share as "0.625" (C locale), or empty. */
static void
append_share (GString *out, const KoersReportFigure *fig)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (fig->total > 0)
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.4f", (double) fig->value / fig->total));
}

static void
append_target (GString *out, const KoersReportFigure *fig)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (fig->target > 0)
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.2f", fig->target));
}

gboolean
koers_report_write_csv (const KoersReport  *report,
                        GOutputStream      *out,
                        GError            **error)
{
  g_autoptr(GString) text = g_string_new ("section,figure,label,value,total,share,target\r\n");

  for (guint i = 0; i < report->figures->len; i++)
    {
      const KoersReportFigure *fig = g_ptr_array_index (report->figures, i);

      koers_office_csv_field (text, fig->section);
      g_string_append_c (text, ',');
      koers_office_csv_field (text, fig->id);
      g_string_append_c (text, ',');
      koers_office_csv_field (text, fig->label);
      g_string_append_printf (text, ",%" G_GINT64_FORMAT ",", fig->value);
      if (fig->total > 0)
        g_string_append_printf (text, "%" G_GINT64_FORMAT, fig->total);
      g_string_append_c (text, ',');
      append_share (text, fig);
      g_string_append_c (text, ',');
      append_target (text, fig);
      g_string_append (text, "\r\n");
    }
  return koers_office_write_all (out, text, error);
}

static void
append_member (GString *out, const char *key, const char *value)
{
  koers_office_json_string (out, key);
  g_string_append (out, ": ");
  koers_office_json_string (out, value);
}

gboolean
koers_report_write_json (const KoersReport  *report,
                         GOutputStream      *out,
                         GError            **error)
{
  g_autoptr(GString) text = g_string_new ("{\n  \"period\": {");

  append_member (text, "label", report->period.label);
  g_string_append (text, ", ");
  append_member (text, "from", report->period.from);
  g_string_append (text, ", ");
  append_member (text, "to", report->period.to);
  g_string_append (text, "},\n  ");
  append_member (text, "steunpunt", report->steunpunt_name);
  g_string_append (text, ",\n  ");
  append_member (text, "language", report->language);
  g_string_append (text, ",\n  ");
  append_member (text, "made_on", report->made_on);
  g_string_append (text, ",\n  \"figures\": [");
  for (guint i = 0; i < report->figures->len; i++)
    {
      const KoersReportFigure *fig = g_ptr_array_index (report->figures, i);

      g_string_append (text, i == 0 ? "\n    {" : ",\n    {");
      append_member (text, "id", fig->id);
      g_string_append (text, ", ");
      append_member (text, "section", fig->section);
      g_string_append (text, ", ");
      append_member (text, "label", fig->label);
      g_string_append_printf (text, ", \"value\": %" G_GINT64_FORMAT, fig->value);
      if (fig->total > 0)
        {
          g_string_append_printf (text, ", \"total\": %" G_GINT64_FORMAT ", \"share\": ", fig->total);
          append_share (text, fig);
        }
      if (fig->target > 0)
        {
          g_string_append (text, ", \"target\": ");
          append_target (text, fig);
        }
      g_string_append_c (text, '}');
    }
  g_string_append (text, "\n  ]\n}\n");
  return koers_office_write_all (out, text, error);
}
