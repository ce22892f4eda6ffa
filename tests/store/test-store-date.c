/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dates as people write them (koers-date) and countries by name
 * (koers-country): pure functions, no vault. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include <locale.h>

#include "koers-country.h"
#include "koers-date.h"

static void
assert_parses (const char *typed,
               const char *iso)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *parsed = koers_date_parse (typed, &error);

  g_test_message ("typed: %s", typed);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed, ==, iso);
}

/* Refused with a message that does not repeat what was typed, and that
 * contains @hint. */
static void
assert_refused (const char *typed,
                const char *hint)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *parsed = koers_date_parse (typed, &error);

  /* at most 40 bytes, escaped: one test types 10 MB and one bytes that are not UTF-8 */
  {
    g_autofree char *shown = typed ? g_strescape (typed, NULL) : g_strdup ("(null)");
    g_test_message ("typed: %.40s", shown);
  }
  g_assert_null (parsed);
  g_assert_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, hint));
  /* (the examples in the messages are 10-12-2026 and 10 december 2026) */
  if (typed != NULL && strlen (typed) >= 4 && !strstr ("10-12-2026 10 december 2026", typed))
    g_assert_null (strstr (error->message, typed));
}

static void
test_parse (void)
{
  static const char *const forms[] = {
    "10-12-2026", "10/12/2026", "10.12.2026", "10 12 2026", " 10-12-2026 ", "2026-12-10",
    "10 dec 2026", "10 dec. 2026", "10 Dec 2026", "10 december 2026", "10 December 2026",
    "10-dec-2026", "December 10, 2026", "dec 10 2026", "10 DECEMBER 2026",
  };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    assert_parses (forms[i], "2026-12-10");
  /* single digits, Dutch and English names and abbreviations */
  assert_parses ("1-2-2026", "2026-02-01");
  assert_parses ("3 mrt 2026", "2026-03-03");
  assert_parses ("3 maart 2026", "2026-03-03");
  assert_parses ("3 mar. 2026", "2026-03-03");
  assert_parses ("3 march 2026", "2026-03-03");
  assert_parses ("5 mei 2026", "2026-05-05");
  assert_parses ("5 may 2026", "2026-05-05");
  assert_parses ("7 okt 2026", "2026-10-07");
  assert_parses ("7 oct 2026", "2026-10-07");
  assert_parses ("7 oktober 2026", "2026-10-07");
  assert_parses ("9 sept. 2026", "2026-09-09");
  assert_parses ("9 aug 2026", "2026-08-09");
  assert_parses ("9 augustus 2026", "2026-08-09");
  assert_parses ("9 juni 2026", "2026-06-09");
  assert_parses ("9 juli 2026", "2026-07-09");
  assert_parses ("9 jan 2026", "2026-01-09");
  assert_parses ("9 februari 2026", "2026-02-09");
  /* day first: 03-04 is the 3rd of April */
  assert_parses ("03-04-2026", "2026-04-03");
}

static void
test_leap_years (void)
{
  assert_parses ("29-02-2024", "2024-02-29");
  assert_parses ("29 feb 2000", "2000-02-29");
  assert_refused ("29-02-2026", "does not have this day");
  assert_refused ("29-02-1900", "does not have this day");
  assert_refused ("29-02-2100", "does not have this day");
  assert_parses ("28-02-2100", "2100-02-28");
}

static void
test_refused (void)
{
  assert_refused (NULL, "Type a date");
  assert_refused ("", "Type a date");
  assert_refused ("   ", "Type a date");
  assert_refused ("31-02-2026", "does not have this day");
  assert_refused ("31-04-2026", "does not have this day");
  assert_refused ("0-04-2026", "does not have this day");
  assert_refused ("2026-13-01", "twelve months");
  assert_refused ("12-31-2026", "twelve months");
  assert_refused ("10-12-26", "year in full");
  assert_refused ("10 xyz 2026", "month cannot be read");
  assert_refused ("10 ma 2026", "month cannot be read");
  assert_refused ("morgen", "cannot be read");
  assert_refused ("volgende week dinsdag", "cannot be read");
  assert_refused ("10-12-2026 14:00", "cannot be read");
  assert_refused ("10-12", "cannot be read");
  assert_refused ("10 décembre 2026", "cannot be read");
  assert_refused ("١٠-١٢-٢٠٢٦", "cannot be read");
  assert_refused ("10-12-1850", "between 1900 and 2200");
  assert_refused ("10-12-20266", "cannot be read");
  assert_refused ("100-12-2026", "cannot be read");
  assert_refused ("\xff\xfe", "cannot be read");
  {
    g_autofree char *huge = g_strnfill (10 * 1024 * 1024, '1');
    assert_refused (huge, "cannot be read");
  }
}

static void
test_format (void)
{
  g_autofree char *nl = koers_date_format ("2026-12-10", "nl");
  g_autofree char *nl_full = koers_date_format ("2026-03-01", "nl_NL.UTF-8");
  g_autofree char *en = koers_date_format ("2026-12-10", "en");
  g_autofree char *fallback = koers_date_format ("2026-05-09", NULL);
  g_autofree char *odd = koers_date_format ("not a date", "nl");

  g_assert_cmpstr (nl, ==, "10 december 2026");
  g_assert_cmpstr (nl_full, ==, "1 maart 2026");
  g_assert_cmpstr (en, ==, "10 December 2026");
  g_assert_cmpstr (fallback, ==, "9 May 2026");
  g_assert_cmpstr (odd, ==, "not a date");
  g_assert_null (koers_date_format (NULL, "nl"));
  /* the process locale plays no part */
  if (setlocale (LC_ALL, "nl_NL.UTF-8") != NULL || setlocale (LC_ALL, "C.UTF-8") != NULL)
    {
      g_autofree char *again = koers_date_format ("2026-12-10", "en");
      g_assert_cmpstr (again, ==, "10 December 2026");
    }
  setlocale (LC_ALL, "C");
  /* what is shown is read back */
  for (int m = 1; m <= 12; m++)
    {
      g_autofree char *iso = g_strdup_printf ("2026-%02d-28", m);
      g_autofree char *dutch = koers_date_format (iso, "nl");
      g_autofree char *english = koers_date_format (iso, "en");
      assert_parses (dutch, iso);
      assert_parses (english, iso);
    }
}

static void
test_arithmetic (void)
{
  g_autofree char *end_of_month = koers_date_add_months ("2026-01-31", 1);
  g_autofree char *leap = koers_date_add_months ("2024-01-31", 1);
  g_autofree char *year = koers_date_add_months ("2025-06-10", 12);
  g_autofree char *back = koers_date_add_days ("2026-03-01", -1);
  g_autofree char *ahead = koers_date_add_days ("2024-12-31", 1);

  g_assert_cmpstr (end_of_month, ==, "2026-02-28");
  g_assert_cmpstr (leap, ==, "2024-02-29");
  g_assert_cmpstr (year, ==, "2026-06-10");
  g_assert_cmpstr (back, ==, "2026-02-28");
  g_assert_cmpstr (ahead, ==, "2025-01-01");
  g_assert_null (koers_date_add_days ("2026-02-30", 1));
  g_assert_null (koers_date_add_days (NULL, 1));
  g_assert_true (koers_date_read_iso ("2024-02-29", NULL));
  g_assert_false (koers_date_read_iso ("2024-2-29", NULL));
  g_assert_false (koers_date_read_iso ("2024-02-29x", NULL));
  g_assert_false (koers_date_read_iso ("+024-02-09", NULL));
}

/* Countries ---------------------------------------------------------------------------- */

static void
assert_found_first (const char *typed,
                    const char *code)
{
  g_auto (GStrv) found = koers_country_find (typed, "nl", 5);

  g_test_message ("typed: %s", typed);
  g_assert_nonnull (found[0]);
  g_assert_cmpstr (found[0], ==, code);
}

static void
test_country_names (void)
{
  g_auto (GStrv) all_nl = koers_country_list ("nl", FALSE);
  g_auto (GStrv) all_en = koers_country_list ("en", FALSE);

  g_assert_cmpstr (koers_country_name ("GE", "nl"), ==, "Georgië");
  g_assert_cmpstr (koers_country_name ("GE", "en"), ==, "Georgia");
  g_assert_cmpstr (koers_country_name ("BY", "nl_NL.UTF-8"), ==, "Belarus");
  g_assert_cmpstr (koers_country_name ("MK", "nl"), ==, "Noord-Macedonië");
  g_assert_cmpstr (koers_country_name ("SY", "en"), ==, "Syria");
  g_assert_cmpstr (koers_country_name ("CD", "nl"), ==, "DR Congo");
  g_assert_cmpstr (koers_country_name ("XK", "nl"), ==, "Kosovo");
  g_assert_cmpstr (koers_country_name ("ER", NULL), ==, "Eritrea");
  g_assert_null (koers_country_name ("QQ", "nl"));
  g_assert_null (koers_country_name ("er", "nl"));
  g_assert_null (koers_country_name (NULL, "nl"));
  g_assert_true (koers_country_is_valid ("XK"));
  g_assert_false (koers_country_is_valid ("EU"));

  /* every code has both names, and the lists sort by the shown name */
  g_assert_cmpuint (g_strv_length (all_nl), ==, 250);
  g_assert_cmpuint (g_strv_length (all_en), ==, 250);
  for (guint i = 0; all_nl[i] != NULL; i++)
    {
      g_assert_true (koers_country_is_valid (all_nl[i]));
      g_assert_nonnull (koers_country_name (all_nl[i], "en"));
      g_assert_cmpstr (koers_country_name (all_nl[i], "nl"), !=, "");
    }
  g_assert_cmpstr (all_nl[0], ==, "AF");
  g_assert_cmpstr (koers_country_name (all_nl[g_strv_length (all_nl) - 1], "nl"), ==, "Zwitserland");
  g_assert_cmpstr (koers_country_name (all_en[g_strv_length (all_en) - 1], "en"), ==, "Zimbabwe");
  /* accents do not sort a name apart: Åland between Afghanistan and Albania */
  g_assert_cmpstr (all_en[0], ==, "AF");
  g_assert_cmpstr (all_en[1], ==, "AX");
}

static void
test_country_find (void)
{
  g_auto (GStrv) none = koers_country_find ("xyzzy", "nl", 0);
  g_auto (GStrv) empty = koers_country_find ("  ", "nl", 0);
  g_auto (GStrv) many = koers_country_find ("g", "nl", 0);
  g_auto (GStrv) capped = koers_country_find ("g", "nl", 3);

  assert_found_first ("Georgië", "GE");
  assert_found_first ("georgie", "GE");
  assert_found_first ("GEORGIA", "GE");
  assert_found_first ("Eritrea", "ER");
  assert_found_first ("erit", "ER");
  assert_found_first ("Wit-Rusland", "BY");
  assert_found_first ("wit rusland", "BY");
  assert_found_first ("belarus", "BY");
  assert_found_first ("Ivoorkust", "CI");
  assert_found_first ("cote d'ivoire", "CI");
  assert_found_first ("Côte d’Ivoire", "CI");
  assert_found_first ("ivory", "CI");
  assert_found_first ("Irak", "IQ");
  assert_found_first ("iraq", "IQ");
  assert_found_first ("afgh", "AF");
  assert_found_first ("Somaliland", "SO");
  assert_found_first ("Turkey", "TR");
  assert_found_first ("Turkije", "TR");
  assert_found_first ("türkiye", "TR");
  assert_found_first ("kosovo", "XK");
  /* a word inside the name: "Congo" finds both Congos, the whole name first */
  {
    g_auto (GStrv) congo = koers_country_find ("congo", "nl", 0);
    g_assert_cmpuint (g_strv_length (congo), >=, 2);
    g_assert_true (g_strv_contains ((const char *const *) congo, "CD"));
    g_assert_true (g_strv_contains ((const char *const *) congo, "CG"));
  }
  g_assert_null (none[0]);
  g_assert_null (empty[0]);
  g_assert_cmpuint (g_strv_length (many), >, 3);
  g_assert_cmpuint (g_strv_length (capped), ==, 3);
  {
    g_autofree char *huge = g_strnfill (1024 * 1024, 'a');
    g_auto (GStrv) nothing = koers_country_find (huge, "nl", 0);
    g_auto (GStrv) invalid = koers_country_find ("\xff\xfe", "nl", 0);
    g_assert_null (nothing[0]);
    g_assert_null (invalid[0]);
  }
}

static void
test_country_erso (void)
{
  g_auto (GStrv) erso = koers_country_list ("nl", TRUE);
  guint n = g_strv_length (erso);
  static const char *const expected[] = { "AF", "IQ", "ET", "GE", "XK",
                                          "MN", "SL", "UA", "NG", "PK" };

  g_assert_cmpuint (n, >=, 40);
  g_assert_cmpuint (n, <=, 50);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (koers_country_is_erso (expected[i]));
      g_assert_true (g_strv_contains ((const char *const *) erso, expected[i]));
    }
  g_assert_false (koers_country_is_erso ("NL"));
  g_assert_false (koers_country_is_erso ("QQ"));
  for (guint i = 0; i < n; i++)
    g_assert_true (koers_country_is_erso (erso[i]));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/date/parse", test_parse);
  g_test_add_func ("/store/date/leap-years", test_leap_years);
  g_test_add_func ("/store/date/refused", test_refused);
  g_test_add_func ("/store/date/format", test_format);
  g_test_add_func ("/store/date/arithmetic", test_arithmetic);
  g_test_add_func ("/store/country/names", test_country_names);
  g_test_add_func ("/store/country/find", test_country_find);
  g_test_add_func ("/store/country/erso", test_country_erso);
  return g_test_run ();
}
