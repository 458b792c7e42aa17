/* System.Net.IPAddress: .NET's parser (IPAddressParser, IPv4AddressHelper, IPv6AddressHelper in
 * dotnet/runtime) and formatter (RFC 5952 as .NET applies it), and the object. */
#include "System.Net/netobjects.h"
#include "core/ioerror.h"

#include <stdio.h>

#define MSG_BAD_ADDRESS SP_SR_TEXT(dns_bad_ip_address)

/* SocketError values used here (System.Net.Sockets.h declares the enum). */
#define SOCKET_ERROR_OPERATION_NOT_SUPPORTED 10045

const sp_type sp_type_IPAddress = {"System.Net.IPAddress", &sp_type_Object, NULL, NULL};

#define STATIC_ADDRESS(family, read_only, ...)                                                                         \
  {                                                                                                                    \
    {SP_OBJECT_MAGIC, &sp_type_IPAddress, 0, false, 0}, family, {__VA_ARGS__}, 0, read_only                            \
  }

/* Shared objects (no reference count), all read-only as in .NET 10: Address cannot change on the
 * IPv4 ones, ScopeId not on IPv6Any and IPv6Loopback (SocketException OperationNotSupported). */
static IPAddress s_any = STATIC_ADDRESS(AddressFamily_InterNetwork, true, 0, 0, 0, 0);
static IPAddress s_loopback = STATIC_ADDRESS(AddressFamily_InterNetwork, true, 127, 0, 0, 1);
static IPAddress s_broadcast = STATIC_ADDRESS(AddressFamily_InterNetwork, true, 255, 255, 255, 255);
static IPAddress s_ipv6_any = STATIC_ADDRESS(AddressFamily_InterNetworkV6, true, 0);
static IPAddress s_ipv6_loopback =
    STATIC_ADDRESS(AddressFamily_InterNetworkV6, true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

static IPEndPoint s_any_endpoint = {{{SP_OBJECT_MAGIC, &sp_type_IPEndPoint, 0, false, 0}}, &s_any, 0};
static IPEndPoint s_ipv6_any_endpoint = {{{SP_OBJECT_MAGIC, &sp_type_IPEndPoint, 0, false, 0}}, &s_ipv6_any, 0};

IPEndPoint *sp_ipendpoint_any(int32_t family)
{
    return family == AddressFamily_InterNetworkV6 ? &s_ipv6_any_endpoint : &s_any_endpoint;
}

IPAddress *IPAddress_get_Any(void) { return &s_any; }
IPAddress *IPAddress_get_Loopback(void) { return &s_loopback; }
IPAddress *IPAddress_get_Broadcast(void) { return &s_broadcast; }
IPAddress *IPAddress_get_IPv6Any(void) { return &s_ipv6_any; }
IPAddress *IPAddress_get_IPv6Loopback(void) { return &s_ipv6_loopback; }

IPAddress *sp_ipaddress_make(int32_t family, const uint8_t *bytes, uint32_t scope_id)
{
    IPAddress *a = sp_object_new(sizeof *a, &sp_type_IPAddress);
    if (!a)
        return NULL;
    sp_ipaddress_assign(a, family, bytes, scope_id);
    return a;
}

void sp_ipaddress_assign(IPAddress *a, int32_t family, const uint8_t *bytes, uint32_t scope_id)
{
    a->family = family;
    memcpy(a->bytes, bytes, family == AddressFamily_InterNetwork ? 4 : 16);
    a->scope_id = family == AddressFamily_InterNetworkV6 ? scope_id : 0;
}

void sp_net_throw_socket_error(int32_t socket_error)
{
    /* the same reverse map as Socket's (socket.c's throw_socket_error), and SocketErrorCode the
     * value as given, as .NET keeps it: its errno may map back to another SocketError */
    sp_throw_socket_error(sp_os_socket_error_code(socket_error), NULL);
    sp_exception_set_socket_error(socket_error);
}

static const IPAddress *check(const IPAddress *a, const char *param)
{
    return (const IPAddress *)sp_check_type_fast(a, &sp_type_IPAddress, param);
}

/* ---------------------------------------------------------------- parsing */

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 0xFF;
}

#define IPV4_INVALID (-1)

/* IPv4AddressHelper.ParseNonCanonical (notImplicitFile: true): 1 to 4 parts, each decimal, octal
 * (leading 0) or hex (0x); only the last may exceed 255 and fills the missing parts. The value in
 * host order, or IPV4_INVALID; *end is where the address stopped. */
static int64_t parse_ipv4_noncanonical(const char *name, size_t start, size_t *end)
{
    uint32_t parts[4] = {0, 0, 0, 0};
    int64_t current_value = 0;
    bool at_least_one_char = false;
    int dot_count = 0;
    size_t current;
    char ch = 0;

    for (current = start; current < *end; current++) {
        ch = name[current];
        int max_digit = '9';
        int base = 10;
        current_value = 0;
        if (ch == '0') {
            current++;
            at_least_one_char = true;
            if (current < *end) {
                ch = name[current];
                if (ch == 'x' || ch == 'X') {
                    base = 16;
                    current++;
                    at_least_one_char = false;
                } else {
                    base = 8;
                    max_digit = '7';
                }
            }
        }
        for (; current < *end; current++) {
            ch = name[current];
            int c = (unsigned char)ch, digit;
            if (c >= '0' && c <= max_digit)
                digit = c - '0';
            else if (base == 16) {
                digit = hex_value(c);
                if (digit == 0xFF)
                    break;
            } else
                break;
            current_value = current_value * base + digit;
            if (current_value > 0xFFFFFFFFll)
                return IPV4_INVALID;
            at_least_one_char = true;
        }
        if (current < *end && ch == '.') {
            if (dot_count >= 3 || !at_least_one_char || current_value > 0xFF)
                return IPV4_INVALID;
            parts[dot_count++] = (uint32_t)current_value;
            at_least_one_char = false;
            continue;
        }
        break;
    }

    if (!at_least_one_char)
        return IPV4_INVALID;
    if (current < *end) {
        char t = name[current];
        if (t != '/' && t != '\\' && t != ':' && t != '?' && t != '#')
            return IPV4_INVALID;
    }
    parts[dot_count] = (uint32_t)current_value;
    *end = current;
    switch (dot_count) {
    case 0: return parts[0];
    case 1:
        if (parts[1] > 0xFFFFFF)
            return IPV4_INVALID;
        return ((int64_t)parts[0] << 24) | parts[1];
    case 2:
        if (parts[2] > 0xFFFF)
            return IPV4_INVALID;
        return ((int64_t)parts[0] << 24) | (parts[1] << 16) | parts[2];
    default:
        if (parts[3] > 0xFF)
            return IPV4_INVALID;
        return ((int64_t)parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3];
    }
}

/* IPv4AddressHelper.IsValidCanonical for an IPv4 address inside an IPv6 one: four decimal parts,
 * no leading zeros ("0" alone is fine), ended by '%', '/' or ']' or the end. */
static bool ipv4_valid_canonical_in_ipv6(const char *name, size_t start, size_t *end)
{
    int dots = 0, number = 0;
    bool have_number = false, first_is_zero = false;
    while (start < *end) {
        char ch = name[start];
        if (ch == '%' || ch == '/' || ch == ']')
            break;
        int d = (unsigned char)ch - '0';
        if (d >= 0 && d <= 9) {
            if (!have_number && d == 0) {
                if (start + 1 < *end && name[start + 1] == '0')
                    return false;
                first_is_zero = true;
            }
            have_number = true;
            number = number * 10 + d;
            if (number > 255)
                return false;
        } else if (ch == '.') {
            if (!have_number || (number > 0 && first_is_zero))
                return false;
            ++dots;
            have_number = false;
            number = 0;
            first_is_zero = false;
        } else
            return false;
        ++start;
    }
    bool ok = dots == 3 && have_number;
    if (ok)
        *end = start;
    return ok;
}

static bool is_hex(char c)
{
    int h = (unsigned char)c | 0x20;
    return (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f');
}

/* IPv6AddressHelper.IsValidStrict over name[start, end). */
static bool ipv6_valid_strict(const char *name, size_t start, size_t end)
{
    int sequence_count = 0;
    int sequence_length = 0;
    bool have_compressor = false, have_ipv4 = false, expecting_number = true, needs_closing_bracket = false;
    size_t last_sequence = 1;

    if (start < end && name[start] == '[') {
        start++;
        needs_closing_bracket = true;
    }
    if (start >= end)
        return false;
    if (name[start] == ':' && (start + 1 >= end || name[start + 1] != ':'))
        return false;

    for (size_t i = start; i < end; ++i) {
        if (is_hex(name[i])) {
            ++sequence_length;
            expecting_number = false;
            continue;
        }
        if (sequence_length > 4)
            return false;
        if (sequence_length != 0) {
            ++sequence_count;
            last_sequence = i - (size_t)sequence_length;
            sequence_length = 0;
        }
        if (name[i] == '%') {
            bool move_on = true;
            while (i + 1 < end) {
                i++;
                if (name[i] == ']' || name[i] == '/') {
                    move_on = false;
                    break;
                }
            }
            if (move_on)
                continue;
        }
        if (name[i] == ']') {
            if (!needs_closing_bracket)
                return false;
            needs_closing_bracket = false;
            /* what follows must be a port, ":digits" or ":0xhex" */
            if (i + 1 < end && name[i + 1] != ':')
                return false;
            i += 2;
            /* .NET 10 takes a lowercase "0x" only (checked against 10.0: "[::1]:0X80" is refused) */
            if (i + 1 < end && name[i] == '0' && name[i + 1] == 'x') {
                for (i += 2; i < end; i++)
                    if (hex_value((unsigned char)name[i]) == 0xFF)
                        return false;
            } else {
                for (; i < end; i++)
                    if (name[i] < '0' || name[i] > '9')
                        return false;
            }
            /* the loop's ++i takes i past end */
            i = end - 1;
            continue;
        } else if (name[i] == '/') {
            return false;
        } else if (name[i] == ':') {
            if (i > 0 && name[i - 1] == ':') {
                if (have_compressor)
                    return false;
                have_compressor = true;
                expecting_number = false;
            } else
                expecting_number = true;
            sequence_length = 0;
            continue;
        } else if (name[i] == '.') {
            if (have_ipv4)
                return false;
            size_t e = end;
            if (!ipv4_valid_canonical_in_ipv6(name, last_sequence, &e))
                return false;
            ++sequence_count;
            i = e;
            last_sequence = i - (size_t)sequence_length;
            sequence_length = 0;
            have_ipv4 = true;
            --i;
            continue;
        }
        return false;
    }
    if (sequence_length != 0) {
        if (sequence_length > 4)
            return false;
        ++sequence_count;
    }
    return !expecting_number && (have_compressor ? sequence_count < 8 : sequence_count == 8) && !needs_closing_bracket;
}

/* IPv4AddressHelper.ParseHostNumber: a validated canonical dotted quad, host order. */
static uint32_t parse_host_number(const char *s, size_t length)
{
    uint8_t numbers[4] = {0, 0, 0, 0};
    size_t start = 0;
    for (int i = 0; i < 4; ++i) {
        int b = 0;
        for (; start < length && s[start] != '.' && s[start] != ':'; ++start)
            b = b * 10 + s[start] - '0';
        numbers[i] = (uint8_t)b;
        ++start;
    }
    return ((uint32_t)numbers[0] << 24) | ((uint32_t)numbers[1] << 16) | ((uint32_t)numbers[2] << 8) | numbers[3];
}

/* IPv6AddressHelper.Parse over a validated address: the 8 numbers and the scope text (with its '%'). */
static void ipv6_parse(const char *a, size_t length, uint16_t numbers[8], size_t *scope_start, size_t *scope_length)
{
    uint16_t number = 0;
    int index = 0, compressor_index = -1;
    bool number_valid = true;
    const char *bracket = memchr(a, ']', length);
    size_t end = bracket ? (size_t)(bracket - a) : length;
    bool has_dot = memchr(a, '.', length) != NULL;
    *scope_start = 0;
    *scope_length = 0;

#define PUSH(v)                                                                                                        \
  do {                                                                                                                 \
    if (index < 8)                                                                                                     \
      numbers[index] = (v);                                                                                            \
    index++;                                                                                                           \
  } while (0)

    for (size_t i = a[0] == '[' ? 1 : 0; i < end;) {
        if (a[i] == '%' || a[i] == '/') {
            if (number_valid) {
                PUSH(number);
                number_valid = false;
            }
            if (a[i] == '%') {
                size_t s = i;
                for (++i; i < length && a[i] != ']' && a[i] != '/'; ++i) {
                }
                *scope_start = s;
                *scope_length = i - s;
            }
            for (; i < length && a[i] != ']'; ++i) {
            }
        } else if (a[i] == ':') {
            PUSH(number);
            number = 0;
            ++i;
            if (i < length && a[i] == ':') {
                compressor_index = index;
                ++i;
            } else if (compressor_index < 0 && index < 6)
                continue;
            else if (!has_dot)
                continue;
            for (size_t j = i; j < length && a[j] != ']' && a[j] != ':' && a[j] != '%' && a[j] != '/' && j < i + 4;
                 ++j) {
                if (a[j] == '.') {
                    while (j < length && a[j] != ']' && a[j] != '/' && a[j] != '%')
                        ++j;
                    uint32_t v4 = parse_host_number(a + i, j - i);
                    PUSH((uint16_t)(v4 >> 16));
                    PUSH((uint16_t)(v4 & 0xFFFF));
                    i = j;
                    number = 0;
                    number_valid = false;
                    break;
                }
            }
        } else {
            int h = hex_value((unsigned char)a[i++]);
            number = (uint16_t)(number * 16 + (h == 0xFF ? 0 : h));
        }
    }
    if (number_valid)
        PUSH(number);
#undef PUSH
    if (index > 8)
        index = 8; /* cannot happen for a validated address; keeps the expansion in bounds */
    if (compressor_index > 0 && index != 8) {
        int to = 7, from = index - 1;
        for (int k = index - compressor_index; k > 0; --k) {
            numbers[to--] = numbers[from];
            numbers[from--] = 0;
        }
    }
}

/* uint.TryParse(s, NumberStyles.None): digits only, no overflow. */
static bool parse_uint32_digits(const char *s, size_t length, uint32_t *value)
{
    if (length == 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < length; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > 0xFFFFFFFFu)
            return false;
    }
    *value = (uint32_t)v;
    return true;
}

IPAddress *sp_ipaddress_parse(const char *s, size_t length)
{
    if (memchr(s, ':', length)) {
        if (!ipv6_valid_strict(s, 0, length))
            return NULL;
        uint16_t numbers[8] = {0};
        size_t scope_start, scope_length;
        ipv6_parse(s, length, numbers, &scope_start, &scope_length);
        uint32_t scope = 0;
        if (scope_length > 1) {
            const char *name = s + scope_start + 1;
            size_t n = scope_length - 1;
            if (!parse_uint32_digits(name, n, &scope)) {
                /* an interface name: its index, or no scope when none has that name */
                char buf[256];
                scope = 0;
                if (n < sizeof buf) {
                    memcpy(buf, name, n);
                    buf[n] = '\0';
                    scope = sp_os_net_interface_index(buf);
                }
            }
        }
        uint8_t bytes[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (uint8_t)(numbers[i] >> 8);
            bytes[2 * i + 1] = (uint8_t)numbers[i];
        }
        return sp_ipaddress_make(AddressFamily_InterNetworkV6, bytes, scope);
    }
    size_t end = length;
    int64_t v = parse_ipv4_noncanonical(s, 0, &end);
    if (v == IPV4_INVALID || end != length)
        return NULL;
    uint8_t bytes[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    return sp_ipaddress_make(AddressFamily_InterNetwork, bytes, 0);
}

/* IPAddressParser.Parse: new FormatException(SR.dns_bad_ip_address, new
 * SocketException(SocketError.InvalidArgument)), the inner one with the OS's code and text for it
 * (EINVAL, "Invalid argument" on Linux; WSAEINVAL on Windows). */
static void throw_bad_address(void)
{
    sp_net_throw_socket_error(SocketError_InvalidArgument);
    sp_exception_wrap(ExceptionType_FormatException, SR_dns_bad_ip_address);
}

IPAddress *IPAddress_Parse(const char *ipString)
{
    if (!ipString) {
        sp_throw_null("ipString");
        return NULL;
    }
    sp_clear();
    IPAddress *a = sp_ipaddress_parse(ipString, strlen(ipString));
    if (!a && !sp_failed())
        throw_bad_address();
    return a;
}

bool IPAddress_TryParse(const char *ipString, IPAddress **address)
{
    if (!address) {
        sp_throw_null("address");
        return false;
    }
    *address = NULL;
    sp_clear();
    if (!ipString)
        return false;
    *address = sp_ipaddress_parse(ipString, strlen(ipString));
    if (sp_failed()) /* out of memory: TryParse does not hide that in .NET either */
        return false;
    return *address != NULL;
}

/* ---------------------------------------------------------------- formatting */

static size_t format_ipv4(const uint8_t *b, char *out)
{
    return (size_t)sprintf(out, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

/* The longest run of at least two zero numbers, the first on a tie (RFC 5952 4.2.3). */
static void compression_range(const uint16_t *n, int count, int *zero_start, int *zero_end)
{
    int longest = 0, longest_start = -1, current = 0;
    for (int i = 0; i < count; i++) {
        if (n[i] == 0) {
            current++;
            if (current > longest) {
                longest = current;
                longest_start = i - current + 1;
            }
        } else
            current = 0;
    }
    if (longest > 1) {
        *zero_start = longest_start;
        *zero_end = longest_start + longest;
    } else {
        *zero_start = -1;
        *zero_end = 0;
    }
}

static size_t append_sections(const uint16_t *n, int count, char *out)
{
    size_t pos = 0;
    int zs, ze;
    compression_range(n, count, &zs, &ze);
    bool needs_colon = false;
    if (zs >= 0) {
        for (int i = 0; i < zs; i++) {
            if (needs_colon)
                out[pos++] = ':';
            needs_colon = true;
            pos += (size_t)sprintf(out + pos, "%x", n[i]);
        }
        out[pos++] = ':';
        out[pos++] = ':';
        needs_colon = false;
    }
    for (int i = ze; i < count; i++) {
        if (needs_colon)
            out[pos++] = ':';
        needs_colon = true;
        pos += (size_t)sprintf(out + pos, "%x", n[i]);
    }
    out[pos] = '\0';
    return pos;
}

/* IPv6AddressHelper.ShouldHaveIpv4Embedded. */
static bool ipv4_embedded(const uint16_t *n)
{
    if (n[0] == 0 && n[1] == 0 && n[2] == 0 && n[3] == 0 && n[6] != 0) {
        if (n[4] == 0 && (n[5] == 0 || n[5] == 0xFFFF))
            return true;
        if (n[4] == 0xFFFF && n[5] == 0)
            return true;
    }
    return n[4] == 0 && n[5] == 0x5EFE;
}

size_t sp_ipaddress_format(const IPAddress *a, char *out)
{
    if (a->family == AddressFamily_InterNetwork)
        return format_ipv4(a->bytes, out);
    uint16_t n[8];
    for (int i = 0; i < 8; i++)
        n[i] = (uint16_t)((a->bytes[2 * i] << 8) | a->bytes[2 * i + 1]);
    size_t pos;
    if (ipv4_embedded(n)) {
        pos = append_sections(n, 6, out);
        if (out[pos - 1] != ':')
            out[pos++] = ':';
        pos += format_ipv4(a->bytes + 12, out + pos);
    } else
        pos = append_sections(n, 8, out);
    if (a->scope_id != 0)
        pos += (size_t)sprintf(out + pos, "%%%u", a->scope_id);
    out[pos] = '\0';
    return pos;
}

char *IPAddress_ToString(const IPAddress *address)
{
    if (!check(address, "address"))
        return NULL;
    sp_clear();
    char buf[80];
    sp_ipaddress_format(address, buf);
    return sp_strdup(buf);
}

bool IPAddress_TryFormat(const IPAddress *address, char *destination, int32_t length, int32_t *bytesWritten)
{
    if (bytesWritten)
        *bytesWritten = 0;
    if (!check(address, "address"))
        return false;
    if (length > 0 && !destination) {
        sp_throw_null("destination");
        return false;
    }
    sp_clear();
    char buf[80];
    size_t n = sp_ipaddress_format(address, buf);
    if (length < 0 || (size_t)length < n)
        return false;
    memcpy(destination, buf, n);
    if (bytesWritten)
        *bytesWritten = (int32_t)n;
    return true;
}

bool IPAddress_IsValid(const char *ipString)
{
    sp_clear();
    if (!ipString) /* a null string is an empty span, which is no address */
        return false;
    size_t length = strlen(ipString);
    if (memchr(ipString, ':', length))
        return ipv6_valid_strict(ipString, 0, length);
    size_t end = length;
    return parse_ipv4_noncanonical(ipString, 0, &end) != IPV4_INVALID && end == length;
}

/* ---------------------------------------------------------------- constructors */

IPAddress *(IPAddress_new)(int64_t newAddress)
{
    if ((uint64_t)newAddress > 0xFFFFFFFFu) {
        sp_throw_if_greater_than_unsigned("newAddress", (uint64_t)newAddress, 0xFFFFFFFFu);
        return NULL;
    }
    sp_clear();
    /* .NET keeps the uint as it lies in memory: on every supported (little-endian) machine the low
     * byte is the first octet */
    uint32_t v = (uint32_t)newAddress;
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return sp_ipaddress_make(AddressFamily_InterNetwork, b, 0);
}

IPAddress *IPAddress_newFromBytes(const uint8_t *address, int32_t length)
{
    if (!address) {
        sp_throw_null("address");
        return NULL;
    }
    if (length != 4 && length != 16) {
        sp_throw(ExceptionType_ArgumentException, MSG_BAD_ADDRESS, "address");
        return NULL;
    }
    sp_clear();
    return sp_ipaddress_make(length == 4 ? AddressFamily_InterNetwork : AddressFamily_InterNetworkV6, address, 0);
}

IPAddress *IPAddress_newFromBytesWithScopeId(const uint8_t *address, int32_t length, int64_t scopeid)
{
    if (!address) {
        sp_throw_null("address");
        return NULL;
    }
    if (length != 16) {
        sp_throw(ExceptionType_ArgumentException, MSG_BAD_ADDRESS, "address");
        return NULL;
    }
    if ((uint64_t)scopeid > 0xFFFFFFFFu) {
        sp_throw_if_greater_than_unsigned("scopeid", (uint64_t)scopeid, 0xFFFFFFFFu);
        return NULL;
    }
    sp_clear();
    return sp_ipaddress_make(AddressFamily_InterNetworkV6, address, (uint32_t)scopeid);
}

/* ---------------------------------------------------------------- members */

uint8_t *(IPAddress_GetAddressBytes)(const IPAddress *address, int32_t *length)
{
    if (length)
        *length = 0;
    if (!check(address, "address"))
        return NULL;
    sp_clear();
    int32_t n = address->family == AddressFamily_InterNetwork ? 4 : 16;
    uint8_t *bytes = sp_array_new(VariantType_Byte, n);
    if (!bytes)
        return NULL;
    memcpy(bytes, address->bytes, (size_t)n);
    if (length)
        *length = n;
    return bytes;
}

bool IPAddress_TryWriteBytes(const IPAddress *address, uint8_t *destination, int32_t length, int32_t *bytesWritten)
{
    if (bytesWritten)
        *bytesWritten = 0;
    if (!check(address, "address"))
        return false;
    int32_t n = address->family == AddressFamily_InterNetwork ? 4 : 16;
    if (length > 0 && !destination) {
        sp_throw_null("destination");
        return false;
    }
    sp_clear();
    if (length < n)
        return false;
    memcpy(destination, address->bytes, (size_t)n);
    if (bytesWritten)
        *bytesWritten = n;
    return true;
}

AddressFamily IPAddress_get_AddressFamily(const IPAddress *address)
{
    if (!check(address, "address"))
        return AddressFamily_Unknown;
    sp_clear();
    return (AddressFamily)address->family;
}

int64_t IPAddress_get_ScopeId(const IPAddress *address)
{
    if (!check(address, "address"))
        return 0;
    if (address->family == AddressFamily_InterNetwork) {
        sp_net_throw_socket_error(SOCKET_ERROR_OPERATION_NOT_SUPPORTED);
        return 0;
    }
    sp_clear();
    return address->scope_id;
}

bool IPAddress_set_ScopeId(IPAddress *address, int64_t value)
{
    if (!check(address, "address"))
        return false;
    if (address->family == AddressFamily_InterNetwork || address->read_only) {
        sp_net_throw_socket_error(SOCKET_ERROR_OPERATION_NOT_SUPPORTED);
        return false;
    }
    if (value < 0) {
        sp_throw_if_negative("value", value);
        return false;
    }
    if (value > 0xFFFFFFFFll) {
        sp_throw_if_greater_than("value", value, 0xFFFFFFFFll);
        return false;
    }
    sp_clear();
    address->scope_id = (uint32_t)value;
    return true;
}

int64_t IPAddress_get_Address(const IPAddress *address)
{
    if (!check(address, "address"))
        return 0;
    if (address->family == AddressFamily_InterNetworkV6) {
        sp_net_throw_socket_error(SOCKET_ERROR_OPERATION_NOT_SUPPORTED);
        return 0;
    }
    sp_clear();
    const uint8_t *b = address->bytes;
    return (int64_t)((uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24));
}

bool IPAddress_set_Address(IPAddress *address, int64_t value)
{
    if (!check(address, "address"))
        return false;
    if (address->family == AddressFamily_InterNetworkV6) {
        sp_net_throw_socket_error(SOCKET_ERROR_OPERATION_NOT_SUPPORTED);
        return false;
    }
    uint32_t v = (uint32_t)value; /* unchecked((uint)value), as .NET */
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    if (memcmp(b, address->bytes, 4) != 0 || (uint64_t)value > 0xFFFFFFFFu) {
        if (address->read_only) {
            sp_net_throw_socket_error(SOCKET_ERROR_OPERATION_NOT_SUPPORTED);
            return false;
        }
        memcpy(address->bytes, b, 4);
    }
    sp_clear();
    return true;
}

static const uint8_t k_loopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t k_loopback_mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 127, 0, 0, 1};

bool IPAddress_IsLoopback(const IPAddress *address)
{
    if (!check(address, "address"))
        return false;
    sp_clear();
    if (address->family == AddressFamily_InterNetwork)
        return address->bytes[0] == 127;
    /* Equals(IPv6Loopback) and Equals(::ffff:127.0.0.1): the scope id counts */
    return address->scope_id == 0 &&
           (memcmp(address->bytes, k_loopback6, 16) == 0 || memcmp(address->bytes, k_loopback_mapped, 16) == 0);
}

static uint16_t number0(const IPAddress *a) { return (uint16_t)((a->bytes[0] << 8) | a->bytes[1]); }

bool IPAddress_get_IsIPv4MappedToIPv6(const IPAddress *address)
{
    if (!check(address, "address"))
        return false;
    sp_clear();
    static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255};
    return address->family == AddressFamily_InterNetworkV6 && memcmp(address->bytes, prefix, 12) == 0;
}

bool IPAddress_get_IsIPv6LinkLocal(const IPAddress *address)
{
    if (!check(address, "address"))
        return false;
    sp_clear();
    return address->family == AddressFamily_InterNetworkV6 && (number0(address) & 0xFFC0) == 0xFE80;
}

bool IPAddress_get_IsIPv6SiteLocal(const IPAddress *address)
{
    if (!check(address, "address"))
        return false;
    sp_clear();
    return address->family == AddressFamily_InterNetworkV6 && (number0(address) & 0xFFC0) == 0xFEC0;
}

bool IPAddress_get_IsIPv6Multicast(const IPAddress *address)
{
    if (!check(address, "address"))
        return false;
    sp_clear();
    return address->family == AddressFamily_InterNetworkV6 && (number0(address) & 0xFF00) == 0xFF00;
}

bool IPAddress_get_IsIPv6Teredo(const IPAddress *address)
{
    if (!check(address, "address"))
        return false;
    sp_clear();
    return address->family == AddressFamily_InterNetworkV6 && number0(address) == 0x2001 && address->bytes[2] == 0 &&
           address->bytes[3] == 0;
}

bool IPAddress_get_IsIPv6UniqueLocal(const IPAddress *address)
{
    if (!check(address, "address"))
        return false;
    sp_clear();
    return address->family == AddressFamily_InterNetworkV6 && (number0(address) & 0xFE00) == 0xFC00;
}

IPAddress *IPAddress_MapToIPv6(const IPAddress *address)
{
    if (!check(address, "address"))
        return NULL;
    sp_clear();
    if (address->family == AddressFamily_InterNetworkV6) {
        sp_object_retain((Object *)address);
        return (IPAddress *)address;
    }
    uint8_t b[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255};
    memcpy(b + 12, address->bytes, 4);
    return sp_ipaddress_make(AddressFamily_InterNetworkV6, b, 0);
}

IPAddress *IPAddress_MapToIPv4(const IPAddress *address)
{
    if (!check(address, "address"))
        return NULL;
    sp_clear();
    if (address->family == AddressFamily_InterNetwork) {
        sp_object_retain((Object *)address);
        return (IPAddress *)address;
    }
    return sp_ipaddress_make(AddressFamily_InterNetwork, address->bytes + 12, 0);
}

bool IPAddress_Equals(const IPAddress *address, const IPAddress *comparand)
{
    if (!check(address, "address"))
        return false;
    sp_clear();
    if (!comparand || ((const Object *)comparand)->magic != SP_OBJECT_MAGIC ||
        !sp_type_is(((const Object *)comparand)->type, &sp_type_IPAddress))
        return false;
    if (address->family != comparand->family)
        return false;
    if (address->family == AddressFamily_InterNetwork)
        return memcmp(address->bytes, comparand->bytes, 4) == 0;
    return memcmp(address->bytes, comparand->bytes, 16) == 0 && address->scope_id == comparand->scope_id;
}

int32_t IPAddress_GetHashCode(const IPAddress *address)
{
    if (!check(address, "address"))
        return 0;
    sp_clear();
    /* .NET's HashCode is seeded per process, so only equality of hashes for equal addresses is
     * observable: FNV-1a over what Equals compares */
    uint32_t h = 2166136261u;
    int n = address->family == AddressFamily_InterNetwork ? 4 : 16;
    for (int i = 0; i < n; i++)
        h = (h ^ address->bytes[i]) * 16777619u;
    for (int i = 0; i < 4; i++)
        h = (h ^ (uint8_t)(address->scope_id >> (8 * i))) * 16777619u;
    return (int32_t)h;
}

/* ---------------------------------------------------------------- byte order */

static uint64_t swap64(uint64_t v)
{
    v = ((v & 0x00FF00FF00FF00FFull) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFull);
    v = ((v & 0x0000FFFF0000FFFFull) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFull);
    return (v << 32) | (v >> 32);
}
static bool little_endian(void)
{
    const uint16_t one = 1;
    return *(const uint8_t *)&one == 1;
}

int64_t IPAddress_HostToNetworkOrderInt64(int64_t host)
{
    sp_clear();
    return little_endian() ? (int64_t)swap64((uint64_t)host) : host;
}
int32_t IPAddress_HostToNetworkOrderInt32(int32_t host)
{
    sp_clear();
    uint32_t v = (uint32_t)host;
    return little_endian() ? (int32_t)((v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24)) : host;
}
int16_t IPAddress_HostToNetworkOrderInt16(int16_t host)
{
    sp_clear();
    uint16_t v = (uint16_t)host;
    return little_endian() ? (int16_t)(uint16_t)((v >> 8) | (v << 8)) : host;
}
int64_t IPAddress_NetworkToHostOrderInt64(int64_t network) { return IPAddress_HostToNetworkOrderInt64(network); }
int32_t IPAddress_NetworkToHostOrderInt32(int32_t network) { return IPAddress_HostToNetworkOrderInt32(network); }
int16_t IPAddress_NetworkToHostOrderInt16(int16_t network) { return IPAddress_HostToNetworkOrderInt16(network); }

/* ---------------------------------------------------------------- net.h */

bool sp_ipaddress_bytes(const IPAddress *address, int32_t *family, uint8_t bytes[16], uint32_t *scope_id)
{
    const Object *o = (const Object *)address;
    if (!o || o->magic != SP_OBJECT_MAGIC ||
        (o->type != &sp_type_IPAddress && !sp_type_is(o->type, &sp_type_IPAddress)))
        return false;
    if (family)
        *family = address->family;
    if (bytes) {
        if (address->family == AddressFamily_InterNetwork) {
            memset(bytes + 4, 0, 12);
            memcpy(bytes, address->bytes, 4);
        } else {
            memcpy(bytes, address->bytes, 16);
        }
    }
    if (scope_id)
        *scope_id = address->scope_id;
    return true;
}
