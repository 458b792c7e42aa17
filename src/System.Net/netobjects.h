/* The System.Net objects' layouts and the helpers their files share (private to src/System.Net). */
#ifndef SHARPIPC_SYSTEM_NET_NETOBJECTS_H
#define SHARPIPC_SYSTEM_NET_NETOBJECTS_H

#include "System.Net/net.h"

struct IPAddress {
    Object base;
    int32_t family;    /* AddressFamily_InterNetwork or _InterNetworkV6 */
    uint8_t bytes[16]; /* network order; 4 used for IPv4 */
    uint32_t scope_id; /* IPv6 only */
    bool read_only;    /* the shared statics: Address / ScopeId cannot change (.NET 10's read-only ones) */
};

extern const sp_type sp_type_IPAddress;
extern const sp_type sp_type_EndPoint;
extern const sp_type sp_type_IPEndPoint;
extern const sp_type sp_type_DnsEndPoint;
extern const sp_type sp_type_UnixDomainSocketEndPoint;

/* A new IPAddress (one reference) from family and bytes; NULL + OutOfMemoryException. */
IPAddress *sp_ipaddress_make(int32_t family, const uint8_t *bytes, uint32_t scope_id);
/* IPAddress.Parse's core over `length` bytes of s (no NUL needed): a new address, or NULL with no
 * exception raised. */
IPAddress *sp_ipaddress_parse(const char *s, size_t length);
/* ToString's text into buf (at least 66 bytes); returns its length. */
size_t sp_ipaddress_format(const IPAddress *address, char *buf);
/* Raises SocketException for .NET's SocketError `socket_error`, as new SocketException(error) does
 * on this OS (the OS's text for it; NativeErrorCode the OS code). */
void sp_net_throw_socket_error(int32_t socket_error);

#endif
