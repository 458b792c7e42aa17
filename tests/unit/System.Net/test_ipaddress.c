/*
 * IPAddress, ported from dotnet/runtime src/libraries/System.Net.Primitives/tests/FunctionalTests:
 * IPAddressParsing.cs (IPAddressParsingFormatting: the valid and invalid IPv4 / IPv6 tables and
 * their ToString) and IPAddressTest.cs.
 */
#include "sp_test.h"

#include "ipaddress_cases.h"

#include <ctype.h>
#include <errno.h>

static char *lower(const char *s)
{
    char *r = strdup(s);
    for (char *p = r; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return r;
}

static void assert_tostring(const IPAddress *a, const char *expected, const char *input)
{
    char *s = IPAddress_ToString(a);
    assert_non_null(s);
    if (strcmp(s, expected) != 0)
        fail_msg("Parse(\"%s\").ToString() is \"%s\", expected \"%s\"", input, s, expected);
    String_Free(s);
}

/* ParseInvalidAddress: FormatException with .NET's text from Parse; TryParse false and NULL. */
static void assert_invalid(const char *input)
{
    IPAddress *a = IPAddress_Parse(input);
    if (a) {
        char *s = IPAddress_ToString(a);
        fail_msg("Parse(\"%s\") succeeded: \"%s\"", input, s);
    }
    /* ParseInvalidAddress(hasInnerSocketException: true), as .NET Core has it for every input:
     * SocketException InvalidArgument, with the OS's code (as .NET 10 on Linux: 22, "Invalid
     * argument") */
    const Exception *inner = Exception_get_InnerException(Exception_get_Current());
    if (!inner || Exception_get_Type(inner) != ExceptionType_SocketException ||
        SocketException_get_SocketErrorCode(inner) != SocketError_InvalidArgument)
        fail_msg("Parse(\"%s\"): no inner SocketException(InvalidArgument)", input);
#ifdef _WIN32
    assert_int_equal(Exception_get_NativeErrorCode(inner), 10022);
#else
    assert_int_equal(Exception_get_NativeErrorCode(inner), EINVAL);
    assert_string_equal(Exception_get_Message(inner), "Invalid argument");
#endif
    assert_null(Exception_get_InnerException(inner));
    EXPECT_EXC_MSG(FormatException, "An invalid IP address was specified.");
    IPAddress *r = IPAddress_Loopback;
    assert_false(IPAddress_TryParse(input, &r));
    assert_null(r);
    EXPECT_NO_EXC();
}

/* IPAddressParsing.cs: IPAddressParsingFormatting_String.Parse_Null_Throws */
static void IPAddressParsing_Parse_Null_Throws(void **state)
{
    (void)state;
    assert_null(IPAddress_Parse(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("ipString");
    IPAddress *a = IPAddress_Loopback;
    assert_false(IPAddress_TryParse(NULL, &a));
    assert_null(a);
    EXPECT_NO_EXC();
}

/* IPAddressParsing.cs: ParseIPv4_ValidAddress_Success (and ToString_MatchesExpected, TryParse) */
static void IPAddressParsing_ParseIPv4_ValidAddress_Success(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv4); i++) {
        const sp_addr_case *c = &sp_valid_ipv4[i];
        IPAddress *ip = IPAddress_Parse(c->input);
        if (!ip)
            fail_msg("Parse(\"%s\") failed", c->input);
        assert_tostring(ip, c->expected, c->input);
        assert_int_equal(IPAddress_get_AddressFamily(ip), AddressFamily_InterNetwork);
        char *s = IPAddress_ToString(ip);
        IPAddress *ip2 = IPAddress_Parse(s);
        assert_non_null(ip2);
        assert_true(IPAddress_Equals(ip, ip2));
        assert_int_equal(IPAddress_GetHashCode(ip), IPAddress_GetHashCode(ip2));
        IPAddress *ip3 = NULL;
        assert_true(IPAddress_TryParse(c->input, &ip3));
        assert_true(IPAddress_Equals(ip, ip3));
        String_Free(s);
        Dispose(ip);
        Dispose(ip2);
        Dispose(ip3);
    }
}

/* IPAddressParsing.cs: ParseIPv4_InvalidAddress_Failure and
 * ParseIPv4_InvalidAddress_ThrowsFormatExceptionWithInnerException (assert_invalid checks the inner exception) */
static void IPAddressParsing_ParseIPv4_InvalidAddress_Failure(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv4); i++)
        assert_invalid(sp_invalid_ipv4[i]);
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv4_standalone); i++)
        assert_invalid(sp_invalid_ipv4_standalone[i]);
}

/* IPAddressParsing.cs: ParseIPv6_ValidAddress_RoundtripMatchesExpected and
 * TryParseIPv6_ValidAddress_RoundtripMatchesExpected */
static void IPAddressParsing_ParseIPv6_ValidAddress_RoundtripMatchesExpected(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv6); i++) {
        const sp_addr_case *c = &sp_valid_ipv6[i];
        char *expected = lower(c->expected);
        IPAddress *ip = NULL;
        if (!IPAddress_TryParse(c->input, &ip))
            fail_msg("TryParse(\"%s\") failed", c->input);
        assert_tostring(ip, expected, c->input);
        assert_int_equal(IPAddress_get_AddressFamily(ip), AddressFamily_InterNetworkV6);
        char *s = IPAddress_ToString(ip);
        IPAddress *ip2 = IPAddress_Parse(s);
        assert_non_null(ip2);
        assert_true(IPAddress_Equals(ip, ip2));
        if (c->input[0] != '[') {
            char bracketed[128];
            snprintf(bracketed, sizeof bracketed, "[%s]", c->input);
            IPAddress *ip3 = IPAddress_Parse(bracketed);
            if (!ip3)
                fail_msg("Parse(\"%s\") failed", bracketed);
            assert_tostring(ip3, expected, bracketed);
            Dispose(ip3);
        }
        String_Free(s);
        free(expected);
        Dispose(ip);
        Dispose(ip2);
    }
}

/* IPAddressParsing.cs: ParseIPv6_ExtractsScopeId */
static void IPAddressParsing_ParseIPv6_ExtractsScopeId(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_scope_ids); i++) {
        IPAddress *ip = IPAddress_Parse(sp_scope_ids[i].input);
        assert_non_null(ip);
        ASSERT_I64(IPAddress_get_ScopeId(ip), sp_scope_ids[i].scope);
        Dispose(ip);
    }
}

/* IPAddressParsing.cs: ParseIPv6_InvalidAddress_ThrowsFormatException (with the IPv4-derived
 * cases) and ParseIPv6_InvalidAddress_ThrowsFormatExceptionWithNoInnerExceptionInNetfx */
static void IPAddressParsing_ParseIPv6_InvalidAddress_ThrowsFormatException(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv6); i++)
        assert_invalid(sp_invalid_ipv6[i]);
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv4); i++)
        for (size_t p = 0; p < SP_COUNT(sp_invalid_ipv6_prefixes); p++) {
            char s[160];
            snprintf(s, sizeof s, "%s%s", sp_invalid_ipv6_prefixes[p], sp_invalid_ipv4[i]);
            assert_invalid(s);
        }
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv6_no_inner); i++)
        assert_invalid(sp_invalid_ipv6_no_inner[i]);
}

/* IPAddressTest.cs: Ctor_Long_Success */
static void IPAddressTest_Ctor_Long_Success(void **state)
{
    (void)state;
    static const struct {
        uint32_t address;
        uint8_t bytes[4];
    } cases[] = {{0, {0, 0, 0, 0}},
                 {0xFFFFFFFFu, {0xFF, 0xFF, 0xFF, 0xFF}},
                 {0x8f181424u, {0x8f, 0x18, 0x14, 0x24}},
                 {0xFF000000u, {0xFF, 0, 0, 0}},
                 {0xFF00FF00u, {0xFF, 0, 0xFF, 0}},
                 {0x00FF00FFu, {0, 0xFF, 0, 0xFF}}};
    for (size_t i = 0; i < SP_COUNT(cases); i++) {
        int64_t v = (uint32_t)IPAddress_HostToNetworkOrderInt32((int32_t)cases[i].address);
        IPAddress *ip = IPAddress_new(v);
        assert_non_null(ip);
        int32_t n = 0;
        uint8_t *b = IPAddress_GetAddressBytes(ip, &n);
        ASSERT_BYTES(b, n, cases[i].bytes, 4);
        assert_int_equal(IPAddress_get_AddressFamily(ip), AddressFamily_InterNetwork);
        Array_Free(b);
        Dispose(ip);
    }
}

/* IPAddressTest.cs: Ctor_Long_Invalid (messages as .NET 10 words them) */
static void IPAddressTest_Ctor_Long_Invalid(void **state)
{
    (void)state;
    assert_null(IPAddress_new((int64_t)-1));
    EXPECT_EXC_MSG(ArgumentOutOfRangeException,
                   "newAddress ('18446744073709551615') must be less than or equal to '4294967295'. (Parameter "
                   "'newAddress')\nActual value was 18446744073709551615.");
    EXPECT_PARAM("newAddress");
    assert_null(IPAddress_new((int64_t)0x100000000ll));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("newAddress");
}

static const uint8_t v6bytes1[16] = {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80,
                                     0x90, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16};
static const uint8_t v6bytes2[16] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                     0x09, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16};

/* IPAddressTest.cs: Ctor_Bytes_Success, Ctor_Bytes_Invalid */
static void IPAddressTest_Ctor_Bytes(void **state)
{
    (void)state;
    static const uint8_t v4[4] = {0x8f, 0x18, 0x14, 0x24};
    const struct {
        const uint8_t *b;
        int32_t n;
        AddressFamily f;
    } cases[] = {{v4, 4, AddressFamily_InterNetwork},
                 {v6bytes1, 16, AddressFamily_InterNetworkV6},
                 {v6bytes2, 16, AddressFamily_InterNetworkV6}};
    for (size_t i = 0; i < SP_COUNT(cases); i++) {
        IPAddress *ip = IPAddress_new(cases[i].b, cases[i].n);
        assert_non_null(ip);
        int32_t n = 0;
        uint8_t *b = IPAddress_GetAddressBytes(ip, &n);
        ASSERT_BYTES(b, n, cases[i].b, cases[i].n);
        assert_int_equal(IPAddress_get_AddressFamily(ip), cases[i].f);
        Array_Free(b);
        Dispose(ip);
    }
    assert_null(IPAddress_newFromBytes(NULL, 4));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("address");
    static const uint8_t three[3] = {1, 1, 2};
    assert_null(IPAddress_newFromBytes(three, 3));
    EXPECT_EXC_MSG(ArgumentException, "An invalid IP address was specified. (Parameter 'address')");
    EXPECT_PARAM("address");
}

/* IPAddressTest.cs: Ctor_BytesScopeId_Success, Ctor_BytesScopeId_Invalid */
static void IPAddressTest_Ctor_BytesScopeId(void **state)
{
    (void)state;
    const int64_t scopes[] = {0, 0xFFFFFFFFll, 500};
    for (size_t i = 0; i < SP_COUNT(scopes); i++)
        for (int k = 0; k < 2; k++) {
            const uint8_t *bytes = k ? v6bytes2 : v6bytes1;
            IPAddress *ip = IPAddress_new(bytes, 16, scopes[i]);
            assert_non_null(ip);
            int32_t n = 0;
            uint8_t *b = IPAddress_GetAddressBytes(ip, &n);
            ASSERT_BYTES(b, n, bytes, 16);
            ASSERT_I64(IPAddress_get_ScopeId(ip), scopes[i]);
            assert_int_equal(IPAddress_get_AddressFamily(ip), AddressFamily_InterNetworkV6);
            Array_Free(b);
            Dispose(ip);
        }
    assert_null(IPAddress_newFromBytesWithScopeId(NULL, 16, 500));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("address");
    static const uint8_t three[3] = {1, 1, 2};
    assert_null(IPAddress_newFromBytesWithScopeId(three, 3, 500));
    EXPECT_EXC(ArgumentException);
    EXPECT_PARAM("address");
    assert_null(IPAddress_newFromBytesWithScopeId(v6bytes1, 16, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("scopeid");
    assert_null(IPAddress_newFromBytesWithScopeId(v6bytes1, 16, 0x100000000ll));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("scopeid");
}

/* IPAddressTest.cs: ScopeId_GetSet_Success, ScopeId_Set_Invalid, ScopeId_Throws_SocketException_IPv4Message
 * (SocketErrorCode; the text is the OS's, as .NET 10 gives it) */
static void IPAddressTest_ScopeId(void **state)
{
    (void)state;
    IPAddress *ip = IPAddress_new(v6bytes1, 16);
    ASSERT_I64(IPAddress_get_ScopeId(ip), 0);
    assert_true(IPAddress_set_ScopeId(ip, 700));
    ASSERT_I64(IPAddress_get_ScopeId(ip), 700);
    assert_true(IPAddress_set_ScopeId(ip, 700));
    assert_false(IPAddress_set_ScopeId(ip, -1));
    EXPECT_EXC_MSG(ArgumentOutOfRangeException,
                   "value ('-1') must be a non-negative value. (Parameter 'value')\nActual value was -1.");
    assert_false(IPAddress_set_ScopeId(ip, 0x100000000ll));
    EXPECT_EXC_MSG(ArgumentOutOfRangeException, "value ('4294967296') must be less than or equal to '4294967295'. "
                                                "(Parameter 'value')\nActual value was 4294967296.");
    Dispose(ip);

    ip = IPAddress_Parse("192.168.0.9");
    assert_false(IPAddress_set_ScopeId(ip, 500));
    EXPECT_EXC(SocketException);
    assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), 10045);
    ASSERT_I64(IPAddress_get_ScopeId(ip), 0);
    EXPECT_EXC(SocketException);
    assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), 10045);
    Dispose(ip);
}

/* IPAddressTest.cs: HostToNetworkOrder_Compare_Equal (a little-endian machine) */
static void IPAddressTest_HostToNetworkOrder_Compare_Equal(void **state)
{
    (void)state;
    ASSERT_I64(IPAddress_HostToNetworkOrder((int64_t)0x1350), 0x5013000000000000ll);
    ASSERT_I64(IPAddress_HostToNetworkOrder((int64_t)0x0123456789ABCDEFll), (int64_t)0xEFCDAB8967452301ull);
    assert_int_equal(IPAddress_HostToNetworkOrder((int32_t)0x1350), 0x50130000);
    assert_int_equal(IPAddress_HostToNetworkOrder((int32_t)0x01234567), 0x67452301);
    assert_int_equal(IPAddress_HostToNetworkOrder((int16_t)0x1350), 0x5013);
    ASSERT_I64(IPAddress_NetworkToHostOrder((int64_t)0x5013000000000000ll), 0x1350);
    assert_int_equal(IPAddress_NetworkToHostOrder((int32_t)0x50130000), 0x1350);
    assert_int_equal(IPAddress_NetworkToHostOrder((int16_t)0x5013), 0x1350);
}

/* IPAddressTest.cs: IsLoopback_Get_Success, IsLooback_Get_Invalid */
static void IPAddressTest_IsLoopback(void **state)
{
    (void)state;
    IPAddress *ip = IPAddress_Parse("192.168.0.9");
    assert_false(IPAddress_IsLoopback(ip));
    Dispose(ip);
    int32_t n;
    uint8_t *b = IPAddress_GetAddressBytes(IPAddress_Loopback, &n);
    ip = IPAddress_new(b, n);
    assert_true(IPAddress_IsLoopback(ip));
    Dispose(ip);
    Array_Free(b);
    ip = IPAddress_new(v6bytes1, 16);
    assert_false(IPAddress_IsLoopback(ip));
    Dispose(ip);
    b = IPAddress_GetAddressBytes(IPAddress_IPv6Loopback, &n);
    ip = IPAddress_new(b, n);
    assert_true(IPAddress_IsLoopback(ip));
    Dispose(ip);
    Array_Free(b);
    IPAddress *mapped = IPAddress_MapToIPv6(IPAddress_Loopback);
    b = IPAddress_GetAddressBytes(mapped, &n);
    ip = IPAddress_new(b, n);
    assert_true(IPAddress_IsLoopback(ip));
    Dispose(ip);
    Dispose(mapped);
    Array_Free(b);
    assert_false(IPAddress_IsLoopback(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("address");
}

/* IPAddressTest.cs: IsIPV6Multicast_Get_Success, IsIPV6LinkLocal_Get_Success, IsIPV6SiteLocal_Get_Success,
 * IsIPV6Teredo_Get_Success, IsIPv6UniqueLocal_Get_Success */
static void IPAddressTest_IPv6_Kinds(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool (*get)(const IPAddress *);
    } yes[] = {{"ff02::1", IPAddress_get_IsIPv6Multicast},
               {"fe80::1", IPAddress_get_IsIPv6LinkLocal},
               {"FEC0::1", IPAddress_get_IsIPv6SiteLocal},
               {"2001::1", IPAddress_get_IsIPv6Teredo},
               {"FC00::1", IPAddress_get_IsIPv6UniqueLocal}};
    IPAddress *fe08 = IPAddress_Parse("Fe08::1"), *v4 = IPAddress_Parse("192.168.0.9");
    for (size_t i = 0; i < SP_COUNT(yes); i++) {
        IPAddress *ip = IPAddress_Parse(yes[i].s);
        assert_true(yes[i].get(ip));
        assert_false(yes[i].get(fe08));
        assert_false(yes[i].get(v4));
        Dispose(ip);
    }
    Dispose(fe08);
    Dispose(v4);
}

/* IPAddressTest.cs: Equals_Compare_Success */
static void IPAddressTest_Equals_Compare_Success(void **state)
{
    (void)state;
    IPAddress *ip1 = IPAddress_Parse("192.168.0.9"), *ip2 = IPAddress_Parse("192.168.0.9"),
              *ip3 = IPAddress_Parse("169.192.1.10");
    IPAddress *ip4 = IPAddress_new(v6bytes1, 16), *ip5 = IPAddress_new(v6bytes1, 16),
              *ip6 = IPAddress_new(v6bytes2, 16);
    assert_true(IPAddress_Equals(ip1, ip2));
    assert_true(IPAddress_Equals(ip2, ip1));
    assert_int_equal(IPAddress_GetHashCode(ip1), IPAddress_GetHashCode(ip2));
    assert_int_not_equal(IPAddress_GetHashCode(ip1), IPAddress_GetHashCode(ip3));
    assert_false(IPAddress_Equals(ip1, ip3));
    assert_false(IPAddress_Equals(ip1, ip4));
    assert_false(IPAddress_Equals(ip1, NULL));
    EXPECT_NO_EXC();
    assert_true(IPAddress_Equals(ip4, ip5));
    assert_false(IPAddress_Equals(ip4, ip6));
    assert_int_equal(IPAddress_GetHashCode(ip4), IPAddress_GetHashCode(ip5));
    assert_int_not_equal(IPAddress_GetHashCode(ip4), IPAddress_GetHashCode(ip6));
    Dispose(ip1);
    Dispose(ip2);
    Dispose(ip3);
    Dispose(ip4);
    Dispose(ip5);
    Dispose(ip6);
}

/* IPAddressTest.cs: GetHashCode_ValidIPAddresses_Success */
static void IPAddressTest_GetHashCode_ValidIPAddresses_Success(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv4) + SP_COUNT(sp_valid_ipv6); i++) {
        const char *s =
            i < SP_COUNT(sp_valid_ipv4) ? sp_valid_ipv4[i].input : sp_valid_ipv6[i - SP_COUNT(sp_valid_ipv4)].input;
        IPAddress *ip = IPAddress_Parse(s);
        assert_non_null(ip);
        int32_t n;
        uint8_t *b = IPAddress_GetAddressBytes(ip, &n);
        IPAddress *clone = IPAddress_get_AddressFamily(ip) == AddressFamily_InterNetworkV6
                               ? IPAddress_new(b, n, IPAddress_get_ScopeId(ip))
                               : IPAddress_new(b, n);
        assert_int_equal(IPAddress_GetHashCode(ip), IPAddress_GetHashCode(ip));
        assert_int_equal(IPAddress_GetHashCode(ip), IPAddress_GetHashCode(clone));
        Array_Free(b);
        Dispose(ip);
        Dispose(clone);
    }
}

/* IPAddressTest.cs: Address_Property_Failure, Address_Property_Success, Address_ReadOnlyStatics_Set_Failure
 * (.NET 10: SocketException OperationNotSupported, checked against 10.0) */
static void IPAddressTest_Address_Property(void **state)
{
    (void)state;
    IPAddress *ip = IPAddress_Parse("fe80::200:f8ff:fe21:67cf");
    ASSERT_I64(IPAddress_get_Address(ip), 0);
    EXPECT_EXC(SocketException);
    assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), 10045);
    Dispose(ip);
    IPAddress *ip1 = IPAddress_Parse("192.168.0.9"), *ip2 = IPAddress_Parse("169.192.1.10");
    assert_true(IPAddress_set_Address(ip1, IPAddress_get_Address(ip2)));
    assert_true(IPAddress_Equals(ip1, ip2));
    assert_int_equal(IPAddress_GetHashCode(ip1), IPAddress_GetHashCode(ip2));
    Dispose(ip1);
    Dispose(ip2);
    IPAddress *statics[] = {IPAddress_Any, IPAddress_Broadcast, IPAddress_Loopback, IPAddress_None};
    for (size_t i = 0; i < SP_COUNT(statics); i++) {
        assert_false(IPAddress_set_Address(statics[i], 0xFFFFFFFEll));
        EXPECT_EXC(SocketException);
        assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), 10045);
    }
    IPAddress *statics6[] = {IPAddress_IPv6Any, IPAddress_IPv6Loopback, IPAddress_IPv6None};
    for (size_t i = 0; i < SP_COUNT(statics6); i++) {
        assert_false(IPAddress_set_ScopeId(statics6[i], 1));
        EXPECT_EXC(SocketException);
        assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), 10045);
    }
    ASSERT_I64(IPAddress_get_ScopeId(IPAddress_IPv6Any), 0);
}

/* sharpipc's own: the shared static addresses, their texts, and Dispose on them is harmless */
static void statics_are_shared(void **state)
{
    (void)state;
    assert_tostring(IPAddress_Any, "0.0.0.0", "Any");
    assert_tostring(IPAddress_Loopback, "127.0.0.1", "Loopback");
    assert_tostring(IPAddress_Broadcast, "255.255.255.255", "Broadcast");
    assert_tostring(IPAddress_None, "255.255.255.255", "None");
    assert_tostring(IPAddress_IPv6Any, "::", "IPv6Any");
    assert_tostring(IPAddress_IPv6Loopback, "::1", "IPv6Loopback");
    assert_tostring(IPAddress_IPv6None, "::", "IPv6None");
    assert_ptr_equal(IPAddress_Loopback, IPAddress_Loopback);
    for (int i = 0; i < 3; i++) {
        assert_true(Dispose(IPAddress_Loopback));
        assert_true(Dispose(IPAddress_IPv6Any));
    }
    assert_tostring(IPAddress_Loopback, "127.0.0.1", "Loopback after Dispose");
    assert_non_null(Object_Retain(IPAddress_Loopback));
    Dispose(IPAddress_Loopback);
}

/* sharpipc's own: MapToIPv6 / MapToIPv4 (IPAddressMappingTest.cs's cases) */
static void IPAddressMappingTest_Map(void **state)
{
    (void)state;
    IPAddress *v4 = IPAddress_Parse("192.168.1.1");
    IPAddress *v6 = IPAddress_MapToIPv6(v4);
    assert_tostring(v6, "::ffff:192.168.1.1", "MapToIPv6");
    assert_true(IPAddress_get_IsIPv4MappedToIPv6(v6));
    assert_false(IPAddress_get_IsIPv4MappedToIPv6(v4));
    IPAddress *back = IPAddress_MapToIPv4(v6);
    assert_true(IPAddress_Equals(back, v4));
    IPAddress *same = IPAddress_MapToIPv4(v4); /* .NET returns `this`: a reference the caller disposes */
    assert_ptr_equal(same, v4);
    Dispose(same);
    IPAddress *same6 = IPAddress_MapToIPv6(v6);
    assert_ptr_equal(same6, v6);
    Dispose(same6);
    IPAddress *lo = IPAddress_MapToIPv4(IPAddress_IPv6Loopback);
    assert_tostring(lo, "0.0.0.1", "::1 MapToIPv4");
    Dispose(lo);
    Dispose(back);
    Dispose(v6);
    Dispose(v4);
}

/* sharpipc's own: GetAddressBytes without a length, TryWriteBytes, and NULL / wrong objects */
static void bytes_and_bad_objects(void **state)
{
    (void)state;
    uint8_t *b = IPAddress_GetAddressBytes(IPAddress_Loopback);
    assert_non_null(b);
    assert_int_equal(b[0], 127);
    Array_Free(b);
    uint8_t buf[16];
    int32_t written = -1;
    assert_false(IPAddress_TryWriteBytes(IPAddress_IPv6Loopback, buf, 15, &written));
    EXPECT_NO_EXC();
    assert_int_equal(written, 0);
    assert_true(IPAddress_TryWriteBytes(IPAddress_IPv6Loopback, buf, 16, &written));
    assert_int_equal(written, 16);
    assert_int_equal(buf[15], 1);
    assert_null(IPAddress_ToString(NULL));
    EXPECT_EXC(ArgumentNullException);
    MemoryStream *ms = MemoryStream_new();
    assert_null(IPAddress_ToString((IPAddress *)ms));
    EXPECT_EXC(ArgumentException);
    Dispose(ms);
    assert_false(IPAddress_TryParse("1.2.3.4", NULL));
    EXPECT_EXC(ArgumentNullException);
}

/* IPAddressParsing.cs: IPAddressParsingFormatting_Span's TryFormat_ProvidedBufferTooSmall_Failure,
 * TryFormat_ProvidedBufferExactRightSize_Success, TryFormat_ProvidedBufferLargerThanNeeded_Success (UTF-8) */
static void IPAddressParsing_TryFormat(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv4) + SP_COUNT(sp_valid_ipv6); i++) {
        bool v4 = i < SP_COUNT(sp_valid_ipv4);
        const sp_addr_case *c = v4 ? &sp_valid_ipv4[i] : &sp_valid_ipv6[i - SP_COUNT(sp_valid_ipv4)];
        char *expected = lower(c->expected);
        IPAddress *ip = IPAddress_Parse(c->input);
        assert_non_null(ip);
        int32_t n = (int32_t)strlen(expected), written = -1;
        char buf[100];
        assert_false(IPAddress_TryFormat(ip, buf, n - 1, &written));
        assert_int_equal(written, 0);
        EXPECT_NO_EXC();
        assert_true(IPAddress_TryFormat(ip, buf, n, &written));
        assert_int_equal(written, n);
        assert_memory_equal(buf, expected, (size_t)n);
        memset(buf, 'z', sizeof buf);
        assert_true(IPAddress_TryFormat(ip, buf, n + 1, &written));
        assert_int_equal(written, n);
        assert_memory_equal(buf, expected, (size_t)n);
        assert_int_equal(buf[n], 'z');
        free(expected);
        Dispose(ip);
    }
}

/* IPAddressParsing.cs (IsValid): true exactly where Parse succeeds, over every table */
static void IPAddressParsing_IsValid(void **state)
{
    (void)state;
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv4); i++)
        assert_true(IPAddress_IsValid(sp_valid_ipv4[i].input));
    for (size_t i = 0; i < SP_COUNT(sp_valid_ipv6); i++)
        assert_true(IPAddress_IsValid(sp_valid_ipv6[i].input));
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv4); i++)
        assert_false(IPAddress_IsValid(sp_invalid_ipv4[i]));
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv6); i++)
        assert_false(IPAddress_IsValid(sp_invalid_ipv6[i]));
    for (size_t i = 0; i < SP_COUNT(sp_invalid_ipv6_no_inner); i++)
        assert_false(IPAddress_IsValid(sp_invalid_ipv6_no_inner[i]));
    assert_false(IPAddress_IsValid(NULL));
    EXPECT_NO_EXC();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(IPAddressParsing_Parse_Null_Throws),
        cmocka_unit_test(IPAddressParsing_ParseIPv4_ValidAddress_Success),
        cmocka_unit_test(IPAddressParsing_ParseIPv4_InvalidAddress_Failure),
        cmocka_unit_test(IPAddressParsing_ParseIPv6_ValidAddress_RoundtripMatchesExpected),
        cmocka_unit_test(IPAddressParsing_ParseIPv6_ExtractsScopeId),
        cmocka_unit_test(IPAddressParsing_ParseIPv6_InvalidAddress_ThrowsFormatException),
        cmocka_unit_test(IPAddressTest_Ctor_Long_Success),
        cmocka_unit_test(IPAddressTest_Ctor_Long_Invalid),
        cmocka_unit_test(IPAddressTest_Ctor_Bytes),
        cmocka_unit_test(IPAddressTest_Ctor_BytesScopeId),
        cmocka_unit_test(IPAddressTest_ScopeId),
        cmocka_unit_test(IPAddressTest_HostToNetworkOrder_Compare_Equal),
        cmocka_unit_test(IPAddressTest_IsLoopback),
        cmocka_unit_test(IPAddressTest_IPv6_Kinds),
        cmocka_unit_test(IPAddressTest_Equals_Compare_Success),
        cmocka_unit_test(IPAddressTest_GetHashCode_ValidIPAddresses_Success),
        cmocka_unit_test(IPAddressTest_Address_Property),
        cmocka_unit_test(statics_are_shared),
        cmocka_unit_test(IPAddressMappingTest_Map),
        cmocka_unit_test(bytes_and_bad_objects),
        cmocka_unit_test(IPAddressParsing_TryFormat),
        cmocka_unit_test(IPAddressParsing_IsValid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
