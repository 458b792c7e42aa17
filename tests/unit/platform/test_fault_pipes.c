/*
 * Fault injection at the pipe seam (platform/platform_fault.h; pipe_posix.c, pipe_win32.c), built
 * only with -DSHARPIPC_FAULT_INJECTION=ON: pipe calls that are interrupted, come up short, run out
 * of descriptors or find the peer gone, each ending as .NET ends it (the data whole, or .NET's
 * exception with .NET's text), with nothing leaked (ASan in the `fault` preset; open descriptors
 * are counted on Linux) and nothing hung.
 *
 * .NET's tests cannot make the OS fail, so none has a dotnet/runtime counterpart; the names say
 * what happens. The .NET behaviours (dotnet/runtime, System.IO.Pipes, Unix):
 *  - NamedPipeServerStream.Unix.cs WaitForConnection blocks on ListeningSocket.AcceptAsync() and
 *    lets its SocketException out (EMFILE: SocketError.TooManyOpenSockets, "Too many open files");
 *    SharedServer's `new Socket(...)` and NamedPipeClientStream.Unix.cs TryConnect's
 *    `new Socket(...)` do the same.
 *  - PipeStream.Unix.cs ReadCore/WriteCore turn a SocketException into IOException(e.Message), and
 *    mark the pipe Broken for SocketError.Shutdown (EPIPE) only; CheckWriteOperations then says
 *    "Pipe is broken.". ECONNRESET on a read is IOException("Connection reset by peer"), not the
 *    end of the stream, and leaves the pipe usable. Anonymous pipes (CheckPipeCall) are the same
 *    with Interop.GetExceptionForIoErrno.
 *  - CreateAnonymousPipe's pipe2 failing is Interop.CheckIo: IOException with the OS's text.
 *  - Windows (PipeStream.Windows.cs): ReadFile failing with ERROR_BROKEN_PIPE reads 0 and marks the
 *    pipe Broken; CreateNamedPipeW failing is Win32Marshal's IOException with the system's text.
 */
#include "sp_fault_test.h"
#include "sp_process.h"

#include <errno.h>
#include <stdatomic.h>

#include "platform/platform.h"
#include "platform/platform_fault.h"

#ifndef _WIN32
#  include <dirent.h>
#  include <poll.h>
#  include <sys/stat.h>
#  include <time.h>
#  include <unistd.h>
#else
#  include <windows.h>
#endif

#define MESSAGE_SIZE (64 * 1024)
#define KOREAN_EMOJI "안녕하세요, 세계! 👋🌍"


/* Bytes no reordering of chunks can reproduce (xorshift). */
static void fill(uint8_t *p, size_t n)
{
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}

#ifndef _WIN32
#endif

/* ------------------------------------------------------------------ connected pairs */

typedef struct named_pair {
    NamedPipeServerStream *server;
    NamedPipeClientStream *client;
    const char *name;
} named_pair;

/* A server and a client of one name in this process, connected: the client's connect is taken by
 * the listener (or the instance) before the server accepts. */
static named_pair named_pair_new(void)
{
    named_pair p;
    p.name = sp_unique_name("fault-pipe");
    p.server = NamedPipeServerStream_new(p.name, PipeDirection_InOut);
    assert_non_null(p.server);
    p.client = NamedPipeClientStream_new(".", p.name, PipeDirection_InOut);
    assert_non_null(p.client);
    assert_true(NamedPipeClientStream_Connect(p.client, 5000));
    assert_true(NamedPipeServerStream_WaitForConnection(p.server));
    EXPECT_NO_EXC();
    return p;
}

static void named_pair_free(named_pair *p)
{
    assert_true(Dispose(p->client));
    assert_true(Dispose(p->server));
}

typedef struct anonymous_pair {
    AnonymousPipeServerStream *server; /* writes */
    AnonymousPipeClientStream *client; /* reads */
} anonymous_pair;

static anonymous_pair anonymous_pair_new(void)
{
    anonymous_pair p;
    p.server = AnonymousPipeServerStream_new_ex(PipeDirection_Out, HandleInheritability_None, 0);
    assert_non_null(p.server);
    char *handle = AnonymousPipeServerStream_GetClientHandleAsString(p.server);
    assert_non_null(handle);
    p.client = AnonymousPipeClientStream_new_ex(PipeDirection_In, handle);
    assert_non_null(p.client);
    String_Free(handle);
    return p;
}

static void anonymous_pair_free(anonymous_pair *p)
{
    assert_true(Dispose(p->client));
    assert_true(Dispose(p->server));
}

/* A reader on another thread: reads until `want` bytes came, or the end, or an error. */
typedef struct reader_job {
    Stream *stream;
    uint8_t *buffer;
    int32_t want;
    int32_t got;
    int32_t last; /* the last Stream_Read result */
} reader_job;

static void read_all(void *arg)
{
    reader_job *j = arg;
    while (j->got < j->want) {
        j->last = Stream_Read(j->stream, j->buffer, j->got, j->want - j->got);
        if (j->last <= 0)
            break;
        j->got += j->last;
    }
}

/* Writes `size` bytes in one Stream_Write while another thread reads them, and checks that they
 * arrive whole and in order. */
static void write_through(Stream *writer, Stream *reader, const uint8_t *data, int32_t size)
{
    uint8_t *back = calloc(1, (size_t)size);
    assert_non_null(back);
    reader_job job = {reader, back, size, 0, 0};
    sp_thread *t = sp_thread_start(read_all, &job);
    assert_true(Stream_Write(writer, data, 0, size));
    EXPECT_NO_EXC();
    sp_thread_join(t);
    ASSERT_BYTES(back, job.got, data, (size_t)size);
    free(back);
}

/* The structured messages the short-read tests send: BinaryWriter values and StreamWriter lines. */
static void write_structured(Stream *s)
{
    BinaryWriter *w = BinaryWriter_new_ex(s, NULL, true);
    assert_non_null(w);
    for (int i = 0; i < 50; i++) {
        BinaryWriter_Write(w, (int32_t)(i * 1000003));
        BinaryWriter_Write(w, i % 3 ? "short" : "a longer string, " KOREAN_EMOJI);
        BinaryWriter_Write(w, i * 0.25);
    }
    assert_true(Dispose(w));
    StreamWriter *sw = StreamWriter_new_ex(s, NULL, 64, true);
    assert_non_null(sw);
    for (int i = 0; i < 20; i++)
        assert_true(StreamWriter_WriteLineString(sw, i % 2 ? KOREAN_EMOJI : "plain line"));
    assert_true(StreamWriter_Flush(sw));
    assert_true(Dispose(sw));
    EXPECT_NO_EXC();
}

static void write_structured_job(void *stream) { write_structured(stream); }

/* Writes the structured messages on another thread (a pipe's buffer may hold less) and reads them
 * here. */
static void exchange_structured(Stream *writer, Stream *reader);

static void read_structured(Stream *s)
{
    BinaryReader *r = BinaryReader_new_ex(s, NULL, true);
    assert_non_null(r);
    for (int i = 0; i < 50; i++) {
        ASSERT_I64(BinaryReader_ReadInt32(r), i * 1000003);
        char *text = BinaryReader_ReadString(r);
        assert_non_null(text);
        assert_string_equal(text, i % 3 ? "short" : "a longer string, " KOREAN_EMOJI);
        String_Free(text);
        assert_true(BinaryReader_ReadDouble(r) == i * 0.25);
    }
    EXPECT_NO_EXC();
    assert_true(Dispose(r));
    StreamReader *sr = StreamReader_new_ex(s, NULL, false, 16, true);
    assert_non_null(sr);
    for (int i = 0; i < 20; i++) {
        char *line = StreamReader_ReadLine(sr);
        assert_non_null(line);
        assert_string_equal(line, i % 2 ? KOREAN_EMOJI : "plain line");
        String_Free(line);
    }
    EXPECT_NO_EXC();
    assert_true(Dispose(sr));
}

static void exchange_structured(Stream *writer, Stream *reader)
{
    sp_thread *t = sp_thread_start(write_structured_job, writer);
    read_structured(reader);
    sp_thread_join(t);
}

#ifndef _WIN32

/* The accept of this OS: accept4 where it exists (Linux, the BSDs), accept elsewhere. */
static const char *accept_name(void) { return sp_fault_get_syscall("accept4") ? "accept4" : "accept"; }
static const char *pipe2_name(void) { return sp_fault_get_syscall("pipe2") ? "pipe2" : "pipe"; }

/* ------------------------------------------------------------------ EINTR in every blocking call */

/* A poll that a signal interrupts part-way: the first `left` calls wait a while (at most their
 * timeout) and fail with EINTR; then the OS's poll. */
typedef int (*poll_fn)(struct pollfd *, nfds_t, int);
static poll_fn real_poll;
static atomic_int interrupted_polls_left;
static atomic_int interrupted_polls;

static int poll_interrupted_after_a_while(struct pollfd *fds, nfds_t n, int timeout)
{
    if (atomic_fetch_sub(&interrupted_polls_left, 1) > 0) {
        int ms = timeout < 0 || timeout > 40 ? 40 : timeout;
        struct timespec ts = {0, (long)ms * 1000000};
        nanosleep(&ts, NULL);
        atomic_fetch_add(&interrupted_polls, 1);
        errno = EINTR;
        return -1;
    }
    return real_poll(fds, n, timeout);
}

static void interrupt_polls(int count)
{
    poll_fn current = (poll_fn)sp_fault_get_syscall("poll");
    if (current != poll_interrupted_after_a_while)
        real_poll = current;
    atomic_store(&interrupted_polls_left, count);
    atomic_store(&interrupted_polls, 0);
    assert_true(sp_fault_set_syscall("poll", (sp_fault_fn)poll_interrupted_after_a_while));
}

typedef struct connect_later {
    const char *name;
    NamedPipeClientStream *client;
    bool connected;
} connect_later;

static void connect_after_a_while(void *arg)
{
    connect_later *c = arg;
    sp_sleep_ms(150);
    c->client = NamedPipeClientStream_new(".", c->name, PipeDirection_InOut);
    c->connected = c->client && NamedPipeClientStream_Connect(c->client, 5000);
}

/* accept(2) interrupted, and the listener's poll interrupted while it waits: WaitForConnection
 * goes on waiting and takes the client, and the pipe works. */
static void NamedPipeServerStream_WaitForConnection_AcceptInterrupted_Retried(void **state)
{
    (void)state;
    int fds = open_fds();
    const char *name = sp_unique_name("fault-accept");
    NamedPipeServerStream *server = NamedPipeServerStream_new(name, PipeDirection_InOut);
    assert_non_null(server);
    interrupt_polls(3);
    sp_fault_interrupt(accept_name(), 3);
    connect_later c = {name, NULL, false};
    sp_thread *t = sp_thread_start(connect_after_a_while, &c);
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    EXPECT_NO_EXC();
    sp_thread_join(t);
    assert_true(c.connected);
    ASSERT_I64(sp_fault_calls(accept_name()), 4);
    ASSERT_I64(atomic_load(&interrupted_polls), 3);
    sp_fault_reset();
    assert_true(PipeStream_get_IsConnected(server));
    assert_true(Stream_WriteByte(c.client, 42));
    ASSERT_I64(Stream_ReadByte(server), 42);
    assert_true(Dispose(c.client));
    assert_true(Dispose(server));
    ASSERT_NO_FD_LEAK(fds);
}

/* connect(2) interrupted: Connect() and Connect(timeout) retry it and connect. */
static void NamedPipeClientStream_Connect_ConnectInterrupted_Retried(void **state)
{
    (void)state;
    int fds = open_fds();
    const char *name = sp_unique_name("fault-connect");
    for (int with_timeout = 0; with_timeout < 2; with_timeout++) {
        NamedPipeServerStream *server = NamedPipeServerStream_new(name, PipeDirection_InOut);
        assert_non_null(server);
        NamedPipeClientStream *client = NamedPipeClientStream_new(".", name, PipeDirection_InOut);
        assert_non_null(client);
        sp_fault_reset();
        sp_fault_interrupt("connect", 3);
        assert_true(with_timeout ? NamedPipeClientStream_Connect(client, 5000) : NamedPipeClientStream_Connect(client));
        EXPECT_NO_EXC();
        ASSERT_I64(sp_fault_calls("connect"), 4);
        assert_true(NamedPipeServerStream_WaitForConnection(server));
        assert_true(Stream_WriteByte(server, 7));
        ASSERT_I64(Stream_ReadByte(client), 7);
        assert_true(Dispose(client));
        assert_true(Dispose(server));
    }
    ASSERT_NO_FD_LEAK(fds);
}

/* Connect(timeout) to a name nobody serves, with its waits interrupted part-way: the timeout is
 * kept, neither stretched by the restarts nor cut short (TimeoutException, .NET's text). */
static void NamedPipeClientStream_ConnectTimeout_WaitsInterrupted_TimeoutKept(void **state)
{
    (void)state;
    int fds = open_fds();
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", sp_unique_name("fault-nobody"), PipeDirection_InOut);
    assert_non_null(client);
    interrupt_polls(1000);
    int64_t start = sp_os_now_ms();
    assert_false(NamedPipeClientStream_Connect(client, 300));
    int64_t elapsed = sp_os_now_ms() - start;
    EXPECT_EXC_MSG(TimeoutException, "The operation has timed out.");
    assert_true(atomic_load(&interrupted_polls) >= 2);
    assert_true(elapsed >= 290);
    assert_true(elapsed < 300 + 200);
    sp_fault_reset();
    assert_true(Dispose(client));
    ASSERT_NO_FD_LEAK(fds);
}

/* read(2) and send(2) interrupted on a named pipe, read(2), write(2) and the waits of poll on an
 * anonymous one: every call retried, the data whole. */
static void PipeStream_ReadWrite_Interrupted_Retried(void **state)
{
    (void)state;
    int fds = open_fds();
    uint8_t data[3000], back[3000];
    fill(data, sizeof data);

    named_pair n = named_pair_new();
    sp_fault_interrupt("send", 3);
    assert_true(Stream_Write(n.client, data, 0, (int32_t)sizeof data));
    ASSERT_I64(sp_fault_calls("send"), 4);
    sp_fault_interrupt("read", 3);
    int32_t got = 0, r;
    while (got < (int32_t)sizeof back && (r = Stream_Read(n.server, back, got, (int32_t)sizeof back - got)) > 0)
        got += r;
    EXPECT_NO_EXC();
    ASSERT_BYTES(back, got, data, sizeof data);
    assert_true(sp_fault_calls("read") >= 4);
    named_pair_free(&n);

    sp_fault_reset();
    anonymous_pair a = anonymous_pair_new();
    sp_fault_interrupt("write", 3);
    interrupt_polls(2); /* the writer's wait for room */
    assert_true(Stream_Write(a.server, data, 0, (int32_t)sizeof data));
    EXPECT_NO_EXC();
    ASSERT_I64(atomic_load(&interrupted_polls), 2);
    interrupt_polls(2); /* the reader's wait for data */
    sp_fault_interrupt("read", 3);
    got = 0;
    while (got < (int32_t)sizeof back && (r = Stream_Read(a.client, back, got, (int32_t)sizeof back - got)) > 0)
        got += r;
    EXPECT_NO_EXC();
    ASSERT_BYTES(back, got, data, sizeof data);
    ASSERT_I64(atomic_load(&interrupted_polls), 2);
    sp_fault_reset();
    anonymous_pair_free(&a);
    ASSERT_NO_FD_LEAK(fds);
}

/* ------------------------------------------------------------------ partial writes, short reads */

/* send(2) taking 1 byte at a time, then about half of 64 KiB: the message arrives whole and in
 * order at the reader on another thread. */
static void NamedPipe_Write_ShortSends_64KiBArrivesWhole(void **state)
{
    (void)state;
    int fds = open_fds();
    uint8_t *data = malloc(MESSAGE_SIZE);
    assert_non_null(data);
    fill(data, MESSAGE_SIZE);
    named_pair n = named_pair_new();
    const size_t limits[] = {1, MESSAGE_SIZE / 2 - 1};
    for (size_t i = 0; i < 2; i++) {
        sp_fault_reset();
        sp_fault_short("send", 1, limits[i], -1);
        write_through((Stream *)n.server, (Stream *)n.client, data, MESSAGE_SIZE);
        assert_true(sp_fault_calls("send") >= (long)(MESSAGE_SIZE / limits[i]));
        /* and the other way */
        write_through((Stream *)n.client, (Stream *)n.server, data, MESSAGE_SIZE);
    }
    sp_fault_reset();
    named_pair_free(&n);
    free(data);
    ASSERT_NO_FD_LEAK(fds);
}

/* write(2) on an anonymous pipe taking 1 byte at a time, then about half: the same. */
static void AnonymousPipe_Write_ShortWrites_64KiBArrivesWhole(void **state)
{
    (void)state;
    int fds = open_fds();
    uint8_t *data = malloc(MESSAGE_SIZE);
    assert_non_null(data);
    fill(data, MESSAGE_SIZE);
    anonymous_pair a = anonymous_pair_new();
    const size_t limits[] = {1, MESSAGE_SIZE / 2 - 1};
    for (size_t i = 0; i < 2; i++) {
        sp_fault_reset();
        sp_fault_short("write", 1, limits[i], -1);
        write_through((Stream *)a.server, (Stream *)a.client, data, MESSAGE_SIZE);
        assert_true(sp_fault_calls("write") >= (long)(MESSAGE_SIZE / limits[i]));
    }
    sp_fault_reset();
    anonymous_pair_free(&a);
    free(data);
    ASSERT_NO_FD_LEAK(fds);
}

/* read(2) giving 1 byte at a time: BinaryReader's values (fixed-size and strings) and
 * StreamReader's lines (UTF-8 split between reads) come out whole, over both kinds of pipe. */
static void PipeStream_Read_OneByteReads_BinaryReaderStreamReaderWhole(void **state)
{
    (void)state;
    int fds = open_fds();
    named_pair n = named_pair_new();
    sp_fault_short("read", 1, 1, -1);
    exchange_structured((Stream *)n.server, (Stream *)n.client);
    assert_true(sp_fault_calls("read") > 500);
    sp_fault_reset();
    named_pair_free(&n);

    anonymous_pair a = anonymous_pair_new();
    sp_fault_short("read", 1, 1, -1);
    exchange_structured((Stream *)a.server, (Stream *)a.client);
    assert_true(sp_fault_calls("read") > 500);
    sp_fault_reset();
    anonymous_pair_free(&a);
    ASSERT_NO_FD_LEAK(fds);
}

/* ------------------------------------------------------------------ out of descriptors */

/* accept(2) out of descriptors: WaitForConnection lets accept's SocketException out, as .NET's
 * AcceptAsync does; the client stays queued, and the next WaitForConnection takes it. */
static void NamedPipeServerStream_WaitForConnection_TooManyOpenFiles_SocketException_NextAcceptSucceeds(void **state)
{
    (void)state;
    int fds = open_fds();
    const int errors[] = {EMFILE, ENFILE};
    for (int i = 0; i < 2; i++) {
        const char *name = sp_unique_name("fault-emfile");
        NamedPipeServerStream *server = NamedPipeServerStream_new(name, PipeDirection_InOut);
        assert_non_null(server);
        NamedPipeClientStream *client = NamedPipeClientStream_new(".", name, PipeDirection_InOut);
        assert_non_null(client);
        assert_true(NamedPipeClientStream_Connect(client, 5000));
        sp_fault_fail(accept_name(), 1, errors[i], 1);
        assert_false(NamedPipeServerStream_WaitForConnection(server));
        EXPECT_EXC_MSG(SocketException, os_text(errors[i]));
        ASSERT_I64(SocketException_get_SocketErrorCode(Exception_get_Current()), 10024); /* TooManyOpenSockets */
        ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), errors[i]);
        assert_false(PipeStream_get_IsConnected(server));
        assert_true(NamedPipeServerStream_WaitForConnection(server));
        EXPECT_NO_EXC();
        ASSERT_I64(sp_fault_calls(accept_name()), 2);
        assert_true(Stream_WriteByte(client, 9));
        ASSERT_I64(Stream_ReadByte(server), 9);
        assert_true(Dispose(client));
        assert_true(Dispose(server));
        sp_fault_reset();
    }
    ASSERT_NO_FD_LEAK(fds);
}

/* socket(2) out of descriptors in the constructor: SharedServer's `new Socket` SocketException;
 * nothing is left behind (no descriptor, no socket file, no registered name: the name can be
 * served next). */
static void NamedPipeServerStream_ctor_SocketTooManyOpenFiles_SocketException(void **state)
{
    (void)state;
    const char *name = sp_unique_name("fault-socket");
    int fds = open_fds();
    sp_fault_fail("socket", 1, EMFILE, 1);
    assert_null(NamedPipeServerStream_new(name, PipeDirection_InOut));
    EXPECT_EXC(SocketException);
    /* .NET's text is the OS's alone; sharpipc adds the path, as for bind's errors (docs/deviations.md) */
    const char *message = Exception_get_Message(Exception_get_Current());
    assert_true(strncmp(message, os_text(EMFILE), strlen(os_text(EMFILE))) == 0);
    ASSERT_I64(SocketException_get_SocketErrorCode(Exception_get_Current()), 10024);
    ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), EMFILE);
    ASSERT_NO_FD_LEAK(fds);
    char path[1024];
    sp_os_pipe_full_path(".", name, path, sizeof path);
    struct stat st;
    assert_true(lstat(path, &st) != 0 && errno == ENOENT);
    NamedPipeServerStream *server = NamedPipeServerStream_new(name, PipeDirection_InOut, 1);
    assert_non_null(server);
    assert_true(Dispose(server));
    ASSERT_NO_FD_LEAK(fds);
}

/* socket(2) out of descriptors in Connect: TryConnect's `new Socket` SocketException, at once
 * (not retried until the timeout); the next Connect connects. */
static void NamedPipeClientStream_Connect_SocketTooManyOpenFiles_SocketException(void **state)
{
    (void)state;
    int fds = open_fds();
    const char *name = sp_unique_name("fault-csocket");
    NamedPipeServerStream *server = NamedPipeServerStream_new(name, PipeDirection_InOut);
    assert_non_null(server);
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", name, PipeDirection_InOut);
    assert_non_null(client);
    sp_fault_fail("socket", 1, ENFILE, 1);
    int64_t start = sp_os_now_ms();
    assert_false(NamedPipeClientStream_Connect(client, 5000));
    assert_true(sp_os_now_ms() - start < 1000);
    EXPECT_EXC(SocketException);
    /* .NET's text is the OS's alone; sharpipc adds the endpoint, as for connect's own errors
     * (the seam cannot tell socket's failure from connect's; docs/deviations.md) */
    const char *message = Exception_get_Message(Exception_get_Current());
    assert_true(strncmp(message, os_text(ENFILE), strlen(os_text(ENFILE))) == 0);
    ASSERT_I64(SocketException_get_SocketErrorCode(Exception_get_Current()), 10024);
    assert_true(NamedPipeClientStream_Connect(client, 5000));
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    EXPECT_NO_EXC();
    assert_true(Dispose(client));
    assert_true(Dispose(server));
    ASSERT_NO_FD_LEAK(fds);
}

/* pipe2 out of descriptors: CreateAnonymousPipe's Interop.CheckIo, IOException with the OS's
 * text; the waker made before it is freed. */
static void AnonymousPipeServerStream_ctor_TooManyOpenFiles_IOException(void **state)
{
    (void)state;
    int fds = open_fds();
    const int errors[] = {EMFILE, ENFILE};
    for (int i = 0; i < 2; i++) {
        /* where pipe2 is missing, the waker's pipe and the anonymous pipe are one entry */
        sp_fault_fail(pipe2_name(), 1, errors[i], strcmp(pipe2_name(), "pipe") == 0 ? -1 : 1);
        assert_null(AnonymousPipeServerStream_new_ex(PipeDirection_Out, HandleInheritability_None, 0));
        EXPECT_EXC_MSG(IOException, os_text(errors[i]));
        ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), errors[i]);
        sp_fault_reset();
        ASSERT_NO_FD_LEAK(fds);
    }
    anonymous_pair a = anonymous_pair_new();
    anonymous_pair_free(&a);
    ASSERT_NO_FD_LEAK(fds);
}

/* ------------------------------------------------------------------ the peer gone mid-message */

/* send(2) failing with EPIPE after part of the message went: the part arrives, the write is
 * IOException with the OS's text (.NET's IOException(SocketException.Message)), the pipe is
 * broken, and every later write says "Pipe is broken.". */
static void NamedPipe_Write_BrokenMidMessage_PipeIsBroken(void **state)
{
    (void)state;
    int fds = open_fds();
    uint8_t data[1000], back[200];
    fill(data, sizeof data);
    named_pair n = named_pair_new();
    sp_fault_short("send", 1, 100, -1);
    sp_fault_fail("send", 3, EPIPE, 1);
    assert_false(Stream_Write(n.server, data, 0, (int32_t)sizeof data));
    EXPECT_EXC_MSG(IOException, os_text(EPIPE));
    ASSERT_I64(sp_fault_calls("send"), 3);
    sp_fault_reset();
    assert_false(PipeStream_get_IsConnected(n.server));
    for (int i = 0; i < 2; i++) {
        assert_false(Stream_Write(n.server, data, 0, 10));
        EXPECT_EXC_MSG(IOException, "Pipe is broken.");
    }
    ASSERT_I64(sp_fault_calls("send"), 0); /* refused before the OS */
    int32_t got = 0, r;
    while (got < 200 && (r = Stream_Read(n.client, back, got, 200 - got)) > 0)
        got += r;
    ASSERT_BYTES(back, got, data, 200);
    named_pair_free(&n);
    ASSERT_NO_FD_LEAK(fds);
}

/* write(2) failing with EPIPE on an anonymous pipe: CheckPipeCall's Broken state and
 * GetExceptionForIoErrno's text, then "Pipe is broken.". */
static void AnonymousPipe_Write_BrokenMidMessage_PipeIsBroken(void **state)
{
    (void)state;
    int fds = open_fds();
    uint8_t data[1000], back[300];
    fill(data, sizeof data);
    anonymous_pair a = anonymous_pair_new();
    sp_fault_short("write", 1, 150, -1);
    sp_fault_fail("write", 3, EPIPE, 1);
    assert_false(Stream_Write(a.server, data, 0, (int32_t)sizeof data));
    EXPECT_EXC_MSG(IOException, os_text(EPIPE));
    sp_fault_reset();
    assert_false(PipeStream_get_IsConnected(a.server));
    assert_false(Stream_Write(a.server, data, 0, 10));
    EXPECT_EXC_MSG(IOException, "Pipe is broken.");
    int32_t got = 0, r;
    while (got < 300 && (r = Stream_Read(a.client, back, got, 300 - got)) > 0)
        got += r;
    ASSERT_BYTES(back, got, data, 300);
    anonymous_pair_free(&a);
    ASSERT_NO_FD_LEAK(fds);
}

/* read(2) failing with ECONNRESET: as .NET on Unix (Socket.Receive's SocketException, rethrown by
 * ReadCore), IOException("Connection reset by peer") rather than the end of the stream; the pipe
 * is not marked broken (only EPIPE does that), so it goes on working. */
static void NamedPipe_Read_ConnectionReset_IOException_NotBroken(void **state)
{
    (void)state;
    int fds = open_fds();
    named_pair n = named_pair_new();
    assert_true(Stream_WriteByte(n.client, 5));
    sp_fault_fail("read", 1, ECONNRESET, 1);
    uint8_t b[4];
    ASSERT_I64(Stream_Read(n.server, b, 0, 4), -1);
    EXPECT_EXC_MSG(IOException, os_text(ECONNRESET));
    ASSERT_I64(Exception_get_NativeErrorCode(Exception_get_Current()), ECONNRESET);
    sp_fault_reset();
    assert_true(PipeStream_get_IsConnected(n.server));
    ASSERT_I64(Stream_Read(n.server, b, 0, 4), 1);
    ASSERT_I64(b[0], 5);
    assert_true(Stream_WriteByte(n.server, 6));
    ASSERT_I64(Stream_ReadByte(n.client), 6);
    named_pair_free(&n);
    ASSERT_NO_FD_LEAK(fds);
}

/* ------------------------------------------------------------------ the table */

static void PipeSyscalls_AreInTheTable(void **state)
{
    (void)state;
    const char *names[] = {"socket", "bind",  "listen",      "connect", "shutdown",   "getsockopt", "setsockopt",
                           "lstat",  "chmod", "gethostname", "seteuid", "getpwuid_r", "read",       "send",
                           "write",  "poll",  "fcntl",       "stat",    "unlink",     "close"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_non_null(sp_fault_get_syscall(names[i]));
    assert_non_null(sp_fault_get_syscall(accept_name()));
    assert_non_null(sp_fault_get_syscall(pipe2_name()));
    /* a named pipe's life runs through them */
    named_pair n = named_pair_new();
    named_pair_free(&n);
    assert_true(sp_fault_calls("socket") >= 2);
    assert_true(sp_fault_calls("bind") == 1 && sp_fault_calls("listen") == 1);
    assert_true(sp_fault_calls("connect") >= 1 && sp_fault_calls(accept_name()) == 1);
}

#else /* _WIN32 */

#  define ERROR_PIPE_BUSY_ 231
#  define ERROR_NO_SYSTEM_RESOURCES_ 1450
#  define ERROR_TOO_MANY_OPEN_FILES_ 4
#  define ERROR_BROKEN_PIPE_ 109

/* CreateNamedPipeW refusing: .NET's Win32Marshal IOException with the system's text ("All pipe
 * instances are busy."; out of resources; out of handles), and the name can be served next. */
static void NamedPipeServerStream_ctor_CreateNamedPipeFails_IOException(void **state)
{
    (void)state;
    const int errors[] = {ERROR_PIPE_BUSY_, ERROR_NO_SYSTEM_RESOURCES_, ERROR_TOO_MANY_OPEN_FILES_};
    for (int i = 0; i < 3; i++) {
        const char *name = sp_unique_name("fault-cnp");
        sp_fault_fail("CreateNamedPipeW", 1, errors[i], 1);
        assert_null(NamedPipeServerStream_new(name, PipeDirection_InOut));
        /* .NET's text for the busy code (wine words it otherwise), the system's for the others */
        EXPECT_EXC_MSG(IOException,
                       errors[i] == ERROR_PIPE_BUSY_ ? "All pipe instances are busy." : os_text(errors[i]));
        ASSERT_I64(Exception_get_HResult(Exception_get_Current()), (int32_t)(0x80070000u | (uint32_t)errors[i]));
        ASSERT_I64(sp_fault_calls("CreateNamedPipeW"), 1);
        NamedPipeServerStream *server = NamedPipeServerStream_new(name, PipeDirection_InOut, 1);
        assert_non_null(server);
        assert_true(Dispose(server));
        sp_fault_reset();
    }
}

/* WriteFile taking a part of each write on a byte-mode pipe (what GetOverlappedResult reports
 * done): 64 KiB arrive whole, over a named and an anonymous pipe. */
static void Pipe_Write_ShortWriteFile_64KiBArrivesWhole(void **state)
{
    (void)state;
    uint8_t *data = malloc(MESSAGE_SIZE);
    assert_non_null(data);
    fill(data, MESSAGE_SIZE);
    named_pair n = named_pair_new();
    sp_fault_short("WriteFile", 1, 1000, -1);
    write_through((Stream *)n.server, (Stream *)n.client, data, MESSAGE_SIZE);
    write_through((Stream *)n.client, (Stream *)n.server, data, MESSAGE_SIZE);
    assert_true(sp_fault_calls("WriteFile") >= 2 * MESSAGE_SIZE / 1000);
    assert_true(sp_fault_calls("GetOverlappedResult") >= 2 * MESSAGE_SIZE / 1000);
    sp_fault_reset();
    named_pair_free(&n);
    anonymous_pair a = anonymous_pair_new();
    sp_fault_short("WriteFile", 1, MESSAGE_SIZE / 2 - 1, -1);
    write_through((Stream *)a.server, (Stream *)a.client, data, MESSAGE_SIZE);
    assert_true(sp_fault_calls("WriteFile") >= 3);
    sp_fault_reset();
    anonymous_pair_free(&a);
    free(data);
}

/* ReadFile short, a few bytes per call: the structured messages come out whole. */
static void PipeStream_Read_ShortReadFile_BinaryReaderStreamReaderWhole(void **state)
{
    (void)state;
    named_pair n = named_pair_new();
    sp_fault_short("ReadFile", 1, 3, -1);
    exchange_structured((Stream *)n.server, (Stream *)n.client);
    sp_fault_reset();
    named_pair_free(&n);
}

/* ReadFile failing with ERROR_BROKEN_PIPE: the end of the stream (0), the pipe Broken, as
 * PipeStream.Windows.cs ReadCore; later writes say "Pipe is broken.". */
static void NamedPipe_Read_BrokenPipe_ReadsZero_ThenPipeIsBroken(void **state)
{
    (void)state;
    named_pair n = named_pair_new();
    sp_fault_fail("ReadFile", 1, ERROR_BROKEN_PIPE_, 1);
    uint8_t b[8];
    ASSERT_I64(Stream_Read(n.server, b, 0, 8), 0);
    EXPECT_NO_EXC();
    sp_fault_reset();
    assert_false(PipeStream_get_IsConnected(n.server));
    assert_false(Stream_Write(n.server, b, 0, 8));
    EXPECT_EXC_MSG(IOException, "Pipe is broken.");
    named_pair_free(&n);
}

/* GetOverlappedResult saying the pipe broke once the read is over (the peer closed while the read
 * was pending): the same end of the stream. */
typedef BOOL(WINAPI *gor_fn)(HANDLE, LPOVERLAPPED, LPDWORD, BOOL);
static gor_fn real_gor;
static DWORD reader_thread; /* only the reader's results break: the writer's are the OS's */
static BOOL WINAPI gor_broken(HANDLE h, LPOVERLAPPED ov, LPDWORD done, BOOL wait)
{
    if (GetCurrentThreadId() != reader_thread)
        return real_gor(h, ov, done, wait);
    real_gor(h, ov, done, TRUE); /* let the I/O end first: ov must not outlive it */
    *done = 0;
    SetLastError(ERROR_BROKEN_PIPE_);
    return FALSE;
}

/* Writes a byte to the pipe a little later, from another thread (a pipe with no buffer holds a
 * write until it is read). */
static void write_byte_later(void *stream)
{
    sp_sleep_ms(100);
    Stream_WriteByte((Stream *)stream, 1);
}

static void NamedPipe_Read_OverlappedResultBroken_ReadsZero(void **state)
{
    (void)state;
    named_pair n = named_pair_new();
    real_gor = (gor_fn)sp_fault_get_syscall("GetOverlappedResult");
    reader_thread = GetCurrentThreadId();
    assert_true(sp_fault_set_syscall("GetOverlappedResult", (sp_fault_fn)gor_broken));
    sp_thread *t = sp_thread_start(write_byte_later, n.client);
    uint8_t b[8];
    ASSERT_I64(Stream_Read(n.server, b, 0, 8), 0);
    EXPECT_NO_EXC();
    sp_thread_join(t);
    sp_fault_reset();
    named_pair_free(&n);
}

/* CreatePipe out of handles: IOException with the system's text. */
static void AnonymousPipeServerStream_ctor_CreatePipeFails_IOException(void **state)
{
    (void)state;
    sp_fault_fail("CreatePipe", 1, ERROR_TOO_MANY_OPEN_FILES_, 1);
    assert_null(AnonymousPipeServerStream_new_ex(PipeDirection_Out, HandleInheritability_None, 0));
    EXPECT_EXC_MSG(IOException, os_text(ERROR_TOO_MANY_OPEN_FILES_));
    sp_fault_reset();
    anonymous_pair a = anonymous_pair_new();
    anonymous_pair_free(&a);
}

/* The client's CreateFileW out of handles: IOException at once, and the next Connect connects. */
static void NamedPipeClientStream_Connect_CreateFileFails_IOException(void **state)
{
    (void)state;
    const char *name = sp_unique_name("fault-cf");
    NamedPipeServerStream *server = NamedPipeServerStream_new(name, PipeDirection_InOut);
    assert_non_null(server);
    NamedPipeClientStream *client = NamedPipeClientStream_new(".", name, PipeDirection_InOut);
    assert_non_null(client);
    sp_fault_fail("CreateFileW", 1, ERROR_TOO_MANY_OPEN_FILES_, 1);
    assert_false(NamedPipeClientStream_Connect(client, 5000));
    EXPECT_EXC_MSG(IOException, os_text(ERROR_TOO_MANY_OPEN_FILES_));
    sp_fault_reset();
    assert_true(NamedPipeClientStream_Connect(client, 5000));
    assert_true(NamedPipeServerStream_WaitForConnection(server));
    assert_true(Dispose(client));
    assert_true(Dispose(server));
}

#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifndef _WIN32
        cmocka_unit_test_teardown(NamedPipeServerStream_WaitForConnection_AcceptInterrupted_Retried, reset),
        cmocka_unit_test_teardown(NamedPipeClientStream_Connect_ConnectInterrupted_Retried, reset),
        cmocka_unit_test_teardown(NamedPipeClientStream_ConnectTimeout_WaitsInterrupted_TimeoutKept, reset),
        cmocka_unit_test_teardown(PipeStream_ReadWrite_Interrupted_Retried, reset),
        cmocka_unit_test_teardown(NamedPipe_Write_ShortSends_64KiBArrivesWhole, reset),
        cmocka_unit_test_teardown(AnonymousPipe_Write_ShortWrites_64KiBArrivesWhole, reset),
        cmocka_unit_test_teardown(PipeStream_Read_OneByteReads_BinaryReaderStreamReaderWhole, reset),
        cmocka_unit_test_teardown(
            NamedPipeServerStream_WaitForConnection_TooManyOpenFiles_SocketException_NextAcceptSucceeds, reset),
        cmocka_unit_test_teardown(NamedPipeServerStream_ctor_SocketTooManyOpenFiles_SocketException, reset),
        cmocka_unit_test_teardown(NamedPipeClientStream_Connect_SocketTooManyOpenFiles_SocketException, reset),
        cmocka_unit_test_teardown(AnonymousPipeServerStream_ctor_TooManyOpenFiles_IOException, reset),
        cmocka_unit_test_teardown(NamedPipe_Write_BrokenMidMessage_PipeIsBroken, reset),
        cmocka_unit_test_teardown(AnonymousPipe_Write_BrokenMidMessage_PipeIsBroken, reset),
        cmocka_unit_test_teardown(NamedPipe_Read_ConnectionReset_IOException_NotBroken, reset),
        cmocka_unit_test_teardown(PipeSyscalls_AreInTheTable, reset),
#else
        cmocka_unit_test_teardown(NamedPipeServerStream_ctor_CreateNamedPipeFails_IOException, reset),
        cmocka_unit_test_teardown(Pipe_Write_ShortWriteFile_64KiBArrivesWhole, reset),
        cmocka_unit_test_teardown(PipeStream_Read_ShortReadFile_BinaryReaderStreamReaderWhole, reset),
        cmocka_unit_test_teardown(NamedPipe_Read_BrokenPipe_ReadsZero_ThenPipeIsBroken, reset),
        cmocka_unit_test_teardown(NamedPipe_Read_OverlappedResultBroken_ReadsZero, reset),
        cmocka_unit_test_teardown(AnonymousPipeServerStream_ctor_CreatePipeFails_IOException, reset),
        cmocka_unit_test_teardown(NamedPipeClientStream_Connect_CreateFileFails_IOException, reset),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
