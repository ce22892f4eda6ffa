/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-recovery-page"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "koers-a11y.h"
#include "koers-labels.h"
#include "koers-recovery-page.h"
#include "vault/koers-vault.h"

struct _KoersRecoveryPage
{
  GtkWidget       parent_instance;

  GtkWidget      *scroller;
  GtkLabel       *key_label;
  GtkLabel       *print_error_label;
  GtkCheckButton *stored_check;
  GtkWidget      *print_button;
  GtkWidget      *continue_button;

  KoersVaultSecret *key;  /* wiped when freed */
  char           *steunpunt;
};

G_DEFINE_FINAL_TYPE (KoersRecoveryPage, koers_recovery_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "AAAAA-BBBBB-…" in lines of four groups: easier to read aloud and to
 * copy by hand. The vault ignores the line breaks when the key is typed. */
static char *
key_in_lines (const char *key)
{
  g_auto(GStrv) groups = g_strsplit (key, "-", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, i % 4 == 0 ? '\n' : '-');
      g_string_append (out, groups[i]);
      explicit_bzero (groups[i], strlen (groups[i]));
    }
  return g_string_free (out, FALSE);
}

static void
update_actions (KoersRecoveryPage *self)
{
  gboolean has_key = self->key != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recovery.print", has_key);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recovery.continue",
                                 has_key && gtk_check_button_get_active (self->stored_check));
}

static void
on_stored_toggled (KoersRecoveryPage *self)
{
  update_actions (self);
}

/* The sheet: a title, the key large in a monospace face, what it is for. */
static PangoLayout *
sheet_layout (GtkPrintContext *context,
              const char      *markup,
              double           width)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

static double
draw_block (GtkPrintContext *context,
            const char      *markup,
            double           y)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = sheet_layout (context, markup, gtk_print_context_get_width (context));
  int height;

  cairo_move_to (cr, 0, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  return y + (double) height / PANGO_SCALE + 18;
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              KoersRecoveryPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = koers_label_day (now);
  g_autofree char *title = NULL;
  g_autofree char *key = NULL;
  g_autofree char *info = NULL;
  g_autofree char *lines = NULL;
  double y = 0;

  if (self->key == NULL)
    return;

  title = g_markup_printf_escaped ("<span font_family='sans' size='x-large' weight='bold'>%s</span>",
                                   _("Koers — Recovery Key"));
  /* The key is wiped from this copy right after drawing. */
  lines = key_in_lines (self->key);
  key = g_markup_printf_escaped ("<span font_family='monospace' size='xx-large' weight='bold'>%s</span>",
                                 lines);
  explicit_bzero (lines, strlen (lines));
  info = g_markup_printf_escaped ("<span font_family='sans'>%s\n\n%s %s\n%s %s</span>",
                                  _("This key opens the vault when nobody remembers their passphrase. "
                                    "Keep this sheet locked away, apart from the laptop. "
                                    "Anyone who has it and the laptop can read every client file."),
                                  _("Steunpunt:"), self->steunpunt ? self->steunpunt : "",
                                  _("Created:"), date);

  y = draw_block (context, title, y);
  y = draw_block (context, key, y + 12);
  draw_block (context, info, y + 12);
  explicit_bzero (key, strlen (key));
}

/* The recovery key goes to paper only. GTK's print dialog offers "Print
 * to File" (the "file" print backend), which would write the key in clear
 * next to the vault it opens. While the key's dialog is open, the print
 * backends GTK loads leave "file" out; the app's setting is put back when
 * the operation is done. */
static char *saved_backends;
static guint hiding_file_backend;

static char *
backends_without_file (const char *backends)
{
  g_auto(GStrv) names = g_strsplit (backends ? backends : "", ",", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    if (*g_strstrip (names[i]) != '\0' && !g_str_equal (names[i], "file"))
      g_strv_builder_add (kept, names[i]);
  list = g_strv_builder_end (kept);
  return g_strjoinv (",", list);
}

static void
hide_print_to_file (void)
{
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *without = NULL;

  if (settings == NULL || hiding_file_backend++ > 0)
    return;
  g_object_get (settings, "gtk-print-backends", &saved_backends, NULL);
  without = backends_without_file (saved_backends);
  g_object_set (settings, "gtk-print-backends", without, NULL);
}

static void
show_print_to_file_again (void)
{
  GtkSettings *settings = gtk_settings_get_default ();

  if (settings == NULL || hiding_file_backend == 0 || --hiding_file_backend > 0)
    return;
  g_object_set (settings, "gtk-print-backends", saved_backends, NULL);
  g_clear_pointer (&saved_backends, g_free);
}

/* Belt and braces: settings that still name a file (remembered from an
 * earlier print) stop the job before a page is drawn. */
static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                KoersRecoveryPage *self)
{
  GtkPrintSettings *settings = gtk_print_operation_get_print_settings (operation);

  if (settings != NULL && gtk_print_settings_get (settings, GTK_PRINT_SETTINGS_OUTPUT_URI) != NULL)
    {
      gtk_label_set_label (self->print_error_label,
                           _("The recovery key is printed on paper only, never to a file. Choose a printer, "
                             "or write the key down."));
      gtk_widget_set_visible (GTK_WIDGET (self->print_error_label), TRUE);
      gtk_print_operation_cancel (operation);
    }
}

static GtkPrintOperation *
make_print_operation (KoersRecoveryPage *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();

  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_job_name (operation, _("Koers recovery key"));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_object (operation, "begin-print", G_CALLBACK (on_begin_print), self, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (on_draw_page), self, 0);
  return operation;
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               KoersRecoveryPage       *self)
{
  g_autoptr(GError) error = NULL;

  show_print_to_file_again ();
  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;

  gtk_print_operation_get_error (operation, &error);
  gtk_label_set_label (self->print_error_label, _("The recovery key could not be printed. Write it down instead."));
  gtk_widget_set_visible (GTK_WIDGET (self->print_error_label), TRUE);
  g_debug ("Printing failed: %s", error ? error->message : "unknown");
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KoersRecoveryPage *self = KOERS_RECOVERY_PAGE (widget);
  g_autoptr(GtkPrintOperation) operation = make_print_operation (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GError) error = NULL;

  GtkPrintOperationResult result;

  gtk_widget_set_visible (GTK_WIDGET (self->print_error_label), FALSE);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);
  hide_print_to_file ();
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error);
  /* Anything but "in progress" means "done" was emitted already, or will
   * not be: put the file backend back for an error here. */
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    on_print_done (operation, GTK_PRINT_OPERATION_RESULT_ERROR, self);
}

gboolean
koers_recovery_page_hides_print_to_file (void)
{
  return hiding_file_backend > 0;
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_DONE], 0);
}

static void
koers_recovery_page_dispose (GObject *object)
{
  KoersRecoveryPage *self = KOERS_RECOVERY_PAGE (object);
  GtkWidget *child;

  g_clear_pointer (&self->key, koers_vault_free_secret);
  g_clear_pointer (&self->steunpunt, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_RECOVERY_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (koers_recovery_page_parent_class)->dispose (object);
}

static void
koers_recovery_page_class_init (KoersRecoveryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_recovery_page_dispose;

  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-recovery-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersRecoveryPage, scroller);
  /* For koers_a11y_name_page (), which finds it by name. */
  gtk_widget_class_bind_template_child_full (widget_class, "title_label", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, KoersRecoveryPage, key_label);
  gtk_widget_class_bind_template_child (widget_class, KoersRecoveryPage, print_error_label);
  gtk_widget_class_bind_template_child (widget_class, KoersRecoveryPage, stored_check);
  gtk_widget_class_bind_template_child (widget_class, KoersRecoveryPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, KoersRecoveryPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, on_stored_toggled);

  gtk_widget_class_install_action (widget_class, "recovery.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "recovery.continue", NULL, continue_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
koers_recovery_page_init (KoersRecoveryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_a11y_name_buttons (GTK_WIDGET (self));
  koers_a11y_name_page (GTK_WIDGET (self), KOERS_TYPE_RECOVERY_PAGE);
  update_actions (self);
}

void
koers_recovery_page_set_key (KoersRecoveryPage *self,
                             const char        *recovery_key,
                             const char        *steunpunt)
{
  g_autofree char *lines = NULL;

  g_return_if_fail (KOERS_IS_RECOVERY_PAGE (self));
  g_return_if_fail (recovery_key != NULL);

  koers_recovery_page_clear (self);
  self->key = g_strdup (recovery_key);
  self->steunpunt = g_strdup (steunpunt);
  lines = key_in_lines (recovery_key);
  gtk_label_set_label (self->key_label, lines);
  explicit_bzero (lines, strlen (lines));
  update_actions (self);
}

void
koers_recovery_page_clear (KoersRecoveryPage *self)
{
  g_return_if_fail (KOERS_IS_RECOVERY_PAGE (self));

  g_clear_pointer (&self->key, koers_vault_free_secret);
  g_clear_pointer (&self->steunpunt, g_free);
  gtk_label_set_label (self->key_label, "");
  gtk_check_button_set_active (self->stored_check, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->print_error_label), FALSE);
  update_actions (self);
}

void
koers_recovery_page_focus (KoersRecoveryPage *self)
{
  g_return_if_fail (KOERS_IS_RECOVERY_PAGE (self));

  gtk_widget_grab_focus (self->print_button);
  /* The key label may have been focused on the way and selected all. */
  gtk_label_select_region (self->key_label, 0, 0);
}

gboolean
koers_recovery_page_export_pdf (KoersRecoveryPage  *self,
                                const char         *path,
                                GError            **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (KOERS_IS_RECOVERY_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  operation = make_print_operation (self);
  gtk_print_operation_set_export_filename (operation, path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}
