/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-record-private.h: the table that describes every entity and field,
 * so that one generic implementation reads, writes, validates, logs and
 * exports them all (internal to src/store/). */
#pragma once

#include "koers-records.h"

G_BEGIN_DECLS

typedef enum
{
  KOERS_FIELD_TEXT,     /* char *                                    */
  KOERS_FIELD_DATE,     /* char *, YYYY-MM-DD                        */
  KOERS_FIELD_INT,      /* int                                       */
  KOERS_FIELD_BOOL,     /* gboolean                                  */
  KOERS_FIELD_ENUM,     /* an enum (int), stored as its name         */
  KOERS_FIELD_COUNTRY,  /* char *, ISO 3166 alpha-2                  */
  KOERS_FIELD_REF,      /* char *, id of a record of field->ref      */
  KOERS_FIELD_LIST,     /* char **, a JSON array in the database     */
} KoersFieldType;

typedef enum
{
  KOERS_FIELD_REQUIRED     = 1 << 0, /* must be given                          */
  KOERS_FIELD_ZERO_IS_NULL = 1 << 1, /* 0 / first enum value stores nothing    */
  KOERS_FIELD_PARENT       = 1 << 2, /* the owning record; fixed once saved    */
  KOERS_FIELD_CONSENT      = 1 << 3, /* beyond the intake minimum: needs consent */
  KOERS_FIELD_PARTNER      = 1 << 4, /* shared abroad: needs the partner consent */
  KOERS_FIELD_MULTILINE    = 1 << 5, /* free text: newlines allowed            */
  KOERS_FIELD_PAST         = 1 << 6, /* a date that cannot lie in the future   */
  KOERS_FIELD_APPEND_ONLY  = 1 << 7, /* cannot change once non-empty           */
} KoersFieldFlags;

typedef struct
{
  const char        *name;     /* column and JSON key */
  const char        *label;    /* for messages, translatable */
  KoersFieldType     type;
  gsize              offset;
  KoersFieldFlags    flags;
  KoersEntity        ref;      /* REF and LIST of ids: the kind referred to */
  const char *const *values;   /* ENUM names; LIST vocabulary (NULL: free) */
  gsize              max_bytes;/* TEXT: longest accepted, in bytes */
  int                min, max; /* INT: accepted range (min > max: no range) */
} KoersField;

typedef enum
{
  KOERS_ENTITY_REFERENCE   = 1 << 0, /* reference data, no client file */
  KOERS_ENTITY_CONSENTED   = 1 << 1, /* a record of this kind needs consent */
  KOERS_ENTITY_APPEND_ONLY = 1 << 2, /* cannot be changed or deleted alone */
} KoersEntityFlags;

typedef struct _KoersStore KoersStore;

typedef struct
{
  KoersEntity       kind;
  const char       *name;      /* table and JSON type */
  const char       *label;     /* for messages */
  gsize             size;
  const KoersField *fields;    /* after the id */
  guint             n_fields;
  int               parent;    /* index of the PARENT field, -1 if none */
  KoersEntityFlags  flags;
  /* Cross-field rules and defaults, or NULL. */
  gboolean        (*check)     (KoersStore    *store,
                                gpointer       record,
                                GError       **error);
} KoersEntityInfo;

const KoersEntityInfo *koers_entity_info       (KoersEntity        kind);

/* The stored names of the enums the queries compare by hand (NULL-
 * terminated, indexed by value). A first value *_UNKNOWN is stored as
 * NULL (KOERS_FIELD_ZERO_IS_NULL), never as its name. */
extern const char *const koers_phase_names[];    /* KoersPhase */
extern const char *const koers_outcome_names[];  /* KoersOutcome */
extern const char *const koers_consent_names[];  /* KoersConsentKind */

/* The field's storage in @record. */
#define KOERS_FIELD_PTR(field, record) ((gpointer) ((guint8 *) (record) + (field)->offset))

gboolean     koers_field_is_set      (const KoersField  *field,
                                      gconstpointer      record);
gboolean     koers_field_equal       (const KoersField  *field,
                                      gconstpointer      a,
                                      gconstpointer      b);
void         koers_field_clear       (const KoersField  *field,
                                      gpointer           record);
void         koers_field_copy        (const KoersField  *field,
                                      gpointer           dest,
                                      gconstpointer      src);
/* The stored name of an enum value (NULL for an unknown value). */
const char  *koers_field_enum_name   (const KoersField  *field,
                                      int                value);
int          koers_field_enum_value  (const KoersField  *field,
                                      const char        *name);

G_END_DECLS
