/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-fold.h: search keys for names and notes, the way a volunteer types.
 *
 * Pure text in, text out: no SQL, no GTK. The store indexes what
 * koers_fold_text()/koers_fold_note() return in an FTS5 column
 * (tokenize = 'unicode61 remove_diacritics 2') and searches with the
 * expression koers_fold_query() returns. See docs/search.md.
 *
 * Indexed text is a space-separated list of tokens:
 *  - folded words: lowercase, no diacritics or vowel marks, one form per
 *    Arabic/Persian/Urdu/Kurdish letter, Ethiopic homophones unified,
 *    digits of every script as ASCII;
 *  - a Latin transliteration of each Cyrillic, Ethiopic, Georgian,
 *    Armenian or Greek word (and of Latin words with ş, č, ž ...);
 *  - sound keys, "0" followed by consonant classes ("0mhmd" for Mohammed,
 *    Muhammad, Mohamed, محمد, Мухаммед), so that spellings of a name meet.
 * A typed query matches a word, a transliteration or a sound key; a row
 * that matches the word as well as the key scores higher under bm25().
 *
 * All functions accept NULL, empty, huge and invalid UTF-8 input, never
 * fail, and return newly allocated strings (g_free).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For a name or alias: every word gets a transliteration and sound keys,
 * and neighbouring words are also keyed joined ("Abdul Rahman" meets
 * "Abdulrahman", "Mohammad Reza" meets "Mohammadreza"). */
char       *koers_fold_text    (const char *text);

/* For free text (conversation notes): folded words, plus keys only for
 * words that look like names (capitalised, or written in a script
 * without case), so Dutch prose does not flood the key space. */
char       *koers_fold_note    (const char *text);

/* What a person typed into the search field, as an FTS5 MATCH expression
 * over a table filled by the two functions above. Every term is quoted,
 * so no input can make an FTS5 syntax error. The last word is matched as
 * a prefix (search as you type) unless the input ends in a space or
 * punctuation. Returns NULL when there is nothing to search for. */
char       *koers_fold_query   (const char *typed);

/* Changes whenever the folding rules change: a store keeps it next to its
 * index and rebuilds the index when it differs. */
const char *koers_fold_version (void);

G_END_DECLS
