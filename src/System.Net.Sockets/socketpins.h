/* A Socket's calls in progress, for the tests (private to sharpipc): a call pins a Socket with a
 * reference to its handle, not to the object (socket.c's enter), so a test that waits until a call
 * has pinned its socket counts these beside the object's references. */
#ifndef SHARPIPC_SYSTEM_NET_SOCKETS_SOCKETPINS_H
#define SHARPIPC_SYSTEM_NET_SOCKETS_SOCKETPINS_H

#include "core/internal.h"

/* The handle references beside the owner's when o is a Socket (0 for any other object). */
int32_t sp_socket_call_pins(const Object *o);

#endif
