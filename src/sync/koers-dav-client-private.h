/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-dav-client-private.h: between the client and put_once. */
#pragma once

#include "koers-dav-client.h"

G_BEGIN_DECLS

/* A folder removed behind the client's back (and maybe its parents) is
 * made again next time. */
void koers_dav_client_forget_folders (KoersDavClient *self);

G_END_DECLS
