/*
 * dotnet/runtime's System.IO.Pipes tests (src/libraries/System.IO.Pipes/tests/), ported one method
 * at a time: each test is named <TestClass>_<Method> after the .NET test it ports, with its [Theory]
 * inputs (and, for the abstract test classes, the concrete subclasses .NET runs them on) as tables.
 * Sync API only: the async, Task, CancellationToken, SafePipeHandle and Span members have no C
 * counterpart. The tests that fail against the library today are kept out of the build under
 * SP_KNOWN_FAILURES, each with the failure it shows.
 *
 * test_pipes.c has the cross-process tests and sharpipc's own; this file the in-process ports.
 */
#include "sp_test.h"
#include "sp_process.h"

#ifdef _WIN32
#  include <windows.h>
#else
#  include <fcntl.h>
#  include <sys/socket.h>
#  include <sys/stat.h>
#  include <sys/un.h>
#  include <unistd.h>
#endif

static char pipe_name[128];

static int setup(void **state)
{
    (void)state;
    snprintf(pipe_name, sizeof pipe_name, "%s", sp_unique_name("spdotnet"));
    return 0;
}

/* A label for checks made in a loop over a table. */
static char label_buf[256];
#define AT(...) (snprintf(label_buf, sizeof label_buf, __VA_ARGS__), label_buf)

/* The call returned NULL/false with exactly this exception (and ParamName, where .NET checks one). */
#define THROWS(ok, type, label)                                                                                        \
  do {                                                                                                                 \
    if (!(ok))                                                                                                         \
      fail_msg("%s: the call succeeded, expected %s", label, #type);                                                   \
    EXPECT_EXC_AT(type, label);                                                                                        \
  } while (0)
#define THROWS_P(ok, type, param, label)                                                                               \
  do {                                                                                                                 \
    THROWS(ok, type, label);                                                                                           \
    EXPECT_PARAM(param);                                                                                               \
  } while (0)

static const char *dir_name(PipeDirection d)
{
    return d == PipeDirection_In ? "In" : d == PipeDirection_Out ? "Out" : d == PipeDirection_InOut ? "InOut" : "?";
}

/* [InlineData(PipeDirection.In)] [InlineData(PipeDirection.InOut)] [InlineData(PipeDirection.Out)] */
static const PipeDirection all_directions[] = {PipeDirection_In, PipeDirection_InOut, PipeDirection_Out};
#define NDIRECTIONS 3

/* ------------------------------------------------------------------ pairs */

/* A connected named pair in this process: the pipe exists from the server's constructor on, so the
 * client connects before the server accepts (.NET: client.ConnectAsync(); server.WaitForConnection()). */
static void named_pair(PipeDirection server_dir, PipeOptions server_options, PipeDirection client_dir,
                       PipeOptions client_options, NamedPipeServerStream **server, NamedPipeClientStream **client)
{
    setup(NULL);
    *server = NamedPipeServerStream_new(pipe_name, server_dir, 1, PipeTransmissionMode_Byte, server_options);
    assert_non_null(*server);
    *client = NamedPipeClientStream_new(".", pipe_name, client_dir, client_options);
    assert_non_null(*client);
    assert_true(NamedPipeClientStream_Connect(*client, 10000));
    assert_true(NamedPipeServerStream_WaitForConnection(*server));
}

/* .NET's anonymous pairs build the client on the server's ClientSafePipeHandle: one handle, which the
 * client owns (the server's Dispose leaves an exposed client handle alone). C has only the handle as
 * text; sharpipc's server closes its copy on Dispose, so the client gets its own duplicate and the
 * server's copy is disposed at once: the client's handle is then the only client end, as in .NET. */
static char *duplicate_handle_text(const char *text)
{
    char out[32];
#ifdef _WIN32
    HANDLE h = (HANDLE)(intptr_t)_strtoi64(text, NULL, 10), d = NULL;
    assert_true(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, 0, FALSE, DUPLICATE_SAME_ACCESS));
    snprintf(out, sizeof out, "%lld", (long long)(intptr_t)d);
#else
    int d = dup(atoi(text));
    assert_true(d >= 0);
    snprintf(out, sizeof out, "%d", d);
#endif
    char *copy = malloc(strlen(out) + 1);
    assert_non_null(copy);
    strcpy(copy, out);
    return copy;
}

static AnonymousPipeClientStream *anonymous_client(AnonymousPipeServerStream *server, PipeDirection client_dir,
                                                   bool dispose_local_copy)
{
    char *text = AnonymousPipeServerStream_GetClientHandleAsString(server);
    assert_non_null(text);
    char *dup_text = duplicate_handle_text(text);
    String_Free(text);
    AnonymousPipeClientStream *client = AnonymousPipeClientStream_new(client_dir, dup_text);
    free(dup_text);
    assert_non_null(client);
    if (dispose_local_copy)
        assert_true(AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(server));
    return client;
}

static void anonymous_pair(PipeDirection server_dir, AnonymousPipeServerStream **server,
                           AnonymousPipeClientStream **client)
{
    *server = AnonymousPipeServerStream_new(server_dir);
    assert_non_null(*server);
    *client = anonymous_client(*server, server_dir == PipeDirection_In ? PipeDirection_Out : PipeDirection_In, true);
}

/* PipeTestBase.ServerClientPair, for the concrete classes of PipeTest_Read and PipeTest_Write. */
typedef struct {
    const char *name;
    bool anonymous;
    PipeDirection server_dir, client_dir;
    PipeOptions client_options;
    bool server_reads;  /* the server is the readable end */
    bool bidirectional; /* SupportsBidirectionalReadingWriting */
} pair_kind;

typedef struct {
    PipeStream *server, *client;
    PipeStream *readable, *writeable;
} pipe_pair;

static pipe_pair make_pair(const pair_kind *k)
{
    pipe_pair p = {0};
    if (k->anonymous) {
        AnonymousPipeServerStream *s;
        AnonymousPipeClientStream *c;
        anonymous_pair(k->server_dir, &s, &c);
        p.server = (PipeStream *)s;
        p.client = (PipeStream *)c;
    } else {
        NamedPipeServerStream *s;
        NamedPipeClientStream *c;
        named_pair(k->server_dir, PipeOptions_Asynchronous, k->client_dir, k->client_options, &s, &c);
        p.server = (PipeStream *)s;
        p.client = (PipeStream *)c;
    }
    p.readable = k->server_reads ? p.server : p.client;
    p.writeable = k->server_reads ? p.client : p.server;
    return p;
}

/* Dispose what is left (an end disposed by the test is NULL, or retained once more by it). */
static void free_pair(pipe_pair *p)
{
    if (p->client)
        Dispose(p->client);
    if (p->server)
        Dispose(p->server);
}

/* Dispose(x) that keeps the memory, so the test can go on calling x (free_pair releases it). */
static void dispose_keep(PipeStream *x)
{
    Object_Retain(x);
    assert_true(Dispose(x));
}

/* NamedPipeTest.Read.cs and AnonymousPipeTest.Read.cs: the classes PipeTest_Read runs on (the APM
 * one is async only). */
static const pair_kind read_pairs[] = {
    {"NamedPipeTest_Read_ServerOut_ClientIn", false, PipeDirection_Out, PipeDirection_In, PipeOptions_Asynchronous,
     false, false},
    {"NamedPipeTest_Read_ServerIn_ClientOut", false, PipeDirection_In, PipeDirection_Out, PipeOptions_Asynchronous,
     true, false},
    {"NamedPipeTest_Read_ServerInOut_ClientInOut", false, PipeDirection_InOut, PipeDirection_InOut,
     PipeOptions_Asynchronous, true, true},
    {"AnonymousPipeTest_Read_ServerIn_ClientOut", true, PipeDirection_In, PipeDirection_Out, PipeOptions_None, true,
     false},
    {"AnonymousPipeTest_Read_ServerOut_ClientIn", true, PipeDirection_Out, PipeDirection_In, PipeOptions_None, false,
     false},
};
/* NamedPipeTest.Write.cs and AnonymousPipeTest.Write.cs: the classes PipeTest_Write runs on. */
static const pair_kind write_pairs[] = {
    {"NamedPipeTest_Write_ServerOut_ClientIn", false, PipeDirection_Out, PipeDirection_In, PipeOptions_None, false,
     false},
    {"NamedPipeTest_Write_ServerIn_ClientOut", false, PipeDirection_In, PipeDirection_Out, PipeOptions_None, true,
     false},
    {"NamedPipeTest_Write_ServerInOut_ClientInOut", false, PipeDirection_InOut, PipeDirection_InOut, PipeOptions_None,
     true, true},
    {"AnonymousPipeTest_Write_ServerIn_ClientOut", true, PipeDirection_In, PipeDirection_Out, PipeOptions_None, true,
     false},
    {"AnonymousPipeTest_Write_ServerOut_ClientIn", true, PipeDirection_Out, PipeDirection_In, PipeOptions_None, false,
     false},
};
#define NREAD_PAIRS (sizeof read_pairs / sizeof read_pairs[0])
#define NWRITE_PAIRS (sizeof write_pairs / sizeof write_pairs[0])

/* NamedPipeTest.Simple.cs: the six concrete classes NamedPipeTest_Simple runs on. */
typedef struct {
    const char *name;
    PipeDirection server_dir, client_dir;
    bool write_to_server;
} simple_kind;

static const simple_kind simple_pairs[] = {
    {"NamedPipeTest_Simple_ServerInOutRead_ClientInOutWrite", PipeDirection_InOut, PipeDirection_InOut, false},
    {"NamedPipeTest_Simple_ServerInOutWrite_ClientInOutRead", PipeDirection_InOut, PipeDirection_InOut, true},
    {"NamedPipeTest_Simple_ServerInOut_ClientIn", PipeDirection_InOut, PipeDirection_In, true},
    {"NamedPipeTest_Simple_ServerInOut_ClientOut", PipeDirection_InOut, PipeDirection_Out, false},
    {"NamedPipeTest_Simple_ServerOut_ClientIn", PipeDirection_Out, PipeDirection_In, true},
    {"NamedPipeTest_Simple_ServerIn_ClientOut", PipeDirection_In, PipeDirection_Out, false},
};
#define NSIMPLE (sizeof simple_pairs / sizeof simple_pairs[0])

/* CreateNamedPipePair(serverOptions, clientOptions), unconnected. */
static void simple_pair(const simple_kind *k, PipeOptions server_options, PipeOptions client_options,
                        NamedPipeServerStream **server, NamedPipeClientStream **client)
{
    setup(NULL);
    *server = NamedPipeServerStream_new(pipe_name, k->server_dir, 1, PipeTransmissionMode_Byte, server_options);
    assert_non_null(*server);
    *client = NamedPipeClientStream_new(".", pipe_name, k->client_dir, client_options);
    assert_non_null(*client);
}

/* NamedPipePair.Connect() */
static void simple_connect(NamedPipeServerStream *server, NamedPipeClientStream *client)
{
    assert_true(NamedPipeClientStream_Connect(client, 10000));
    assert_true(NamedPipeServerStream_WaitForConnection(server));
}

/* ================================================================== NamedPipeTest.CreateServer.cs */

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   NullPipeName_Throws_ArgumentNullException (a table of .NET's directions, every overload) */
static void NamedPipeTest_CreateServer_NullPipeName_Throws_ArgumentNullException(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS_P(!NamedPipeServerStream_new(NULL), ArgumentNullException, "pipeName", AT("%s: (null)", n));
        THROWS_P(!NamedPipeServerStream_new(NULL, d), ArgumentNullException, "pipeName", AT("%s: (null, d)", n));
        THROWS_P(!NamedPipeServerStream_new(NULL, d, 2), ArgumentNullException, "pipeName", AT("%s: (null, d, 2)", n));
        THROWS_P(!NamedPipeServerStream_new(NULL, d, 3, PipeTransmissionMode_Byte), ArgumentNullException, "pipeName",
                 AT("%s: 4 args", n));
        THROWS_P(!NamedPipeServerStream_new(NULL, d, 3, PipeTransmissionMode_Byte, PipeOptions_None),
                 ArgumentNullException, "pipeName", AT("%s: 5 args", n));
        THROWS_P(!NamedPipeServerStream_new(NULL, d, 3, PipeTransmissionMode_Byte, PipeOptions_None, 0, 0),
                 ArgumentNullException, "pipeName", AT("%s: 7 args", n));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   ZeroLengthPipeName_Throws_ArgumentException (a table of .NET's directions, every overload; .NET
   passes null for the parameter name, so it is not checked) */
static void NamedPipeTest_CreateServer_ZeroLengthPipeName_Throws_ArgumentException(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS(!NamedPipeServerStream_new(""), ArgumentException, AT("%s: (\"\")", n));
        THROWS(!NamedPipeServerStream_new("", d), ArgumentException, AT("%s: (\"\", d)", n));
        THROWS(!NamedPipeServerStream_new("", d, 2), ArgumentException, AT("%s: (\"\", d, 2)", n));
        THROWS(!NamedPipeServerStream_new("", d, 3, PipeTransmissionMode_Byte), ArgumentException, AT("%s: 4 args", n));
        THROWS(!NamedPipeServerStream_new("", d, 3, PipeTransmissionMode_Byte, PipeOptions_None), ArgumentException,
               AT("%s: 5 args", n));
        THROWS(!NamedPipeServerStream_new("", d, 3, PipeTransmissionMode_Byte, PipeOptions_None, 0, 0),
               ArgumentException, AT("%s: 7 args", n));
    }
}

#ifdef _WIN32
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   ReservedPipeName_Throws_ArgumentOutOfRangeException (Windows only; a table of .NET's directions) */
static void NamedPipeTest_CreateServer_ReservedPipeName_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    const char *reserved = "anonymous";
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS_P(!NamedPipeServerStream_new(reserved), ArgumentOutOfRangeException, "pipeName", AT("%s: 1 arg", n));
        THROWS_P(!NamedPipeServerStream_new(reserved, d), ArgumentOutOfRangeException, "pipeName", AT("%s: 2 args", n));
        THROWS_P(!NamedPipeServerStream_new(reserved, d, 1), ArgumentOutOfRangeException, "pipeName",
                 AT("%s: 3 args", n));
        THROWS_P(!NamedPipeServerStream_new(reserved, d, 1, PipeTransmissionMode_Byte), ArgumentOutOfRangeException,
                 "pipeName", AT("%s: 4 args", n));
        THROWS_P(!NamedPipeServerStream_new(reserved, d, 1, PipeTransmissionMode_Byte, PipeOptions_None),
                 ArgumentOutOfRangeException, "pipeName", AT("%s: 5 args", n));
        THROWS_P(!NamedPipeServerStream_new(reserved, d, 1, PipeTransmissionMode_Byte, PipeOptions_None, 0, 0),
                 ArgumentOutOfRangeException, "pipeName", AT("%s: 7 args", n));
    }
}
#endif

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs: Create_PipeName */
static void NamedPipeTest_CreateServer_Create_PipeName(void **state)
{
    (void)state;
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    assert_non_null(server);
    assert_true(Dispose(server));
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs: Create_PipeName_Direction_MaxInstances */
static void NamedPipeTest_CreateServer_Create_PipeName_Direction_MaxInstances(void **state)
{
    (void)state;
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name, PipeDirection_Out, 1);
    assert_non_null(server);
    assert_true(Dispose(server));
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs: InvalidPipeDirection_Throws_ArgumentOutOfRangeException */
static void NamedPipeTest_CreateServer_InvalidPipeDirection_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    PipeDirection d = (PipeDirection)123;
    THROWS_P(!NamedPipeServerStream_new("temp1", d), ArgumentOutOfRangeException, "direction", "2 args");
    THROWS_P(!NamedPipeServerStream_new("temp1", d, 1), ArgumentOutOfRangeException, "direction", "3 args");
    THROWS_P(!NamedPipeServerStream_new("temp1", d, 1, PipeTransmissionMode_Byte), ArgumentOutOfRangeException,
             "direction", "4 args");
    THROWS_P(!NamedPipeServerStream_new("temp1", d, 1, PipeTransmissionMode_Byte, PipeOptions_None),
             ArgumentOutOfRangeException, "direction", "5 args");
    THROWS_P(!NamedPipeServerStream_new("tempx", d, 1, PipeTransmissionMode_Byte, PipeOptions_None, 0, 0),
             ArgumentOutOfRangeException, "direction", "7 args");
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   InvalidServerInstances_Throws_ArgumentOutOfRangeException (a table of .NET's inputs) */
static void NamedPipeTest_CreateServer_InvalidServerInstances_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    static const int rows[] = {0, -2};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int m = rows[i];
        THROWS_P(!NamedPipeServerStream_new("temp3", PipeDirection_In, m), ArgumentOutOfRangeException,
                 "maxNumberOfServerInstances", AT("%d: 3 args", m));
        THROWS_P(!NamedPipeServerStream_new("temp3", PipeDirection_In, m, PipeTransmissionMode_Byte),
                 ArgumentOutOfRangeException, "maxNumberOfServerInstances", AT("%d: 4 args", m));
        THROWS_P(!NamedPipeServerStream_new("temp3", PipeDirection_In, m, PipeTransmissionMode_Byte, PipeOptions_None),
                 ArgumentOutOfRangeException, "maxNumberOfServerInstances", AT("%d: 5 args", m));
        THROWS_P(
            !NamedPipeServerStream_new("temp3", PipeDirection_In, m, PipeTransmissionMode_Byte, PipeOptions_None, 0, 0),
            ArgumentOutOfRangeException, "maxNumberOfServerInstances", AT("%d: 7 args", m));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   ServerInstancesOver254_Throws_ArgumentOutOfRangeException (a table of .NET's directions) */
static void NamedPipeTest_CreateServer_ServerInstancesOver254_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS_P(!NamedPipeServerStream_new("temp3", d, 255), ArgumentOutOfRangeException, "maxNumberOfServerInstances",
                 AT("%s: 3 args", n));
        THROWS_P(!NamedPipeServerStream_new("temp3", d, 255, PipeTransmissionMode_Byte), ArgumentOutOfRangeException,
                 "maxNumberOfServerInstances", AT("%s: 4 args", n));
        THROWS_P(!NamedPipeServerStream_new("temp3", d, 255, PipeTransmissionMode_Byte, PipeOptions_None),
                 ArgumentOutOfRangeException, "maxNumberOfServerInstances", AT("%s: 5 args", n));
        THROWS_P(!NamedPipeServerStream_new("temp3", d, 255, PipeTransmissionMode_Byte, PipeOptions_None, 0, 0),
                 ArgumentOutOfRangeException, "maxNumberOfServerInstances", AT("%s: 7 args", n));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   InvalidTransmissionMode_Throws_ArgumentOutOfRangeException (a table of .NET's directions) */
static void NamedPipeTest_CreateServer_InvalidTransmissionMode_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    PipeTransmissionMode bad = (PipeTransmissionMode)123;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS_P(!NamedPipeServerStream_new("temp1", d, 1, bad), ArgumentOutOfRangeException, "transmissionMode",
                 AT("%s: 4 args", n));
        THROWS_P(!NamedPipeServerStream_new("temp1", d, 1, bad, PipeOptions_None), ArgumentOutOfRangeException,
                 "transmissionMode", AT("%s: 5 args", n));
        THROWS_P(!NamedPipeServerStream_new("tempx", d, 1, bad, PipeOptions_None, 0, 0), ArgumentOutOfRangeException,
                 "transmissionMode", AT("%s: 7 args", n));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   InvalidPipeOptions_Throws_ArgumentOutOfRangeException (a table of .NET's directions) */
static void NamedPipeTest_CreateServer_InvalidPipeOptions_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS_P(!NamedPipeServerStream_new("temp1", d, 1, PipeTransmissionMode_Byte, (PipeOptions)255),
                 ArgumentOutOfRangeException, "options", AT("%s: 5 args", n));
        THROWS_P(!NamedPipeServerStream_new("tempx", d, 1, PipeTransmissionMode_Byte, (PipeOptions)255, 0, 0),
                 ArgumentOutOfRangeException, "options", AT("%s: 7 args", n));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   InvalidBufferSize_Throws_ArgumentOutOfRangeException (a table of .NET's directions) */
static void NamedPipeTest_CreateServer_InvalidBufferSize_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS_P(!NamedPipeServerStream_new("temp2", d, 1, PipeTransmissionMode_Byte, PipeOptions_None, -1, 0),
                 ArgumentOutOfRangeException, "inBufferSize", AT("%s: in -1", n));
        THROWS_P(!NamedPipeServerStream_new("temp2", d, 1, PipeTransmissionMode_Byte, PipeOptions_None, 0, -123),
                 ArgumentOutOfRangeException, "outBufferSize", AT("%s: out -123", n));
    }
}

#ifdef _WIN32
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   ServerCountOverMaxServerInstances_Throws_IOException (Windows only) */
static void NamedPipeTest_CreateServer_ServerCountOverMaxServerInstances_Throws_IOException(void **state)
{
    (void)state;
    NamedPipeServerStream *server =
        NamedPipeServerStream_new(pipe_name, PipeDirection_Out, 1, PipeTransmissionMode_Byte, PipeOptions_Asynchronous);
    assert_non_null(server);
    THROWS(!NamedPipeServerStream_new(pipe_name), IOException, "second server");
    Dispose(server);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateServer.cs:
   Windows_ServerCloneWithDifferentDirection_Throws_UnauthorizedAccessException (Windows only) */
static void
NamedPipeTest_CreateServer_Windows_ServerCloneWithDifferentDirection_Throws_UnauthorizedAccessException(void **state)
{
    (void)state;
    NamedPipeServerStream *server =
        NamedPipeServerStream_new(pipe_name, PipeDirection_In, 2, PipeTransmissionMode_Byte, PipeOptions_Asynchronous);
    assert_non_null(server);
    THROWS(!NamedPipeServerStream_new(pipe_name, PipeDirection_Out), UnauthorizedAccessException, "Out instance");
    Dispose(server);
}
#endif

/* ================================================================== NamedPipeTest.CreateClient.cs */

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.cs: NullPipeName_Throws_ArgumentNullException */
static void NamedPipeTest_CreateClient_NullPipeName_Throws_ArgumentNullException(void **state)
{
    (void)state;
    THROWS_P(!NamedPipeClientStream_new(NULL), ArgumentNullException, "pipeName", "(null)");
    THROWS_P(!NamedPipeClientStream_new(".", NULL), ArgumentNullException, "pipeName", "(\".\", null)");
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.cs: EmptyStringPipeName_Throws_ArgumentException */
static void NamedPipeTest_CreateClient_EmptyStringPipeName_Throws_ArgumentException(void **state)
{
    (void)state;
    THROWS_P(!NamedPipeClientStream_new(""), ArgumentException, "pipeName", "(\"\")");
    THROWS_P(!NamedPipeClientStream_new(".", ""), ArgumentException, "pipeName", "(\".\", \"\")");
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.cs:
   NullServerName_Throws_ArgumentNullException (a table of .NET's directions) */
static void NamedPipeTest_CreateClient_NullServerName_Throws_ArgumentNullException(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS_P(!NamedPipeClientStream_new(NULL, "client1"), ArgumentNullException, "serverName", AT("%s: 2 args", n));
        THROWS_P(!NamedPipeClientStream_new(NULL, "client1", d), ArgumentNullException, "serverName",
                 AT("%s: 3 args", n));
        THROWS_P(!NamedPipeClientStream_new(NULL, "client1", d, PipeOptions_None), ArgumentNullException, "serverName",
                 AT("%s: 4 args", n));
        THROWS_P(!NamedPipeClientStream_new(NULL, "client1", d, PipeOptions_None, TokenImpersonationLevel_None),
                 ArgumentNullException, "serverName", AT("%s: 5 args", n));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.cs:
   EmptyStringServerName_Throws_ArgumentException (a table of .NET's directions; .NET passes null for
   the parameter name, so it is not checked) */
static void NamedPipeTest_CreateClient_EmptyStringServerName_Throws_ArgumentException(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS(!NamedPipeClientStream_new("", "client1"), ArgumentException, AT("%s: 2 args", n));
        THROWS(!NamedPipeClientStream_new("", "client1", d), ArgumentException, AT("%s: 3 args", n));
        THROWS(!NamedPipeClientStream_new("", "client1", d, PipeOptions_None), ArgumentException, AT("%s: 4 args", n));
        THROWS(!NamedPipeClientStream_new("", "client1", d, PipeOptions_None, TokenImpersonationLevel_None),
               ArgumentException, AT("%s: 5 args", n));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.cs:
   ReservedPipeName_Throws_ArgumentOutOfRangeException (a table of .NET's directions) */
static void NamedPipeTest_CreateClient_ReservedPipeName_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    const char *reserved = "anonymous";
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS_P(!NamedPipeClientStream_new(reserved), ArgumentOutOfRangeException, "pipeName", AT("%s: 1 arg", n));
        THROWS_P(!NamedPipeClientStream_new(".", reserved), ArgumentOutOfRangeException, "pipeName",
                 AT("%s: 2 args", n));
        THROWS_P(!NamedPipeClientStream_new(".", reserved, d), ArgumentOutOfRangeException, "pipeName",
                 AT("%s: 3 args", n));
        THROWS_P(!NamedPipeClientStream_new(".", reserved, d, PipeOptions_None), ArgumentOutOfRangeException,
                 "pipeName", AT("%s: 4 args", n));
        THROWS_P(!NamedPipeClientStream_new(".", reserved, d, PipeOptions_None, TokenImpersonationLevel_Impersonation),
                 ArgumentOutOfRangeException, "pipeName", AT("%s: 5 args", n));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.cs:
   InvalidPipeDirection_Throws_ArgumentOutOfRangeException (its one row, 123) */
static void NamedPipeTest_CreateClient_InvalidPipeDirection_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    PipeDirection d = (PipeDirection)123;
    THROWS_P(!NamedPipeClientStream_new(".", "client1", d), ArgumentOutOfRangeException, "direction", "3 args");
    THROWS_P(!NamedPipeClientStream_new(".", "client1", d, PipeOptions_None), ArgumentOutOfRangeException, "direction",
             "4 args");
    THROWS_P(!NamedPipeClientStream_new(".", "client1", d, PipeOptions_None, TokenImpersonationLevel_None),
             ArgumentOutOfRangeException, "direction", "5 args");
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.cs:
   InvalidPipeOptions_Throws_ArgumentOutOfRangeException (a table of .NET's directions) */
static void NamedPipeTest_CreateClient_InvalidPipeOptions_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        const char *n = dir_name(d);
        THROWS_P(!NamedPipeClientStream_new(".", "client1", d, (PipeOptions)255), ArgumentOutOfRangeException,
                 "options", AT("%s: 4 args", n));
        THROWS_P(!NamedPipeClientStream_new(".", "client1", d, (PipeOptions)255, TokenImpersonationLevel_None),
                 ArgumentOutOfRangeException, "options", AT("%s: 5 args", n));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.cs:
   InvalidImpersonationLevel_Throws_ArgumentOutOfRangeException (a table of .NET's directions) */
static void NamedPipeTest_CreateClient_InvalidImpersonationLevel_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection d = all_directions[i];
        THROWS_P(!NamedPipeClientStream_new(".", "client1", d, PipeOptions_None, (SpTokenImpersonationLevel)999),
                 ArgumentOutOfRangeException, "impersonationLevel", dir_name(d));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.cs: NamedPipeClientStream_InvalidHandleInerhitability */
static void NamedPipeTest_CreateClient_NamedPipeClientStream_InvalidHandleInerhitability(void **state)
{
    (void)state;
    THROWS_P(!NamedPipeClientStream_new("a", "b", PipeDirection_Out, (PipeOptions)0, TokenImpersonationLevel_Delegation,
                                        (HandleInheritability)(HandleInheritability_None - 1)),
             ArgumentOutOfRangeException, "inheritability", "None - 1");
    THROWS_P(!NamedPipeClientStream_new("a", "b", PipeDirection_Out, (PipeOptions)0, TokenImpersonationLevel_Delegation,
                                        (HandleInheritability)(HandleInheritability_Inheritable + 1)),
             ArgumentOutOfRangeException, "inheritability", "Inheritable + 1");
}

#ifndef _WIN32
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.CreateClient.Unix.cs:
   NotSupportedPipePath_Throws_PlatformNotSupportedException (the rows a C string can hold: the ones
   with an embedded '\0' -- "foobar" + Path.GetInvalidFileNameChars()[0], "/tmp/foo\0bar", "\0" --
   end at the NUL in C) */
static void NamedPipeTest_CreateClient_NotSupportedPipePath_Throws_PlatformNotSupportedException(void **state)
{
    (void)state;
    char host[256] = {0}, other[300];
    assert_int_equal(gethostname(host, sizeof host - 1), 0);
    snprintf(other, sizeof other, "foobar%s", host);
    THROWS(!NamedPipeClientStream_new(other, "foobar"), PlatformNotSupportedException, "server foobar<host>");
    THROWS(!NamedPipeClientStream_new(host, "/tmp/foobar/"), PlatformNotSupportedException, "/tmp/foobar/");
    THROWS(!NamedPipeClientStream_new(host, "/"), PlatformNotSupportedException, "/");
}
#endif

/* ================================================================== NamedPipeTest.Specific.cs */

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   InvalidConnectTimeout_Throws_ArgumentOutOfRangeException (the int overload; C has no TimeSpan one) */
static void NamedPipeTest_Specific_InvalidConnectTimeout_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    NamedPipeClientStream *client = NamedPipeClientStream_new("client1");
    assert_non_null(client);
    THROWS_P(!NamedPipeClientStream_Connect(client, -111), ArgumentOutOfRangeException, "timeout", "Connect(-111)");
    Dispose(client);
}

#ifdef _WIN32
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   ConnectWithConflictingDirections_Throws_UnauthorizedAccessException (Windows only) */
static void NamedPipeTest_Specific_ConnectWithConflictingDirections_Throws_UnauthorizedAccessException(void **state)
{
    (void)state;
    static const PipeDirection rows[] = {PipeDirection_Out, PipeDirection_In};
    for (int i = 0; i < 2; i++) {
        setup(NULL);
        NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name, rows[i]);
        NamedPipeClientStream *client = NamedPipeClientStream_new(".", pipe_name, rows[i]);
        assert_non_null(server);
        THROWS(!NamedPipeClientStream_Connect(client), UnauthorizedAccessException, dir_name(rows[i]));
        assert_false(PipeStream_get_IsConnected(client));
        Dispose(client);
        Dispose(server);
    }
}
#endif

typedef struct {
    const char *name;
    bool ok;
} waiting_client;

static void connect_client_and_read(void *p)
{
    waiting_client *w = p;
    NamedPipeClientStream *npcs = NamedPipeClientStream_new(w->name);
    uint8_t b[1] = {0};
    w->ok =
        npcs && NamedPipeClientStream_Connect(npcs) && Stream_Read(npcs, b, 0, 1) == 1 && Stream_Write(npcs, b, 0, 1);
    Dispose(npcs);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   MultipleWaitingClients_ServerServesOneAtATime (a table of .NET's inputs; threads for its tasks) */
static void NamedPipeTest_Specific_MultipleWaitingClients_ServerServesOneAtATime(void **state)
{
    (void)state;
    static const int rows[] = {1, 3};
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        int n = rows[r];
        setup(NULL);
        NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
        assert_non_null(server);
        waiting_client clients[3];
        sp_thread *threads[3];
        for (int i = 0; i < n; i++) {
            clients[i] = (waiting_client){pipe_name, false};
            threads[i] = sp_thread_start(connect_client_and_read, &clients[i]);
        }
        for (int i = 0; i < n; i++) {
            uint8_t b[1] = {0};
            assert_true(NamedPipeServerStream_WaitForConnection(server));
            assert_true(Stream_Write(server, b, 0, 1));
            assert_int_equal(Stream_Read(server, b, 0, 1), 1);
            assert_true(NamedPipeServerStream_Disconnect(server));
        }
        for (int i = 0; i < n; i++) {
            sp_thread_join(threads[i]);
            if (!clients[i].ok)
                fail_msg("%d clients: client %d failed", n, i);
        }
        Dispose(server);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   MaxNumberOfServerInstances_TooManyServers_Throws: the rows test_pipes.c's test of that name leaves
   out (a lower or higher max on later instances is ignored; a 4th instance fails, whatever its max) */
static void NamedPipeTest_Specific_MaxNumberOfServerInstances_TooManyServers_Throws_LaterMaxIgnored(void **state)
{
    (void)state;
    NamedPipeServerStream *three = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 3);
    assert_non_null(three);
    NamedPipeServerStream *two = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 2);  /* lower max ignored */
    NamedPipeServerStream *four = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 4); /* higher max ignored */
    assert_non_null(two);
    assert_non_null(four);
    THROWS(!NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 3), IOException, "a 4th instance, max 3");
    Dispose(four);
    Dispose(two);
    NamedPipeServerStream *a = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 3);
    NamedPipeServerStream *b = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 3);
    assert_non_null(a);
    assert_non_null(b);
    THROWS(!NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 4), IOException, "3 exist, max 4");
    THROWS(!NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 2), IOException, "3 exist, max 2");
    Dispose(b);
    Dispose(a);
    Dispose(three);
}

typedef struct {
    PipeStream *pipe;
    bool ok;
} writer_task;

static void write_one_byte(void *arg)
{
    writer_task *w = arg;
    uint8_t b[1] = {0};
    w->ok = Stream_Write(w->pipe, b, 0, 1);
}

typedef struct {
    NamedPipeServerStream *server;
    bool ok;
} server_wait;

static void wait_for_connection(void *p)
{
    server_wait *w = p;
    w->ok = NamedPipeServerStream_WaitForConnection(w->server);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   MultipleServers_ServeMultipleClientsConcurrently (a table of .NET's inputs; the servers wait on
   threads, the clients connect synchronously) */
static void NamedPipeTest_Specific_MultipleServers_ServeMultipleClientsConcurrently(void **state)
{
    (void)state;
    static const int rows[] = {1, 4};
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        int n = rows[r];
        setup(NULL);
        NamedPipeServerStream *servers[4];
        NamedPipeClientStream *clients[4];
        server_wait waits[4];
        sp_thread *threads[4];
        for (int i = 0; i < n; i++) {
            servers[i] = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, n, PipeTransmissionMode_Byte,
                                                   PipeOptions_Asynchronous);
            assert_non_null(servers[i]);
        }
        for (int i = 0; i < n; i++) {
            clients[i] = NamedPipeClientStream_new(".", pipe_name, PipeDirection_InOut, PipeOptions_Asynchronous);
            assert_non_null(clients[i]);
        }
        for (int i = 0; i < n; i++) {
            waits[i] = (server_wait){servers[i], false};
            threads[i] = sp_thread_start(wait_for_connection, &waits[i]);
        }
        for (int i = 0; i < n; i++)
            assert_true(NamedPipeClientStream_Connect(clients[i], 10000));
        for (int i = 0; i < n; i++) {
            sp_thread_join(threads[i]);
            assert_true(waits[i].ok);
        }
        /* the sends and the receives at once (Windows pipes with 0-byte buffers hold a write until it is read) */
        writer_task sends[4];
        for (int i = 0; i < n; i++) {
            sends[i] = (writer_task){(PipeStream *)servers[i], false};
            threads[i] = sp_thread_start(write_one_byte, &sends[i]);
        }
        for (int i = 0; i < n; i++) {
            uint8_t b[1] = {0};
            assert_int_equal(Stream_Read(clients[i], b, 0, 1), 1);
        }
        for (int i = 0; i < n; i++) {
            sp_thread_join(threads[i]);
            assert_true(sends[i].ok);
        }
        for (int i = 0; i < n; i++)
            Dispose(clients[i]);
        for (int i = 0; i < n; i++)
            Dispose(servers[i]);
    }
}

#ifndef _WIN32
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: Unix_GetImpersonationUserName_Succeed */
static void NamedPipeTest_Specific_Unix_GetImpersonationUserName_Succeed(void **state)
{
    (void)state;
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", pipe_name, PipeDirection_InOut, PipeOptions_None,
                                                              TokenImpersonationLevel_Impersonation);
    assert_non_null(server);
    assert_true(NamedPipeClientStream_Connect(client));
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    char *name = NamedPipeServerStream_GetImpersonationUserName(server);
    assert_non_null(name);
    bool blank = true;
    for (const char *c = name; *c; c++)
        blank = blank && (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r');
    assert_false(blank);
    String_Free(name);
    Dispose(client);
    Dispose(server);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: Unix_MessagePipeTransmissionMode */
static void NamedPipeTest_Specific_Unix_MessagePipeTransmissionMode(void **state)
{
    (void)state;
    THROWS(!NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1, PipeTransmissionMode_Message),
           PlatformNotSupportedException, "Message");
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   Unix_BufferSizeRoundtripping (a table of .NET's directions) */
static void NamedPipeTest_Specific_Unix_BufferSizeRoundtripping(void **state)
{
    (void)state;
    for (int i = 0; i < NDIRECTIONS; i++) {
        PipeDirection direction = all_directions[i];
        int32_t desired = 0;
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        setup(NULL);
        server = NamedPipeServerStream_new(pipe_name, PipeDirection_InOut, 1, PipeTransmissionMode_Byte,
                                           PipeOptions_Asynchronous, desired, desired);
        client = NamedPipeClientStream_new(".", pipe_name, PipeDirection_InOut);
        assert_true(NamedPipeClientStream_Connect(client));
        assert_true(NamedPipeServerStream_WaitForConnection(server));
        desired = PipeStream_get_OutBufferSize(server) * 2;
        Dispose(client);
        Dispose(server);

        server = NamedPipeServerStream_new(pipe_name, direction, 1, PipeTransmissionMode_Byte, PipeOptions_Asynchronous,
                                           desired, desired);
        assert_non_null(server);
        client = NamedPipeClientStream_new(".", pipe_name,
                                           direction == PipeDirection_In ? PipeDirection_Out : PipeDirection_In);
        assert_true(NamedPipeClientStream_Connect(client));
        assert_true(NamedPipeServerStream_WaitForConnection(server));
        if (direction & PipeDirection_Out) {
            int32_t got = PipeStream_get_OutBufferSize(server);
            if (got < desired)
                fail_msg("%s: OutBufferSize %d < %d", dir_name(direction), got, desired);
        }
        if (direction & PipeDirection_In) {
            int32_t got = PipeStream_get_InBufferSize(server);
            if (got < desired)
                fail_msg("%s: InBufferSize %d < %d", dir_name(direction), got, desired);
        }
        Dispose(client);
        Dispose(server);
    }
}
#endif

#ifdef _WIN32
#  if SP_KNOWN_FAILURES
/* KNOWN FAILURE under wine only: OutBufferSize of a connected Out server (10-byte buffers) raises
   UnauthorizedAccessException("Access to the path is denied.") where .NET expects 10; and an Out
   client's OutBufferSize is 10 where .NET expects 0. Both are wine's GetNamedPipeInfo: its server
   (pipe_end_get_file_info, FilePipeLocalInformation) wants FILE_READ_ATTRIBUTES on the handle,
   which an outbound server handle lacks there (CreateNamedPipe gives it GENERIC_WRITE, the same call
   and open mode as .NET's, and .NET's test passes on Windows), and it reports the pipe's
   OutboundQuota for either end, where Windows gives a client end its own (0). */
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: Windows_BufferSizeRoundtripping */
static void NamedPipeTest_Specific_Windows_BufferSizeRoundtripping(void **state)
{
    (void)state;
    int32_t desired = 10;
    NamedPipeServerStream *server;
    NamedPipeClientStream *client;
    named_pair(PipeDirection_Out, PipeOptions_Asynchronous, PipeDirection_In, PipeOptions_None, &server, &client);
    Dispose(client);
    Dispose(server);
    server = NamedPipeServerStream_new(pipe_name, PipeDirection_Out, 1, PipeTransmissionMode_Byte,
                                       PipeOptions_Asynchronous, desired, desired);
    client = NamedPipeClientStream_new(".", pipe_name, PipeDirection_In);
    assert_true(NamedPipeClientStream_Connect(client, 10000));
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    assert_int_equal(PipeStream_get_OutBufferSize(server), desired);
    assert_int_equal(PipeStream_get_InBufferSize(client), desired);
    Dispose(client);
    Dispose(server);
    server = NamedPipeServerStream_new(pipe_name, PipeDirection_In, 1, PipeTransmissionMode_Byte,
                                       PipeOptions_Asynchronous, desired, desired);
    client = NamedPipeClientStream_new(".", pipe_name, PipeDirection_Out);
    assert_true(NamedPipeClientStream_Connect(client, 10000));
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    assert_int_equal(PipeStream_get_InBufferSize(server), desired);
    assert_int_equal(PipeStream_get_OutBufferSize(client), 0);
    Dispose(client);
    Dispose(server);
}
#  endif
#endif

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: PipeTransmissionMode_Returns_Byte */
static void NamedPipeTest_Specific_PipeTransmissionMode_Returns_Byte(void **state)
{
    (void)state;
    NamedPipeServerStream *server;
    NamedPipeClientStream *client;
    named_pair(PipeDirection_In, PipeOptions_Asynchronous, PipeDirection_Out, PipeOptions_None, &server, &client);
    assert_int_equal(PipeStream_get_TransmissionMode(server), PipeTransmissionMode_Byte);
    assert_int_equal(PipeStream_get_TransmissionMode(client), PipeTransmissionMode_Byte);
    EXPECT_NO_EXC();
    Dispose(client);
    Dispose(server);
}

#if !defined(_WIN32) || SP_KNOWN_FAILURES
/* The three pairs of Unix_SetReadModeTo__PipeTransmissionModeByte / Windows_SetReadModeTo__PipeTransmissionModeByte. */
static const struct {
    PipeDirection server_dir, client_dir;
    PipeOptions client_options;
} read_mode_pairs[] = {
    {PipeDirection_In, PipeDirection_Out, PipeOptions_None},
    {PipeDirection_Out, PipeDirection_In, PipeOptions_None},
    {PipeDirection_InOut, PipeDirection_InOut, PipeOptions_Asynchronous},
};
#endif

#ifndef _WIN32
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   Unix_SetReadModeTo__PipeTransmissionModeByte (its three pairs as a table) */
static void NamedPipeTest_Specific_Unix_SetReadModeTo__PipeTransmissionModeByte(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        named_pair(read_mode_pairs[i].server_dir, PipeOptions_Asynchronous, read_mode_pairs[i].client_dir,
                   read_mode_pairs[i].client_options, &server, &client);
        const char *n = dir_name(read_mode_pairs[i].server_dir);
        assert_true(PipeStream_set_ReadMode(server, PipeTransmissionMode_Byte));
        EXPECT_NO_EXC_AT(AT("server %s", n));
        assert_true(PipeStream_set_ReadMode(client, PipeTransmissionMode_Byte));
        EXPECT_NO_EXC_AT(AT("client of server %s", n));
        Dispose(client);
        Dispose(server);
    }
}
#else
#  if SP_KNOWN_FAILURES
/* KNOWN FAILURE under wine only: ReadMode = Byte on the In client of an Out server succeeds where
   .NET expects UnauthorizedAccessException (the In server's refusal is as .NET's). The client opens
   with GENERIC_READ alone, as .NET's does; wine's set_named_pipe_info (server/named_pipe.c) asks for
   FILE_WRITE_ATTRIBUTES on a server end only and takes a client end with no access check. */
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   Windows_SetReadModeTo__PipeTransmissionModeByte (its three pairs as a table: the In end refuses) */
static void NamedPipeTest_Specific_Windows_SetReadModeTo__PipeTransmissionModeByte(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        named_pair(read_mode_pairs[i].server_dir, PipeOptions_Asynchronous, read_mode_pairs[i].client_dir,
                   read_mode_pairs[i].client_options, &server, &client);
        const char *n = dir_name(read_mode_pairs[i].server_dir);
        if (read_mode_pairs[i].server_dir == PipeDirection_In)
            THROWS(!PipeStream_set_ReadMode(server, PipeTransmissionMode_Byte), UnauthorizedAccessException,
                   AT("server %s", n));
        else
            assert_true(PipeStream_set_ReadMode(server, PipeTransmissionMode_Byte));
        if (read_mode_pairs[i].client_dir == PipeDirection_In)
            THROWS(!PipeStream_set_ReadMode(client, PipeTransmissionMode_Byte), UnauthorizedAccessException,
                   AT("client of server %s", n));
        else
            assert_true(PipeStream_set_ReadMode(client, PipeTransmissionMode_Byte));
        Dispose(client);
        Dispose(server);
    }
}
#  endif
#endif

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   InvalidReadMode_Throws_ArgumentOutOfRangeException (a table of .NET's inputs) */
static void NamedPipeTest_Specific_InvalidReadMode_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    static const PipeDirection rows[][2] = {{PipeDirection_Out, PipeDirection_In},
                                            {PipeDirection_In, PipeDirection_Out}};
    for (int i = 0; i < 2; i++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        named_pair(rows[i][0], PipeOptions_Asynchronous, rows[i][1], PipeOptions_None, &server, &client);
        THROWS(!PipeStream_set_ReadMode(server, (PipeTransmissionMode)999), ArgumentOutOfRangeException,
               AT("server %s", dir_name(rows[i][0])));
        THROWS(!PipeStream_set_ReadMode(client, (PipeTransmissionMode)999), ArgumentOutOfRangeException,
               AT("client %s", dir_name(rows[i][1])));
        Dispose(client);
        Dispose(server);
    }
}

#ifndef _WIN32
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs:
   NameTooLong_MaxLengthPerPlatform: ((string)e.ActualValue).Length at the first failure */
static void NamedPipeTest_Specific_NameTooLong_MaxLengthPerPlatform(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s%sCoreFxPipe_", tmp && *tmp ? tmp : "/tmp/",
             tmp && *tmp && tmp[strlen(tmp) - 1] != '/' ? "/" : "");
    char name[600];
    snprintf(name, sizeof name, "%s", sp_unique_name("toolong"));
    size_t path_length = 0;
    for (;;) {
        size_t n = strlen(name);
        assert_true(n + 2 < sizeof name);
        name[n] = 'c';
        name[n + 1] = 0;
        NamedPipeServerStream *s = NamedPipeServerStream_new(name);
        if (!s) {
            EXPECT_EXC(ArgumentOutOfRangeException);
            const char *actual = ArgumentOutOfRangeException_get_ActualValue(Exception_get_Current());
            assert_non_null(actual);
            path_length = strlen(actual);
            assert_int_equal(path_length, strlen(prefix) + strlen(name));
            break;
        }
        NamedPipeClientStream *c = NamedPipeClientStream_new(name);
        bool ok = NamedPipeClientStream_Connect(c) && NamedPipeServerStream_WaitForConnection(s);
        const char *actual = NULL;
        if (!ok) {
            EXPECT_EXC(ArgumentOutOfRangeException);
            actual = ArgumentOutOfRangeException_get_ActualValue(Exception_get_Current());
            assert_non_null(actual);
            path_length = strlen(actual);
        }
        Dispose(c);
        Dispose(s);
        if (!ok)
            break;
    }
#  if defined(__linux__)
    assert_int_equal(path_length, 108);
#  elif defined(__APPLE__)
    assert_int_equal(path_length, 104);
#  else
    assert_true(path_length >= 92);
#  endif
}
#endif

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: ClientConnect_Throws_Timeout_When_Pipe_Not_Found */
static void NamedPipeTest_Specific_ClientConnect_Throws_Timeout_When_Pipe_Not_Found(void **state)
{
    (void)state;
    NamedPipeClientStream *client = NamedPipeClientStream_new(pipe_name);
    THROWS(!NamedPipeClientStream_Connect(client, 91), TimeoutException, "Connect(91)");
    Dispose(client);
}

#ifdef _WIN32
static void wait_for_connection_thread(void *p) { NamedPipeServerStream_WaitForConnection(p); }

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Specific.cs: ClientConnect_Throws_Timeout_When_Pipe_Busy (Windows only) */
static void NamedPipeTest_Specific_ClientConnect_Throws_Timeout_When_Pipe_Busy(void **state)
{
    (void)state;
    NamedPipeServerStream *server = NamedPipeServerStream_new(pipe_name);
    NamedPipeClientStream *first = NamedPipeClientStream_new(pipe_name);
    NamedPipeClientStream *second = NamedPipeClientStream_new(pipe_name);
    sp_thread *t = sp_thread_start(wait_for_connection_thread, server);
    assert_true(NamedPipeClientStream_Connect(first, 10000));
    sp_thread_join(t);
    assert_true(PipeStream_get_IsConnected(server));
    THROWS(!NamedPipeClientStream_Connect(second, 93), TimeoutException, "second client, 93 ms");
    Dispose(second);
    Dispose(first);
    Dispose(server);
}
#endif

/* ================================================================== NamedPipeTest.Simple.cs */

static const uint8_t send_bytes[] = {123, 234}; /* PipeTestBase.sendBytes */

/* NamedPipeTestBase.ReadBytes / WriteBytes */
static bool read_bytes(PipeStream *pipe, uint8_t *buffer, int length)
{
    if (!PipeStream_get_IsConnected(pipe))
        return false;
    int b = Stream_ReadByte(pipe);
    if (b < 0)
        return false;
    buffer[0] = (uint8_t)b;
    return length == 1 || Stream_Read(pipe, buffer, 1, length - 1) == length - 1;
}

static bool write_bytes(PipeStream *pipe, const uint8_t *buffer, int length)
{
    return PipeStream_get_IsConnected(pipe) && Stream_WriteByte(pipe, buffer[0]) &&
           (length == 1 || Stream_Write(pipe, buffer, 1, length - 1));
}

typedef struct {
    NamedPipeClientStream *client;
    bool write_to_server;
    uint8_t received[2];
    bool ok;
} one_way_client;

static void one_way_client_task(void *p)
{
    one_way_client *c = p;
    c->ok = NamedPipeClientStream_Connect(c->client) &&
            (c->write_to_server ? read_bytes((PipeStream *)c->client, c->received, 2)
                                : write_bytes((PipeStream *)c->client, send_bytes, 2));
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   OneWayReadWrites (its MemberData as a table: server and client options None and Asynchronous, sync
   operations only; for each of the six NamedPipeTest_Simple classes) */
static void NamedPipeTest_Simple_OneWayReadWrites(void **state)
{
    (void)state;
    static const PipeOptions options[] = {PipeOptions_None, PipeOptions_Asynchronous};
    for (size_t k = 0; k < NSIMPLE; k++)
        for (int so = 0; so < 2; so++)
            for (int co = 0; co < 2; co++) {
                const simple_kind *kind = &simple_pairs[k];
                NamedPipeServerStream *server;
                NamedPipeClientStream *client;
                simple_pair(kind, options[so], options[co], &server, &client);
                one_way_client c = {client, kind->write_to_server, {0}, false};
                uint8_t received[2] = {0};
                sp_thread *t = sp_thread_start(one_way_client_task, &c);
                assert_true(NamedPipeServerStream_WaitForConnection(server));
                if (kind->write_to_server)
                    assert_true(write_bytes((PipeStream *)server, send_bytes, 2));
                else
                    assert_true(read_bytes((PipeStream *)server, received, 2));
                sp_thread_join(t);
                if (!c.ok)
                    fail_msg("%s (%d, %d): the client failed", kind->name, so, co);
                ASSERT_BYTES(kind->write_to_server ? c.received : received, 2, send_bytes, 2);
                assert_true(NamedPipeServerStream_Disconnect(server));
                assert_false(PipeStream_get_IsConnected(server));
                Dispose(client);
                Dispose(server);
            }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   ConnectOnAlreadyConnectedClient_Throws_InvalidOperationException (for each of the six classes) */
static void NamedPipeTest_Simple_ConnectOnAlreadyConnectedClient_Throws_InvalidOperationException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        simple_pair(&simple_pairs[k], PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &client);
        simple_connect(server, client);
        assert_true(PipeStream_get_IsConnected(client));
        assert_true(PipeStream_get_IsConnected(server));
        THROWS(!NamedPipeClientStream_Connect(client), InvalidOperationException, simple_pairs[k].name);
        Dispose(client);
        Dispose(server);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   WaitForConnectionOnAlreadyConnectedServer_Throws_InvalidOperationException (for each of the six classes) */
static void
NamedPipeTest_Simple_WaitForConnectionOnAlreadyConnectedServer_Throws_InvalidOperationException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        simple_pair(&simple_pairs[k], PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &client);
        simple_connect(server, client);
        assert_true(PipeStream_get_IsConnected(client));
        assert_true(PipeStream_get_IsConnected(server));
        THROWS(!NamedPipeServerStream_WaitForConnection(server), InvalidOperationException, simple_pairs[k].name);
        Dispose(client);
        Dispose(server);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   OperationsOnDisconnectedServer (for each of the six classes) */
static void NamedPipeTest_Simple_OperationsOnDisconnectedServer(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        const simple_kind *kind = &simple_pairs[k];
        const char *n = kind->name;
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        simple_pair(kind, PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &client);
        simple_connect(server, client);
        THROWS(!PipeStream_get_IsMessageComplete(server), InvalidOperationException, AT("%s: IsMessageComplete", n));
        THROWS(!NamedPipeServerStream_WaitForConnection(server), InvalidOperationException,
               AT("%s: WaitForConnection", n));
        assert_true(NamedPipeServerStream_Disconnect(server));
        THROWS(!NamedPipeServerStream_Disconnect(server), InvalidOperationException, AT("%s: double Disconnect", n));
        uint8_t buffer[4] = {0};
        if (kind->write_to_server) {
            THROWS(!Stream_Write(server, buffer, 0, 4), InvalidOperationException, AT("%s: Write", n));
            THROWS(!Stream_WriteByte(server, 5), InvalidOperationException, AT("%s: WriteByte", n));
        } else {
            THROWS(Stream_Read(server, buffer, 0, 4) == -1, InvalidOperationException, AT("%s: Read", n));
            THROWS(Stream_ReadByte(server) == -1, InvalidOperationException, AT("%s: ReadByte", n));
        }
        THROWS(!Stream_Flush(server), InvalidOperationException, AT("%s: Flush", n));
        THROWS(!PipeStream_get_IsMessageComplete(server), InvalidOperationException,
               AT("%s: IsMessageComplete after", n));
        THROWS(!NamedPipeServerStream_GetImpersonationUserName(server), InvalidOperationException,
               AT("%s: GetImpersonationUserName", n));
        Dispose(client);
        Dispose(server);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   OperationsOnDisconnectedClient (for each of the six classes) */
static void NamedPipeTest_Simple_OperationsOnDisconnectedClient(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        const simple_kind *kind = &simple_pairs[k];
        const char *n = kind->name;
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        simple_pair(kind, PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &client);
        simple_connect(server, client);
        THROWS(!PipeStream_get_IsMessageComplete(client), InvalidOperationException, AT("%s: IsMessageComplete", n));
        THROWS(!NamedPipeClientStream_Connect(client), InvalidOperationException, AT("%s: Connect", n));
        assert_true(NamedPipeServerStream_Disconnect(server));
        uint8_t buffer[4] = {0};
        if (!kind->write_to_server) {
#ifdef _WIN32
            /* Pipe is broken (Windows only: writes on Unix may still succeed, the socket being used) */
            THROWS(!Stream_Write(client, buffer, 0, 4), IOException, AT("%s: Write", n));
            THROWS(!Stream_WriteByte(client, 5), IOException, AT("%s: WriteByte", n));
            THROWS(!Stream_Flush(client), IOException, AT("%s: Flush", n));
            THROWS(NamedPipeClientStream_get_NumberOfServerInstances(client) == -1, IOException,
                   AT("%s: NumberOfServerInstances", n));
#endif
        } else {
            /* nothing for the client to read, but no exception */
            assert_int_equal(Stream_Read(client, buffer, 0, 4), 0);
            assert_int_equal(Stream_ReadByte(client), -1);
#ifndef _WIN32
            THROWS(NamedPipeClientStream_get_NumberOfServerInstances(client) == -1, PlatformNotSupportedException,
                   AT("%s: NumberOfServerInstances", n));
#endif
        }
        THROWS(!PipeStream_get_IsMessageComplete(client), InvalidOperationException,
               AT("%s: IsMessageComplete after", n));
        Dispose(client);
        Dispose(server);
    }
}

#ifdef _WIN32
#  if SP_KNOWN_FAILURES
/* KNOWN FAILURE under wine only: GetImpersonationUserName on a connected server whose client was
   disposed succeeds where .NET (on Windows) expects IOException. That is wine's: its server's
   FSCTL_PIPE_IMPERSONATE impersonates the server process's own token whatever the client did
   ("FIXME: use the client token", server/named_pipe.c), so ImpersonateNamedPipeClient never fails.
   (The WaitForConnection half was sharpipc's: it checked the state first where .NET's Windows
   WaitForConnection lets ConnectNamedPipe decide; fixed, and checked on its own by
   NamedPipeTest_Simple_Windows_OperationsOnNamedServerWithDisposedClient_WaitForConnection.) */
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   Windows_OperationsOnNamedServerWithDisposedClient (Windows only; for each of the six classes) */
static void NamedPipeTest_Simple_Windows_OperationsOnNamedServerWithDisposedClient(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        const char *n = simple_pairs[k].name;
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        simple_pair(&simple_pairs[k], PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &client);
        simple_connect(server, client);
        Dispose(client);
        THROWS(!NamedPipeServerStream_WaitForConnection(server), IOException, AT("%s: WaitForConnection", n));
        THROWS(!NamedPipeServerStream_GetImpersonationUserName(server), IOException,
               AT("%s: GetImpersonationUserName", n));
        Dispose(server);
    }
}
#  endif
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   Windows_OperationsOnNamedServerWithDisposedClient, its WaitForConnection half (the other half
   is wine's, see above), with the live client's answer beside it
   (WaitForConnectionOnAlreadyConnectedServer: ConnectNamedPipe's ERROR_PIPE_CONNECTED). */
static void NamedPipeTest_Simple_Windows_OperationsOnNamedServerWithDisposedClient_WaitForConnection(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        const char *n = simple_pairs[k].name;
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        simple_pair(&simple_pairs[k], PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &client);
        simple_connect(server, client);
        THROWS(!NamedPipeServerStream_WaitForConnection(server), InvalidOperationException,
               AT("%s: WaitForConnection, client alive", n));
        Dispose(client);
        THROWS(!NamedPipeServerStream_WaitForConnection(server), IOException, AT("%s: WaitForConnection", n));
        Dispose(server);
    }
}
#else
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   Unix_OperationsOnNamedServerWithDisposedClient (for each of the six classes) */
static void NamedPipeTest_Simple_Unix_OperationsOnNamedServerWithDisposedClient(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        const char *n = simple_pairs[k].name;
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        simple_pair(&simple_pairs[k], PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &client);
        simple_connect(server, client);
        Dispose(client);
        /* on Unix the server still thinks it is connected after the client's Dispose */
        THROWS(!NamedPipeServerStream_WaitForConnection(server), InvalidOperationException,
               AT("%s: WaitForConnection", n));
        char *user = NamedPipeServerStream_GetImpersonationUserName(server);
        if (!user)
            fail_msg("%s: GetImpersonationUserName returned NULL", n);
        String_Free(user);
        Dispose(server);
    }
}
#endif

/* NamedPipeTest_Simple.OperationsOnUnconnectedClient, on the classes with an InOut client or on the
 * others (SafePipeHandle has no C counterpart). */
static void operations_on_unconnected_client(bool one_way_clients)
{
    for (size_t k = 0; k < NSIMPLE; k++) {
        if ((simple_pairs[k].client_dir != PipeDirection_InOut) != one_way_clients)
            continue;
        const char *n = simple_pairs[k].name;
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        simple_pair(&simple_pairs[k], PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &client);
        uint8_t buffer[4] = {0};
        if (Stream_get_CanRead(client)) {
            THROWS(Stream_Read(client, buffer, 0, 4) == -1, InvalidOperationException, AT("%s: Read", n));
            THROWS(Stream_ReadByte(client) == -1, InvalidOperationException, AT("%s: ReadByte", n));
            PipeStream_get_ReadMode(client);
            EXPECT_EXC_AT(InvalidOperationException, AT("%s: get ReadMode", n));
            THROWS(!PipeStream_set_ReadMode(client, PipeTransmissionMode_Byte), InvalidOperationException,
                   AT("%s: set ReadMode", n));
        }
        if (Stream_get_CanWrite(client)) {
            THROWS(!Stream_Write(client, buffer, 0, 4), InvalidOperationException, AT("%s: Write", n));
            THROWS(!Stream_WriteByte(client, 5), InvalidOperationException, AT("%s: WriteByte", n));
        }
        THROWS(NamedPipeClientStream_get_NumberOfServerInstances(client) == -1, InvalidOperationException,
               AT("%s: NumberOfServerInstances", n));
        PipeStream_get_TransmissionMode(client);
        EXPECT_EXC_AT(InvalidOperationException, AT("%s: TransmissionMode", n));
        THROWS(PipeStream_get_InBufferSize(client) == -1, InvalidOperationException, AT("%s: InBufferSize", n));
        THROWS(PipeStream_get_OutBufferSize(client) == -1, InvalidOperationException, AT("%s: OutBufferSize", n));
        Dispose(client);
        Dispose(server);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   OperationsOnUnconnectedClient (NamedPipeTest_Simple_ServerInOutRead_ClientInOutWrite and
   NamedPipeTest_Simple_ServerInOutWrite_ClientInOutRead; the four classes with a one-way client are a
   known failure below) */
static void NamedPipeTest_Simple_OperationsOnUnconnectedClient(void **state)
{
    (void)state;
    operations_on_unconnected_client(false);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   DisposedServerPipe_Throws_ObjectDisposedException (for each of the six classes) */
static void NamedPipeTest_Simple_DisposedServerPipe_Throws_ObjectDisposedException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        const char *n = simple_pairs[k].name;
        NamedPipeServerStream *pipe;
        NamedPipeClientStream *client;
        simple_pair(&simple_pairs[k], PipeOptions_Asynchronous, PipeOptions_Asynchronous, &pipe, &client);
        dispose_keep((PipeStream *)pipe);
        THROWS(!NamedPipeServerStream_Disconnect(pipe), ObjectDisposedException, AT("%s: Disconnect", n));
        THROWS(!NamedPipeServerStream_GetImpersonationUserName(pipe), ObjectDisposedException,
               AT("%s: GetImpersonationUserName", n));
        THROWS(!NamedPipeServerStream_WaitForConnection(pipe), ObjectDisposedException, AT("%s: WaitForConnection", n));
        Dispose(client);
        Dispose(pipe);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   DisposedClientPipe_Throws_ObjectDisposedException (for each of the six classes) */
static void NamedPipeTest_Simple_DisposedClientPipe_Throws_ObjectDisposedException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        const char *n = simple_pairs[k].name;
        NamedPipeServerStream *server;
        NamedPipeClientStream *pipe;
        simple_pair(&simple_pairs[k], PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &pipe);
        simple_connect(server, pipe);
        dispose_keep((PipeStream *)pipe);
        THROWS(!NamedPipeClientStream_Connect(pipe), ObjectDisposedException, AT("%s: Connect", n));
        THROWS(NamedPipeClientStream_get_NumberOfServerInstances(pipe) == -1, ObjectDisposedException,
               AT("%s: NumberOfServerInstances", n));
        Dispose(pipe);
        Dispose(server);
    }
}

/* ================================================================== PipeTest.Read.cs */

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ReadWithNullBuffer_Throws_ArgumentNullException
   (for each class PipeTest_Read runs on) */
static void PipeTest_Read_ReadWithNullBuffer_Throws_ArgumentNullException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        const char *n = read_pairs[k].name;
        pipe_pair p = make_pair(&read_pairs[k]);
        PipeStream *pipe = p.readable;
        assert_true(PipeStream_get_IsConnected(pipe));
        assert_true(Stream_get_CanRead(pipe));
        THROWS_P(Stream_Read(pipe, NULL, 0, 1) == -1, ArgumentNullException, "buffer", AT("%s: (null, 0, 1)", n));
        THROWS_P(Stream_Read(pipe, NULL, -1, 1) == -1, ArgumentNullException, "buffer", AT("%s: (null, -1, 1)", n));
        THROWS_P(Stream_Read(pipe, NULL, -1, -1) == -1, ArgumentNullException, "buffer", AT("%s: (null, -1, -1)", n));
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ReadWithNegativeOffset_Throws_ArgumentOutOfRangeException */
static void PipeTest_Read_ReadWithNegativeOffset_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        pipe_pair p = make_pair(&read_pairs[k]);
        uint8_t buffer[6];
        assert_true(PipeStream_get_IsConnected(p.readable));
        assert_true(Stream_get_CanRead(p.readable));
        THROWS_P(Stream_Read(p.readable, buffer, -1, 1) == -1, ArgumentOutOfRangeException, "offset",
                 read_pairs[k].name);
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ReadWithNegativeCount_Throws_ArgumentOutOfRangeException */
static void PipeTest_Read_ReadWithNegativeCount_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        pipe_pair p = make_pair(&read_pairs[k]);
        uint8_t buffer[3];
        assert_true(PipeStream_get_IsConnected(p.readable));
        assert_true(Stream_get_CanRead(p.readable));
        THROWS_P(Stream_Read(p.readable, buffer, 0, -1) == -1, ArgumentOutOfRangeException, "count",
                 read_pairs[k].name);
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: WriteToReadOnlyPipe_Throws_NotSupportedException
   (the classes without SupportsBidirectionalReadingWriting) */
static void PipeTest_Read_WriteToReadOnlyPipe_Throws_NotSupportedException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        if (read_pairs[k].bidirectional)
            continue;
        const char *n = read_pairs[k].name;
        pipe_pair p = make_pair(&read_pairs[k]);
        PipeStream *pipe = p.readable;
        uint8_t buffer[5] = {0};
        assert_true(PipeStream_get_IsConnected(pipe));
        assert_false(Stream_get_CanWrite(pipe));
        assert_false(Stream_get_CanSeek(pipe));
        THROWS(!Stream_Write(pipe, buffer, 0, 5), NotSupportedException, AT("%s: Write", n));
        THROWS(!Stream_WriteByte(pipe, 123), NotSupportedException, AT("%s: WriteByte", n));
        THROWS(!Stream_Flush(pipe), NotSupportedException, AT("%s: Flush", n));
        THROWS(PipeStream_get_OutBufferSize(pipe) == -1, NotSupportedException, AT("%s: OutBufferSize", n));
        THROWS(!PipeStream_WaitForPipeDrain(pipe), NotSupportedException, AT("%s: WaitForPipeDrain", n));
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ReadWithZeroLengthBuffer_Nop (the sync half) */
static void PipeTest_Read_ReadWithZeroLengthBuffer_Nop(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        pipe_pair p = make_pair(&read_pairs[k]);
        uint8_t buffer[1];
        assert_int_equal(Stream_Read(p.readable, buffer, 0, 0), 0);
        EXPECT_NO_EXC_AT(read_pairs[k].name);
        free_pair(&p);
    }
}

static void unsupported_members(PipeStream *pipe, const char *n)
{
    assert_true(PipeStream_get_IsConnected(pipe));
    THROWS(Stream_get_Length(pipe) == -1, NotSupportedException, AT("%s: Length", n));
    THROWS(!Stream_SetLength(pipe, 10), NotSupportedException, AT("%s: SetLength", n));
    THROWS(Stream_get_Position(pipe) == -1, NotSupportedException, AT("%s: Position", n));
    THROWS(!Stream_set_Position(pipe, 10), NotSupportedException, AT("%s: Position = 10", n));
    THROWS(Stream_Seek(pipe, 10, SeekOrigin_Begin) == -1, NotSupportedException, AT("%s: Seek", n));
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ReadPipeUnsupportedMembers_Throws_NotSupportedException */
static void PipeTest_Read_ReadPipeUnsupportedMembers_Throws_NotSupportedException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        pipe_pair p = make_pair(&read_pairs[k]);
        unsupported_members(p.readable, read_pairs[k].name);
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ReadOnDisposedReadablePipe_Throws_ObjectDisposedException */
static void PipeTest_Read_ReadOnDisposedReadablePipe_Throws_ObjectDisposedException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        const char *n = read_pairs[k].name;
        pipe_pair p = make_pair(&read_pairs[k]);
        PipeStream *pipe = p.readable;
        dispose_keep(pipe);
        uint8_t buffer[4] = {0};
        THROWS(!Stream_Flush(pipe), ObjectDisposedException, AT("%s: Flush", n));
        THROWS(Stream_Read(pipe, buffer, 0, 4) == -1, ObjectDisposedException, AT("%s: Read", n));
        THROWS(Stream_ReadByte(pipe) == -1, ObjectDisposedException, AT("%s: ReadByte", n));
        THROWS(!PipeStream_get_IsMessageComplete(pipe), ObjectDisposedException, AT("%s: IsMessageComplete", n));
        PipeStream_get_ReadMode(pipe);
        EXPECT_EXC_AT(ObjectDisposedException, AT("%s: ReadMode", n));
        free_pair(&p);
    }
}

/* PipeTest_Read.ReadFromPipeWithClosedPartner_ReadNoBytes, on one class. */
static void read_from_pipe_with_closed_partner(const pair_kind *kind, pipe_pair *p)
{
    const char *n = kind->name;
    Dispose(p->writeable);
    if (p->writeable == p->server)
        p->server = NULL;
    else
        p->client = NULL;
    uint8_t buffer[4] = {0};
    /* the pipe is not marked Broken until the first read: prime it, then read again */
    assert_int_equal(Stream_Read(p->readable, buffer, 0, 4), 0);
    EXPECT_NO_EXC_AT(AT("%s: first Read", n));
    assert_int_equal(Stream_Read(p->readable, buffer, 0, 4), 0);
    EXPECT_NO_EXC_AT(AT("%s: Read", n));
    assert_int_equal(Stream_ReadByte(p->readable), -1);
    EXPECT_NO_EXC_AT(AT("%s: ReadByte", n));
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ReadFromPipeWithClosedPartner_ReadNoBytes
   (the sync reads; on the named classes, and on the anonymous ones with the client's own copy of its
   handle -- see anonymous_client; the known-failure test below has .NET's shared handle) */
static void PipeTest_Read_ReadFromPipeWithClosedPartner_ReadNoBytes(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        pipe_pair p = make_pair(&read_pairs[k]);
        read_from_pipe_with_closed_partner(&read_pairs[k], &p);
        free_pair(&p);
    }
}

static void write_sent(void *arg)
{
    writer_task *w = arg;
    static const uint8_t sent[] = {123, 0, 5};
    w->ok = Stream_Write(w->pipe, sent, 0, 3);
}

static void write_123(void *arg)
{
    writer_task *w = arg;
    w->ok = Stream_WriteByte(w->pipe, 123);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ValidWrite_ValidRead */
static void PipeTest_Read_ValidWrite_ValidRead(void **state)
{
    (void)state;
    static const uint8_t sent[] = {123, 0, 5};
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        pipe_pair p = make_pair(&read_pairs[k]);
        assert_true(PipeStream_get_IsConnected(p.writeable));
        assert_true(PipeStream_get_IsConnected(p.readable));
        uint8_t received[3] = {0};
        writer_task w = {p.writeable, false};
        sp_thread *t = sp_thread_start(write_sent, &w);
        assert_int_equal(Stream_Read(p.readable, received, 0, 3), 3);
        ASSERT_BYTES(received, 3, sent, 3);
        sp_thread_join(t);
        assert_true(w.ok);
#ifdef _WIN32
        assert_true(PipeStream_WaitForPipeDrain(p.writeable)); /* WaitForPipeDrain isn't supported on Unix */
#endif
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ValidWriteByte_ValidReadByte */
static void PipeTest_Read_ValidWriteByte_ValidReadByte(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        pipe_pair p = make_pair(&read_pairs[k]);
        assert_true(PipeStream_get_IsConnected(p.writeable));
        assert_true(PipeStream_get_IsConnected(p.readable));
        writer_task w = {p.writeable, false};
        sp_thread *t = sp_thread_start(write_123, &w);
        assert_int_equal(Stream_ReadByte(p.readable), 123);
        sp_thread_join(t);
        assert_true(w.ok);
        free_pair(&p);
    }
}

/* ================================================================== PipeTest.Write.cs */

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: WriteWithNullBuffer_Throws_ArgumentNullException
   (for each class PipeTest_Write runs on) */
static void PipeTest_Write_WriteWithNullBuffer_Throws_ArgumentNullException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        const char *n = write_pairs[k].name;
        pipe_pair p = make_pair(&write_pairs[k]);
        PipeStream *pipe = p.writeable;
        assert_true(PipeStream_get_IsConnected(pipe));
        assert_true(Stream_get_CanWrite(pipe));
        THROWS_P(!Stream_Write(pipe, NULL, 0, 1), ArgumentNullException, "buffer", AT("%s: (null, 0, 1)", n));
        THROWS_P(!Stream_Write(pipe, NULL, -1, 1), ArgumentNullException, "buffer", AT("%s: (null, -1, 1)", n));
        THROWS_P(!Stream_Write(pipe, NULL, -1, -1), ArgumentNullException, "buffer", AT("%s: (null, -1, -1)", n));
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: WriteWithNegativeOffset_Throws_ArgumentOutOfRangeException */
static void PipeTest_Write_WriteWithNegativeOffset_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        pipe_pair p = make_pair(&write_pairs[k]);
        uint8_t buffer[5] = {0};
        assert_true(PipeStream_get_IsConnected(p.writeable));
        assert_true(Stream_get_CanWrite(p.writeable));
        assert_false(Stream_get_CanSeek(p.writeable));
        THROWS_P(!Stream_Write(p.writeable, buffer, -1, 1), ArgumentOutOfRangeException, "offset", write_pairs[k].name);
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: WriteWithNegativeCount_Throws_ArgumentOutOfRangeException */
static void PipeTest_Write_WriteWithNegativeCount_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        pipe_pair p = make_pair(&write_pairs[k]);
        uint8_t buffer[5] = {0};
        assert_true(PipeStream_get_IsConnected(p.writeable));
        assert_true(Stream_get_CanWrite(p.writeable));
        THROWS_P(!Stream_Write(p.writeable, buffer, 0, -1), ArgumentOutOfRangeException, "count", write_pairs[k].name);
        free_pair(&p);
    }
}

/* The part of ReadOnWriteOnlyPipe_Throws_NotSupportedException sharpipc passes: Read and ReadByte. */
static void read_on_write_only_pipe(PipeStream *pipe, const char *n)
{
    uint8_t buffer[9] = {0};
    assert_true(PipeStream_get_IsConnected(pipe));
    assert_false(Stream_get_CanRead(pipe));
    THROWS(Stream_Read(pipe, buffer, 0, 5) == -1, NotSupportedException, AT("%s: Read", n));
    THROWS(Stream_ReadByte(pipe) == -1, NotSupportedException, AT("%s: ReadByte", n));
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: ReadOnWriteOnlyPipe_Throws_NotSupportedException
   (the classes without SupportsBidirectionalReadingWriting; also ReadOnWriteOnlyPipe_Span_Throws_NotSupportedException,
   whose sync Read is the same call in C) */
static void PipeTest_Write_ReadOnWriteOnlyPipe_Throws_NotSupportedException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        if (write_pairs[k].bidirectional)
            continue;
        pipe_pair p = make_pair(&write_pairs[k]);
        read_on_write_only_pipe(p.writeable, write_pairs[k].name);
        THROWS(PipeStream_get_InBufferSize(p.writeable) == -1, NotSupportedException,
               AT("%s: InBufferSize", write_pairs[k].name));
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: WriteZeroLengthBuffer_Nop (the sync half;
   also WriteZeroLengthBuffer_Span_Nop) */
static void PipeTest_Write_WriteZeroLengthBuffer_Nop(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        pipe_pair p = make_pair(&write_pairs[k]);
        uint8_t buffer[1];
        assert_true(Stream_Write(p.writeable, buffer, 0, 0));
        EXPECT_NO_EXC_AT(write_pairs[k].name);
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: WritePipeUnsupportedMembers_Throws_NotSupportedException */
static void PipeTest_Write_WritePipeUnsupportedMembers_Throws_NotSupportedException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        pipe_pair p = make_pair(&write_pairs[k]);
        unsupported_members(p.writeable, write_pairs[k].name);
        free_pair(&p);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: WriteToDisposedWriteablePipe_Throws_ObjectDisposedException
   (also WriteToDisposedWriteablePipe_Span_Throws_ObjectDisposedException) */
static void PipeTest_Write_WriteToDisposedWriteablePipe_Throws_ObjectDisposedException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        const char *n = write_pairs[k].name;
        pipe_pair p = make_pair(&write_pairs[k]);
        PipeStream *pipe = p.writeable;
        dispose_keep(pipe);
        uint8_t buffer[4] = {0};
        THROWS(!Stream_Write(pipe, buffer, 0, 4), ObjectDisposedException, AT("%s: Write", n));
        THROWS(!Stream_WriteByte(pipe, 5), ObjectDisposedException, AT("%s: WriteByte", n));
        THROWS(!Stream_Flush(pipe), ObjectDisposedException, AT("%s: Flush", n));
        THROWS(!PipeStream_get_IsMessageComplete(pipe), ObjectDisposedException, AT("%s: IsMessageComplete", n));
        PipeStream_get_ReadMode(pipe);
        EXPECT_EXC_AT(ObjectDisposedException, AT("%s: ReadMode", n));
        free_pair(&p);
    }
}

/* PipeTest_Write.WriteToPipeWithClosedPartner_Throws_IOException, on one class: returns false where
 * .NET's test returns early (a named client on Unix, where sockets don't propagate shutdown at once). */
static bool write_to_pipe_with_closed_partner(const pair_kind *kind, pipe_pair *p, bool flush)
{
#ifndef _WIN32
    if (!kind->anonymous)
        return false;
#endif
    const char *n = kind->name;
    Dispose(p->readable);
    if (p->readable == p->server)
        p->server = NULL;
    else
        p->client = NULL;
    uint8_t buffer[4] = {0};
    THROWS(!Stream_Write(p->writeable, buffer, 0, 4), IOException, AT("%s: Write", n));
    THROWS(!Stream_WriteByte(p->writeable, 123), IOException, AT("%s: WriteByte", n));
    if (flush)
        THROWS(!Stream_Flush(p->writeable), IOException, AT("%s: Flush", n));
    return true;
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: ValidFlush_DoesntThrow (the sync half) */
static void PipeTest_Write_ValidFlush_DoesntThrow(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        pipe_pair p = make_pair(&write_pairs[k]);
        writer_task w = {p.writeable, false};
        sp_thread *t = sp_thread_start(write_123, &w);
        assert_true(Stream_Flush(p.writeable));
        assert_int_equal(Stream_ReadByte(p.readable), 123);
        sp_thread_join(t);
        assert_true(w.ok);
        free_pair(&p);
    }
}

/* ================================================================== AnonymousPipeTest.CreateServer.cs */

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateServer.cs:
   InOutPipeDirection_Throws_NotSupportedException (the handle constructor has no C counterpart) */
static void AnonymousPipeTest_CreateServer_InOutPipeDirection_Throws_NotSupportedException(void **state)
{
    (void)state;
    THROWS(!AnonymousPipeServerStream_new(PipeDirection_InOut), NotSupportedException, "1 arg");
    THROWS(!AnonymousPipeServerStream_new(PipeDirection_InOut, HandleInheritability_None), NotSupportedException,
           "2 args");
    THROWS(!AnonymousPipeServerStream_new(PipeDirection_InOut, HandleInheritability_None, 500), NotSupportedException,
           "3 args");
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateServer.cs:
   ServerBadInheritabilityThrows (a table of .NET's inputs) */
static void AnonymousPipeTest_CreateServer_ServerBadInheritabilityThrows(void **state)
{
    (void)state;
    static const struct {
        PipeDirection direction;
        int inheritability;
    } rows[] = {{PipeDirection_In, 999}, {PipeDirection_Out, 999}};
    for (int i = 0; i < 2; i++) {
        const char *n = dir_name(rows[i].direction);
        THROWS_P(!AnonymousPipeServerStream_new(rows[i].direction, (HandleInheritability)rows[i].inheritability),
                 ArgumentOutOfRangeException, "inheritability", AT("%s: 2 args", n));
        THROWS_P(!AnonymousPipeServerStream_new(rows[i].direction, (HandleInheritability)rows[i].inheritability, 500),
                 ArgumentOutOfRangeException, "inheritability", AT("%s: 3 args", n));
    }
}

/* [InlineData(PipeDirection.In, -500)] [InlineData(PipeDirection.Out, -500)] [InlineData(PipeDirection.InOut, -500)] */
static const struct {
    PipeDirection direction;
    int32_t buffer_size;
} invalid_buffer_size_rows[] = {{PipeDirection_In, -500}, {PipeDirection_Out, -500}, {PipeDirection_InOut, -500}};

static void invalid_buffer_size_row(int i)
{
    THROWS_P(!AnonymousPipeServerStream_new(invalid_buffer_size_rows[i].direction, HandleInheritability_None,
                                            invalid_buffer_size_rows[i].buffer_size),
             ArgumentOutOfRangeException, "bufferSize", dir_name(invalid_buffer_size_rows[i].direction));
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateServer.cs:
   InvalidBufferSize_Throws_ArgumentOutOfRangeException (the In and Out rows of .NET's table; the InOut
   row, "bufferSize will cause an exception before InOut will", is a known failure below) */
static void AnonymousPipeTest_CreateServer_InvalidBufferSize_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    invalid_buffer_size_row(0);
    invalid_buffer_size_row(1);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateServer.cs:
   InvalidPipeDirection_Throws_ArgumentOutOfRangeException */
static void AnonymousPipeTest_CreateServer_InvalidPipeDirection_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    PipeDirection d = (PipeDirection)123;
    THROWS_P(!AnonymousPipeServerStream_new(d, HandleInheritability_None, 500), ArgumentOutOfRangeException,
             "direction", "(123, None, 500)");
    THROWS_P(!AnonymousPipeServerStream_new(d, (HandleInheritability)999, -500), ArgumentOutOfRangeException,
             "direction", "(123, 999, -500)");
    THROWS_P(!AnonymousPipeServerStream_new(d, HandleInheritability_None, -500), ArgumentOutOfRangeException,
             "direction", "(123, None, -500)");
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateServer.cs: ValidConstructors */
static void AnonymousPipeTest_CreateServer_ValidConstructors(void **state)
{
    (void)state;
    AnonymousPipeServerStream *s;
    assert_non_null(s = AnonymousPipeServerStream_new());
    assert_true(Dispose(s));
    assert_non_null(s = AnonymousPipeServerStream_new(PipeDirection_Out));
    assert_true(Dispose(s));
    assert_non_null(s = AnonymousPipeServerStream_new(PipeDirection_Out, HandleInheritability_None));
    assert_true(Dispose(s));
    assert_non_null(s = AnonymousPipeServerStream_new(PipeDirection_Out, HandleInheritability_Inheritable));
    assert_true(Dispose(s));
    assert_non_null(s = AnonymousPipeServerStream_new(PipeDirection_Out, HandleInheritability_None, 0));
    assert_true(Dispose(s));
}

/* ================================================================== AnonymousPipeTest.CreateClient.cs */

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateClient.cs:
   NullParameters_Throws_ArgumentNullException (the string overloads) */
static void AnonymousPipeTest_CreateClient_NullParameters_Throws_ArgumentNullException(void **state)
{
    (void)state;
    THROWS_P(!AnonymousPipeClientStream_new(NULL), ArgumentNullException, "pipeHandleAsString", "(null)");
    THROWS_P(!AnonymousPipeClientStream_new(PipeDirection_Out, NULL), ArgumentNullException, "pipeHandleAsString",
             "(Out, null)");
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateClient.cs:
   CreateClientStreamFromStringHandle_Valid (the client has its own copy of the handle: see anonymous_client) */
static void AnonymousPipeTest_CreateClient_CreateClientStreamFromStringHandle_Valid(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server = AnonymousPipeServerStream_new(PipeDirection_Out);
    assert_non_null(server);
    AnonymousPipeClientStream *client = anonymous_client(server, PipeDirection_In, true);
    assert_true(Dispose(client));
    assert_true(Dispose(server));
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateClient.cs:
   InvalidStringParameters_Throws_ArgumentException (a table of .NET's inputs) */
static void AnonymousPipeTest_CreateClient_InvalidStringParameters_Throws_ArgumentException(void **state)
{
    (void)state;
    static const char *const rows[] = {"abc", "-1"};
    for (int i = 0; i < 2; i++) {
        THROWS_P(!AnonymousPipeClientStream_new(rows[i]), ArgumentException, "pipeHandleAsString",
                 AT("\"%s\"", rows[i]));
        THROWS_P(!AnonymousPipeClientStream_new(PipeDirection_Out, rows[i]), ArgumentException, "pipeHandleAsString",
                 AT("(Out, \"%s\")", rows[i]));
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateClient.cs:
   InOutPipeDirection_Throws_NotSupportedException (the string overload) */
static void AnonymousPipeTest_CreateClient_InOutPipeDirection_Throws_NotSupportedException(void **state)
{
    (void)state;
    THROWS(!AnonymousPipeClientStream_new(PipeDirection_InOut, "123"), NotSupportedException, "(InOut, \"123\")");
}

/* ================================================================== AnonymousPipeTest.Specific.cs */

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.Specific.cs: DisposeLocalCopyOfClientHandle_BeforeServerRead */
static void AnonymousPipeTest_Specific_DisposeLocalCopyOfClientHandle_BeforeServerRead(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server = AnonymousPipeServerStream_new(PipeDirection_In);
    assert_non_null(server);
    AnonymousPipeClientStream *client = anonymous_client(server, PipeDirection_Out, false);
    uint8_t sent[1] = {123}, received[1] = {0};
    assert_true(Stream_Write(client, sent, 0, 1));
    assert_true(AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(server));
    assert_int_equal(Stream_Read(server, received, 0, 1), 1);
    assert_int_equal(received[0], sent[0]);
    Dispose(client);
    Dispose(server);
}

#ifdef __linux__
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.Specific.cs: Linux_BufferSizeRoundtrips */
static void AnonymousPipeTest_Specific_Linux_BufferSizeRoundtrips(void **state)
{
    (void)state;
    int32_t desired = 4096;
    AnonymousPipeServerStream *server =
        AnonymousPipeServerStream_new(PipeDirection_Out, HandleInheritability_None, desired);
    assert_non_null(server);
    assert_int_equal(PipeStream_get_OutBufferSize(server), desired);
    desired = PipeStream_get_OutBufferSize(server) * 2;
    assert_true(desired > 0);
    Dispose(server);

    server = AnonymousPipeServerStream_new(PipeDirection_Out, HandleInheritability_None, desired);
    AnonymousPipeClientStream *client = anonymous_client(server, PipeDirection_In, true);
    assert_int_equal(PipeStream_get_OutBufferSize(server), desired);
    assert_int_equal(PipeStream_get_InBufferSize(client), desired);
    Dispose(client);
    Dispose(server);

    server = AnonymousPipeServerStream_new(PipeDirection_In, HandleInheritability_None, desired);
    client = anonymous_client(server, PipeDirection_Out, true);
    assert_int_equal(PipeStream_get_InBufferSize(server), desired);
    assert_int_equal(PipeStream_get_OutBufferSize(client), desired);
    Dispose(client);
    Dispose(server);
}
#endif

#ifdef _WIN32
#  if SP_KNOWN_FAILURES
/* KNOWN FAILURE under wine only: the Out client of an In server reports OutBufferSize 10 where .NET
   expects 0 (the first half passes). The pipe is CreatePipe's, as .NET's; wine's GetNamedPipeInfo
   reports the pipe's OutboundQuota for either end (pipe_end_get_file_info), where Windows gives the
   client end its own (0). */
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.Specific.cs: Windows_BufferSizeRoundtripping */
static void AnonymousPipeTest_Specific_Windows_BufferSizeRoundtripping(void **state)
{
    (void)state;
    int32_t desired = 10;
    AnonymousPipeServerStream *server =
        AnonymousPipeServerStream_new(PipeDirection_Out, HandleInheritability_None, desired);
    AnonymousPipeClientStream *client = anonymous_client(server, PipeDirection_In, true);
    assert_int_equal(PipeStream_get_OutBufferSize(server), desired);
    assert_int_equal(PipeStream_get_InBufferSize(client), desired);
    Dispose(client);
    Dispose(server);
    server = AnonymousPipeServerStream_new(PipeDirection_In, HandleInheritability_None, desired);
    client = anonymous_client(server, PipeDirection_Out, true);
    assert_int_equal(PipeStream_get_InBufferSize(server), desired);
    assert_int_equal(PipeStream_get_OutBufferSize(client), 0);
    Dispose(client);
    Dispose(server);
}
#  endif
#endif

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.Specific.cs: PipeTransmissionMode_Returns_Byte */
static void AnonymousPipeTest_Specific_PipeTransmissionMode_Returns_Byte(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server;
    AnonymousPipeClientStream *client;
    anonymous_pair(PipeDirection_In, &server, &client); /* AnonymousPipeTestBase.CreateServerClientPair */
    assert_int_equal(PipeStream_get_TransmissionMode(client), PipeTransmissionMode_Byte);
    assert_int_equal(PipeStream_get_TransmissionMode(server), PipeTransmissionMode_Byte);
    EXPECT_NO_EXC();
    Dispose(client);
    Dispose(server);
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.Specific.cs:
   ReadModeToByte_Accepted (a table of .NET's inputs) */
static void AnonymousPipeTest_Specific_ReadModeToByte_Accepted(void **state)
{
    (void)state;
    static const PipeDirection rows[] = {PipeDirection_Out, PipeDirection_In};
    for (int i = 0; i < 2; i++) {
        AnonymousPipeServerStream *server;
        AnonymousPipeClientStream *client;
        anonymous_pair(rows[i], &server, &client);
        assert_true(PipeStream_set_ReadMode(server, PipeTransmissionMode_Byte));
        assert_true(PipeStream_set_ReadMode(client, PipeTransmissionMode_Byte));
        assert_int_equal(PipeStream_get_ReadMode(server), PipeTransmissionMode_Byte);
        assert_int_equal(PipeStream_get_ReadMode(client), PipeTransmissionMode_Byte);
        EXPECT_NO_EXC_AT(dir_name(rows[i]));
        Dispose(client);
        Dispose(server);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.Specific.cs: InvalidReadMode_Throws_ArgumentOutOfRangeException */
static void AnonymousPipeTest_Specific_InvalidReadMode_Throws_ArgumentOutOfRangeException(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server;
    AnonymousPipeClientStream *client;
    anonymous_pair(PipeDirection_Out, &server, &client);
    THROWS(!PipeStream_set_ReadMode(server, (PipeTransmissionMode)999), ArgumentOutOfRangeException, "server");
    THROWS(!PipeStream_set_ReadMode(client, (PipeTransmissionMode)999), ArgumentOutOfRangeException, "client");
    Dispose(client);
    Dispose(server);
}

/* ================================================================== UnifiedErrorHandlingTests.cs */

static void assert_zero_byte_read(PipeStream *client, const char *n)
{
    uint8_t buffer[100];
    assert_int_equal(Stream_Read(client, buffer, 0, 100), 0);
    EXPECT_NO_EXC_AT(AT("%s: Read(byte[100])", n));
    assert_int_equal(Stream_Read(client, buffer, 0, 100), 0);
    EXPECT_NO_EXC_AT(AT("%s: Read(buffer, 0, 100)", n));
}

static void assert_write_throws(PipeStream *client, const char *n)
{
    uint8_t buffer[100] = {0};
    THROWS(!Stream_Write(client, buffer, 0, 100), IOException, AT("%s: Write(buffer, 0, 100)", n));
    THROWS(!Stream_Write(client, buffer, 0, 100), IOException, AT("%s: Write(byte[100])", n));
}

/* [InlineData(true)] [InlineData(false)]: asyncHandles */
static const PipeOptions async_handles[] = {PipeOptions_Asynchronous, PipeOptions_None};

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/UnifiedErrorHandlingTests.cs:
   WhenNamedPipeServerIsClosedNamedPipeClientReadReturnsZero (a table of .NET's inputs) */
static void UnifiedErrorHandlingTests_WhenNamedPipeServerIsClosedNamedPipeClientReadReturnsZero(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        named_pair(PipeDirection_Out, async_handles[i], PipeDirection_In, async_handles[i], &server, &client);
        Dispose(server);
        assert_zero_byte_read((PipeStream *)client, i ? "sync handles" : "async handles");
        Dispose(client);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/UnifiedErrorHandlingTests.cs:
   WhenNamedPipeServerIsClosedNamedPipeClientWriteThrows (a table of .NET's inputs) */
static void UnifiedErrorHandlingTests_WhenNamedPipeServerIsClosedNamedPipeClientWriteThrows(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        named_pair(PipeDirection_In, async_handles[i], PipeDirection_Out, async_handles[i], &server, &client);
        Dispose(server);
        assert_write_throws((PipeStream *)client, i ? "sync handles" : "async handles");
        Dispose(client);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/UnifiedErrorHandlingTests.cs:
   WhenNamedPipeServerDisconnectsNamedPipeClientReadReturnsZero (a table of .NET's inputs) */
static void UnifiedErrorHandlingTests_WhenNamedPipeServerDisconnectsNamedPipeClientReadReturnsZero(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        named_pair(PipeDirection_Out, async_handles[i], PipeDirection_In, async_handles[i], &server, &client);
        assert_true(NamedPipeServerStream_Disconnect(server));
        assert_zero_byte_read((PipeStream *)client, i ? "sync handles" : "async handles");
        Dispose(client);
        Dispose(server);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/UnifiedErrorHandlingTests.cs:
   WhenNamedPipeServerDisconnectsNamedPipeClientWriteThrows (a table of .NET's inputs) */
static void UnifiedErrorHandlingTests_WhenNamedPipeServerDisconnectsNamedPipeClientWriteThrows(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        named_pair(PipeDirection_In, async_handles[i], PipeDirection_Out, async_handles[i], &server, &client);
        assert_true(NamedPipeServerStream_Disconnect(server));
        assert_write_throws((PipeStream *)client, i ? "sync handles" : "async handles");
        Dispose(client);
        Dispose(server);
    }
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/UnifiedErrorHandlingTests.cs:
   WhenAnonymousPipeServerIsClosedAnonymousPipeClientWriteThrows (the client with its own copy of its
   handle: see anonymous_client) */
static void UnifiedErrorHandlingTests_WhenAnonymousPipeServerIsClosedAnonymousPipeClientWriteThrows(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server;
    AnonymousPipeClientStream *client;
    anonymous_pair(PipeDirection_In, &server, &client);
    Dispose(server);
    assert_write_throws((PipeStream *)client, "anonymous");
    Dispose(client);
}

/* ================================================================== NamedPipeTest.UnixDomainSockets.cs */

#ifndef _WIN32
static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.UnixDomainSockets.cs:
   NamedPipeServer_Connects_With_UnixDomainSocketEndPointClient (a raw AF_UNIX socket for the Socket) */
static void NamedPipeTest_UnixDomainSockets_NamedPipeServer_Connects_With_UnixDomainSocketEndPointClient(void **state)
{
    (void)state;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "/tmp/pipe-tests-corefx-%.60s", pipe_name);
    const char *path = addr.sun_path;
    NamedPipeServerStream *server =
        NamedPipeServerStream_new(path, PipeDirection_InOut, 1, PipeTransmissionMode_Byte, PipeOptions_CurrentUserOnly);
    assert_non_null(server);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_true(file_exists(path));
    close(fd);
    Dispose(server);
    assert_false(file_exists(path));
}

/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.UnixDomainSockets.cs:
   NamedPipeClient_Connects_With_UnixDomainSocketEndPointServer (a raw listening socket for the Socket;
   .NET's Socket removes its file on Dispose, a raw one does not, so the test removes it) */
static void NamedPipeTest_UnixDomainSockets_NamedPipeClient_Connects_With_UnixDomainSocketEndPointServer(void **state)
{
    (void)state;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "/tmp/pipe-tests-corefx-%.60s", pipe_name);
    const char *path = addr.sun_path;
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", path, PipeDirection_InOut, PipeOptions_None);
    assert_int_equal(bind(listener, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(listener, 1), 0);
    assert_true(NamedPipeClientStream_Connect(client, 15000)); /* the backlog takes it before the accept */
    int accepted = accept(listener, NULL, NULL);
    assert_true(accepted >= 0);
    assert_true(file_exists(path));
    close(accepted);
    Dispose(client);
    close(listener);
    unlink(path);
    assert_false(file_exists(path));
}
#endif


/* dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: WriteToPipeWithClosedPartner_Throws_IOException
   (for each class PipeTest_Write runs on; .NET's test returns early for a named client on Unix; the
   anonymous clients have their own copy of the handle: see anonymous_client) */
static void PipeTest_Write_WriteToPipeWithClosedPartner_Throws_IOException(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        pipe_pair p = make_pair(&write_pairs[k]);
        write_to_pipe_with_closed_partner(&write_pairs[k], &p, true);
        free_pair(&p);
    }
}

/* ================================================================== once known failures
 *
 * .NET's tests that failed against sharpipc when they were ported, and pass since the pipe rework
 * (the "FIXED" notes say what they got before). Under wine OperationsOnUnconnectedServer still
 * fails its buffer-size part, so there it is a known failure: wine's GetNamedPipeInfo wants
 * FILE_READ_ATTRIBUTES on the handle (pipe_end_get_file_info), which an outbound server handle
 * lacks under wine (see NamedPipeTest_Specific_Windows_BufferSizeRoundtripping). */

#if !defined(_WIN32) || SP_KNOWN_FAILURES
/* FIXED (was a known failure) (Unix; every class): on a server that is not connected yet, TransmissionMode, the
   ReadMode getter and the ReadMode setter raise InvalidOperationException("Pipe handle has not been
   set.  Did your PipeStream implementation call InitializeHandle?"); .NET returns Byte from both
   getters and raises ArgumentOutOfRangeException for ReadMode = 999. (OutBufferSize/InBufferSize 0,
   Read/Write, Disconnect and IsMessageComplete are as .NET's.) Windows (under wine): only
   NamedPipeTest_Simple_ServerOut_ClientIn fails, its OutBufferSize raising
   UnauthorizedAccessException("Access to the path is denied.") where .NET expects 0 (as in
   NamedPipeTest_Specific_Windows_BufferSizeRoundtripping). */
/* dotnet/runtime src/libraries/System.IO.Pipes/tests/NamedPipeTests/NamedPipeTest.Simple.cs:
   OperationsOnUnconnectedServer (for each of the six classes) */
static void NamedPipeTest_Simple_OperationsOnUnconnectedServer(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSIMPLE; k++) {
        const simple_kind *kind = &simple_pairs[k];
        const char *n = kind->name;
        NamedPipeServerStream *server;
        NamedPipeClientStream *client;
        simple_pair(kind, PipeOptions_Asynchronous, PipeOptions_Asynchronous, &server, &client);
        /* doesn't throw exceptions */
        PipeStream_get_TransmissionMode(server);
        EXPECT_NO_EXC_AT(AT("%s: TransmissionMode", n));
        THROWS(!PipeStream_set_ReadMode(server, (PipeTransmissionMode)999), ArgumentOutOfRangeException,
               AT("%s: ReadMode = 999", n));
        uint8_t buffer[4] = {0};
        if (kind->write_to_server) {
            assert_int_equal(PipeStream_get_OutBufferSize(server), 0);
            THROWS(!Stream_Write(server, buffer, 0, 4), InvalidOperationException, AT("%s: Write", n));
            THROWS(!Stream_WriteByte(server, 5), InvalidOperationException, AT("%s: WriteByte", n));
        } else {
            assert_int_equal(PipeStream_get_InBufferSize(server), 0);
            PipeStream_get_ReadMode(server);
            EXPECT_NO_EXC_AT(AT("%s: ReadMode", n));
            THROWS(Stream_Read(server, buffer, 0, 4) == -1, InvalidOperationException, AT("%s: Read", n));
            THROWS(Stream_ReadByte(server) == -1, InvalidOperationException, AT("%s: ReadByte", n));
        }
        THROWS(!NamedPipeServerStream_Disconnect(server), InvalidOperationException, AT("%s: Disconnect", n));
        THROWS(!PipeStream_get_IsMessageComplete(server), InvalidOperationException, AT("%s: IsMessageComplete", n));
        Dispose(client);
        Dispose(server);
    }
}
#endif

/* KNOWN FAILURE: NamedPipeTest.Simple.cs OperationsOnUnconnectedClient on the four classes with an In
   or Out client (ServerInOut_ClientIn, ServerInOut_ClientOut, ServerOut_ClientIn, ServerIn_ClientOut):
   an unconnected client's OutBufferSize (In client) or InBufferSize (Out client) raises
   NotSupportedException("Stream does not support writing." / "... reading."); .NET checks the
   connection first (CheckPipePropertyOperations) and raises InvalidOperationException. */
static void NamedPipeTest_Simple_OperationsOnUnconnectedClient_OneWayClients(void **state)
{
    (void)state;
    operations_on_unconnected_client(true);
}

/* FIXED (was a known failure) (Unix): ReadMode = Message on an anonymous server or client raises
   PlatformNotSupportedException("Message transmission mode is not supported on this platform.");
   .NET's anonymous streams raise NotSupportedException("Anonymous pipes do not support
   PipeTransmissionMode.Message ReadMode.") (exactly that type: xunit's Assert.Throws) on every platform.
   Windows (under wine): IOException("Invalid parameter."), from SetNamedPipeHandleState.
   dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.Specific.cs: MessageReadMode_Throws_NotSupportedException */
static void AnonymousPipeTest_Specific_MessageReadMode_Throws_NotSupportedException(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server;
    AnonymousPipeClientStream *client;
    anonymous_pair(PipeDirection_Out, &server, &client);
    THROWS(!PipeStream_set_ReadMode(server, PipeTransmissionMode_Message), NotSupportedException, "server");
    THROWS(!PipeStream_set_ReadMode(client, PipeTransmissionMode_Message), NotSupportedException, "client");
    Dispose(client);
    Dispose(server);
}

/* KNOWN FAILURE: new AnonymousPipeServerStream(InOut, None, -500) raises NotSupportedException("Anonymous
   pipes can only be in one direction."); .NET checks bufferSize first (PipeStream's base constructor)
   and raises ArgumentOutOfRangeException("bufferSize").
   dotnet/runtime src/libraries/System.IO.Pipes/tests/AnonymousPipeTests/AnonymousPipeTest.CreateServer.cs:
   InvalidBufferSize_Throws_ArgumentOutOfRangeException, the InOut row */
static void AnonymousPipeTest_CreateServer_InvalidBufferSize_Throws_ArgumentOutOfRangeException_InOut(void **state)
{
    (void)state;
    invalid_buffer_size_row(2);
}

/* .NET's anonymous pair, line for line: the client is built on the server's client handle as the
 * server hands it out (GetClientHandleAsString, the C counterpart of ClientSafePipeHandle); .NET's
 * server then never closes that handle, the client owns it. */
static void shared_anonymous_pair(PipeDirection server_dir, AnonymousPipeServerStream **server,
                                  AnonymousPipeClientStream **client)
{
    *server = AnonymousPipeServerStream_new(server_dir);
    assert_non_null(*server);
    char *text = AnonymousPipeServerStream_GetClientHandleAsString(*server);
    *client =
        AnonymousPipeClientStream_new(server_dir == PipeDirection_In ? PipeDirection_Out : PipeDirection_In, text);
    String_Free(text);
    assert_non_null(*client);
}

/* KNOWN FAILURE: the server's Dispose closes the client handle it handed out, so the client's Read
   returns -1 with IOException("Bad file descriptor") (POSIX; "Invalid handle." on Windows under wine)
   instead of 0; .NET's server leaves an
   exposed client handle to the client. (The C client then closes the number a second time.)
   dotnet/runtime src/libraries/System.IO.Pipes/tests/UnifiedErrorHandlingTests.cs:
   WhenAnonymousPipeServerIsClosedAnonymousPipeClientReadReturnsZero (.NET's shared handle) */
static void UnifiedErrorHandlingTests_WhenAnonymousPipeServerIsClosedAnonymousPipeClientReadReturnsZero(void **state)
{
    (void)state;
    AnonymousPipeServerStream *server;
    AnonymousPipeClientStream *client;
    shared_anonymous_pair(PipeDirection_Out, &server, &client);
    Dispose(server);
    assert_zero_byte_read((PipeStream *)client, "anonymous");
    Dispose(client);
}

/* FIXED (was a known failure) (AnonymousPipeTest_Read_ServerOut_ClientIn): disposing the writeable server closes the
   client's handle too, and the client's first Read returns -1 with IOException("Bad file descriptor";
   Windows under wine: "Invalid handle.") instead of 0 (ServerIn_ClientOut passes). Same cause as the test above.
   dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Read.cs: ReadFromPipeWithClosedPartner_ReadNoBytes
   on AnonymousPipeTest_Read_ServerIn_ClientOut and AnonymousPipeTest_Read_ServerOut_ClientIn with
   .NET's shared handle */
static void PipeTest_Read_ReadFromPipeWithClosedPartner_ReadNoBytes_SharedAnonymousHandle(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREAD_PAIRS; k++) {
        if (!read_pairs[k].anonymous)
            continue;
        AnonymousPipeServerStream *s;
        AnonymousPipeClientStream *c;
        shared_anonymous_pair(read_pairs[k].server_dir, &s, &c);
        pipe_pair p = {(PipeStream *)s, (PipeStream *)c, NULL, NULL};
        p.readable = read_pairs[k].server_reads ? p.server : p.client;
        p.writeable = read_pairs[k].server_reads ? p.client : p.server;
        read_from_pipe_with_closed_partner(&read_pairs[k], &p);
        free_pair(&p);
    }
}

/* FIXED (was a known failure) (AnonymousPipeTest_Write_ServerIn_ClientOut): disposing the readable server closes the
   client's handle, so Write and WriteByte fail with IOException("Bad file descriptor"; Windows: on the
   closed handle) rather than a
   broken pipe, the pipe is not marked Broken, and Flush then succeeds where .NET raises IOException
   ("Pipe is broken."). ServerOut_ClientIn passes. Same cause as the two tests above.
   dotnet/runtime src/libraries/System.IO.Pipes/tests/PipeTest.Write.cs: WriteToPipeWithClosedPartner_Throws_IOException
   on AnonymousPipeTest_Write_ServerIn_ClientOut and AnonymousPipeTest_Write_ServerOut_ClientIn with
   .NET's shared handle */
static void PipeTest_Write_WriteToPipeWithClosedPartner_Throws_IOException_SharedAnonymousHandle(void **state)
{
    (void)state;
    for (size_t k = 0; k < NWRITE_PAIRS; k++) {
        if (!write_pairs[k].anonymous)
            continue;
        AnonymousPipeServerStream *s;
        AnonymousPipeClientStream *c;
        shared_anonymous_pair(write_pairs[k].server_dir, &s, &c);
        pipe_pair p = {(PipeStream *)s, (PipeStream *)c, NULL, NULL};
        p.readable = write_pairs[k].server_reads ? p.server : p.client;
        p.writeable = write_pairs[k].server_reads ? p.client : p.server;
        write_to_pipe_with_closed_partner(&write_pairs[k], &p, true);
        free_pair(&p);
    }
}


#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(NamedPipeTest_CreateServer_NullPipeName_Throws_ArgumentNullException),
        T(NamedPipeTest_CreateServer_ZeroLengthPipeName_Throws_ArgumentException),
#ifdef _WIN32
        T(NamedPipeTest_CreateServer_ReservedPipeName_Throws_ArgumentOutOfRangeException),
#endif
        T(NamedPipeTest_CreateServer_Create_PipeName),
        T(NamedPipeTest_CreateServer_Create_PipeName_Direction_MaxInstances),
        T(NamedPipeTest_CreateServer_InvalidPipeDirection_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_CreateServer_InvalidServerInstances_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_CreateServer_ServerInstancesOver254_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_CreateServer_InvalidTransmissionMode_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_CreateServer_InvalidPipeOptions_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_CreateServer_InvalidBufferSize_Throws_ArgumentOutOfRangeException),
#ifdef _WIN32
        T(NamedPipeTest_CreateServer_ServerCountOverMaxServerInstances_Throws_IOException),
        T(NamedPipeTest_CreateServer_Windows_ServerCloneWithDifferentDirection_Throws_UnauthorizedAccessException),
#endif
        T(NamedPipeTest_CreateClient_NullPipeName_Throws_ArgumentNullException),
        T(NamedPipeTest_CreateClient_EmptyStringPipeName_Throws_ArgumentException),
        T(NamedPipeTest_CreateClient_NullServerName_Throws_ArgumentNullException),
        T(NamedPipeTest_CreateClient_EmptyStringServerName_Throws_ArgumentException),
        T(NamedPipeTest_CreateClient_ReservedPipeName_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_CreateClient_InvalidPipeDirection_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_CreateClient_InvalidPipeOptions_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_CreateClient_InvalidImpersonationLevel_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_CreateClient_NamedPipeClientStream_InvalidHandleInerhitability),
#ifndef _WIN32
        T(NamedPipeTest_CreateClient_NotSupportedPipePath_Throws_PlatformNotSupportedException),
#endif
        T(NamedPipeTest_Specific_InvalidConnectTimeout_Throws_ArgumentOutOfRangeException),
#ifdef _WIN32
        T(NamedPipeTest_Specific_ConnectWithConflictingDirections_Throws_UnauthorizedAccessException),
#endif
        T(NamedPipeTest_Specific_MultipleWaitingClients_ServerServesOneAtATime),
        T(NamedPipeTest_Specific_MaxNumberOfServerInstances_TooManyServers_Throws_LaterMaxIgnored),
        T(NamedPipeTest_Specific_MultipleServers_ServeMultipleClientsConcurrently),
#ifndef _WIN32
        T(NamedPipeTest_Specific_Unix_GetImpersonationUserName_Succeed),
        T(NamedPipeTest_Specific_Unix_MessagePipeTransmissionMode),
        T(NamedPipeTest_Specific_Unix_BufferSizeRoundtripping),
        T(NamedPipeTest_Specific_Unix_SetReadModeTo__PipeTransmissionModeByte),
        T(NamedPipeTest_Specific_NameTooLong_MaxLengthPerPlatform),
#else
#  if SP_KNOWN_FAILURES
        T(NamedPipeTest_Specific_Windows_BufferSizeRoundtripping),
#  endif
#  if SP_KNOWN_FAILURES
        T(NamedPipeTest_Specific_Windows_SetReadModeTo__PipeTransmissionModeByte),
#  endif
        T(NamedPipeTest_Specific_ClientConnect_Throws_Timeout_When_Pipe_Busy),
#endif
        T(NamedPipeTest_Specific_PipeTransmissionMode_Returns_Byte),
        T(NamedPipeTest_Specific_InvalidReadMode_Throws_ArgumentOutOfRangeException),
        T(NamedPipeTest_Specific_ClientConnect_Throws_Timeout_When_Pipe_Not_Found),
        T(NamedPipeTest_Simple_OneWayReadWrites),
        T(NamedPipeTest_Simple_ConnectOnAlreadyConnectedClient_Throws_InvalidOperationException),
        T(NamedPipeTest_Simple_WaitForConnectionOnAlreadyConnectedServer_Throws_InvalidOperationException),
        T(NamedPipeTest_Simple_OperationsOnDisconnectedServer),
        T(NamedPipeTest_Simple_OperationsOnDisconnectedClient),
#ifdef _WIN32
#  if SP_KNOWN_FAILURES
        T(NamedPipeTest_Simple_Windows_OperationsOnNamedServerWithDisposedClient),
#  endif
        T(NamedPipeTest_Simple_Windows_OperationsOnNamedServerWithDisposedClient_WaitForConnection),
#else
        T(NamedPipeTest_Simple_Unix_OperationsOnNamedServerWithDisposedClient),
#endif
        T(NamedPipeTest_Simple_OperationsOnUnconnectedClient),
        T(NamedPipeTest_Simple_DisposedServerPipe_Throws_ObjectDisposedException),
        T(NamedPipeTest_Simple_DisposedClientPipe_Throws_ObjectDisposedException),
        T(PipeTest_Read_ReadWithNullBuffer_Throws_ArgumentNullException),
        T(PipeTest_Read_ReadWithNegativeOffset_Throws_ArgumentOutOfRangeException),
        T(PipeTest_Read_ReadWithNegativeCount_Throws_ArgumentOutOfRangeException),
        T(PipeTest_Read_WriteToReadOnlyPipe_Throws_NotSupportedException),
        T(PipeTest_Read_ReadWithZeroLengthBuffer_Nop),
        T(PipeTest_Read_ReadPipeUnsupportedMembers_Throws_NotSupportedException),
        T(PipeTest_Read_ReadOnDisposedReadablePipe_Throws_ObjectDisposedException),
        T(PipeTest_Read_ReadFromPipeWithClosedPartner_ReadNoBytes),
        T(PipeTest_Read_ValidWrite_ValidRead),
        T(PipeTest_Read_ValidWriteByte_ValidReadByte),
        T(PipeTest_Write_WriteWithNullBuffer_Throws_ArgumentNullException),
        T(PipeTest_Write_WriteWithNegativeOffset_Throws_ArgumentOutOfRangeException),
        T(PipeTest_Write_WriteWithNegativeCount_Throws_ArgumentOutOfRangeException),
        T(PipeTest_Write_ReadOnWriteOnlyPipe_Throws_NotSupportedException),
        T(PipeTest_Write_WriteZeroLengthBuffer_Nop),
        T(PipeTest_Write_WritePipeUnsupportedMembers_Throws_NotSupportedException),
        T(PipeTest_Write_WriteToDisposedWriteablePipe_Throws_ObjectDisposedException),
        T(PipeTest_Write_ValidFlush_DoesntThrow),
        T(PipeTest_Write_WriteToPipeWithClosedPartner_Throws_IOException),
        T(AnonymousPipeTest_CreateServer_InOutPipeDirection_Throws_NotSupportedException),
        T(AnonymousPipeTest_CreateServer_ServerBadInheritabilityThrows),
        T(AnonymousPipeTest_CreateServer_InvalidBufferSize_Throws_ArgumentOutOfRangeException),
        T(AnonymousPipeTest_CreateServer_InvalidPipeDirection_Throws_ArgumentOutOfRangeException),
        T(AnonymousPipeTest_CreateServer_ValidConstructors),
        T(AnonymousPipeTest_CreateClient_NullParameters_Throws_ArgumentNullException),
        T(AnonymousPipeTest_CreateClient_CreateClientStreamFromStringHandle_Valid),
        T(AnonymousPipeTest_CreateClient_InvalidStringParameters_Throws_ArgumentException),
        T(AnonymousPipeTest_CreateClient_InOutPipeDirection_Throws_NotSupportedException),
        T(AnonymousPipeTest_Specific_DisposeLocalCopyOfClientHandle_BeforeServerRead),
#ifdef __linux__
        T(AnonymousPipeTest_Specific_Linux_BufferSizeRoundtrips),
#endif
#ifdef _WIN32
#  if SP_KNOWN_FAILURES
        T(AnonymousPipeTest_Specific_Windows_BufferSizeRoundtripping),
#  endif
#endif
        T(AnonymousPipeTest_Specific_PipeTransmissionMode_Returns_Byte),
        T(AnonymousPipeTest_Specific_ReadModeToByte_Accepted),
        T(AnonymousPipeTest_Specific_InvalidReadMode_Throws_ArgumentOutOfRangeException),
        T(UnifiedErrorHandlingTests_WhenNamedPipeServerIsClosedNamedPipeClientReadReturnsZero),
        T(UnifiedErrorHandlingTests_WhenNamedPipeServerIsClosedNamedPipeClientWriteThrows),
        T(UnifiedErrorHandlingTests_WhenNamedPipeServerDisconnectsNamedPipeClientReadReturnsZero),
        T(UnifiedErrorHandlingTests_WhenNamedPipeServerDisconnectsNamedPipeClientWriteThrows),
        T(UnifiedErrorHandlingTests_WhenAnonymousPipeServerIsClosedAnonymousPipeClientWriteThrows),
#ifndef _WIN32
        T(NamedPipeTest_UnixDomainSockets_NamedPipeServer_Connects_With_UnixDomainSocketEndPointClient),
        T(NamedPipeTest_UnixDomainSockets_NamedPipeClient_Connects_With_UnixDomainSocketEndPointServer),
#endif
#if !defined(_WIN32) || SP_KNOWN_FAILURES
        T(NamedPipeTest_Simple_OperationsOnUnconnectedServer),
#endif
        T(NamedPipeTest_Simple_OperationsOnUnconnectedClient_OneWayClients),
        T(AnonymousPipeTest_Specific_MessageReadMode_Throws_NotSupportedException),
        T(AnonymousPipeTest_CreateServer_InvalidBufferSize_Throws_ArgumentOutOfRangeException_InOut),
        T(UnifiedErrorHandlingTests_WhenAnonymousPipeServerIsClosedAnonymousPipeClientReadReturnsZero),
        T(PipeTest_Read_ReadFromPipeWithClosedPartner_ReadNoBytes_SharedAnonymousHandle),
        T(PipeTest_Write_WriteToPipeWithClosedPartner_Throws_IOException_SharedAnonymousHandle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
