/*
 * Dispose on another thread while a pipe call blocks, on the ONLY reference (no Object_Retain in
 * this file): the blocked call must end with .NET's exception, and nothing may be touched after it
 * is freed (ASan+UBSan and valgrind check that), nor leak.
 *
 * Each row: the main thread builds the objects, a thread starts the blocking call on the target,
 * the main thread waits until the call holds its pin, sleeps 0-2 ms, and disposes the target (or
 * disconnects it, for the Disconnect row), then joins the thread and checks how the call ended.
 * 200 times each. The rows are sharpipc's own; each is named after the closest dotnet/runtime
 * System.IO.Pipes test class and says which .NET test it follows.
 */
#include "sp_test.h"
#include "sp_process.h"

#include <stdatomic.h>

#include "core/internal.h" /* the reference count, to wait until the call holds its pin */

#define ROUNDS 200
#define MSG_PIPE_CLOSED "Cannot access a closed pipe."
#define BIG_WRITE (4 * 1024 * 1024)

typedef struct trial {
    Object *target; /* the only reference: the main thread disposes it while the call blocks */
    Object *peer;   /* the other end, if any: disposed after the thread has joined */
    atomic_int started;
    int round;
    /* how the call ended, recorded on its thread (exceptions are per thread) */
    int64_t result;
    ExceptionType exception;
    char message[256];
} trial;

typedef struct row {
    const char *name;
    void (*setup)(trial *t);
    int64_t (*call)(trial *t);
    /* what the main thread does while the call blocks; NULL: Dispose(target) */
    void (*interrupt)(trial *t);
    void (*check)(trial *t);
} row;

static char pipe_name[128];
static uint8_t *big_buffer;

static void new_name(void) { snprintf(pipe_name, sizeof pipe_name, "%s", sp_unique_name("spdispose")); }

static void connect_pair(NamedPipeServerStream **server, NamedPipeClientStream **client)
{
    new_name();
    *server = NamedPipeServerStream_new(pipe_name);
    assert_non_null(*server);
    *client = NamedPipeClientStream_new(pipe_name);
    assert_non_null(*client);
    assert_true(NamedPipeClientStream_Connect(*client, 5000));
    assert_true(NamedPipeServerStream_WaitForConnection(*server));
}

static const row *current_row;

static void run_call(void *arg)
{
    trial *t = arg;
    atomic_store(&t->started, 1);
    t->result = current_row->call(t);
    const Exception *e = Exception_get_Current();
    t->exception = e ? Exception_get_Type(e) : ExceptionType_None;
    snprintf(t->message, sizeof t->message, "%s", e ? Exception_get_Message(e) : "");
}

static void run_row(const row *r)
{
    current_row = r;
    for (int i = 0; i < ROUNDS; i++) {
        trial t = {0};
        t.round = i;
        r->setup(&t);
        sp_thread *thread = sp_thread_start(run_call, &t);
        while (!atomic_load(&t.started))
            sp_sleep_ms(0);
        /* the call's pin: a second reference beside ours (bounded, so that code that does not pin
         * fails under ASan instead of hanging here) */
        for (int wait = 0; atomic_load(&t.target->refs) < 2 && wait < 1000; wait++)
            sp_sleep_ms(wait < 100 ? 0 : 1);
        sp_sleep_ms(i % 3);
        if (r->interrupt)
            r->interrupt(&t);
        else
            assert_true(Dispose(t.target));
        sp_thread_join(thread);
        if (t.exception != ExceptionType_None && t.exception != ExceptionType_ObjectDisposedException &&
            t.exception != ExceptionType_IOException)
            print_error("%s round %d: %s: %s\n", r->name, i, sp_exc_name(t.exception), t.message);
        r->check(&t);
        if (r->interrupt)
            Dispose(t.target);
        Dispose(t.peer);
    }
}

static void expect_disposed(trial *t, int64_t failed)
{
    if (t->result != failed || t->exception != ExceptionType_ObjectDisposedException ||
        strcmp(t->message, MSG_PIPE_CLOSED) != 0)
        fail_msg("round %d: result %lld, %s: %s", t->round, (long long)t->result, sp_exc_name(t->exception),
                 t->message);
}

static void expect_disposed_false(trial *t) { expect_disposed(t, 0); }
static void expect_disposed_minus_one(trial *t) { expect_disposed(t, -1); }

/* ------------------------------------------------------------------ WaitForConnection */

static void setup_server(trial *t)
{
    new_name();
    t->target = (Object *)NamedPipeServerStream_new(pipe_name);
    assert_non_null(t->target);
}

static int64_t call_wait_for_connection(trial *t)
{
    return NamedPipeServerStream_WaitForConnection((NamedPipeServerStream *)t->target);
}

/* ------------------------------------------------------------------ Connect(timeout) */

static void setup_client_without_server(trial *t)
{
    new_name();
    t->target = (Object *)NamedPipeClientStream_new(pipe_name);
    assert_non_null(t->target);
}

static int64_t call_connect(trial *t)
{
    return NamedPipeClientStream_Connect((NamedPipeClientStream *)t->target, 60000);
}

/* ------------------------------------------------------------------ Read and Write */

/* Even rounds block in the client, odd ones in the server (whose connection keeps its instance). */
static void setup_connected(trial *t)
{
    NamedPipeServerStream *server;
    NamedPipeClientStream *client;
    connect_pair(&server, &client);
    t->target = t->round % 2 ? (Object *)server : (Object *)client;
    t->peer = t->round % 2 ? (Object *)client : (Object *)server;
}

static int64_t call_read(trial *t)
{
    uint8_t buf[64];
    return Stream_Read((Stream *)t->target, buf, 0, sizeof buf);
}

static int64_t call_write(trial *t)
{
    /* far more than the OS buffers, and the peer never reads */
    return Stream_Write((Stream *)t->target, big_buffer, 0, BIG_WRITE);
}

/* ------------------------------------------------------------------ Disconnect during Read */

static void setup_server_reads(trial *t)
{
    NamedPipeServerStream *server;
    NamedPipeClientStream *client;
    connect_pair(&server, &client);
    t->target = (Object *)server;
    t->peer = (Object *)client;
}

static void disconnect(trial *t) { assert_true(NamedPipeServerStream_Disconnect((NamedPipeServerStream *)t->target)); }

/* A read blocked when Disconnect comes ends as a read whose connection is gone: end of stream
 * (.NET reads 0 when Disconnect leaves ERROR_PIPE_NOT_CONNECTED under a Windows read). A read that
 * only starts after Disconnect (the pin waited for is the object's, taken before the state check)
 * fails as .NET's does; most rounds must be of the first kind. The client sees its server gone. */
static int blocked_rounds;

static void expect_end_of_stream(trial *t)
{
    if (t->round == 0)
        blocked_rounds = 0;
    if (t->result == 0 && t->exception == ExceptionType_None)
        blocked_rounds++;
    else if (t->result != -1 || t->exception != ExceptionType_InvalidOperationException ||
             strcmp(t->message, "Pipe is in a disconnected state.") != 0)
        fail_msg("round %d: result %lld, %s: %s", t->round, (long long)t->result, sp_exc_name(t->exception),
                 t->message);
    assert_false(PipeStream_get_IsConnected((PipeStream *)t->target));
    uint8_t b[4];
    assert_int_equal(Stream_Read((Stream *)t->peer, b, 0, 4), 0);
    EXPECT_NO_EXC();
    if (t->round == ROUNDS - 1 && blocked_rounds < ROUNDS / 2)
        fail_msg("only %d of %d reads were blocked when Disconnect came", blocked_rounds, ROUNDS);
}

/* The stream's SafePipeHandle closed first (SafeHandle_Close: the owner's reference goes, the
 * blocked read keeps the descriptor), then the stream disposed: the Dispose still wakes the read
 * (which once found the handle closed and woke nothing: the read blocked for good). */
static void close_safe_handle_then_dispose(trial *t)
{
    assert_true(SafeHandle_Close((SafeHandle *)PipeStream_get_SafePipeHandle((PipeStream *)t->target)));
    assert_true(Dispose(t->target));
    t->target = NULL; /* (run_row's own Dispose after the join: of nothing) */
}

/* ------------------------------------------------------------------ anonymous pipes */

/* The server reads; the only write end is its own copy of the client handle. */
static void setup_anonymous_reader(trial *t)
{
    t->target = (Object *)AnonymousPipeServerStream_new(PipeDirection_In, HandleInheritability_None);
    assert_non_null(t->target);
}

/* ------------------------------------------------------------------ the rows */

/* sharpipc's own, all of them (.NET ends these calls with a cancellation token or by disposing
 * the other end; Dispose of the blocked object itself is the C rule of docs/design.md). Each row is
 * named <closest dotnet/runtime test class>_<call>_<what happens>: */
static const row rows[] = {
    /* cf. dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeStreamConformanceTests.cs
       (NamedPipeStreamConformanceTests): CancelTokenOn_ServerWaitForConnectionAsync_Throws_OperationCanceledException */
    {"NamedPipeStreamConformanceTests_WaitForConnection_DisposedWhileWaiting", setup_server, call_wait_for_connection,
     NULL, expect_disposed_false},
    /* cf. NamedPipeTests/NamedPipeTest.Specific.cs: CancelConnectToNonExistentServer_Throws_OperationCanceledException */
    {"NamedPipeTest_Specific_Connect_NonExistentServer_DisposedWhileConnecting", setup_client_without_server,
     call_connect, NULL, expect_disposed_false},
    /* cf. PipeStreamConformanceTests.cs (its base, ConnectedStreamConformanceTests, cancels pending reads) */
    {"NamedPipeStreamConformanceTests_Read_PeerSilent_Disposed", setup_connected, call_read, NULL,
     expect_disposed_minus_one},
    {"NamedPipeStreamConformanceTests_Write_PeerNotReading_Disposed", setup_connected, call_write, NULL,
     expect_disposed_false},
    {"NamedPipeStreamConformanceTests_Read_PeerSilent_SafeHandleClosedThenDisposed", setup_connected, call_read,
     close_safe_handle_then_dispose, expect_disposed_minus_one},
    /* cf. NamedPipeTests/NamedPipeTest.Simple.cs: ReadAsync_DisconnectDuringRead_Returns0 (there the
       other end goes; here the server disconnects under its own read) */
    {"NamedPipeTest_Simple_Read_DisconnectDuringRead_Returns0", setup_server_reads, call_read, disconnect,
     expect_end_of_stream},
    /* cf. PipeStreamConformanceTests.cs (AnonymousPipeStreamConformanceTests) */
    {"AnonymousPipeStreamConformanceTests_Read_Disposed", setup_anonymous_reader, call_read, NULL,
     expect_disposed_minus_one},
};

static void run_row_test(void **state) { run_row(*state); }

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    big_buffer = calloc(1, BIG_WRITE);
    enum { NROWS = sizeof rows / sizeof rows[0] };
    struct CMUnitTest tests[NROWS];
    for (int i = 0; i < NROWS; i++)
        tests[i] = (struct CMUnitTest){rows[i].name, run_row_test, NULL, NULL, (void *)&rows[i]};
    int failed = _cmocka_run_group_tests("test_pipes_dispose", tests, NROWS, NULL, NULL);
    free(big_buffer);
    return failed;
}
