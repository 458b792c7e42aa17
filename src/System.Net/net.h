/* System.Net's internal interface to System.Net.Sockets: what .NET's EndPoint.Serialize and
 * EndPoint.Create do (SocketAddress), in the seam's address form. */
#ifndef SHARPIPC_SYSTEM_NET_NET_H
#define SHARPIPC_SYSTEM_NET_NET_H

#include "core/internal.h"
#include "platform/platform_socket.h"
#include <sharpipc/System.Net.h>

/* EndPoint.Serialize: an IPEndPoint or UnixDomainSocketEndPoint in seam form. false with .NET's
 * exception raised (ArgumentNullException "remoteEP"/param, ArgumentException for a DnsEndPoint
 * or an endpoint that has no address form). */
bool sp_endpoint_serialize(const EndPoint *endpoint, const char *param, sp_os_sockaddr *out);
/* EndPoint.Create: a new object (the caller owns it) for an address from the OS: an IPEndPoint
 * for InterNetwork/InterNetworkV6, a UnixDomainSocketEndPoint for Unix; NULL with an exception
 * (OutOfMemoryException, or ArgumentException for a family it does not know). */
EndPoint *sp_endpoint_create(const sp_os_sockaddr *address);
/* The endpoint's AddressFamily (EndPoint.AddressFamily); AddressFamily_Unknown for NULL. */
int32_t sp_endpoint_family(const EndPoint *endpoint);
/* IPAddress in seam form: family and bytes (and scope id); false for NULL or a non-IPAddress. */
bool sp_ipaddress_bytes(const IPAddress *address, int32_t *family, uint8_t bytes[16], uint32_t *scope_id);

#endif
