/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-json.c: a recursive-descent JSON checker with a depth cap,
 * that keeps only the top-level "seq" of each line. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <string.h>

#include "koers-sync-json.h"

#define MAX_DEPTH 64

typedef struct
{
  const char *p;
  const char *end;
  guint       depth;
} Json;

static gboolean value (Json *j);

static void
skip_ws (Json *j)
{
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r'))
    j->p++;
}

static gboolean
eat (Json *j, char c)
{
  skip_ws (j);
  if (j->p < j->end && *j->p == c)
    {
      j->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
is_hex (char c)
{
  return g_ascii_isxdigit (c);
}

/* A string; TRUE with *is_seq when it is exactly "seq" (no escapes). */
static gboolean
string (Json *j, gboolean *is_seq)
{
  const char *start;

  if (!eat (j, '"'))
    return FALSE;
  start = j->p;
  while (j->p < j->end && *j->p != '"')
    {
      guchar c = (guchar) *j->p++;

      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        continue;
      if (j->p >= j->end)
        return FALSE;
      c = (guchar) *j->p++;
      if (c == 'u')
        {
          if (j->end - j->p < 4 || !is_hex (j->p[0]) || !is_hex (j->p[1])
              || !is_hex (j->p[2]) || !is_hex (j->p[3]))
            return FALSE;
          j->p += 4;
        }
      else if (strchr ("\"\\/bfnrt", c) == NULL || c == '\0')
        return FALSE;
    }
  if (j->p >= j->end)
    return FALSE;
  if (is_seq != NULL)
    *is_seq = j->p - start == 3 && memcmp (start, "seq", 3) == 0;
  j->p++;
  return TRUE;
}

static gboolean
digits (Json *j)
{
  const char *start = j->p;

  while (j->p < j->end && g_ascii_isdigit (*j->p))
    j->p++;
  return j->p > start;
}

/* A number; *integer is set when it is a non-negative integer that fits. */
static gboolean
number (Json *j, gboolean *is_uint, guint64 *integer)
{
  const char *start;
  gboolean plain = TRUE;

  skip_ws (j);
  start = j->p;
  if (j->p < j->end && *j->p == '-')
    j->p++, plain = FALSE;
  if (j->p < j->end && *j->p == '0')
    j->p++;
  else if (!digits (j))
    return FALSE;
  if (j->p < j->end && *j->p == '.')
    {
      j->p++, plain = FALSE;
      if (!digits (j))
        return FALSE;
    }
  if (j->p < j->end && (*j->p == 'e' || *j->p == 'E'))
    {
      j->p++, plain = FALSE;
      if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
        j->p++;
      if (!digits (j))
        return FALSE;
    }
  *is_uint = plain && j->p - start <= 19;   /* 19 digits always fit in 64 bits */
  *integer = 0;
  for (const char *q = start; *is_uint && q < j->p; q++)
    *integer = *integer * 10 + (guint64) (*q - '0');
  return TRUE;
}

static gboolean
literal (Json *j, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (j->end - j->p) < n || memcmp (j->p, word, n) != 0)
    return FALSE;
  j->p += n;
  return TRUE;
}

/* An object's members; at the top level, the "seq" member into @seq. */
static gboolean
members (Json *j, gboolean top, guint *n_seq, guint64 *seq)
{
  if (eat (j, '}'))
    return TRUE;
  do
    {
      gboolean is_seq = FALSE;

      if (!string (j, &is_seq) || !eat (j, ':'))
        return FALSE;
      if (top && is_seq)
        {
          gboolean is_uint;

          (*n_seq)++;
          if (!number (j, &is_uint, seq) || !is_uint)
            return FALSE;
        }
      else if (!value (j))
        return FALSE;
    }
  while (eat (j, ','));
  return eat (j, '}');
}

static gboolean
elements (Json *j)
{
  if (eat (j, ']'))
    return TRUE;
  do
    if (!value (j))
      return FALSE;
  while (eat (j, ','));
  return eat (j, ']');
}

static gboolean
value (Json *j)
{
  gboolean ok, is_uint;
  guint64 ignored;
  guint n_seq = 0;

  skip_ws (j);
  if (j->p >= j->end)
    return FALSE;
  switch (*j->p)
    {
    case '{':
    case '[':
      if (++j->depth > MAX_DEPTH)
        return FALSE;
      ok = *j->p++ == '{' ? members (j, FALSE, &n_seq, &ignored) : elements (j);
      j->depth--;
      return ok;
    case '"':
      return string (j, NULL);
    case 't':
      return literal (j, "true");
    case 'f':
      return literal (j, "false");
    case 'n':
      return literal (j, "null");
    default:
      return number (j, &is_uint, &ignored);
    }
}

static gboolean
check_line (const char  *line,
            gsize        len,
            guint64     *seq,
            const char **why)
{
  Json j = { line, line + len, 1 };
  guint n_seq = 0;

  if (!g_utf8_validate_len (line, len, NULL))
    return *why = "not UTF-8", FALSE;
  if (!eat (&j, '{') || !members (&j, TRUE, &n_seq, seq))
    return *why = "not a JSON object", FALSE;
  skip_ws (&j);
  if (j.p != j.end)
    return *why = "text after the object", FALSE;
  if (n_seq != 1)
    return *why = "no single \"seq\"", FALSE;
  return TRUE;
}

gboolean
koers_sync_jsonl_check (const char  *data,
                        gsize        len,
                        guint64      first_seq,
                        guint64      last_seq,
                        guint       *n_lines,
                        guint       *line,
                        const char **why)
{
  const char *p = data, *end = data + len;
  guint64 prev = 0;
  guint n = 0;

  *line = 0;
  if (len == 0 || data[len - 1] != '\n')
    return *why = "the last line does not end", FALSE;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      guint64 seq = 0;

      *line = ++n;
      if (nl == p)
        return *why = "an empty line", FALSE;
      if (!check_line (p, (gsize) (nl - p), &seq, why))
        return FALSE;
      if (n == 1 ? seq != first_seq : seq <= prev)
        return *why = n == 1 ? "does not start at the first sequence" : "sequence not ascending", FALSE;
      if (seq > last_seq)
        return *why = "sequence past the last", FALSE;
      prev = seq;
      p = nl + 1;
    }
  if (prev != last_seq)
    return *why = "does not end at the last sequence", FALSE;
  *n_lines = n;
  return TRUE;
}
