/*
 * Named and anonymous pipes, with real processes on both ends (this executable re-runs itself as
 * the child; see sp_process.h). The behaviours are those of dotnet/runtime's
 * System.IO.Pipes.Tests (DOTNET_COMPAT.md 7.1).
 */
#include "sp_test.h"
#include "sp_process.h"

#ifndef _WIN32
#  include <fcntl.h>
#  include <sys/socket.h>
#  include <sys/stat.h>
#  include <sys/un.h>
#endif

#define KOREAN_EMOJI "안녕하세요, 세계! 👋🌍"
#define CHILD_OK 0

static const char *pipe_name; /* fresh for each test */

#ifdef _WIN32
#  include <windows.h>
static bool running_under_wine(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version");
}
#else
static bool running_under_wine(void) { return false; }
#endif

static int setup(void **state)
{
    (void)state;
    pipe_name = sp_unique_name("sptest");
    return 0;
}

static sp_child *start_child(const char *role, const char *arg2)
{
    const char *args[2] = {pipe_name, arg2};
    sp_child *c = sp_child_start(role, args, arg2 ? 2 : 1);
    assert_non_null(c);
    return c;
}

/* ------------------------------------------------------------------ child roles */

/* The seed client: connect, read the server's line, answer with one of its own. */
static int role_seed_client(int argc, char **argv)
{
    (void)argc;
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", argv[0], PipeDirection_InOut);
    if (!NamedPipeClientStream_Connect(client, 10000))
        return 10;
    StreamReader *reader = StreamReader_new(client);
    char *data = StreamReader_ReadLine(reader);
    if (!data || strcmp(data, "Hello from server! " KOREAN_EMOJI) != 0)
        return 11;
    String_Free(data);
    StreamWriter *writer = StreamWriter_new(client);
    StreamWriter_WriteLine(writer, "Hello from client! " KOREAN_EMOJI);
    StreamWriter_Flush(writer);
    Dispose(writer);
    Dispose(reader);
    Dispose(client);
    return Exception_get_Current() ? 12 : CHILD_OK;
}

#define RECORDS 5000

static bool write_records(Stream *s)
{
    BinaryWriter *w = BinaryWriter_new(s);
    char text[64];
    for (int i = 0; i < RECORDS; i++) {
        snprintf(text, sizeof text, "record %d %s", i, i % 7 ? "" : KOREAN_EMOJI);
        BinaryWriter_Write(w, (int32_t)i);
        BinaryWriter_Write(w, text);
        BinaryWriter_Write(w, i * 0.5);
    }
    bool ok = !Exception_get_Current();
    Dispose(w);
    return ok;
}

static bool read_records(Stream *s)
{
    BinaryReader *r = BinaryReader_new(s);
    char text[64];
    bool ok = true;
    for (int i = 0; i < RECORDS && ok; i++) {
        snprintf(text, sizeof text, "record %d %s", i, i % 7 ? "" : KOREAN_EMOJI);
        ok = BinaryReader_ReadInt32(r) == i;
        char *got = BinaryReader_ReadString(r);
        ok = ok && got && strcmp(got, text) == 0;
        String_Free(got);
        ok = ok && BinaryReader_ReadDouble(r) == i * 0.5;
    }
    /* then the writer is gone: end of stream */
    BinaryReader_ReadByte(r);
    ok = ok && Exception_Is(Exception_get_Current(), ExceptionType_EndOfStreamException);
    Dispose(r);
    return ok;
}

/* A server that writes the records, then goes away. */
static int role_records_server(int argc, char **argv)
{
    (void)argc;
    NamedPipeServerStream *server = NamedPipeServerStream_new(argv[0], PipeDirection_Out);
    if (!server || !NamedPipeServerStream_WaitForConnection(server))
        return 20;
    bool ok = write_records((Stream *)server);
    Dispose(server);
    return ok ? CHILD_OK : 21;
}

/* A client that reads the records a server sends. */
static int role_records_client(int argc, char **argv)
{
    (void)argc;
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", argv[0], PipeDirection_In);
    if (!NamedPipeClientStream_Connect(client, 10000))
        return 30;
    bool ok = read_records((Stream *)client);
    Dispose(client);
    return ok ? CHILD_OK : 31;
}

/* Connects, sends one byte, expects it back plus one. */
static int role_echo_client(int argc, char **argv)
{
    (void)argc;
    NamedPipeClientStream *client = NamedPipeClientStream_new(argv[0]);
    if (!NamedPipeClientStream_Connect(client, 10000))
        return 40;
    Stream_WriteByte(client, 41);
    int b = Stream_ReadByte(client);
    Dispose(client);
    return b == 42 ? CHILD_OK : 41;
}

/* Writes half of an Int64 and then waits to be killed. */
static int role_half_writer(int argc, char **argv)
{
    (void)argc;
    NamedPipeClientStream *client = NamedPipeClientStream_new(argv[0]);
    if (!NamedPipeClientStream_Connect(client, 10000))
        return 50;
    uint8_t half[4] = {1, 2, 3, 4};
    Stream_Write(client, half, 0, 4);
    sp_sleep_ms(60000);
    return 51;
}

/* Holds a server open until killed. */
static int role_hold_server(int argc, char **argv)
{
    (void)argc;
    NamedPipeServerStream *server = NamedPipeServerStream_new(argv[0]);
    if (!server)
        return 60;
    NamedPipeServerStream_WaitForConnection(server); /* the probe's connect, or a test's */
    sp_sleep_ms(60000);
    return 61;
}

/* Reads lines from an anonymous pipe handle, then answers on a second one. */
static int role_anonymous_child(int argc, char **argv)
{
    if (argc < 2)
        return 70;
    AnonymousPipeClientStream *in = AnonymousPipeClientStream_new(PipeDirection_In, argv[0]);
    AnonymousPipeClientStream *out = AnonymousPipeClientStream_new(PipeDirection_Out, argv[1]);
    if (!in || !out)
        return 71;
    StreamReader *reader = StreamReader_new(in);
    StreamWriter *writer = StreamWriter_new(out);
    int lines = 0;
    char *line;
    while ((line = StreamReader_ReadLine(reader))) {
        StreamWriter_WriteLine(writer, line);
        String_Free(line);
        lines++;
    }
    StreamWriter_WriteLine(writer, lines);
    Dispose(writer);
    Dispose(reader);
    Dispose(in);
    Dispose(out);
    return Exception_get_Current() ? 72 : CHILD_OK;
}

#define CONCURRENT 64
#define CONCURRENT_BYTES 16384

static void fill_pattern(uint8_t *buf, int n, int id)
{
    for (int i = 0; i < n; i++)
        buf[i] = (uint8_t)(id * 31 + i * 7);
}

typedef struct {
    const char *name;
    int id;
    bool ok;
} concurrent_job;

static void concurrent_client(void *p)
{
    concurrent_job *job = p;
    NamedPipeClientStream *client = NamedPipeClientStream_new(job->name);
    if (!NamedPipeClientStream_Connect(client, 20000)) {
        Dispose(client);
        return;
    }
    uint8_t out[CONCURRENT_BYTES], back[CONCURRENT_BYTES];
    fill_pattern(out, CONCURRENT_BYTES, job->id);
    BinaryWriter *w = BinaryWriter_new(client, NULL, true);
    BinaryWriter_Write(w, (int32_t)job->id);
    BinaryWriter_Write(w, out, 0, CONCURRENT_BYTES);
    job->ok = Stream_ReadExactly(client, back, 0, CONCURRENT_BYTES) && memcmp(out, back, CONCURRENT_BYTES) == 0;
    Dispose(w);
    Dispose(client);
}

/* 64 clients on 64 threads, each with its own pattern. */
static int role_concurrent_clients(int argc, char **argv)
{
    (void)argc;
    static concurrent_job jobs[CONCURRENT];
    sp_thread *threads[CONCURRENT];
    for (int i = 0; i < CONCURRENT; i++) {
        jobs[i] = (concurrent_job){argv[0], i, false};
        threads[i] = sp_thread_start(concurrent_client, &jobs[i]);
    }
    int failed = 0;
    for (int i = 0; i < CONCURRENT; i++) {
        sp_thread_join(threads[i]);
        failed += !jobs[i].ok;
    }
    return failed ? 80 : CHILD_OK;
}

/* Message mode from another process: three messages, then one read in message mode back. */
static int role_message_client(int argc, char **argv)
{
    (void)argc;
    NamedPipeClientStream *client = NamedPipeClientStream_new(argv[0]);
    if (!NamedPipeClientStream_Connect(client, 10000) || !PipeStream_set_ReadMode(client, PipeTransmissionMode_Message))
        return 90;
    uint8_t m1[] = {5, 7, 9, 10}, m2[] = {2, 4};
    if (!Stream_Write(client, m1, 0, 4) || !Stream_Write(client, m2, 0, 2) || !Stream_Write(client, m1, 0, 4))
        return 91;
    uint8_t reply[16];
    int n = Stream_Read(client, reply, 0, 2); /* the server's 5-byte message, two bytes at a time */
    bool incomplete = n == 2 && !PipeStream_get_IsMessageComplete(client);
    int rest = Stream_Read(client, reply + 2, 0, 14);
    bool complete = rest == 3 && PipeStream_get_IsMessageComplete(client);
    Dispose(client);
    return incomplete && complete && memcmp(reply, "hello", 5) == 0 ? CHILD_OK : 92;
}

/* ------------------------------------------------------------------ tests */

/* sharpipc's own: API.md section 4's seed program line for line, with the client in another process. */
static void seed_server_and_client(void **state)
{
    (void)state;
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut);
    assert_non_null(server);
    sp_child *child = start_child("seed-client", NULL);
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    assert_true(PipeStream_get_IsConnected(server));
    StreamWriter *writer = StreamWriter_new(server);
    StreamWriter_WriteLine(writer, "Hello from server! " KOREAN_EMOJI);
    StreamWriter_Flush(writer);
    StreamReader *reader = StreamReader_new(server);
    char *reply = StreamReader_ReadLine(reader);
    assert_non_null(reply);
    assert_string_equal(reply, "Hello from client! " KOREAN_EMOJI);
    String_Free(reply);
    assert_int_equal(sp_child_wait(child, 20000), CHILD_OK);
    sp_child_free(child);
    /* the client is gone: end of stream */
    assert_null(StreamReader_ReadLine(reader));
    EXPECT_NO_EXC();
    Dispose(reader);
    Dispose(writer);
    Dispose(server);
}

/* sharpipc's own: BinaryWriter/BinaryReader records over a named pipe to and from another process
   (cf. dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CrossProcess.cs) */
static void binary_records_both_ways(void **state)
{
    (void)state;
    /* a server in the child, this process the client */
    sp_child *child = start_child("records-server", NULL);
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", pipe_name, PipeDirection_In);
    assert_true(NamedPipeClientStream_Connect(client, 10000));
    assert_true(read_records((Stream *)client));
    Dispose(client);
    assert_int_equal(sp_child_wait(child, 30000), CHILD_OK);
    sp_child_free(child);
    /* and the other way round */
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name, PipeDirection_Out);
    assert_non_null(server);
    child = start_child("records-client", NULL);
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    assert_true(write_records((Stream *)server));
    Dispose(server);
    assert_int_equal(sp_child_wait(child, 30000), CHILD_OK);
    sp_child_free(child);
}

/* sharpipc's own: one server serves three client processes one after another (cf.
   dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: MultipleWaitingClients_ServerServesOneAtATime,
   ported in test_pipes_dotnet.c) */
static void server_serves_clients_one_at_a_time(void **state)
{
    (void)state;
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    assert_non_null(server);
    for (int i = 0; i < 3; i++) {
        sp_child *child = start_child("echo-client", NULL);
        assert_true(NamedPipeServerStream_WaitForConnection(server));
        assert_int_equal(Stream_ReadByte(server), 41);
        assert_true(Stream_WriteByte(server, 42));
        assert_int_equal(sp_child_wait(child, 20000), CHILD_OK);
        sp_child_free(child);
        assert_true(NamedPipeServerStream_Disconnect(server));
        assert_false(PipeStream_get_IsConnected(server));
    }
    Dispose(server);
}

typedef struct {
    NamedPipeServerStream *server;
    bool ok;
} instance_job;

static void serve_one(void *p)
{
    instance_job *job = p;
    NamedPipeServerStream *s = job->server;
    if (!NamedPipeServerStream_WaitForConnection(s))
        return;
    BinaryReader *r = BinaryReader_new(s, NULL, true);
    int32_t id = BinaryReader_ReadInt32(r);
    uint8_t got[CONCURRENT_BYTES], want[CONCURRENT_BYTES];
    bool ok = Stream_ReadExactly(s, got, 0, CONCURRENT_BYTES);
    fill_pattern(want, CONCURRENT_BYTES, id);
    ok = ok && id >= 0 && id < CONCURRENT && memcmp(got, want, CONCURRENT_BYTES) == 0;
    ok = ok && Stream_Write(s, got, 0, CONCURRENT_BYTES);
    Dispose(r);
    job->ok = ok;
}

/* sharpipc's own: 64 instances of one name in this process, 64 clients in another, every byte checked (cf.
   dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: MultipleServers_ServeMultipleClientsConcurrently,
   ported in test_pipes_dotnet.c) */
static void concurrent_clients_on_many_instances(void **state)
{
    (void)state;
    static instance_job jobs[CONCURRENT];
    sp_thread *threads[CONCURRENT];
    for (int i = 0; i < CONCURRENT; i++) {
        jobs[i].server = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, CONCURRENT);
        assert_non_null(jobs[i].server);
        jobs[i].ok = false;
        threads[i] = sp_thread_start(serve_one, &jobs[i]);
    }
    sp_child *child = start_child("concurrent-clients", NULL);
    assert_int_equal(sp_child_wait(child, 60000), CHILD_OK);
    sp_child_free(child);
    int served = 0;
    for (int i = 0; i < CONCURRENT; i++) {
        sp_thread_join(threads[i]);
        served += jobs[i].ok;
        Dispose(jobs[i].server);
    }
    assert_int_equal(served, CONCURRENT);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: ConnectToNonExistentServer_Throws_TimeoutException
   (the sync Connect(60)); also the Connect(-111) row of InvalidConnectTimeout_Throws_ArgumentOutOfRangeException
   with .NET's message; Connect(0) (one attempt, then the timeout) is sharpipc's own */
static void NamedPipeTest_Specific_ConnectToNonExistentServer_Throws_TimeoutException(void **state)
{
    (void)state;
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", "notthere_sharpipc");
    assert_false(NamedPipeClientStream_Connect(client, 60));
    EXPECT_EXC(TimeoutException);
    assert_false(NamedPipeClientStream_Connect(client, 0)); /* one attempt, then the timeout */
    EXPECT_EXC(TimeoutException);
    assert_false(NamedPipeClientStream_Connect(client, -111));
    EXPECT_EXC_MSG(ArgumentOutOfRangeException,
                   "Timeout must be non-negative or equal to -1 (Timeout.Infinite) (Parameter 'timeout')");
    EXPECT_PARAM("timeout");
    assert_false(PipeStream_get_IsConnected(client));
    Dispose(client);
}

/* sharpipc's own: one overload each of the constructor checks of
   dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs (NullPipeName_Throws_ArgumentNullException,
   ZeroLengthPipeName_Throws_ArgumentException, InvalidPipeDirection_..., InvalidServerInstances_... and
   ServerInstancesOver254_..., InvalidTransmissionMode_..., InvalidPipeOptions_..., InvalidBufferSize_...,
   ReservedPipeName_Throws_ArgumentOutOfRangeException, which .NET tests on Windows only) and of
   NamedPipeTest.CreateClient.cs (NullPipeName_..., EmptyStringPipeName_..., NullServerName_...,
   EmptyStringServerName_..., ReservedPipeName_..., InvalidPipeOptions_..., InvalidImpersonationLevel_...,
   and inheritability 5 beside NamedPipeClientStream_InvalidHandleInerhitability's -1 and 2). Each is
   ported with .NET's full [Theory] table in test_pipes_dotnet.c. */
static void constructor_arguments(void **state)
{
    (void)state;
    assert_null(NamedPipeServerStream_new(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("pipeName");
    assert_null(NamedPipeServerStream_new(""));
    EXPECT_EXC(ArgumentException);
    EXPECT_PARAM("pipeName");
    assert_null(NamedPipeServerStream_new(pipe_name, (PipeDirection)123));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("direction");
    int bad_max[] = {0, -2, 255};
    for (int i = 0; i < 3; i++) {
        assert_null(NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, bad_max[i]));
        EXPECT_EXC(ArgumentOutOfRangeException);
        EXPECT_PARAM("maxNumberOfServerInstances");
    }
    assert_null(NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1, (PipeTransmissionMode)123));
    EXPECT_PARAM("transmissionMode");
    assert_null(
        NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1, PipeTransmissionMode_Byte, (PipeOptions)255));
    EXPECT_PARAM("options");
    assert_null(NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1, PipeTransmissionMode_Byte,
                                          PipeOptions_None, -1, 0));
    EXPECT_PARAM("inBufferSize");
    assert_null(NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1, PipeTransmissionMode_Byte,
                                          PipeOptions_None, 0, -123));
    EXPECT_PARAM("outBufferSize");
    assert_null(NamedPipeServerStream_new("anonymous"));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("pipeName");

    assert_null(NamedPipeClientStream_new(NULL));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("pipeName");
    assert_null(NamedPipeClientStream_new(""));
    EXPECT_EXC(ArgumentException);
    assert_null(NamedPipeClientStream_new(NULL, pipe_name));
    EXPECT_EXC(ArgumentNullException);
    EXPECT_PARAM("serverName");
    assert_null(NamedPipeClientStream_new("", pipe_name));
    EXPECT_EXC(ArgumentException);
    assert_null(NamedPipeClientStream_new(".", "anonymous"));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("pipeName");
    assert_null(NamedPipeClientStream_new(".", pipe_name, PipeDirection_InOut, (PipeOptions)255));
    EXPECT_PARAM("options");
    assert_null(NamedPipeClientStream_new(".", pipe_name, PipeDirection_InOut, PipeOptions_None,
                                          (SpTokenImpersonationLevel)999));
    EXPECT_PARAM("impersonationLevel");
    assert_null(NamedPipeClientStream_new(".", pipe_name, PipeDirection_InOut, PipeOptions_None,
                                          TokenImpersonationLevel_None, (HandleInheritability)5));
    EXPECT_PARAM("inheritability");
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: MaxNumberOfServerInstances_TooManyServers_Throws
   (max 1, then max 3 with a max-1 instance refused and a 4th refused; the rows with max 2 and 4 are
   NamedPipeTest_Specific_MaxNumberOfServerInstances_TooManyServers_Throws_LaterMaxIgnored in
   test_pipes_dotnet.c); the name free again afterwards is sharpipc's own */
static void NamedPipeTest_Specific_MaxNumberOfServerInstances_TooManyServers_Throws(void **state)
{
    (void)state;
    NamedPipeServerStream *one = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1);
    assert_non_null(one);
    assert_null(NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1));
    EXPECT_EXC(IOException);
    Dispose(one);

    NamedPipeServerStream *three[3];
    three[0] = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 3);
    assert_non_null(three[0]);
    NamedPipeServerStream *first_instance = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1);
    if (first_instance && running_under_wine()) {
        /* wine ignores FILE_FLAG_FIRST_PIPE_INSTANCE; Windows refuses, as the POSIX port does */
        print_message("wine: FILE_FLAG_FIRST_PIPE_INSTANCE not enforced; skipping that one check\n");
        Dispose(first_instance);
    } else {
        assert_null(first_instance);
        EXPECT_EXC(UnauthorizedAccessException);
    }
    three[1] = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 3);
    three[2] = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 3);
    assert_non_null(three[1]);
    assert_non_null(three[2]);
    assert_null(NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 3));
    EXPECT_EXC_MSG(IOException, "All pipe instances are busy.");
    for (int i = 0; i < 3; i++)
        Dispose(three[i]);
    /* all gone: the name is free again */
    one = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1);
    assert_non_null(one);
    Dispose(one);
}

static void dispose_on_another_thread(void *p) { sp_sleep_ms(150), Dispose((Object *)p); }

/* sharpipc's own: Dispose on another thread ends a blocked WaitForConnection and Connect with
   ObjectDisposedException (docs/deviations.md; .NET cancels its async forms with a token) */
static void dispose_abandons_wait_for_connection(void **state)
{
    (void)state;
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    assert_non_null(server);
    Object_Retain(server); /* this test still asks the server questions after the dispose */
    sp_thread *t = sp_thread_start(dispose_on_another_thread, server);
    assert_false(NamedPipeServerStream_WaitForConnection(server));
    EXPECT_EXC_MSG(ObjectDisposedException, "Cannot access a closed pipe.");
    sp_thread_join(t);
    assert_false(PipeStream_get_IsConnected(server));
    assert_false(NamedPipeServerStream_WaitForConnection(server));
    EXPECT_EXC(ObjectDisposedException);
    Dispose(server);

    NamedPipeClientStream *client = NamedPipeClientStream_new("notthere_sharpipc");
    Object_Retain(client);
    t = sp_thread_start(dispose_on_another_thread, client);
    assert_false(NamedPipeClientStream_Connect(client));
    EXPECT_EXC(ObjectDisposedException);
    sp_thread_join(t);
    Dispose(client);
}

/* A connected pair in this process: the server end and the client end. */
static void connect_pair(NamedPipeServerStream **server, NamedPipeClientStream **client)
{
    *server = NamedPipeServerStream_new(pipe_name);
    assert_non_null(*server);
    *client = NamedPipeClientStream_new(pipe_name);
    /* the pipe exists from the constructor on, so the client connects before the accept */
    assert_true(NamedPipeClientStream_Connect(*client, 5000));
    assert_true(NamedPipeServerStream_WaitForConnection(*server));
}

/* sharpipc's own: Dispose on another thread ends a blocked Read with ObjectDisposedException */
static void dispose_abandons_blocked_read(void **state)
{
    (void)state;
    NamedPipeServerStream *server;
    NamedPipeClientStream *client;
    connect_pair(&server, &client);
    Object_Retain(client);
    sp_thread *t = sp_thread_start(dispose_on_another_thread, client);
    uint8_t buf[16];
    assert_int_equal(Stream_Read(client, buf, 0, 16), -1);
    EXPECT_EXC(ObjectDisposedException);
    sp_thread_join(t);
    Dispose(client);
    Dispose(server);
}

/* sharpipc's own: an InOut client of a disposed server reads 0, a write fails (maybe only a later
   one), then the pipe is Broken (cf. dotnet/runtime src/libraries/System.IO.Pipes/tests/UnifiedErrorHandlingTests.cs:
   WhenNamedPipeServerIsClosedNamedPipeClientReadReturnsZero and ...WriteThrows, ported with .NET's
   directions and [Theory] inputs in test_pipes_dotnet.c) */
static void vanished_server_reads_zero_and_writes_fail(void **state)
{
    (void)state;
    NamedPipeServerStream *server;
    NamedPipeClientStream *client;
    connect_pair(&server, &client);
    Dispose(server);
    uint8_t buf[100] = {0};
    assert_int_equal(Stream_Read(client, buf, 0, 100), 0);
    EXPECT_NO_EXC();
    assert_int_equal(Stream_ReadByte(client), -1);
    EXPECT_NO_EXC();
    /* A write reaches an IOException (maybe only on a later write, as .NET notes), never SIGPIPE. */
    bool failed = false;
    for (int i = 0; i < 10 && !failed; i++)
        failed = !Stream_Write(client, buf, 0, 100);
    assert_true(failed);
    EXPECT_EXC(IOException);
    assert_false(PipeStream_get_IsConnected(client));
    assert_false(Stream_Write(client, buf, 0, 100));
    EXPECT_EXC_MSG(IOException, "Pipe is broken.");
    Dispose(client);
}

/* sharpipc's own: one InOut server through its states, unconnected, connected, disconnected, with
   .NET's messages (cf. dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs: OperationsOnUnconnectedServer,
   WaitForConnectionOnAlreadyConnectedServer_..., ConnectOnAlreadyConnectedClient_...,
   OperationsOnDisconnectedServer; NamedPipeTest.Specific.cs: PipeTransmissionMode_Returns_Byte,
   InvalidReadMode_Throws_ArgumentOutOfRangeException, Unix_BufferSizeRoundtripping; UnifiedErrorHandlingTests.cs:
   WhenNamedPipeServerDisconnectsNamedPipeClientReadReturnsZero; each ported in full in test_pipes_dotnet.c) */
static void state_checks(void **state)
{
    (void)state;
    uint8_t b[4] = {0};
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    assert_int_equal(Stream_Read(server, b, 0, 4), -1);
    EXPECT_EXC_MSG(InvalidOperationException, "Pipe hasn't been connected yet.");
    assert_false(Stream_Write(server, b, 0, 4));
    EXPECT_EXC_MSG(InvalidOperationException, "Pipe hasn't been connected yet.");
    assert_false(NamedPipeServerStream_Disconnect(server));
    EXPECT_EXC_MSG(InvalidOperationException, "Pipe hasn't been connected yet.");
    Dispose(server);

    NamedPipeClientStream *client;
    connect_pair(&server, &client);
    assert_false(NamedPipeServerStream_WaitForConnection(server));
    EXPECT_EXC_MSG(InvalidOperationException, "Already in a connected state.");
    assert_false(NamedPipeClientStream_Connect(client));
    EXPECT_EXC_MSG(InvalidOperationException, "Already in a connected state.");
    assert_false(Stream_get_CanSeek(server));
    assert_int_equal(Stream_get_Length(server), -1);
    EXPECT_EXC(NotSupportedException);
    assert_int_equal(PipeStream_get_TransmissionMode(server), PipeTransmissionMode_Byte);
    assert_int_equal(PipeStream_get_ReadMode(client), PipeTransmissionMode_Byte);
    assert_true(PipeStream_set_ReadMode(client, PipeTransmissionMode_Byte));
    assert_false(PipeStream_set_ReadMode(client, (PipeTransmissionMode)999));
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_false(PipeStream_get_IsMessageComplete(server));
    EXPECT_EXC_MSG(InvalidOperationException, "ReadMode is not of PipeTransmissionMode.Message.");
#ifdef _WIN32
    assert_true(PipeStream_get_InBufferSize(server) >= 0); /* what the constructor asked: 0 */
    EXPECT_NO_EXC();
#else
    assert_true(PipeStream_get_InBufferSize(server) > 0); /* the socket's SO_RCVBUF */
    assert_true(PipeStream_get_OutBufferSize(client) > 0);
#endif

    assert_true(NamedPipeServerStream_Disconnect(server));
    assert_false(PipeStream_get_IsConnected(server));
    assert_false(Stream_Write(server, b, 0, 4));
    EXPECT_EXC_MSG(InvalidOperationException, "Pipe is in a disconnected state.");
    assert_int_equal(Stream_ReadByte(server), -1);
    EXPECT_EXC_MSG(InvalidOperationException, "Pipe is in a disconnected state.");
    assert_false(Stream_Flush(server));
    EXPECT_EXC(InvalidOperationException);
    assert_false(NamedPipeServerStream_Disconnect(server));
    EXPECT_EXC_MSG(InvalidOperationException, "Already in a disconnected state.");
    /* the client sees the end of the stream */
    assert_int_equal(Stream_Read(client, b, 0, 4), 0);
    Dispose(client);
    Dispose(server);
    assert_int_equal(Stream_ReadByte(server = NamedPipeServerStream_new(pipe_name)), -1);
    Dispose(server);
}

/* sharpipc's own: a peer process killed halfway through an Int64: EndOfStreamException, nothing else */
static void killed_peer_mid_message(void **state)
{
    (void)state;
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    sp_child *child = start_child("half-writer", NULL);
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    uint8_t first[4];
    assert_true(Stream_ReadExactly(server, first, 0, 4)); /* the first half arrived */
    sp_child_kill(child);
    sp_child_free(child);
    Stream_set_Position(server, 0); /* not seekable: a NotSupportedException, nothing else */
    EXPECT_EXC(NotSupportedException);
    BinaryReader *r = BinaryReader_new(server);
    BinaryReader_ReadInt32(r);
    EXPECT_EXC(EndOfStreamException);
    Dispose(r);
    Dispose(server);
}

/* sharpipc's own: anonymous pipes both ways with a child process (cf.
   dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CrossProcess.cs); also one overload each of
   AnonymousPipeTest.CreateServer.cs: InOutPipeDirection_Throws_NotSupportedException and
   AnonymousPipeTest.CreateClient.cs: InvalidStringParameters_Throws_ArgumentException ("not a number")
   and NullParameters_Throws_ArgumentNullException (ported in full in test_pipes_dotnet.c) */
static void anonymous_pipe_with_child(void **state)
{
    (void)state;
    AnonymousPipeServerStream *to_child =
        AnonymousPipeServerStream_new(PipeDirection_Out, HandleInheritability_Inheritable);
    AnonymousPipeServerStream *from_child =
        AnonymousPipeServerStream_new(PipeDirection_In, HandleInheritability_Inheritable);
    assert_non_null(to_child);
    assert_non_null(from_child);
    char *h1 = AnonymousPipeServerStream_GetClientHandleAsString(to_child);
    char *h2 = AnonymousPipeServerStream_GetClientHandleAsString(from_child);
    const char *args[2] = {h1, h2};
    sp_child *child = sp_child_start("anonymous-child", args, 2);
    assert_non_null(child);
    AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(to_child);
    AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(from_child);
    StreamWriter *w = StreamWriter_new(to_child);
    StreamWriter_WriteLine(w, "one");
    StreamWriter_WriteLine(w, KOREAN_EMOJI);
    Dispose(w); /* closes the pipe: the child sees the end */
    Dispose(to_child);
    StreamReader *r = StreamReader_new(from_child);
    char *line = StreamReader_ReadLine(r);
    assert_string_equal(line, "one");
    String_Free(line);
    line = StreamReader_ReadLine(r);
    assert_string_equal(line, KOREAN_EMOJI);
    String_Free(line);
    line = StreamReader_ReadLine(r);
    assert_string_equal(line, "2");
    String_Free(line);
    assert_int_equal(sp_child_wait(child, 20000), CHILD_OK);
    sp_child_free(child);
    assert_null(StreamReader_ReadLine(r));
    Dispose(r);
    Dispose(from_child);
    String_Free(h1);
    String_Free(h2);

    assert_null(AnonymousPipeServerStream_new(PipeDirection_InOut));
    EXPECT_EXC_MSG(NotSupportedException, "Anonymous pipes can only be in one direction.");
    assert_null(AnonymousPipeClientStream_new(PipeDirection_In, "not a number"));
    EXPECT_EXC(ArgumentException);
    assert_null(AnonymousPipeClientStream_new(PipeDirection_In, NULL));
    EXPECT_EXC(ArgumentNullException);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: WriteToPipeWithClosedPartner_Throws_IOException on
   AnonymousPipeTest_Write_ServerOut_ClientIn (AnonymousPipeTest.Write.cs), the Write row, the
   partner closed by DisposeLocalCopyOfClientHandle; no SIGPIPE is sharpipc's own */
static void AnonymousPipeTest_Write_ServerOut_ClientIn_WriteToPipeWithClosedPartner_Throws_IOException(void **state)
{
    (void)state;
    /* write into a pipe whose reader is gone: IOException, and no SIGPIPE kills the process */
    AnonymousPipeServerStream *server = AnonymousPipeServerStream_new(PipeDirection_Out);
    AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(server);
    uint8_t b[8] = {0};
    assert_false(Stream_Write(server, b, 0, 8));
    EXPECT_EXC(IOException);
    Dispose(server);
}

#ifdef _WIN32
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: Windows_MessagePipeTransmissionMode (the
   PipeOptions.None row, sync reads; the client writes first, into 4096-byte buffers) */
static void NamedPipeTest_Specific_Windows_MessagePipeTransmissionMode(void **state)
{
    (void)state;
    /* buffers, so that the writes below complete before anyone reads */
    NamedPipeServerStream *server = NamedPipeServerStream_new(
        pipe_name, PipeDirection_InOut, 1, PipeTransmissionMode_Message, PipeOptions_None, 4096, 4096);
    assert_non_null(server);
    NamedPipeClientStream *client = NamedPipeClientStream_new(pipe_name);
    assert_true(NamedPipeClientStream_Connect(client, 5000));
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    assert_int_equal(PipeStream_get_TransmissionMode(server), PipeTransmissionMode_Message);
    assert_true(PipeStream_set_ReadMode(client, PipeTransmissionMode_Message));
    uint8_t m1[] = {5, 7, 9, 10}, m2[] = {2, 4};
    assert_true(Stream_Write(client, m1, 0, 4));
    assert_true(Stream_Write(client, m2, 0, 2));
    assert_true(Stream_Write(client, m1, 0, 4));
    uint8_t got[8];
    assert_int_equal(Stream_Read(server, got, 0, 8), 4);
    assert_memory_equal(got, m1, 4);
    assert_true(PipeStream_get_IsMessageComplete(server));
    assert_int_equal(Stream_Read(server, got, 0, 8), 2);
    assert_memory_equal(got, m2, 2);
    assert_int_equal(Stream_Read(server, got, 0, 3), 3);
    assert_false(PipeStream_get_IsMessageComplete(server));
    assert_int_equal(Stream_Read(server, got + 3, 0, 5), 1);
    assert_true(PipeStream_get_IsMessageComplete(server));
    Dispose(client);
    Dispose(server);
}

/* sharpipc's own: message mode with the client in another process, and a message back. */
static void message_mode_between_processes(void **state)
{
    (void)state;
    NamedPipeServerStream *server = NamedPipeServerStream_new(
        pipe_name, PipeDirection_InOut, 1, PipeTransmissionMode_Message, PipeOptions_None, 4096, 4096);
    assert_non_null(server);
    sp_child *child = start_child("message-client", NULL);
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    uint8_t got[8];
    assert_int_equal(Stream_Read(server, got, 0, 8), 4);
    assert_true(PipeStream_get_IsMessageComplete(server));
    assert_int_equal(Stream_Read(server, got, 0, 8), 2);
    assert_int_equal(Stream_Read(server, got, 0, 3), 3);
    assert_false(PipeStream_get_IsMessageComplete(server));
    assert_int_equal(Stream_Read(server, got, 0, 8), 1);
    assert_true(PipeStream_get_IsMessageComplete(server));
    assert_true(Stream_Write(server, "hello", 0, 5));
    assert_int_equal(sp_child_wait(child, 20000), CHILD_OK);
    sp_child_free(child);
    Dispose(server);
}
#else
/* sharpipc's own: the socket file .NET uses ($TMPDIR/CoreFxPipe_<name>, an absolute name verbatim,
   0600 with CurrentUserOnly) and the names .NET refuses on Unix; cf. dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/
   NamedPipeTest.UnixDomainSockets.cs, NamedPipeTest.Specific.cs: Unix_GetImpersonationUserName_Succeed,
   Unix_MessagePipeTransmissionMode, NameTooLong_MaxLengthPerPlatform, NamedPipeTest.CreateClient.Unix.cs:
   NotSupportedPipePath_Throws_PlatformNotSupportedException, NamedPipeTest.Simple.cs:
   OperationsOnDisconnectedClient (Unix NumberOfServerInstances), PipeTest.Read.cs (WaitForPipeDrain);
   each ported in test_pipes_dotnet.c */
static void posix_socket_file_and_names(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s%sCoreFxPipe_%s", tmp && *tmp ? tmp : "/tmp/",
             tmp && *tmp && tmp[strlen(tmp) - 1] != '/' ? "/" : "", pipe_name);
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    Dispose(server);
    assert_int_not_equal(stat(path, &st), 0);

    /* an absolute name is the path itself */
    char abs_path[256];
    snprintf(abs_path, sizeof abs_path, "/tmp/%s_abs", pipe_name);
    server = NamedPipeServerStream_new(abs_path, PipeDirection_InOut, 1, PipeTransmissionMode_Byte,
                                       PipeOptions_CurrentUserOnly);
    assert_non_null(server);
    assert_int_equal(stat(abs_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    NamedPipeClientStream *client =
        NamedPipeClientStream_new(".", abs_path, PipeDirection_InOut, PipeOptions_CurrentUserOnly);
    assert_true(NamedPipeClientStream_Connect(client, 2000));
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    char *user = NamedPipeServerStream_GetImpersonationUserName(server);
    assert_non_null(user);
    assert_true(strlen(user) > 0);
    String_Free(user);
    assert_false(PipeStream_WaitForPipeDrain(server));
    EXPECT_EXC(PlatformNotSupportedException);
    assert_int_equal(NamedPipeClientStream_get_NumberOfServerInstances(client), -1);
    EXPECT_EXC(PlatformNotSupportedException);
    Dispose(client);
    Dispose(server);
    assert_int_not_equal(stat(abs_path, &st), 0);

    /* names .NET rejects on Unix */
    assert_null(NamedPipeClientStream_new("foobar_not_this_host", pipe_name));
    EXPECT_EXC(PlatformNotSupportedException);
    assert_null(NamedPipeClientStream_new(".", "/tmp/foobar/"));
    EXPECT_EXC(PlatformNotSupportedException);
    assert_null(NamedPipeClientStream_new(".", "/"));
    EXPECT_EXC(PlatformNotSupportedException);
    assert_null(NamedPipeServerStream_new("a/b"));
    EXPECT_EXC(PlatformNotSupportedException);
    assert_null(NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1, PipeTransmissionMode_Message));
    EXPECT_EXC_MSG(PlatformNotSupportedException, "Message transmission mode is not supported on this platform.");

    /* too long for sun_path: the server's constructor, the client's Connect */
    char long_name[200];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    assert_null(NamedPipeServerStream_new(long_name));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("path");
    client = NamedPipeClientStream_new(long_name);
    assert_non_null(client);
    assert_false(NamedPipeClientStream_Connect(client, 10));
    EXPECT_EXC(ArgumentOutOfRangeException);
    Dispose(client);
}

/* sharpipc's own: stale socket files are reclaimed, a live server's and a regular file never
   (docs/deviations.md) */
static void posix_stale_and_live_socket_files(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "/tmp/%s_stale", pipe_name);
    /* a socket file whose server died: reclaimed */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, path);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    close(fd);
    NamedPipeServerStream *server = NamedPipeServerStream_new(path);
    assert_non_null(server);
    Dispose(server);

    /* a live server in another process: never deleted */
    const char *args[1] = {path};
    sp_child *child = sp_child_start("hold-server", args, 1);
    NamedPipeClientStream *probe = NamedPipeClientStream_new(path);
    assert_true(NamedPipeClientStream_Connect(probe, 10000));
    assert_null(NamedPipeServerStream_new(path));
    EXPECT_EXC_MSG(IOException, "All pipe instances are busy.");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    Dispose(probe);
    sp_child_kill(child);
    sp_child_free(child);
    /* its file stays behind, stale now, and is reclaimed */
    server = NamedPipeServerStream_new(path);
    assert_non_null(server);
    Dispose(server);

    /* a regular file with that name is not ours to delete */
    FILE *f = fopen(path, "w");
    fputs("precious", f);
    fclose(f);
    assert_null(NamedPipeServerStream_new(path));
    EXPECT_EXC(IOException);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    unlink(path);
}
#endif

int main(int argc, char **argv)
{
    static const char *const names[] = {"seed-client",     "records-server",     "records-client",
                                        "echo-client",     "half-writer",        "hold-server",
                                        "anonymous-child", "concurrent-clients", "message-client"};
    static const sp_child_role roles[] = {role_seed_client,     role_records_server,     role_records_client,
                                          role_echo_client,     role_half_writer,        role_hold_server,
                                          role_anonymous_child, role_concurrent_clients, role_message_client};
    int child = sp_child_main(argc, argv, names, roles, 9);
    if (child >= 0)
        return child;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(seed_server_and_client, setup),
        cmocka_unit_test_setup(binary_records_both_ways, setup),
        cmocka_unit_test_setup(server_serves_clients_one_at_a_time, setup),
        cmocka_unit_test_setup(concurrent_clients_on_many_instances, setup),
        cmocka_unit_test_setup(NamedPipeTest_Specific_ConnectToNonExistentServer_Throws_TimeoutException, setup),
        cmocka_unit_test_setup(constructor_arguments, setup),
        cmocka_unit_test_setup(NamedPipeTest_Specific_MaxNumberOfServerInstances_TooManyServers_Throws, setup),
        cmocka_unit_test_setup(dispose_abandons_wait_for_connection, setup),
        cmocka_unit_test_setup(dispose_abandons_blocked_read, setup),
        cmocka_unit_test_setup(vanished_server_reads_zero_and_writes_fail, setup),
        cmocka_unit_test_setup(state_checks, setup),
        cmocka_unit_test_setup(killed_peer_mid_message, setup),
        cmocka_unit_test_setup(anonymous_pipe_with_child, setup),
        cmocka_unit_test_setup(
            AnonymousPipeTest_Write_ServerOut_ClientIn_WriteToPipeWithClosedPartner_Throws_IOException, setup),
#ifdef _WIN32
        cmocka_unit_test_setup(NamedPipeTest_Specific_Windows_MessagePipeTransmissionMode, setup),
        cmocka_unit_test_setup(message_mode_between_processes, setup),
#else
        cmocka_unit_test_setup(posix_socket_file_and_names, setup),
        cmocka_unit_test_setup(posix_stale_and_live_socket_files, setup),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
