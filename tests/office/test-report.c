/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-report.c: the office's reports and pseudonymised export over a real
 * vault with known cases: every figure equals the count the test makes
 * from its own data, in CSV, JSON, XLSX (read back with unzip) and PDF
 * (read back with pdftotext); explain lists the clients behind each. */
#include "config.h"

#define G_LOG_DOMAIN "koers-office-test"

#include <glib/gstdio.h>
#include <string.h>

#include "koers-office-export.h"
#include "koers-office-report.h"
#include "test-report-data.h"

#define TODAY "2026-12-01"

static GBytes *
secret_of (char fill)
{
  guchar key[32];

  memset (key, fill, sizeof key);
  return g_bytes_new (key, sizeof key);
}

/* The report in @format, as bytes. */
static GBytes *
run_report (ReportData *d, const char *period, const char *steunpunt,
            KoersReportFormat format, const char *lang)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gboolean ok = koers_office_report_run (d->f.store, period, steunpunt, format, lang, out, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The parsers give figure id -> value, as text. */
static GHashTable *
parse_csv (GBytes *bytes)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  g_assert_cmpstr (lines[0], ==, "section,figure,label,value,total,share,target");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      /* Labels may be quoted; the id is the second field, the value the
       * fourth counted from the end. */
      g_auto(GStrv) head = g_strsplit (lines[i], ",", 3);
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      guint n = g_strv_length (fields);

      g_assert_cmpuint (n, >=, 7);
      g_hash_table_insert (values, g_strdup (head[1]), g_strdup (fields[n - 4]));
    }
  return values;
}

static char *
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static char *
save (GBytes *bytes, const char *name)
{
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  return path;
}

static GHashTable *
parse_json (GBytes *bytes)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = save (bytes, "report.json");
  const char *argv[] = { "jq", "-r", ".figures[] | \"\\(.id)\\t\\(.value)\"", path, NULL };
  g_autofree char *out = run_tool (argv);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) kv = g_strsplit (lines[i], "\t", 2);

      g_hash_table_insert (values, g_strdup (kv[0]), g_strdup (kv[1]));
    }
  g_unlink (path);
  return values;
}

/* The XML text of <t> elements of sharedStrings.xml, unescaped. */
static GPtrArray *
shared_strings (const char *path)
{
  const char *argv[] = { "unzip", "-p", path, "xl/sharedStrings.xml", NULL };
  g_autofree char *xml = run_tool (argv);
  g_autoptr(GRegex) re = g_regex_new ("<t[^>]*>([^<]*)</t>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);

  for (g_regex_match (re, xml, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    g_ptr_array_add (strings, g_match_info_fetch (match, 1));
  return strings;
}

/* Column B (the id, a shared string) and D (the value) of each row of the
 * first sheet. */
static GHashTable *
parse_xlsx (GBytes *bytes)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = save (bytes, "report.xlsx");
  g_autoptr(GPtrArray) strings = shared_strings (path);
  const char *sheet_argv[] = { "unzip", "-p", path, "xl/worksheets/sheet1.xml", NULL };
  const char *list_argv[] = { "unzip", "-l", path, NULL };
  g_autofree char *xml = run_tool (sheet_argv);
  g_autofree char *listing = run_tool (list_argv);
  g_autoptr(GRegex) re = g_regex_new ("<c r=\"B(\\d+)\"[^>]*t=\"s\"[^>]*><v>(\\d+)</v></c>"
                                      "(?:<c r=\"C\\d+\"[^>]*><v>\\d+</v></c>)?"
                                      "<c r=\"D\\d+\"[^>]*><v>([0-9.]+)</v></c>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  /* The charts are native: drawings with charts in the workbook. */
  g_assert_nonnull (strstr (listing, "xl/charts/chart1.xml"));
  g_assert_nonnull (strstr (listing, "xl/charts/chart2.xml"));
  for (g_regex_match (re, xml, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *index = g_match_info_fetch (match, 2);
      guint i = (guint) g_ascii_strtoull (index, NULL, 10);

      g_assert_cmpuint (i, <, strings->len);
      g_hash_table_insert (values, g_strdup (g_ptr_array_index (strings, i)),
                           g_match_info_fetch (match, 3));
    }
  /* The header row. */
  g_assert_true (g_hash_table_remove (values, "figure"));
  g_unlink (path);
  return values;
}

static void
assert_values (GHashTable *expected, const KoersReport *report, GHashTable *parsed, const char *what)
{
  /* Every figure the test expects is in the output, with its value... */
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, report_expected_value (expected, id));

      if (g_strcmp0 (g_hash_table_lookup (parsed, id), want) != 0)
        g_error ("%s: figure %s is %s, expected %s", what, (char *) id,
                 (char *) g_hash_table_lookup (parsed, id), want);
    }
  /* ...and every figure in the output is expected (or zero). */
  g_assert_cmpuint (g_hash_table_size (parsed), ==, report->figures->len);
  g_hash_table_iter_init (&iter, parsed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, report_expected_value (expected, id));

      if (g_strcmp0 (g_hash_table_lookup (parsed, id), want) != 0)
        g_error ("%s: figure %s is %s, expected %s", what, (char *) id,
                 (char *) g_hash_table_lookup (parsed, id), want);
    }
}

static char *
pdf_page (const char *path, guint page)
{
  g_autofree char *n = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftotext", "-layout", "-f", n, "-l", n, path, "-", NULL };

  return run_tool (argv);
}

/* The PDF: a title page, a page per section with its figures and the
 * charts' pages. */
static void
check_pdf (GBytes *bytes, GHashTable *expected, const KoersReport *report)
{
  g_autofree char *path = save (bytes, "report.pdf");
  const char *info_argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = run_tool (info_argv);
  g_autofree char *title = pdf_page (path, 1);
  g_autofree char *reach = pdf_page (path, 2);
  g_autofree char *outcomes = pdf_page (path, 5);
  g_autofree char *monitoring = pdf_page (path, 7);
  const char *reach_ids[] = { "reached", "reached.new", "reached.continuing", "conversations",
                              "left_out.no_consent" };
  gboolean english = strcmp (report->language, "en") == 0;

  g_assert_nonnull (g_regex_match_simple ("Pages:\\s+7\\n", info, 0, 0) ? info : NULL);
  g_assert_nonnull (strstr (title, english ? "Koers — report" : "Koers — rapportage"));
  g_assert_nonnull (strstr (title, report->period.label));
  g_assert_nonnull (strstr (reach, koers_report_section_title ("reach", report->language)));
  for (guint i = 0; i < G_N_ELEMENTS (reach_ids); i++)
    {
      const KoersReportFigure *fig = koers_report_find (report, reach_ids[i]);
      g_autofree char *pattern = g_strdup_printf ("%s\\s+%" G_GINT64_FORMAT "\\n",
                                                  fig->label, report_expected_value (expected, reach_ids[i]));

      g_assert_true (g_regex_match_simple (pattern, reach, 0, 0));
    }
  g_assert_nonnull (strstr (outcomes, english ? "Chart: outcomes" : "Grafiek: uitkomsten"));
  g_assert_nonnull (strstr (monitoring, english ? "Chart: indicator against the target"
                                                : "Grafiek: indicator tegen het doel"));
  g_assert_nonnull (strstr (monitoring, english ? "target 75%" : "doel 75%"));
  g_assert_nonnull (strstr (monitoring, english ? "target 50%" : "doel 50%"));
  g_unlink (path);
}

typedef struct
{
  const char *period;
  const char *from;
  const char *to;
  int         steunpunt;     /* -1: all */
  gboolean    by_name;
  const char *lang;
} Case;

static const Case cases[] = {
  { "2026", "2026-01-01", "2026-12-31", -1, FALSE, NULL },
  { "2026Q3", "2026-07-01", "2026-09-30", 1, TRUE, "en" },
  { "2026-01..2026-06", "2026-01-01", "2026-06-30", 2, FALSE, "nl" },
  { "2025", "2025-01-01", "2025-12-31", -1, FALSE, "en" },
};

static void
test_figures (ReportData *d, gconstpointer unused)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      const char *sp = c->steunpunt < 0 ? NULL
                       : c->by_name ? d->steunpunt_names[c->steunpunt] : d->steunpunt_ids[c->steunpunt];
      g_autoptr(GHashTable) expected = report_expect (d, c->from, c->to, TODAY, c->steunpunt);
      g_autoptr(KoersReport) report = koers_office_report_compute (d->f.store, c->period, sp, c->lang, NULL);
      g_autoptr(GBytes) csv = run_report (d, c->period, sp, KOERS_REPORT_FORMAT_CSV, c->lang);
      g_autoptr(GBytes) json = run_report (d, c->period, sp, KOERS_REPORT_FORMAT_JSON, c->lang);
      g_autoptr(GBytes) xlsx = run_report (d, c->period, sp, KOERS_REPORT_FORMAT_XLSX, c->lang);
      g_autoptr(GBytes) pdf = run_report (d, c->period, sp, KOERS_REPORT_FORMAT_PDF, c->lang);
      g_autoptr(GHashTable) from_csv = parse_csv (csv);
      g_autoptr(GHashTable) from_json = parse_json (json);
      g_autoptr(GHashTable) from_xlsx = parse_xlsx (xlsx);

      g_test_message ("period %s, steunpunt %d", c->period, c->steunpunt);
      g_assert_nonnull (report);
      g_assert_cmpstr (report->period.from, ==, c->from);
      g_assert_cmpstr (report->period.to, ==, c->to);
      /* The data puts something in most figures of the full year. */
      if (i == 0)
        {
          g_assert_cmpuint (g_hash_table_size (expected), >=, 30);
          /* ...and leaves out files without reporting consent. */
          g_assert_cmpint (report_expected_value (expected, "left_out.no_consent"), >, 0);
        }
      assert_values (expected, report, from_csv, "csv");
      assert_values (expected, report, from_json, "json");
      assert_values (expected, report, from_xlsx, "xlsx");
      check_pdf (pdf, expected, report);
    }
}

static gboolean
strv_has (char **strv, const char *s)
{
  return strv != NULL && g_strv_contains ((const char *const *) strv, s);
}

/* explain lists exactly the pseudonyms of the clients behind a figure. */
static void
test_explain (ReportData *d, gconstpointer unused)
{
  g_autoptr(GBytes) secret = secret_of (7);
  g_autoptr(GHashTable) expected = report_expect (d, "2026-01-01", "2026-12-31", TODAY, -1);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer id, value;
  char **none;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &id, &value))
    {
      ExpectedFigure *e = value;
      g_auto(GStrv) cases_behind = koers_office_report_explain (d->f.store, "2026", NULL, id, secret, &error);
      GHashTableIter clients;
      gpointer client_id;

      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (cases_behind), ==, g_hash_table_size (e->clients));
      g_hash_table_iter_init (&clients, e->clients);
      while (g_hash_table_iter_next (&clients, &client_id, NULL))
        {
          g_autofree char *pseudonym = koers_office_pseudonym (secret, client_id);

          g_assert_true (strv_has (cases_behind, pseudonym));
        }
      for (guint i = 1; cases_behind[0] != NULL && cases_behind[i] != NULL; i++)
        g_assert_cmpstr (cases_behind[i - 1], <, cases_behind[i]);
    }
  /* Of the files left out for lack of consent, explain names none. */
  {
    g_auto(GStrv) left_out = koers_office_report_explain (d->f.store, "2026", NULL,
                                                          "left_out.no_consent", secret, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (left_out), ==, 0);
  }
  none = koers_office_report_explain (d->f.store, "2026", NULL, "no.such.figure", secret, &error);
  g_assert_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_FIGURE);
  g_assert_null (none);
}

static void
test_bad_input (ReportData *d, gconstpointer unused)
{
  const char *bad[] = { "", "2026Q5", "26", "2026-13", "2026-06..2026-01", "Q3", "2026-01..", "abcd", NULL };
  g_autoptr(GError) error = NULL;
  KoersReportFormat format;

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(KoersReport) report = koers_office_report_compute (d->f.store, bad[i], NULL, NULL, &error);

      g_assert_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_PERIOD);
      g_assert_null (report);
      g_clear_error (&error);
    }
  {
    g_autoptr(KoersReport) report = koers_office_report_compute (d->f.store, "2026", "Nergens", NULL, &error);

    g_assert_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_STEUNPUNT);
    g_assert_null (report);
  }
  g_assert_true (koers_report_format_from_name ("XLSX", &format));
  g_assert_cmpint (format, ==, KOERS_REPORT_FORMAT_XLSX);
  g_assert_false (koers_report_format_from_name ("docx", &format));
}

static char *
export (ReportData *d, GBytes *secret, KoersExportFormat format, gboolean with_names)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gboolean ok = koers_office_export_pseudonymised (d->f.store, secret, format, with_names, out, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* Nothing that identifies a person, in any script. */
static void
assert_nothing_identifying (ReportData *d, const char *text)
{
  for (guint i = 0; report_names[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (report_names[i], " ", -1);
      g_auto(GStrv) alias_words = g_strsplit (report_aliases[i], " ", -1);

      g_assert_null (strstr (text, report_notes[i]));
      for (guint w = 0; words[w] != NULL; w++)
        g_assert_null (strstr (text, words[w]));
      for (guint w = 0; alias_words[w] != NULL; w++)
        g_assert_null (strstr (text, alias_words[w]));
    }
  for (guint i = 0; i < REPORT_N_CASES; i++)
    {
      g_autofree char *v = g_strdup_printf ("%08u", 91000000 + i);
      g_autofree char *phone = g_strdup_printf ("5550 %04u", 7000 + i);
      g_autofree char *birth = g_strdup_printf ("1987-03-%02u", (i % 28) + 1);

      g_assert_null (strstr (text, v));
      g_assert_null (strstr (text, phone));
      g_assert_null (strstr (text, birth));
    }
  g_assert_null (strstr (text, "Slaapt slecht"));
  g_assert_null (strstr (text, "winkel van zijn oom"));
  g_assert_null (strstr (text, "Tester"));
}

static void
test_export (ReportData *d, gconstpointer unused)
{
  g_autoptr(GBytes) secret = secret_of (7);
  g_autoptr(GBytes) other = secret_of (9);
  g_autofree char *csv = export (d, secret, KOERS_EXPORT_FORMAT_CSV, FALSE);
  g_autofree char *csv_again = export (d, secret, KOERS_EXPORT_FORMAT_CSV, FALSE);
  g_autofree char *json = export (d, secret, KOERS_EXPORT_FORMAT_JSON, FALSE);
  g_autofree char *csv_other = export (d, other, KOERS_EXPORT_FORMAT_CSV, FALSE);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);
  g_autofree char *json_path = NULL;
  guint reported = 0;

  assert_nothing_identifying (d, csv);
  assert_nothing_identifying (d, json);
  /* One row per client with reporting consent, each with its pseudonym
   * and birth year only; none for the others. */
  for (guint i = 0; i < REPORT_N_CASES; i++)
    reported += report_case_consents (&d->cases[i]);
  g_assert_cmpuint (reported, <, REPORT_N_CASES);
  g_assert_cmpuint (g_strv_length (lines), ==, reported + 2);
  g_assert_true (g_str_has_prefix (lines[0], "case,steunpunt,birth_year,"));
  g_assert_cmpstr (csv, ==, csv_again);
  for (guint i = 0; i < REPORT_N_CASES; i++)
    {
      g_autofree char *mine = koers_office_pseudonym (secret, d->cases[i].client_id);
      g_autofree char *theirs = koers_office_pseudonym (other, d->cases[i].client_id);
      g_autofree char *row_start = g_strdup_printf ("\r\n%s,%s,1987,", mine,
                                                    d->steunpunt_names[d->cases[i].steunpunt]);

      if (!report_case_consents (&d->cases[i]))
        {
          g_assert_null (strstr (csv, mine));
          g_assert_null (strstr (json, mine));
          g_assert_null (strstr (csv_other, theirs));
          continue;
        }
      g_assert_nonnull (strstr (csv, row_start));
      g_assert_nonnull (strstr (json, mine));
      g_assert_null (strstr (csv_other, mine));
      g_assert_nonnull (strstr (csv_other, theirs));
      g_assert_cmpstr (mine, !=, theirs);
    }
  /* The JSON is valid, with as many cases. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
    const char *argv[] = { "jq", "length", NULL, NULL };
    g_autofree char *out = NULL;

    json_path = save (bytes, "export.json");
    argv[2] = json_path;
    out = run_tool (argv);
    g_assert_cmpint (atoi (out), ==, reported);
    g_unlink (json_path);
  }
}

static gboolean
audit_has (ReportData *d, const char *entity)
{
  g_autoptr(GPtrArray) audit = koers_store_list_audit (d->f.store, NULL, NULL);

  for (guint i = 0; i < audit->len; i++)
    {
      KoersAuditEntry *entry = g_ptr_array_index (audit, i);

      if (g_strcmp0 (entry->entity, entity) == 0 && g_strcmp0 (entry->action, "export") == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_export_with_names (ReportData *d, gconstpointer unused)
{
  g_autoptr(GBytes) secret = secret_of (7);
  g_autoptr(GBytes) short_secret = g_bytes_new ("short", 5);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *entity = g_strdup_printf ("named_export:%u", REPORT_N_CASES);
  g_autofree char *plain = NULL;
  g_autofree char *first_name = g_strdup_printf ("%s 0", report_names[0]);

  g_assert_false (audit_has (d, entity));
  plain = export (d, secret, KOERS_EXPORT_FORMAT_CSV, TRUE);
  g_assert_true (g_str_has_prefix (plain, "case,name,steunpunt,"));
  g_assert_nonnull (strstr (plain, first_name));
  g_assert_true (audit_has (d, entity));
  /* Without a proper secret, nothing is written. */
  g_assert_false (koers_office_export_pseudonymised (d->f.store, short_secret, KOERS_EXPORT_FORMAT_CSV,
                                                     FALSE, out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/office/report/figures", ReportData, NULL, report_data_setup, test_figures, report_data_teardown);
  g_test_add ("/office/report/explain", ReportData, NULL, report_data_setup, test_explain, report_data_teardown);
  g_test_add ("/office/report/bad-input", ReportData, NULL, report_data_setup, test_bad_input, report_data_teardown);
  g_test_add ("/office/export/pseudonymised", ReportData, NULL, report_data_setup, test_export, report_data_teardown);
  g_test_add ("/office/export/with-names", ReportData, NULL, report_data_setup, test_export_with_names,
              report_data_teardown);
  return g_test_run ();
}
