/* System.Net.EndPoint and its derived IPEndPoint, DnsEndPoint and UnixDomainSocketEndPoint, and
 * net.h's EndPoint.Serialize / EndPoint.Create for System.Net.Sockets. */
#include "System.Net/netobjects.h"
#include "platform/platform.h"
#include "platform/platform_socket.h"

#include <stdio.h>

#define MSG_BAD_ENDPOINT SP_SR_TEXT(bad_endpoint_string)

struct DnsEndPoint {
    EndPoint base;
    char *host;
    int32_t port;
    int32_t family;
};

struct UnixDomainSocketEndPoint {
    EndPoint base;
    char *path;    /* length bytes and a NUL; an abstract name starts with a NUL */
    size_t length; /* bytes of path */
};

static void ipendpoint_destroy(Object *self)
{
    IPEndPoint *e = (IPEndPoint *)self;
    if (e->address)
        sp_object_release((Object *)e->address);
}
static void dnsendpoint_destroy(Object *self) { free(((DnsEndPoint *)self)->host); }
static void unixendpoint_destroy(Object *self) { free(((UnixDomainSocketEndPoint *)self)->path); }

const sp_type sp_type_EndPoint = {"System.Net.EndPoint", &sp_type_Object, NULL, NULL};
const sp_type sp_type_IPEndPoint = {"System.Net.IPEndPoint", &sp_type_EndPoint, NULL, ipendpoint_destroy};
const sp_type sp_type_DnsEndPoint = {"System.Net.DnsEndPoint", &sp_type_EndPoint, NULL, dnsendpoint_destroy};
const sp_type sp_type_UnixDomainSocketEndPoint = {"System.Net.Sockets.UnixDomainSocketEndPoint", &sp_type_EndPoint,
                                                  NULL, unixendpoint_destroy};

static bool is_type(const void *p, const sp_type *type)
{
    const Object *o = p;
    /* the exact type first: the endpoints have no subtypes, so the walk answers only "no" */
    return o && o->magic == SP_OBJECT_MAGIC && (o->type == type || sp_type_is(o->type, type));
}

/* AddressFamily's ToString for the values an endpoint can have. */
static const char *family_name(int32_t family)
{
    switch (family) {
    case AddressFamily_Unknown: return "Unknown";
    case AddressFamily_Unspecified: return "Unspecified";
    case AddressFamily_Unix: return "Unix";
    case AddressFamily_InterNetwork: return "InterNetwork";
    case AddressFamily_InterNetworkV6: return "InterNetworkV6";
    default: return NULL;
    }
}

static bool valid_port(int32_t port) { return port >= IPEndPoint_MinPort && port <= IPEndPoint_MaxPort; }

/* ================================================================ IPEndPoint */

static IPEndPoint *ipendpoint_make(IPAddress *address, int32_t port)
{
    IPEndPoint *e = sp_object_new(sizeof *e, &sp_type_IPEndPoint);
    if (!e)
        return NULL;
    sp_object_retain((Object *)address);
    e->address = address;
    e->port = port;
    return e;
}

IPEndPoint *IPEndPoint_new(IPAddress *address, int32_t port)
{
    if (!address) {
        sp_throw_null("address");
        return NULL;
    }
    if (!sp_check_type_fast(address, &sp_type_IPAddress, "address"))
        return NULL;
    if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
        return NULL;
    }
    sp_clear();
    return ipendpoint_make(address, port);
}

IPEndPoint *IPEndPoint_newFromInt64(int64_t address, int32_t port)
{
    if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
        return NULL;
    }
    IPAddress *a = (IPAddress_new)(address);
    if (!a)
        return NULL;
    IPEndPoint *e = ipendpoint_make(a, port);
    sp_object_release((Object *)a);
    return e;
}

/* IPEndPoint.TryParse: the address up to the last ':' when it follows ']' or is the only colon. */
static IPEndPoint *ipendpoint_parse(const char *s)
{
    size_t length = strlen(s), address_length = length;
    const char *last = strrchr(s, ':');
    if (last && last > s) {
        size_t pos = (size_t)(last - s);
        if (s[pos - 1] == ']')
            address_length = pos;
        else if (!memchr(s, ':', pos))
            address_length = pos;
    }
    IPAddress *a = sp_ipaddress_parse(s, address_length);
    if (!a)
        return NULL;
    uint32_t port = 0;
    bool ok = true;
    if (address_length != length) {
        const char *p = s + address_length + 1;
        uint64_t v = 0;
        ok = *p != '\0';
        for (; ok && *p; p++) {
            if (*p < '0' || *p > '9' || (v = v * 10 + (uint64_t)(*p - '0')) > 0xFFFFFFFFu)
                ok = false;
        }
        ok = ok && v <= IPEndPoint_MaxPort;
        port = (uint32_t)v;
    }
    IPEndPoint *e = ok ? ipendpoint_make(a, (int32_t)port) : NULL;
    sp_object_release((Object *)a);
    return e;
}

IPEndPoint *IPEndPoint_Parse(const char *s)
{
    if (!s) {
        sp_throw_null("s");
        return NULL;
    }
    sp_clear();
    IPEndPoint *e = ipendpoint_parse(s);
    if (!e && !sp_failed())
        sp_throw(ExceptionType_FormatException, MSG_BAD_ENDPOINT, NULL);
    return e;
}

bool IPEndPoint_TryParse(const char *s, IPEndPoint **result)
{
    if (!result) {
        sp_throw_null("result");
        return false;
    }
    *result = NULL;
    sp_clear();
    if (!s) /* .NET: a null string is an empty span, which is no endpoint */
        return false;
    *result = ipendpoint_parse(s);
    return *result != NULL;
}

static const IPEndPoint *check_ip(const IPEndPoint *e, const char *param)
{
    return (const IPEndPoint *)sp_check_type_fast(e, &sp_type_IPEndPoint, param);
}

IPAddress *IPEndPoint_get_Address(const IPEndPoint *endPoint)
{
    if (!check_ip(endPoint, "endPoint"))
        return NULL;
    sp_clear();
    return endPoint->address;
}

bool IPEndPoint_set_Address(IPEndPoint *endPoint, IPAddress *value)
{
    if (!check_ip(endPoint, "endPoint"))
        return false;
    if (!value) {
        sp_throw_null("value");
        return false;
    }
    if (!sp_check_type(value, &sp_type_IPAddress, "value"))
        return false;
    sp_clear();
    sp_object_retain((Object *)value);
    IPAddress *old = endPoint->address;
    endPoint->address = value;
    sp_object_release((Object *)old);
    return true;
}

int32_t IPEndPoint_get_Port(const IPEndPoint *endPoint)
{
    if (!check_ip(endPoint, "endPoint"))
        return 0;
    sp_clear();
    return endPoint->port;
}

bool IPEndPoint_set_Port(IPEndPoint *endPoint, int32_t value)
{
    if (!check_ip(endPoint, "endPoint"))
        return false;
    if (!valid_port(value)) {
        sp_throw_out_of_range("value", NULL);
        return false;
    }
    sp_clear();
    endPoint->port = value;
    return true;
}

AddressFamily IPEndPoint_get_AddressFamily(const IPEndPoint *endPoint)
{
    if (!check_ip(endPoint, "endPoint"))
        return AddressFamily_Unknown;
    sp_clear();
    return (AddressFamily)endPoint->address->family;
}

static char *ipendpoint_to_string(const IPEndPoint *e)
{
    char address[80], buf[100];
    sp_ipaddress_format(e->address, address);
    if (e->address->family == AddressFamily_InterNetworkV6)
        snprintf(buf, sizeof buf, "[%s]:%d", address, (int)e->port);
    else
        snprintf(buf, sizeof buf, "%s:%d", address, (int)e->port);
    return sp_strdup(buf);
}

char *IPEndPoint_ToString(const IPEndPoint *endPoint)
{
    if (!check_ip(endPoint, "endPoint"))
        return NULL;
    sp_clear();
    return ipendpoint_to_string(endPoint);
}

static bool ipendpoint_equals(const IPEndPoint *a, const IPEndPoint *b)
{
    if (!is_type(b, &sp_type_IPEndPoint))
        return false;
    bool same = IPAddress_Equals(a->address, b->address) && a->port == b->port;
    return same;
}

bool IPEndPoint_Equals(const IPEndPoint *endPoint, const IPEndPoint *comparand)
{
    if (!check_ip(endPoint, "endPoint"))
        return false;
    bool r = ipendpoint_equals(endPoint, comparand);
    sp_clear();
    return r;
}

int32_t IPEndPoint_GetHashCode(const IPEndPoint *endPoint)
{
    if (!check_ip(endPoint, "endPoint"))
        return 0;
    int32_t h = IPAddress_GetHashCode(endPoint->address) ^ endPoint->port;
    sp_clear();
    return h;
}

/* ================================================================ DnsEndPoint */

DnsEndPoint *(DnsEndPoint_new)(const char *host, int32_t port, AddressFamily addressFamily)
{
    if (!host) {
        sp_throw_null("host");
        return NULL;
    }
    if (!*host) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Argument_EmptyString, "host");
        return NULL;
    }
    if (port < IPEndPoint_MinPort) {
        sp_throw_if_less_than("port", port, IPEndPoint_MinPort);
        return NULL;
    }
    if (port > IPEndPoint_MaxPort) {
        sp_throw_if_greater_than("port", port, IPEndPoint_MaxPort);
        return NULL;
    }
    if (addressFamily != AddressFamily_InterNetwork && addressFamily != AddressFamily_InterNetworkV6 &&
        addressFamily != AddressFamily_Unspecified) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_net_sockets_invalid_optionValue_all, "addressFamily");
        return NULL;
    }
    sp_clear();
    DnsEndPoint *e = sp_object_new(sizeof *e, &sp_type_DnsEndPoint);
    if (!e)
        return NULL;
    e->host = sp_strdup(host);
    if (!e->host) {
        sp_object_release((Object *)e);
        return NULL;
    }
    e->port = port;
    e->family = addressFamily;
    return e;
}

static const DnsEndPoint *check_dns(const DnsEndPoint *e)
{
    return (const DnsEndPoint *)sp_check_type_fast(e, &sp_type_DnsEndPoint, "endPoint");
}

const char *DnsEndPoint_get_Host(const DnsEndPoint *endPoint)
{
    if (!check_dns(endPoint))
        return NULL;
    sp_clear();
    return endPoint->host;
}

int32_t DnsEndPoint_get_Port(const DnsEndPoint *endPoint)
{
    if (!check_dns(endPoint))
        return 0;
    sp_clear();
    return endPoint->port;
}

AddressFamily DnsEndPoint_get_AddressFamily(const DnsEndPoint *endPoint)
{
    if (!check_dns(endPoint))
        return AddressFamily_Unknown;
    sp_clear();
    return (AddressFamily)endPoint->family;
}

static char *dnsendpoint_to_string(const DnsEndPoint *e)
{
    const char *family = family_name(e->family);
    size_t n = strlen(e->host) + 40;
    char *s = sp_malloc(n);
    if (s)
        snprintf(s, n, "%s/%s:%d", family ? family : "Unspecified", e->host, (int)e->port);
    return s;
}

char *DnsEndPoint_ToString(const DnsEndPoint *endPoint)
{
    if (!check_dns(endPoint))
        return NULL;
    sp_clear();
    return dnsendpoint_to_string(endPoint);
}

static bool dnsendpoint_equals(const DnsEndPoint *a, const DnsEndPoint *b)
{
    return is_type(b, &sp_type_DnsEndPoint) && a->family == b->family && a->port == b->port &&
           strcmp(a->host, b->host) == 0;
}

bool DnsEndPoint_Equals(const DnsEndPoint *endPoint, const DnsEndPoint *comparand)
{
    if (!check_dns(endPoint))
        return false;
    sp_clear();
    return dnsendpoint_equals(endPoint, comparand);
}

/* ================================================================ UnixDomainSocketEndPoint */

static UnixDomainSocketEndPoint *unixendpoint_make(const char *path, size_t length)
{
    UnixDomainSocketEndPoint *e = sp_object_new(sizeof *e, &sp_type_UnixDomainSocketEndPoint);
    if (!e)
        return NULL;
    e->path = sp_malloc(length + 1);
    if (!e->path) {
        sp_object_release((Object *)e);
        return NULL;
    }
    if (length)
        memcpy(e->path, path, length);
    e->path[length] = '\0';
    e->length = length;
    return e;
}

/* The .NET string of a path that may hold NULs, for a message (a C string cannot hold U+0000:
 * each NUL is left out). */
static void printable_path(const char *path, size_t length, char *buf, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < length && n + 1 < size; i++)
        if (path[i] != '\0')
            buf[n++] = path[i];
    buf[n] = '\0';
}

/* The number of UTF-16 code units of UTF-8 text, the path.Length .NET's check looks at. */
static size_t utf16_length(const char *s, size_t length)
{
    size_t n = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            n += c >= 0xF0 ? 2 : 1; /* a 4-byte sequence is a surrogate pair */
    }
    return n;
}

UnixDomainSocketEndPoint *UnixDomainSocketEndPoint_newWithLength(const char *path, int32_t byteLength)
{
    if (!path) {
        sp_throw_null("path");
        return NULL;
    }
    if (byteLength < 0) {
        sp_throw_if_negative("byteLength", byteLength);
        return NULL;
    }
    size_t length = (size_t)byteLength;
    bool is_abstract = length > 0 && path[0] == '\0';
    size_t buffer_length = length + (is_abstract ? 0 : 1);
    int32_t max = sp_os_net_unix_path_max();
    if (length == 0 || utf16_length(path, length) == 0 || buffer_length > (size_t)max) {
        char shown[512], text[1024];
        printable_path(path, length, shown, sizeof shown);
        snprintf(text, sizeof text, sp_sr(SR_ArgumentOutOfRange_PathLengthInvalid), shown, (int)max);
        sp_throw_out_of_range_actual_text("path", text, shown);
        return NULL;
    }
    sp_clear();
    return unixendpoint_make(path, length);
}

UnixDomainSocketEndPoint *UnixDomainSocketEndPoint_new(const char *path)
{
    if (!path) {
        sp_throw_null("path");
        return NULL;
    }
    size_t n = strlen(path);
    if (n > INT32_MAX)
        n = INT32_MAX;
    return UnixDomainSocketEndPoint_newWithLength(path, (int32_t)n);
}

static const UnixDomainSocketEndPoint *check_unix(const UnixDomainSocketEndPoint *e)
{
    return (const UnixDomainSocketEndPoint *)sp_check_type_fast(e, &sp_type_UnixDomainSocketEndPoint, "endPoint");
}

static char *unixendpoint_to_string(const UnixDomainSocketEndPoint *e)
{
    if (e->length > 0 && e->path[0] == '\0') {
        char *s = sp_malloc(e->length + 1);
        if (s) {
            s[0] = '@';
            memcpy(s + 1, e->path + 1, e->length - 1);
            s[e->length] = '\0';
        }
        return s;
    }
    return sp_strndup(e->path, e->length);
}

char *UnixDomainSocketEndPoint_ToString(const UnixDomainSocketEndPoint *endPoint)
{
    if (!check_unix(endPoint))
        return NULL;
    sp_clear();
    return unixendpoint_to_string(endPoint);
}

static bool unixendpoint_equals(const UnixDomainSocketEndPoint *a, const UnixDomainSocketEndPoint *b)
{
    return is_type(b, &sp_type_UnixDomainSocketEndPoint) && a->length == b->length &&
           memcmp(a->path, b->path, a->length) == 0;
}

bool UnixDomainSocketEndPoint_Equals(const UnixDomainSocketEndPoint *endPoint,
                                     const UnixDomainSocketEndPoint *comparand)
{
    if (!check_unix(endPoint))
        return false;
    sp_clear();
    return unixendpoint_equals(endPoint, comparand);
}

AddressFamily UnixDomainSocketEndPoint_get_AddressFamily(const UnixDomainSocketEndPoint *endPoint)
{
    if (!check_unix(endPoint))
        return AddressFamily_Unknown;
    sp_clear();
    return AddressFamily_Unix;
}

/* ================================================================ EndPoint (the virtual members) */

static const EndPoint *check_endpoint(const EndPoint *e)
{
    return (const EndPoint *)sp_check_type(e, &sp_type_EndPoint, "endPoint");
}

int32_t sp_endpoint_family(const EndPoint *endpoint)
{
    if (is_type(endpoint, &sp_type_IPEndPoint))
        return ((const IPEndPoint *)endpoint)->address->family;
    if (is_type(endpoint, &sp_type_DnsEndPoint))
        return ((const DnsEndPoint *)endpoint)->family;
    if (is_type(endpoint, &sp_type_UnixDomainSocketEndPoint))
        return AddressFamily_Unix;
    return AddressFamily_Unknown;
}

AddressFamily(EndPoint_get_AddressFamily)(const EndPoint *endPoint)
{
    if (!check_endpoint(endPoint))
        return AddressFamily_Unknown;
    sp_clear();
    return (AddressFamily)sp_endpoint_family(endPoint);
}

char *(EndPoint_ToString)(const EndPoint *endPoint)
{
    if (!check_endpoint(endPoint))
        return NULL;
    sp_clear();
    if (is_type(endPoint, &sp_type_IPEndPoint))
        return ipendpoint_to_string((const IPEndPoint *)endPoint);
    if (is_type(endPoint, &sp_type_DnsEndPoint))
        return dnsendpoint_to_string((const DnsEndPoint *)endPoint);
    if (is_type(endPoint, &sp_type_UnixDomainSocketEndPoint))
        return unixendpoint_to_string((const UnixDomainSocketEndPoint *)endPoint);
    return sp_strdup(((const Object *)endPoint)->type->name); /* object.ToString(): the type name */
}

bool(EndPoint_Equals)(const EndPoint *endPoint, const EndPoint *comparand)
{
    if (!check_endpoint(endPoint))
        return false;
    sp_clear();
    if (is_type(endPoint, &sp_type_IPEndPoint))
        return ipendpoint_equals((const IPEndPoint *)endPoint, (const IPEndPoint *)comparand);
    if (is_type(endPoint, &sp_type_DnsEndPoint))
        return dnsendpoint_equals((const DnsEndPoint *)endPoint, (const DnsEndPoint *)comparand);
    if (is_type(endPoint, &sp_type_UnixDomainSocketEndPoint))
        return unixendpoint_equals((const UnixDomainSocketEndPoint *)endPoint,
                                   (const UnixDomainSocketEndPoint *)comparand);
    return endPoint == comparand;
}

/* ================================================================ net.h */

bool sp_endpoint_serialize(const EndPoint *endpoint, const char *param, sp_os_sockaddr *out)
{
    if (!endpoint) {
        sp_throw_null(param);
        return false;
    }
    if (!sp_check_type_fast(endpoint, &sp_type_EndPoint, param))
        return false;
    if (is_type(endpoint, &sp_type_IPEndPoint)) {
        sp_ipendpoint_serialize((const IPEndPoint *)endpoint, out);
        return true;
    }
    memset(out, 0, sizeof *out);
    if (is_type(endpoint, &sp_type_UnixDomainSocketEndPoint)) {
        const UnixDomainSocketEndPoint *e = (const UnixDomainSocketEndPoint *)endpoint;
        out->family = AddressFamily_Unix;
        size_t n = e->length < SP_OS_SOCKADDR_PATH_MAX ? e->length : SP_OS_SOCKADDR_PATH_MAX;
        memcpy(out->path, e->path, n);
        out->path_length = (uint16_t)n;
        return true;
    }
    if (is_type(endpoint, &sp_type_DnsEndPoint)) {
        sp_throwf_sr(ExceptionType_ArgumentException, param, SR_net_sockets_invalid_dnsendpoint, param);
        return false;
    }
    sp_throwf_sr(ExceptionType_ArgumentException, param, SR_Arg_MustBeOfType, sp_type_IPEndPoint.name);
    return false;
}

/* .NET replaces remoteEP with a new object (remoteEP.Create), dropping the caller's: when that
 * object is an open IPEndPoint whose one reference is the caller's (so the replacement would free
 * it), no other code can hold it, and writing the sender into it is the same to every program
 * but for the pointer's value, which an object freed under the old way no longer has either.
 * Its address is rewritten too when the endpoint holds the only reference to it; a shared one
 * (IPAddress_Any, a caller's) is replaced. This saves two of the three objects made and freed for
 * each datagram from a new sender (a loop that passes a fresh IPEndPoint(Any, 0) each time). */
bool sp_endpoint_replace(EndPoint **slot, const sp_os_sockaddr *address)
{
    IPEndPoint *e = (IPEndPoint *)*slot;
    bool ip = address->family == AddressFamily_InterNetwork || address->family == AddressFamily_InterNetworkV6;
    if (ip && e && e->base.base.type == &sp_type_IPEndPoint && atomic_load(&e->base.base.refs) == 1 &&
        !atomic_load(&e->base.base.closed)) {
        IPAddress *a = e->address;
        if (atomic_load(&a->base.refs) == 1 && !a->read_only && !atomic_load(&a->base.closed)) {
            sp_ipaddress_assign(a, address->family, address->address, address->scope_id);
        } else {
            IPAddress *fresh = sp_ipaddress_make(address->family, address->address, address->scope_id);
            if (!fresh)
                return false;
            e->address = fresh;
            sp_object_release((Object *)a);
        }
        e->port = address->port;
        return true;
    }
    EndPoint *ep = sp_endpoint_create(address);
    if (!ep)
        return false;
    if (*slot)
        sp_object_release((Object *)*slot);
    *slot = ep;
    return true;
}

EndPoint *sp_endpoint_create(const sp_os_sockaddr *address)
{
    if (address->family == AddressFamily_InterNetwork || address->family == AddressFamily_InterNetworkV6) {
        /* one per datagram from a new sender: the endpoint takes the address's one reference */
        IPAddress *a = sp_ipaddress_make(address->family, address->address, address->scope_id);
        if (!a)
            return NULL;
        IPEndPoint *e = sp_object_new(sizeof *e, &sp_type_IPEndPoint);
        if (!e) {
            sp_object_release((Object *)a);
            return NULL;
        }
        e->address = a;
        e->port = address->port;
        return (EndPoint *)e;
    }
    if (address->family == AddressFamily_Unix) {
        size_t n = address->path_length < SP_OS_SOCKADDR_PATH_MAX ? address->path_length : SP_OS_SOCKADDR_PATH_MAX;
        if (!(n > 0 && address->path[0] == '\0'))
            while (n > 0 && address->path[n - 1] == '\0') /* a path name's trailing NULs are not part of it */
                n--;
        return (EndPoint *)unixendpoint_make(address->path, n);
    }
    const char *name = family_name(address->family);
    char number[16];
    if (!name) {
        snprintf(number, sizeof number, "%d", (int)address->family);
        name = number;
    }
    sp_throwf_sr(ExceptionType_ArgumentException, "socketAddress", SR_net_InvalidAddressFamily, name,
                 sp_type_IPEndPoint.name);
    return NULL;
}

sp_os_bound_file *sp_endpoint_bound_file(const EndPoint *endpoint)
{
    if (!is_type(endpoint, &sp_type_UnixDomainSocketEndPoint))
        return NULL;
    const UnixDomainSocketEndPoint *e = (const UnixDomainSocketEndPoint *)endpoint;
    if (e->length == 0 || e->path[0] == '\0' || strlen(e->path) != e->length)
        return NULL; /* an abstract name has no file */
    /* the path as the bind was given it: the seam resolves it the way the bind did */
    return sp_os_bound_file_new(e->path);
}

void sp_endpoint_remove_bound_file(sp_os_bound_file *file)
{
    /* .NET's Socket.Dispose: File.Delete in a try with an empty catch; the seam touches no
     * exception state */
    sp_os_bound_file_remove(file);
}
