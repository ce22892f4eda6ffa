/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-orgs-page"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-labels.h"
#include "koers-orgs-page.h"
#include "store/koers-country.h"

struct _KoersOrgsPage
{
  AdwPreferencesPage  parent_instance;

  KoersStore         *store;
  GtkListBox         *referral_list;
  GtkListBox         *partner_list;
  AdwEntryRow        *name_row;
  AdwComboRow        *kind_row;      /* the referral kinds, then "Partner abroad" */
  AdwComboRow        *country_row;   /* by name; country_codes behind it */
  GtkLabel           *error_label;
  char              **country_codes;
};

G_DEFINE_FINAL_TYPE (KoersOrgsPage, koers_orgs_page, ADW_TYPE_PREFERENCES_PAGE)

#define KIND_PARTNER (KOERS_ORG_KIND_OTHER + 1)

static void
show_error (KoersOrgsPage *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
append_row (GtkListBox *list,
            const char *title,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_append (list, row);
}

static void
reload (KoersOrgsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orgs = koers_store_list_referral_orgs (self->store, -1, &error);
  g_autoptr(GPtrArray) partners = NULL;

  clear_list (self->referral_list);
  clear_list (self->partner_list);
  if (orgs == NULL)
    {
      show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < orgs->len; i++)
    {
      KoersReferralOrg *org = orgs->pdata[i];
      append_row (self->referral_list, org->name, koers_label_org_kind (org->kind));
    }
  if (orgs->len == 0)
    append_row (self->referral_list, _("None yet"), NULL);

  if ((partners = koers_store_list_partners (self->store, NULL, &error)) == NULL)
    {
      show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < partners->len; i++)
    {
      KoersPartnerOrg *partner = partners->pdata[i];
      append_row (self->partner_list, partner->name, koers_label_country (partner->country));
    }
  if (partners->len == 0)
    append_row (self->partner_list, _("None yet"), NULL);
}

static gboolean
add_organisation (KoersOrgsPage  *self,
                  const char     *name,
                  guint           kind,
                  GError        **error)
{
  guint country = adw_combo_row_get_selected (self->country_row);

  if (kind == KIND_PARTNER)
    {
      g_autoptr(KoersPartnerOrg) partner = koers_partner_org_new ();

      partner->name = g_strdup (name);
      partner->country = g_strdup (self->country_codes[country]);
      return koers_store_add_partner_org (self->store, partner, error);
    }
  else
    {
      g_autoptr(KoersReferralOrg) org = koers_referral_org_new ();

      org->name = g_strdup (name);
      org->kind = kind;
      return koers_store_add_referral_org (self->store, org, error);
    }
}

static void
on_add_clicked (KoersOrgsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (*name == '\0')
    {
      show_error (self, _("Type the organisation’s name."));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  if (!add_organisation (self, name, adw_combo_row_get_selected (self->kind_row), &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  reload (self);
}

static void
on_kind_changed (KoersOrgsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->country_row),
                          adw_combo_row_get_selected (self->kind_row) == KIND_PARTNER);
}

static GtkListBox *
add_list_group (KoersOrgsPage *self,
                const char    *id,
                const char    *title,
                const char    *description)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *list = gtk_list_box_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_widget_set_name (list, id);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));
  return GTK_LIST_BOX (list);
}

static AdwComboRow *
combo_row (const char *title,
           GListModel *model)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), model);
  /* Named by its title; its value read with it. */
  koers_a11y_describe_choice (row);
  return ADW_COMBO_ROW (row);
}

static void
build_add_group (KoersOrgsPage *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Add Organisation"));
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) countries = gtk_string_list_new (NULL);

  for (KoersOrgKind kind = KOERS_ORG_KIND_RETURN; kind <= KOERS_ORG_KIND_OTHER; kind++)
    gtk_string_list_append (kinds, koers_label_org_kind (kind));
  gtk_string_list_append (kinds, _("Partner abroad"));
  self->country_codes = koers_country_list (koers_ui_language (), FALSE);
  for (guint i = 0; self->country_codes[i] != NULL; i++)
    gtk_string_list_append (countries, koers_label_country (self->country_codes[i]));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Add an Organisation"));
  self->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("Name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Name of the organisation"), -1);
  self->kind_row = combo_row (_("Kind"), G_LIST_MODEL (kinds));
  self->country_row = combo_row (_("Country"), G_LIST_MODEL (countries));
  gtk_widget_set_visible (GTK_WIDGET (self->country_row), FALSE);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 12);
  gtk_widget_add_css_class (button, "suggested-action");
  koers_a11y_name_buttons (button);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->name_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->kind_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->country_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->error_label));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), button);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));

  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (on_kind_changed), self);
  g_signal_connect_swapped (self->name_row, "entry-activated", G_CALLBACK (on_add_clicked), self);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_add_clicked), self);
}

static void
koers_orgs_page_finalize (GObject *object)
{
  KoersOrgsPage *self = KOERS_ORGS_PAGE (object);

  g_clear_object (&self->store);
  g_strfreev (self->country_codes);
  G_OBJECT_CLASS (koers_orgs_page_parent_class)->finalize (object);
}

static void
koers_orgs_page_class_init (KoersOrgsPageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_orgs_page_finalize;
}

static void
koers_orgs_page_init (KoersOrgsPage *self)
{
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Organisations"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "system-file-manager-symbolic");
  self->referral_list = add_list_group (self, "referral-orgs", _("Referral Organisations"),
                                        _("Where a conversation can refer a client: Maatwerk bij Terugkeer, "
                                          "legal aid, medical and mental-health care, shelter."));
  self->partner_list = add_list_group (self, "partner-orgs", _("Partner Organisations Abroad"),
                                       _("The partners in the countries of return, chosen on a return plan."));
  build_add_group (self);
}

KoersOrgsPage *
koers_orgs_page_new (KoersStore *store)
{
  KoersOrgsPage *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);

  self = g_object_new (KOERS_TYPE_ORGS_PAGE, NULL);
  self->store = g_object_ref (store);
  reload (self);
  return self;
}
