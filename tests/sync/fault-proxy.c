/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fault-proxy.h"

#define POLL_MS 50

struct _KoersFaultProxy
{
  int         listener;
  guint16     port;
  guint16     target_port;  /* 0: take it from an HTTP CONNECT */
  GThread    *acceptor;
  GPtrArray  *workers;      /* GThread, under lock */
  GMutex      lock;
  KoersFault  fault;
  gsize       after_bytes;
  guint       count;
  gint        stopping;     /* atomic */
};

typedef struct
{
  KoersFaultProxy *proxy;
  int              client;
  KoersFault       fault;   /* as set when the connection came */
  gsize            after_bytes;
} Connection;

static int
connect_target (guint16 port)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static gboolean
send_all (int          fd,
          const char  *buffer,
          gsize        length)
{
  while (length > 0)
    {
      ssize_t n = send (fd, buffer, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      buffer += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static gboolean
stopping (KoersFaultProxy *proxy)
{
  return g_atomic_int_get (&proxy->stopping) != 0;
}

/* Holds the connection open and silent until the proxy stops. */
static void
stall (KoersFaultProxy *proxy)
{
  while (!stopping (proxy))
    g_usleep (POLL_MS * 1000);
}

/* Passes bytes both ways; a fault counts the bytes from the client (the
 * request), or from the server for CUT_REPLY (the answer). */
static void
relay (Connection *connection,
       int         server)
{
  struct pollfd fds[2] = { { connection->client, POLLIN, 0 }, { server, POLLIN, 0 } };
  gboolean faulty = connection->fault != KOERS_FAULT_NONE;
  guint counted = connection->fault == KOERS_FAULT_CUT_REPLY ? 1 : 0;
  gsize moved = 0;
  char buffer[16384];

  if (faulty && connection->after_bytes == 0)
    {
      if (connection->fault == KOERS_FAULT_STALL)
        stall (connection->proxy);
      return;
    }
  while (!stopping (connection->proxy))
    {
      int ready = poll (fds, 2, POLL_MS);

      if (ready < 0 && errno != EINTR)
        return;
      for (guint i = 0; ready > 0 && i < 2; i++)
        {
          gsize room = sizeof buffer;
          ssize_t n;

          if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
            continue;
          if (faulty && i == counted)
            room = MIN (room, connection->after_bytes - moved);
          n = recv (fds[i].fd, buffer, room, 0);
          if (n <= 0 || !send_all (fds[1 - i].fd, buffer, (gsize) n))
            return;
          if (i == counted)
            moved += (gsize) n;
          if (faulty && i == counted && moved >= connection->after_bytes)
            {
              if (connection->fault == KOERS_FAULT_STALL)
                stall (connection->proxy);
              return;
            }
        }
    }
}

/* Reads "CONNECT 127.0.0.1:PORT HTTP/1.1" and its headers, byte by byte
 * so that nothing of the tunnel is read with them; 0 if it is not one. */
static guint16
read_connect (int client)
{
  char request[2048];
  gsize length = 0;
  guint port = 0;

  while (length < sizeof request - 1)
    {
      if (recv (client, request + length, 1, 0) != 1)
        return 0;
      request[++length] = '\0';
      if (g_str_has_suffix (request, "\r\n\r\n"))
        break;
    }
  if (sscanf (request, "CONNECT 127.0.0.1:%u HTTP/1.", &port) != 1 || port == 0 || port > G_MAXUINT16)
    return 0;
  if (!send_all (client, "HTTP/1.1 200 Connection established\r\n\r\n", 39))
    return 0;
  return (guint16) port;
}

static gpointer
serve (gpointer data)
{
  Connection *connection = data;
  guint16 port = connection->proxy->target_port;

  if (port == 0 && connection->fault != KOERS_FAULT_REFUSE)
    port = read_connect (connection->client);
  if (connection->fault != KOERS_FAULT_REFUSE && port != 0)
    {
      int server = connect_target (port);

      if (server >= 0)
        {
          relay (connection, server);
          shutdown (server, SHUT_RDWR);
          close (server);
        }
    }
  shutdown (connection->client, SHUT_RDWR);
  close (connection->client);
  g_free (connection);
  return NULL;
}

static gpointer
accept_loop (gpointer data)
{
  KoersFaultProxy *proxy = data;
  struct pollfd listener = { proxy->listener, POLLIN, 0 };

  while (!stopping (proxy))
    {
      Connection *connection;
      int client;

      if (poll (&listener, 1, POLL_MS) <= 0)
        continue;
      client = accept4 (proxy->listener, NULL, NULL, SOCK_CLOEXEC);
      if (client < 0)
        continue;
      connection = g_new0 (Connection, 1);
      connection->proxy = proxy;
      connection->client = client;
      g_mutex_lock (&proxy->lock);
      connection->fault = proxy->fault;
      connection->after_bytes = proxy->after_bytes;
      proxy->count++;
      g_ptr_array_add (proxy->workers, g_thread_new ("fault-proxy", serve, connection));
      g_mutex_unlock (&proxy->lock);
    }
  return NULL;
}

KoersFaultProxy *
koers_fault_proxy_new (guint16 target_port)
{
  KoersFaultProxy *proxy = g_new0 (KoersFaultProxy, 1);
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = 0 };
  socklen_t length = sizeof address;

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  proxy->target_port = target_port;
  proxy->listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (proxy->listener, >=, 0);
  g_assert_cmpint (bind (proxy->listener, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (proxy->listener, 16), ==, 0);
  g_assert_cmpint (getsockname (proxy->listener, (struct sockaddr *) &address, &length), ==, 0);
  proxy->port = ntohs (address.sin_port);
  proxy->workers = g_ptr_array_new ();
  g_mutex_init (&proxy->lock);
  proxy->acceptor = g_thread_new ("fault-proxy-accept", accept_loop, proxy);
  return proxy;
}

KoersFaultProxy *
koers_fault_proxy_new_http_connect (void)
{
  return koers_fault_proxy_new (0);
}

guint16
koers_fault_proxy_get_port (KoersFaultProxy *proxy)
{
  return proxy->port;
}

void
koers_fault_proxy_set_fault (KoersFaultProxy *proxy,
                             KoersFault       fault,
                             gsize            after_bytes)
{
  g_mutex_lock (&proxy->lock);
  proxy->fault = fault;
  proxy->after_bytes = after_bytes;
  g_mutex_unlock (&proxy->lock);
}

guint
koers_fault_proxy_get_count (KoersFaultProxy *proxy)
{
  guint count;

  g_mutex_lock (&proxy->lock);
  count = proxy->count;
  g_mutex_unlock (&proxy->lock);
  return count;
}

void
koers_fault_proxy_free (KoersFaultProxy *proxy)
{
  if (proxy == NULL)
    return;
  g_atomic_int_set (&proxy->stopping, 1);
  g_thread_join (proxy->acceptor);
  for (guint i = 0; i < proxy->workers->len; i++)
    g_thread_join (g_ptr_array_index (proxy->workers, i));
  g_ptr_array_unref (proxy->workers);
  close (proxy->listener);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}
