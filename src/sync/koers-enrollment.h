/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-enrollment.h: the file the office gives a laptop so that it can
 * sync (docs/sync-format.md, "Enrollment file").
 *
 * API overview
 *   Office (and tests):
 *     KoersEnrollment *e = koers_enrollment_new ();  fill in the fields;
 *     GBytes *file = koers_enrollment_make (e, office_sign_key, &error);
 *   Laptop (`koers-cli enroll FILE`, the preferences dialog):
 *     KoersEnrollment *e = koers_enrollment_parse (file, NULL, &error);
 *     → a one-line error, or every field checked; keep them in the vault.
 *     Re-enrolling an enrolled laptop passes the office key it knows as
 *     @expected_office_key: a file signed by another key is "foreign".
 *
 * The file holds the drop's app password in clear, inside the office's
 * signature: it is handed over like a password, and once imported lives
 * only in the vault. It holds the team's public key only: the team's
 * secret key reaches a device later, sealed to that device's own key (see
 * the document), so a lost enrollment file does not open team batches.
 */
#pragma once

#include <glib.h>

#include "koers-sync-keys.h"

G_BEGIN_DECLS

#define KOERS_ENROLLMENT_ERROR (koers_enrollment_error_quark ())

typedef enum
{
  KOERS_ENROLLMENT_ERROR_SIZE,       /* empty, too short or too large */
  KOERS_ENROLLMENT_ERROR_FORMAT,     /* not an enrollment file, another version */
  KOERS_ENROLLMENT_ERROR_SIGNATURE,  /* unsigned, damaged or changed */
  KOERS_ENROLLMENT_ERROR_FOREIGN,    /* signed by another office than this laptop's */
  KOERS_ENROLLMENT_ERROR_INVALID,    /* a field that makes no sense */
} KoersEnrollmentError;

GQuark koers_enrollment_error_quark (void);

#define KOERS_ENROLLMENT_VERSION      1
#define KOERS_ENROLLMENT_MAX_FILE     (96 * 1024)
#define KOERS_ENROLLMENT_MAX_URL      2048
#define KOERS_ENROLLMENT_MAX_TEXT     256      /* user, password, device name */
#define KOERS_ENROLLMENT_MAX_PEM      (64 * 1024)

typedef struct
{
  guint8  steunpunt_id[KOERS_SYNC_ID_BYTES];
  guint8  office_seal_public[KOERS_SYNC_PUBLIC_BYTES];  /* X25519: batches are sealed to it */
  guint8  office_sign_public[KOERS_SYNC_PUBLIC_BYTES];  /* Ed25519: signs acks and this file */
  guint8  team_seal_public[KOERS_SYNC_PUBLIC_BYTES];    /* X25519: the steunpunt's team key */
  guint32 team_key_generation;                          /* which team key (it changes on revocation) */
  gint64  issued_at_ms;
  gboolean has_pin;
  guint8  pin_sha256[32];    /* SHA-256 of the drop's SubjectPublicKeyInfo (DER) */
  char   *drop_url;          /* https://…, the folder that holds the steunpunten */
  char   *drop_user;
  char   *drop_password;     /* wiped when freed */
  char   *device_name;
  char   *ca_pem;            /* the drop's CA certificate(s), or NULL */
} KoersEnrollment;

KoersEnrollment *koers_enrollment_new   (void);
void             koers_enrollment_free  (KoersEnrollment *enrollment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersEnrollment, koers_enrollment_free)

/* The signed file; refuses (KOERS_ENROLLMENT_ERROR_INVALID) what
 * koers_enrollment_parse() would refuse. @office_key: the Ed25519 key
 * whose public half is @enrollment->office_sign_public, with its secret. */
G_GNUC_WARN_UNUSED_RESULT
GBytes          *koers_enrollment_make  (const KoersEnrollment *enrollment,
                                         const KoersSyncKey    *office_key,
                                         GError               **error);

/* Checks @file whole (size, format, the office's signature, the expected
 * office when @expected_office_key (Ed25519 public) is not NULL, every
 * field) and returns it, or NULL with a one-line error. */
G_GNUC_WARN_UNUSED_RESULT
KoersEnrollment *koers_enrollment_parse (GBytes       *file,
                                         const guint8 *expected_office_key,
                                         GError      **error);

G_END_DECLS
