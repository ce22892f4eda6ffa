/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A passphrase field that no AT-SPI client can read.
 *
 * GTK 4.8 gives every AT-SPI client the clear text of GtkPasswordEntry,
 * AdwPasswordEntryRow and a hidden-text GtkEntry through the Text
 * interface (it serves Text for any GtkText/GtkEditable). This widget is
 * neither: it takes keys through a GtkEventControllerKey and a
 * GtkIMContext (dead keys, compose, input methods), keeps the text in
 * locked memory that it wipes, and draws one bullet per character. A
 * listener learns the number of characters typed, nothing else. */

#include "config.h"

#define G_LOG_DOMAIN "koers-app"

#include "koers-secret-entry.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

/* Longest passphrase taken, in bytes: the buffer never moves, so no copy
 * of the secret is left behind in freed memory. */
#define SECRET_CAPACITY 1024

struct _KoersSecretEntry
{
  GtkWidget     parent_instance;

  char         *secret;     /* SECRET_CAPACITY bytes, NUL-terminated */
  gsize         n_bytes;
  guint         n_chars;
  char         *label;
  GtkIMContext *im;
  gboolean      editable;
};

G_DEFINE_FINAL_TYPE (KoersSecretEntry, koers_secret_entry, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_ACTIVATE,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The only thing said about the content: how many characters. */
static void
update_accessible (KoersSecretEntry *self)
{
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u character",
                                                         "%u characters", self->n_chars),
                                            self->n_chars);
  g_autofree char *name = self->label != NULL
                          ? g_strdup_printf ("%s, %s", self->label, count)
                          : g_strdup (count);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  /* An AdwActionRow labels its activatable widget by its title too, which
   * GTK 4.8 reads after the label: "Passphrase, 5 characters Passphrase"
   * (Orca said it at every key). The label says it all. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
changed (KoersSecretEntry *self)
{
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
koers_secret_entry_append (KoersSecretEntry *self,
                           const char       *utf8)
{
  gsize len;

  g_return_if_fail (KOERS_IS_SECRET_ENTRY (self));
  g_return_if_fail (utf8 != NULL);

  len = strlen (utf8);
  if (!self->editable)
    return;
  if (!g_utf8_validate (utf8, len, NULL) || len == 0)
    return;
  if (self->n_bytes + len >= SECRET_CAPACITY)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  memcpy (self->secret + self->n_bytes, utf8, len);
  self->n_bytes += len;
  self->secret[self->n_bytes] = '\0';
  self->n_chars += g_utf8_strlen (utf8, len);
  changed (self);
}

void
koers_secret_entry_delete_last (KoersSecretEntry *self)
{
  const char *last;
  gsize cut;

  g_return_if_fail (KOERS_IS_SECRET_ENTRY (self));

  if (self->n_bytes == 0 || !self->editable)
    return;
  last = g_utf8_find_prev_char (self->secret, self->secret + self->n_bytes);
  cut = last != NULL ? (gsize) (last - self->secret) : 0;
  sodium_memzero (self->secret + cut, self->n_bytes - cut);
  self->n_bytes = cut;
  self->n_chars--;
  changed (self);
}

void
koers_secret_entry_clear (KoersSecretEntry *self)
{
  g_return_if_fail (KOERS_IS_SECRET_ENTRY (self));

  sodium_memzero (self->secret, SECRET_CAPACITY);
  gtk_im_context_reset (self->im);
  if (self->n_bytes == 0)
    return;
  self->n_bytes = 0;
  self->n_chars = 0;
  changed (self);
}

/* The text is the caller's to read, never to keep: it is wiped by
 * koers_secret_entry_clear() and when the widget goes. */
const char *
koers_secret_entry_get_text (KoersSecretEntry *self)
{
  g_return_val_if_fail (KOERS_IS_SECRET_ENTRY (self), "");

  return self->secret;
}

guint
koers_secret_entry_get_length (KoersSecretEntry *self)
{
  g_return_val_if_fail (KOERS_IS_SECRET_ENTRY (self), 0);

  return self->n_chars;
}

void
koers_secret_entry_set_label (KoersSecretEntry *self,
                              const char       *label)
{
  g_return_if_fail (KOERS_IS_SECRET_ENTRY (self));

  if (g_strcmp0 (self->label, label) == 0)
    return;
  g_free (self->label);
  self->label = g_strdup (label);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

/* While the page is busy the field keeps the focus but takes no keys. */
void
koers_secret_entry_set_editable (KoersSecretEntry *self,
                                 gboolean          editable)
{
  g_return_if_fail (KOERS_IS_SECRET_ENTRY (self));

  self->editable = !!editable;
}

static void
koers_secret_entry_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KoersSecretEntry *self = KOERS_SECRET_ENTRY (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_secret_entry_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KoersSecretEntry *self = KOERS_SECRET_ENTRY (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      koers_secret_entry_set_label (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
im_commit (GtkIMContext     *im,
           const char       *text,
           KoersSecretEntry *self)
{
  koers_secret_entry_append (self, text);
}

static gboolean
key_pressed (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             KoersSecretEntry      *self)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  if (mods == GDK_CONTROL_MASK && (keyval == GDK_KEY_a || keyval == GDK_KEY_u))
    {
      koers_secret_entry_clear (self);
      return TRUE;
    }
  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      koers_secret_entry_delete_last (self);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
focus_enter (GtkEventControllerFocus *focus,
             KoersSecretEntry        *self)
{
  gtk_im_context_focus_in (self->im);
}

static void
focus_leave (GtkEventControllerFocus *focus,
             KoersSecretEntry        *self)
{
  gtk_im_context_focus_out (self->im);
}

static void
pressed (GtkGestureClick  *gesture,
         int               n_press,
         double            x,
         double            y,
         KoersSecretEntry *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static PangoLayout *
bullets_layout (KoersSecretEntry *self)
{
  GString *bullets = g_string_sized_new (self->n_chars * 3 + 1);
  PangoLayout *layout;

  for (guint i = 0; i < self->n_chars; i++)
    g_string_append (bullets, "\u25CF");
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), bullets->str);
  g_string_free (bullets, TRUE);
  return layout;
}

/* The bullets, clipped to the field; when they are wider, the end (where
 * the next character goes) stays in view. */
static void
koers_secret_entry_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  KoersSecretEntry *self = KOERS_SECRET_ENTRY (widget);
  g_autoptr (PangoLayout) layout = bullets_layout (self);
  GdkRGBA color;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int layout_width, layout_height;
  float x, y;

  pango_layout_get_pixel_size (layout, &layout_width, &layout_height);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  x = MIN (0, width - 1 - layout_width);
  y = (height - layout_height) / 2.0f;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
  if (gtk_widget_has_focus (widget))
    gtk_snapshot_append_color (snapshot, &color,
                               &GRAPHENE_RECT_INIT (x + layout_width, y, 1, layout_height));
  gtk_snapshot_pop (snapshot);
}

static void
koers_secret_entry_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, "\u25CF");
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = w * 4;
      *natural = w * 12; /* leaves the row's title room */
    }
  else
    {
      *minimum = h;
      *natural = h;
    }
}

static void
koers_secret_entry_state_flags_changed (GtkWidget     *widget,
                                        GtkStateFlags  previous)
{
  GTK_WIDGET_CLASS (koers_secret_entry_parent_class)->state_flags_changed (widget, previous);
  gtk_widget_queue_draw (widget);
}

static void
koers_secret_entry_realize (GtkWidget *widget)
{
  KoersSecretEntry *self = KOERS_SECRET_ENTRY (widget);

  GTK_WIDGET_CLASS (koers_secret_entry_parent_class)->realize (widget);
  gtk_im_context_set_client_widget (self->im, widget);
}

static void
koers_secret_entry_unrealize (GtkWidget *widget)
{
  KoersSecretEntry *self = KOERS_SECRET_ENTRY (widget);

  gtk_im_context_set_client_widget (self->im, NULL);
  GTK_WIDGET_CLASS (koers_secret_entry_parent_class)->unrealize (widget);
}

static void
koers_secret_entry_dispose (GObject *object)
{
  KoersSecretEntry *self = KOERS_SECRET_ENTRY (object);

  if (self->secret != NULL)
    sodium_memzero (self->secret, SECRET_CAPACITY);
  g_clear_object (&self->im);
  G_OBJECT_CLASS (koers_secret_entry_parent_class)->dispose (object);
}

static void
koers_secret_entry_finalize (GObject *object)
{
  KoersSecretEntry *self = KOERS_SECRET_ENTRY (object);

  sodium_free (self->secret);
  g_free (self->label);
  G_OBJECT_CLASS (koers_secret_entry_parent_class)->finalize (object);
}

static void
koers_secret_entry_class_init (KoersSecretEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_secret_entry_dispose;
  object_class->finalize = koers_secret_entry_finalize;
  object_class->get_property = koers_secret_entry_get_property;
  object_class->set_property = koers_secret_entry_set_property;
  widget_class->snapshot = koers_secret_entry_snapshot;
  widget_class->measure = koers_secret_entry_measure;
  widget_class->realize = koers_secret_entry_realize;
  widget_class->unrealize = koers_secret_entry_unrealize;
  widget_class->state_flags_changed = koers_secret_entry_state_flags_changed;

  /* What the field is, as a listener hears it before the count. */
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Enter in the field: unlock, save. */
  signals[SIGNAL_ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A character typed or taken away, or the field cleared. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* Styled as an entry, so people see where to type. */
  gtk_widget_class_set_css_name (widget_class, "entry");
  /* GTK 4.8 has no password role; a text box without a Text interface
   * is what Orca calls "password text"'s nearest: an edit field it
   * cannot read. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TEXT_BOX);
}

static void
koers_secret_entry_init (KoersSecretEntry *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  /* sodium_malloc: guard pages and mlock, so the passphrase is never
   * swapped out; sodium_init() was called by the vault at start-up, and
   * is cheap to call again. */
  if (sodium_init () < 0 || (self->secret = sodium_malloc (SECRET_CAPACITY)) == NULL)
    g_error ("Koers could not set memory aside for the passphrase");
  sodium_memzero (self->secret, SECRET_CAPACITY);
  self->editable = TRUE;

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_can_focus (widget, TRUE);
  gtk_widget_set_cursor_from_name (widget, "text");

  self->im = gtk_im_multicontext_new ();
  g_object_set (self->im, "input-purpose", GTK_INPUT_PURPOSE_PASSWORD,
                "input-hints", GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_PRIVATE, NULL);
  g_signal_connect (self->im, "commit", G_CALLBACK (im_commit), self);

  gtk_event_controller_key_set_im_context (GTK_EVENT_CONTROLLER_KEY (key), self->im);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (widget, key);
  g_signal_connect (focus, "enter", G_CALLBACK (focus_enter), self);
  g_signal_connect (focus, "leave", G_CALLBACK (focus_leave), self);
  gtk_widget_add_controller (widget, focus);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  /* Again once in its row (which labels it by its title then). */
  g_signal_connect (self, "map", G_CALLBACK (update_accessible), NULL);

  update_accessible (self);
}

GtkWidget *
koers_secret_entry_new (void)
{
  return g_object_new (KOERS_TYPE_SECRET_ENTRY, NULL);
}
