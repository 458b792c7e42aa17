/*
 * StreamJsonRpc between C and a real .NET StreamJsonRpc 2.26.150 process (tests/dotnet/JsonRpcPeer),
 * in both roles, over a named pipe and over TCP:
 *   jsonrpc_interop DOTNET JSONRPCPEER_DLL
 * or, when the peer runs beside it rather than as its child (the mingw build under wine talking
 * to .NET on Linux over loopback TCP; tests/interop/run_jsonrpc_interop.cmake starts both):
 *   jsonrpc_interop tcp-client PORTFILE   the client checks against `JsonRpcPeer server tcp-once PORTFILE`
 *   jsonrpc_interop tcp-server PORTFILE   a C server for `JsonRpcPeer client tcp @PORTFILE`, its port
 *                                         written to PORTFILE; ends when the client leaves
 * C client -> .NET server: every argument and result kind of the peer's Service, a method that
 * throws, an unknown method, a slow method cancelled through $/cancelRequest, a method that calls
 * the client back, notifications both ways. .NET client -> C server: the peer's own checks
 * (Program.ClientChecksAsync) against a C server serving the same methods.
 * Prints one line per check and "jsonrpc_interop: all ok" (exit 0) or the failures (exit 1).
 */
#include <sharpipc.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sp_process.h"

static const char *dotnet, *peer_dll;
static int failures;

#define CHECK(name, cond)                                                                                              \
  do {                                                                                                                 \
    if (cond)                                                                                                          \
      printf("ok   %s: %s\n", scenario, name);                                                                         \
    else {                                                                                                             \
      const Exception *e_ = Exception_get_Current();                                                                   \
      printf("FAIL %s: %s (%s: %s)\n", scenario, name, e_ ? Exception_get_TypeName(e_) : "no exception",               \
             e_ ? Exception_get_Message(e_) : "");                                                                     \
      failures++;                                                                                                      \
    }                                                                                                                  \
    fflush(stdout);                                                                                                    \
  } while (0)

static sp_child *start_peer(const char *role, const char *transport, const char *arg)
{
    const char *argv[] = {dotnet, peer_dll, role, transport, arg, NULL};
    return sp_process_start(argv);
}

/* ------------------------------------------------------------------ value declarations */

typedef struct Point {
    int32_t X;
    int32_t Y;
} Point;
SHARPIPC_SERIALIZABLE(Point, "SharpIpc.JsonRpcPeer.Point, JsonRpcPeer", (Int32, X), (Int32, Y))

#define INFO(T)                                                                                                        \
  {                                                                                                                    \
    "result", VariantType_##T, VariantType_Empty, NULL                                                                 \
  }
static const ParameterInfo r_int32 = INFO(Int32), r_int64 = INFO(Int64), r_double = INFO(Double),
                           r_bool = INFO(Boolean), r_string = INFO(String), r_decimal = INFO(Decimal),
                           r_datetime = INFO(DateTime), r_timespan = INFO(TimeSpan);
static const ParameterInfo r_bytes = {"result", VariantType_Array, VariantType_Byte, NULL};
static const ParameterInfo r_ints = {"result", VariantType_Array, VariantType_Int32, NULL};
static const ParameterInfo r_strings = {"result", VariantType_Array, VariantType_String, NULL};
static const ParameterInfo r_point = {"result", VariantType_Object, VariantType_Empty, &Point_Type};

static bool call(JsonRpc *rpc, const char *name, const Variant *args, int32_t n, const ParameterInfo *info, Variant *r)
{
    return JsonRpc_InvokeWithCancellation(rpc, name, args, n, CancellationToken_None, info, r);
}

/* ------------------------------------------------------------------ the client's own methods */

static volatile int32_t notified = -1;

static bool h_client_add(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)ct, (void)state;
    if (n != 2)
        return Exception_Throw(ExceptionType_ArgumentException, "ClientAdd takes 2 arguments");
    *result = Variant_FromInt32(Variant_ToInt32(args[0]) + Variant_ToInt32(args[1]));
    return true;
}

static bool h_notified(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)result, (void)ct, (void)state;
    if (n == 1)
        notified = Variant_ToInt32(args[0]);
    return true;
}

/* C client checks against a .NET server on rpc (already listening). */
static void client_checks(const char *scenario, JsonRpc *rpc)
{
    Variant r;
    Variant two[2] = {Variant_FromInt32(2), Variant_FromInt32(3)};
    CHECK("Add(2, 3)", call(rpc, "Add", two, 2, &r_int32, &r) && r.value.asInt32 == 5);
    const char *names[2] = {"a", "b"};
    Variant named[2] = {Variant_FromInt32(3), Variant_FromInt32(4)};
    CHECK("Add{a=3,b=4}",
          JsonRpc_InvokeWithParameterObject(rpc, "Add", names, named, 2, CancellationToken_None, &r_int32, &r) &&
              r.value.asInt32 == 7);
    const char *text = "h\xc3\xa9llo \xf0\x9f\x98\x80";
    Variant s = Variant_FromString(text);
    bool ok =
        call(rpc, "Echo", &s, 1, &r_string, &r) && r.type == VariantType_String && !strcmp(r.value.asString, text);
    CHECK("Echo(non-BMP)", ok);
    Variant_Clear(&r);
    Variant null_arg = Variant_Null();
    CHECK("Echo(null)", call(rpc, "Echo", &null_arg, 1, &r_string, &r) && r.type == VariantType_Null);
    Variant big = Variant_FromInt64(INT64_MAX);
    CHECK("Big(long.MaxValue)", call(rpc, "Big", &big, 1, &r_int64, &r) && r.value.asInt64 == INT64_MAX);
    big = Variant_FromInt64(INT64_MIN);
    CHECK("Big(long.MinValue)", call(rpc, "Big", &big, 1, &r_int64, &r) && r.value.asInt64 == INT64_MIN);
    Variant scale[2] = {Variant_FromDouble(2.55), Variant_FromDouble(-2.5)};
    CHECK("Scale(2.55, -2.5)", call(rpc, "Scale", scale, 2, &r_double, &r) && r.value.asDouble == 2.55 * -2.5);
    Variant b = Variant_FromBoolean(true);
    CHECK("Not(true)", call(rpc, "Not", &b, 1, &r_bool, &r) && r.value.asBoolean == false);
    static const uint8_t bytes[] = {1, 2, 3, 0, 255};
    Variant ba = Variant_FromArray(VariantType_Byte, bytes, 5);
    ok = call(rpc, "Reverse", &ba, 1, &r_bytes, &r) && r.type == VariantType_Array && r.length == 5 &&
         !memcmp(r.value.asArray, "\xff\x00\x03\x02\x01", 5);
    CHECK("Reverse(byte[])", ok);
    Variant_Clear(&r);
    Variant four = Variant_FromInt32(4);
    ok = call(rpc, "Squares", &four, 1, &r_ints, &r) && r.type == VariantType_Array && r.length == 4 &&
         ((const int32_t *)r.value.asArray)[3] == 9;
    CHECK("Squares(4)", ok);
    Variant_Clear(&r);
    Variant csv = Variant_FromString("a,b,c");
    ok = call(rpc, "Split", &csv, 1, &r_strings, &r) && r.type == VariantType_Array && r.length == 3 &&
         !strcmp(((const char *const *)r.value.asArray)[2], "c");
    CHECK("Split(\"a,b,c\")", ok);
    Variant_Clear(&r);
    /* 2024-02-28T23:59:59.1234567Z */
    DateTime d = DateTime_new(INT64_C(638447039991234567), DateTimeKind_Utc);
    Variant dv = Variant_FromDateTime(d);
    ok = call(rpc, "NextDay", &dv, 1, &r_datetime, &r) &&
         DateTime_get_Ticks(r.value.asDateTime) == INT64_C(638447039991234567) + INT64_C(864000000000) &&
         DateTime_get_Kind(r.value.asDateTime) == DateTimeKind_Utc;
    CHECK("NextDay(DateTime Utc)", ok);
    Variant tv = Variant_FromTimeSpan(TimeSpan_FromTicks(INT64_C(37235000000))); /* 01:02:03.5 */
    CHECK("Twice(TimeSpan)", call(rpc, "Twice", &tv, 1, &r_timespan, &r) &&
                                 TimeSpan_get_Ticks(r.value.asTimeSpan) == INT64_C(74470000000));
    Variant mv = Variant_FromDecimal(Decimal_new(125, 0, 0, false, 2)); /* 1.25 */
    ok = call(rpc, "AddCent", &mv, 1, &r_decimal, &r) &&
         Decimal_Equals(r.value.asDecimal, Decimal_new(126, 0, 0, false, 2));
    CHECK("AddCent(1.25m)", ok);
    Point pt = {1, 2};
    Variant move[3] = {Variant_FromObject(&Point_Type, &pt), Variant_FromInt32(10), Variant_FromInt32(20)};
    ok = call(rpc, "Move", move, 3, &r_point, &r) && r.type == VariantType_Object &&
         ((Point *)r.value.asObject)->X == 11 && ((Point *)r.value.asObject)->Y == 22;
    CHECK("Move(Point)", ok);
    Variant_Clear(&r);

    ok = !call(rpc, "Fail", NULL, 0, NULL, &r);
    const Exception *e = Exception_get_Current();
    const CommonErrorData *data = e ? RemoteRpcException_get_DeserializedErrorData(e) : NULL;
    ok = ok && Exception_get_Type(e) == ExceptionType_RemoteInvocationException &&
         !strcmp(Exception_get_Message(e), "boom") && RemoteRpcException_get_ErrorCode(e) == -32000 && data &&
         !strcmp(CommonErrorData_get_TypeName(data), "System.InvalidOperationException") &&
         CommonErrorData_get_HResult(data) == (int32_t)0x80131509u;
    CHECK("Fail() -> RemoteInvocationException + CommonErrorData", ok);
    Variant one = Variant_FromInt32(1);
    ok = !call(rpc, "NoSuchMethod", &one, 1, NULL, &r) &&
         Exception_get_Type(Exception_get_Current()) == ExceptionType_RemoteMethodNotFoundException &&
         RemoteRpcException_get_ErrorCode(Exception_get_Current()) == -32601;
    CHECK("NoSuchMethod -> RemoteMethodNotFoundException", ok);

    CancellationTokenSource *cts = CancellationTokenSource_new();
    CancellationTokenSource_CancelAfter(cts, 200);
    Variant slow = Variant_FromInt32(20000);
    time_t t0 = time(NULL);
    ok = !JsonRpc_InvokeWithCancellation(rpc, "Slow", &slow, 1, CancellationTokenSource_get_Token(cts), &r_int32, &r) &&
         Exception_get_Type(Exception_get_Current()) == ExceptionType_OperationCanceledException &&
         time(NULL) - t0 < 10;
    CHECK("Slow(20000) cancelled through $/cancelRequest", ok);
    Dispose(cts);
    Variant fifty = Variant_FromInt32(50);
    CHECK("Slow(50)", call(rpc, "Slow", &fifty, 1, &r_int32, &r) && r.value.asInt32 == 50);
    Variant cb[2] = {Variant_FromInt32(40), Variant_FromInt32(2)};
    CHECK("CallBack(40, 2) -> ClientAdd", call(rpc, "CallBack", cb, 2, &r_int32, &r) && r.value.asInt32 == 42);
    CHECK("Fire(1234) notification", JsonRpc_Notify(rpc, "Fire", 1234) &&
                                         call(rpc, "LastFired", NULL, 0, &r_int32, &r) && r.value.asInt32 == 1234);
    Variant nine = Variant_FromInt32(9);
    ok = call(rpc, "NotifyMe", &nine, 1, &r_int32, &r) && r.value.asInt32 == 9;
    for (int i = 0; ok && notified != 9 && i < 500; i++)
        sp_sleep_ms(10);
    CHECK("NotifyMe(9) -> Notified notification", ok && notified == 9);
    notified = -1;
    CHECK("Nothing() -> null", call(rpc, "Nothing", NULL, 0, &r_string, &r) && r.type == VariantType_Null);
}

static JsonRpc *client_rpc(Stream *stream)
{
    JsonRpc *rpc = JsonRpc_new(stream);
    if (!rpc)
        return NULL;
    JsonRpc_AddLocalRpcMethod(rpc, "ClientAdd", h_client_add, NULL);
    JsonRpc_AddLocalRpcMethod(rpc, "Notified", h_notified, NULL);
    JsonRpc_set_OutboundRequestTimeout(rpc, 30000);
    if (!JsonRpc_StartListening(rpc)) {
        Dispose(rpc);
        return NULL;
    }
    return rpc;
}

static void c_client_pipe(void)
{
    const char *scenario = "C client -> .NET server (pipe)";
    const char *name = sp_unique_name("spjrpcnet");
    sp_child *child = start_peer("server", "pipe", name);
    NamedPipeClientStream *pipe = NamedPipeClientStream_new(name);
    bool ok = pipe && NamedPipeClientStream_Connect(pipe, 30000);
    CHECK("connect", ok);
    JsonRpc *rpc = ok ? client_rpc((Stream *)pipe) : NULL;
    if (rpc)
        client_checks(scenario, rpc);
    Dispose(rpc);
    Dispose(pipe);
    sp_child_kill(child);
    sp_child_free(child);
}

static void c_client_tcp_on(const char *scenario, const char *portfile, sp_child *child);

static void c_client_tcp(void)
{
    const char *scenario = "C client -> .NET server (TCP)";
    char portfile[256];
    snprintf(portfile, sizeof portfile, "%s.port", sp_unique_name("spjrpcnet"));
    remove(portfile);
    sp_child *child = start_peer("server", "tcp", portfile);
    c_client_tcp_on(scenario, portfile, child);
    sp_child_kill(child);
    sp_child_free(child);
}

static void kill_soon(void *child)
{
    sp_sleep_ms(500);
    sp_child_kill(child);
}

/* The client checks over TCP against the .NET server whose port is in portfile; with the server's
 * process (child), last the "a server killed mid-call": killed while Slow(20000) runs in
 * it, the call fails at once with ConnectionLostException (the timeout is 30 s). */
static void c_client_tcp_on(const char *scenario, const char *portfile, sp_child *child)
{
    int32_t port = sp_port_file_wait(portfile);
    remove(portfile);
    Socket *socket = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    bool ok = port > 0 && socket && Socket_ConnectAddress(socket, IPAddress_Loopback, port);
    CHECK("connect", ok);
    NetworkStream *stream = ok ? NetworkStream_new(socket, true) : NULL;
    JsonRpc *rpc = stream ? client_rpc((Stream *)stream) : NULL;
    if (rpc)
        client_checks(scenario, rpc);
    if (rpc && child) {
        sp_thread *killer = sp_thread_start(kill_soon, child);
        Variant slow = Variant_FromInt32(20000), r;
        time_t t0 = time(NULL);
        ok = !call(rpc, "Slow", &slow, 1, &r_int32, &r) &&
             Exception_get_Type(Exception_get_Current()) == ExceptionType_ConnectionLostException &&
             time(NULL) - t0 < 15;
        sp_thread_join(killer);
        CHECK("the server killed mid-call -> ConnectionLostException", ok);
        CHECK("Completion once the server died", WaitHandle_WaitOne(JsonRpc_get_Completion(rpc), 10000));
    }
    Dispose(rpc);
    Dispose(stream);
    Dispose(socket);
}

/* ------------------------------------------------------------------ a C server for the .NET client */

typedef struct server_state {
    JsonRpc *rpc;
    int32_t last_fired;
} server_state;

#define ARGC(n)                                                                                                        \
  if (argc != (n))                                                                                                     \
  return Exception_Throw(ExceptionType_ArgumentException, "wrong number of arguments")

static bool s_add(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)ct, (void)st;
    ARGC(2);
    *r = Variant_FromInt32(Variant_ToInt32(a[0]) + Variant_ToInt32(a[1]));
    return !Exception_get_Current();
}

static bool s_echo(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)ct, (void)st;
    ARGC(1);
    *r = a[0].type == VariantType_Null ? Variant_Null() : Variant_FromString(String_Copy(Variant_GetString(a[0])));
    return !Exception_get_Current();
}

static bool s_big(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)ct, (void)st;
    ARGC(1);
    *r = Variant_FromInt64(Variant_ToInt64(a[0]));
    return !Exception_get_Current();
}

static bool s_scale(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)ct, (void)st;
    ARGC(2);
    *r = Variant_FromDouble(Variant_ToDouble(a[0]) * Variant_ToDouble(a[1]));
    return !Exception_get_Current();
}

static bool s_not(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)ct, (void)st;
    ARGC(1);
    *r = Variant_FromBoolean(!Variant_ToBoolean(a[0]));
    return !Exception_get_Current();
}

static bool s_fail(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)a, (void)argc, (void)r, (void)ct, (void)st;
    return Exception_Throw(ExceptionType_InvalidOperationException, "boom");
}

static bool s_slow(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)st;
    ARGC(1);
    int32_t ms = Variant_ToInt32(a[0]);
    if (WaitHandle_WaitOne(CancellationToken_get_WaitHandle(ct), ms))
        return Exception_Throw(ExceptionType_OperationCanceledException, "A task was canceled.");
    *r = Variant_FromInt32(ms);
    return true;
}

static bool s_callback(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)ct;
    ARGC(2);
    return JsonRpc_InvokeWithCancellation(((server_state *)st)->rpc, "ClientAdd", a, 2, CancellationToken_None,
                                          &r_int32, r);
}

static bool s_fire(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)r, (void)ct;
    ARGC(1);
    ((server_state *)st)->last_fired = Variant_ToInt32(a[0]);
    return true;
}

static bool s_last_fired(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)a, (void)argc, (void)ct;
    *r = Variant_FromInt32(((server_state *)st)->last_fired);
    return true;
}

static bool s_notify_me(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)ct;
    ARGC(1);
    if (!JsonRpc_NotifyWithArguments(((server_state *)st)->rpc, "Notified", a, 1))
        return false;
    *r = Variant_FromInt32(Variant_ToInt32(a[0]));
    return true;
}

static bool s_nothing(const Variant *a, int32_t argc, Variant *r, CancellationToken ct, void *st)
{
    (void)a, (void)argc, (void)ct, (void)st;
    *r = Variant_Null();
    return true;
}

/* Serves the .NET client's checks on stream; the peer's exit code says whether they passed. */
static void serve(const char *scenario, Stream *stream, sp_child *child)
{
    server_state st = {0};
    JsonRpc *rpc = JsonRpc_new(stream);
    st.rpc = rpc;
    struct {
        const char *name;
        JsonRpcMethodHandler h;
    } methods[] = {{"Add", s_add},
                   {"Echo", s_echo},
                   {"Big", s_big},
                   {"Scale", s_scale},
                   {"Not", s_not},
                   {"Fail", s_fail},
                   {"Slow", s_slow},
                   {"CallBack", s_callback},
                   {"Fire", s_fire},
                   {"LastFired", s_last_fired},
                   {"NotifyMe", s_notify_me},
                   {"Nothing", s_nothing}};
    bool ok = rpc != NULL;
    for (size_t i = 0; ok && i < sizeof methods / sizeof methods[0]; i++)
        ok = JsonRpc_AddLocalRpcMethod(rpc, methods[i].name, methods[i].h, &st);
    ok = ok && JsonRpc_StartListening(rpc);
    CHECK("serving", ok);
    if (child) {
        int code = sp_child_wait(child, 120000);
        CHECK("the .NET client's checks (exit code 0)", code == 0);
        sp_child_free(child);
    } /* else the runner judges the client by its exit code */
    if (rpc)
        CHECK("Completion once the client left",
              WaitHandle_WaitOne(JsonRpc_get_Completion(rpc), child ? 10000 : 120000));
    Dispose(rpc);
}

static void dotnet_client_pipe(void)
{
    const char *scenario = ".NET client -> C server (pipe)";
    const char *name = sp_unique_name("spjrpcnet");
    NamedPipeServerStream *server = NamedPipeServerStream_new(name);
    CHECK("listen", server != NULL);
    if (!server)
        return;
    sp_child *child = start_peer("client", "pipe", name);
    bool ok = NamedPipeServerStream_WaitForConnection(server);
    CHECK("accept", ok);
    if (ok)
        serve(scenario, (Stream *)server, child);
    else {
        sp_child_kill(child);
        sp_child_free(child);
    }
    Dispose(server);
}

/* portfile NULL: the peer is started here; else it runs beside and reads the port from portfile. */
static void dotnet_client_tcp(const char *portfile)
{
    const char *scenario = ".NET client -> C server (TCP)";
    Socket *listener = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    IPEndPoint *any = IPEndPoint_new(IPAddress_Loopback, 0);
    bool ok = listener && any && Socket_Bind(listener, (EndPoint *)any) && Socket_Listen(listener, 1);
    EndPoint *local = ok ? Socket_get_LocalEndPoint(listener) : NULL;
    int port = local ? IPEndPoint_get_Port((IPEndPoint *)local) : 0;
    CHECK("listen", ok && port > 0);
    Dispose(any);
    Dispose(local);
    if (!ok || !port) {
        Dispose(listener);
        return;
    }
    char portText[1040];
    if (portfile) { /* written whole: the peer waits for the file */
        char tmp[1040];
        snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
        FILE *f = fopen(tmp, "w");
        CHECK("port file", f != NULL);
        if (f) {
            fprintf(f, "%d", port);
            fclose(f);
            remove(portfile);
            rename(tmp, portfile);
        }
    } else {
        snprintf(portText, sizeof portText, "%d", port);
    }
    sp_child *child = portfile ? NULL : start_peer("client", "tcp", portText);
    Socket *accepted = Socket_Accept(listener);
    CHECK("accept", accepted != NULL);
    NetworkStream *stream = accepted ? NetworkStream_new(accepted, true) : NULL;
    if (stream)
        serve(scenario, (Stream *)stream, child);
    else if (child) {
        sp_child_kill(child);
        sp_child_free(child);
    }
    Dispose(stream);
    Dispose(accepted);
    Dispose(listener);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: jsonrpc_interop DOTNET JSONRPCPEER_DLL | tcp-client PORTFILE | tcp-server PORTFILE\n");
        return 2;
    }
    if (!strcmp(argv[1], "tcp-client")) {
        c_client_tcp_on("C client -> .NET server (TCP, peer beside)", argv[2], NULL);
    } else if (!strcmp(argv[1], "tcp-server")) {
        dotnet_client_tcp(argv[2]);
    } else {
        dotnet = argv[1];
        peer_dll = argv[2];
        c_client_pipe();
        c_client_tcp();
        dotnet_client_pipe();
        dotnet_client_tcp(NULL);
    }
    if (failures)
        printf("jsonrpc_interop: %d check(s) FAILED\n", failures);
    else
        printf("jsonrpc_interop: all ok\n");
    return failures ? 1 : 0;
}
