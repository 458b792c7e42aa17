/*
 * EndPoint, IPEndPoint, DnsEndPoint, UnixDomainSocketEndPoint and Dns, ported from dotnet/runtime
 * src/libraries/System.Net.Primitives/tests/FunctionalTests (IPEndPointParsing.cs, IPEndPointTest.cs,
 * DnsEndPointTest.cs), System.Net.Sockets/tests/FunctionalTests/UnixDomainSocketTest.cs (the
 * endpoint's argument cases) and System.Net.NameResolution/tests/FunctionalTests
 * (GetHostAddressesTest.cs); with net.h's Serialize / Create, which Socket uses.
 */
#include "sp_test.h"

#include "ipaddress_cases.h"
#include "System.Net/net.h"

#include <ctype.h>

static char *lower(const char *s)
{
    char *r = strdup(s);
    for (char *p = r; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return r;
}

static void assert_str_free(char *s, const char *expected)
{
    assert_non_null(s);
    assert_string_equal(s, expected);
    String_Free(s);
}

/* ------------------------------------------------------------------ IPEndPointParsing.cs */

static void parse_valid(const char *address, const char *expected_address, bool is_ipv4)
{
    char *expected = lower(expected_address);
    IPEndPoint *r = NULL;
    if (!IPEndPoint_TryParse(address, &r))
        fail_msg("IPEndPoint.TryParse(\"%s\") failed", address);
    assert_str_free(IPAddress_ToString(IPEndPoint_get_Address(r)), expected);
    assert_int_equal(IPEndPoint_get_Port(r), 0);
    Dispose(r);
    r = IPEndPoint_Parse(address);
    assert_non_null(r);
    assert_str_free(IPAddress_ToString(IPEndPoint_get_Address(r)), expected);
    Dispose(r);
    int port = 1;
    for (int i = 0; i < 5; i++) {
        char s[200];
        snprintf(s, sizeof s, is_ipv4 ? "%s:%d" : "[%s]:%d", address, port);
        if (!IPEndPoint_TryParse(s, &r))
            fail_msg("IPEndPoint.TryParse(\"%s\") failed", s);
        assert_str_free(IPAddress_ToString(IPEndPoint_get_Address(r)), expected);
        assert_int_equal(IPEndPoint_get_Port(r), port);
        Dispose(r);
        r = IPEndPoint_Parse(s);
        assert_non_null(r);
        assert_int_equal(IPEndPoint_get_Port(r), port);
        Dispose(r);
        port = port * 10 + i + 2;
    }
    free(expected);
}

/* IPEndPointParsing.cs: Parse_ValidEndPoint_IPv4_Success, Parse_ValidEndPoint_IPv6_Success
 * (ValidIpv6AddressesNoPort: the IPv6 table without its bracketed rows) */
static void IPEndPointParsing_Parse_ValidEndPoint_Success(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv4); i++)
        parse_valid(sp_valid_ipv4[i].input, sp_valid_ipv4[i].expected, true);
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv6); i++)
        if (sp_valid_ipv6[i].input[0] != '[')
            parse_valid(sp_valid_ipv6[i].input, sp_valid_ipv6[i].expected, false);
}

static void invalid_endpoint(const char *s)
{
    IPEndPoint *r = (IPEndPoint *)(void *)1;
    if (IPEndPoint_TryParse(s, &r))
        fail_msg("IPEndPoint.TryParse(\"%s\") succeeded", s);
    assert_null(r);
    assert_null(IPEndPoint_Parse(s));
    EXPECT_EXC_MSG(FormatException, "An invalid IPEndPoint was specified.");
}

static void parse_invalid(const char *address, bool is_ipv4)
{
    invalid_endpoint(address);
    int port = 1;
    for (int i = 0; i < 5; i++) {
        char s[200];
        snprintf(s, sizeof s, is_ipv4 ? "%s:%d" : "[%s]:%d", address, port);
        invalid_endpoint(s);
        port = port * 10 + i + 2;
    }
}

/* IPEndPointParsing.cs: Parse_InvalidAddress_IPv4_Throws, Parse_InvalidAddress_IPv6_Throws */
static void IPEndPointParsing_Parse_InvalidAddress_Throws(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv4); i++)
        parse_invalid(sp_invalid_ipv4[i], true);
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv4_standalone); i++)
        if (strchr(sp_invalid_ipv4_standalone[i], ':') == NULL) /* the ":80" rows are valid endpoints */
            parse_invalid(sp_invalid_ipv4_standalone[i], true);
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv6); i++)
        parse_invalid(sp_invalid_ipv6[i], false);
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv6_no_inner); i++)
        parse_invalid(sp_invalid_ipv6_no_inner[i], false);
}

static void invalid_port(const char *address, bool v4)
{
    char s[256];
#define TRY(fmt4, fmt6, ...)                                                                                           \
  do {                                                                                                                 \
    snprintf(s, sizeof s, v4 ? fmt4 : fmt6, __VA_ARGS__);                                                              \
    invalid_endpoint(s);                                                                                               \
  } while (0)
    TRY("%s:65536", "[%s]:65536", address);
    TRY("%s:-300", "[%s]:-300", address);
    TRY("%s:+300", "[%s]:+300", address);
    int p = 1;
    for (int i = 0; i < 5; i++) {
        TRY("%s:a%d", "[%s]:a%d", address, p);
        TRY("%s:%da", "[%s]:%da", address, p);
        TRY("%s]:%d", "[%s]]:%d", address, p);
        TRY("%s:]%d", "[%s]:]%d", address, p);
        TRY("%s:%d]", "[%s]:%d]", address, p);
        TRY("%s:%d:", "[%s]:%d:", address, p);
        TRY("%s:%d:%d", "[%s]:%d]:%d", address, p, p);
        TRY("%s:%da%d", "[%s]:%da%d", address, p, p);
        snprintf(s, sizeof s, v4 ? "%s::%d" : "[%s]::%d", address, p);
        IPAddress *a = NULL;
        if (!IPAddress_TryParse(s, &a))
            invalid_endpoint(s);
        Dispose(a);
        p = p * 10 + i + 2;
    }
#undef TRY
}

/* IPEndPointParsing.cs: Parse_InvalidPort_IPv4_Throws, Parse_InvalidPort_IPv6_Throws */
static void IPEndPointParsing_Parse_InvalidPort_Throws(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv4); i++)
        invalid_port(sp_valid_ipv4[i].input, true);
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv6); i++)
        invalid_port(sp_valid_ipv6[i].input, false);
}

/* ------------------------------------------------------------------ IPEndPointTest.cs */

/* IPEndPointTest.cs: Ctor_Long_Int, Ctor_IPAddress_Int, Ctor_NullAddress_ThrowsArgumentNullException,
 * Ctor_InvalidPort_ThrowsArgumentOutOfRangeException */
static void IPEndPointTest_Ctor(void **state)
{
    (void)state;
    IPEndPoint *e = IPEndPoint_newFromInt64(1, 500);
    assert_non_null(e);
    IPAddress *one = IPAddress_new((int64_t)1);
    assert_true(IPAddress_Equals(IPEndPoint_get_Address(e), one));
    assert_int_equal(IPEndPoint_get_Port(e), 500);
    Dispose(e);
    e = IPEndPoint_new(one, 500);
    assert_ptr_equal(IPEndPoint_get_Address(e), one); /* the same object, retained */
    Dispose(one);
    assert_str_free(IPEndPoint_ToString(e), "1.0.0.0:500"); /* the long is the bytes in memory order */
    Dispose(e);

    assert_null(IPEndPoint_new(NULL, 500));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("address");
    const int32_t bad[] = {IPEndPoint_MinPort - 1, IPEndPoint_MaxPort + 1};
    for (size_t i = 0; i < SP_COUNT(bad); i++) {
        assert_null(IPEndPoint_new(IPAddress_Loopback, bad[i]));
        EXPECT_EXC_MSG(ArgumentOutOfRangeException,
                       "Specified argument was out of the range of valid values. (Parameter 'port')");
        assert_null(IPEndPoint_newFromInt64(1, bad[i]));
        EXPECT_EXC(ArgumentOutOfRangeException);
        EXPECT_PARAM("port");
    }
}

/* IPEndPointTest.cs: Address_NullAddress_ThrowsArgumentNullException, Port_Set_GetReturnsExpected,
 * Port_SetInvalid_ThrowsArgumentOutOfRangeException, AddressFamily_Get_ReturnsExpected */
static void IPEndPointTest_Properties(void **state)
{
    (void)state;
    IPEndPoint *e = IPEndPoint_new(IPAddress_Loopback, 1);
    assert_false(IPEndPoint_set_Address(e, NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("value");
    assert_true(IPEndPoint_set_Port(e, 65535));
    assert_int_equal(IPEndPoint_get_Port(e), 65535);
    assert_false(IPEndPoint_set_Port(e, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("value");
    assert_false(IPEndPoint_set_Port(e, 65536));
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_int_equal(IPEndPoint_get_AddressFamily(e), AddressFamily_InterNetwork);
    assert_int_equal(EndPoint_get_AddressFamily(e), AddressFamily_InterNetwork);
    assert_true(IPEndPoint_set_Address(e, IPAddress_IPv6Loopback));
    assert_int_equal(EndPoint_get_AddressFamily(e), AddressFamily_InterNetworkV6);
    Dispose(e);
}

/* IPEndPointTest.cs: ToString_Invoke_ReturnsExpected */
static void IPEndPointTest_ToString(void **state)
{
    (void)state;
    IPAddress *a = IPAddress_Parse("fe80::1%3");
    IPEndPoint *e6 = IPEndPoint_new(a, 80);
    assert_str_free(IPEndPoint_ToString(e6), "[fe80::1%3]:80");
    assert_str_free(EndPoint_ToString(e6), "[fe80::1%3]:80");
    IPEndPoint *e4 = IPEndPoint_new(IPAddress_Broadcast, 65535);
    assert_str_free(IPEndPoint_ToString(e4), "255.255.255.255:65535");
    IPEndPoint *lo6 = IPEndPoint_new(IPAddress_IPv6Loopback, 80);
    assert_str_free(IPEndPoint_ToString(lo6), "[::1]:80");
    Dispose(lo6);
    Dispose(e4);
    Dispose(e6);
    Dispose(a);
}

/* IPEndPointTest.cs: Equals_Compare_Success, GetHashCode */
static void IPEndPointTest_Equals(void **state)
{
    (void)state;
    IPAddress *lo = IPAddress_Parse("127.0.0.1");
    IPEndPoint *a = IPEndPoint_new(IPAddress_Loopback, 80), *b = IPEndPoint_new(lo, 80),
               *c = IPEndPoint_new(IPAddress_Loopback, 81), *d = IPEndPoint_new(IPAddress_IPv6Loopback, 80);
    assert_true(IPEndPoint_Equals(a, b));
    assert_true(EndPoint_Equals(a, b));
    assert_int_equal(IPEndPoint_GetHashCode(a), IPEndPoint_GetHashCode(b));
    assert_false(IPEndPoint_Equals(a, c));
    assert_false(IPEndPoint_Equals(a, d));
    assert_false(IPEndPoint_Equals(a, NULL));
    EXPECT_NO_EXC();
    Dispose(a);
    Dispose(b);
    Dispose(c);
    Dispose(d);
    Dispose(lo);
}

/* sharpipc's own: the address outlives the caller's reference (IPEndPoint_new retains it) */
static void endpoint_retains_address(void **state)
{
    (void)state;
    IPAddress *a = IPAddress_Parse("10.1.2.3");
    IPEndPoint *e = IPEndPoint_new(a, 7);
    Dispose(a);
    assert_str_free(IPEndPoint_ToString(e), "10.1.2.3:7");
    IPAddress *b = IPAddress_Parse("::2");
    assert_true(IPEndPoint_set_Address(e, b));
    Dispose(b);
    assert_str_free(IPEndPoint_ToString(e), "[::2]:7");
    Dispose(e);
}

/* IPEndPointParsing.cs's null case: Parse(null) throws ArgumentNullException("s") */
static void IPEndPointParsing_Parse_Null(void **state)
{
    (void)state;
    assert_null(IPEndPoint_Parse(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("s");
    IPEndPoint *r = NULL;
    assert_false(IPEndPoint_TryParse(NULL, &r));
    EXPECT_NO_EXC();
}

/* ------------------------------------------------------------------ DnsEndPointTest.cs */

/* DnsEndPointTest.cs: Ctor_*, ToString, Equals (the texts as .NET 10 gives them) */
static void DnsEndPointTest_Ctor_ToString_Equals(void **state)
{
    (void)state;
    DnsEndPoint *e = DnsEndPoint_new("host", 80);
    assert_non_null(e);
    assert_string_equal(DnsEndPoint_get_Host(e), "host");
    assert_int_equal(DnsEndPoint_get_Port(e), 80);
    assert_int_equal(DnsEndPoint_get_AddressFamily(e), AddressFamily_Unspecified);
    assert_str_free(DnsEndPoint_ToString(e), "Unspecified/host:80");
    DnsEndPoint *e6 = DnsEndPoint_new("host", 80, AddressFamily_InterNetworkV6);
    assert_str_free(DnsEndPoint_ToString(e6), "InterNetworkV6/host:80");
    assert_str_free(EndPoint_ToString(e6), "InterNetworkV6/host:80");
    assert_int_equal(EndPoint_get_AddressFamily(e6), AddressFamily_InterNetworkV6);
    DnsEndPoint *e2 = DnsEndPoint_new("host", 80);
    assert_true(DnsEndPoint_Equals(e, e2));
    assert_false(DnsEndPoint_Equals(e, e6));
    Dispose(e);
    Dispose(e2);
    Dispose(e6);

    assert_null(DnsEndPoint_new(NULL, 80));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("host");
    assert_null(DnsEndPoint_new("", 80));
    EXPECT_EXC_MSG(ArgumentException, "The value cannot be an empty string. (Parameter 'host')");
    assert_null(DnsEndPoint_new("h", -1));
    EXPECT_EXC_MSG(ArgumentOutOfRangeException,
                   "port ('-1') must be greater than or equal to '0'. (Parameter 'port')\nActual value was -1.");
    assert_null(DnsEndPoint_new("h", 65536));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("port");
    assert_null(DnsEndPoint_new("h", 1, AddressFamily_Unix));
    EXPECT_EXC_MSG(ArgumentException, "The specified value is not valid. (Parameter 'addressFamily')");
}

/* ------------------------------------------------------------------ UnixDomainSocketEndPoint */

/* UnixDomainSocketTest.cs: UnixDomainSocketEndPoint_InvalidPaths_Throws (null, "", one past the native
 * length; the messages as .NET 10 gives them) */
static void UnixDomainSocketTest_UnixDomainSocketEndPoint_InvalidPaths_Throws(void **state)
{
    (void)state;
    assert_null(UnixDomainSocketEndPoint_new(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("path");
    assert_null(UnixDomainSocketEndPoint_new(""));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("path");
    const Exception *ex = Exception_get_Current();
    assert_string_equal(ArgumentOutOfRangeException_get_ActualValue(ex), "");
#ifdef __APPLE__
    const int max = 104;
#else
    const int max = 108;
#endif
    char path[200];
    memset(path, 'a', (size_t)max);
    path[max] = '\0'; /* max characters and the NUL do not fit */
    assert_null(UnixDomainSocketEndPoint_new(path));
    EXPECT_EXC(ArgumentOutOfRangeException);
    char expected[600];
    snprintf(expected, sizeof expected,
             "The path '%s' is of an invalid length for use with domain sockets on this platform.  The length must "
             "be between 1 and %d characters, inclusive. (Parameter 'path')\nActual value was %s.",
             path, max, path);
    assert_string_equal(Exception_get_Message(Exception_get_Current()), expected);
    path[max - 1] = '\0'; /* max - 1 characters fit */
    UnixDomainSocketEndPoint *e = UnixDomainSocketEndPoint_new(path);
    assert_non_null(e);
    assert_str_free(UnixDomainSocketEndPoint_ToString(e), path);
    assert_int_equal(UnixDomainSocketEndPoint_get_AddressFamily(e), AddressFamily_Unix);
    Dispose(e);
}

/* UnixDomainSocketTest.cs: the abstract names' ToString ('@' + name[1..]) and length (no NUL
 * terminator, so a name may fill sun_path); UnixDomainSocketEndPoint_Equals by path */
static void UnixDomainSocketTest_AbstractName_ToString_Equals(void **state)
{
    (void)state;
    UnixDomainSocketEndPoint *e = UnixDomainSocketEndPoint_newWithLength("\0name", 5);
    assert_non_null(e);
    assert_str_free(UnixDomainSocketEndPoint_ToString(e), "@name");
    assert_str_free(EndPoint_ToString(e), "@name");
    UnixDomainSocketEndPoint *same = UnixDomainSocketEndPoint_newWithLength("\0name", 5);
    UnixDomainSocketEndPoint *other = UnixDomainSocketEndPoint_newWithLength("\0nam", 4);
    UnixDomainSocketEndPoint *path = UnixDomainSocketEndPoint_new("name");
    assert_true(UnixDomainSocketEndPoint_Equals(e, same));
    assert_false(UnixDomainSocketEndPoint_Equals(e, other));
    assert_false(UnixDomainSocketEndPoint_Equals(e, path));
    char full[200];
    full[0] = '\0';
    memset(full + 1, 'a', 107);
    UnixDomainSocketEndPoint *big = UnixDomainSocketEndPoint_newWithLength(full, 108);
    assert_non_null(big);
    Dispose(big);
    memset(full + 1, 'a', 108);
    assert_null(UnixDomainSocketEndPoint_newWithLength(full, 109));
    EXPECT_EXC(ArgumentOutOfRangeException);
    Dispose(e);
    Dispose(same);
    Dispose(other);
    Dispose(path);
}

/* ------------------------------------------------------------------ net.h: Serialize / Create */

/* sharpipc's own: EndPoint.Serialize and EndPoint.Create round trips in the seam's form */
static void serialize_create_roundtrip(void **state)
{
    (void)state;
    IPAddress *a = IPAddress_Parse("fe80::1%7");
    IPEndPoint *e6 = IPEndPoint_new(a, 443);
    sp_os_sockaddr sa;
    assert_true(sp_endpoint_serialize((EndPoint *)e6, "remoteEP", &sa));
    assert_int_equal(sa.family, AddressFamily_InterNetworkV6);
    assert_int_equal(sa.port, 443);
    assert_int_equal(sa.scope_id, 7);
    assert_int_equal(sa.address[0], 0xfe);
    EndPoint *back = sp_endpoint_create(&sa);
    assert_non_null(back);
    assert_true(EndPoint_Equals(back, (EndPoint *)e6));
    assert_str_free(EndPoint_ToString(back), "[fe80::1%7]:443");
    Dispose(back);

    UnixDomainSocketEndPoint *u = UnixDomainSocketEndPoint_new("/tmp/x.sock");
    assert_true(sp_endpoint_serialize((EndPoint *)u, "localEP", &sa));
    assert_int_equal(sa.family, AddressFamily_Unix);
    assert_int_equal(sa.path_length, 11);
    assert_int_equal(sa.path[11], 0);
    sa.path_length = 13; /* the kernel's trailing NULs are not part of the name */
    back = sp_endpoint_create(&sa);
    assert_str_free(EndPoint_ToString(back), "/tmp/x.sock");
    assert_true(EndPoint_Equals(back, (EndPoint *)u));
    Dispose(back);
    memset(&sa, 0, sizeof sa);
    sa.family = AddressFamily_Unix;
    back = sp_endpoint_create(&sa); /* an unnamed peer: path "" */
    assert_str_free(EndPoint_ToString(back), "");
    Dispose(back);

    DnsEndPoint *d = DnsEndPoint_new("h", 1);
    assert_false(sp_endpoint_serialize((EndPoint *)d, "localEP", &sa));
    EXPECT_EXC_MSG(ArgumentException, "The parameter localEP must not be of type DnsEndPoint. (Parameter 'localEP')");
    assert_false(sp_endpoint_serialize(NULL, "remoteEP", &sa));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("remoteEP");
    sa.family = 17;
    assert_null(sp_endpoint_create(&sa));
    EXPECT_EXC(ArgumentException);
    assert_int_equal(sp_endpoint_family((EndPoint *)d), AddressFamily_Unspecified);
    assert_int_equal(sp_endpoint_family(NULL), AddressFamily_Unknown);
    int32_t family = 0;
    uint8_t bytes[16];
    uint32_t scope = 1;
    assert_true(sp_ipaddress_bytes(IPAddress_Loopback, &family, bytes, &scope));
    assert_int_equal(family, AddressFamily_InterNetwork);
    assert_int_equal(bytes[0], 127);
    assert_int_equal(scope, 0);
    assert_false(sp_ipaddress_bytes((IPAddress *)d, &family, bytes, &scope));
    Dispose(d);
    Dispose(u);
    Dispose(e6);
    Dispose(a);
}

/* sharpipc's own: the bound-file hook Socket uses (DOTNET_COMPAT 4.5): a record only of a socket
 * file at a path name (a bound socket's removal is UnixDomainSocketTest's), none for a plain file
 * at the name, which stays, nor for an abstract name */
static void bound_file_hook(void **state)
{
    (void)state;
    char name[64];
    snprintf(name, sizeof name, "sp_uds_bound_%d.sock", sp_getpid());
    FILE *f = fopen(name, "w");
    assert_non_null(f);
    fclose(f);
    UnixDomainSocketEndPoint *u = UnixDomainSocketEndPoint_new(name);
    assert_null(sp_endpoint_bound_file((EndPoint *)u)); /* no socket there: nothing to remove */
    EXPECT_NO_EXC();
    f = fopen(name, "r");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(remove(name), 0);
    UnixDomainSocketEndPoint *abs = UnixDomainSocketEndPoint_newWithLength("\0abs", 4);
    assert_null(sp_endpoint_bound_file((EndPoint *)abs));
    EXPECT_NO_EXC();
    assert_null(sp_endpoint_bound_file((EndPoint *)IPAddress_Loopback));
    sp_endpoint_remove_bound_file(NULL);
    Dispose(abs);
    Dispose(u);
}

/* ------------------------------------------------------------------ Dns */

/* GetHostAddressesTest.cs: Dns_GetHostAddresses_IPv4String_Ok / _IPv6String_Ok (a literal gives itself),
 * Dns_GetHostAddresses_NullHost_Fail, the too-long name */
static void GetHostAddressesTest_Literals_And_Arguments(void **state)
{
    (void)state;
    int32_t n = -1;
    IPAddress **list = Dns_GetHostAddresses("010.1", &n);
    assert_non_null(list);
    assert_int_equal(n, 1);
    assert_str_free(IPAddress_ToString(list[0]), "8.0.0.1");
    Dns_FreeAddresses(list, n);
    list = Dns_GetHostAddresses("::1", &n);
    assert_int_equal(n, 1);
    assert_true(IPAddress_Equals(list[0], IPAddress_IPv6Loopback));
    Dns_FreeAddresses(list, n);
    /* the unspecified addresses are no target (.NET 10: ArgumentException, checked) */
    assert_null(Dns_GetHostAddresses("0.0.0.0", &n));
    EXPECT_EXC_MSG(ArgumentException, "IPv4 address 0.0.0.0 and IPv6 address ::0 are unspecified addresses that "
                                      "cannot be used as a target address. (Parameter 'hostNameOrAddress')");
    assert_null(Dns_GetHostAddresses("::", &n));
    EXPECT_EXC(ArgumentException);
    assert_null(Dns_GetHostAddresses(NULL, &n));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("hostNameOrAddress");
    char name[300];
    memset(name, 'a', 256);
    name[256] = '\0';
    assert_null(Dns_GetHostAddresses(name, &n));
    EXPECT_EXC_MSG(ArgumentOutOfRangeException,
                   "The size of hostName is too long. It cannot be longer than 255 characters. (Parameter 'hostName')");
}

/* Dns.ValidateHostName's bounds, in UTF-16 code units as .NET counts hostName.Length: more than
 * 255 is too long, and 255 only when the last is the root's '.'. Each name here is one label too
 * long for DNS, so one that passes fails in the resolver at once (SocketException), asking no server. */
static void GetHostAddressesTest_ValidateHostName_Lengths(void **state)
{
    (void)state;
    static const struct {
        int letters; /* 'a's */
        int accents; /* then "\u00e9"s: two UTF-8 bytes, one UTF-16 code unit each */
        bool dot;    /* then a trailing '.' */
        bool too_long;
    } rows[] = {
        {254, 0, false, false}, {255, 0, false, true},  {254, 0, true, false}, {255, 0, true, true},
        {256, 0, false, true},  {0, 200, false, false}, {0, 254, true, false}, {0, 256, false, true},
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char name[1024];
        size_t n = 0;
        for (int k = 0; k < rows[i].letters; k++)
            name[n++] = 'a';
        for (int k = 0; k < rows[i].accents; k++) {
            name[n++] = (char)0xC3;
            name[n++] = (char)0xA9;
        }
        if (rows[i].dot)
            name[n++] = '.';
        name[n] = '\0';
        int32_t count = 0;
        IPAddress **list = Dns_GetHostAddresses(name, &count);
        bool refused = !list && Exception_Is(Exception_get_Current(), ExceptionType_ArgumentOutOfRangeException);
        if (refused != rows[i].too_long && ++failures)
            print_error("row %zu (%d letters, %d accents%s): %s\n", i, rows[i].letters, rows[i].accents,
                        rows[i].dot ? ", a dot" : "", refused ? "refused as too long" : "not refused");
        Dns_FreeAddresses(list, count);
        IPHostEntry entry;
        bool ok = Dns_GetHostEntry(name, &entry);
        refused = !ok && Exception_Is(Exception_get_Current(), ExceptionType_ArgumentOutOfRangeException);
        if (refused != rows[i].too_long && ++failures)
            print_error("GetHostEntry row %zu: %s\n", i, refused ? "refused as too long" : "not refused");
        if (ok)
            IPHostEntry_Free(&entry);
    }
    assert_int_equal(failures, 0);
}

/* GetHostAddressesTest.cs: Dns_GetHostAddresses_LocalHost (localhost resolves to loopback addresses) */
static void GetHostAddressesTest_Localhost(void **state)
{
    (void)state;
    int32_t n = 0;
    IPAddress **list = Dns_GetHostAddresses("localhost", &n);
    if (!list)
        fail_msg("localhost: %s", Exception_get_Message(Exception_get_Current()));
    assert_true(n >= 1);
    for (int32_t i = 0; i < n; i++)
        assert_true(IPAddress_IsLoopback(list[i]));
    Dns_FreeAddresses(list, n);
}

/* GetHostEntryTest.cs: Dns_GetHostEntry_HostString_Ok for localhost, and the unspecified literal refused */
static void GetHostEntryTest_Localhost(void **state)
{
    (void)state;
    IPHostEntry entry;
    if (!Dns_GetHostEntry("localhost", &entry))
        fail_msg("localhost: %s", Exception_get_Message(Exception_get_Current()));
    assert_non_null(entry.HostName);
    assert_true(entry.AddressCount >= 1);
    IPHostEntry_Free(&entry);
    assert_false(Dns_GetHostEntry("0.0.0.0", &entry));
    EXPECT_EXC(ArgumentException);
    EXPECT_PARAM("hostNameOrAddress");
}

/* GetHostAddressesTest.cs: Dns_GetHostAddresses_UnknownHost: SocketException HostNotFound (.NET 10 on
 * Linux: "Name or service not known"; the resolver's own text elsewhere) */
static void GetHostAddressesTest_UnknownHost(void **state)
{
    (void)state;
    int32_t n = 5;
    assert_null(Dns_GetHostAddresses("nonexistent.invalid", &n));
    assert_int_equal(n, 0);
    EXPECT_EXC(SocketException);
    int32_t code = SocketException_get_SocketErrorCode(Exception_get_Current());
    /* HostNotFound; a resolver with no network may say TryAgain, as .NET then reports */
    if (code != 11001 && code != 11002)
        fail_msg("SocketErrorCode %d: %s", code, Exception_get_Message(Exception_get_Current()));
    assert_true(strlen(Exception_get_Message(Exception_get_Current())) > 0);
    IPHostEntry entry;
    assert_false(Dns_GetHostEntry("nonexistent.invalid", &entry));
    EXPECT_EXC(SocketException);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(IPEndPointParsing_Parse_ValidEndPoint_Success),
        cmocka_unit_test(IPEndPointParsing_Parse_InvalidAddress_Throws),
        cmocka_unit_test(IPEndPointParsing_Parse_InvalidPort_Throws),
        cmocka_unit_test(IPEndPointParsing_Parse_Null),
        cmocka_unit_test(IPEndPointTest_Ctor),
        cmocka_unit_test(IPEndPointTest_Properties),
        cmocka_unit_test(IPEndPointTest_ToString),
        cmocka_unit_test(IPEndPointTest_Equals),
        cmocka_unit_test(endpoint_retains_address),
        cmocka_unit_test(DnsEndPointTest_Ctor_ToString_Equals),
        cmocka_unit_test(UnixDomainSocketTest_UnixDomainSocketEndPoint_InvalidPaths_Throws),
        cmocka_unit_test(UnixDomainSocketTest_AbstractName_ToString_Equals),
        cmocka_unit_test(serialize_create_roundtrip),
        cmocka_unit_test(bound_file_hook),
        cmocka_unit_test(GetHostAddressesTest_Literals_And_Arguments),
        cmocka_unit_test(GetHostAddressesTest_ValidateHostName_Lengths),
        cmocka_unit_test(GetHostAddressesTest_Localhost),
        cmocka_unit_test(GetHostEntryTest_Localhost),
        cmocka_unit_test(GetHostAddressesTest_UnknownHost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
