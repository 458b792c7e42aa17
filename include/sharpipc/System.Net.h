/*
 * System.Net: IPAddress, EndPoint, IPEndPoint, DnsEndPoint, Dns, and UnixDomainSocketEndPoint
 * (which .NET declares in System.Net.Sockets; System.Net.Sockets.h includes this header), with
 * AddressFamily, which .NET also declares in System.Net.Sockets and IPAddress needs.
 *
 * Objects follow API.md section 7: every one is disposed with Dispose; the static addresses
 * (IPAddress_Loopback, ...) are shared objects that need no Dispose (disposing them is harmless);
 * a property that returns an object returns a borrowed reference (IPEndPoint_get_Address).
 */
#ifndef SHARPIPC_SYSTEM_NET_H
#define SHARPIPC_SYSTEM_NET_H

#include "System.h"

SHARPIPC_BEGIN_DECLS

/* System.Net.Sockets.AddressFamily, with .NET's values. */
typedef enum AddressFamily {
    AddressFamily_Unknown = -1,
    AddressFamily_Unspecified = 0,
    AddressFamily_Unix = 1,
    AddressFamily_InterNetwork = 2,
    AddressFamily_ImpLink = 3,
    AddressFamily_Pup = 4,
    AddressFamily_Chaos = 5,
    AddressFamily_NS = 6,
    AddressFamily_Ipx = 6,
    AddressFamily_Iso = 7,
    AddressFamily_Osi = 7,
    AddressFamily_Ecma = 8,
    AddressFamily_DataKit = 9,
    AddressFamily_Ccitt = 10,
    AddressFamily_Sna = 11,
    AddressFamily_DecNet = 12,
    AddressFamily_DataLink = 13,
    AddressFamily_Lat = 14,
    AddressFamily_HyperChannel = 15,
    AddressFamily_AppleTalk = 16,
    AddressFamily_NetBios = 17,
    AddressFamily_VoiceView = 18,
    AddressFamily_FireFox = 19,
    AddressFamily_Banyan = 21,
    AddressFamily_Atm = 22,
    AddressFamily_InterNetworkV6 = 23,
    AddressFamily_Cluster = 24,
    AddressFamily_Ieee12844 = 25,
    AddressFamily_Irda = 26,
    AddressFamily_NetworkDesigners = 28,
    AddressFamily_Max = 29,
    AddressFamily_Packet = 65536,
    AddressFamily_ControllerAreaNetwork = 65537
} AddressFamily;

/* ================================================================ IPAddress */

/* new IPAddress(long newAddress): an IPv4 address whose bytes are newAddress's in memory order
 * (network order on a little-endian machine: 0x0100007F is 127.0.0.1).
 * ArgumentOutOfRangeException("newAddress") above 0xFFFFFFFF or below 0. */
SHARPIPC_API IPAddress *IPAddress_new(int64_t newAddress);
/* new IPAddress(byte[] address): 4 bytes (IPv4) or 16 (IPv6), network order.
 * ArgumentNullException("address"); ArgumentException("address") for another length. */
SHARPIPC_API IPAddress *IPAddress_newFromBytes(const uint8_t *address, int32_t length);
/* new IPAddress(byte[] address, long scopeid): 16 bytes only (ArgumentException otherwise);
 * ArgumentOutOfRangeException("scopeid") outside 0..0xFFFFFFFF. */
SHARPIPC_API IPAddress *IPAddress_newFromBytesWithScopeId(const uint8_t *address, int32_t length, int64_t scopeid);

/* IPAddress.Parse: the dotted IPv4 forms .NET accepts (1 to 4 parts, decimal, octal 0.., hex 0x..)
 * and IPv6 (compressed, embedded IPv4, "%scope", "[...]" with a port). FormatException "An invalid IP
 * address was specified." for anything else, its InnerException a SocketException InvalidArgument as
 * .NET's; ArgumentNullException("ipString") for NULL. */
SHARPIPC_API IPAddress *IPAddress_Parse(const char *ipString);
/* IPAddress.TryParse: true and a new address in *address (the caller owns it), or false and NULL.
 * No exception either way (NULL ipString is false, as .NET); ArgumentNullException only for a NULL
 * address pointer, which .NET cannot express. */
SHARPIPC_API bool IPAddress_TryParse(const char *ipString, IPAddress **address);
/* ToString(): "127.0.0.1", "::1", "fe80::1%3", "::ffff:1.2.3.4", exactly as .NET. String_Free. */
SHARPIPC_API char *IPAddress_ToString(const IPAddress *address);
/* TryFormat(Span<byte> utf8Destination, out int bytesWritten): ToString's text into destination
 * (no NUL is written); false and 0 when it does not fit, with no exception. */
SHARPIPC_API bool IPAddress_TryFormat(const IPAddress *address, char *destination, int32_t length,
                                      int32_t *bytesWritten);
/* IPAddress.IsValid(ipSpan): whether Parse would accept the text (no address is made). */
SHARPIPC_API bool IPAddress_IsValid(const char *ipString);
/* GetAddressBytes(): 4 or 16 bytes, network order; *length (may be NULL) says which. Array_Free. */
SHARPIPC_API uint8_t *IPAddress_GetAddressBytes(const IPAddress *address, int32_t *length);
/* TryWriteBytes(destination, out bytesWritten): false (no exception) when destination is short. */
SHARPIPC_API bool IPAddress_TryWriteBytes(const IPAddress *address, uint8_t *destination, int32_t length,
                                          int32_t *bytesWritten);
SHARPIPC_API AddressFamily IPAddress_get_AddressFamily(const IPAddress *address);
/* ScopeId: IPv6 only; on an IPv4 address SocketException(OperationNotSupported), as .NET. */
SHARPIPC_API int64_t IPAddress_get_ScopeId(const IPAddress *address);
SHARPIPC_API bool IPAddress_set_ScopeId(IPAddress *address, int64_t value);
/* The obsolete Address property (IPv4 only): the address as IPAddress_new takes it. The shared
 * IPv4 addresses (Any, Loopback, Broadcast, None) refuse a change, as .NET's read-only ones do. */
SHARPIPC_API int64_t IPAddress_get_Address(const IPAddress *address);
SHARPIPC_API bool IPAddress_set_Address(IPAddress *address, int64_t value);
SHARPIPC_API bool IPAddress_IsLoopback(const IPAddress *address);
SHARPIPC_API bool IPAddress_get_IsIPv4MappedToIPv6(const IPAddress *address);
SHARPIPC_API bool IPAddress_get_IsIPv6LinkLocal(const IPAddress *address);
SHARPIPC_API bool IPAddress_get_IsIPv6SiteLocal(const IPAddress *address);
SHARPIPC_API bool IPAddress_get_IsIPv6Multicast(const IPAddress *address);
SHARPIPC_API bool IPAddress_get_IsIPv6Teredo(const IPAddress *address);
SHARPIPC_API bool IPAddress_get_IsIPv6UniqueLocal(const IPAddress *address);
/* MapToIPv6 / MapToIPv4: a reference the caller owns (the same object when nothing changes, as
 * .NET returns `this`; Dispose it either way). */
SHARPIPC_API IPAddress *IPAddress_MapToIPv6(const IPAddress *address);
SHARPIPC_API IPAddress *IPAddress_MapToIPv4(const IPAddress *address);
/* Equals(object): family, bytes and (IPv6) scope id; false when either is NULL. */
SHARPIPC_API bool IPAddress_Equals(const IPAddress *address, const IPAddress *comparand);
SHARPIPC_API int32_t IPAddress_GetHashCode(const IPAddress *address);
/* HostToNetworkOrder / NetworkToHostOrder for long, int and short. */
SHARPIPC_API int64_t IPAddress_HostToNetworkOrderInt64(int64_t host);
SHARPIPC_API int32_t IPAddress_HostToNetworkOrderInt32(int32_t host);
SHARPIPC_API int16_t IPAddress_HostToNetworkOrderInt16(int16_t host);
SHARPIPC_API int64_t IPAddress_NetworkToHostOrderInt64(int64_t network);
SHARPIPC_API int32_t IPAddress_NetworkToHostOrderInt32(int32_t network);
SHARPIPC_API int16_t IPAddress_NetworkToHostOrderInt16(int16_t network);

/* The static fields: shared objects (no Dispose needed). IPv6None is IPv6Any and None is
 * Broadcast, as in .NET. All are read-only as in .NET 10: set_Address / set_ScopeId on them is
 * SocketException OperationNotSupported. */
SHARPIPC_API IPAddress *IPAddress_get_Any(void);
SHARPIPC_API IPAddress *IPAddress_get_Loopback(void);
SHARPIPC_API IPAddress *IPAddress_get_Broadcast(void);
SHARPIPC_API IPAddress *IPAddress_get_IPv6Any(void);
SHARPIPC_API IPAddress *IPAddress_get_IPv6Loopback(void);
#define IPAddress_Any (IPAddress_get_Any())
#define IPAddress_Loopback (IPAddress_get_Loopback())
#define IPAddress_Broadcast (IPAddress_get_Broadcast())
#define IPAddress_None (IPAddress_get_Broadcast())
#define IPAddress_IPv6Any (IPAddress_get_IPv6Any())
#define IPAddress_IPv6Loopback (IPAddress_get_IPv6Loopback())
#define IPAddress_IPv6None (IPAddress_get_IPv6Any())

#ifdef SHARPIPC_HAVE_GENERIC
#  define IPAddress_new(...) SP_OVERLOAD(IPAddress_new, __VA_ARGS__)
#  define IPAddress_new__1(a) (IPAddress_new)(a)
#  define IPAddress_new__2(b, n) IPAddress_newFromBytes(b, n)
#  define IPAddress_new__3(b, n, s) IPAddress_newFromBytesWithScopeId(b, n, s)
#  define IPAddress_GetAddressBytes(...) SP_OVERLOAD(IPAddress_GetAddressBytes, __VA_ARGS__)
#  define IPAddress_GetAddressBytes__1(a) (IPAddress_GetAddressBytes)(a, NULL)
#  define IPAddress_GetAddressBytes__2(a, n) (IPAddress_GetAddressBytes)(a, n)
#  define IPAddress_HostToNetworkOrder(x)                                                                              \
    _Generic((x), int64_t                                                                                              \
             : IPAddress_HostToNetworkOrderInt64, int16_t                                                              \
             : IPAddress_HostToNetworkOrderInt16, default                                                              \
             : IPAddress_HostToNetworkOrderInt32)(x)
#  define IPAddress_NetworkToHostOrder(x)                                                                              \
    _Generic((x), int64_t                                                                                              \
             : IPAddress_NetworkToHostOrderInt64, int16_t                                                              \
             : IPAddress_NetworkToHostOrderInt16, default                                                              \
             : IPAddress_NetworkToHostOrderInt32)(x)
#endif

/* ================================================================ EndPoint */

/* EndPoint.AddressFamily of any endpoint (an IPEndPoint's address's family, DnsEndPoint's
 * family, Unix for a UnixDomainSocketEndPoint). */
SHARPIPC_API AddressFamily EndPoint_get_AddressFamily(const EndPoint *endPoint);
/* ToString() of any endpoint, as its type formats it. String_Free. */
SHARPIPC_API char *EndPoint_ToString(const EndPoint *endPoint);
/* Equals(object) of any endpoint: same type and the type's equality. */
SHARPIPC_API bool EndPoint_Equals(const EndPoint *endPoint, const EndPoint *comparand);

/* ================================================================ IPEndPoint */

#define IPEndPoint_MinPort 0
#define IPEndPoint_MaxPort 65535

/* new IPEndPoint(address, port): retains address. ArgumentNullException("address");
 * ArgumentOutOfRangeException("port") outside 0..65535. */
SHARPIPC_API IPEndPoint *IPEndPoint_new(IPAddress *address, int32_t port);
/* new IPEndPoint(long address, int port). */
SHARPIPC_API IPEndPoint *IPEndPoint_newFromInt64(int64_t address, int32_t port);
/* IPEndPoint.Parse: "1.2.3.4", "1.2.3.4:80", "::1", "[::1]:80"; FormatException "An invalid
 * IPEndPoint was specified."; ArgumentNullException("s"). */
SHARPIPC_API IPEndPoint *IPEndPoint_Parse(const char *s);
SHARPIPC_API bool IPEndPoint_TryParse(const char *s, IPEndPoint **result);
/* Address: borrowed (valid while the endpoint holds it). set_Address retains the new one. */
SHARPIPC_API IPAddress *IPEndPoint_get_Address(const IPEndPoint *endPoint);
SHARPIPC_API bool IPEndPoint_set_Address(IPEndPoint *endPoint, IPAddress *value);
SHARPIPC_API int32_t IPEndPoint_get_Port(const IPEndPoint *endPoint);
SHARPIPC_API bool IPEndPoint_set_Port(IPEndPoint *endPoint, int32_t value);
SHARPIPC_API AddressFamily IPEndPoint_get_AddressFamily(const IPEndPoint *endPoint);
/* "127.0.0.1:80", "[::1]:80". String_Free. */
SHARPIPC_API char *IPEndPoint_ToString(const IPEndPoint *endPoint);
SHARPIPC_API bool IPEndPoint_Equals(const IPEndPoint *endPoint, const IPEndPoint *comparand);
SHARPIPC_API int32_t IPEndPoint_GetHashCode(const IPEndPoint *endPoint);

/* ================================================================ DnsEndPoint */

/* new DnsEndPoint(host, port[, addressFamily]): ArgumentNullException("host"), ArgumentException
 * for an empty host, ArgumentOutOfRangeException("port"), ArgumentException("addressFamily") for a
 * family other than Unspecified, InterNetwork and InterNetworkV6. */
SHARPIPC_API DnsEndPoint *DnsEndPoint_new(const char *host, int32_t port, AddressFamily addressFamily);
/* Host: borrowed, valid while the endpoint lives. */
SHARPIPC_API const char *DnsEndPoint_get_Host(const DnsEndPoint *endPoint);
SHARPIPC_API int32_t DnsEndPoint_get_Port(const DnsEndPoint *endPoint);
SHARPIPC_API AddressFamily DnsEndPoint_get_AddressFamily(const DnsEndPoint *endPoint);
/* "Unspecified/host:port", "InterNetwork/host:port", as .NET. String_Free. */
SHARPIPC_API char *DnsEndPoint_ToString(const DnsEndPoint *endPoint);
SHARPIPC_API bool DnsEndPoint_Equals(const DnsEndPoint *endPoint, const DnsEndPoint *comparand);

#ifdef SHARPIPC_HAVE_GENERIC
#  define DnsEndPoint_new(...) SP_OVERLOAD(DnsEndPoint_new, __VA_ARGS__)
#  define DnsEndPoint_new__2(h, p) (DnsEndPoint_new)(h, p, AddressFamily_Unspecified)
#  define DnsEndPoint_new__3(h, p, f) (DnsEndPoint_new)(h, p, f)
#endif

/* ================================================================ UnixDomainSocketEndPoint */

/* new UnixDomainSocketEndPoint(path): ArgumentNullException("path"); ArgumentOutOfRangeException
 * ("path") when empty or when its UTF-8 bytes and a NUL do not fit sun_path (108 on Linux and
 * Windows, 104 on macOS). The file a Socket binds to it is removed when that Socket is disposed. */
SHARPIPC_API UnixDomainSocketEndPoint *UnixDomainSocketEndPoint_new(const char *path);
/* The same for a path of byteLength bytes that may hold NULs: a Linux abstract name starts with one
 * ("\0name", 5) and has no terminating NUL, so it may fill sun_path. */
SHARPIPC_API UnixDomainSocketEndPoint *UnixDomainSocketEndPoint_newWithLength(const char *path, int32_t byteLength);
/* The path ("@name" for an abstract one), as .NET's ToString. String_Free. */
SHARPIPC_API char *UnixDomainSocketEndPoint_ToString(const UnixDomainSocketEndPoint *endPoint);
SHARPIPC_API bool UnixDomainSocketEndPoint_Equals(const UnixDomainSocketEndPoint *endPoint,
                                                  const UnixDomainSocketEndPoint *comparand);
SHARPIPC_API AddressFamily UnixDomainSocketEndPoint_get_AddressFamily(const UnixDomainSocketEndPoint *endPoint);

/* ================================================================ Dns */

/* Dns.GetHostAddresses(hostNameOrAddress): an array of *count new addresses (each the caller's to
 * Dispose; the array itself with Array_Free), in getaddrinfo's order without duplicates. An IP
 * literal gives itself without a lookup. Unknown host: SocketException HostNotFound (11001);
 * ArgumentNullException("hostNameOrAddress"); an empty name means this host's name, as .NET. */
SHARPIPC_API IPAddress **Dns_GetHostAddresses(const char *hostNameOrAddress, int32_t *count);
/* Disposes each address of a GetHostAddresses array and frees the array (NULL is ignored). */
SHARPIPC_API void Dns_FreeAddresses(IPAddress **addresses, int32_t count);
/* Dns.GetHostName(). String_Free. */
SHARPIPC_API char *Dns_GetHostName(void);

/* IPHostEntry as C holds it: Dns_GetHostEntry fills one; IPHostEntry_Free releases what it holds. */
typedef struct IPHostEntry {
    char *HostName; /* the canonical name */
    char **Aliases; /* AliasCount strings (getaddrinfo gives none) */
    int32_t AliasCount;
    IPAddress **AddressList; /* AddressCount addresses */
    int32_t AddressCount;
} IPHostEntry;

/* Dns.GetHostEntry(hostNameOrAddress): false with .NET's exception, or true with *entry filled.
 * For an IP literal .NET does a reverse lookup first; this does too (getnameinfo), and, as .NET
 * then does, resolves the name it found. */
SHARPIPC_API bool Dns_GetHostEntry(const char *hostNameOrAddress, IPHostEntry *entry);
SHARPIPC_API void IPHostEntry_Free(IPHostEntry *entry);

#ifdef SHARPIPC_HAVE_GENERIC
#  define EndPoint_get_AddressFamily(e) (EndPoint_get_AddressFamily)(SP_AS_EndPoint(e))
#  define EndPoint_ToString(e) (EndPoint_ToString)(SP_AS_EndPoint(e))
#  define EndPoint_Equals(a, b) (EndPoint_Equals)(SP_AS_EndPoint(a), SP_AS_EndPoint(b))
#endif

SHARPIPC_END_DECLS

#endif
