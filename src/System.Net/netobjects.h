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

struct EndPoint {
    Object base;
};

struct IPEndPoint {
    EndPoint base;
    IPAddress *address; /* one reference held; never NULL (the constructors and set_Address check) */
    int32_t port;
};

extern const sp_type sp_type_IPAddress;
extern const sp_type sp_type_EndPoint;
extern const sp_type sp_type_IPEndPoint;
extern const sp_type sp_type_DnsEndPoint;
extern const sp_type sp_type_UnixDomainSocketEndPoint;

/* The endpoint as an IPEndPoint when it is exactly one (no derived or foreign object), else NULL:
 * what Socket's lean SendTo and ReceiveFrom look for before they skip the general checks. */
static inline const IPEndPoint *sp_exact_ipendpoint(const EndPoint *endpoint)
{
    const Object *o = (const Object *)endpoint;
    return o && o->magic == SP_OBJECT_MAGIC && o->type == &sp_type_IPEndPoint ? (const IPEndPoint *)endpoint : NULL;
}

/* sp_endpoint_serialize for an IPEndPoint, read afresh on each call (the endpoint and its address
 * are mutable: nothing is cached). */
static inline void sp_ipendpoint_serialize(const IPEndPoint *e, sp_os_sockaddr *out)
{
    const IPAddress *a = e->address;
    /* the path (Unix only) stays as it was */
    memset(out, 0, offsetof(sp_os_sockaddr, path));
    out->family = a->family;
    out->port = (uint16_t)e->port;
    if (a->family == AddressFamily_InterNetwork) {
        memcpy(out->address, a->bytes, 4);
    } else {
        memcpy(out->address, a->bytes, 16);
        out->scope_id = a->scope_id;
    }
}

/* .NET's IPEndPointStatics.Any (IPv6Any for InterNetworkV6): shared and immortal, the
 * tempRemoteEP a ReceiveFrom replaces with the sender; never handed to a caller. */
IPEndPoint *sp_ipendpoint_any(int32_t family);
/* A new IPAddress (one reference) from family and bytes; NULL + OutOfMemoryException. */
IPAddress *sp_ipaddress_make(int32_t family, const uint8_t *bytes, uint32_t scope_id);
/* Sets a's family, bytes (4 or 16) and scope id (IPv6 only), as sp_ipaddress_make does. */
void sp_ipaddress_assign(IPAddress *a, int32_t family, const uint8_t *bytes, uint32_t scope_id);
/* IPAddress.Parse's core over `length` bytes of s (no NUL needed): a new address, or NULL with no
 * exception raised. */
IPAddress *sp_ipaddress_parse(const char *s, size_t length);
/* ToString's text into buf (at least 66 bytes); returns its length. */
size_t sp_ipaddress_format(const IPAddress *address, char *buf);
/* Raises SocketException for .NET's SocketError `socket_error`, as new SocketException(error) does
 * on this OS (the OS's text for it; NativeErrorCode the OS code; SocketErrorCode socket_error). An
 * OS code is sp_throw_socket_error's. */
void sp_net_throw_socket_error(int32_t socket_error);

#endif
