/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-a11y.h: narrow workarounds for what GTK 4.8 and libadwaita 1.2
 * tell a screen reader (docs/app.md, "What a screen reader hears"). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Marks every page of @stack but the visible one hidden to AT-SPI (GTK 4.8
 * exposes them all as shown). Call after each change of page. */
void koers_a11y_hide_other_pages (GtkStack   *stack);
/* Names the page @page (of template class @type) and its scrolled window
 * (template children "title_label" and "scroller") by the page's title:
 * GTK 4.8 reads a page with actions by its class name ("KoersUnlockPage")
 * and the scroller, which takes the focus, by nothing. */
void koers_a11y_name_page        (GtkWidget  *page,
                                  GType       type);
/* Names the buttons below @root as they read: a text button by its text
 * alone (GTK 4.8 says "_Unlock Unlock"), a check button without its
 * mnemonic underscore, an icon button without a name by its tooltip
 * (libadwaita's "Show Text" is heard as "GtkImage"). Follows later label
 * changes. */
void koers_a11y_name_buttons     (GtkWidget  *root);
/* Names what libadwaita 1.2 builds inside a preferences window by what it
 * shows: each page's scroller by the page's title, the page switcher's
 * buttons by their text, the search field as such (GTK 4.8 reads them by
 * class name or by nothing). Call once its pages are in. */
void koers_a11y_name_preferences (GtkWidget  *window);
/* Says @message through @field: its accessible description, which a screen
 * reader speaks when it changes on the focused control (GTK 4.8 sends no
 * event for an alert that appears). NULL clears it. */
void koers_a11y_tell             (GtkWidget  *field,
                                  const char *message);
/* The value of a choice read with it: the description of @choice (an
 * AdwComboRow or a GtkDropDown) is its selected item's text, kept up to
 * date (GTK 4.8 and libadwaita 1.2 expose the value to no AT-SPI call). */
void koers_a11y_describe_choice  (GtkWidget  *choice);

G_END_DECLS
