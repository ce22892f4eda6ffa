/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The language setting: the startup path main.c takes shows Koers in the
 * chosen language, also under the C locale, and dates follow the UI
 * language (month names from the translation, not from LC_TIME). Each
 * case sets the environment itself: the language is process-wide. */
#include "config.h"

#define G_LOG_DOMAIN "test-language"

#include <glib/gi18n.h>
#include <string.h>

#include "koers-labels.h"
#include "koers-settings.h"

static void
start_with (const char *language,
            const char *lc_all)
{
  g_autoptr(GSettings) settings = koers_settings_new ();
  const char *localedir = g_getenv ("KOERS_LOCALEDIR");

  g_assert_nonnull (settings);
  g_assert_nonnull (localedir);
  g_setenv ("LC_ALL", lc_all, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_assert_true (g_settings_set_string (settings, "language", language));
  koers_settings_setup_language (localedir);
  g_assert_cmpstr (koers_settings_get_startup_language (), ==, language);
}

static void
assert_dates (const char *day,
              const char *day_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_local (2026, 11, 23, 14, 5, 0);
  g_autoptr(GDateTime) may = g_date_time_new_local (2026, 5, 1, 9, 30, 0);
  g_autofree char *label = koers_label_date ("2026-11-23");
  g_autofree char *label_day = koers_label_day (when);
  g_autofree char *label_day_time = koers_label_day_time (may);

  g_assert_cmpstr (label, ==, day);
  g_assert_cmpstr (label_day, ==, day);
  g_assert_cmpstr (label_day_time, ==, day_time);
}

static void
test_dutch (void)
{
  start_with ("nl", "C.UTF-8");
  g_assert_cmpstr (_("Steunpunt saved"), ==, "Steunpunt opgeslagen");
  g_assert_cmpstr (koers_label_plan_status (KOERS_PLAN_CLOSED), ==, "Afgesloten");
  assert_dates ("23 november 2026", "1 mei, 09:30");
}

/* gettext ignores LANGUAGE under plain C; the setting still wins. */
static void
test_dutch_under_c_locale (void)
{
  start_with ("nl", "C");
  g_assert_cmpstr (_("Steunpunt saved"), ==, "Steunpunt opgeslagen");
  assert_dates ("23 november 2026", "1 mei, 09:30");
}

/* English wins over a Dutch LANGUAGE, too. */
static void
test_english (void)
{
  g_autoptr(GSettings) settings = koers_settings_new ();

  start_with ("nl", "C.UTF-8");
  g_assert_cmpstr (_("Steunpunt saved"), ==, "Steunpunt opgeslagen");
  g_settings_set_string (settings, "language", "en");
  koers_settings_setup_language (g_getenv ("KOERS_LOCALEDIR"));
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "en");
  g_assert_cmpstr (_("Steunpunt saved"), ==, "Steunpunt saved");
  assert_dates ("23 November 2026", "1 May, 09:30");
}

/* An empty setting leaves the computer's language (here LANGUAGE=nl). */
static void
test_system (void)
{
  start_with ("", "C.UTF-8");
  g_assert_cmpstr (_("Steunpunt saved"), ==, "Steunpunt saved");
  g_setenv ("LANGUAGE", "nl", TRUE);
  koers_settings_setup_language (g_getenv ("KOERS_LOCALEDIR"));
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "nl");
  g_assert_cmpstr (_("Steunpunt saved"), ==, "Steunpunt opgeslagen");
  assert_dates ("23 november 2026", "1 mei, 09:30");
}

/* The wording a Dutch volunteer reads: one word for a check-in
 * ("monitoringscontact") wherever one is named, "begeleider" for a
 * counsellor, "achterstallig" for overdue, "datum" for a due date, and
 * countries by their current Dutch names. */
static void
test_dutch_wording (void)
{
  const char *checkins[] = { "check-in", "date of the check-in", "Latest check-in", "No check-in held yet",
                             "Record the check-in", "A check-in cannot be before the departure.",
                             "Monitoring Check-ins", "Set the departure date of the return plan before planning check-ins." };
  const char *counsellors[] = { "counsellor", "Offer a referral to a counsellor",
                                "Refer to a counsellor or organisation",
                                "Signs of distress that a counsellor should follow up" };

  start_with ("nl", "C.UTF-8");
  for (guint i = 0; i < G_N_ELEMENTS (checkins); i++)
    {
      g_autofree char *dutch = g_utf8_strdown (_(checkins[i]), -1);

      g_assert_nonnull (strstr (dutch, "monitoringscontact"));
    }
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "Check-in after %d month", "Check-in after %d months", 3), ==,
                   "Monitoringscontact na %d maanden");
  for (guint i = 0; i < G_N_ELEMENTS (counsellors); i++)
    {
      g_autofree char *dutch = g_utf8_strdown (_(counsellors[i]), -1);

      g_assert_nonnull (strstr (dutch, "begeleider"));
      g_assert_null (strstr (dutch, "hulpverlener"));
    }
  g_assert_cmpstr (koers_label_role (KOERS_ROLE_COUNSELLOR), ==, "Begeleider");
  g_assert_cmpstr (koers_label_referral_status (KOERS_REFERRAL_MADE), ==, "Doorverwezen");
  g_assert_cmpstr (_("Overdue"), ==, "Achterstallig");
  g_assert_cmpstr (_("%s — overdue since %s"), ==, "%s — achterstallig sinds %s");
  g_assert_cmpstr (_("due date"), ==, "datum");
  g_assert_cmpstr (koers_label_country ("GE"), ==, "Georgië");
  g_assert_cmpstr (koers_label_country ("BY"), ==, "Belarus");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/language/dutch", test_dutch);
  g_test_add_func ("/ui/language/dutch-under-c-locale", test_dutch_under_c_locale);
  g_test_add_func ("/ui/language/english", test_english);
  g_test_add_func ("/ui/language/system", test_system);
  g_test_add_func ("/ui/language/dutch-wording", test_dutch_wording);
  return g_test_run ();
}
