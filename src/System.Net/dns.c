/* System.Net.Dns: GetHostAddresses, GetHostEntry, GetHostName over the resolver seam
 * (platform_dns.h), with .NET's checks and exceptions (Dns.cs, NameResolutionPal). */
#include "System.Net/netobjects.h"
#include "core/ioerror.h"

#include <stdio.h>

#define MAX_HOST_NAME 255

/* Dns.ValidateHostName: more than 255 characters is too long, and 255 only when the last is the
 * root's '.'. Characters are .NET's hostName.Length, UTF-16 code units: a byte that starts a UTF-8
 * sequence is one, a four-byte sequence (a surrogate pair) two. */
static bool validate_host_name(const char *name)
{
    size_t bytes = strlen(name), n = 0;
    for (size_t i = 0; i < bytes; i++) {
        unsigned char c = (unsigned char)name[i];
        if ((c & 0xC0) != 0x80)
            n += c >= 0xF0 ? 2 : 1;
    }
    if (n > MAX_HOST_NAME || (n == MAX_HOST_NAME && name[bytes - 1] != '.')) {
        sp_throwf_sr(ExceptionType_ArgumentOutOfRangeException, "hostName", SR_net_toolong, "hostName", MAX_HOST_NAME);
        return false;
    }
    return true;
}

/* Equals(IPAddress.Any) || Equals(IPAddress.IPv6Any), which .NET refuses as a target. */
static bool is_unspecified(const IPAddress *a)
{
    static const uint8_t zero[16] = {0};
    return a->scope_id == 0 && memcmp(a->bytes, zero, a->family == AddressFamily_InterNetwork ? 4 : 16) == 0;
}

/* The SocketException (or OutOfMemoryException) for a resolver code, as .NET raises it. */
static void throw_dns_error(int32_t code)
{
    int32_t socket_error = -1, native = code;
    char text[512];
    if (!sp_os_dns_error(code, &socket_error, &native, text, sizeof text)) {
        sp_throw_out_of_memory();
        return;
    }
    sp_throw(ExceptionType_SocketException, text, NULL);
    sp_exception_set_native_code(native);
    sp_exception_set_socket_error(socket_error);
}

static bool startup(void)
{
    int32_t rc = sp_os_net_startup();
    if (rc != 0) {
        sp_throw_socket_error(rc, NULL); /* an OS code */
        return false;
    }
    return true;
}

/* The addresses of a seam list as new IPAddress objects in an Array_Free array. */
static IPAddress **to_objects(const sp_os_ipaddr *list, int32_t n)
{
    IPAddress **out = sp_array_new(VariantType_Object, n > 0 ? n : 0);
    if (!out)
        return NULL;
    for (int32_t i = 0; i < n; i++) {
        out[i] = sp_ipaddress_make(list[i].family, list[i].bytes, list[i].scope_id);
        if (!out[i]) {
            Dns_FreeAddresses(out, i);
            return NULL;
        }
    }
    return out;
}

/* A lookup of name ("" is this host), the addresses as objects; NULL with the exception. With
 * failed_empty, a resolver failure is an empty list instead (*count 0, *canonical NULL), except
 * out of memory, which stays OutOfMemoryException as in .NET's NameResolutionPal. */
static IPAddress **lookup(const char *name, int32_t *count, char **canonical, bool failed_empty)
{
    char *own = NULL;
    if (!*name) { /* .NET: an empty name is the local host's name */
        int32_t rc = sp_os_dns_host_name(&own);
        if (rc != 0) {
            sp_throw_socket_error(rc, NULL); /* an OS code */
            return NULL;
        }
        name = own;
    }
    sp_os_ipaddr *list = NULL;
    int32_t n = 0;
    int32_t rc = sp_os_dns_lookup(name, AddressFamily_Unspecified, &list, &n, canonical);
    free(own);
    if (rc != 0) {
        int32_t socket_error, native;
        char text[8];
        if (failed_empty && sp_os_dns_error(rc, &socket_error, &native, text, sizeof text)) {
            *count = 0;
            return sp_array_new(VariantType_Object, 0);
        }
        throw_dns_error(rc);
        return NULL;
    }
    IPAddress **out = to_objects(list, n);
    free(list);
    if (!out) {
        if (canonical) {
            free(*canonical);
            *canonical = NULL;
        }
        return NULL;
    }
    *count = n;
    return out;
}

IPAddress **Dns_GetHostAddresses(const char *hostNameOrAddress, int32_t *count)
{
    if (count)
        *count = 0;
    if (!hostNameOrAddress) {
        sp_throw_null("hostNameOrAddress");
        return NULL;
    }
    if (!count) {
        sp_throw_null("count");
        return NULL;
    }
    if (!startup())
        return NULL;
    sp_clear();
    /* an IP literal is the answer itself, with no lookup; the unspecified ones are refused */
    IPAddress *literal = sp_ipaddress_parse(hostNameOrAddress, strlen(hostNameOrAddress));
    if (literal && is_unspecified(literal)) {
        sp_object_release((Object *)literal);
        sp_throw_sr(ExceptionType_ArgumentException, SR_net_invalid_ip_addr, "hostNameOrAddress");
        return NULL;
    }
    if (literal) {
        IPAddress **out = sp_array_new(VariantType_Object, 1);
        if (!out) {
            sp_object_release((Object *)literal);
            return NULL;
        }
        out[0] = literal;
        *count = 1;
        return out;
    }
    if (sp_failed() || !validate_host_name(hostNameOrAddress))
        return NULL;
    return lookup(hostNameOrAddress, count, NULL, false);
}

void Dns_FreeAddresses(IPAddress **addresses, int32_t count)
{
    if (!addresses)
        return;
    for (int32_t i = 0; i < count; i++)
        if (addresses[i])
            sp_object_release((Object *)addresses[i]);
    Array_Free(addresses);
}

char *Dns_GetHostName(void)
{
    if (!startup())
        return NULL;
    char *name = NULL;
    int32_t rc = sp_os_dns_host_name(&name);
    if (rc != 0) {
        sp_throw_socket_error(rc, NULL); /* an OS code */
        return NULL;
    }
    sp_clear();
    return name;
}

bool Dns_GetHostEntry(const char *hostNameOrAddress, IPHostEntry *entry)
{
    if (entry)
        memset(entry, 0, sizeof *entry);
    if (!hostNameOrAddress) {
        sp_throw_null("hostNameOrAddress");
        return false;
    }
    if (!entry) {
        sp_throw_null("entry");
        return false;
    }
    if (!startup())
        return false;
    sp_clear();
    char *name = NULL;
    IPAddress *literal = sp_ipaddress_parse(hostNameOrAddress, strlen(hostNameOrAddress));
    bool reversed = literal != NULL;
    if (literal) {
        /* .NET: the unspecified addresses are refused; any other literal is looked up in reverse,
         * then the name found is resolved */
        if (is_unspecified(literal)) {
            sp_object_release((Object *)literal);
            sp_throw_sr(ExceptionType_ArgumentException, SR_net_invalid_ip_addr, "hostNameOrAddress");
            return false;
        }
        sp_os_ipaddr a;
        memset(&a, 0, sizeof a);
        a.family = literal->family;
        memcpy(a.bytes, literal->bytes, 16);
        a.scope_id = literal->scope_id;
        sp_object_release((Object *)literal);
        int32_t rc = sp_os_dns_reverse(&a, &name);
        if (rc != 0) {
            throw_dns_error(rc);
            return false;
        }
    } else {
        if (sp_failed() || !validate_host_name(hostNameOrAddress))
            return false;
        name = sp_strdup(hostNameOrAddress);
        if (!name)
            return false;
    }
    /* .NET's GetHostEntryCore(IPAddress): a forward lookup of the name the reverse one found that
     * fails is logged, not thrown: the entry is that name with no addresses (a PTR record with no
     * A/AAAA record behind it). Checked against .NET 10.0.12: GetHostEntry("127.0.0.1",
     * InterNetworkV6), where getaddrinfo("localhost", AF_INET6) fails, gives HostName
     * "localhost" and an empty AddressList. */
    char *canonical = NULL;
    int32_t n = 0;
    IPAddress **addresses = lookup(name, &n, &canonical, reversed);
    if (!addresses) {
        free(name);
        return false;
    }
    if (canonical)
        free(name);
    else
        canonical = name;
    entry->HostName = canonical;
    entry->Aliases = NULL;
    entry->AliasCount = 0;
    entry->AddressList = addresses;
    entry->AddressCount = n;
    sp_clear();
    return true;
}

void IPHostEntry_Free(IPHostEntry *entry)
{
    if (!entry)
        return;
    free(entry->HostName);
    for (int32_t i = 0; i < entry->AliasCount; i++)
        free(entry->Aliases[i]);
    free(entry->Aliases);
    Dns_FreeAddresses(entry->AddressList, entry->AddressCount);
    memset(entry, 0, sizeof *entry);
}
