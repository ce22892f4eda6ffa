/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-application.h: the Koers application (one window, one vault). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KOERS_TYPE_APPLICATION (koers_application_get_type ())
G_DECLARE_FINAL_TYPE (KoersApplication, koers_application, KOERS, APPLICATION, AdwApplication)

KoersApplication *koers_application_new (void);

G_END_DECLS
