/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fault-proxy.h: a TCP proxy on 127.0.0.1 that breaks the link on demand.
 *
 * It sits in front of a real server and passes bytes both ways untouched
 * (TLS goes end to end through it), until a fault is set:
 *
 *   CUT     after N bytes from the client (the request, body included) on a
 *           connection, both sides are closed: a connection cut mid-body;
 *   STALL   after N bytes from the client, nothing more moves either way,
 *           but the connection stays open: a link gone silent;
 *   CUT_REPLY  after N bytes from the server (the answer), both sides
 *           are closed: a download cut off;
 *   REFUSE  each connection is closed as soon as it is accepted.
 *
 * koers_fault_proxy_new_http_connect() makes it an HTTP proxy instead, as
 * a client finds in https_proxy: it takes "CONNECT 127.0.0.1:PORT", says
 * 200 and relays to that port (nowhere but 127.0.0.1), faults as above.
 *
 * It runs in threads of the test program (one per connection) and stops
 * with koers_fault_proxy_free(), which ends every connection.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  KOERS_FAULT_NONE,
  KOERS_FAULT_CUT,
  KOERS_FAULT_STALL,
  KOERS_FAULT_CUT_REPLY,
  KOERS_FAULT_REFUSE,
} KoersFault;

typedef struct _KoersFaultProxy KoersFaultProxy;

KoersFaultProxy *koers_fault_proxy_new       (guint16 target_port);
KoersFaultProxy *koers_fault_proxy_new_http_connect (void);
guint16          koers_fault_proxy_get_port  (KoersFaultProxy *proxy);
void             koers_fault_proxy_set_fault (KoersFaultProxy *proxy,
                                              KoersFault       fault,
                                              gsize            after_bytes);
/* Connections accepted so far. */
guint            koers_fault_proxy_get_count (KoersFaultProxy *proxy);
void             koers_fault_proxy_free      (KoersFaultProxy *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersFaultProxy, koers_fault_proxy_free)

G_END_DECLS
