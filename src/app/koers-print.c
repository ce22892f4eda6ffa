/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-print"

#include <glib/gi18n.h>
#include <stdarg.h>

#include "koers-labels.h"
#include "koers-print.h"
#include "koers-toasts.h"
#include "store/koers-client-file.h"

#define MARGIN_MM 20.0

/* Markup ------------------------------------------------------------------ */

static void
heading (GString    *out,
         const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append_printf (out, "\n<span size=\"large\" weight=\"bold\">%s</span>\n", escaped);
}

static void
field (GString    *out,
       const char *label,
       const char *value)
{
  g_autofree char *l = g_markup_escape_text (label, -1);
  g_autofree char *v = g_markup_escape_text (value != NULL && *value != '\0' ? value : "—", -1);

  g_string_append_printf (out, "<b>%s:</b> %s\n", l, v);
}

static void
title (GString    *out,
       const char *what,
       const char *name)
{
  g_autofree char *w = g_markup_escape_text (what, -1);
  g_autofree char *n = g_markup_escape_text (name, -1);

  g_string_append_printf (out, "<span size=\"xx-large\" weight=\"bold\">%s</span>\n"
                               "<span size=\"x-large\">%s</span>\n", w, n);
}

static void
footer (GString    *out,
        KoersStore *store)
{
  g_autofree char *today = koers_store_today (store);
  g_autofree char *date = koers_label_date (today);
  g_autofree char *line = g_strdup_printf (_("Printed on %s with Koers"), date);
  g_autofree char *escaped = g_markup_escape_text (line, -1);

  g_string_append_printf (out, "\n<span size=\"small\" foreground=\"#555555\">%s</span>\n", escaped);
}

/* A line of text in the printout, escaped. */
static void
line (GString    *out,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
line (GString    *out,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  escaped = g_markup_escape_text (text, -1);
  g_string_append_printf (out, "%s\n", escaped);
}

/* The partner organisation by its name; "not chosen yet" when there is
 * none (the volunteer can still choose one). */
static char *
partner_name (KoersStore            *store,
              const KoersReturnPlan *plan)
{
  g_autoptr(KoersPartnerOrg) partner = NULL;

  if (plan->partner_id == NULL)
    return g_strdup (_("Not chosen yet"));
  partner = koers_store_get_partner_org (store, plan->partner_id, NULL);
  return g_strdup (partner != NULL ? partner->name : _("Not chosen yet"));
}

static void
plan_support (GString   *out,
              GPtrArray *items)
{
  heading (out, _("Support"));
  if (items->len == 0)
    line (out, "%s", _("No support agreed yet."));
  for (guint i = 0; i < items->len; i++)
    {
      KoersSupportItem *item = g_ptr_array_index (items, i);

      if (item->description != NULL)
        line (out, "• %s — %s (%s)", koers_label_support_kind (item->kind), item->description,
              koers_label_support_status (item->status));
      else
        line (out, "• %s (%s)", koers_label_support_kind (item->kind), koers_label_support_status (item->status));
    }
}

/* Steps by date, undated last, as the page shows them. */
static void
plan_steps (GString    *out,
            KoersStore *store,
            const char *plan_id)
{
  g_autoptr(GPtrArray) steps = koers_store_list_plan_steps (store, plan_id, NULL);

  heading (out, _("Steps"));
  if (steps == NULL || steps->len == 0)
    line (out, "%s", _("No steps yet."));
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      KoersReturnStep *step = g_ptr_array_index (steps, i);
      g_autofree char *due = koers_label_date (step->due_on);
      g_autofree char *description = g_markup_escape_text (step->description, -1);
      g_autofree char *owner = g_markup_escape_text (koers_label_owner (step->owner), -1);
      g_autofree char *when = due != NULL ? g_markup_printf_escaped (_("due %s"), due) : g_strdup ("");

      g_string_append_printf (out, "%s  %s\n      <i>%s</i>%s%s\n", step->done ? "☑" : "☐",
                              description, owner, *when ? " · " : "", when);
    }
}

/* Held check-ins with their answers and notes; the others with their date. */
static void
plan_checkins (GString   *out,
               GPtrArray *checkins)
{
  heading (out, _("Monitoring Check-ins"));
  if (checkins->len == 0)
    line (out, "%s", _("The check-ins are planned from the date of departure."));
  for (guint i = 0; i < checkins->len; i++)
    {
      KoersCheckin *checkin = g_ptr_array_index (checkins, i);
      g_autofree char *title = koers_label_checkin (checkin->month);
      g_autofree char *escaped = g_markup_escape_text (title, -1);
      g_autofree char *held = koers_label_date (checkin->held_on);
      g_autofree char *due = koers_label_date (checkin->due_on);

      g_string_append_printf (out, "<b>%s</b>\n", escaped);
      if (held == NULL)
        {
          g_autofree char *when = due != NULL ? g_strdup_printf (_("due %s"), due) : g_strdup ("");

          line (out, "      %s", when);
          continue;
        }
      {
        g_autofree char *answers = g_strdup_printf (_("Social contacts: %s · Economic activity: %s"),
                                                    koers_label_answer (checkin->social_contacts),
                                                    koers_label_answer (checkin->economic_activity));

        line (out, "      %s · %s", held, answers);
      }
      if (checkin->notes != NULL)
        line (out, "      %s", checkin->notes);
    }
}

static void
plan_body (GString       *out,
           KoersStore    *store,
           KoersFilePlan *node)
{
  KoersReturnPlan *plan = node->plan;
  g_autofree char *planned = koers_label_date (plan->planned_departure);
  g_autofree char *departed = koers_label_date (plan->departed_on);
  g_autofree char *partner = partner_name (store, plan);

  field (out, _("Country of return"), koers_label_country (plan->country));
  /* Only what the app can fill is printed empty. */
  if (plan->region != NULL)
    field (out, _("Region"), plan->region);
  field (out, _("Partner organisation"), partner);
  field (out, _("Status"), koers_label_plan_status (plan->status));
  if (plan->status_reason != NULL)
    field (out, _("Reason"), plan->status_reason);
  field (out, _("Planned departure"), planned);
  if (departed != NULL)
    field (out, _("Departed on"), departed);

  plan_support (out, node->support_items);
  plan_steps (out, store, plan->id);
  plan_checkins (out, node->checkins);
}

char *
koers_print_plan_markup (KoersStore  *store,
                         const char  *client_id,
                         GError     **error)
{
  g_autoptr(KoersClientFile) file = koers_store_read_file (store, client_id, FALSE, error);
  GString *out;

  if (file == NULL)
    return NULL;
  out = g_string_new (NULL);
  title (out, _("Return Plan"), file->client->name);
  if (file->plans->len == 0)
    g_string_append_printf (out, "\n%s\n", _("There is no return plan yet."));
  for (guint i = 0; i < file->plans->len; i++)
    plan_body (out, store, g_ptr_array_index (file->plans, i));
  footer (out, store);
  return g_string_free (out, FALSE);
}

char *
koers_print_summary_markup (KoersStore  *store,
                            const char  *client_id,
                            GError     **error)
{
  g_autoptr(KoersClientFile) file = koers_store_read_file (store, client_id, FALSE, error);
  KoersClient *client;
  GPtrArray *conversations;
  GPtrArray *referrals;
  g_autofree char *languages = NULL;
  g_autofree char *born = NULL;
  GString *out;

  if (file == NULL)
    return NULL;
  client = file->client;
  out = g_string_new (NULL);
  title (out, _("Client Summary"), client->name);
  if (client->birth_year > 0)
    born = g_strdup_printf ("%d", client->birth_year);
  field (out, _("Year of birth"), born);
  field (out, _("Country of origin"),
         client->country_of_origin != NULL ? koers_label_country (client->country_of_origin) : NULL);
  languages = client->languages != NULL ? g_strjoinv (", ", client->languages) : NULL;
  field (out, _("Languages"), languages);
  field (out, _("V-number"), client->v_number);

  heading (out, _("Conversations"));
  conversations = file->conversations;
  if (conversations->len == 0)
    g_string_append_printf (out, "%s\n", _("No conversations yet."));
  for (guint i = 0; i < conversations->len; i++)
    {
      KoersFileConversation *node = g_ptr_array_index (conversations, i);
      KoersConversation *conversation = node->conversation;
      g_autofree char *date = koers_label_date (conversation->held_on);
      GPtrArray *steps = node->next_steps;
      g_autoptr(GString) topics = g_string_new (NULL);
      g_autofree char *d = g_markup_escape_text (date, -1);

      for (guint t = 0; conversation->topics != NULL && conversation->topics[t] != NULL; t++)
        g_string_append_printf (topics, "%s%s", t > 0 ? ", " : "", koers_label_topic (conversation->topics[t]));
      g_string_append_printf (out, "<b>%s</b>", d);
      if (topics->len > 0)
        {
          g_autofree char *escaped = g_markup_escape_text (topics->str, -1);

          g_string_append_printf (out, " — %s", escaped);
        }
      g_string_append_c (out, '\n');
      for (guint s = 0; s < steps->len; s++)
        {
          KoersNextStep *step = g_ptr_array_index (steps, s);
          g_autofree char *due = koers_label_date (step->due_on);
          g_autofree char *text = g_markup_escape_text (step->description, -1);

          g_string_append_printf (out, "      %s %s%s%s\n", step->done ? "☑" : "☐", text,
                                  due != NULL ? " · " : "", due != NULL ? due : "");
        }
    }

  referrals = file->referrals;
  if (referrals->len > 0)
    {
      heading (out, _("Referrals"));
      for (guint i = 0; i < referrals->len; i++)
        {
          KoersReferral *referral = g_ptr_array_index (referrals, i);
          g_autofree char *date = koers_label_date (referral->referred_on);
          g_autofree char *line = g_markup_escape_text (referral->reason != NULL ? referral->reason : "", -1);

          g_string_append_printf (out, "%s — %s\n", date, line);
        }
    }
  footer (out, store);
  return g_string_free (out, FALSE);
}

/* Printing ---------------------------------------------------------------- */

typedef struct
{
  char        *markup;
  PangoLayout *layout;
  GArray      *page_starts;   /* index of the first line of each page */
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_free (job->markup);
  g_clear_object (&job->layout);
  g_array_unref (job->page_starts);
  g_free (job);
}

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PrintJob          *job)
{
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 11");
  PangoLayoutIter *iter;
  double page_top = 0;
  int line = 0;

  job->layout = gtk_print_context_create_pango_layout (context);
  pango_layout_set_font_description (job->layout, font);
  pango_layout_set_width (job->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (job->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_spacing (job->layout, 2 * PANGO_SCALE);
  pango_layout_set_markup (job->layout, job->markup, -1);

  g_array_set_size (job->page_starts, 0);
  g_array_append_val (job->page_starts, line);
  iter = pango_layout_get_iter (job->layout);
  do
    {
      PangoRectangle logical;
      double bottom;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      bottom = (double) (logical.y + logical.height) / PANGO_SCALE;
      if (bottom - page_top > height && line > g_array_index (job->page_starts, int, job->page_starts->len - 1))
        {
          g_array_append_val (job->page_starts, line);
          page_top = (double) logical.y / PANGO_SCALE;
        }
      line++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  gtk_print_operation_set_n_pages (operation, job->page_starts->len);
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  int first = g_array_index (job->page_starts, int, page_nr);
  int last = (guint) page_nr + 1 < job->page_starts->len
               ? g_array_index (job->page_starts, int, page_nr + 1)
               : pango_layout_get_line_count (job->layout);
  PangoLayoutIter *iter = pango_layout_get_iter (job->layout);
  double page_top = 0;
  int line = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  do
    {
      PangoRectangle logical;
      int baseline;

      if (line < first)
        continue;
      if (line >= last)
        break;
      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      baseline = pango_layout_iter_get_baseline (iter);
      if (line == first)
        page_top = (double) logical.y / PANGO_SCALE;
      cairo_move_to (cr, (double) logical.x / PANGO_SCALE,
                     (double) baseline / PANGO_SCALE - page_top);
      pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (iter));
    }
  while (++line, pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/* The dialog says what "Print to File" means for a client's data. */
static GObject *
on_create_custom_widget (GtkPrintOperation *operation,
                         gpointer           user_data)
{
  GtkWidget *label = gtk_label_new (_("“Print to File” writes this client’s data to the disk "
                                      "unencrypted, like koers-cli export: Koers records it in the "
                                      "audit as an export to a file. Print on paper when you can; "
                                      "otherwise delete the file when it has served its purpose."));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_start (label, 18);
  gtk_widget_set_margin_end (label, 18);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  return G_OBJECT (label);
}

/* A new operation for @markup (taken) on A4. */
static GtkPrintOperation *
new_operation (char       *markup,
               const char *job_name,
               const char *export_filename)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  PrintJob *job = g_new0 (PrintJob, 1);

  job->markup = markup;
  job->page_starts = g_array_new (FALSE, FALSE, sizeof (int));
  g_object_set_data_full (G_OBJECT (operation), "koers-print-job", job, (GDestroyNotify) print_job_free);

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_page_setup_set_top_margin (setup, MARGIN_MM, GTK_UNIT_MM);
  gtk_page_setup_set_bottom_margin (setup, MARGIN_MM, GTK_UNIT_MM);
  gtk_page_setup_set_left_margin (setup, MARGIN_MM, GTK_UNIT_MM);
  gtk_page_setup_set_right_margin (setup, MARGIN_MM, GTK_UNIT_MM);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, job_name);
  gtk_print_operation_set_show_progress (operation, export_filename == NULL);
  if (export_filename != NULL)
    {
      gtk_print_operation_set_export_filename (operation, export_filename);
      g_object_set_data (G_OBJECT (operation), "koers-export-file", GINT_TO_POINTER (TRUE));
    }
  else
    {
      gtk_print_operation_set_custom_tab_label (operation, _("Printing to a File"));
      g_signal_connect (operation, "create-custom-widget", G_CALLBACK (on_create_custom_widget), NULL);
    }
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), job);
  return operation;
}

static GtkPrintOperationAction
action_for (const char *export_filename)
{
  return export_filename != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                 : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG;
}

/* The document @what of a client: its markup, or NULL (and @error). */
static char *
document_markup (KoersEntity   what,
                 KoersStore   *store,
                 const char   *client_id,
                 GError      **error)
{
  return what == KOERS_ENTITY_RETURN_PLAN ? koers_print_plan_markup (store, client_id, error)
                                          : koers_print_summary_markup (store, client_id, error);
}

/* The job name is what a print queue shows: no client's name in it. */
static const char *
document_job_name (KoersEntity what)
{
  return what == KOERS_ENTITY_RETURN_PLAN ? _("Return plan") : _("Client summary");
}

/* A PDF written straight away, or "Print to File" chosen in the dialog
 * (its settings then name the file): a copy on disk in clear. */
static gboolean
printed_to_file (GtkPrintOperation *operation)
{
  GtkPrintSettings *settings = gtk_print_operation_get_print_settings (operation);

  return g_object_get_data (G_OBJECT (operation), "koers-export-file") != NULL ||
         (settings != NULL && gtk_print_settings_get (settings, GTK_PRINT_SETTINGS_OUTPUT_URI) != NULL);
}

/* Paper that left the building is a disclosure: audit it. The printout
 * exists either way, so a failure here is logged, not shown as a failed
 * print. */
static void
audit_printed (KoersStore        *store,
               const char        *client_id,
               KoersEntity        what,
               GtkPrintOperation *operation)
{
  g_autoptr(GError) error = NULL;

  if (!(printed_to_file (operation) ? koers_store_audit_print_to_file (store, client_id, what, &error)
                                    : koers_store_audit_print (store, client_id, what, &error)))
    g_warning ("A printout could not be recorded in the audit: %s", error->message);
}

static GtkPrintOperationResult
print_now (KoersEntity   what,
           GtkWindow    *parent,
           KoersStore   *store,
           const char   *client_id,
           const char   *export_filename,
           GError      **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  GtkPrintOperationResult result;
  char *markup = document_markup (what, store, client_id, error);

  if (markup == NULL)
    return GTK_PRINT_OPERATION_RESULT_ERROR;
  operation = new_operation (markup, document_job_name (what), export_filename);
  result = gtk_print_operation_run (operation, action_for (export_filename), parent, error);
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    audit_printed (store, client_id, what, operation);
  return result;
}

GtkPrintOperationResult
koers_print_plan (GtkWindow   *parent,
                  KoersStore  *store,
                  const char  *client_id,
                  const char  *export_filename,
                  GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (store), GTK_PRINT_OPERATION_RESULT_ERROR);
  g_return_val_if_fail (client_id != NULL, GTK_PRINT_OPERATION_RESULT_ERROR);

  return print_now (KOERS_ENTITY_RETURN_PLAN, parent, store, client_id, export_filename, error);
}

GtkPrintOperationResult
koers_print_client_summary (GtkWindow   *parent,
                            KoersStore  *store,
                            const char  *client_id,
                            const char  *export_filename,
                            GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (store), GTK_PRINT_OPERATION_RESULT_ERROR);
  g_return_val_if_fail (client_id != NULL, GTK_PRINT_OPERATION_RESULT_ERROR);

  return print_now (KOERS_ENTITY_CLIENT, parent, store, client_id, export_filename, error);
}

/* Printing without blocking ----------------------------------------------- */

typedef struct
{
  KoersStore        *store;
  char              *client_id;
  KoersEntity        what;
  GtkPrintOperation *operation;
  gboolean           finished;
} PrintTask;

static void
print_task_free (PrintTask *data)
{
  g_clear_object (&data->store);
  g_free (data->client_id);
  g_clear_object (&data->operation);
  g_free (data);
}

/* Ends the task once: from "done", or from the run when it did not go on
 * in the background. Takes @error. */
static void
finish_task (GTask                   *task,
             GtkPrintOperationResult  result,
             GError                  *error)
{
  g_autoptr(GTask) keep = g_object_ref (task);
  PrintTask *data = g_task_get_task_data (task);

  if (data->finished)
    {
      g_clear_error (&error);
      return;
    }
  data->finished = TRUE;
  /* Drops the "done" handler's reference on the task. */
  g_signal_handlers_disconnect_by_data (data->operation, task);
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    audit_printed (data->store, data->client_id, data->what, data->operation);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error == NULL)
    g_set_error_literal (&error, GTK_PRINT_ERROR, GTK_PRINT_ERROR_GENERAL, _("Printing did not work."));
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, result);
}

static void
on_done (GtkPrintOperation       *operation,
         GtkPrintOperationResult  result,
         GTask                   *task)
{
  GError *error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    gtk_print_operation_get_error (operation, &error);
  finish_task (task, result, error);
}

void
koers_print_async (KoersEntity          what,
                   GtkWindow           *parent,
                   KoersStore          *store,
                   const char          *client_id,
                   const char          *export_filename,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GtkPrintOperationResult result;
  PrintTask *data;
  GError *error = NULL;
  char *markup;

  g_return_if_fail (what == KOERS_ENTITY_CLIENT || what == KOERS_ENTITY_RETURN_PLAN);
  g_return_if_fail (KOERS_IS_STORE (store));
  g_return_if_fail (client_id != NULL);

  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, koers_print_async);
  if ((markup = document_markup (what, store, client_id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_new0 (PrintTask, 1);
  data->store = g_object_ref (store);
  data->client_id = g_strdup (client_id);
  data->what = what;
  data->operation = new_operation (markup, document_job_name (what), export_filename);
  g_task_set_task_data (task, data, (GDestroyNotify) print_task_free);
  /* A PDF file is written at once; the dialog and the job run beside the
   * window (progress shown) and report through "done". */
  gtk_print_operation_set_allow_async (data->operation, export_filename == NULL);
  g_signal_connect_data (data->operation, "done", G_CALLBACK (on_done), g_object_ref (task),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  result = gtk_print_operation_run (data->operation, action_for (export_filename), parent, &error);
  if (result != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    finish_task (task, result, error);
}

GtkPrintOperationResult
koers_print_finish (GAsyncResult  *result,
                    GError       **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, NULL), GTK_PRINT_OPERATION_RESULT_ERROR);

  value = g_task_propagate_int (G_TASK (result), error);
  return value < 0 ? GTK_PRINT_OPERATION_RESULT_ERROR : (GtkPrintOperationResult) value;
}

/* Printing from a page ------------------------------------------------------ */

static void
on_printed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (koers_print_finish (result, &error) != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;
  /* GTK's and cairo's messages are technical (and may name a file): the
   * toast says what a volunteer can do. */
  g_debug ("Printing failed: %s %d", g_quark_to_string (error->domain), error->code);
  koers_toast_show (widget, _("Printing did not work. Check the printer and try again."));
}

void
koers_print_from_widget (GtkWidget   *widget,
                         KoersEntity  what,
                         KoersStore  *store,
                         const char  *client_id,
                         const char  *export_filename)
{
  GtkWidget *overlay;
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  root = gtk_widget_get_root (widget);
  /* The toast goes to the window even if the page is gone by then. */
  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  koers_print_async (what, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, store, client_id,
                     export_filename, on_printed, g_object_ref (overlay != NULL ? overlay : widget));
}
