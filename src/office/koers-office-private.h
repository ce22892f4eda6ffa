/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-private.h: what the parts of KoersOffice share (internal). */
#pragma once

#include "koers-office.h"

G_BEGIN_DECLS

struct _KoersOffice
{
  GObject     parent_instance;
  KoersStore *store;
};

G_END_DECLS
