/*
 * System.Runtime.Remoting's wire layer against Mono's own bytes (mono_golden.h, recorded by
 * tests/mono/capture.py from Mono 6.8's client and server): the C client must send exactly what
 * Mono's client sends for the same calls, and read every reply Mono's server sent. Then hostile
 * bodies and frames (RPC-API.md 4's limits). sharpipc's own: no dotnet/runtime test covers
 * Remoting (it is .NET Framework only); the hostile cases follow System.Formats.Nrbf's tests
 * (src/libraries/System.Formats.Nrbf/tests: InvalidInputTests.cs, EdgeCaseTests.cs).
 */
#include "sp_test.h"

#include "System.Runtime.Remoting/remoting.h"

#include "sp_process.h"

#include "platform/platform.h"

#include "mono_golden.h"

#define TYPE_NAME "MyRemoteObject, MyAssembly, Version=0.0.0.0, Culture=neutral, PublicKeyToken=null"
#define POINT_NAME "Point, MyAssembly, Version=0.0.0.0, Culture=neutral, PublicKeyToken=null"

typedef struct Point {
    int32_t X;
    int32_t Y;
} Point;
SHARPIPC_SERIALIZABLE(Point, POINT_NAME, (Int32, X), (Int32, Y))

static const struct mono_golden_frame *golden_request(int k)
{
    for (size_t i = 0; i < sizeof mono_golden / sizeof mono_golden[0]; i++)
        if (mono_golden[i].request && k-- == 0)
            return &mono_golden[i];
    fail_msg("no request %d", k);
    return NULL;
}

static const struct mono_golden_frame *golden_reply(int k)
{
    for (size_t i = 0; i < sizeof mono_golden / sizeof mono_golden[0]; i++)
        if (!mono_golden[i].request && k-- == 0)
            return &mono_golden[i];
    fail_msg("no reply %d", k);
    return NULL;
}

typedef struct mem_source {
    const uint8_t *p;
    size_t left;
} mem_source;

static bool mem_read(void *context, uint8_t *buffer, int32_t count)
{
    mem_source *m = context;
    if ((size_t)count > m->left) {
        sp_throw_sr(ExceptionType_RemotingException, SR_Remoting_TcpTransportError, NULL);
        return false;
    }
    memcpy(buffer, m->p, (size_t)count);
    m->p += count;
    m->left -= (size_t)count;
    return true;
}

static void assert_request(int k, const char *method, const Variant *args, int32_t count, bool one_way)
{
    char url[128];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d/MyRemoteObjectName", MONO_GOLDEN_PORT);
    sp_buf body = {0}, frame = {0};
    assert_true(sp_nrbf_write_call(&body, method, TYPE_NAME, args, count));
    assert_true(sp_nrtp_write_request(&frame, one_way, url, (int32_t)body.length));
    assert_true(sp_buf_append(&frame, body.data, body.length));
    const struct mono_golden_frame *g = golden_request(k);
    if (frame.length != g->length || memcmp(frame.data, g->bytes, g->length) != 0) {
        for (size_t i = 0; i < frame.length && i < g->length; i++)
            if (frame.data[i] != g->bytes[i]) {
                /* unsigned, not %zu: cmocka's print_error is checked (and formatted) as msvcrt's
                 * printf in the mingw build, which has no z; the frames are far below 4 GiB. */
                fail_msg("%s: request differs from Mono's at byte %u (%02x, Mono %02x; lengths %u, %u)", method,
                         (unsigned)i, frame.data[i], g->bytes[i], (unsigned)frame.length, (unsigned)g->length);
            }
        fail_msg("%s: request is %u bytes, Mono's %u", method, (unsigned)frame.length, (unsigned)g->length);
    }
    sp_buf_free(&body);
    sp_buf_free(&frame);
}

/* sharpipc's own: every request of RemotingPeer.cs's client, byte for byte as Mono sends it */
static void Remoting_RequestsAreMonos(void **state)
{
    (void)state;
    uint8_t bytes[] = {1, 2, 3, 0, 255};
    Point p = {1, 2};
    DateTime day = DateTime_new(638447615990000000, DateTimeKind_Utc); /* 2024-02-28T23:59:59Z */
    Decimal money;
    assert_true(Decimal_TryParse("1234567.89", &money));
    struct {
        const char *method;
        Variant args[3];
        int32_t count;
        bool one_way;
    } calls[] = {
        {"MyMethod", {{0}}, 0, false},
        {"Add", {Variant_FromInt32(2), Variant_FromInt32(3)}, 2, false},
        {"Echo", {Variant_FromString("hi")}, 1, false},
        {"Scale", {Variant_FromDouble(-1.5), Variant_FromDouble(4.25)}, 2, false},
        {"Big", {Variant_FromInt64(1ll << 40)}, 1, false},
        {"Not", {Variant_FromBoolean(true)}, 1, false},
        {"Reverse", {Variant_FromArray(VariantType_Byte, bytes, 5)}, 1, false},
        {"Squares", {Variant_FromInt32(4)}, 1, false},
        {"Split", {Variant_FromString("a,b\xC3\xA9,\xF0\x9F\x98\x80")}, 1, false},
        {"NextDay", {Variant_FromDateTime(day)}, 1, false},
        {"Twice", {Variant_FromTimeSpan(TimeSpan_FromTicks(37230000000))}, 1, false},
        {"AddCent", {Variant_FromDecimal(money)}, 1, false},
        {"Move", {Variant_FromObject(&Point_Type, &p), Variant_FromInt32(10), Variant_FromInt32(20)}, 3, false},
        {"Fail", {{0}}, 0, false},
        {"Fire", {Variant_FromInt32(7)}, 1, true},
        {"Nothing", {{0}}, 0, false},
        {"Echo", {Variant_FromString(NULL)}, 1, false},
        {"Calls", {{0}}, 0, false},
    };
    for (int k = 0; k < (int)(sizeof calls / sizeof calls[0]); k++)
        assert_request(k, calls[k].method, calls[k].args, calls[k].count, calls[k].one_way);
}

/* The reply k's body, read as the client does, into *result. */
static bool read_reply(int k, const ParameterInfo *want, Variant *result)
{
    const struct mono_golden_frame *g = golden_reply(k);
    mem_source m = {g->bytes, g->length};
    sp_nrtp_source src = {mem_read, &m};
    sp_nrtp_frame f;
    assert_true(sp_nrtp_read_frame(&src, &f));
    assert_int_equal(f.operation, SP_NRTP_REPLY);
    assert_int_equal(f.status_code, -1);
    assert_int_equal((size_t)f.content_length, m.left);
    sp_nrtp_frame_free(&f);
    return sp_nrbf_read_return(m.p, m.left, want, result);
}

/* sharpipc's own: every reply Mono's server sent, as values of the declared kinds */
static void Remoting_RepliesFromMono(void **state)
{
    (void)state;
    Variant r;
#define PI(t, e, o)                                                                                                    \
  {                                                                                                                    \
    NULL, VariantType_##t, VariantType_##e, o                                                                          \
  }
    const ParameterInfo i32 = PI(Int32, Empty, NULL), str = PI(String, Empty, NULL), dbl = PI(Double, Empty, NULL),
                        i64 = PI(Int64, Empty, NULL), boo = PI(Boolean, Empty, NULL), bytes = PI(Array, Byte, NULL),
                        ints = PI(Array, Int32, NULL), strs = PI(Array, String, NULL), dt = PI(DateTime, Empty, NULL),
                        ts = PI(TimeSpan, Empty, NULL), dec = PI(Decimal, Empty, NULL),
                        pt = PI(Object, Empty, &Point_Type);
    assert_true(read_reply(0, NULL, &r)); /* MyMethod: void */
    ASSERT_I64(r.type, VariantType_Empty);
    assert_true(read_reply(1, &i32, &r));
    ASSERT_I64(r.value.asInt32, 5);
    assert_true(read_reply(2, &str, &r));
    assert_string_equal(r.value.asString, "echo:hi");
    ASSERT_I64(r.length, 7);
    Variant_Clear(&r);
    assert_true(read_reply(3, &dbl, &r));
    assert_true(r.value.asDouble == -6.375);
    assert_true(read_reply(4, &i64, &r));
    ASSERT_I64(r.value.asInt64, 1ll << 41);
    assert_true(read_reply(5, &boo, &r));
    assert_false(r.value.asBoolean);
    assert_true(read_reply(6, &bytes, &r));
    ASSERT_I64(r.length, 5);
    ASSERT_I64(Array_get_Length(r.value.asArray), 5);
    assert_memory_equal(r.value.asArray, ((uint8_t[]){255, 0, 3, 2, 1}), 5);
    Variant_Clear(&r);
    assert_true(read_reply(7, &ints, &r));
    assert_memory_equal(r.value.asArray, ((int32_t[]){0, 1, 4, 9}), 16);
    Variant_Clear(&r);
    assert_true(read_reply(8, &strs, &r));
    ASSERT_I64(r.length, 3);
    assert_string_equal(((char *const *)r.value.asArray)[1], "b\xC3\xA9");
    assert_string_equal(((char *const *)r.value.asArray)[2], "\xF0\x9F\x98\x80");
    Variant_Clear(&r);
    assert_true(read_reply(9, &dt, &r));
    ASSERT_I64(DateTime_get_Ticks(r.value.asDateTime), 638447615990000000 + 864000000000);
    ASSERT_I64(DateTime_get_Kind(r.value.asDateTime), DateTimeKind_Utc);
    assert_true(read_reply(10, &ts, &r));
    ASSERT_I64(r.value.asTimeSpan.ticks, 2 * 37230000000);
    assert_true(read_reply(11, &dec, &r));
    char *text = Decimal_ToString(r.value.asDecimal);
    assert_string_equal(text, "1234567.90");
    String_Free(text);
    assert_true(read_reply(12, &pt, &r));
    ASSERT_I64(((Point *)r.value.asObject)->X, 11);
    ASSERT_I64(((Point *)r.value.asObject)->Y, 22);
    Variant_Clear(&r);
    /* Fail(): the server's exception is the pending one */
    assert_false(read_reply(13, NULL, &r));
    const Exception *e = Exception_get_Current();
    assert_true(Exception_Is(e, ExceptionType_InvalidOperationException));
    assert_string_equal(Exception_get_TypeName(e), "System.InvalidOperationException");
    assert_string_equal(Exception_get_Message(e), "boom");
    ASSERT_I64(Exception_get_HResult(e), (int32_t)0x80131509);
    assert_non_null(Exception_get_StackTrace(e));
    assert_non_null(strstr(Exception_get_StackTrace(e), "MyRemoteObject.Fail"));
    ASSERT_I64(r.type, VariantType_Empty);
    /* Nothing() and Echo(null): no return value is null for a string */
    assert_true(read_reply(14, &str, &r));
    ASSERT_I64(r.type, VariantType_Null);
    assert_true(read_reply(15, &str, &r));
    ASSERT_I64(r.type, VariantType_Null);
    assert_true(read_reply(16, &i32, &r));
    ASSERT_I64(r.value.asInt32, 17);
    /* the wrong declared kind: Mono's text */
    assert_false(read_reply(1, &str, &r));
    EXPECT_EXC_MSG(InvalidCastException, "Return value has an invalid type");
    assert_false(read_reply(14, &i32, &r));
    EXPECT_EXC(InvalidCastException);
    assert_false(read_reply(12, NULL, &r)); /* a struct needs its layout */
    EXPECT_EXC(InvalidCastException);
    /* undeclared: what arrives */
    assert_true(read_reply(7, NULL, &r));
    ASSERT_I64(r.type, VariantType_Array);
    ASSERT_I64(r.elementType, VariantType_Int32);
    Variant_Clear(&r);
}

/* sharpipc's own: an argument the writer cannot send is named by its index among the call's
 * arguments, also when it is an array or a struct written after the arguments array */
static void Remoting_UnsupportedArgument_NamesIt(void **state)
{
    (void)state;
    static const uint16_t chars[2] = {'a', 'b'};
    Variant args[3] = {Variant_FromInt32(7), Variant_FromString("x"), Variant_FromArray(VariantType_Char, chars, 2)};
    sp_buf b = {0};
    assert_false(sp_nrbf_write_call(&b, "M", "T, A", args, 3));
    EXPECT_EXC_MSG(ArgumentException,
                   "Argument 2 cannot be sent: its type is not one the Remoting client writes. (Parameter 'args')");
    sp_buf_free(&b);
}

/* ---------------------------------------------------------------- hostile bodies */

static sp_buf body_start(int32_t flags, int32_t root)
{
    sp_buf b = {0};
    uint8_t h[17] = {0};
    sp_put_u32(h + 1, (uint32_t)root);
    sp_put_u32(h + 5, root ? 0xFFFFFFFFu : 0);
    sp_put_u32(h + 9, 1);
    sp_buf_append(&b, h, 17);
    uint8_t m[5] = {22};
    sp_put_u32(m + 1, (uint32_t)flags);
    sp_buf_append(&b, m, 5);
    return b;
}

static void put32(sp_buf *b, uint32_t v)
{
    uint8_t p[4];
    sp_put_u32(p, v);
    sp_buf_append(b, p, 4);
}

static void expect_serialization(sp_buf *b, const char *label)
{
    Variant r;
    if (sp_nrbf_read_return(b->data, b->length, NULL, &r))
        fail_msg("%s: read", label);
    if (!Exception_Is(Exception_get_Current(), ExceptionType_SerializationException))
        fail_msg("%s: %s", label, Exception_get_Message(Exception_get_Current()));
    ASSERT_I64(r.type, VariantType_Empty);
    sp_buf_free(b);
}

/* InvalidInputTests.cs: the lengths, ids and nesting an attacker picks */
static void Remoting_HostileBodies(void **state)
{
    (void)state;
    /* memory stays bounded: nothing a peer declares is allocated (RLIMIT_AS, plain builds) */
    bool capped = sp_limit_memory(1024);
    print_message("%s: address space %s\n", __func__, capped ? "capped at +1 GiB" : "not capped here");
    const int32_t in_array = 0x1012;
    /* an array length of 2^31-1 with 3 bytes of elements: refused before anything is allocated */
    sp_buf b = body_start(in_array, 1);
    put32(&b, 0); /* (ArgsInline count 0) */
    sp_buf_push(&b, 15);
    put32(&b, 1);
    put32(&b, 0x7FFFFFFF);
    sp_buf_push(&b, 8);
    sp_buf_append(&b, "abc", 3);
    expect_serialization(&b, "primitive array 2^31-1");
    /* a string length of 2^31-1 */
    b = body_start(0x812, 0);
    sp_buf_append(&b, "\x12\xFF\xFF\xFF\xFF\x07xyz", 9);
    expect_serialization(&b, "string 2^31-1");
    /* a six-byte length */
    b = body_start(0x812, 0);
    sp_buf_append(&b, "\x12\xFF\xFF\xFF\xFF\xFF\x01", 7);
    expect_serialization(&b, "LPS of 6 bytes");
    /* object[] of 2^31-1 nulls (ObjectNullMultiple is 5 bytes for any count): declared, not stored */
    b = body_start(in_array, 1);
    put32(&b, 0);
    sp_buf_push(&b, 16);
    put32(&b, 1);
    put32(&b, 0x7FFFFFFF);
    sp_buf_push(&b, 14);
    put32(&b, 0x7FFFFFFF);
    sp_buf_push(&b, 11);
    Variant r;
    /* well formed: the return value (element 0) is null; nothing of the declared size was made */
    assert_true(sp_nrbf_read_return(b.data, b.length, NULL, &r));
    ASSERT_I64(r.type, VariantType_Null);
    sp_buf_free(&b);
    /* a string[] of 2^31-1 nulls as the return value (its C form would be 16 GiB of pointers, from
     * a 46-byte body): refused, declared or not, never allocated */
    for (int declared = 0; declared < 2; declared++) {
        b = body_start(0x1011, 1);
        sp_buf_push(&b, 16);
        put32(&b, 1);
        put32(&b, 1);
        sp_buf_push(&b, 17);
        put32(&b, 2);
        put32(&b, 0x7FFFFFFF);
        sp_buf_push(&b, 14);
        put32(&b, 0x7FFFFFFF);
        sp_buf_push(&b, 11);
        const ParameterInfo strings = {NULL, VariantType_Array, VariantType_String, NULL};
        assert_false(sp_nrbf_read_return(b.data, b.length, declared ? &strings : NULL, &r));
        EXPECT_EXC_MSG(SerializationException, "Invalid value: `Length`.");
        ASSERT_I64(r.type, VariantType_Empty);
        sp_buf_free(&b);
    }
    /* 100,000-deep nesting of object[1] in object[1] */
    b = body_start(in_array, 1);
    put32(&b, 0);
    for (int i = 1; i <= 100000; i++) {
        sp_buf_push(&b, 16);
        put32(&b, (uint32_t)i);
        put32(&b, 1);
    }
    sp_buf_push(&b, 11);
    expect_serialization(&b, "deep nesting");
    EXPECT_EXC_MSG(SerializationException, "The serialized data is nested more than 64 records deep.");
    /* a reference cycle: the array holds itself; read as a string[] it is of the wrong kind */
    b = body_start(in_array, 1);
    put32(&b, 0);
    sp_buf_push(&b, 16);
    put32(&b, 1);
    put32(&b, 1);
    sp_buf_push(&b, 9);
    put32(&b, 1);
    sp_buf_push(&b, 11);
    const ParameterInfo strs = {NULL, VariantType_Array, VariantType_String, NULL};
    assert_false(sp_nrbf_read_return(b.data, b.length, &strs, &r));
    EXPECT_EXC(InvalidCastException);
    assert_false(sp_nrbf_read_return(b.data, b.length, NULL, &r));
    EXPECT_EXC(InvalidCastException);
    sp_buf_free(&b);
    /* a reference to nothing */
    b = body_start(in_array, 1);
    put32(&b, 0);
    sp_buf_push(&b, 16);
    put32(&b, 1);
    put32(&b, 1);
    sp_buf_push(&b, 9);
    put32(&b, 42);
    sp_buf_push(&b, 11);
    expect_serialization(&b, "missing reference");
    /* a duplicate id */
    b = body_start(in_array, 1);
    put32(&b, 0);
    sp_buf_push(&b, 16);
    put32(&b, 1);
    put32(&b, 1);
    sp_buf_append(&b, "\x06\x01\x00\x00\x00\x01x", 7);
    sp_buf_push(&b, 11);
    expect_serialization(&b, "duplicate id");
    /* bytes after MessageEnd; a body cut short; MessageEnd missing; an unknown record */
    b = body_start(0x211, 0);
    sp_buf_append(&b, "\x0b\x0b", 2);
    expect_serialization(&b, "trailing data");
    b = body_start(0x812, 0);
    sp_buf_append(&b, "\x08\x01\x02", 3);
    expect_serialization(&b, "truncated");
    b = body_start(0x211, 0);
    expect_serialization(&b, "no MessageEnd");
    b = body_start(0x211, 0);
    sp_buf_append(&b, "\x63\x0b", 2);
    expect_serialization(&b, "record 99");
    /* bad UTF-8 in a string */
    b = body_start(0x812, 0);
    sp_buf_append(&b, "\x12\x02\xC3\x28\x0b", 5);
    expect_serialization(&b, "bad UTF-8");
    /* a class whose member count is 2^31-1 */
    b = body_start(in_array, 1);
    put32(&b, 0);
    sp_buf_append(&b, "\x04\x02\x00\x00\x00\x01P\xFF\xFF\xFF\x7F\x0b", 12);
    expect_serialization(&b, "member count");
    /* garbage */
    uint8_t junk[64];
    for (int i = 0; i < 64; i++)
        junk[i] = (uint8_t)(i * 37 + 11);
    assert_false(sp_nrbf_read_return(junk, sizeof junk, NULL, &r));
    EXPECT_EXC(SerializationException);
    assert_false(sp_nrbf_read_return(junk, 0, NULL, &r));
    EXPECT_EXC(SerializationException);
    sp_unlimit_memory();
}

/* sharpipc's own: frames an attacker picks (bad preamble, version, chunked, huge strings, too
 * many headers) are RemotingExceptions, the status-code error reply is read */
static void Remoting_HostileFrames(void **state)
{
    (void)state;
    struct {
        const char *label;
        const char *bytes;
        size_t length;
    } rows[] = {
        {"preamble", "HTTP/1.1 200 OK\r\n\r\n", 19},
        {"version", ".NET\x01\x01\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16},
        {"chunked", ".NET\x01\x00\x02\x00\x01\x00\x00\x00\x00\x00\x00\x00", 16},
        {"operation", ".NET\x01\x00\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16},
        {"counted string 2^31-1", ".NET\x01\x00\x02\x00\x00\x00\x04\x00\x00\x00\x03\x00\x01\x01\xFF\xFF\xFF\x7F", 22},
        {"string encoding 7", ".NET\x01\x00\x02\x00\x00\x00\x04\x00\x00\x00\x03\x00\x01\x07\x01\x00\x00\x00x", 23},
        {"header format 9", ".NET\x01\x00\x02\x00\x00\x00\x04\x00\x00\x00\x07\x00\x09", 17},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        mem_source m = {(const uint8_t *)rows[i].bytes, rows[i].length};
        sp_nrtp_source src = {mem_read, &m};
        sp_nrtp_frame f;
        assert_false(sp_nrtp_read_frame(&src, &f));
        EXPECT_EXC_AT(RemotingException, rows[i].label);
        if (i != 0 && strcmp(Exception_get_Message(Exception_get_Current()), "Unknown response message from server"))
            fail_msg("%s: %s", rows[i].label, Exception_get_Message(Exception_get_Current()));
    }
    /* 65 Custom headers */
    sp_buf b = {0};
    sp_buf_append(&b, ".NET\x01\x00\x02\x00\x00\x00\x00\x00\x00\x00", 14);
    for (int i = 0; i < 65; i++)
        sp_buf_append(&b, "\x01\x00\x01\x00\x00\x00\x00\x01\x00\x00\x00\x00", 12);
    sp_buf_append(&b, "\x00\x00", 2);
    mem_source m = {b.data, b.length};
    sp_nrtp_source src = {mem_read, &m};
    sp_nrtp_frame f;
    assert_false(sp_nrtp_read_frame(&src, &f));
    EXPECT_EXC(RemotingException);
    sp_buf_free(&b);
    /* .NET's error reply: StatusCode 1, StatusPhrase, CloseConnection */
    static const char error_reply[] = ".NET\x01\x00\x02\x00\x00\x00\x00\x00\x00\x00"
                                      "\x02\x00\x03\x01\x00"
                                      "\x03\x00\x01\x01\x04\x00\x00\x00oops"
                                      "\x05\x00\x00"
                                      "\x00\x00";
    m = (mem_source){(const uint8_t *)error_reply, sizeof error_reply - 1};
    assert_true(sp_nrtp_read_frame(&src, &f));
    ASSERT_I64(f.status_code, 1);
    assert_string_equal(f.status_phrase, "oops");
    assert_true(f.close_connection);
    sp_nrtp_frame_free(&f);
}

/* sharpipc's own: Activator.GetObject's URL checks, and the proxy's properties (no I/O) */
static void Remoting_GetObject(void **state)
{
    (void)state;
    RemoteObject *o = Activator_GetObject("T, A", "tcp://localhost:8085/Name");
    EXPECT_NO_EXC();
    assert_string_equal(RemoteObject_get_TypeName(o), "T, A");
    char *url = RemoteObject_get_Url(o);
    assert_string_equal(url, "tcp://localhost:8085/Name");
    String_Free(url);
    ASSERT_I64(RemoteObject_get_Timeout(o), -1);
    assert_true(RemoteObject_set_Timeout(o, 250));
    ASSERT_I64(RemoteObject_get_Timeout(o), 250);
    assert_false(RemoteObject_set_Timeout(o, -2));
    EXPECT_EXC(ArgumentOutOfRangeException);
    Dispose(o);
    o = Activator_GetObject("T, A", "tcp://[::1]:1/x");
    assert_non_null(o);
    Dispose(o);
    assert_null(Activator_GetObject("T, A", "http://localhost:8085/Name"));
    EXPECT_EXC_MSG(RemotingException, "Cannot create channel sink to connect to URL 'http://localhost:8085/Name'. An "
                                      "appropriate channel has probably not been registered.");
    const char *bad[] = {"tcp://",      "tcp://host/x",  "tcp://host:0/x", "tcp://host:65536/x",
                         "tcp://:80/x", "tcp://host:80x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(Activator_GetObject("T", bad[i]));
        EXPECT_EXC_AT(RemotingException, bad[i]);
    }
    assert_null(Activator_GetObject(NULL, "tcp://h:1/x"));
    EXPECT_EXC(ArgumentNullException);
    assert_null(Activator_GetObject("T", NULL));
    EXPECT_EXC(ArgumentNullException);
}

/* ---------------------------------------------------------------- hostile servers */

/* A fake server in a thread: one scenario per accepted connection. */
typedef struct fake {
    Socket *listener;
    int32_t port;
    sp_buf replies[16];
    bool silent[16];
    int count;
} fake;

static void frame_with_body(sp_buf *b, int32_t declared, const uint8_t *body, size_t length)
{
    uint8_t head[14] = {'.', 'N', 'E', 'T', 1, 0, 2, 0, 0, 0};
    sp_put_u32(head + 10, (uint32_t)declared);
    sp_buf_append(b, head, 14);
    sp_buf_append(b, "\0\0", 2);
    sp_buf_append(b, body, length);
}

static void serve(void *arg)
{
    fake *f = arg;
    for (int i = 0; i < f->count; i++) {
        Socket *c = Socket_Accept(f->listener);
        if (!c)
            return;
        uint8_t request[4096];
        Socket_Receive(c, request, 0, sizeof request, SocketFlags_None);
        if (f->replies[i].length)
            Socket_Send(c, f->replies[i].data, 0, (int32_t)f->replies[i].length, SocketFlags_None);
        if (f->silent[i]) /* until the client gives up */
            while (Socket_Receive(c, request, 0, sizeof request, SocketFlags_None) > 0) {
            }
        Dispose(c);
    }
}

/* the hostile servers: every call fails with an exception within its timeout */
static void Remoting_HostileServers(void **state)
{
    (void)state;
    /* memory stays bounded: nothing a peer declares is allocated (RLIMIT_AS, plain builds) */
    bool capped = sp_limit_memory(1024);
    print_message("%s: address space %s\n", __func__, capped ? "capped at +1 GiB" : "not capped here");
    fake f;
    memset(&f, 0, sizeof f);
    f.listener = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    IPEndPoint *ep = IPEndPoint_new(IPAddress_Loopback, 0);
    assert_true(Socket_Bind(f.listener, (EndPoint *)ep));
    Dispose(ep);
    assert_true(Socket_Listen(f.listener, 8));
    IPEndPoint *local = (IPEndPoint *)Socket_get_LocalEndPoint(f.listener);
    f.port = IPEndPoint_get_Port(local);
    Dispose(local);

    struct {
        const char *label;
        ExceptionType expected;
    } rows[16];
    int n = 0;
    sp_buf body;
    /* ContentLength 2^31-1 */
    frame_with_body(&f.replies[n], 0x7FFFFFFF, NULL, 0);
    rows[n++] = (typeof(rows[0])){"ContentLength 2^31-1", ExceptionType_RemotingException};
    /* a body cut short: 10 of 100 bytes, then the connection closes */
    frame_with_body(&f.replies[n], 100, (const uint8_t *)"0123456789", 10);
    rows[n++] = (typeof(rows[0])){"truncated body", ExceptionType_RemotingException};
    /* 100,000-deep nesting */
    body = body_start(0x1012, 1);
    put32(&body, 0);
    for (int i = 1; i <= 100000; i++) {
        sp_buf_push(&body, 16);
        put32(&body, (uint32_t)i);
        put32(&body, 1);
    }
    sp_buf_push(&body, 11);
    frame_with_body(&f.replies[n], (int32_t)body.length, body.data, body.length);
    sp_buf_free(&body);
    rows[n++] = (typeof(rows[0])){"deep nesting", ExceptionType_SerializationException};
    /* a string length of 2^31-1 */
    body = body_start(0x812, 0);
    sp_buf_append(&body, "\x12\xFF\xFF\xFF\xFF\x07xyz", 9);
    frame_with_body(&f.replies[n], (int32_t)body.length, body.data, body.length);
    sp_buf_free(&body);
    rows[n++] = (typeof(rows[0])){"string 2^31-1", ExceptionType_SerializationException};
    /* an array length of 2^31-1 */
    body = body_start(0x1012, 1);
    put32(&body, 0);
    sp_buf_push(&body, 15);
    put32(&body, 1);
    put32(&body, 0x7FFFFFFF);
    sp_buf_push(&body, 8);
    sp_buf_push(&body, 11);
    frame_with_body(&f.replies[n], (int32_t)body.length, body.data, body.length);
    sp_buf_free(&body);
    rows[n++] = (typeof(rows[0])){"array 2^31-1", ExceptionType_SerializationException};
    /* a reference cycle: the return value is an array holding itself */
    body = body_start(0x1012, 1);
    put32(&body, 0);
    sp_buf_push(&body, 16);
    put32(&body, 1);
    put32(&body, 1);
    sp_buf_push(&body, 9);
    put32(&body, 1);
    sp_buf_push(&body, 11);
    frame_with_body(&f.replies[n], (int32_t)body.length, body.data, body.length);
    sp_buf_free(&body);
    rows[n++] = (typeof(rows[0])){"reference cycle", ExceptionType_InvalidCastException};
    /* a bad preamble; garbage; silence */
    sp_buf_append(&f.replies[n], "HTTP/1.1 400 Bad Request\r\n\r\n", 28);
    rows[n++] = (typeof(rows[0])){"bad preamble", ExceptionType_RemotingException};
    for (int i = 0; i < 200; i++)
        sp_buf_push(&f.replies[n], (uint8_t)(i * 73 + 5));
    rows[n++] = (typeof(rows[0])){"garbage", ExceptionType_RemotingException};
    f.silent[n] = true;
    rows[n++] = (typeof(rows[0])){"silence", ExceptionType_TimeoutException};
    f.count = n;

    sp_thread *t = sp_thread_start(serve, &f);
    char url[96];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d/Evil", (int)f.port);
    RemoteObject *o = Activator_GetObject("Evil, Evil", url);
    assert_true(RemoteObject_set_Timeout(o, 1000));
    const ParameterInfo i32 = {"return", VariantType_Int32, VariantType_Empty, NULL};
    for (int i = 0; i < n; i++) {
        Variant args[] = {Variant_FromInt32(1), Variant_FromInt32(2)}, r;
        int64_t start = sp_os_now_ms();
        if (RemoteObject_InvokeMethod(o, "Add", args, 2, &i32, &r))
            fail_msg("%s: the call succeeded", rows[i].label);
        int64_t took = sp_os_now_ms() - start;
        const Exception *e = Exception_get_Current();
        if (!e || !Exception_Is(e, rows[i].expected))
            fail_msg("%s: %s: %s", rows[i].label, e ? Exception_get_TypeName(e) : "no exception",
                     e ? Exception_get_Message(e) : "");
        if (took > 5000)
            fail_msg("%s: took %lld ms", rows[i].label, (long long)took);
        ASSERT_I64(r.type, VariantType_Empty);
        sp_remoting_pool_clear(); /* the next scenario on a connection of its own */
    }
    Dispose(o);
    sp_thread_join(t);
    Dispose(f.listener);
    for (int i = 0; i < n; i++)
        sp_buf_free(&f.replies[i]);
    sp_unlimit_memory();
}

/* The proxy's timeout bounds the connect (RPC-API.md 4: connect + send + receive): a listener that
 * never accepts, its backlog filled, drops the next SYN, so a connect to it stays under way (the
 * OS's own connect would retry for about two minutes). sharpipc's own. */
static void Remoting_ConnectBoundedByTimeout(void **state)
{
    (void)state;
    Socket *listener = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    IPEndPoint *ep = IPEndPoint_new(IPAddress_Loopback, 0);
    assert_true(Socket_Bind(listener, (EndPoint *)ep));
    Dispose(ep);
    assert_true(Socket_Listen(listener, 0));
    IPEndPoint *local = (IPEndPoint *)Socket_get_LocalEndPoint(listener);
    int32_t port = IPEndPoint_get_Port(local);
    Dispose(local);
    /* fill the backlog: connect until one connect stays under way */
    Socket *fillers[16] = {0};
    int n = 0;
    bool full = false;
    while (n < 16 && !full) {
        Socket *f = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
        fillers[n++] = f;
        assert_true(Socket_set_Blocking(f, false));
        if (!Socket_ConnectAddress(f, IPAddress_Loopback, port))
            ASSERT_I64(SocketException_get_SocketErrorCode(Exception_get_Current()), SocketError_WouldBlock);
        full = !Socket_Poll(f, 300000, SelectMode_SelectWrite);
    }
    if (!full)
        fail_msg("the backlog never filled (%d connects completed)", n);

    char url[96];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d/NeverAccepts", (int)port);
    RemoteObject *o = Activator_GetObject("T, A", url);
    assert_true(RemoteObject_set_Timeout(o, 300));
    int64_t start = sp_os_now_ms();
    Variant r = RemoteObject_Invoke(o, "Add", 1, 2);
    int64_t took = sp_os_now_ms() - start;
    ASSERT_I64(r.type, VariantType_Empty);
    EXPECT_EXC(TimeoutException);
    if (took > 10000) /* the OS's connect gives up after about 127 s */
        fail_msg("the connect took %lld ms", (long long)took);
    Dispose(o);
    for (int i = 0; i < n; i++)
        Dispose(fillers[i]);
    Dispose(listener);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(Remoting_RequestsAreMonos), cmocka_unit_test(Remoting_RepliesFromMono),
        cmocka_unit_test(Remoting_HostileBodies),    cmocka_unit_test(Remoting_UnsupportedArgument_NamesIt),
        cmocka_unit_test(Remoting_HostileFrames),    cmocka_unit_test(Remoting_GetObject),
        cmocka_unit_test(Remoting_HostileServers),   cmocka_unit_test(Remoting_ConnectBoundedByTimeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
