/* System.Net's internal interface to System.Net.Sockets: what .NET's EndPoint.Serialize and
 * EndPoint.Create do (SocketAddress), in the seam's address form. */
#ifndef SHARPIPC_SYSTEM_NET_NET_H
#define SHARPIPC_SYSTEM_NET_NET_H

#include "core/internal.h"
#include "platform/platform_socket.h"
#include <sharpipc/System.Net.h>

/* EndPoint.Serialize: an IPEndPoint or UnixDomainSocketEndPoint in seam form. A Unix path name
 * has path_length bytes with a NUL after them in path (.NET's addrlen is offset + path_length + 1);
 * a Linux abstract name has path[0] == 0 and exactly path_length bytes (addrlen offset +
 * path_length, no terminator). false with .NET's
 * exception raised (ArgumentNullException "remoteEP"/param, ArgumentException for a DnsEndPoint
 * or an endpoint that has no address form). */
bool sp_endpoint_serialize(const EndPoint *endpoint, const char *param, sp_os_sockaddr *out);
/* EndPoint.Create: a new object (the caller owns it) for an address from the OS: an IPEndPoint
 * for InterNetwork/InterNetworkV6, a UnixDomainSocketEndPoint for Unix; NULL with an exception
 * (OutOfMemoryException, or ArgumentException for a family it does not know). */
EndPoint *sp_endpoint_create(const sp_os_sockaddr *address);
/* *slot = the endpoint of address (ReceiveFrom's new sender: EndPoint.Create), releasing what *slot
 * held; false with sp_endpoint_create's exception (*slot unchanged). An IP sender is written into
 * *slot's own IPEndPoint where nobody else can see that object (endpoint.c says when). */
bool sp_endpoint_replace(EndPoint **slot, const sp_os_sockaddr *address);
/* The endpoint's AddressFamily (EndPoint.AddressFamily); AddressFamily_Unknown for NULL. */
int32_t sp_endpoint_family(const EndPoint *endpoint);
/* IPAddress in seam form: family and bytes (and scope id); false for NULL or a non-IPAddress. */
bool sp_ipaddress_bytes(const IPAddress *address, int32_t *family, uint8_t bytes[16], uint32_t *scope_id);

/* ---- the bound file of a UnixDomainSocketEndPoint (DOTNET_COMPAT 4.5), for Socket (hnet) ----
 * .NET's Socket.Bind keeps the full path of the file it bound (UnixDomainSocketEndPoint's
 * BoundFileName, resolved at bind time so a later cwd change does not matter) and Socket.Dispose
 * deletes it. sp_endpoint_bound_file: the record of the socket file a successful bind to a
 * UnixDomainSocketEndPoint with a path name just made (sp_os_bound_file_new: the removal takes
 * that socket only, never what replaced it at the name); NULL for an abstract name, any other
 * endpoint, no memory or no socket found there (no exception: nothing is removed then). Call it
 * right after the bind and keep the result. sp_endpoint_remove_bound_file: removes the file if it
 * is still the one bound (errors ignored, as .NET's empty catch; the pending exception is left as
 * it was) and frees the record; NULL is ignored. */
sp_os_bound_file *sp_endpoint_bound_file(const EndPoint *endpoint);
void sp_endpoint_remove_bound_file(sp_os_bound_file *file);

#endif
