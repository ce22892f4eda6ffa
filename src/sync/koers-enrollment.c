/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-enrollment.c: fixed fields, then length-prefixed texts, then the
 * office's signature over all of it. Made and parsed by the same table of
 * rules, so the office cannot make a file a laptop refuses. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "koers-enrollment.h"

G_DEFINE_QUARK (koers-enrollment-error-quark, koers_enrollment_error)

#define MAGIC "KOERSENR"

enum
{
  OFF_VERSION = 8,
  OFF_STEUNPUNT = 10,
  OFF_OFFICE_SEAL = 26,
  OFF_OFFICE_SIGN = 58,
  OFF_TEAM_SEAL = 90,
  OFF_TEAM_GENERATION = 122,
  OFF_ISSUED = 126,
  OFF_FLAGS = 134,
  OFF_PIN = 135,
  FIXED = 167,
};

#define FLAG_PIN 0x01
#define MIN_FILE (FIXED + 4 * 2 + 4 + KOERS_SYNC_SIGNATURE_BYTES)

#define FAIL(error, code, ...) \
  (g_set_error (error, KOERS_ENROLLMENT_ERROR, KOERS_ENROLLMENT_ERROR_##code, __VA_ARGS__), FALSE)
#define FAIL_NULL(error, code, ...) \
  (g_set_error (error, KOERS_ENROLLMENT_ERROR, KOERS_ENROLLMENT_ERROR_##code, __VA_ARGS__), NULL)

KoersEnrollment *
koers_enrollment_new (void)
{
  return g_new0 (KoersEnrollment, 1);
}

void
koers_enrollment_free (KoersEnrollment *e)
{
  if (e == NULL)
    return;
  if (e->drop_password != NULL)
    sodium_memzero (e->drop_password, strlen (e->drop_password));
  g_free (e->drop_password);
  g_free (e->drop_url);
  g_free (e->drop_user);
  g_free (e->device_name);
  g_free (e->ca_pem);
  g_free (e);
}

/* The texts, in file order: a name for messages, the field, its cap, and
 * the width of its length prefix. */
typedef struct
{
  const char *what;
  gsize       offset;
  gsize       max;
  guint       prefix;
} Text;

static const Text texts[] = {
  { N_("drop address"), G_STRUCT_OFFSET (KoersEnrollment, drop_url), KOERS_ENROLLMENT_MAX_URL, 2 },
  { N_("drop user"), G_STRUCT_OFFSET (KoersEnrollment, drop_user), KOERS_ENROLLMENT_MAX_TEXT, 2 },
  { N_("drop password"), G_STRUCT_OFFSET (KoersEnrollment, drop_password), KOERS_ENROLLMENT_MAX_TEXT, 2 },
  { N_("device name"), G_STRUCT_OFFSET (KoersEnrollment, device_name), KOERS_ENROLLMENT_MAX_TEXT, 2 },
  { N_("CA certificate"), G_STRUCT_OFFSET (KoersEnrollment, ca_pem), KOERS_ENROLLMENT_MAX_PEM, 4 },
};

#define TEXT(e, t) G_STRUCT_MEMBER (char *, (e), (t)->offset)

static gboolean
has_control (const char *s, gboolean allow_newlines)
{
  for (; *s != '\0'; s++)
    if (((guchar) *s < 0x20 && !(allow_newlines && (*s == '\n' || *s == '\r'))) || *s == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
check_text (const Text *t, const char *value, GError **error)
{
  gboolean is_pem = t->prefix == 4;

  if (value == NULL || *value == '\0')
    return is_pem ? TRUE : FAIL (error, INVALID, _("The enrollment file has no %s."), _(t->what));
  if (strlen (value) > t->max)
    return FAIL (error, INVALID, _("The enrollment file's %s is too long."), _(t->what));
  if (!g_utf8_validate (value, -1, NULL) || has_control (value, is_pem))
    return FAIL (error, INVALID, _("The enrollment file's %s holds characters it cannot have."), _(t->what));
  return TRUE;
}

static gboolean
validate (const KoersEnrollment *e, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (!check_text (&texts[i], TEXT (e, &texts[i]), error))
      return FALSE;
  if (!g_str_has_prefix (e->drop_url, "https://") || strlen (e->drop_url) <= strlen ("https://")
      || strpbrk (e->drop_url, " \t") != NULL)
    return FAIL (error, INVALID, _("The enrollment file's drop address is not an https:// address."));
  if (e->ca_pem != NULL && *e->ca_pem != '\0'
      && (strstr (e->ca_pem, "-----BEGIN CERTIFICATE-----") == NULL
          || strstr (e->ca_pem, "-----END CERTIFICATE-----") == NULL))
    return FAIL (error, INVALID, _("The enrollment file's CA certificate is not a PEM certificate."));
  if (!e->has_pin && (e->ca_pem == NULL || *e->ca_pem == '\0'))
    return FAIL (error, INVALID, _("The enrollment file has neither the drop's CA certificate nor its key pin."));
  if (e->issued_at_ms <= 0)
    return FAIL (error, INVALID, _("The enrollment file has no date."));
  return TRUE;
}

GBytes *
koers_enrollment_make (const KoersEnrollment *e,
                       const KoersSyncKey    *office_key,
                       GError               **error)
{
  g_autoptr (GByteArray) out = NULL;
  guint8 fixed[FIXED] = { 0 };
  guint8 signature[KOERS_SYNC_SIGNATURE_BYTES];

  g_return_val_if_fail (e != NULL && koers_sync_key_has_secret (office_key), NULL);
  g_return_val_if_fail (memcmp (koers_sync_key_get_public (office_key), e->office_sign_public,
                                KOERS_SYNC_PUBLIC_BYTES) == 0, NULL);
  if (!validate (e, error))
    return NULL;
  memcpy (fixed, MAGIC, 8);
  koers_sync_put_be (fixed + OFF_VERSION, KOERS_ENROLLMENT_VERSION, 2);
  memcpy (fixed + OFF_STEUNPUNT, e->steunpunt_id, KOERS_SYNC_ID_BYTES);
  memcpy (fixed + OFF_OFFICE_SEAL, e->office_seal_public, KOERS_SYNC_PUBLIC_BYTES);
  memcpy (fixed + OFF_OFFICE_SIGN, e->office_sign_public, KOERS_SYNC_PUBLIC_BYTES);
  memcpy (fixed + OFF_TEAM_SEAL, e->team_seal_public, KOERS_SYNC_PUBLIC_BYTES);
  koers_sync_put_be (fixed + OFF_TEAM_GENERATION, e->team_key_generation, 4);
  koers_sync_put_be (fixed + OFF_ISSUED, (guint64) e->issued_at_ms, 8);
  fixed[OFF_FLAGS] = e->has_pin ? FLAG_PIN : 0;
  if (e->has_pin)
    memcpy (fixed + OFF_PIN, e->pin_sha256, 32);
  out = g_byte_array_new ();
  g_byte_array_append (out, fixed, FIXED);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *value = TEXT (e, &texts[i]) != NULL ? TEXT (e, &texts[i]) : "";
      guint8 prefix[4];

      koers_sync_put_be (prefix, strlen (value), texts[i].prefix);
      g_byte_array_append (out, prefix, texts[i].prefix);
      g_byte_array_append (out, (const guint8 *) value, strlen (value));
    }
  koers_sync_sign (office_key, out->data, out->len, signature);
  g_byte_array_append (out, signature, sizeof signature);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Reads the texts after the fixed part; they must fill it exactly. */
static gboolean
read_texts (KoersEnrollment *e, const guint8 *d, gsize len, GError **error)
{
  gsize at = FIXED;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const Text *t = &texts[i];
      gsize n;

      if (len - at < t->prefix || (n = koers_sync_get_be (d + at, t->prefix)) > len - at - t->prefix)
        return FAIL (error, FORMAT, _("The enrollment file is cut short."));
      if (n > t->max)
        return FAIL (error, INVALID, _("The enrollment file's %s is too long."), _(t->what));
      at += t->prefix;
      if (memchr (d + at, '\0', n) != NULL)
        return FAIL (error, INVALID, _("The enrollment file's %s holds characters it cannot have."), _(t->what));
      TEXT (e, t) = n > 0 || t->prefix != 4 ? g_strndup ((const char *) d + at, n) : NULL;
      at += n;
    }
  if (at != len)
    return FAIL (error, FORMAT, _("The enrollment file has bytes after its end."));
  return TRUE;
}

KoersEnrollment *
koers_enrollment_parse (GBytes       *file,
                        const guint8 *expected_office_key,
                        GError      **error)
{
  g_autoptr (KoersEnrollment) e = NULL;
  const guint8 *d;
  gsize len, body;

  g_return_val_if_fail (file != NULL, NULL);
  d = g_bytes_get_data (file, &len);
  if (len > KOERS_ENROLLMENT_MAX_FILE)
    return FAIL_NULL (error, SIZE, _("This file is too large to be an enrollment file."));
  if (len < 8 || memcmp (d, MAGIC, 8) != 0)
    return FAIL_NULL (error, FORMAT, _("This is not a Koers enrollment file."));
  if (len < MIN_FILE)
    return FAIL_NULL (error, SIZE, _("The enrollment file is cut short."));
  if (koers_sync_get_be (d + OFF_VERSION, 2) != KOERS_ENROLLMENT_VERSION)
    return FAIL_NULL (error, FORMAT, _("The enrollment file has format version %u; this program reads version %d."),
                      (guint) koers_sync_get_be (d + OFF_VERSION, 2), KOERS_ENROLLMENT_VERSION);
  body = len - KOERS_SYNC_SIGNATURE_BYTES;
  if (!koers_sync_verify (d + OFF_OFFICE_SIGN, d, body, d + body))
    return FAIL_NULL (error, SIGNATURE, _("The enrollment file is damaged or was changed: the office's signature does not match."));
  if (expected_office_key != NULL
      && sodium_memcmp (expected_office_key, d + OFF_OFFICE_SIGN, KOERS_SYNC_PUBLIC_BYTES) != 0)
    return FAIL_NULL (error, FOREIGN, _("The enrollment file comes from another office than this laptop's."));

  e = koers_enrollment_new ();
  memcpy (e->steunpunt_id, d + OFF_STEUNPUNT, KOERS_SYNC_ID_BYTES);
  memcpy (e->office_seal_public, d + OFF_OFFICE_SEAL, KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->office_sign_public, d + OFF_OFFICE_SIGN, KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->team_seal_public, d + OFF_TEAM_SEAL, KOERS_SYNC_PUBLIC_BYTES);
  e->team_key_generation = (guint32) koers_sync_get_be (d + OFF_TEAM_GENERATION, 4);
  e->issued_at_ms = (gint64) koers_sync_get_be (d + OFF_ISSUED, 8);
  if (d[OFF_FLAGS] & ~FLAG_PIN)
    return FAIL_NULL (error, FORMAT, _("The enrollment file has options this program does not know."));
  e->has_pin = (d[OFF_FLAGS] & FLAG_PIN) != 0;
  memcpy (e->pin_sha256, d + OFF_PIN, 32);
  if (!read_texts (e, d, body, error) || !validate (e, error))
    return NULL;
  return g_steal_pointer (&e);
}
