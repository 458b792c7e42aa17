/*
 * Socket test helpers shared by the socket tests (test_socket, test_udpclient, test_fault_sockets,
 * test_dispose_while_blocked): loopback listeners and connected pairs, bound UDP sockets, the
 * local port, and the SocketException check. Each asserts what it needs with cmocka, so a helper
 * that cannot do its part fails the test that called it.
 */
#ifndef SP_TEST_SOCKETS_H
#define SP_TEST_SOCKETS_H

#include <stdbool.h>
#include <stdint.h>

#include <sharpipc.h>
#include <sharpipc/System.Net.Sockets.h>

/* The port of s's LocalEndPoint (an IPEndPoint). */
int32_t sp_socket_port(Socket *s);
/* BindToAnonymousPort + Listen: a TCP socket of `family` bound to address:0 (DualMode first when
 * dual), listening with `backlog` (< 0: Listen(), .NET's int.MaxValue). */
Socket *sp_socket_listener_on(AddressFamily family, IPAddress *address, bool dual, int32_t backlog);
/* The same on 127.0.0.1. */
Socket *sp_socket_listener(int32_t backlog);
/* SocketTestExtensions.CreateConnectedSocketPair over IPv4 loopback: the connecting side and the
 * accepted one (the listener is gone). */
void sp_socket_pair(Socket **client, Socket **server);
/* A UDP socket of `family` bound to address:0. */
Socket *sp_socket_udp_bound(AddressFamily family, IPAddress *address);
/* Fails the test unless the thread's exception is a SocketException with SocketErrorCode
 * `expected`; `what` names the call in the message. */
void sp_expect_socket_error(SocketError expected, const char *what);

#endif
