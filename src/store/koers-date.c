/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-date.c: reading typed dates and writing them for people. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "koers-date.h"

G_DEFINE_QUARK (koers-date-error-quark, koers_date_error)

#define MIN_YEAR 1900
#define MAX_YEAR 2200

static const char *const months_en[] = {
  "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December",
};
static const char *const months_nl[] = {
  "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
  "oktober", "november", "december",
};

#define INVALID(error, ...) \
  (g_set_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_INVALID, __VA_ARGS__), NULL)

/* Stored dates ------------------------------------------------------------------ */

gboolean
koers_date_read_iso (const char *iso,
                     GDate      *date)
{
  int y, m, d;

  if (iso == NULL || strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso[i]))
      return FALSE;
  y = atoi (iso);
  m = atoi (iso + 5);
  d = atoi (iso + 8);
  if (y < MIN_YEAR || y > MAX_YEAR || !g_date_valid_dmy (d, m, y))
    return FALSE;
  if (date != NULL)
    {
      g_date_clear (date, 1);
      g_date_set_dmy (date, d, m, y);
    }
  return TRUE;
}

static char *
iso_of (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

typedef void (*DateShift) (GDate *date, guint n);

static char *
shift (const char *iso,
       int         n,
       DateShift   forward,
       DateShift   backward)
{
  GDate date;

  if (!koers_date_read_iso (iso, &date))
    return NULL;
  if (n >= 0)
    forward (&date, n);
  else
    backward (&date, -n);
  return iso_of (&date);
}

char *
koers_date_add_days (const char *iso,
                     int         days)
{
  return shift (iso, days, g_date_add_days, g_date_subtract_days);
}

char *
koers_date_add_months (const char *iso,
                       int         months)
{
  return shift (iso, months, g_date_add_months, g_date_subtract_months);
}

char *
koers_date_format (const char *iso,
                   const char *language)
{
  gboolean dutch = language != NULL && g_ascii_strncasecmp (language, "nl", 2) == 0;
  GDate date;

  if (iso == NULL)
    return NULL;
  if (!koers_date_read_iso (iso, &date))
    return g_strdup (iso);
  return g_strdup_printf ("%u %s %u", g_date_get_day (&date),
                          (dutch ? months_nl : months_en)[g_date_get_month (&date) - 1],
                          g_date_get_year (&date));
}

/* Typed dates --------------------------------------------------------------------- */

typedef struct
{
  char *text;      /* digits, or letters in lower case */
  gboolean digits;
} Token;

/* Splits @typed into runs of digits and of letters; spaces, '-', '/', '.'
 * and ',' separate them. FALSE if anything else is in it. */
static gboolean
tokenize (const char *typed,
          GArray     *tokens)
{
  const char *p = typed;

  while (*p != '\0')
    {
      const char *start = p;
      Token token = { NULL, g_ascii_isdigit (*p) };

      if (strchr (" \t-/.,", *p) != NULL)
        {
          p++;
          continue;
        }
      if (!g_ascii_isdigit (*p) && !g_ascii_isalpha (*p))
        return FALSE;
      while (*p != '\0' && (token.digits ? g_ascii_isdigit (*p) : g_ascii_isalpha (*p)))
        p++;
      token.text = g_ascii_strdown (start, p - start);
      g_array_append_val (tokens, token);
    }
  return TRUE;
}

static void
token_clear (Token *token)
{
  g_free (token->text);
}

/* 1-12 for a month name or its abbreviation (at least three letters) in
 * Dutch or English; "mrt" too. 0 if none. */
static int
month_of_name (const char *word)
{
  gsize len = strlen (word);

  if (g_str_equal (word, "mrt"))
    return 3;
  if (len < 3)
    return 0;
  for (int m = 0; m < 12; m++)
    if (g_ascii_strncasecmp (months_en[m], word, len) == 0 && strlen (months_en[m]) >= len)
      return m + 1;
  for (int m = 0; m < 12; m++)
    if (strncmp (months_nl[m], word, len) == 0 && strlen (months_nl[m]) >= len)
      return m + 1;
  return 0;
}

static int
number_of (const Token *token,
           gsize        max_digits)
{
  if (!token->digits || strlen (token->text) > max_digits)
    return -1;
  return atoi (token->text);
}

/* Day, month and year from three tokens: 2026-12-10, 10-12-2026,
 * 10 dec 2026 or December 10 2026. */
static gboolean
read_parts (const Token *t,
            int         *d,
            int         *m,
            int         *y,
            GError     **error)
{
  if (t[0].digits && strlen (t[0].text) == 4)
    {
      *y = number_of (&t[0], 4);
      *m = t[1].digits ? number_of (&t[1], 2) : month_of_name (t[1].text);
      *d = number_of (&t[2], 2);
    }
  else
    {
      gboolean month_first = !t[0].digits;

      *d = number_of (&t[month_first ? 1 : 0], 2);
      *m = t[month_first ? 0 : 1].digits ? number_of (&t[1], 2)
                                         : month_of_name (t[month_first ? 0 : 1].text);
      if (!t[2].digits || strlen (t[2].text) != 4)
        {
          g_set_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_INVALID,
                       t[2].digits && strlen (t[2].text) <= 2
                         ? _("Type the year in full, for example 10-12-2026.")
                         : _("This date cannot be read. Type it as 10-12-2026."));
          return FALSE;
        }
      *y = atoi (t[2].text);
    }
  if (*d < 0 || *m < 0 || (!t[1].digits && !t[0].digits))
    {
      g_set_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_INVALID,
                   _("This date cannot be read. Type it as 10-12-2026."));
      return FALSE;
    }
  return TRUE;
}

static char *
check_parts (int      d,
             int      m,
             int      y,
             GError **error)
{
  GDate date;

  if (m == 0)
    return INVALID (error, _("This month cannot be read. Type it as a number or a name, "
                             "for example 10-12-2026 or 10 december 2026."));
  if (m > 12)
    return INVALID (error, _("A year has twelve months. Type the day first, then the month: "
                             "10-12-2026."));
  if (y < MIN_YEAR || y > MAX_YEAR)
    return INVALID (error, _("The year must lie between %d and %d."), MIN_YEAR, MAX_YEAR);
  if (d < 1 || !g_date_valid_dmy (d, m, y))
    return INVALID (error, _("That month does not have this day. Check the day and the month."));
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return iso_of (&date);
}

char *
koers_date_parse (const char  *typed,
                  GError     **error)
{
  g_autoptr (GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  int d = 0, m = 0, y = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_array_set_clear_func (tokens, (GDestroyNotify) token_clear);
  if (typed == NULL || typed[strspn (typed, " \t\n")] == '\0')
    return INVALID (error, _("Type a date, for example 10-12-2026."));
  if (strlen (typed) > 64 || !tokenize (typed, tokens) || tokens->len != 3)
    return INVALID (error, _("This date cannot be read. Type it as 10-12-2026."));
  if (!read_parts ((const Token *) tokens->data, &d, &m, &y, error))
    return NULL;
  return check_parts (d, m, y, error);
}
