/*
 * StreamJsonRpc's JsonRpc (src/StreamJsonRpc/jsonrpc.c), C client against C server over a named
 * pipe in one process, and against hostile peers of the test's own. The behaviours are those of
 * StreamJsonRpc's JsonRpcTests (test/StreamJsonRpc.Tests/JsonRpcTests.cs: CanInvokeMethodOnServer,
 * NamedArgs, InvokeWithCancellationAsync_CanCancel..., ThrowsException..., callbacks while a request
 * is pending, notifications in order, ConnectionLostException on a dropped connection), tested
 * through the C API; the hostile peers and limits are sharpipc's own.
 */
#include "sp_process.h"
#include "sp_test.h"

/* ------------------------------------------------------------------ a C server (Service's methods) */

typedef struct server_state {
    JsonRpc *rpc;
    int32_t last_fired;
    int32_t calls;
} server_state;

static bool h_add(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)ct;
    server_state *s = state;
    if (n != 2)
        return Exception_Throw(ExceptionType_ArgumentException, "Add takes 2 arguments");
    int32_t a = Variant_ToInt32(args[0]), b = Variant_ToInt32(args[1]);
    if (Exception_get_Current())
        return false;
    s->calls++;
    *result = Variant_FromInt32(a + b);
    return true;
}

static bool h_echo(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)ct;
    (void)state;
    if (n != 1)
        return Exception_Throw(ExceptionType_ArgumentException, "Echo takes 1 argument");
    if (args[0].type == VariantType_Null) {
        *result = Variant_Null();
        return true;
    }
    const char *s = Variant_GetString(args[0]);
    if (!s)
        return false;
    char *copy = String_Copy(s);
    *result = Variant_FromString(copy);
    return true;
}

static bool h_big(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)ct;
    (void)state;
    (void)n;
    int64_t x = Variant_ToInt64(args[0]);
    if (Exception_get_Current())
        return false;
    *result = Variant_FromInt64(x);
    return true;
}

static bool h_fail(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)args, (void)n, (void)result, (void)ct, (void)state;
    return Exception_Throw(ExceptionType_InvalidOperationException, "boom");
}

static bool h_local(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)args, (void)n, (void)result, (void)ct, (void)state;
    return LocalRpcException_Throw("mine", 1234, "{\"why\":\"because\"}");
}

/* Slow(ms, CancellationToken): ct.WaitHandle.WaitOne(ms), the C form of Task.Delay(ms, ct). */
static bool h_slow(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)state;
    (void)n;
    int32_t ms = Variant_ToInt32(args[0]);
    if (Exception_get_Current())
        return false;
    if (WaitHandle_WaitOne(CancellationToken_get_WaitHandle(ct), ms))
        return Exception_Throw(ExceptionType_OperationCanceledException, "A task was canceled.");
    *result = Variant_FromInt32(ms);
    return true;
}

/* CallBack(a, b): calls the client's ClientAdd while this request is pending. */
static bool h_callback(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)n;
    (void)ct;
    server_state *s = state;
    static const ParameterInfo int32_result = {"result", VariantType_Int32, VariantType_Empty, NULL};
    return JsonRpc_InvokeWithCancellation(s->rpc, "ClientAdd", args, 2, CancellationToken_None, &int32_result, result);
}

static bool h_fire(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)n, (void)result, (void)ct;
    server_state *s = state;
    s->last_fired = Variant_ToInt32(args[0]);
    return true;
}

static bool h_last_fired(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)args, (void)n, (void)ct;
    *result = Variant_FromInt32(((server_state *)state)->last_fired);
    return true;
}

static bool h_nothing(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)args, (void)n, (void)ct, (void)state;
    *result = Variant_Null();
    return true;
}

static bool h_client_add(const Variant *args, int32_t n, Variant *result, CancellationToken ct, void *state)
{
    (void)n, (void)ct, (void)state;
    *result = Variant_FromInt32(Variant_ToInt32(args[0]) + Variant_ToInt32(args[1]));
    return true;
}

static void add_service(JsonRpc *rpc, server_state *s)
{
    s->rpc = rpc;
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "Add", h_add, s));
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "Echo", h_echo, s));
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "Big", h_big, s));
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "Fail", h_fail, s));
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "Local", h_local, s));
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "Slow", h_slow, s));
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "CallBack", h_callback, s));
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "Fire", h_fire, s));
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "LastFired", h_last_fired, s));
    assert_true(JsonRpc_AddLocalRpcMethod(rpc, "Nothing", h_nothing, s));
}

/* ------------------------------------------------------------------ a connected pair */

typedef struct pair {
    JsonRpc *server, *client;
    NamedPipeServerStream *ss;
    NamedPipeClientStream *cs;
    server_state state;
} pair;

static void make_pair(pair *p)
{
    memset(p, 0, sizeof *p);
    const char *name = sp_unique_name("spjrpc");
    NamedPipeServerStream *ss = NamedPipeServerStream_new(name);
    assert_non_null(ss);
    NamedPipeClientStream *cs = NamedPipeClientStream_new(name);
    assert_non_null(cs);
    assert_true(NamedPipeClientStream_Connect(cs, 10000));
    assert_true(NamedPipeServerStream_WaitForConnection(ss));
    p->server = JsonRpc_new((Stream *)ss);
    assert_non_null(p->server);
    add_service(p->server, &p->state);
    assert_true(JsonRpc_StartListening(p->server));
    p->client = JsonRpc_new((Stream *)cs);
    assert_non_null(p->client);
    assert_true(JsonRpc_AddLocalRpcMethod(p->client, "ClientAdd", h_client_add, NULL));
    assert_true(JsonRpc_StartListening(p->client));
    /* Dispose closes a stream whoever else holds it (as in .NET): the streams stay open until the end */
    p->ss = ss;
    p->cs = cs;
}

static void free_pair(pair *p)
{
    Dispose(p->client);
    Dispose(p->server);
    Dispose(p->cs);
    Dispose(p->ss);
}

static const ParameterInfo int32_info = {"result", VariantType_Int32, VariantType_Empty, NULL};
static const ParameterInfo int64_info = {"result", VariantType_Int64, VariantType_Empty, NULL};
static const ParameterInfo string_info = {"result", VariantType_String, VariantType_Empty, NULL};

/* JsonRpcTests.CanInvokeMethodOnServer: positional arguments, a typed result */
static void JsonRpc_InvokeWithCancellation_Positional(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    Variant args[2] = {Variant_FromInt32(2), Variant_FromInt32(3)}, r;
    assert_true(JsonRpc_InvokeWithCancellation(p.client, "Add", args, 2, CancellationToken_None, &int32_info, &r));
    EXPECT_NO_EXC();
    assert_int_equal(r.type, VariantType_Int32);
    assert_int_equal(r.value.asInt32, 5);
    /* undeclared: JSON's integer, Int64 */
    assert_true(JsonRpc_InvokeWithCancellation(p.client, "Add", args, 2, CancellationToken_None, NULL, &r));
    assert_int_equal(r.type, VariantType_Int64);
    assert_int_equal(r.value.asInt64, 5);
    /* the C11 convenience */
    Variant v = JsonRpc_Invoke(p.client, "Add", 40, 2);
    assert_int_equal(Variant_ToInt32(v), 42);
    free_pair(&p);
}

/* JsonRpcTests.NamedArgs (InvokeWithParameterObjectAsync) */
static void JsonRpc_InvokeWithParameterObject_Named(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    const char *names[2] = {"a", "b"};
    Variant args[2] = {Variant_FromInt32(3), Variant_FromInt32(4)}, r;
    assert_true(
        JsonRpc_InvokeWithParameterObject(p.client, "Add", names, args, 2, CancellationToken_None, &int32_info, &r));
    assert_int_equal(r.value.asInt32, 7);
    free_pair(&p);
}

/* sharpipc's own: strings (non-ASCII, non-BMP), null, and exact int64 both ways */
static void JsonRpc_Invoke_StringsAndInt64(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    const char *text = "h\xc3\xa9llo \xf0\x9f\x98\x80";
    Variant arg = Variant_FromString(text), r;
    assert_true(JsonRpc_InvokeWithCancellation(p.client, "Echo", &arg, 1, CancellationToken_None, &string_info, &r));
    assert_int_equal(r.type, VariantType_String);
    assert_string_equal(r.value.asString, text);
    Variant_Clear(&r);
    arg = Variant_Null();
    assert_true(JsonRpc_InvokeWithCancellation(p.client, "Echo", &arg, 1, CancellationToken_None, &string_info, &r));
    assert_int_equal(r.type, VariantType_Null);
    EXPECT_NO_EXC();
    const int64_t values[] = {INT64_MAX, INT64_MIN, (INT64_C(1) << 53) + 1};
    for (size_t i = 0; i < 3; i++) {
        arg = Variant_FromInt64(values[i]);
        assert_true(JsonRpc_InvokeWithCancellation(p.client, "Big", &arg, 1, CancellationToken_None, &int64_info, &r));
        ASSERT_I64(r.value.asInt64, values[i]);
    }
    assert_true(JsonRpc_InvokeWithCancellation(p.client, "Nothing", NULL, 0, CancellationToken_None, &string_info, &r));
    assert_int_equal(r.type, VariantType_Null);
    free_pair(&p);
}

/* JsonRpcTests.ThrowsException / RemoteMethodNotFound: StreamJsonRpc's codes and CommonErrorData */
static void JsonRpc_Invoke_RemoteErrors(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    Variant r;
    assert_false(JsonRpc_InvokeWithCancellation(p.client, "Fail", NULL, 0, CancellationToken_None, NULL, &r));
    EXPECT_EXC_MSG(RemoteInvocationException, "boom");
    const Exception *e = Exception_get_Current();
    assert_true(Exception_Is(e, ExceptionType_RemoteRpcException));
    assert_int_equal(RemoteRpcException_get_ErrorCode(e), -32000);
    const CommonErrorData *d = RemoteRpcException_get_DeserializedErrorData(e);
    assert_non_null(d);
    assert_string_equal(CommonErrorData_get_TypeName(d), "System.InvalidOperationException");
    assert_string_equal(CommonErrorData_get_Message(d), "boom");
    assert_int_equal(CommonErrorData_get_HResult(d), (int32_t)0x80131509u);
    assert_non_null(RemoteRpcException_get_ErrorData(e));

    Variant arg = Variant_FromInt32(1);
    assert_false(JsonRpc_InvokeWithCancellation(p.client, "NoSuchMethod", &arg, 1, CancellationToken_None, NULL, &r));
    EXPECT_EXC_MSG(RemoteMethodNotFoundException, "No method by the name 'NoSuchMethod' is found.");
    assert_int_equal(RemoteRpcException_get_ErrorCode(Exception_get_Current()), -32601);

    assert_false(JsonRpc_InvokeWithCancellation(p.client, "Local", NULL, 0, CancellationToken_None, NULL, &r));
    EXPECT_EXC_MSG(RemoteInvocationException, "mine");
    assert_int_equal(RemoteRpcException_get_ErrorCode(Exception_get_Current()), 1234);
    assert_string_equal(RemoteRpcException_get_ErrorData(Exception_get_Current()), "{\"why\":\"because\"}");
    assert_null(RemoteRpcException_get_DeserializedErrorData(Exception_get_Current()));

    /* the connection is still good */
    Variant args[2] = {Variant_FromInt32(1), Variant_FromInt32(1)};
    assert_true(JsonRpc_InvokeWithCancellation(p.client, "Add", args, 2, CancellationToken_None, &int32_info, &r));
    assert_int_equal(r.value.asInt32, 2);
    free_pair(&p);
}

/* JsonRpcTests.InvokeWithCancellationAsync_CanCallCancellableMethodWithoutArgs / ..._Cancel: the
 * token sends $/cancelRequest, the server's handler sees its token cancelled and answers -32800 */
static void JsonRpc_InvokeWithCancellation_CancelsServerMethod(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    CancellationTokenSource *cts = CancellationTokenSource_new();
    assert_true(CancellationTokenSource_CancelAfter(cts, 100));
    Variant arg = Variant_FromInt32(20000), r;
    int64_t t0 = (int64_t)time(NULL);
    assert_false(JsonRpc_InvokeWithCancellation(p.client, "Slow", &arg, 1, CancellationTokenSource_get_Token(cts),
                                                &int32_info, &r));
    EXPECT_EXC(OperationCanceledException);
    assert_true((int64_t)time(NULL) - t0 < 10);
    Dispose(cts);
    /* a slow call that is not cancelled finishes */
    arg = Variant_FromInt32(30);
    cts = CancellationTokenSource_new();
    assert_true(JsonRpc_InvokeWithCancellation(p.client, "Slow", &arg, 1, CancellationTokenSource_get_Token(cts),
                                               &int32_info, &r));
    assert_int_equal(r.value.asInt32, 30);
    Dispose(cts);
    free_pair(&p);
}

/* sharpipc's own: OutboundRequestTimeout fails the call at once with TimeoutException */
static void JsonRpc_OutboundRequestTimeout_Times(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    assert_true(JsonRpc_set_OutboundRequestTimeout(p.client, 100));
    Variant arg = Variant_FromInt32(3000), r;
    assert_false(JsonRpc_InvokeWithCancellation(p.client, "Slow", &arg, 1, CancellationToken_None, &int32_info, &r));
    EXPECT_EXC(TimeoutException);
    assert_true(JsonRpc_set_OutboundRequestTimeout(p.client, -1));
    Variant args[2] = {Variant_FromInt32(1), Variant_FromInt32(2)};
    assert_true(JsonRpc_InvokeWithCancellation(p.client, "Add", args, 2, CancellationToken_None, &int32_info, &r));
    assert_int_equal(r.value.asInt32, 3);
    free_pair(&p);
}

/* JsonRpcTests.CallbackWhileRequestPending: the server calls the client back inside a request */
static void JsonRpc_Handler_CallsClientBack(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    Variant args[2] = {Variant_FromInt32(40), Variant_FromInt32(2)}, r;
    assert_true(JsonRpc_InvokeWithCancellation(p.client, "CallBack", args, 2, CancellationToken_None, &int32_info, &r));
    assert_int_equal(r.value.asInt32, 42);
    free_pair(&p);
}

/* JsonRpcTests.NotifyAsync: a notification is dispatched before the request sent after it */
static void JsonRpc_Notify_InOrder(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    assert_true(JsonRpc_Notify(p.client, "Fire", 1234));
    Variant r;
    assert_true(
        JsonRpc_InvokeWithCancellation(p.client, "LastFired", NULL, 0, CancellationToken_None, &int32_info, &r));
    assert_int_equal(r.value.asInt32, 1234);
    /* a notification of a method nobody serves gets no answer and breaks nothing */
    assert_true(JsonRpc_Notify(p.client, "NoSuchNotification"));
    assert_true(
        JsonRpc_InvokeWithCancellation(p.client, "LastFired", NULL, 0, CancellationToken_None, &int32_info, &r));
    free_pair(&p);
}

/* JsonRpcTests: the contract's misuse checks (AddLocalRpcMethod after StartListening, Invoke before) */
static void JsonRpc_Misuse_InvalidOperation(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    JsonRpc *rpc = JsonRpc_new((Stream *)ms);
    assert_non_null(rpc);
    Variant r;
    assert_false(JsonRpc_InvokeWithCancellation(rpc, "Add", NULL, 0, CancellationToken_None, NULL, &r));
    EXPECT_EXC_MSG(InvalidOperationException, "Listening must be started first.");
    assert_false(JsonRpc_InvokeWithCancellation(rpc, NULL, NULL, 0, CancellationToken_None, NULL, &r));
    EXPECT_EXC(ArgumentNullException);
    assert_true(JsonRpc_StartListening(rpc));
    assert_false(JsonRpc_AddLocalRpcMethod(rpc, "X", h_nothing, NULL));
    EXPECT_EXC_MSG(InvalidOperationException, "This cannot be done after listening has started.");
    assert_false(JsonRpc_StartListening(rpc));
    EXPECT_EXC(InvalidOperationException);
    /* a MemoryStream is at its end at once: the connection is over, Completion is set */
    assert_true(WaitHandle_WaitOne(JsonRpc_get_Completion(rpc), 10000));
    assert_false(JsonRpc_InvokeWithCancellation(rpc, "Add", NULL, 0, CancellationToken_None, NULL, &r));
    EXPECT_EXC_MSG(ConnectionLostException,
                   "The JSON-RPC connection with the remote party was lost before the request could complete.");
    assert_false(JsonRpc_get_IsDisposed(rpc));
    Dispose(rpc);
    assert_false(Stream_get_CanRead(ms)); /* the JsonRpc disposed its stream */
    Dispose(ms);
    assert_null(JsonRpc_new(NULL));
    EXPECT_EXC(ArgumentNullException);
}

/* ------------------------------------------------------------------ hostile and dying peers */

typedef struct hostile {
    NamedPipeServerStream *server;
    const char *reply; /* written after the first request arrives (NULL: nothing) */
    size_t reply_length;
    bool close_after;
    int hold_ms;
} hostile;

static void hostile_main(void *arg)
{
    hostile *h = arg;
    if (!NamedPipeServerStream_WaitForConnection(h->server))
        return;
    uint8_t buf[512];
    Stream_Read(h->server, buf, 0, (int32_t)sizeof buf); /* the request (or part of it) */
    if (h->reply)
        Stream_Write(h->server, h->reply, 0, (int32_t)h->reply_length);
    if (h->hold_ms)
        sp_sleep_ms(h->hold_ms);
    if (h->close_after)
        NamedPipeServerStream_Disconnect(h->server);
}

typedef struct hostile_case {
    const char *name;
    const char *reply;
    size_t reply_length;
    bool close_after;
    int hold_ms;
    ExceptionType expected;
} hostile_case;

#define HOSTILE(n, r, c, hold, e)                                                                                      \
  {                                                                                                                    \
    n, r, sizeof(r) - 1, c, hold, ExceptionType_##e                                                                    \
  }

/* Each call fails with an exception within its timeout (1 s): never a hang, a crash, or an
 * allocation of a declared size. */
static const hostile_case hostile_cases[] = {
    HOSTILE("Content-Length 2147483647", "Content-Length: 2147483647\r\n\r\n{", false, 1500, ConnectionLostException),
    HOSTILE("truncated body, then EOF", "Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\"", true, 0,
            ConnectionLostException),
    HOSTILE("garbage", "\x01\x02garbage\xff\xfe\r\n\r\n", false, 1500, ConnectionLostException),
    HOSTILE("not JSON", "Content-Length: 5\r\n\r\nhello", false, 1500, ConnectionLostException),
    HOSTILE("100000-deep nesting (truncated)", "Content-Length: 100000\r\n\r\n[[[[[[[[[[[[[[[[[[[[[[[[[[", true, 0,
            ConnectionLostException),
    HOSTILE("silence", "", false, 1500, TimeoutException),
    HOSTILE("EOF at once", "", true, 0, ConnectionLostException),
};

static void JsonRpc_HostilePeer_FailsEachCall(void **state)
{
    (void)state;
    /* memory stays bounded: nothing a peer declares is allocated (RLIMIT_AS, plain builds) */
    bool capped = sp_limit_memory(1024);
    print_message("%s: address space %s\n", __func__, capped ? "capped at +1 GiB" : "not capped here");
    for (size_t i = 0; i < sizeof hostile_cases / sizeof hostile_cases[0]; i++) {
        const hostile_case *c = &hostile_cases[i];
        print_message("hostile peer: %s\n", c->name);
        const char *name = sp_unique_name("spjrpch");
        hostile h = {NamedPipeServerStream_new(name), c->reply_length ? c->reply : NULL, c->reply_length,
                     c->close_after, c->hold_ms};
        assert_non_null(h.server);
        sp_thread *t = sp_thread_start(hostile_main, &h);
        NamedPipeClientStream *cs = NamedPipeClientStream_new(name);
        assert_true(NamedPipeClientStream_Connect(cs, 10000));
        JsonRpc *rpc = JsonRpc_Attach((Stream *)cs);
        assert_non_null(rpc);
        assert_true(JsonRpc_set_OutboundRequestTimeout(rpc, 1000));
        time_t t0 = time(NULL);
        Variant r;
        Variant args[2] = {Variant_FromInt32(2), Variant_FromInt32(3)};
        if (JsonRpc_InvokeWithCancellation(rpc, "Add", args, 2, CancellationToken_None, &int32_info, &r))
            fail_msg("%s: the call succeeded", c->name);
        ExceptionType got = Exception_get_Type(Exception_get_Current());
        if (got != c->expected)
            fail_msg("%s: %s (%s), expected %s", c->name, sp_exc_name(got),
                     Exception_get_Message(Exception_get_Current()), sp_exc_name(c->expected));
        if (time(NULL) - t0 > 5)
            fail_msg("%s: the call took %d s", c->name, (int)(time(NULL) - t0));
        Dispose(rpc);
        Dispose(cs);
        Dispose(h.server); /* ends the hostile thread's wait or hold */
        sp_thread_join(t);
    }
    sp_unlimit_memory();
}

/* One message in StreamJsonRpc's framing, raw, from s into buf (NUL-terminated): its body. */
static const char *read_frame(Stream *s, char *buf, size_t cap)
{
    size_t n = 0;
    while (n < 4 || memcmp(buf + n - 4, "\r\n\r\n", 4) != 0) {
        assert_true(n + 1 < cap);
        assert_int_equal(Stream_Read(s, buf, (int32_t)n, 1), 1);
        n++;
    }
    buf[n] = 0;
    const char *cl = strstr(buf, "Content-Length: ");
    assert_non_null(cl);
    int32_t length = atoi(cl + 16);
    assert_true(length > 0 && n + (size_t)length < cap);
    assert_true(Stream_ReadExactly(s, buf, (int32_t)n, length));
    buf[n + (size_t)length] = 0;
    return buf + n;
}

static void write_frame(Stream *s, const char *body)
{
    char header[64];
    int h = snprintf(header, sizeof header, "Content-Length: %d\r\n\r\n", (int)strlen(body));
    assert_true(Stream_Write(s, header, 0, h));
    assert_true(Stream_Write(s, body, 0, (int32_t)strlen(body)));
}

/* A peer that answers one request with a result and an error at once. */
static void answer_both(void *arg)
{
    static char buf[4096];
    const char *request = read_frame((Stream *)arg, buf, sizeof buf);
    const char *id = strstr(request, "\"id\":");
    assert_non_null(id);
    char reply[160];
    snprintf(reply, sizeof reply,
             "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"result\":42,\"error\":{\"code\":-32000,\"message\":\"boom\"}}",
             strtol(id + 5, NULL, 10));
    write_frame((Stream *)arg, reply);
}

/* sharpipc's own, after StreamJsonRpc's behaviour: a method name holding a NUL is no registered
 * method (-32601), where a C comparison would have run "Add"; a method-not-found text cut inside a
 * character still goes as a JSON string (JSON-RPC requires "message"); a response holding both a
 * result and an error is its result, as StreamJsonRpc's formatter reads "result" first. */
static void JsonRpc_HostileMessages_AnsweredAsStreamJsonRpc(void **state)
{
    (void)state;
    const char *name = sp_unique_name("spjrpcm");
    NamedPipeServerStream *ss = NamedPipeServerStream_new(name);
    NamedPipeClientStream *cs = NamedPipeClientStream_new(name);
    assert_true(NamedPipeClientStream_Connect(cs, 10000));
    assert_true(NamedPipeServerStream_WaitForConnection(ss));
    server_state st = {0};
    JsonRpc *server = JsonRpc_new((Stream *)ss);
    add_service(server, &st);
    assert_true(JsonRpc_StartListening(server));
    static char buf[8192];
    write_frame((Stream *)cs, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"Add\\u0000Evil\",\"params\":[1,2]}");
    const char *reply = read_frame((Stream *)cs, buf, sizeof buf);
    if (!strstr(reply, "\"id\":8") || !strstr(reply, "-32601") || !strstr(reply, "\"message\"") ||
        strstr(reply, "\"result\""))
        fail_msg("Add\\u0000Evil: %s", reply);
    char request[2048];
    int k = snprintf(request, sizeof request, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"a");
    for (int i = 0; i < 300; i++)
        k += snprintf(request + k, sizeof request - (size_t)k, "\xc3\xa9");
    snprintf(request + k, sizeof request - (size_t)k, "\",\"params\":[]}");
    write_frame((Stream *)cs, request);
    reply = read_frame((Stream *)cs, buf, sizeof buf);
    if (!strstr(reply, "\"id\":7") || !strstr(reply, "-32601") || !strstr(reply, "\"message\""))
        fail_msg("a long name cut inside a character: %s", reply);
    Dispose(server);
    Dispose(cs);
    Dispose(ss);

    /* the client's side: result and error both, answering the request's own id */
    name = sp_unique_name("spjrpcb");
    ss = NamedPipeServerStream_new(name);
    cs = NamedPipeClientStream_new(name);
    assert_true(NamedPipeClientStream_Connect(cs, 10000));
    assert_true(NamedPipeServerStream_WaitForConnection(ss));
    JsonRpc *rpc = JsonRpc_Attach((Stream *)cs);
    assert_true(JsonRpc_set_OutboundRequestTimeout(rpc, 5000));
    sp_thread *t = sp_thread_start(answer_both, ss);
    Variant r;
    Variant args[2] = {Variant_FromInt32(2), Variant_FromInt32(3)};
    if (!JsonRpc_InvokeWithCancellation(rpc, "Add", args, 2, CancellationToken_None, &int32_info, &r))
        fail_msg("result and error: %s (%s)", sp_exc_name(Exception_get_Type(Exception_get_Current())),
                 Exception_get_Message(Exception_get_Current()));
    assert_int_equal(Variant_ToInt32(r), 42);
    EXPECT_NO_EXC();
    sp_thread_join(t);
    Dispose(rpc);
    Dispose(cs);
    Dispose(ss);
}

/* ------------------------------------------------------------------ messages StreamJsonRpc refuses */

/* What the other side sends next, read on a thread of its own (no assertion there): a frame, the
 * end of the stream (it disposed its end), or nothing within the time allowed, so that a peer
 * that stays silent or open fails the test rather than hangs it. */
enum next_thing { NEXT_NOTHING, NEXT_FRAME, NEXT_EOF, NEXT_BAD };

typedef struct next_probe {
    Stream *s;
    char *buf;
    size_t cap;
    const char *body;
    enum next_thing what;
    EventWaitHandle *done;
} next_probe;

static void next_main(void *arg)
{
    next_probe *e = arg;
    size_t n = 0;
    e->what = NEXT_BAD;
    while (n < 4 || memcmp(e->buf + n - 4, "\r\n\r\n", 4) != 0) {
        if (n + 1 >= e->cap)
            goto out;
        int32_t got = Stream_Read(e->s, e->buf, (int32_t)n, 1);
        if (got != 1) {
            e->what = got == 0 && n == 0 ? NEXT_EOF : NEXT_BAD;
            goto out;
        }
        n++;
    }
    e->buf[n] = 0;
    const char *cl = strstr(e->buf, "Content-Length: ");
    int32_t length = cl ? atoi(cl + 16) : 0;
    if (length <= 0 || n + (size_t)length >= e->cap || !Stream_ReadExactly(e->s, e->buf, (int32_t)n, length))
        goto out;
    e->buf[n + (size_t)length] = 0;
    e->body = e->buf + n;
    e->what = NEXT_FRAME;
out:
    EventWaitHandle_Set(e->done);
}

static enum next_thing next_within(Stream *s, int32_t ms, Stream *other_end, char *buf, size_t cap, const char **body)
{
    next_probe e = {s, buf, cap, NULL, NEXT_NOTHING, EventWaitHandle_new(false, EventResetMode_ManualReset)};
    assert_non_null(e.done);
    sp_thread *t = sp_thread_start(next_main, &e);
    bool in_time = WaitHandle_WaitOne(e.done, ms);
    if (!in_time)
        Stream_Close(other_end); /* the read returns (Dispose follows later, as Close allows) */
    sp_thread_join(t);
    Dispose(e.done);
    *body = e.body;
    return in_time ? e.what : NEXT_NOTHING;
}

static const char *next_name(enum next_thing w)
{
    return w == NEXT_FRAME ? "a frame"
           : w == NEXT_EOF ? "the end of the stream"
           : w == NEXT_BAD ? "bad bytes"
                           : "nothing";
}

typedef struct envelope_case {
    const char *name;
    const char *frame; /* a body (Content-Length added), or a whole raw frame when raw */
    bool raw;
    const char *reply; /* StreamJsonRpc 2.26.150's answer, byte for byte; NULL: it drops the connection */
} envelope_case;

#define ADD_7 "\"id\":7,\"method\":\"Add\",\"params\":[2,3]"
#define DROPS(n, body)                                                                                                 \
  {                                                                                                                    \
    n, body, false, NULL                                                                                               \
  }
#define ANSWERS(n, body, reply)                                                                                        \
  {                                                                                                                    \
    n, body, false, reply                                                                                              \
  }
/* A method given as a number or a boolean: the name StreamJsonRpc looks up is its .NET text. */
#define NAMED(json, text)                                                                                              \
  ANSWERS("method " #json, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":" #json ",\"params\":[]}",                        \
          "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,\"message\":\"No method by the name '" text        \
          "' is found.\"}}")

/* Sent to a server. Each row's outcome was observed with StreamJsonRpc 2.26.150 (a JsonRpc over
 * one end of Nerdbank.Streams' FullDuplexStream, the frame written raw to the other end). */
static const envelope_case server_cases[] = {
    DROPS("jsonrpc missing", "{" ADD_7 "}"),
    DROPS("jsonrpc \"1.0\"", "{\"jsonrpc\":\"1.0\"," ADD_7 "}"),
    DROPS("jsonrpc \"2\"", "{\"jsonrpc\":\"2\"," ADD_7 "}"),
    DROPS("jsonrpc \"2.00\"", "{\"jsonrpc\":\"2.00\"," ADD_7 "}"),
    DROPS("jsonrpc \" 2.0\"", "{\"jsonrpc\":\" 2.0\"," ADD_7 "}"),
    DROPS("jsonrpc \"2.0\\u0000\"", "{\"jsonrpc\":\"2.0\\u0000\"," ADD_7 "}"),
    DROPS("jsonrpc 2", "{\"jsonrpc\":2," ADD_7 "}"),
    DROPS("jsonrpc 2.0 (a number)", "{\"jsonrpc\":2.0," ADD_7 "}"),
    DROPS("jsonrpc null", "{\"jsonrpc\":null," ADD_7 "}"),
    DROPS("jsonrpc true", "{\"jsonrpc\":true," ADD_7 "}"),
    DROPS("jsonrpc [\"2.0\"]", "{\"jsonrpc\":[\"2.0\"]," ADD_7 "}"),
    DROPS("jsonrpc {}", "{\"jsonrpc\":{}," ADD_7 "}"),
    DROPS("jsonrpc \"2.0\", then \"1.0\" (the last counts)", "{\"jsonrpc\":\"2.0\"," ADD_7 ",\"jsonrpc\":\"1.0\"}"),
    ANSWERS("jsonrpc \"1.0\", then \"2.0\"", "{\"jsonrpc\":\"1.0\",\"jsonrpc\":\"2.0\"," ADD_7 "}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":5}"),
    ANSWERS("jsonrpc \"\\u0032.0\" (escaped, still 2.0)", "{\"jsonrpc\":\"\\u0032.0\"," ADD_7 "}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":5}"),
    DROPS("id 7.5", "{\"jsonrpc\":\"2.0\",\"id\":7.5,\"method\":\"Add\",\"params\":[2,3]}"),
    DROPS("id true", "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"Add\",\"params\":[2,3]}"),
    DROPS("id {}", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"Add\",\"params\":[2,3]}"),
    ANSWERS("id null: a request all the same", "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"Add\",\"params\":[2,3]}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":5}"),
    ANSWERS("id \"7\"", "{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"method\":\"Add\",\"params\":[2,3]}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"result\":5}"),
    DROPS("method null", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":null,\"params\":[]}"),
    DROPS("method [1]", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":[1],\"params\":[]}"),
    ANSWERS("method 5", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":5,\"params\":[]}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,\"message\":\"No method by the name '5' is "
            "found.\"}}"),
    ANSWERS("method 2.5", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":2.5,\"params\":[]}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,\"message\":\"No method by the name '2.5' is "
            "found.\"}}"),
    NAMED(true, "True"),
    NAMED(false, "False"),
    NAMED(-1, "-1"),
    NAMED(9223372036854775807, "9223372036854775807"),
    NAMED(100.0, "100"),
    NAMED(0.0001, "0.0001"),
    NAMED(1e-5, "1E-05"),
    NAMED(2.5e-5, "2.5E-05"),
    NAMED(-0.0, "-0"),
    NAMED(1e16, "10000000000000000"),
    NAMED(1e17, "1E+17"),
    NAMED(123456789012345.6, "123456789012345.6"),
    NAMED(1.7976931348623157e308, "1.7976931348623157E+308"),
    NAMED(5e-324, "5E-324"),
    /* invalid UTF-8: each maximal invalid subsequence read as one U+FFFD (EF BF BD), then served */
    ANSWERS("id \"x\\xff\\xfe\"", "{\"jsonrpc\":\"2.0\",\"id\":\"x\xff\xfe\",\"method\":\"Add\",\"params\":[2,3]}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"x\xef\xbf\xbd\xef\xbf\xbd\",\"result\":5}"),
    ANSWERS("id \"\\xe2\\x82y\" (cut short)",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xe2\x82y\",\"method\":\"Add\",\"params\":[2,3]}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xef\xbf\xbdy\",\"result\":5}"),
    ANSWERS("id \"\\xed\\xa0\\x80\" (a surrogate)",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xed\xa0\x80\",\"method\":\"Add\",\"params\":[2,3]}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\",\"result\":5}"),
    ANSWERS("id \"\\xc0\\xaf\" (overlong)",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xc0\xaf\",\"method\":\"Add\",\"params\":[2,3]}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xef\xbf\xbd\xef\xbf\xbd\",\"result\":5}"),
    ANSWERS("id \"\\xe0\\x80\\x80\" (overlong)",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xe0\x80\x80\",\"method\":\"Add\",\"params\":[2,3]}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\",\"result\":5}"),
    ANSWERS("id \"\\xf4\\x90\\x80\\x80\" (past U+10FFFF)",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xf4\x90\x80\x80\",\"method\":\"Add\",\"params\":[2,3]}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\",\"result\":5}"),
    ANSWERS("id \"\\xf0\\x9f\\x98\\x80\" (valid)",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xf0\x9f\x98\x80\",\"method\":\"Add\",\"params\":[2,3]}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\xf0\x9f\x98\x80\",\"result\":5}"),
    DROPS("no method, result or error", "{\"jsonrpc\":\"2.0\",\"id\":9}"),
    DROPS("a result without id", "{\"jsonrpc\":\"2.0\",\"result\":1}"),
    DROPS("a result with id null", "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":1}"),
    DROPS("an error with id null", "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-1,\"message\":\"m\"}}"),
    DROPS("an array", "[1]"),
    {"a bare LF in the header (BadRpcHeaderException)", "Content-Length: 2\n\n{}", true, NULL},
};

/* Answers sent to a client's Add(2, 3) (%ld: the request's id). */
typedef struct response_case {
    const char *name;
    const char *body;
    bool answers; /* the call returns 5; else it fails with ConnectionLostException */
} response_case;

static const response_case client_cases[] = {
    {"jsonrpc missing", "{\"id\":%ld,\"result\":5}", false},
    {"jsonrpc \"1.0\"", "{\"jsonrpc\":\"1.0\",\"id\":%ld,\"result\":5}", false},
    {"jsonrpc 2.0 (a number)", "{\"jsonrpc\":2.0,\"id\":%ld,\"result\":5}", false},
    {"jsonrpc null", "{\"jsonrpc\":null,\"id\":%ld,\"result\":5}", false},
    {"jsonrpc {}", "{\"jsonrpc\":{},\"id\":%ld,\"result\":5}", false},
    {"jsonrpc \"1.0\" in an error", "{\"jsonrpc\":\"1.0\",\"id\":%ld,\"error\":{\"code\":-1,\"message\":\"m\"}}",
     false},
    {"id 2.0 (a number)", "{\"jsonrpc\":\"2.0\",\"id\":%ld.0,\"result\":5}", false},
    {"jsonrpc \"\\u0032.0\"", "{\"jsonrpc\":\"\\u0032.0\",\"id\":%ld,\"result\":5}", true},
    {"id as a string: NormalizeId", "{\"jsonrpc\":\"2.0\",\"id\":\"%ld\",\"result\":5}", true},
    {"id as a string with white space", "{\"jsonrpc\":\"2.0\",\"id\":\" +%ld \",\"result\":5}", true},
};

typedef struct responder {
    Stream *s;
    const char *body;
} responder;

static void respond_main(void *arg)
{
    responder *r = arg;
    static char buf[4096];
    const char *request = read_frame(r->s, buf, sizeof buf);
    const char *id = strstr(request, "\"id\":");
    assert_non_null(id);
    char reply[256];
    snprintf(reply, sizeof reply, r->body, strtol(id + 5, NULL, 10));
    write_frame(r->s, reply);
}

/* StreamJsonRpc's JsonMessageFormatter.Deserialize(JToken) (src/StreamJsonRpc/JsonMessageFormatter.cs,
 * protocol 2.0: "\"jsonrpc\" property must be set to \"2.0\"", "\"id\" property missing.",
 * NormalizeId) and JsonRpc.HandleRpcAsync (UnexpectedResponseWithNoMatchingRequest,
 * UnrecognizedIncomingJsonRpc), with JsonMessageFormatterTests.DeserializingResultWithMissingIdFails
 * and DeserializingErrorWithMissingIdFails: what a server answers and what a client does with each
 * message, the rows observed with StreamJsonRpc 2.26.150. A message StreamJsonRpc refuses ends the
 * connection: nothing is answered, the peer reads the end of the stream, a pending call fails with
 * ConnectionLostException. */
static void JsonMessageFormatter_Deserialize_ProtocolCompliance(void **state)
{
    (void)state;
    static char buf[8192];
    for (size_t i = 0; i < sizeof server_cases / sizeof server_cases[0]; i++) {
        const envelope_case *c = &server_cases[i];
        print_message("to a server: %s\n", c->name);
        const char *name = sp_unique_name("spjrpcv");
        NamedPipeServerStream *ss = NamedPipeServerStream_new(name);
        NamedPipeClientStream *cs = NamedPipeClientStream_new(name);
        assert_true(NamedPipeClientStream_Connect(cs, 10000));
        assert_true(NamedPipeServerStream_WaitForConnection(ss));
        server_state st = {0};
        JsonRpc *server = JsonRpc_new((Stream *)ss);
        add_service(server, &st);
        assert_true(JsonRpc_StartListening(server));
        if (c->raw)
            assert_true(Stream_Write(cs, c->frame, 0, (int32_t)strlen(c->frame)));
        else
            write_frame((Stream *)cs, c->frame);
        const char *reply = NULL;
        enum next_thing next = next_within((Stream *)cs, 5000, (Stream *)ss, buf, sizeof buf, &reply);
        if (c->reply) {
            if (next != NEXT_FRAME || strcmp(reply, c->reply) != 0)
                fail_msg("%s: got %s %s, StreamJsonRpc answers %s", c->name, next_name(next), reply ? reply : "",
                         c->reply);
            assert_false(WaitHandle_WaitOne(JsonRpc_get_Completion(server), 0));
        } else {
            if (next != NEXT_EOF)
                fail_msg("%s: got %s %s (StreamJsonRpc answers nothing and disposes the stream)", c->name,
                         next_name(next), reply ? reply : "");
            assert_true(WaitHandle_WaitOne(JsonRpc_get_Completion(server), 5000));
        }
        Dispose(server);
        Dispose(cs);
        Dispose(ss);
    }
    for (size_t i = 0; i < sizeof client_cases / sizeof client_cases[0]; i++) {
        const response_case *c = &client_cases[i];
        print_message("to a client: %s\n", c->name);
        const char *name = sp_unique_name("spjrpcr");
        NamedPipeServerStream *ss = NamedPipeServerStream_new(name);
        NamedPipeClientStream *cs = NamedPipeClientStream_new(name);
        assert_true(NamedPipeClientStream_Connect(cs, 10000));
        assert_true(NamedPipeServerStream_WaitForConnection(ss));
        JsonRpc *rpc = JsonRpc_Attach((Stream *)cs);
        assert_true(JsonRpc_set_OutboundRequestTimeout(rpc, 5000));
        responder r = {(Stream *)ss, c->body};
        sp_thread *t = sp_thread_start(respond_main, &r);
        Variant result;
        Variant args[2] = {Variant_FromInt32(2), Variant_FromInt32(3)};
        bool ok = JsonRpc_InvokeWithCancellation(rpc, "Add", args, 2, CancellationToken_None, &int32_info, &result);
        if (c->answers) {
            if (!ok)
                fail_msg("%s: %s (%s), StreamJsonRpc returns the result", c->name,
                         sp_exc_name(Exception_get_Type(Exception_get_Current())),
                         Exception_get_Message(Exception_get_Current()));
            assert_int_equal(Variant_ToInt32(result), 5);
        } else {
            if (ok)
                fail_msg("%s: the call returned %d (StreamJsonRpc drops the connection)", c->name,
                         Variant_ToInt32(result));
            if (Exception_get_Type(Exception_get_Current()) != ExceptionType_ConnectionLostException)
                fail_msg("%s: %s, expected ConnectionLostException", c->name,
                         sp_exc_name(Exception_get_Type(Exception_get_Current())));
            sp_thread_join(t);
            t = NULL;
            const char *extra = NULL;
            enum next_thing next = next_within((Stream *)ss, 5000, (Stream *)cs, buf, sizeof buf, &extra);
            if (next != NEXT_EOF)
                fail_msg("%s: got %s (StreamJsonRpc disposes the stream)", c->name, next_name(next));
        }
        if (t)
            sp_thread_join(t);
        Dispose(rpc);
        Dispose(cs);
        Dispose(ss);
    }
}

/* JsonRpcTests.ConnectionLost...: the server goes away while a call waits */
static void dispose_later(void *arg)
{
    sp_sleep_ms(200);
    Dispose((JsonRpc *)arg);
}

static void JsonRpc_ServerDisposedMidCall_ConnectionLost(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    Variant arg = Variant_FromInt32(60000), r;
    assert_true(JsonRpc_set_OutboundRequestTimeout(p.client, 20000));
    sp_thread *t = sp_thread_start(dispose_later, p.server);
    time_t t0 = time(NULL);
    assert_false(JsonRpc_InvokeWithCancellation(p.client, "Slow", &arg, 1, CancellationToken_None, &int32_info, &r));
    EXPECT_EXC(ConnectionLostException);
    assert_true(time(NULL) - t0 < 10);
    sp_thread_join(t);
    assert_true(WaitHandle_WaitOne(JsonRpc_get_Completion(p.client), 10000));
    Dispose(p.client);
    Dispose(p.cs);
    Dispose(p.ss);
}

/* ------------------------------------------------------------------ the typed proxy (RPC-API.md 5.3) */

#define IService_MEMBERS(METHOD, ONEWAY)                                                                               \
  METHOD(Int32, Add, (Int32, a), (Int32, b))                                                                           \
  METHOD(String, Echo, (String, s))                                                                                    \
  METHOD(Int64, Big, (Int64, x))                                                                                       \
  METHOD(Int32, Slow, (Int32, ms), (CancellationToken, ct))                                                            \
  METHOD(Void, Fail)                                                                                                   \
  ONEWAY(Fire, (Int32, x))                                                                                             \
  METHOD(Int32, LastFired)
SHARPIPC_JSONRPC_PROXY(IService, IService_MEMBERS)

/* sharpipc's own (the C form of JsonRpc.Attach<IService>(stream) and its proxy's calls) */
static void JsonRpc_TypedProxy_Calls(void **state)
{
    (void)state;
    pair p;
    make_pair(&p);
    IService *svc = (IService *)p.client;
    assert_int_equal(IService_Add(svc, 2, 3), 5);
    EXPECT_NO_EXC();
    char *echo = IService_Echo(svc, "typed");
    assert_string_equal(echo, "typed");
    String_Free(echo);
    assert_null(IService_Echo(svc, NULL));
    EXPECT_NO_EXC();
    ASSERT_I64(IService_Big(svc, INT64_MIN), INT64_MIN);
    assert_false(IService_Fail(svc));
    EXPECT_EXC_MSG(RemoteInvocationException, "boom");
    assert_true(IService_Fire(svc, 77));
    assert_int_equal(IService_LastFired(svc), 77);
    CancellationTokenSource *cts = CancellationTokenSource_new();
    assert_true(CancellationTokenSource_CancelAfter(cts, 50));
    assert_int_equal(IService_Slow(svc, 20000, CancellationTokenSource_get_Token(cts)), 0);
    EXPECT_EXC(OperationCanceledException);
    Dispose(cts);
    assert_int_equal(IService_Slow(svc, 10, CancellationToken_None), 10);
    free_pair(&p);
}

/* ------------------------------------------------------------------ the typed target (RPC-API.md 5.4) */

typedef struct Point {
    int32_t X;
    int32_t Y;
} Point;
SHARPIPC_SERIALIZABLE(Point, "Point, MyAssembly", (Int32, X), (Int32, Y))

#define ITarget_MEMBERS(METHOD, ONEWAY)                                                                                \
  METHOD(Int32, Add, (Int32, a), (Int32, b))                                                                           \
  METHOD(String, Echo, (String, s))                                                                                    \
  METHOD(Array(Byte), Reverse, (Array(Byte), data))                                                                    \
  METHOD(Struct(Point), Move, (Struct(Point), p), (Int32, dx), (Int32, dy))                                            \
  METHOD(Int32, Slow, (Int32, ms), (CancellationToken, ct))                                                            \
  METHOD(Void, Fail)                                                                                                   \
  ONEWAY(Fire, (Int32, x))                                                                                             \
  METHOD(Int32, LastFired)
SHARPIPC_JSONRPC_TARGET(MyTarget, ITarget_MEMBERS);
SHARPIPC_JSONRPC_PROXY(ITarget, ITarget_MEMBERS)

static int32_t target_fired;

int32_t MyTarget_Add(void *self, int32_t a, int32_t b)
{
    (void)self;
    return a + b;
}
char *MyTarget_Echo(void *self, const char *s)
{
    (void)self;
    return s ? String_Concat("echo:", s) : NULL;
}
uint8_t *MyTarget_Reverse(void *self, const uint8_t *data, int32_t dataLength)
{
    (void)self;
    if (!data)
        return NULL;
    uint8_t *r = Array_CreateInstance(VariantType_Byte, dataLength);
    for (int32_t i = 0; i < dataLength; i++)
        r[i] = data[dataLength - 1 - i];
    return r;
}
Point MyTarget_Move(void *self, Point p, int32_t dx, int32_t dy)
{
    (void)self;
    Point r = {p.X + dx, p.Y + dy};
    return r;
}
int32_t MyTarget_Slow(void *self, int32_t ms, CancellationToken ct)
{
    (void)self;
    if (WaitHandle_WaitOne(CancellationToken_get_WaitHandle(ct), ms)) {
        Exception_Throw(ExceptionType_OperationCanceledException, "A task was canceled.");
        return 0;
    }
    return ms;
}
bool MyTarget_Fail(void *self)
{
    (void)self;
    return Exception_Throw(ExceptionType_InvalidOperationException, "boom");
}
bool MyTarget_Fire(void *self, int32_t x)
{
    (void)self;
    target_fired = x;
    return true;
}
int32_t MyTarget_LastFired(void *self)
{
    (void)self;
    return target_fired;
}

/* sharpipc's own (the C form of AddLocalRpcTarget(object) with its typed methods) */
static void JsonRpc_TypedTarget_Serves(void **state)
{
    (void)state;
    const char *name = sp_unique_name("spjrpct");
    NamedPipeServerStream *ss = NamedPipeServerStream_new(name);
    NamedPipeClientStream *cs = NamedPipeClientStream_new(name);
    assert_true(NamedPipeClientStream_Connect(cs, 10000));
    assert_true(NamedPipeServerStream_WaitForConnection(ss));
    JsonRpc *server = JsonRpc_new((Stream *)ss);
    assert_true(JsonRpc_AddLocalRpcTarget(server, &MyTarget_Target, NULL));
    assert_true(JsonRpc_StartListening(server));
    ITarget *client = (ITarget *)JsonRpc_Attach((Stream *)cs);
    assert_non_null(client);

    assert_int_equal(ITarget_Add(client, 2, 3), 5);
    char *e = ITarget_Echo(client, "hi");
    assert_string_equal(e, "echo:hi");
    String_Free(e);
    assert_null(ITarget_Echo(client, NULL));
    EXPECT_NO_EXC();
    static const uint8_t bytes[] = {1, 2, 3, 0, 255};
    int32_t n = 0;
    uint8_t *rev = ITarget_Reverse(client, bytes, 5, &n);
    assert_int_equal(n, 5);
    assert_memory_equal(rev, "\xff\x00\x03\x02\x01", 5);
    Array_Free(rev);
    Point moved = ITarget_Move(client, (Point){1, 2}, 10, 20);
    assert_int_equal(moved.X, 11);
    assert_int_equal(moved.Y, 22);
    assert_false(ITarget_Fail(client));
    EXPECT_EXC_MSG(RemoteInvocationException, "boom");
    assert_true(ITarget_Fire(client, 5));
    assert_int_equal(ITarget_LastFired(client), 5);
    CancellationTokenSource *cts = CancellationTokenSource_new();
    assert_true(CancellationTokenSource_CancelAfter(cts, 50));
    assert_int_equal(ITarget_Slow(client, 20000, CancellationTokenSource_get_Token(cts)), 0);
    EXPECT_EXC(OperationCanceledException);
    Dispose(cts);

    /* a wrong argument count or type: -32602, RemoteMethodNotFoundException (RPC-API.md 5.1) */
    Variant one = Variant_FromInt32(1), r;
    assert_false(JsonRpc_InvokeWithCancellation((JsonRpc *)client, "Add", &one, 1, CancellationToken_None, NULL, &r));
    EXPECT_EXC(RemoteMethodNotFoundException);
    assert_int_equal(RemoteRpcException_get_ErrorCode(Exception_get_Current()), -32602);
    Variant bad[2] = {Variant_FromString("x"), Variant_FromInt32(1)};
    assert_false(JsonRpc_InvokeWithCancellation((JsonRpc *)client, "Add", bad, 2, CancellationToken_None, NULL, &r));
    EXPECT_EXC(RemoteMethodNotFoundException);
    /* named arguments by the declared names */
    const char *names[2] = {"b", "a"};
    Variant named[2] = {Variant_FromInt32(4), Variant_FromInt32(3)};
    assert_true(
        JsonRpc_InvokeWithParameterObject((JsonRpc *)client, "Add", names, named, 2, CancellationToken_None, NULL, &r));
    assert_int_equal(Variant_ToInt32(r), 7);

    Dispose(client);
    Dispose(server);
    Dispose(cs);
    Dispose(ss);
}

/* sharpipc's own: the same JsonRpc over TCP (NetworkStream on both ends; Winsock under wine) */
static void JsonRpc_OverTcp_CClientCServer(void **state)
{
    (void)state;
    Socket *listener = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    IPEndPoint *ep = IPEndPoint_new(IPAddress_Loopback, 0);
    assert_true(Socket_Bind(listener, (EndPoint *)ep));
    assert_true(Socket_Listen(listener, 1));
    Dispose(ep);
    EndPoint *local = Socket_get_LocalEndPoint(listener);
    int32_t port = IPEndPoint_get_Port((IPEndPoint *)local);
    Dispose(local);
    Socket *c = Socket_newWithFamily(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    assert_true(Socket_ConnectAddress(c, IPAddress_Loopback, port));
    Socket *a = Socket_Accept(listener);
    assert_non_null(a);
    NetworkStream *cs = NetworkStream_new(c, true), *ss = NetworkStream_new(a, true);
    server_state st = {0};
    JsonRpc *server = JsonRpc_new((Stream *)ss);
    add_service(server, &st);
    assert_true(JsonRpc_StartListening(server));
    JsonRpc *client = JsonRpc_new((Stream *)cs);
    assert_true(JsonRpc_AddLocalRpcMethod(client, "ClientAdd", h_client_add, NULL));
    assert_true(JsonRpc_StartListening(client));
    Variant args[2] = {Variant_FromInt32(40), Variant_FromInt32(2)}, r;
    assert_true(JsonRpc_InvokeWithCancellation(client, "Add", args, 2, CancellationToken_None, &int32_info, &r));
    assert_int_equal(r.value.asInt32, 42);
    assert_true(JsonRpc_InvokeWithCancellation(client, "CallBack", args, 2, CancellationToken_None, &int32_info, &r));
    assert_int_equal(r.value.asInt32, 42);
    Variant big = Variant_FromInt64(INT64_MAX);
    assert_true(JsonRpc_InvokeWithCancellation(client, "Big", &big, 1, CancellationToken_None, &int64_info, &r));
    ASSERT_I64(r.value.asInt64, INT64_MAX);
    /* the server ends: the client's Completion is set and calls fail with ConnectionLostException */
    Dispose(server);
    Dispose(ss);
    assert_true(WaitHandle_WaitOne(JsonRpc_get_Completion(client), 10000));
    assert_false(JsonRpc_InvokeWithCancellation(client, "Add", args, 2, CancellationToken_None, &int32_info, &r));
    EXPECT_EXC(ConnectionLostException);
    Dispose(client);
    Dispose(cs);
    Dispose(a);
    Dispose(c);
    Dispose(listener);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(JsonRpc_InvokeWithCancellation_Positional),
        cmocka_unit_test(JsonRpc_InvokeWithParameterObject_Named),
        cmocka_unit_test(JsonRpc_Invoke_StringsAndInt64),
        cmocka_unit_test(JsonRpc_Invoke_RemoteErrors),
        cmocka_unit_test(JsonRpc_InvokeWithCancellation_CancelsServerMethod),
        cmocka_unit_test(JsonRpc_OutboundRequestTimeout_Times),
        cmocka_unit_test(JsonRpc_Handler_CallsClientBack),
        cmocka_unit_test(JsonRpc_Notify_InOrder),
        cmocka_unit_test(JsonRpc_Misuse_InvalidOperation),
        cmocka_unit_test(JsonRpc_HostilePeer_FailsEachCall),
        cmocka_unit_test(JsonRpc_HostileMessages_AnsweredAsStreamJsonRpc),
        cmocka_unit_test(JsonMessageFormatter_Deserialize_ProtocolCompliance),
        cmocka_unit_test(JsonRpc_ServerDisposedMidCall_ConnectionLost),
        cmocka_unit_test(JsonRpc_TypedProxy_Calls),
        cmocka_unit_test(JsonRpc_TypedTarget_Serves),
        cmocka_unit_test(JsonRpc_OverTcp_CClientCServer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
