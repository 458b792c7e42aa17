/* platform_dns.h on Windows: WSAStartup once, GetAddrInfoW / GetNameInfoW, sun_path's size. */
#include "platform/platform_socket.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>

#include "util_win32.h"

/* .NET's AddressFamily values (System.Net.h). */
#define FAMILY_INET 2
#define FAMILY_INET6 23

/* 0: not started; 1: started; 2: a thread is starting it. The result of WSAStartup is kept so
 * that every caller sees the same answer. */
static volatile LONG s_state;
static volatile LONG s_result;

int32_t sp_os_net_startup(void)
{
    if (InterlockedCompareExchange(&s_state, 0, 0) == 1)
        return (int32_t)s_result;
    if (InterlockedCompareExchange(&s_state, 2, 0) == 0) {
        WSADATA data;
        int rc = WSAStartup(MAKEWORD(2, 2), &data);
        InterlockedExchange(&s_result, rc);
        InterlockedExchange(&s_state, 1);
        return rc;
    }
    while (InterlockedCompareExchange(&s_state, 0, 0) != 1) /* another thread is in WSAStartup */
        Sleep(0);
    return (int32_t)s_result;
}

static bool same_address(const sp_os_ipaddr *a, const sp_os_ipaddr *b)
{
    return a->family == b->family && a->scope_id == b->scope_id && memcmp(a->bytes, b->bytes, 16) == 0;
}

int32_t sp_os_dns_lookup(const char *name, int32_t family, sp_os_ipaddr **addresses, int32_t *count,
                         char **canonical_name)
{
    *addresses = NULL;
    *count = 0;
    if (canonical_name)
        *canonical_name = NULL;
    int32_t rc = sp_os_net_startup();
    if (rc != 0)
        return rc;
    wchar_t *wname = sp_win32_widen(name);
    if (!wname)
        return WSA_NOT_ENOUGH_MEMORY;
    ADDRINFOW hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family == FAMILY_INET ? AF_INET : family == FAMILY_INET6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_flags = AI_CANONNAME;
    int r = GetAddrInfoW(wname, NULL, &hints, &res);
    free(wname);
    if (r != 0)
        return r;
    int32_t total = 0;
    for (ADDRINFOW *ai = res; ai; ai = ai->ai_next)
        total++;
    sp_os_ipaddr *list = total ? calloc((size_t)total, sizeof *list) : NULL;
    if (total && !list) {
        FreeAddrInfoW(res);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    int32_t n = 0;
    for (ADDRINFOW *ai = res; ai; ai = ai->ai_next) {
        sp_os_ipaddr a;
        memset(&a, 0, sizeof a);
        if (ai->ai_family == AF_INET && ai->ai_addrlen >= sizeof(struct sockaddr_in)) {
            const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;
            a.family = FAMILY_INET;
            memcpy(a.bytes, &sin->sin_addr, 4);
        } else if (ai->ai_family == AF_INET6 && ai->ai_addrlen >= sizeof(struct sockaddr_in6)) {
            const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ai->ai_addr;
            a.family = FAMILY_INET6;
            memcpy(a.bytes, &sin6->sin6_addr, 16);
            a.scope_id = sin6->sin6_scope_id;
        } else
            continue;
        bool seen = false;
        for (int32_t i = 0; i < n && !seen; i++)
            seen = same_address(&list[i], &a);
        if (!seen)
            list[n++] = a;
    }
    if (canonical_name && res && res->ai_canonname) {
        *canonical_name = sp_win32_narrow(res->ai_canonname);
        if (!*canonical_name) {
            FreeAddrInfoW(res);
            free(list);
            return WSA_NOT_ENOUGH_MEMORY;
        }
    }
    FreeAddrInfoW(res);
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
    int32_t rc = sp_os_net_startup();
    if (rc != 0)
        return rc;
    struct sockaddr_storage ss;
    int len;
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
    wchar_t host[NI_MAXHOST];
    int r = GetNameInfoW((struct sockaddr *)&ss, len, host, NI_MAXHOST, NULL, 0, NI_NAMEREQD);
    if (r != 0)
        return r;
    *name = sp_win32_narrow(host);
    return *name ? 0 : WSA_NOT_ENOUGH_MEMORY;
}

int32_t sp_os_dns_host_name(char **name)
{
    *name = NULL;
    int32_t rc = sp_os_net_startup();
    if (rc != 0)
        return rc;
    char buf[256];
    if (gethostname(buf, sizeof buf) != 0)
        return WSAGetLastError();
    buf[sizeof buf - 1] = '\0';
    *name = _strdup(buf);
    return *name ? 0 : WSA_NOT_ENOUGH_MEMORY;
}

bool sp_os_dns_error(int32_t code, int32_t *socket_error, int32_t *native_code, char *buf, size_t size)
{
    /* NameResolutionPal.Windows: the WSA code is the SocketError and the native code */
    if (code == WSA_NOT_ENOUGH_MEMORY || code == ERROR_NOT_ENOUGH_MEMORY)
        return false;
    *socket_error = code;
    *native_code = code;
    wchar_t text[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)code,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), text, 512, NULL);
    while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' || text[n - 1] == L' '))
        text[--n] = 0;
    char *s = n ? sp_win32_narrow(text) : NULL;
    if (s) {
        snprintf(buf, size, "%s", s);
        free(s);
    } else
        snprintf(buf, size, "Unknown error (0x%x)", (unsigned)code);
    return true;
}

/* Interface names as scopes need iphlpapi (ConvertInterfaceNameToLuidW), which sharpipc does not
 * link: a named scope is no scope here (docs/deviations.md). */
uint32_t sp_os_net_interface_index(const char *name)
{
    (void)name;
    return 0;
}

int32_t sp_os_net_unix_path_max(void) { return 108; /* .NET hard-codes it on Windows */ }
