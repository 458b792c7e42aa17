/* platform_dns.h on POSIX: getaddrinfo / getnameinfo, if_nametoindex, sun_path's size. */
#include "platform/platform_socket.h"
#include "util_posix.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* .NET's AddressFamily values (System.Net.h). */
#define FAMILY_UNSPECIFIED 0
#define FAMILY_INET 2
#define FAMILY_INET6 23

int32_t sp_os_net_startup(void) { return 0; /* POSIX sockets need no start */ }

static bool same_address(const sp_os_ipaddr *a, const sp_os_ipaddr *b)
{
    return a->family == b->family && a->scope_id == b->scope_id && memcmp(a->bytes, b->bytes, 16) == 0;
}

/* A sockaddr as an address; false for another family. */
static bool from_sockaddr(const struct sockaddr *sa, sp_os_ipaddr *a)
{
    memset(a, 0, sizeof *a);
    if (sa->sa_family == AF_INET) {
        a->family = FAMILY_INET;
        memcpy(a->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
        a->family = FAMILY_INET6;
        memcpy(a->bytes, &sin6->sin6_addr, 16);
        a->scope_id = sin6->sin6_scope_id;
        return true;
    }
    return false;
}

/* Appends a to list (capacity *cap, *n used) unless it is there already; false when out of memory. */
static bool add_unique(sp_os_ipaddr **list, int32_t *n, int32_t *cap, const sp_os_ipaddr *a)
{
    for (int32_t i = 0; i < *n; i++)
        if (same_address(&(*list)[i], a))
            return true;
    if (*n == *cap) {
        int32_t c = *cap ? *cap * 2 : 8;
        sp_os_ipaddr *grown = realloc(*list, (size_t)c * sizeof **list);
        if (!grown)
            return false;
        *list = grown;
        *cap = c;
    }
    (*list)[(*n)++] = *a;
    return true;
}

/* .NET's SystemNative_GetHostEntryForName: when the name is this host's own (gethostname, case
 * ignored), the addresses of every interface that is up follow getaddrinfo's, without the loopback
 * ones of a family that has another. */
static bool add_interface_addresses(const char *name, sp_os_ipaddr **list, int32_t *n, int32_t *cap)
{
    char host[256];
    if (gethostname(host, sizeof host) != 0)
        return true;
    host[sizeof host - 1] = '\0';
    if (strcasecmp(name, host) != 0)
        return true;
    struct ifaddrs *addrs = NULL;
    if (getifaddrs(&addrs) != 0)
        return true; /* not crucial, as .NET says */
    bool v4_other = false, v6_other = false;
    for (struct ifaddrs *ifa = addrs; ifa; ifa = ifa->ifa_next) {
        if (!ifa->ifa_addr || !(ifa->ifa_flags & IFF_UP) || (ifa->ifa_flags & IFF_LOOPBACK))
            continue;
        if (ifa->ifa_addr->sa_family == AF_INET)
            v4_other = true;
        else if (ifa->ifa_addr->sa_family == AF_INET6)
            v6_other = true;
    }
    bool ok = true;
    for (struct ifaddrs *ifa = addrs; ifa && ok; ifa = ifa->ifa_next) {
        if (!ifa->ifa_addr || !(ifa->ifa_flags & IFF_UP))
            continue;
        bool loopback = (ifa->ifa_flags & IFF_LOOPBACK) != 0;
        if (loopback &&
            ((ifa->ifa_addr->sa_family == AF_INET && v4_other) || (ifa->ifa_addr->sa_family == AF_INET6 && v6_other)))
            continue;
        sp_os_ipaddr a;
        if (from_sockaddr(ifa->ifa_addr, &a))
            ok = add_unique(list, n, cap, &a);
    }
    freeifaddrs(addrs);
    return ok;
}

int32_t sp_os_dns_lookup(const char *name, int32_t family, sp_os_ipaddr **addresses, int32_t *count,
                         char **canonical_name)
{
    *addresses = NULL;
    *count = 0;
    if (canonical_name)
        *canonical_name = NULL;
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family == FAMILY_INET ? AF_INET : family == FAMILY_INET6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_flags = AI_CANONNAME; /* as .NET's SystemNative_GetHostEntryForName */
    int rc = SP_SYS(getaddrinfo)(name, NULL, &hints, &res);
    if (rc != 0)
        return rc;
    sp_os_ipaddr *list = NULL;
    int32_t n = 0, cap = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        sp_os_ipaddr a;
        /* getaddrinfo gives an entry per socket type; .NET keeps each address once, in order */
        if (ai->ai_addr && from_sockaddr(ai->ai_addr, &a) && !add_unique(&list, &n, &cap, &a)) {
            freeaddrinfo(res);
            free(list);
            return EAI_MEMORY;
        }
    }
    if (!add_interface_addresses(name, &list, &n, &cap)) {
        freeaddrinfo(res);
        free(list);
        return EAI_MEMORY;
    }
    if (canonical_name && res && res->ai_canonname) {
        *canonical_name = strdup(res->ai_canonname);
        if (!*canonical_name) {
            freeaddrinfo(res);
            free(list);
            return EAI_MEMORY;
        }
    }
    freeaddrinfo(res);
    if (n == 0) {
        free(list);
        list = NULL;
    }
    *addresses = list;
    *count = n;
    return 0;
}

int32_t sp_os_dns_reverse(const sp_os_ipaddr *address, char **name)
{
    *name = NULL;
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (address->family == FAMILY_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        memcpy(&sin->sin_addr, address->bytes, 4);
        len = sizeof *sin;
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        memcpy(&sin6->sin6_addr, address->bytes, 16);
        sin6->sin6_scope_id = address->scope_id;
        len = sizeof *sin6;
    }
    char host[NI_MAXHOST];
    int rc = SP_SYS(getnameinfo)((struct sockaddr *)&ss, len, host, sizeof host, NULL, 0, NI_NAMEREQD);
    if (rc != 0)
        return rc;
    *name = strdup(host);
    return *name ? 0 : EAI_MEMORY;
}

int32_t sp_os_dns_host_name(char **name)
{
    char buf[256];
    *name = NULL;
    if (gethostname(buf, sizeof buf) != 0)
        return errno;
    buf[sizeof buf - 1] = '\0';
    *name = strdup(buf);
    return *name ? 0 : ENOMEM;
}

bool sp_os_dns_error(int32_t code, int32_t *socket_error, int32_t *native_code, char *buf, size_t size)
{
    *native_code = code;
    switch (code) {
    case EAI_AGAIN: *socket_error = 11002; break;    /* TryAgain */
    case EAI_BADFLAGS: *socket_error = 10022; break; /* InvalidArgument */
    case EAI_FAIL: *socket_error = 11003; break;     /* NoRecovery */
    case EAI_FAMILY: *socket_error = 10047; break;   /* AddressFamilyNotSupported */
    case EAI_NONAME:
#if defined(EAI_NODATA) && EAI_NODATA != EAI_NONAME
    case EAI_NODATA: /* pal_networking.c folds it into EAI_NONAME */
#endif
#if defined(EAI_ADDRFAMILY)
    case EAI_ADDRFAMILY:
#endif
        *socket_error = 11001; /* HostNotFound */
        /* what .NET 10 reports as NativeErrorCode for it on Linux (checked against 10.0) */
        *native_code = SP_POSIX_EHOSTNOTFOUND;
        break;
    case EAI_MEMORY: return false;
    default: *socket_error = -1; break; /* SocketError.SocketError */
    }
    if (code == EAI_SYSTEM)
        snprintf(buf, size, "%s", strerror(errno));
    else
        snprintf(buf, size, "%s", gai_strerror(code));
    return true;
}

uint32_t sp_os_net_interface_index(const char *name) { return if_nametoindex(name); }

int32_t sp_os_net_unix_path_max(void)
{
    struct sockaddr_un addr;
    return (int32_t)sizeof addr.sun_path;
}
