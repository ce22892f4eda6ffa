/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-report-pdf.c: a report as a PDF (cairo + pango, no GTK).
 *
 * A title page, then a page per section: its figures as a table and, where
 * the section has one, a chart drawn with cairo (monitoring: each
 * indicator against its target; outcomes, returns and referrals: bars).
 */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n-lib.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "koers-office-report.h"

#define PAGE_W  595.0   /* A4 in points */
#define PAGE_H  842.0
#define MARGIN  56.0
#define ROW_H   18.0

static const char *const sections[] = {
  "reach", "psychosocial", "referrals", "outcomes", "returns", "monitoring",
};

static const char *
tr (const KoersReport *report, const char *nl, const char *en)
{
  return strcmp (report->language, "en") == 0 ? en : nl;
}

static cairo_status_t
write_to_stream (void *closure, const unsigned char *data, unsigned int length)
{
  GOutputStream *out = closure;

  return g_output_stream_write_all (out, data, length, NULL, NULL, NULL)
         ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Draws @text at (@x, @y) in @font, at most @width wide; returns its height. */
static double
draw_text (cairo_t *cr, const char *text, const char *font, double x, double y, double width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static void
title_page (const KoersReport *report, cairo_t *cr)
{
  g_autofree char *period = g_strdup_printf ("%s: %s – %s", report->period.label,
                                             report->period.from, report->period.to);
  g_autofree char *made = g_strdup_printf ("%s %s", tr (report, "Gemaakt op", "Made on"),
                                           report->made_on);
  double y = PAGE_H / 3;

  y += draw_text (cr, tr (report, "Koers — rapportage", "Koers — report"), "Sans Bold 26",
                  MARGIN, y, PAGE_W - 2 * MARGIN) + 16;
  y += draw_text (cr, period, "Sans 14", MARGIN, y, PAGE_W - 2 * MARGIN) + 8;
  y += draw_text (cr, report->steunpunt_name ? report->steunpunt_name
                                             : tr (report, "Alle steunpunten", "Every steunpunt"),
                  "Sans 14", MARGIN, y, PAGE_W - 2 * MARGIN) + 8;
  draw_text (cr, made, "Sans 10", MARGIN, y, PAGE_W - 2 * MARGIN);
  cairo_show_page (cr);
}

static char *
value_text (const KoersReportFigure *fig)
{
  if (fig->total <= 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, fig->value);
  return g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " (%.0f%%)",
                          fig->value, fig->total, 100.0 * fig->value / fig->total);
}

/* The section's figures as a table; returns where it ends. */
static double
draw_table (const KoersReport *report, cairo_t *cr, const char *section, double y)
{
  for (guint i = 0; i < report->figures->len; i++)
    {
      const KoersReportFigure *fig = g_ptr_array_index (report->figures, i);
      g_autofree char *value = NULL;
      double h;

      if (strcmp (fig->section, section) != 0)
        continue;
      if (y > PAGE_H - MARGIN - ROW_H)
        {
          cairo_show_page (cr);  /* a long section goes on */
          y = MARGIN;
        }
      value = value_text (fig);
      h = draw_text (cr, fig->label, "Sans 10", MARGIN, y, 330);
      draw_text (cr, value, "Sans 10", MARGIN + 340, y, PAGE_W - 2 * MARGIN - 340);
      y += MAX (h, ROW_H) + 2;
    }
  return y;
}

/* One bar of a chart: @label, the bar at @fraction of @width, and for a
 * target a line at @target. */
static void
draw_bar (cairo_t *cr, double y, const char *label, const char *value, double fraction,
          double target, double width)
{
  double x = MARGIN + 180;

  draw_text (cr, label, "Sans 9", MARGIN, y, 175);
  cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
  cairo_rectangle (cr, x, y, width, 14);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.16, 0.42, 0.62);
  cairo_rectangle (cr, x, y, width * CLAMP (fraction, 0, 1), 14);
  cairo_fill (cr);
  if (target > 0)
    {
      cairo_set_source_rgb (cr, 0.8, 0.2, 0.1);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x + width * target, y - 3);
      cairo_line_to (cr, x + width * target, y + 17);
      cairo_stroke (cr);
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_text (cr, value, "Sans 9", x + width + 8, y, 130);
}

static gint64
largest_value (const KoersReport *report, const char *prefix)
{
  gint64 max = 0;

  for (guint i = 0; i < report->figures->len; i++)
    {
      const KoersReportFigure *fig = g_ptr_array_index (report->figures, i);

      if (g_str_has_prefix (fig->id, prefix))
        max = MAX (max, fig->value);
    }
  return max;
}

/* A chart of the figures under @prefix: shares against targets, or
 * counts against the largest. */
static void
draw_chart (const KoersReport *report, cairo_t *cr, const char *title, const char *prefix, double y)
{
  gint64 max = largest_value (report, prefix);
  double width = PAGE_W - 2 * MARGIN - 320;

  y += draw_text (cr, title, "Sans Bold 12", MARGIN, y, PAGE_W - 2 * MARGIN) + 10;
  for (guint i = 0; i < report->figures->len && y < PAGE_H - MARGIN - 20; i++)
    {
      const KoersReportFigure *fig = g_ptr_array_index (report->figures, i);
      g_autofree char *value = NULL;

      if (!g_str_has_prefix (fig->id, prefix))
        continue;
      if (fig->target > 0)
        {
          double share = fig->total > 0 ? (double) fig->value / fig->total : 0;

          value = g_strdup_printf ("%.0f%% (%s %.0f%%)", 100 * share,
                                   tr (report, "doel", "target"), 100 * fig->target);
          draw_bar (cr, y, fig->label, value, share, fig->target, width);
        }
      else if (!g_str_has_prefix (prefix, "monitoring"))
        {
          value = g_strdup_printf ("%" G_GINT64_FORMAT, fig->value);
          draw_bar (cr, y, fig->label, value, max > 0 ? (double) fig->value / max : 0, 0, width);
        }
      else
        continue;
      y += 24;
    }
}

typedef struct
{
  const char *section;
  const char *prefix;
  const char *title_nl;
  const char *title_en;
} ChartSpec;

static const ChartSpec charts[] = {
  { "monitoring", "monitoring.", "Grafiek: indicator tegen het doel", "Chart: indicator against the target" },
  { "outcomes", "outcome.", "Grafiek: uitkomsten", "Chart: outcomes" },
  { "returns", "returns.country.", "Grafiek: terugkeer per land", "Chart: returns by country" },
  { "referrals", "referrals.kind.", "Grafiek: doorverwijzingen per soort", "Chart: referrals by kind" },
};

static void
section_page (const KoersReport *report, cairo_t *cr, const char *section)
{
  double y = MARGIN;

  y += draw_text (cr, koers_report_section_title (section, report->language), "Sans Bold 18",
                  MARGIN, y, PAGE_W - 2 * MARGIN) + 14;
  y = draw_table (report, cr, section, y) + 24;
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    if (strcmp (charts[i].section, section) == 0)
      {
        if (y > PAGE_H - 200)
          {
            cairo_show_page (cr);  /* the chart on a page of its own */
            y = MARGIN;
          }
        draw_chart (report, cr, tr (report, charts[i].title_nl, charts[i].title_en),
                  charts[i].prefix, y);
      }
  cairo_show_page (cr);
}

gboolean
koers_report_write_pdf (const KoersReport  *report,
                        GOutputStream      *out,
                        GError            **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write_to_stream, out,
                                                                   PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  tr (report, "Koers — rapportage", "Koers — report"));
  cairo_set_source_rgb (cr, 0, 0, 0);
  title_page (report, cr);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    section_page (report, cr, sections[i]);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_FORMAT,
                   _("The PDF could not be written: %s."), cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
