/* SPDX-License-Identifier: GPL-3.0-or-later */
/* office-fixture.h: the office's side for the office tests — a real nginx
 * drop on 127.0.0.1 with its TLS PKI, a client on it, and a real office
 * vault in a temporary folder with two steunpunten (one named in Farsi
 * script). */
#pragma once

#include "dav-server.h"
#include "koers-office.h"
#include "koers-vault.h"

G_BEGIN_DECLS

/* The office vault's passphrase (its user: "office"). */
#define OFFICE_FIXTURE_PASS "office-pass"

typedef struct
{
  KoersTestPki       *pki;
  KoersTestDavServer *server;
  KoersDavClient     *drop;
  char               *dir;          /* the office vault's folder */
  KoersVault         *vault;
  KoersStore         *store;
  KoersOffice        *office;
  char               *steunpunt_a;  /* "Steunpunt Utrecht" */
  char               *steunpunt_b;
} OfficeFixture;

/* Starts the drop (basic auth @user, @password) and makes the office
 * vault in a folder named after @dir_template (g_dir_make_tmp()), closes
 * and opens it again, with its keys and the two steunpunten. */
void office_fixture_setup    (OfficeFixture *o,
                              const char    *dir_template,
                              const char    *user,
                              const char    *password);
void office_fixture_teardown (OfficeFixture *o);

/* Unlocks the office vault (opened from its folder if there is none) and
 * opens the store and the office on it. */
void office_fixture_open     (OfficeFixture *o);
/* Closes the office and the store and locks the vault. */
void office_fixture_close    (OfficeFixture *o);

/* @file uploaded once to @folder/@name on the drop (koers_dav_put_once()),
 * as a device or the office puts its batches there. */
void office_fixture_put      (OfficeFixture *o,
                              const char    *folder,
                              const char    *name,
                              GBytes        *file);

G_END_DECLS
