/*
 * Dispose of the only reference, from another thread, while a call blocks on the object: the
 * call must end as .NET's does (its result, or ObjectDisposedException), and nothing may be
 * freed under it (ASan, valgrind). No Object_Retain anywhere: the call's own pin is what keeps
 * the object alive (src/core/handle.h).
 *
 * Each row blocks in one call, 200 times. .NET keeps a WaitHandle's OS handle while a wait uses
 * it (SafeHandle reference counting), so a disposed handle's wait runs to its timeout
 * (dotnet/runtime src/libraries/System.Threading/tests/WaitHandleTests.cs, and
 * SafeHandle.DangerousAddRef in WaitHandle.WaitOneNoCheck).
 */
#include "sp_process.h"
#include "sp_test.h"
#include "sp_sockets.h"

#include "core/internal.h" /* the reference count: wait until the call holds its pin */
#include "System.Net.Sockets/socketpins.h"

#include <stdatomic.h>
#ifndef _WIN32
#  include <fcntl.h>
#  include <stdlib.h>
#  include <string.h>
#  include <sys/stat.h>
#  include <unistd.h>
#endif

#define ROUNDS 200
#define WAIT_MS 10

typedef struct job {
    void *obj;         /* the only reference, disposed by the main thread */
    void *other;       /* a second object of the call (kept by the test) */
    int fd;            /* an OS end the test keeps (the FIFO's writer) */
    sp_thread *helper; /* a thread of the row's own (the Mutex's other owner) */
    atomic_bool held;
    char path[256];
    atomic_bool entering; /* set right before the blocking call */
    atomic_bool returned; /* set when the call has returned */
    bool result;
    int32_t index;
    ExceptionType exception;
    int32_t socket_error; /* SocketErrorCode of a SocketException the call ended with */
    void *extra[2];       /* more objects of the row's own (Connect's backlog fillers) */
    void *pinned;         /* the object the call pins, when not obj (a NetworkStream's Socket) */
} job;

typedef struct row {
    const char *name;
    void *(*make)(job *j);
    void (*call)(job *j);
    /* After the Dispose: what lets the call end (NULL: its timeout does). */
    void (*unblock)(job *j);
    void (*cleanup)(job *j);
    /* The outcomes .NET allows: the call's own result, or ObjectDisposedException when the
     * Dispose came first. */
    bool expect_result;
    /* Or the exception .NET's call ends with when Dispose ends it (a SocketException with this
     * SocketErrorCode); ExceptionType_None when the call returns instead. */
    ExceptionType ended_with;
    int32_t ended_socket_error;
} row;
#define ROW(name, make, call, expect)                                                                                  \
  {                                                                                                                    \
    name, make, call, NULL, NULL, expect, ExceptionType_None, 0                                                        \
  }

static void finish(job *j)
{
    const Exception *e = Exception_get_Current();
    j->exception = e ? Exception_get_Type(e) : ExceptionType_None;
    j->socket_error = SocketException_get_SocketErrorCode(e);
}

/* ---------------------------------------------------------------- WaitHandle rows */

static void *make_semaphore(job *j) { return Semaphore_new(0, 1); }
static void *make_event(job *j) { return EventWaitHandle_new(false, EventResetMode_AutoReset); }
/* The Mutex is held by another thread through a second handle of the same name, so the disposed
 * handle is still the only reference to its object; the waiter gets the Mutex once the holder
 * lets go, after the Dispose. */
static void hold_mutex(void *p)
{
    job *j = p;
    Mutex *m = Mutex_OpenExisting(j->path);
    assert_non_null(m);
    assert_true(Mutex_WaitOne(m));
    atomic_store(&j->held, true);
    while (!atomic_load(&j->entering))
        sp_sleep_ms(0);
    sp_sleep_ms(6);
    assert_true(Mutex_ReleaseMutex(m));
    Dispose(m);
}

static void *make_held_mutex(job *j)
{
    snprintf(j->path, sizeof j->path, "%s", sp_unique_name("dispose-mutex"));
    Mutex *m = Mutex_new_ex(false, j->path, NULL);
    atomic_init(&j->held, false);
    j->helper = sp_thread_start(hold_mutex, j);
    while (!atomic_load(&j->held))
        sp_sleep_ms(0);
    return m;
}

static void call_wait_one_long(job *j)
{
    atomic_store(&j->entering, true);
    j->result = WaitHandle_WaitOneWithTimeout(j->obj, 5000);
    finish(j);
}

static void join_helper(job *j) { sp_thread_join(j->helper); }
static void *make_semaphore_and_event(job *j)
{
    j->other = EventWaitHandle_new(false, EventResetMode_ManualReset);
    return Semaphore_new(0, 1);
}

static void call_wait_one(job *j)
{
    atomic_store(&j->entering, true);
    j->result = WaitHandle_WaitOneWithTimeout(j->obj, WAIT_MS);
    finish(j);
}

static void call_wait_any(job *j)
{
    WaitHandle *hs[2] = {j->other, j->obj};
    atomic_store(&j->entering, true);
    j->index = WaitHandle_WaitAny(hs, 2, WAIT_MS);
    j->result = j->index != WaitHandle_WaitTimeout && j->index >= 0;
    finish(j);
}

static void call_wait_all(job *j)
{
    WaitHandle *hs[2] = {j->obj, j->other};
    atomic_store(&j->entering, true);
    j->result = WaitHandle_WaitAll(hs, 2, WAIT_MS);
    finish(j);
}

/* ---------------------------------------------------------------- FileStream rows */

#ifndef _WIN32
/* A FileStream reading a FIFO blocks until a writer writes; .NET keeps the SafeFileHandle while
 * the read uses it, so the read returns the byte written after the Dispose. */
static void *make_fifo_reader(job *j)
{
    /* In a private directory under $TMPDIR (or /tmp), never the current one: an aborted run
     * leaves nothing in a source tree. */
    const char *tmp = getenv("TMPDIR");
    snprintf(j->path, sizeof j->path, "%s/sharpipc-fifo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(j->path));
    size_t dir_len = strlen(j->path);
    snprintf(j->path + dir_len, sizeof j->path - dir_len, "/fifo");
    assert_int_equal(mkfifo(j->path, 0600), 0);
    j->fd = open(j->path, O_RDWR); /* Linux: a FIFO opened read-write never blocks the open */
    assert_true(j->fd >= 0);
    return FileStream_new_ex(j->path, FileMode_Open, FileAccess_Read, FileShare_ReadWrite, 0, FileOptions_None);
}

static void call_stream_read(job *j)
{
    uint8_t byte = 0;
    atomic_store(&j->entering, true);
    j->result = Stream_Read(j->obj, &byte, 0, 1) == 1 && byte == 'x';
    finish(j);
}

static void unblock_fifo(job *j) { assert_int_equal(write(j->fd, "x", 1), 1); }

static void cleanup_fifo(job *j)
{
    close(j->fd);
    unlink(j->path);
    *strrchr(j->path, '/') = '\0'; /* and the directory mkdtemp made */
    rmdir(j->path);
}
#endif

static bool multiple_waits_available(void)
{
    EventWaitHandle *a = EventWaitHandle_new(false, EventResetMode_ManualReset);
    EventWaitHandle *b = EventWaitHandle_new(false, EventResetMode_ManualReset);
    WaitHandle *hs[2] = {(WaitHandle *)a, (WaitHandle *)b};
    bool ok = WaitHandle_WaitAny(hs, 2, 0) == WaitHandle_WaitTimeout;
    Dispose(a);
    Dispose(b);
    return ok;
}

typedef struct thread_arg {
    job *j;
    void (*call)(job *j);
} thread_arg;

static void thread_main(void *p)
{
    thread_arg *a = p;
    a->call(a->j);
    atomic_store(&a->j->returned, true);
}

static unsigned next_random(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* What pins an object during a call: its references, and for a Socket the references to its handle
 * (a Socket call holds one of those instead of one to the object: socket.c's enter). */
static int pins_of(Object *o) { return atomic_load(&o->refs) + sp_socket_call_pins(o); }

static void run_row(const row *r)
{
    unsigned seed = 12345;
    int disposed_first = 0, blocked = 0;
    for (int round = 0; round < ROUNDS; round++) {
        job j = {0};
        j.fd = -1;
        atomic_init(&j.entering, false);
        atomic_init(&j.returned, false);
        j.obj = r->make(&j);
        assert_non_null(j.obj);
        /* The references the object holds besides the caller's (a JsonRpc's reader thread keeps
         * one): the call's pin is one more than these. */
        Object *pinned = j.pinned ? (Object *)j.pinned : (Object *)j.obj;
        int held = pins_of(pinned);
        thread_arg a = {&j, r->call};
        sp_thread *t = sp_thread_start(thread_main, &a);
        while (!atomic_load(&j.entering))
            sp_sleep_ms(0);
        /* The call holds its pin (a second reference) once it is past its checks: only then may
         * the test dispose, since a call that has not started yet cannot be protected by anything
         * (docs/design.md). Then a little more, so that most rounds dispose during the wait. */
        /* Until it has pinned or returned: yields first, then 1 ms sleeps (a thread under wine
         * can take milliseconds to get there), up to 10 s for a call that does neither. */
        for (int wait = 0; pins_of(pinned) <= held && !atomic_load(&j.returned) && wait < 11000; wait++)
            sp_sleep_ms(wait < 1000 ? 0 : 1);
        /* A call that blocks without its pin would have its memory freed by the Dispose below: that
         * is the defect these rows look for, so it fails here rather than in a round of luck. */
        if (pins_of(pinned) <= held && !atomic_load(&j.returned))
            fail_msg("%s: round %d: the call blocks without pinning its object", r->name, round);
        sp_sleep_ms((int)(next_random(&seed) % 3));
        assert_true(Dispose(j.obj)); /* the only reference */
        if (r->unblock)
            r->unblock(&j);
        sp_thread_join(t);
        if (r->cleanup)
            r->cleanup(&j);
        if (r->ended_with != ExceptionType_None && j.exception == r->ended_with) {
            if (j.socket_error != r->ended_socket_error)
                fail_msg("%s: round %d ended with SocketErrorCode %d, expected %d", r->name, round, (int)j.socket_error,
                         (int)r->ended_socket_error);
            blocked++;
        } else if (j.exception == ExceptionType_ObjectDisposedException) {
            disposed_first++;
        } else {
            if (j.exception != ExceptionType_None)
                fail_msg("%s: round %d ended with %s", r->name, round, sp_exc_name(j.exception));
            assert_int_equal(j.result, r->expect_result);
            blocked++;
        }
        if (j.other)
            Dispose(j.other);
    }
    print_message("%s: %d rounds ended as the call does, %d with ObjectDisposedException\n", r->name, blocked,
                  disposed_first);
    /* The row proves something only if the dispose really came while the call blocked. */
    assert_true(blocked > ROUNDS / 2);
}

static const row wait_rows[] = {
    ROW("WaitHandleTests.WaitOne (Semaphore, disposed while waiting)", make_semaphore, call_wait_one, false),
    ROW("WaitHandleTests.WaitOne (EventWaitHandle, disposed while waiting)", make_event, call_wait_one, false),
    {"MutexTests.WaitOne (a named Mutex held through another handle, disposed while waiting)", make_held_mutex,
     call_wait_one_long, NULL, join_helper, true, ExceptionType_None, 0},
};

static const row multiple_rows[] = {
    ROW("WaitHandleTests.WaitAny (one handle disposed while waiting)", make_semaphore_and_event, call_wait_any, false),
    ROW("WaitHandleTests.WaitAll (one handle disposed while waiting)", make_semaphore_and_event, call_wait_all, false),
};

#ifndef _WIN32
static const row stream_rows[] = {
    {"FileStream read on a FIFO, disposed while reading", make_fifo_reader, call_stream_read, unblock_fifo,
     cleanup_fifo, true, ExceptionType_None, 0},
};

static void FileStream_DisposeWhileReading(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof stream_rows / sizeof stream_rows[0]; i++)
        run_row(&stream_rows[i]);
}
#endif

/* ---------------------------------------------------------------- views disposed in use */

/* Calls that do not block but copy a lot: a thread with its own reference is inside ReadArray (or
 * a view stream's Read) when another thread disposes the view through its reference. The copy
 * must finish on mapped memory (the view is unmapped with the last reference, not at Dispose),
 * and the next call reports ObjectDisposedException. */
#define VIEW_BYTES (16 << 20)

typedef struct view_job {
    void *view;  /* the reader's own reference */
    bool stream; /* a view stream, else an accessor */
    uint8_t *buffer;
    int copies;
    ExceptionType ended_with;
} view_job;

static void copy_until_disposed(void *p)
{
    view_job *j = p;
    for (;;) {
        int32_t n = j->stream ? (Stream_set_Position(j->view, 0), Stream_Read(j->view, j->buffer, 0, VIEW_BYTES))
                              : UnmanagedMemoryAccessor_ReadArray(j->view, 0, j->buffer, 0, VIEW_BYTES, 1);
        if (n != VIEW_BYTES)
            break;
        j->copies++;
    }
    const Exception *e = Exception_get_Current();
    j->ended_with = e ? Exception_get_Type(e) : ExceptionType_None;
    Dispose(j->view);
}

static void MemoryMappedViewTests_DisposedByAnotherReferenceWhileCopying(void **state)
{
    (void)state;
    MemoryMappedFile *map = MemoryMappedFile_CreateNew(NULL, VIEW_BYTES);
    assert_non_null(map);
    uint8_t *buffer = malloc(VIEW_BYTES);
    assert_non_null(buffer);
    unsigned seed = 99;
    for (int round = 0; round < 40; round++) {
        view_job j = {.stream = round % 2 == 1, .buffer = buffer};
        void *view = j.stream ? (void *)MemoryMappedFile_CreateViewStream(map)
                              : (void *)MemoryMappedFile_CreateViewAccessor(map);
        assert_non_null(view);
        j.view = Object_Retain(view); /* the reader's own reference, as two owners would have */
        sp_thread *t = sp_thread_start(copy_until_disposed, &j);
        sp_sleep_ms(1 + (int)(next_random(&seed) % 4));
        assert_true(Dispose(view)); /* ours: the reader may be inside a copy */
        sp_thread_join(t);
        if (j.ended_with != ExceptionType_ObjectDisposedException)
            fail_msg("round %d: the reader ended with %s", round, sp_exc_name(j.ended_with));
    }
    free(buffer);
    Dispose(map);
}

/* ---------------------------------------------------------------- Socket rows */

/* What .NET's sync calls end with when Dispose ends them (dotnet/runtime's Accept.cs
 * AcceptGetsCanceledByDispose, SendReceive.cs UdpReceiveGetsCanceledByDispose and
 * TcpReceiveSendGetsCanceledByDispose, Connect.cs ConnectGetsCanceledByDispose): Interrupted for
 * Accept and a datagram receive, ConnectionAborted for a stream send or receive,
 * ObjectDisposedException for Connect; Poll and Select return (the disposed socket ready). */

static void *make_listener(job *j)
{
    (void)j;
    return sp_socket_listener(1);
}

/* A connected client; its peer is j->other. */
static void *make_connected(job *j)
{
    Socket *c, *a;
    sp_socket_pair(&c, &a);
    j->other = a;
    return c;
}

static uint8_t send_chunk[1 << 16];

/* A connected client whose send buffers are full: the next Send blocks. */
static void *make_connected_full(job *j)
{
    Socket *c = make_connected(j);
    assert_true(Socket_set_Blocking(c, false));
    while (Socket_Send(c, send_chunk, 0, (int32_t)sizeof send_chunk, SocketFlags_None) >= 0)
        ;
    assert_int_equal(SocketException_get_SocketErrorCode(Exception_get_Current()), SocketError_WouldBlock);
    assert_true(Socket_set_Blocking(c, true));
    return c;
}

static void *make_udp(job *j)
{
    (void)j;
    return sp_socket_udp_bound(AddressFamily_InterNetwork, IPAddress_Loopback);
}

/* A bound UDP socket that has already received one datagram (from itself), so that its waker is
 * made and the next ReceiveFrom with an IPEndPoint of its family takes socket.c's lean path. */
static void *make_udp_warm(job *j)
{
    (void)j;
    Socket *s = sp_socket_udp_bound(AddressFamily_InterNetwork, IPAddress_Loopback);
    EndPoint *self = Socket_get_LocalEndPoint(s);
    uint8_t b[1] = {1};
    EndPoint *from = (EndPoint *)IPEndPoint_new(IPAddress_Any, 0);
    assert_int_equal(Socket_SendTo(s, b, 0, 1, SocketFlags_None, self), 1);
    assert_int_equal(Socket_ReceiveFromSpan(s, b, 1, SocketFlags_None, &from), 1);
    Dispose(from);
    Dispose(self);
    return s;
}

/* A socket whose Connect will wait: the listener's accept queue (backlog 0) is full, so the
 * kernel drops its SYN and retries. The listener is j->other, the connection that fills the
 * queue j->extra[0]. */
static void *make_connect_blocked(job *j)
{
    Socket *l = sp_socket_listener(0);
    j->other = l;
    Socket *filler = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    assert_true(Socket_Connect(filler, IPAddress_Loopback, sp_socket_port(l)));
    j->extra[0] = filler;
    sp_sleep_ms(5);
    return Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
}

static void cleanup_extra(job *j)
{
    for (int i = 0; i < 2; i++)
        if (j->extra[i])
            Dispose(j->extra[i]);
}

static void call_accept(job *j)
{
    atomic_store(&j->entering, true);
    Socket *a = Socket_Accept(j->obj);
    j->result = a != NULL;
    finish(j);
    if (a)
        Dispose(a);
}

static void call_receive(job *j)
{
    uint8_t b[1];
    atomic_store(&j->entering, true);
    j->result = Socket_Receive(j->obj, b, 1) >= 0;
    finish(j);
}

static void call_receive_from(job *j)
{
    uint8_t b[1];
    EndPoint *from = (EndPoint *)IPEndPoint_new(IPAddress_Any, 0);
    atomic_store(&j->entering, true);
    j->result = Socket_ReceiveFromSpan(j->obj, b, 1, SocketFlags_None, &from) >= 0;
    finish(j);
    Dispose(from);
}

static void call_send(job *j)
{
    /* One call, so that it is pinned from before the Dispose to its end: the buffers are full,
     * and no peer reads, so a send of more than any OS buffers (wine's grow) blocks inside it.
     * (A loop of sends would let the Dispose land between two of them, on freed memory.) */
    static uint8_t big[16 << 20];
    atomic_store(&j->entering, true);
    j->result = Socket_Send(j->obj, big, 0, (int32_t)sizeof big, SocketFlags_None) >= 0;
    finish(j);
}

static void call_connect(job *j)
{
    int32_t port = sp_socket_port(j->other);
    atomic_store(&j->entering, true);
    j->result = Socket_Connect(j->obj, IPAddress_Loopback, port);
    finish(j);
}

static void call_poll(job *j)
{
    atomic_store(&j->entering, true);
    j->result = Socket_Poll(j->obj, -1, SelectMode_SelectRead);
    finish(j);
}

static void call_select(job *j)
{
    Socket *list[1] = {j->obj};
    int32_t n = 1;
    atomic_store(&j->entering, true);
    j->result = Socket_Select(list, &n, NULL, NULL, NULL, NULL, -1) && n == 1;
    finish(j);
}

static void *make_tcp_listener(job *j)
{
    (void)j;
    TcpListener *l = TcpListener_new(IPAddress_Loopback, 0);
    assert_true(TcpListener_Start(l));
    return l;
}

static void call_accept_tcp_client(job *j)
{
    atomic_store(&j->entering, true);
    TcpClient *c = TcpListener_AcceptTcpClient(j->obj);
    j->result = c != NULL;
    finish(j);
    if (c)
        Dispose(c);
}

/* ---- System.Runtime.Remoting (hremoting): a call waiting for a reply that never comes (the
 * server's listener never accepts; the connection sits in its backlog) */
static void *make_remote_call(job *j)
{
    Socket *l = sp_socket_listener(64);
    j->other = l;
    char url[96];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d/Silent", (int)sp_socket_port(l));
    return Activator_GetObject("Silent, Silent", url);
}

static void call_remote(job *j)
{
    atomic_store(&j->entering, true);
    Variant r = RemoteObject_Invoke(j->obj, "Wait");
    j->result = r.type != VariantType_Empty;
    finish(j);
}

/* ... and one still connecting: with a timeout the connect is polled (RPC-API.md 4), to a listener
 * whose backlog of one is taken (ConnectSync's row's setup), so the SYN goes unanswered */
static void *make_remote_connect(job *j)
{
    Socket *l = sp_socket_listener(0);
    j->other = l;
    Socket *filler = Socket_new(AddressFamily_InterNetwork, SocketType_Stream, ProtocolType_Tcp);
    assert_true(Socket_Connect(filler, IPAddress_Loopback, sp_socket_port(l)));
    j->extra[0] = filler;
    sp_sleep_ms(5);
    char url[96];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d/Backlogged", (int)sp_socket_port(l));
    RemoteObject *o = Activator_GetObject("Silent, Silent", url);
    assert_true(RemoteObject_set_Timeout(o, 60000));
    return o;
}

#ifdef SP_TEST_JSONRPC
/* StreamJsonRpc (hjsonrpc): a JsonRpc over a connection whose peer never answers. The
 * NetworkStream and its socket stay open until cleanup (Dispose closes a stream for everyone). */
static void *make_jsonrpc_call(job *j)
{
    Socket *c = make_connected(j);
    NetworkStream *ns = NetworkStream_new(c, true);
    assert_non_null(ns);
    j->extra[0] = ns;
    j->extra[1] = c;
    JsonRpc *rpc = JsonRpc_Attach((Stream *)ns);
    assert_non_null(rpc);
    return rpc;
}

static void call_jsonrpc(job *j)
{
    atomic_store(&j->entering, true);
    Variant r = JsonRpc_Invoke(j->obj, "Wait");
    j->result = r.type != VariantType_Empty;
    finish(j);
}

static void cleanup_jsonrpc(job *j)
{
    Dispose(j->extra[0]);
    Dispose(j->extra[1]);
}
#endif

/* UdpClientTest (sharpipc's row): a UdpClient bound to the loopback, its Receive ended by the
 * client's Dispose as the socket's datagram receive is (SocketException Interrupted). */
static void *make_udp_client(job *j)
{
    (void)j;
    IPEndPoint *ep = IPEndPoint_new(IPAddress_Loopback, 0);
    UdpClient *c = UdpClient_newWithEndPoint(ep);
    assert_non_null(c);
    Dispose(ep);
    return c;
}

static void call_udp_client_receive(job *j)
{
    IPEndPoint *from = NULL;
    int32_t length = 0;
    atomic_store(&j->entering, true);
    uint8_t *data = UdpClient_Receive(j->obj, &from, &length);
    j->result = data != NULL;
    finish(j);
    if (data)
        Array_Free(data);
    if (from)
        Dispose(from);
}

/* Socket.SendFile (sharpipc's row): one call sending a file larger than any OS buffers into a
 * connection whose buffers are full and whose peer never reads, ended by the socket's Dispose as
 * the Send row is. The file is made once, in the current directory, removed by the teardown. */
static const char *send_file_name(void)
{
    static char name[128];
    if (!name[0]) {
        sp_temp_name(name, "sendfile");
        FILE *f = fopen(name, "wb");
        assert_non_null(f);
        static uint8_t zeros[1 << 16];
        for (int i = 0; i < 256; i++) /* 16 MiB */
            assert_int_equal(fwrite(zeros, 1, sizeof zeros, f), sizeof zeros);
        assert_int_equal(fclose(f), 0);
    }
    return name;
}

static void *make_connected_full_send_file(job *j)
{
    send_file_name();
    return make_connected_full(j);
}

static void call_send_file(job *j)
{
    atomic_store(&j->entering, true);
    j->result = Socket_SendFile(j->obj, send_file_name());
    finish(j);
}

/* NetworkStream.Read (sharpipc's row): a stream that owns its socket, disposed while its Read
 * waits for a byte that never comes. Its Dispose shuts the socket down both ways first, as .NET's
 * does, which ends a Linux read with 0 bytes; where the close ends it instead, the stream wraps the
 * Socket's exception as .NET's NetworkStream does (IOException, the SocketException inner). The
 * Read pins the Socket, not the stream (it pins itself once). */
static void *make_network_stream(job *j)
{
    Socket *c = make_connected(j);
    NetworkStream *ns = NetworkStream_new(c, true);
    assert_non_null(ns);
    sp_object_release((Object *)c); /* the stream's own reference is the only one left */
    j->pinned = c;
    return ns;
}

static void call_network_stream_read(job *j)
{
    uint8_t b[1];
    atomic_store(&j->entering, true);
    j->result = Stream_Read(j->obj, b, 0, 1) >= 0;
    finish(j);
}

/* ---- the System.IO adapters over a blocking stream (sharpipc's own rows; .NET's tests end such
 * calls by closing the other end). Each adapter holds the only reference to its stream, and the
 * stream to its socket, so Dispose of the adapter frees them all unless the call holds them: the
 * adapter's call pins the adapter (and through it its buffers and its stream) for its duration.
 * Dispose closes the NetworkStream, which shuts its socket down and then closes it, as .NET's
 * does: a blocked read sees either the end of the stream, and the call ends as .NET's does there
 * (ReadString with EndOfStreamException, ReadBytes with the bytes it has, ReadLine and ReadToEnd
 * with the text it has), or the closed socket (the NetworkStream's IOException, whichever comes
 * first); a blocked send ends with the IOException. */
static const char partial_text[] = "abcdefghij"; /* what the peer sends before it falls silent */
#define BIG_TEXT_BYTES (16 << 20)
static char big_text[BIG_TEXT_BYTES + 1]; /* more than any OS buffers: a write into full ones blocks */

static const char *get_big_text(void)
{
    if (!big_text[0])
        memset(big_text, 'x', BIG_TEXT_BYTES);
    return big_text;
}

/* A NetworkStream owning a connected socket (j->pinned), whose peer (j->other) sent `sent`. */
static Stream *network_stream_of(Socket *c, job *j, const void *sent, int32_t length)
{
    if (length)
        assert_int_equal(Socket_Send(j->other, sent, 0, length, SocketFlags_None), length);
    NetworkStream *ns = NetworkStream_new(c, true);
    assert_non_null(ns);
    sp_object_release((Object *)c); /* the stream's reference is the only one */
    j->pinned = c;
    return (Stream *)ns;
}

/* The adapter's reference to its stream becomes the only one; the adapter is pinned, not the socket. */
static void *adapter_only(job *j, void *adapter, Stream *s)
{
    assert_non_null(adapter);
    sp_object_release((Object *)s);
    j->pinned = NULL;
    return adapter;
}

static void *make_binary_reader_string(job *j)
{
    uint8_t sent[1 + sizeof partial_text - 1] = {100}; /* a 100-byte string, 10 of them sent */
    memcpy(sent + 1, partial_text, sizeof partial_text - 1);
    Stream *s = network_stream_of(make_connected(j), j, sent, (int32_t)sizeof sent);
    return adapter_only(j, BinaryReader_new(s), s);
}

static void *make_binary_reader_bytes(job *j)
{
    Stream *s = network_stream_of(make_connected(j), j, partial_text, (int32_t)sizeof partial_text - 1);
    return adapter_only(j, BinaryReader_new(s), s);
}

static void *make_stream_reader(job *j)
{
    Stream *s = network_stream_of(make_connected(j), j, partial_text, (int32_t)sizeof partial_text - 1);
    return adapter_only(j, StreamReader_new(s), s);
}

static void *make_binary_writer_full(job *j)
{
    get_big_text();
    Stream *s = network_stream_of(make_connected_full(j), j, NULL, 0);
    void *w = BinaryWriter_new(s);
    assert_non_null(w);
    sp_object_release((Object *)s);
    return w; /* j->pinned stays the socket: the write has started once its Send is pinned */
}

/* A StreamWriter holding the whole big text (its buffer is large enough), over full buffers. The
 * row waits for the Send's pin, not the writer's: the Dispose flushes what is still buffered, and
 * a Dispose before the Flush has taken the bytes would block on the full buffers as .NET's does. */
static void *make_stream_writer_full(job *j)
{
    Stream *s = network_stream_of(make_connected_full(j), j, NULL, 0);
    StreamWriter *w = StreamWriter_new_ex(s, NULL, BIG_TEXT_BYTES + 1, false);
    assert_non_null(w);
    sp_object_release((Object *)s);
    return w;
}

static void *make_stream_writer_full_pending(job *j)
{
    StreamWriter *w = make_stream_writer_full(j);
    assert_true(StreamWriter_WriteString(w, get_big_text()));
    return w;
}

static void *make_stream_writer_full_auto_flush(job *j)
{
    get_big_text();
    StreamWriter *w = make_stream_writer_full(j);
    assert_true(StreamWriter_set_AutoFlush(w, true));
    return w;
}

static void call_binary_reader_string(job *j)
{
    atomic_store(&j->entering, true);
    char *s = BinaryReader_ReadString(j->obj);
    j->result = s != NULL;
    finish(j);
    String_Free(s);
}

/* The same over a NetworkStream, where the string is cut short: EndOfStreamException is the call's
 * own result when its read sees the end of the stream (the row's other ending is the IOException). */
static void call_binary_reader_cut_string(job *j)
{
    call_binary_reader_string(j);
    if (j->exception == ExceptionType_EndOfStreamException) {
        j->exception = ExceptionType_None;
        j->result = true;
    }
}

/* ReadBytes(100) with 10 there: the 10, the end of the stream after them, or a failure. */
static void call_binary_reader_bytes(job *j)
{
    int32_t length = -1;
    atomic_store(&j->entering, true);
    uint8_t *b = BinaryReader_ReadBytes(j->obj, 100, &length);
    j->result = b && length == (int32_t)sizeof partial_text - 1 && memcmp(b, partial_text, (size_t)length) == 0;
    finish(j);
    Array_Free(b);
}

/* ReadLine or ReadToEnd: the text there when the stream ended, or a failure. */
static void call_stream_reader_text(job *j, char *(*read)(StreamReader *))
{
    atomic_store(&j->entering, true);
    char *s = read(j->obj);
    j->result = s && strcmp(s, partial_text) == 0;
    finish(j);
    String_Free(s);
}

static void call_stream_reader_line(job *j) { call_stream_reader_text(j, StreamReader_ReadLine); }
static void call_stream_reader_to_end(job *j) { call_stream_reader_text(j, StreamReader_ReadToEnd); }

static void call_binary_writer_string(job *j)
{
    atomic_store(&j->entering, true);
    j->result = BinaryWriter_WriteString(j->obj, big_text);
    finish(j);
}

static void call_stream_writer_flush(job *j)
{
    atomic_store(&j->entering, true);
    j->result = StreamWriter_Flush(j->obj);
    finish(j);
}

static void call_stream_writer_string(job *j)
{
    atomic_store(&j->entering, true);
    j->result = StreamWriter_WriteString(j->obj, get_big_text());
    finish(j);
}

static const row adapter_rows[] = {
    {"sharpipc's own: BinaryReader.ReadString over a NetworkStream (disposed while reading)", make_binary_reader_string,
     call_binary_reader_cut_string, NULL, NULL, true, ExceptionType_IOException, 0},
    {"sharpipc's own: BinaryReader.ReadBytes over a NetworkStream (disposed while reading)", make_binary_reader_bytes,
     call_binary_reader_bytes, NULL, NULL, true, ExceptionType_IOException, 0},
    {"sharpipc's own: StreamReader.ReadLine over a NetworkStream (disposed while reading)", make_stream_reader,
     call_stream_reader_line, NULL, NULL, true, ExceptionType_IOException, 0},
    {"sharpipc's own: StreamReader.ReadToEnd over a NetworkStream (disposed while reading)", make_stream_reader,
     call_stream_reader_to_end, NULL, NULL, true, ExceptionType_IOException, 0},
    {"sharpipc's own: BinaryWriter.Write(string) over a NetworkStream (disposed while sending)",
     make_binary_writer_full, call_binary_writer_string, NULL, NULL, false, ExceptionType_IOException, 0},
    {"sharpipc's own: StreamWriter.Flush over a NetworkStream (disposed while sending)",
     make_stream_writer_full_pending, call_stream_writer_flush, NULL, NULL, false, ExceptionType_IOException, 0},
    {"sharpipc's own: StreamWriter.Write(string) with AutoFlush over a NetworkStream (disposed while sending)",
     make_stream_writer_full_auto_flush, call_stream_writer_string, NULL, NULL, false, ExceptionType_IOException, 0},
};

static void Adapters_DisposeWhileBlocked(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof adapter_rows / sizeof adapter_rows[0]; i++)
        run_row(&adapter_rows[i]);
}

#ifndef _WIN32
/* The same calls where the blocked call goes on after the Dispose: a FileStream over a FIFO keeps
 * its descriptor while a call uses it (the FileStream row above), so after the Dispose the test
 * feeds the blocked read part of what it waits for (or drains the FIFO under a blocked write). The
 * call then carries on with the adapter, whose memory its pin keeps, and its next use of the
 * closed stream is .NET's ObjectDisposedException (or, for a write that completed, the Flush of
 * the closed stream that follows it). */
static void *make_fifo_binary_reader(job *j, const void *sent, size_t length)
{
    Stream *s = make_fifo_reader(j);
    assert_non_null(s);
    assert_int_equal(write(j->fd, sent, length), (ssize_t)length);
    return adapter_only(j, BinaryReader_new(s), s);
}

static void *make_fifo_binary_reader_string(job *j)
{
    uint8_t sent[1 + 5] = {20, 'a', 'b', 'c', 'd', 'e'}; /* a 20-byte string, 5 of them there */
    return make_fifo_binary_reader(j, sent, sizeof sent);
}

static void *make_fifo_binary_reader_bytes(job *j) { return make_fifo_binary_reader(j, "abcde", 5); }

static void *make_fifo_stream_reader(job *j)
{
    Stream *s = make_fifo_reader(j);
    assert_non_null(s);
    assert_int_equal(write(j->fd, "abc", 3), 3);
    return adapter_only(j, StreamReader_new(s), s);
}

/* 5 more bytes, short of what the call waits for (no newline for ReadLine). */
static void unblock_fifo_partly(job *j) { assert_int_equal(write(j->fd, "fghij", 5), 5); }

#  define FIFO_WRITE_BYTES (1 << 20) /* more than a FIFO holds (64 KiB by default) */

/* A StreamWriter over a FileStream writing the FIFO, holding FIFO_WRITE_BYTES to flush. The row
 * waits for the FileStream's pin (the write has taken the bytes), as the NetworkStream writer's. */
static void *make_fifo_stream_writer(job *j)
{
    FileStream *reader = make_fifo_reader(j); /* makes the FIFO and j->fd, its other end */
    Dispose(reader);
    FileStream *f =
        FileStream_new_ex(j->path, FileMode_Open, FileAccess_Write, FileShare_ReadWrite, 0, FileOptions_None);
    assert_non_null(f);
    StreamWriter *w = StreamWriter_new_ex((Stream *)f, NULL, FIFO_WRITE_BYTES + 1, false);
    assert_non_null(w);
    sp_object_release((Object *)f);
    j->pinned = f;
    assert_true(StreamWriter_WriteChars(w, get_big_text(), 0, FIFO_WRITE_BYTES));
    return w;
}

static void drain_fifo(job *j)
{
    static uint8_t sink[1 << 16];
    for (size_t got = 0; got < FIFO_WRITE_BYTES;) {
        ssize_t n = read(j->fd, sink, sizeof sink);
        assert_true(n > 0);
        got += (size_t)n;
    }
}

static const row fifo_adapter_rows[] = {
    {"sharpipc's own: BinaryReader.ReadString over a FIFO (disposed while reading, more bytes after)",
     make_fifo_binary_reader_string, call_binary_reader_string, unblock_fifo_partly, cleanup_fifo, false,
     ExceptionType_ObjectDisposedException, 0},
    {"sharpipc's own: BinaryReader.ReadBytes over a FIFO (disposed while reading, more bytes after)",
     make_fifo_binary_reader_bytes, call_binary_reader_bytes, unblock_fifo_partly, cleanup_fifo, false,
     ExceptionType_ObjectDisposedException, 0},
    {"sharpipc's own: StreamReader.ReadLine over a FIFO (disposed while reading, more text after)",
     make_fifo_stream_reader, call_stream_reader_line, unblock_fifo_partly, cleanup_fifo, false,
     ExceptionType_ObjectDisposedException, 0},
    {"sharpipc's own: StreamReader.ReadToEnd over a FIFO (disposed while reading, more text after)",
     make_fifo_stream_reader, call_stream_reader_to_end, unblock_fifo_partly, cleanup_fifo, false,
     ExceptionType_ObjectDisposedException, 0},
    {"sharpipc's own: StreamWriter.Flush over a FIFO (disposed while writing, drained after)", make_fifo_stream_writer,
     call_stream_writer_flush, drain_fifo, cleanup_fifo, false, ExceptionType_ObjectDisposedException, 0},
};

static void Adapters_DisposeWhileBlockedOnAFifo(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fifo_adapter_rows / sizeof fifo_adapter_rows[0]; i++)
        run_row(&fifo_adapter_rows[i]);
}
#endif

static const row socket_rows[] = {
    {"TcpListenerTest.AcceptTcpClient (the listener disposed while accepting)", make_tcp_listener,
     call_accept_tcp_client, NULL, NULL, false, ExceptionType_SocketException, SocketError_Interrupted},
    {"sharpipc's own: RemoteObject_InvokeMethod (disposed while waiting for the reply)", make_remote_call, call_remote,
     NULL, NULL, false, ExceptionType_ObjectDisposedException, 0},
    {"sharpipc's own: RemoteObject_InvokeMethod (disposed while connecting, a timeout set)", make_remote_connect,
     call_remote, NULL, cleanup_extra, false, ExceptionType_ObjectDisposedException, 0},
    {"AcceptSync.AcceptGetsCanceledByDispose", make_listener, call_accept, NULL, NULL, false,
     ExceptionType_SocketException, SocketError_Interrupted},
    {"SendReceive_Sync.TcpReceiveSendGetsCanceledByDispose (receive)", make_connected, call_receive, NULL, NULL, false,
     ExceptionType_SocketException, SocketError_ConnectionAborted},
    {"SendReceive_Sync.TcpReceiveSendGetsCanceledByDispose (send)", make_connected_full, call_send, NULL, NULL, false,
     ExceptionType_SocketException, SocketError_ConnectionAborted},
    {"SendReceive_Sync.UdpReceiveGetsCanceledByDispose", make_udp, call_receive, NULL, NULL, false,
     ExceptionType_SocketException, SocketError_Interrupted},
    {"SendReceive_Sync.UdpReceiveGetsCanceledByDispose (ReceiveFrom, the lean path)", make_udp_warm, call_receive_from,
     NULL, NULL, false, ExceptionType_SocketException, SocketError_Interrupted},
    {"ConnectSync.ConnectGetsCanceledByDispose", make_connect_blocked, call_connect, NULL, cleanup_extra, false,
     ExceptionType_ObjectDisposedException, 0},
    ROW("SelectAndPollTests.Poll (disposed while polling)", make_udp, call_poll, true),
    ROW("SelectAndPollTests.Select (disposed while selecting)", make_udp, call_select, true),
    {"UdpClientTest.Receive (the client disposed while receiving)", make_udp_client, call_udp_client_receive, NULL,
     NULL, false, ExceptionType_SocketException, SocketError_Interrupted},
    {"sharpipc's own: Socket.SendFile (disposed while sending)", make_connected_full_send_file, call_send_file, NULL,
     NULL, false, ExceptionType_SocketException, SocketError_ConnectionAborted},
    {"sharpipc's own: NetworkStream.Read (disposed while reading)", make_network_stream, call_network_stream_read, NULL,
     NULL, true, ExceptionType_IOException, 0},
#ifdef SP_TEST_JSONRPC
    /* StreamJsonRpc: a pending call fails as when the connection is lost */
    {"sharpipc's own: JsonRpc_InvokeWithCancellation (disposed while waiting for the response)", make_jsonrpc_call,
     call_jsonrpc, NULL, cleanup_jsonrpc, false, ExceptionType_ConnectionLostException, 0},
#endif
};

static void SocketTests_DisposeWhileBlocked(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof socket_rows / sizeof socket_rows[0]; i++)
        run_row(&socket_rows[i]);
}

static void WaitHandleTests_DisposeWhileWaiting(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof wait_rows / sizeof wait_rows[0]; i++)
        run_row(&wait_rows[i]);
}

static void WaitHandleTests_DisposeWhileWaitingMultiple(void **state)
{
    (void)state;
    /* Linux before 5.16 has no futex_waitv: WaitAny over several handles is
     * PlatformNotSupportedException there (docs/deviations.md); nothing blocks to dispose. */
    SP_REQUIRE(multiple_waits_available(), "WaitAny/WaitAll over several handles (futex_waitv)");
    for (size_t i = 0; i < sizeof multiple_rows / sizeof multiple_rows[0]; i++)
        run_row(&multiple_rows[i]);
}

int main(int argc, char **argv)
{
    int rc = sp_child_main(argc, argv, NULL, NULL, 0);
    if (rc >= 0)
        return rc;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(WaitHandleTests_DisposeWhileWaiting),
        cmocka_unit_test(WaitHandleTests_DisposeWhileWaitingMultiple),
        cmocka_unit_test(MemoryMappedViewTests_DisposedByAnotherReferenceWhileCopying),
        cmocka_unit_test(SocketTests_DisposeWhileBlocked),
        cmocka_unit_test(Adapters_DisposeWhileBlocked),
#ifndef _WIN32
        cmocka_unit_test(FileStream_DisposeWhileReading),
        cmocka_unit_test(Adapters_DisposeWhileBlockedOnAFifo),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
