/*
 * The name-resolution and network-startup part of the socket seam (included by platform_socket.h):
 * what System.Net (Dns, IPAddress's scope names, UnixDomainSocketEndPoint's limits) asks of the OS.
 * posix/dns_posix.c and win32/dns_win32.c implement it. Same contract as platform.h: 0 or an OS
 * code; the portable side (src/System.Net) chooses the .NET exception.
 */
#ifndef SHARPIPC_PLATFORM_DNS_H
#define SHARPIPC_PLATFORM_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Makes the OS's socket layer usable, once per process and safely from any thread: WSAStartup
 * (2.2) on Windows, nothing on POSIX. 0 or the OS code (a WSA code). Every socket and Dns entry
 * point calls it first; later calls cost one atomic load. */
int32_t sp_os_net_startup(void);

/* One address getaddrinfo gave: .NET's AddressFamily value (InterNetwork 2, InterNetworkV6 23),
 * network-order bytes and the IPv6 scope id. */
typedef struct sp_os_ipaddr {
    int32_t family;
    uint8_t bytes[16];
    uint32_t scope_id;
} sp_os_ipaddr;

/* getaddrinfo / GetAddrInfoW for `name` (UTF-8) in `family` (.NET's value; Unspecified for both):
 * *addresses (malloc'd, *count of them, duplicates removed, in the OS's order; NULL when none) and,
 * when canonical_name is not NULL, the canonical name (malloc'd; NULL when the OS gave none).
 * Returns 0 or a resolver code (EAI_* on POSIX, a WSA code on Windows) for sp_os_dns_error. */
int32_t sp_os_dns_lookup(const char *name, int32_t family, sp_os_ipaddr **addresses, int32_t *count,
                         char **canonical_name);
/* getnameinfo(NI_NAMEREQD) for an address: *name malloc'd. 0 or a resolver code. */
int32_t sp_os_dns_reverse(const sp_os_ipaddr *address, char **name);
/* gethostname: malloc'd in *name. 0 or an OS code (a resolver code on Windows). */
int32_t sp_os_dns_host_name(char **name);

/* What a resolver code means, as .NET's NameResolutionPal maps it: *socket_error (.NET's
 * SocketError: HostNotFound 11001, TryAgain 11002, NoRecovery 11003, NoData 11004,
 * InvalidArgument 10022, AddressFamilyNotSupported 10047, SocketError -1 otherwise), *native_code
 * (SocketException.NativeErrorCode as .NET reports it), the text into buf (gai_strerror /
 * FormatMessage). Returns false for an out-of-memory code (EAI_MEMORY), which .NET raises as
 * OutOfMemoryException. */
bool sp_os_dns_error(int32_t code, int32_t *socket_error, int32_t *native_code, char *buf, size_t size);

/* if_nametoindex: the index of the interface called `name` (an IPv6 scope such as "eth0"), 0 when
 * none has that name. */
uint32_t sp_os_net_interface_index(const char *name);

/* sizeof(sun_path): 108 on Linux and Windows, 104 on macOS and the BSDs. */
int32_t sp_os_net_unix_path_max(void);

#endif
