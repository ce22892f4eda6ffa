/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-test-util.h: helpers for driving real widgets in tests. */
#pragma once

#include <gtk/gtk.h>

#include "koers-client-list.h"
#include "koers-preferences-window.h"
#include "koers-store-reader.h"
#include "koers-today-page.h"
#include "koers-window.h"
#include "session/koers-session.h"

G_BEGIN_DECLS

typedef gboolean (*KoersTestCondition) (gpointer data);

/* Runs the main loop until @condition holds; fails the test after
 * @timeout_seconds. */
void       koers_test_wait_until      (KoersTestCondition  condition,
                                       gpointer            data,
                                       guint               timeout_seconds);
/* Runs the main loop until the list's (or the page's) read is in. */
void       koers_test_wait_for_list   (KoersClientList    *list);
void       koers_test_wait_for_today  (KoersTodayPage     *page);
/* Runs the main loop until @window shows @page ("setup", "unlock", "main"...)
 * and settles; fails the test after a minute. */
void       koers_test_wait_for_page   (KoersWindow        *window,
                                       const char         *page);
/* The rounds a sync engine finished ("round-finished"), counted since
 * koers_test_count_rounds(), and whether the last one went well. */
typedef struct
{
  guint    count;
  gboolean last_ok;
} KoersTestRounds;

void       koers_test_count_rounds    (KoersSyncEngine    *engine,
                                       KoersTestRounds    *rounds);
/* Runs the main loop until @rounds counts more than @before (a round
 * begun after @before was read has finished); fails the test after
 * @timeout_seconds. */
void       koers_test_wait_for_round  (KoersTestRounds    *rounds,
                                       guint               before,
                                       guint               timeout_seconds);
/* Runs the main loop until @reader's write jobs are written and their
 * callbacks have run (the pages save on the reader's thread). */
void       koers_test_wait_for_writes (KoersStoreReader   *reader);
/* Activates @action (a save) on @widget, which must take it, and waits
 * until it is written, then settles. */
void       koers_test_save            (GtkWidget          *widget,
                                       const char         *action,
                                       KoersStoreReader   *reader);
/* For main(): gtk_test_init(), the locale and Koers' translations
 * (from $KOERS_LOCALEDIR when set, else the installed ones), adw_init(). */
void       koers_test_init_translated (int                *argc,
                                       char             ***argv);
/* Runs the main loop until nothing is pending and a few frames passed. */
void       koers_test_settle          (void);
/* A template child of @widget (declared by @type's template). */
GtkWidget *koers_test_child           (gpointer            widget,
                                       GType               type,
                                       const char         *name);
/* Puts @text in an editable or a KoersSecretEntry (a passphrase field). */
void       koers_test_set_text        (GtkWidget          *field,
                                       const char         *text);

/* The text of an editable or a KoersSecretEntry. */
const char *koers_test_get_text       (GtkWidget          *field);
/* In the preferences' People page: fills in a person as a coordinator
 * does (@name, unless the form resets someone's passphrase; @role where
 * the form asks for one; @passphrase twice), presses Add and waits until
 * the key slot is written. Returns whether the form started writing it
 * (busy at once: Argon2id runs in a worker); FALSE when it refused at
 * once (its error label says why). */
gboolean   koers_test_add_person      (KoersPreferencesWindow *prefs,
                                       const char             *name,
                                       KoersRole               role,
                                       const char             *passphrase);

/* The first widget of @type in @root's tree, @root included (NULL: none). */
GtkWidget *koers_test_find_descendant (GtkWidget          *root,
                                       GType               type);
/* The @n-th (from 0) widget of @type in @root's tree, @root included,
 * depth first (NULL: none). */
GtkWidget *koers_test_nth_descendant  (GtkWidget          *root,
                                       GType               type,
                                       guint               n);
/* The first shown toplevel window of @type, e.g. a message dialog (NULL:
 * none; borrowed). */
GtkWidget *koers_test_find_toplevel   (GType               type);
/* The date @days after the store's today ("YYYY-MM-DD"; before it if
 * negative). */
char      *koers_test_days_from_today (KoersStore         *store,
                                       int                 days);
/* A client in @phase whose storage consent is recorded today; returns the
 * id. */
char      *koers_test_add_client      (KoersStore         *store,
                                       const char         *name,
                                       KoersPhase          phase);
/* The same, with a conversation held today (with a psychosocial signal or
 * not) and a next step @step due in @due_in_days (done or not). */
char      *koers_test_add_client_with_step (KoersStore    *store,
                                            const char    *name,
                                            const char    *step,
                                            int            due_in_days,
                                            gboolean       done,
                                            gboolean       signal);
/* The store's side of a sync round, without sealing or a server (what
 * the Clients list's delivery icons read): every change in the log cut
 * into batches; every sealed batch marked uploaded; everything uploaded
 * acknowledged by the office. */
void       koers_test_sync_cut_all         (KoersStore    *store);
void       koers_test_sync_upload_all      (KoersStore    *store);
void       koers_test_sync_acknowledge_all (KoersStore    *store);
/* Removes a folder and everything in it. */
void       koers_test_rm_rf           (const char         *path);
/* Renders @widget as it is on screen to a PNG file. */
gboolean   koers_test_save_png        (GtkWidget          *widget,
                                       const char         *path,
                                       GError            **error);

/* The usable controls in @root's shown widget tree that a screen reader
 * could not name (no accessible label, no labelled-by relation, no text of
 * their own) or that the keyboard cannot reach. One line each, saying the
 * problem, what and where (empty: none). */
GPtrArray *koers_test_inaccessible_controls (GtkWidget         *root);

/* A new vault in @dir (Argon2id at its minimum) for @name, opened by a
 * session that names nobody's worker (KOERS_SESSION_NONE): unlocked, and
 * with its store and reader open when @open_store. The recovery key goes
 * to @recovery_key when not NULL. */
KoersSession *koers_test_new_session  (const char         *dir,
                                       const char         *name,
                                       const char         *passphrase,
                                       gboolean            open_store,
                                       char              **recovery_key);

/* A real KoersWindow on a vault folder (not made yet) in a fresh
 * temporary folder, removed with everything in it afterwards. */
typedef struct
{
  char        *tmp;
  char        *vault_dir;
  KoersWindow *window;
} KoersWindowFixture;

void       koers_window_fixture_set_up    (KoersWindowFixture *fixture,
                                           gconstpointer       data);
void       koers_window_fixture_tear_down (KoersWindowFixture *fixture,
                                           gconstpointer       data);

/* A fresh vault (Argon2id at its minimum) in a temporary folder, unlocked,
 * with a store and a reader over it; all closed and removed afterwards. */
typedef struct
{
  char             *tmp;
  KoersVault       *vault;
  KoersStore       *store;
  KoersStoreReader *reader;
} KoersStoreFixture;

void       koers_store_fixture_set_up     (KoersStoreFixture  *fixture,
                                           gconstpointer       data);
void       koers_store_fixture_tear_down  (KoersStoreFixture  *fixture,
                                           gconstpointer       data);

G_END_DECLS
