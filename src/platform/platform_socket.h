/*
 * The socket seam (included by platform.h): what Socket, Dns and the System.Net types ask of the
 * OS. Same contract as platform.h: 0 or an OS code (errno / WSAGetLastError()), no .NET policy.
 */
#ifndef SHARPIPC_PLATFORM_SOCKET_H
#define SHARPIPC_PLATFORM_SOCKET_H

#include "core/internal.h"
/* Dns, startup and System.Net's other OS questions (hnet). */
#include "platform/platform_dns.h"

/* An address as the portable code sees it: the OS-independent content of a sockaddr, what .NET's
 * SocketAddress carries. The seam converts it to and from sockaddr_in / sockaddr_in6 / sockaddr_un
 * (POSIX) or SOCKADDR_IN / SOCKADDR_IN6 / SOCKADDR_UN (Windows). */
#define SP_OS_SOCKADDR_PATH_MAX 108 /* sun_path on Linux and Windows (104 on macOS and the BSDs) */
typedef struct sp_os_sockaddr {
    int32_t family;       /* .NET's AddressFamily value: InterNetwork (2), InterNetworkV6 (23), Unix (1) */
    uint16_t port;        /* host order */
    uint8_t address[16];  /* network order: 4 bytes for IPv4, 16 for IPv6 */
    uint32_t scope_id;    /* IPv6 only */
    uint32_t flow_info;   /* IPv6 only */
    uint16_t path_length; /* Unix: bytes of path used (a Linux abstract name starts with a NUL) */
    char path[SP_OS_SOCKADDR_PATH_MAX];
} sp_os_sockaddr;

#endif
