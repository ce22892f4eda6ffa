/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-conflict-view"

#include <glib/gi18n.h>
#include <string.h>

#include "koers-conflict-view.h"
#include "koers-labels.h"

/* A note of 1 MB is not read in a dialog: its start tells the two apart. */
#define VALUE_SHOWN 400

static void
choice_free (gpointer data)
{
  KoersConflictChoice *choice = data;

  g_free (choice->stamp);
  g_free (choice->value);
  g_free (choice->who);
  g_free (choice->where);
  g_free (choice->when);
  g_free (choice);
}

void
koers_conflict_item_free (KoersConflictItem *item)
{
  if (item == NULL)
    return;
  g_free (item->title);
  g_clear_pointer (&item->choices, g_ptr_array_unref);
  g_free (item);
}

/* What the record is, when it is not the client's own details. */
static const char *
record_label (KoersEntity kind)
{
  switch (kind)
    {
    case KOERS_ENTITY_ALIAS:
      return _("Other name");
    case KOERS_ENTITY_FAMILY_LINK:
      return _("Family member");
    case KOERS_ENTITY_CONSENT:
      return _("Consent");
    case KOERS_ENTITY_CONVERSATION:
      return _("Conversation");
    case KOERS_ENTITY_NOTE_ADDENDUM:
      return _("Addendum");
    case KOERS_ENTITY_NEXT_STEP:
      return _("Next step");
    case KOERS_ENTITY_REFERRAL:
      return _("Referral");
    case KOERS_ENTITY_RETURN_PLAN:
      return _("Return plan");
    case KOERS_ENTITY_RETURN_STEP:
      return _("Plan step");
    case KOERS_ENTITY_SUPPORT_ITEM:
      return _("Support");
    case KOERS_ENTITY_CHECKIN:
      return _("Check-in");
    default:
      return NULL;
    }
}

/* The store's field labels are lower case, for messages. */
static char *
capitalized (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char buffer[8];
  int n = g_unichar_to_utf8 (g_unichar_totitle (first), buffer);

  return g_strdup_printf ("%.*s%s", n, buffer, g_utf8_next_char (text));
}

/* "Phone number"; "Next step: due date"; a record deleted on one laptop
 * and changed on another. */
static char *
conflict_title (const KoersConflict *conflict)
{
  const char *record = record_label (conflict->kind);
  KoersFieldDescription field;

  if (g_str_equal (conflict->field, "*"))
    /* Translators: %s is a kind of record ("Next step"). */
    return g_strdup_printf (_("%s: deleted on one laptop, changed on another"),
                            record != NULL ? record : _("Client"));
  if (!koers_entity_describe_field (conflict->kind, conflict->field, &field))
    return g_strdup (conflict->field);
  if (record == NULL)
    return capitalized (field.label);
  /* Translators: a kind of record and one of its fields: "Next step: due date". */
  return g_strdup_printf (_("%s: %s"), record, field.label);
}

/* A choice of a vocabulary, by the app's labels (NULL: none for it). */
static const char *
choice_label (KoersEntity  kind,
              const char  *field,
              int          value)
{
  if (value < 0)
    return NULL;
  if (g_str_equal (field, "phase"))
    return koers_phase_label (value);
  if (kind == KOERS_ENTITY_CLIENT && g_str_equal (field, "outcome"))
    return koers_outcome_label (value);
  if (kind == KOERS_ENTITY_REFERRAL && g_str_equal (field, "status"))
    return koers_label_referral_status (value);
  if (kind == KOERS_ENTITY_RETURN_PLAN && g_str_equal (field, "status"))
    return koers_label_plan_status (value);
  if (kind == KOERS_ENTITY_SUPPORT_ITEM)
    return g_str_equal (field, "status") ? koers_label_support_status (value) : koers_label_support_kind (value);
  if (kind == KOERS_ENTITY_RETURN_STEP && g_str_equal (field, "owner"))
    return koers_label_owner (value);
  if (kind == KOERS_ENTITY_WORKER && g_str_equal (field, "role"))
    return koers_label_role (value);
  if (kind == KOERS_ENTITY_REFERRAL_ORG && g_str_equal (field, "kind"))
    return koers_label_org_kind (value);
  if (kind == KOERS_ENTITY_CHECKIN && !g_str_equal (field, "housing"))
    return koers_label_answer (value);
  return NULL;
}

/* The name of the record @id of @kind (a worker, an organisation), or NULL. */
static char *
record_name (KoersStore  *store,
             int          kind,
             const char  *id)
{
  switch (kind)
    {
    case KOERS_ENTITY_WORKER:
      {
        g_autoptr(KoersWorker) worker = koers_store_get_worker (store, id, NULL);
        return worker != NULL ? g_steal_pointer (&worker->name) : NULL;
      }
    case KOERS_ENTITY_REFERRAL_ORG:
      {
        g_autoptr(KoersReferralOrg) org = koers_store_get_referral_org (store, id, NULL);
        return org != NULL ? g_steal_pointer (&org->name) : NULL;
      }
    case KOERS_ENTITY_PARTNER_ORG:
      {
        g_autoptr(KoersPartnerOrg) org = koers_store_get_partner_org (store, id, NULL);
        return org != NULL ? g_steal_pointer (&org->name) : NULL;
      }
    case KOERS_ENTITY_STEUNPUNT:
      {
        g_autoptr(KoersSteunpunt) steunpunt = koers_store_get_steunpunt (store, id, NULL);
        return steunpunt != NULL ? g_steal_pointer (&steunpunt->name) : NULL;
      }
    default:
      return NULL;
    }
}

/* One part of a value (a text, a name, a number) as a person reads it. */
static char *
part_text (KoersStore                  *store,
           const KoersConflict         *conflict,
           const KoersFieldDescription *field,
           const char                  *part)
{
  const char *label;
  char *name;

  switch (field->kind)
    {
    case KOERS_VALUE_DATE:
      return koers_label_date (part);
    case KOERS_VALUE_YES_NO:
      return g_strdup (g_str_equal (part, "true") ? C_("answer", "Yes") : C_("answer", "No"));
    case KOERS_VALUE_COUNTRY:
      return g_strdup (koers_label_country (part));
    case KOERS_VALUE_CHOICE:
      label = choice_label (conflict->kind, conflict->field,
                            koers_entity_read_choice (conflict->kind, conflict->field, part));
      /* No label of ours for it: its stored name, read as words. */
      return label != NULL ? g_strdup (label) : g_strdelimit (g_strdup (part), "_", ' ');
    case KOERS_VALUE_RECORD:
    case KOERS_VALUE_LIST:
      if (field->ref >= 0)
        return (name = record_name (store, field->ref, part)) != NULL ? name : g_strdup (_("Unknown"));
      if (g_str_equal (conflict->field, "topics"))
        return g_strdup (koers_label_topic (part));
      if (g_str_equal (conflict->field, "barriers"))
        return g_strdup (koers_label_barrier (part));
      return g_strdup (part);
    case KOERS_VALUE_TEXT:
    case KOERS_VALUE_NUMBER:
    default:
      return g_strdup (part);
    }
}

static char *
shortened (char *text)
{
  g_autofree char *cut = NULL;

  if (g_utf8_strlen (text, -1) <= VALUE_SHOWN)
    return text;
  cut = g_utf8_substring (text, 0, VALUE_SHOWN - 1);
  g_free (text);
  return g_strconcat (cut, "…", NULL);
}

static char *
value_text (KoersStore               *store,
            const KoersConflict      *conflict,
            const KoersConflictValue *value)
{
  KoersFieldDescription field = { NULL, KOERS_VALUE_TEXT, -1 };
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  if (value->value == NULL)
    return g_strdup (_("Deleted"));
  if (g_str_equal (conflict->field, "*"))
    return g_strdup (_("Kept, with its changes"));
  /* A field this version does not know is shown as its text. */
  (void) koers_entity_describe_field (conflict->kind, conflict->field, &field);
  parts = koers_store_read_value (store, value->value);
  if (parts[0] == NULL)
    return g_strdup (_("Empty"));
  for (guint i = 0; parts[i] != NULL; i++)
    g_ptr_array_add (texts, part_text (store, conflict, &field, parts[i]));
  g_ptr_array_add (texts, NULL);
  return shortened (g_strjoinv (", ", (char **) texts->pdata));
}

/* "10 December 2026, 14:05" in the UI language, local time. */
static char *
when_text (gint64 at_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at_ms / 1000);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  g_autofree char *day = NULL;

  if (local == NULL)
    return g_strdup ("");
  day = koers_label_day (local);
  return g_strdup_printf ("%s, %02d:%02d", day, g_date_time_get_hour (local), g_date_time_get_minute (local));
}

static KoersConflictChoice *
choice_new (KoersStore               *store,
            const KoersConflict      *conflict,
            const KoersConflictValue *value)
{
  KoersConflictChoice *choice = g_new0 (KoersConflictChoice, 1);
  char *who = value->worker_id != NULL ? record_name (store, KOERS_ENTITY_WORKER, value->worker_id) : NULL;

  choice->stamp = g_strdup (value->stamp);
  choice->value = value_text (store, conflict, value);
  choice->who = who != NULL ? who : g_strdup (_("A colleague"));
  choice->where = g_strdup (g_strcmp0 (value->device_id, koers_store_get_device_id (store)) == 0
                            ? _("this laptop") : _("another laptop"));
  choice->when = when_text (value->at_ms);
  choice->shown = value->shown;
  return choice;
}

GPtrArray *
koers_conflict_view_read (KoersStore  *store,
                          const char  *client_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  GPtrArray *items;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  conflicts = koers_store_list_conflicts (store, client_id, error);
  if (conflicts == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_conflict_item_free);
  for (guint i = 0; i < conflicts->len; i++)
    {
      const KoersConflict *conflict = conflicts->pdata[i];
      KoersConflictItem *item = g_new0 (KoersConflictItem, 1);

      item->id = conflict->id;
      item->title = conflict_title (conflict);
      item->choices = g_ptr_array_new_with_free_func (choice_free);
      for (guint j = 0; j < conflict->values->len; j++)
        g_ptr_array_add (item->choices, choice_new (store, conflict, conflict->values->pdata[j]));
      g_ptr_array_add (items, item);
    }
  return items;
}
