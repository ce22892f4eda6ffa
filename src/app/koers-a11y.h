/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-a11y.h: narrow workarounds for what GTK 4.8 and libadwaita 1.2
 * tell a screen reader (docs/app.md, "What a screen reader hears"). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Marks every page of @stack but the visible one hidden to AT-SPI (GTK 4.8
 * exposes them all as shown). Call after each change of page. */
void koers_a11y_hide_other_pages (GtkStack   *stack);
/* The same for any container of pages (AdwViewStack, AdwLeaflet): every
 * child of @parent but @shown hidden to AT-SPI. */
void koers_a11y_hide_others      (GtkWidget  *parent,
                                  GtkWidget  *shown);
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
/* Hides the icon of each icon button below @root (@root included) to
 * AT-SPI, for buttons named otherwise: GTK 4.8 names the image
 * "GtkImage", and Orca says it before the button's name.
 * koers_a11y_name_buttons () does it too. */
void koers_a11y_hide_icons       (GtkWidget  *root);
/* Names what libadwaita 1.2 builds inside a preferences window (or any
 * window made of AdwPreferencesPages) by what it shows: each page's
 * scroller by the page's title, its lists by their group's or page's
 * title, the page switcher's buttons by their text, the search field,
 * the search results and the status pages (GTK 4.8 reads them by class
 * name or by nothing). The pages of its stacks that do not show (the
 * other preferences pages; the search while one is not searching) are
 * hidden to AT-SPI, which GTK 4.8 exposes as shown. Call once its pages
 * are in. */
void koers_a11y_name_preferences (GtkWidget  *window);
/* Names the scrolled window inside each AdwStatusPage below @root (@root
 * included) by the page's title, also when the title changes later:
 * libadwaita 1.2 puts every status page in a scrolled window that takes
 * the focus, which GTK 4.8 reads by nothing. */
void koers_a11y_name_status_pages (GtkWidget  *root);
/* Says @message through @field: its accessible description, which a screen
 * reader speaks when it changes on the focused control (GTK 4.8 sends no
 * event for an alert that appears). NULL clears it. */
void koers_a11y_tell             (GtkWidget  *field,
                                  const char *message);
/* The value of a choice read with it: the description of @choice (an
 * AdwComboRow or a GtkDropDown) is its selected item's text, kept up to
 * date (GTK 4.8 and libadwaita 1.2 expose the value to no AT-SPI call). */
void koers_a11y_describe_choice  (GtkWidget  *choice);

/* Names @widget @name, heard once: GTK 4.8 reads the label property
 * followed by what the widget is labelled by (a button its own text:
 * "Record the check-in Record…"). */
void koers_a11y_name             (GtkWidget  *widget,
                                  const char *name);
/* Names each GtkListBox and GtkFlowBox below @root (libadwaita's inside a
 * preferences group too) by the title of the group it is in, or, in a
 * group without a title, by the title of its preferences page: GTK 4.8
 * reads an unnamed list by its class name ("GtkListBox"). Lists in a
 * popover (a list to choose from, named by its own) and lists in an
 * untitled group of an untitled page are left alone. */
void koers_a11y_name_lists       (GtkWidget  *root);
/* Names @widget by what it shows in the group it is in ("Topics
 * Discussed: Other"), for a choice whose text alone is found in more than
 * one group. */
void koers_a11y_name_in_group    (GtkWidget  *widget,
                                  const char *shown);
/* Names the list item of a GtkListView row whose child is @child by
 * what the row shows: @title and @detail, its parts separated by " · ",
 * heard "Title, part, part". GTK 4.8 has no way to name a list item
 * (gtk_list_item_set_accessible_label is GTK 4.12) and reads none.
 * NULL @title: no name (a recycled row). */
void koers_a11y_name_list_item   (GtkWidget  *child,
                                  const char *title,
                                  const char *detail);
/* An error of @field: said through it (koers_a11y_tell) and marked
 * invalid. NULL clears both. */
void koers_a11y_tell_error       (GtkWidget  *field,
                                  const char *message);
/* Says @message ("Saved", a search's result count, an error) through the
 * control that has the keyboard focus in @widget's window, whatever it
 * is: GTK 4.8 speaks only a change of the focused control (see
 * koers_a11y_tell). What that control said before comes back when the
 * focus leaves it. Nothing when no control has the focus. */
void koers_a11y_announce         (GtkWidget  *widget,
                                  const char *message);

G_END_DECLS
