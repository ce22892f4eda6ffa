/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "koers-dav-error.h"

G_DEFINE_QUARK (koers-dav-error-quark, koers_dav_error)

/* A day: a Retry-After beyond it is a server's mistake, not a plan. */
#define RETRY_AFTER_MAX_S (24 * 60 * 60)

gboolean
koers_dav_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != KOERS_DAV_ERROR)
    return FALSE;
  switch ((KoersDavError) error->code)
    {
    case KOERS_DAV_ERROR_OFFLINE:
    case KOERS_DAV_ERROR_TIMEOUT:
    case KOERS_DAV_ERROR_CONNECTION_LOST:
    case KOERS_DAV_ERROR_SERVER_BUSY:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_busy_status (guint status)
{
  return status == 408 || status == 423 || status == 429 || (status >= 500 && status != 507 && status < 600);
}

gboolean
koers_dav_error_from_status (guint    status,
                             GError **error)
{
  if (status >= 200 && status < 300)
    return TRUE;
  if (is_busy_status (status))
    {
      g_set_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_SERVER_BUSY,
                   _("The office’s server is busy or has a problem (HTTP %u). Koers will try again later."), status);
      return FALSE;
    }
  switch (status)
    {
    case 401:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_UNAUTHORIZED,
                           _("The office’s server did not accept this laptop’s user name or app password. Koers has stopped syncing; ask the office for a new enrollment file."));
      break;
    case 403:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_FORBIDDEN,
                           _("The office’s server does not let this laptop write to its folder (HTTP 403). Ask the office to check the folder’s permissions."));
      break;
    case 404:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND,
                           _("The office’s server does not have the expected folder or file (HTTP 404). Ask the office to check the server’s address."));
      break;
    case 405:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_ALLOWED,
                           _("The office’s server does not allow this request (HTTP 405). Ask the office to check that the address is a WebDAV folder."));
      break;
    case 409:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CONFLICT,
                           _("A folder is missing on the office’s server (HTTP 409)."));
      break;
    case 412:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_EXISTS,
                           _("A file with this name is already on the office’s server."));
      break;
    case 413:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_TOO_LARGE,
                           _("The office’s server refused a file as too large (HTTP 413). Ask the office to raise the server’s upload limit."));
      break;
    case 507:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_STORAGE_FULL,
                           _("The office’s server is full (HTTP 507). Ask the office to make room on it."));
      break;
    default:
      g_set_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL,
                   _("The office’s server gave an unexpected answer (HTTP %u). Ask the office to check the server."), status);
      break;
    }
  return FALSE;
}

/* Retry-After (RFC 9110 §10.2.3) is either delay-seconds or an HTTP date;
 * the answer is seconds from @now (0 when absent, past or unreadable). */
guint
koers_dav_parse_retry_after (const char *value,
                             GDateTime  *now)
{
  g_autofree char *trimmed = NULL;
  guint64 seconds = 0;

  if (value == NULL)
    return 0;
  trimmed = g_strstrip (g_strdup (value));
  if (trimmed[0] == '\0')
    return 0;
  if (g_ascii_isdigit (trimmed[0]))
    {
      if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT64, &seconds, NULL))
        return 0;
    }
  else
    {
      gint64 when = (gint64) g_date_time_to_unix (now);
      int hour = 0, minute = 0, second = 0;
      char day_name[4], month_name[4], zone[4];
      int day = 0, year = 0;
      static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
      guint month = 0;

      /* IMF-fixdate, the only form a sender may generate. */
      if (sscanf (trimmed, "%3s, %d %3s %d %d:%d:%d %3s", day_name, &day, month_name,
                  &year, &hour, &minute, &second, zone) != 8 || g_strcmp0 (zone, "GMT") != 0)
        return 0;
      for (guint i = 0; i < G_N_ELEMENTS (months); i++)
        if (g_ascii_strcasecmp (month_name, months[i]) == 0)
          month = i + 1;
      if (month == 0 || hour > 23 || minute > 59 || second > 60)
        return 0;
      {
        g_autoptr(GDateTime) at = g_date_time_new_utc (year, month, day, hour, minute, MIN (second, 59));
        gint64 then = at != NULL ? g_date_time_to_unix (at) : 0;

        if (then <= when)
          return 0;
        seconds = (guint64) (then - when);
      }
    }
  return (guint) MIN (seconds, (guint64) RETRY_AFTER_MAX_S);
}

guint64
koers_dav_backoff_ms (guint attempt,
                      guint base_ms,
                      guint cap_ms,
                      guint retry_after_s)
{
  guint64 ceiling = cap_ms;
  guint64 delay;
  guint64 floor_ms = (guint64) MIN (retry_after_s, RETRY_AFTER_MAX_S) * 1000;

  /* base * 2^attempt, without overflow for any attempt. */
  if (attempt < 32 && ((guint64) base_ms << attempt) < ceiling)
    ceiling = (guint64) base_ms << attempt;
  delay = (guint64) (g_random_double () * (double) (ceiling + 1));
  delay = MIN (delay, ceiling);
  return MAX (delay, floor_ms);
}
