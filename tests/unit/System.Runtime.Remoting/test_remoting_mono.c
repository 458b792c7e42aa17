/*
 * The C Remoting client against the real peer: the project's Mono TcpChannel server
 * (tests/mono/RemotingPeer.cs, compiled by CMake with mcs), started by this test on 127.0.0.1.
 * sharpipc's own (Remoting is .NET Framework/Mono only; dotnet/runtime has no tests of it).
 * SP_MONO and SP_MONO_PEER come from CMake; without mono the test is not built (CMake says so,
 * and CI=true fails the configure).
 * The mingw build cannot start mono from under wine: run_remoting_mono.cmake starts the peer
 * (`serve-until FILE`) beside it and passes FILE, where the peer writes its port; the test writes
 * FILE.done when it is finished, which ends the peer. The same calls then cross from Winsock
 * under wine to Mono on Linux over loopback TCP.
 */
#include <errno.h>
#include "sp_test.h"

#include "sp_process.h"

#include "core/internal.h"
#include "platform/platform.h"
#include "System.Runtime.Remoting/remoting.h"

#define TYPE_NAME "MyRemoteObject, MyAssembly"

typedef struct Point {
    int32_t X;
    int32_t Y;
} Point;
SHARPIPC_SERIALIZABLE(Point, "Point, MyAssembly", (Int32, X), (Int32, Y))

/* RPC-API.md 3's declaration, verbatim */
#define MyRemoteObject_MEMBERS(METHOD, ONEWAY)                                                                         \
  METHOD(Void, MyMethod)                                                                                               \
  METHOD(Int32, Add, (Int32, a), (Int32, b))                                                                           \
  METHOD(String, Echo, (String, s))                                                                                    \
  METHOD(Double, Scale, (Double, x), (Double, factor))                                                                 \
  METHOD(Int64, Big, (Int64, x))                                                                                       \
  METHOD(Boolean, Not, (Boolean, b))                                                                                   \
  METHOD(Array(Byte), Reverse, (Array(Byte), data))                                                                    \
  METHOD(Array(Int32), Squares, (Int32, n))                                                                            \
  METHOD(Array(String), Split, (String, s))                                                                            \
  METHOD(DateTime, NextDay, (DateTime, d))                                                                             \
  METHOD(TimeSpan, Twice, (TimeSpan, t))                                                                               \
  METHOD(Decimal, AddCent, (Decimal, m))                                                                               \
  METHOD(Struct(Point), Move, (Struct(Point), p), (Int32, dx), (Int32, dy))                                            \
  METHOD(Void, Fail)                                                                                                   \
  ONEWAY(Fire, (Int32, x))                                                                                             \
  METHOD(String, Nothing)                                                                                              \
  METHOD(Int32, Calls)
SHARPIPC_REMOTE_TYPE(MyRemoteObject, "MyRemoteObject, MyAssembly", MyRemoteObject_MEMBERS)

static sp_child *server;
static const char *port_file; /* the mingw build: the peer runs beside the test */
static int32_t port;
static char url[128];

/* A free loopback port (bound and released: the server takes it a moment later). */
static int32_t free_port(void)
{
    Socket *s = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    IPEndPoint *ep = IPEndPoint_new(IPAddress_Loopback, 0);
    assert_true(Socket_Bind(s, (EndPoint *)ep));
    IPEndPoint *local = (IPEndPoint *)Socket_get_LocalEndPoint(s);
    int32_t p = IPEndPoint_get_Port(local);
    Dispose(local);
    Dispose(ep);
    Dispose(s);
    return p;
}

static int setup(void **state)
{
    (void)state;
    if (port_file) {
        /* the peer writes the file whole (a rename), once it listens: 60 s for a cold mono */
        port = sp_port_file_wait(port_file);
        if (port <= 0) {
            fprintf(stderr, "no port in %s: the Mono peer did not start\n", port_file);
            return -1;
        }
    } else {
#ifdef SP_MONO
        port = free_port();
        char port_text[16];
        snprintf(port_text, sizeof port_text, "%d", (int)port);
        const char *argv[] = {SP_MONO, SP_MONO_PEER, "server", port_text, NULL};
        server = sp_process_start(argv);
        if (!server) {
            fprintf(stderr, "cannot start %s %s\n", SP_MONO, SP_MONO_PEER);
            return -1;
        }
#else
        fprintf(stderr, "usage: test_remoting_mono PORTFILE (run_remoting_mono.cmake starts the peer)\n");
        return -1;
#endif
    }
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d/MyRemoteObjectName", (int)port);
    /* Mono needs a moment to listen: call until it answers (20 s at most) */
    RemoteObject *o = Activator_GetObject(TYPE_NAME, url);
    for (int i = 0; i < 400; i++) {
        Variant r = RemoteObject_Invoke(o, "Calls");
        if (r.type == VariantType_Int32)
            break;
        sp_sleep_ms(50);
    }
    Dispose(o);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sp_remoting_pool_clear();
    if (port_file) { /* ends the peer */
        char done[1024];
        snprintf(done, sizeof done, "%s.done", port_file);
        FILE *f = fopen(done, "wb");
        if (f)
            fclose(f);
    }
    if (server) {
        sp_child_kill(server);
        sp_child_free(server);
    }
    return 0;
}

static RemoteObject *proxy(void)
{
    RemoteObject *o = Activator_GetObject(TYPE_NAME, url);
    assert_non_null(o);
    assert_true(RemoteObject_set_Timeout(o, 20000));
    return o;
}

/* Every argument and result kind of RPC-API.md 3, through the dynamic layer. */
static void RemotingMono_EveryKind(void **state)
{
    (void)state;
    RemoteObject *o = proxy();
    Variant r = RemoteObject_Invoke(o, "MyMethod");
    EXPECT_NO_EXC();
    ASSERT_I64(r.type, VariantType_Empty);
    r = RemoteObject_Invoke(o, "Add", 2, 3);
    EXPECT_NO_EXC();
    ASSERT_I64(r.type, VariantType_Int32);
    ASSERT_I64(r.value.asInt32, 5);
    /* U+0000 and a non-BMP character travel as they are */
    const char nul[] = "a\0b\xF0\x9F\x98\x80";
    Variant arg = Variant_FromStringWithLength(nul, 7);
    assert_true(RemoteObject_InvokeMethod(o, "Echo", &arg, 1, NULL, &r));
    ASSERT_I64(r.length, 12);
    assert_memory_equal(r.value.asString, "echo:a\0b\xF0\x9F\x98\x80", 12);
    Variant_Clear(&r);
    r = RemoteObject_Invoke(o, "Scale", -1.5, 4.25);
    assert_true(r.type == VariantType_Double && r.value.asDouble == -6.375);
    r = RemoteObject_Invoke(o, "Big", (int64_t)1 << 40);
    ASSERT_I64(r.value.asInt64, (int64_t)1 << 41);
    r = RemoteObject_Invoke(o, "Not", (bool)true);
    assert_true(r.type == VariantType_Boolean && !r.value.asBoolean);
    uint8_t bytes[] = {1, 2, 3, 0, 255};
    r = RemoteObject_Invoke(o, "Reverse", Variant_FromArray(VariantType_Byte, bytes, 5));
    ASSERT_I64(r.type, VariantType_Array);
    ASSERT_I64(Array_get_Length(r.value.asArray), 5);
    assert_memory_equal(r.value.asArray, ((uint8_t[]){255, 0, 3, 2, 1}), 5);
    Variant_Clear(&r);
    r = RemoteObject_Invoke(o, "Reverse", Variant_FromArray(VariantType_Byte, bytes, 0));
    ASSERT_I64(r.type, VariantType_Array); /* empty is not null */
    ASSERT_I64(Array_get_Length(r.value.asArray), 0);
    Variant_Clear(&r);
    /* a null result comes as no return value: null where an array is declared, Empty undeclared */
    Variant null_bytes = Variant_FromArray(VariantType_Byte, NULL, 0);
    ParameterInfo byte_array = {"return", VariantType_Array, VariantType_Byte, NULL};
    assert_true(RemoteObject_InvokeMethod(o, "Reverse", &null_bytes, 1, &byte_array, &r));
    ASSERT_I64(r.type, VariantType_Null);
    r = RemoteObject_Invoke(o, "Reverse", null_bytes);
    EXPECT_NO_EXC();
    ASSERT_I64(r.type, VariantType_Empty);
    r = RemoteObject_Invoke(o, "Squares", 4);
    assert_memory_equal(r.value.asArray, ((int32_t[]){0, 1, 4, 9}), 16);
    Variant_Clear(&r);
    r = RemoteObject_Invoke(o, "Split", "a,b\xC3\xA9,");
    ASSERT_I64(r.length, 3);
    assert_string_equal(((char **)r.value.asArray)[1], "b\xC3\xA9");
    assert_string_equal(((char **)r.value.asArray)[2], "");
    Variant_Clear(&r);
    r = RemoteObject_Invoke(o, "NextDay", DateTime_new(638447615990000000, DateTimeKind_Utc));
    ASSERT_I64(DateTime_get_Ticks(r.value.asDateTime), 638447615990000000 + 864000000000);
    ASSERT_I64(DateTime_get_Kind(r.value.asDateTime), DateTimeKind_Utc);
    r = RemoteObject_Invoke(o, "Twice", TimeSpan_FromTicks(-5));
    ASSERT_I64(r.value.asTimeSpan.ticks, -10);
    r = RemoteObject_Invoke(o, "AddCent", Decimal_Parse("-0.01"));
    char *text = Decimal_ToString(r.value.asDecimal);
    assert_string_equal(text, "0.00");
    String_Free(text);
    Point p = {1, 2};
    Variant args[] = {Variant_FromObject(&Point_Type, &p), Variant_FromInt32(10), Variant_FromInt32(20)};
    ParameterInfo pt = {"return", VariantType_Object, VariantType_Empty, &Point_Type};
    assert_true(RemoteObject_InvokeMethod(o, "Move", args, 3, &pt, &r));
    ASSERT_I64(((Point *)r.value.asObject)->X, 11);
    ASSERT_I64(((Point *)r.value.asObject)->Y, 22);
    Variant_Clear(&r);
    ParameterInfo str = {"return", VariantType_String, VariantType_Empty, NULL};
    assert_true(RemoteObject_InvokeMethod(o, "Nothing", NULL, 0, &str, &r));
    ASSERT_I64(r.type, VariantType_Null);
    Variant null_arg = Variant_Null();
    assert_true(RemoteObject_InvokeMethod(o, "Echo", &null_arg, 1, &str, &r));
    ASSERT_I64(r.type, VariantType_Null);
    Dispose(o);
}

/* The server's exception is the pending one (RPC-API.md 4). */
static void RemotingMono_RemoteException(void **state)
{
    (void)state;
    RemoteObject *o = proxy();
    Variant r = RemoteObject_Invoke(o, "Fail");
    ASSERT_I64(r.type, VariantType_Empty);
    const Exception *e = Exception_get_Current();
    assert_non_null(e);
    assert_true(Exception_Is(e, ExceptionType_InvalidOperationException));
    assert_string_equal(Exception_get_TypeName(e), "System.InvalidOperationException");
    assert_string_equal(Exception_get_Message(e), "boom");
    ASSERT_I64(Exception_get_HResult(e), (int32_t)0x80131509);
    assert_non_null(strstr(Exception_get_StackTrace(e), "Fail"));
    char *s = Exception_ToString(e);
    assert_string_equal(s, "System.InvalidOperationException: boom");
    String_Free(s);
    r = RemoteObject_Invoke(o, "FailArgument", "who");
    e = Exception_get_Current();
    assert_true(Exception_Is(e, ExceptionType_ArgumentException));
    assert_string_equal(Exception_get_ParamName(e), "who");
    assert_string_equal(Exception_get_Message(e), "bad value (Parameter 'who')");
    /* a wrong argument type: Mono's own RemotingException, which the connection survives */
    r = RemoteObject_Invoke(o, "Add", "two", 3);
    EXPECT_EXC(RemotingException);
    r = RemoteObject_Invoke(o, "Add", 2, 3);
    ASSERT_I64(r.value.asInt32, 5);
    /* the wrong declared result kind */
    ParameterInfo str = {"return", VariantType_String, VariantType_Empty, NULL};
    Variant two[] = {Variant_FromInt32(1), Variant_FromInt32(1)};
    assert_false(RemoteObject_InvokeMethod(o, "Add", two, 2, &str, &r));
    EXPECT_EXC_MSG(InvalidCastException, "Return value has an invalid type");
    Dispose(o);
}

/* [OneWay]: returns once sent, and the next call does not wait for a reply Mono never sends. */
static void RemotingMono_OneWayAndCounter(void **state)
{
    (void)state;
    RemoteObject *o = proxy();
    Variant before = RemoteObject_Invoke(o, "Calls");
    ASSERT_I64(before.type, VariantType_Int32);
    Variant seven = Variant_FromInt32(7);
    assert_true(RemoteObject_InvokeOneWay(o, "Fire", &seven, 1));
    assert_true(RemoteObject_InvokeOneWay(o, "Fire", &seven, 1));
    RemoteObject_Invoke(o, "MyMethod");
    EXPECT_NO_EXC();
    /* the one-way calls run on the server's threads: wait for them */
    Variant fired = {0};
    for (int i = 0; i < 200; i++) {
        fired = RemoteObject_Invoke(o, "Fired");
        if (fired.value.asInt32 >= 14)
            break;
        sp_sleep_ms(10);
    }
    assert_true(fired.value.asInt32 >= 14);
    Variant after = RemoteObject_Invoke(o, "Calls");
    assert_true(after.value.asInt32 >= before.value.asInt32 + 3);
    Dispose(o);
}

/* localhost is tried at every address (the server binds 127.0.0.1 only); nothing listening is a
 * quick RemotingException "Connection refused"; an unknown URI is the server's RemotingException. */
static void RemotingMono_AddressesAndRefusal(void **state)
{
    (void)state;
    char local[128];
    snprintf(local, sizeof local, "tcp://localhost:%d/MyRemoteObjectName", (int)port);
    RemoteObject *o = Activator_GetObject(TYPE_NAME, local);
    Variant r = RemoteObject_Invoke(o, "Add", 40, 2);
    EXPECT_NO_EXC();
    ASSERT_I64(r.value.asInt32, 42);
    Dispose(o);

    char none[128];
    snprintf(none, sizeof none, "tcp://127.0.0.1:%d/MyRemoteObjectName", (int)free_port());
    o = Activator_GetObject(TYPE_NAME, none);
    int64_t start = sp_os_now_ms();
    RemoteObject_Invoke(o, "Add", 1, 2);
    EXPECT_EXC_MSG(RemotingException, "Connection refused");
    /* RPC-API.md 4: the OS's code for the refusal, though the connect was polled (SO_ERROR) */
#ifdef _WIN32
    ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), 10061); /* WSAECONNREFUSED */
#else
    ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), ECONNREFUSED);
#endif
    assert_true(sp_os_now_ms() - start < 5000);
    Dispose(o);

    snprintf(none, sizeof none, "tcp://127.0.0.1:%d/NoSuchObject", (int)port);
    o = Activator_GetObject(TYPE_NAME, none);
    RemoteObject_Invoke(o, "MyMethod");
    EXPECT_EXC(RemotingException);
    Dispose(o);
}

/* Many threads, one proxy: one call in flight per connection, connections pooled. */
typedef struct worker {
    RemoteObject *o;
    int failures;
    int base;
} worker;

static void work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < 50; i++) {
        Variant r = RemoteObject_Invoke(w->o, "Add", w->base, i);
        if (r.type != VariantType_Int32 || r.value.asInt32 != w->base + i)
            w->failures++;
    }
}

static void RemotingMono_Threads(void **state)
{
    (void)state;
    RemoteObject *o = proxy();
    worker w[4];
    sp_thread *t[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){o, 0, i * 1000};
        t[i] = sp_thread_start(work, &w[i]);
    }
    for (int i = 0; i < 4; i++) {
        sp_thread_join(t[i]);
        ASSERT_I64(w[i].failures, 0);
    }
    Dispose(o);
}

/* The seed's two lines, and every member through the typed proxy. */
static void RemotingMono_TypedProxy(void **state)
{
    (void)state;
    MyRemoteObject *remoteObject = (MyRemoteObject *)Activator_GetObject(MyRemoteObject_TypeName, url);
    assert_true(MyRemoteObject_MyMethod(remoteObject));
    ASSERT_I64(MyRemoteObject_Add(remoteObject, 2, 3), 5);
    char *s = MyRemoteObject_Echo(remoteObject, "hi");
    assert_string_equal(s, "echo:hi");
    String_Free(s);
    assert_null(MyRemoteObject_Echo(remoteObject, NULL));
    EXPECT_NO_EXC();
    assert_true(MyRemoteObject_Scale(remoteObject, -1.5, 4.25) == -6.375);
    ASSERT_I64(MyRemoteObject_Big(remoteObject, INT64_C(1) << 40), INT64_C(1) << 41);
    assert_true(MyRemoteObject_Not(remoteObject, false));
    int32_t n = -1;
    uint8_t *rev = MyRemoteObject_Reverse(remoteObject, (const uint8_t *)"\x01\x02\x03", 3, &n);
    ASSERT_I64(n, 3);
    assert_memory_equal(rev, "\x03\x02\x01", 3);
    Array_Free(rev);
    int32_t *sq = MyRemoteObject_Squares(remoteObject, 3, NULL);
    ASSERT_I64(Array_get_Length(sq), 3);
    ASSERT_I64(sq[2], 4);
    Array_Free(sq);
    char **parts = MyRemoteObject_Split(remoteObject, "x,y", &n);
    ASSERT_I64(n, 2);
    assert_string_equal(parts[1], "y");
    Array_Free(parts);
    DateTime d = MyRemoteObject_NextDay(remoteObject, DateTime_new(0, DateTimeKind_Local));
    ASSERT_I64(DateTime_get_Ticks(d), 864000000000);
    ASSERT_I64(DateTime_get_Kind(d), DateTimeKind_Local);
    ASSERT_I64(MyRemoteObject_Twice(remoteObject, TimeSpan_FromTicks(21)).ticks, 42);
    char *m = Decimal_ToString(MyRemoteObject_AddCent(remoteObject, Decimal_Parse("1234567.89")));
    assert_string_equal(m, "1234567.90");
    String_Free(m);
    Point p = {1, 2};
    p = MyRemoteObject_Move(remoteObject, p, 10, 20);
    ASSERT_I64(p.X, 11);
    ASSERT_I64(p.Y, 22);
    assert_false(MyRemoteObject_Fail(remoteObject));
    EXPECT_EXC_MSG(InvalidOperationException, "boom");
    assert_true(MyRemoteObject_Fire(remoteObject, 1));
    assert_null(MyRemoteObject_Nothing(remoteObject));
    EXPECT_NO_EXC();
    assert_true(MyRemoteObject_Calls(remoteObject) > 0);
    Dispose(remoteObject);
}

#ifdef SP_MONO
/* The "a server killed mid-call": a Mono server of its own, killed while a call sleeps in
 * it, fails the call with Mono's RemotingException "Tcp transport error." at once, not at the
 * timeout; the next call on a fresh proxy finds nothing listening (refused). Native only: the
 * mingw build's test cannot start (or kill) the Linux mono. */
typedef struct killer {
    sp_child *child;
} killer;

static void kill_soon(void *arg)
{
    sp_sleep_ms(500);
    sp_child_kill(((killer *)arg)->child);
}

static void RemotingMono_ServerKilledMidCall(void **state)
{
    (void)state;
    int32_t own = free_port();
    char port_text[16], own_url[128];
    snprintf(port_text, sizeof port_text, "%d", (int)own);
    snprintf(own_url, sizeof own_url, "tcp://127.0.0.1:%d/MyRemoteObjectName", (int)own);
    const char *argv[] = {SP_MONO, SP_MONO_PEER, "server", port_text, NULL};
    killer k = {sp_process_start(argv)};
    assert_non_null(k.child);
    RemoteObject *o = Activator_GetObject(TYPE_NAME, own_url);
    assert_true(RemoteObject_set_Timeout(o, 60000));
    Variant r = {0};
    for (int i = 0; i < 400 && r.type != VariantType_Int32; i++) {
        r = RemoteObject_Invoke(o, "Calls");
        if (r.type != VariantType_Int32)
            sp_sleep_ms(50);
    }
    ASSERT_I64(r.type, VariantType_Int32);
    sp_thread *t = sp_thread_start(kill_soon, &k);
    int64_t start = sp_os_now_ms();
    r = RemoteObject_Invoke(o, "Sleep", 30000);
    int64_t took = sp_os_now_ms() - start;
    sp_thread_join(t);
    ASSERT_I64(r.type, VariantType_Empty);
    EXPECT_EXC_MSG(RemotingException, "Tcp transport error.");
    if (took > 20000) /* the call's timeout is 60 s and the sleep 30 s: the kill ended it */
        fail_msg("the call took %lld ms after the kill", (long long)took);
    Dispose(o);
    sp_child_free(k.child);
    sp_remoting_pool_clear();
}
#endif

int main(int argc, char **argv)
{
    if (argc > 1)
        port_file = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(RemotingMono_EveryKind),
        cmocka_unit_test(RemotingMono_RemoteException),
        cmocka_unit_test(RemotingMono_OneWayAndCounter),
        cmocka_unit_test(RemotingMono_AddressesAndRefusal),
        cmocka_unit_test(RemotingMono_Threads),
        cmocka_unit_test(RemotingMono_TypedProxy),
#ifdef SP_MONO
        cmocka_unit_test(RemotingMono_ServerKilledMidCall),
#endif
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
