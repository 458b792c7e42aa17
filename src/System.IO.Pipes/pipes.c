/* PipeStream and its four kinds: the state machine and the checks of .NET's PipeStream.cs, over
 * the OS pipes of platform.h. */
#include "System.IO/stream.h"
#include "platform/platform.h"

#include <stdio.h>

/* .NET's PipeState. */
enum { PIPE_WAITING = 0, PIPE_CONNECTED = 1, PIPE_BROKEN = 2, PIPE_DISCONNECTED = 3, PIPE_CLOSED = 4 };

#define MSG_PIPE_CLOSED "Cannot access a closed pipe."
#define MSG_NOT_CONNECTED "Pipe hasn't been connected yet."
#define MSG_DISCONNECTED "Pipe is in a disconnected state."
#define MSG_ALREADY_CONNECTED "Already in a connected state."
#define MSG_BROKEN "Pipe is broken."
#define MSG_HANDLE_NOT_SET "Pipe handle has not been set.  Did your PipeStream implementation call InitializeHandle?"
#define MSG_ONE_DIRECTION "Anonymous pipes can only be in one direction."

struct PipeStream {
    Stream stream;
    atomic_intptr_t conn;
    atomic_int state;
    /* Calls inside the OS on this pipe. Close wakes them; the handle is released by whoever
     * leaves last, so a call never sees its handle closed (or reused) under it. */
    atomic_int inflight;
    atomic_bool released;
    void (*release)(PipeStream *p);
    sp_pipe_config config;
    PipeTransmissionMode read_mode;
    bool message_complete;
    sp_os_waker *waker; /* Dispose wakes WaitForConnection / Connect */
};

struct NamedPipeServerStream {
    PipeStream pipe;
    sp_os_pipe_server *instance;
};

struct NamedPipeClientStream {
    PipeStream pipe;
    char *path;
};

struct AnonymousPipeServerStream {
    PipeStream pipe;
    sp_os_pipe client_end;
};

struct AnonymousPipeClientStream {
    PipeStream pipe;
};

static sp_os_pipe conn_of(PipeStream *p) { return (sp_os_pipe)atomic_load(&p->conn); }

static void release_resources(PipeStream *p)
{
    if (!atomic_exchange(&p->released, true))
        p->release(p);
}

static void release_connection(PipeStream *p)
{
    sp_os_pipe h = (sp_os_pipe)atomic_exchange(&p->conn, (intptr_t)SP_OS_PIPE_INVALID);
    if (h != SP_OS_PIPE_INVALID)
        sp_os_pipe_close(h);
}

static void release_server(PipeStream *p)
{
    NamedPipeServerStream *s = (NamedPipeServerStream *)p;
    sp_os_pipe h = (sp_os_pipe)atomic_exchange(&p->conn, (intptr_t)SP_OS_PIPE_INVALID);
    if (s->instance) {
        /* POSIX closes the connection; Windows owns it in the instance, closed with it. */
        sp_os_pipe_server_disconnect(s->instance, &h);
        sp_os_pipe_server_free(s->instance);
        s->instance = NULL;
    } else if (h != SP_OS_PIPE_INVALID) {
        sp_os_pipe_close(h);
    }
}

static void release_anonymous_server(PipeStream *p)
{
    AnonymousPipeServerStream *a = (AnonymousPipeServerStream *)p;
    release_connection(p);
    if (a->client_end != SP_OS_PIPE_INVALID)
        sp_os_pipe_close(a->client_end);
    a->client_end = SP_OS_PIPE_INVALID;
}

static int state_of(PipeStream *p);

/* Marks a call into the OS; false (ObjectDisposedException) once closed. */
static bool pipe_enter(PipeStream *p);
static void pipe_leave(PipeStream *p);

static bool pipe_close(Object *o)
{
    PipeStream *p = (PipeStream *)o;
    atomic_store(&p->state, PIPE_CLOSED);
    if (p->waker)
        sp_os_waker_signal(p->waker);
    sp_os_pipe h = conn_of(p);
    if (h != SP_OS_PIPE_INVALID)
        sp_os_pipe_interrupt(h);
    if (atomic_load(&p->inflight) == 0)
        release_resources(p);
    return true;
}

static void pipe_destroy(Object *o)
{
    PipeStream *p = (PipeStream *)o;
    release_resources(p);
    if (p->waker)
        sp_os_waker_free(p->waker);
}

static void client_destroy(Object *o)
{
    pipe_destroy(o);
    free(((NamedPipeClientStream *)o)->path);
}

const sp_type sp_type_PipeStream = {"System.IO.Pipes.PipeStream", &sp_type_Stream, pipe_close, pipe_destroy};
const sp_type sp_type_NamedPipeServerStream = {"System.IO.Pipes.NamedPipeServerStream", &sp_type_PipeStream, NULL, NULL};
const sp_type sp_type_NamedPipeClientStream = {"System.IO.Pipes.NamedPipeClientStream", &sp_type_PipeStream, NULL, client_destroy};
const sp_type sp_type_AnonymousPipeServerStream = {"System.IO.Pipes.AnonymousPipeServerStream", &sp_type_PipeStream, NULL, NULL};
const sp_type sp_type_AnonymousPipeClientStream = {"System.IO.Pipes.AnonymousPipeClientStream", &sp_type_PipeStream, NULL, NULL};

static int state_of(PipeStream *p) { return atomic_load(&p->state); }

static bool pipe_enter(PipeStream *p)
{
    atomic_fetch_add(&p->inflight, 1);
    if (state_of(p) == PIPE_CLOSED) {
        pipe_leave(p);
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    return true;
}

static void pipe_leave(PipeStream *p)
{
    if (atomic_fetch_sub(&p->inflight, 1) == 1 && state_of(p) == PIPE_CLOSED)
        release_resources(p);
}

/* .NET's CheckReadOperations; CheckWriteOperations adds the Broken check. */
static bool check_io_state(PipeStream *p, bool writing)
{
    int state = state_of(p);
    if (state == PIPE_WAITING) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_NOT_CONNECTED, NULL);
        return false;
    }
    if (state == PIPE_DISCONNECTED) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_DISCONNECTED, NULL);
        return false;
    }
    if (state == PIPE_CLOSED || conn_of(p) == SP_OS_PIPE_INVALID) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    if (writing && state == PIPE_BROKEN) {
        sp_throw(ExceptionType_IOException, MSG_BROKEN, NULL);
        return false;
    }
    return true;
}

static int32_t pipe_read(Stream *s, uint8_t *buffer, int32_t count)
{
    PipeStream *p = (PipeStream *)s;
    if (!check_io_state(p, false))
        return -1;
    if (count == 0)
        return 0;
    int32_t done = 0;
    bool complete = true;
    if (!pipe_enter(p))
        return -1;
    int32_t err = sp_os_pipe_read(conn_of(p), buffer, count, &done, &complete);
    pipe_leave(p);
    if (state_of(p) == PIPE_CLOSED) { /* disposed by another thread while we waited */
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return -1;
    }
    if (err) {
        if (sp_os_pipe_error_is_broken(err)) {
            /* The peer is gone: end of stream (Windows marks the pipe broken, as .NET does). */
            int expected = PIPE_CONNECTED;
            atomic_compare_exchange_strong(&p->state, &expected, PIPE_BROKEN);
            p->message_complete = true;
            return 0;
        }
        sp_os_pipe_throw_error(err);
        return -1;
    }
    p->message_complete = complete;
    return done;
}

static bool pipe_write(Stream *s, const uint8_t *buffer, int32_t count)
{
    PipeStream *p = (PipeStream *)s;
    if (!check_io_state(p, true))
        return false;
    if (count == 0)
        return true;
    if (!pipe_enter(p))
        return false;
    int32_t err = sp_os_pipe_write(conn_of(p), buffer, count);
    pipe_leave(p);
    if (!err)
        return true;
    if (state_of(p) == PIPE_CLOSED) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    if (sp_os_pipe_error_is_broken(err)) {
        int expected = PIPE_CONNECTED;
        atomic_compare_exchange_strong(&p->state, &expected, PIPE_BROKEN);
    }
    sp_os_pipe_throw_error(err);
    return false;
}

static bool pipe_flush(Stream *s)
{
    PipeStream *p = (PipeStream *)s;
    if (!check_io_state(p, true))
        return false;
    if (!(p->config.direction & PipeDirection_Out)) {
        sp_throw_not_writable();
        return false;
    }
    return true;
}

static bool pipe_can_read(Stream *s) { return (((PipeStream *)s)->config.direction & PipeDirection_In) != 0; }
static bool pipe_can_write(Stream *s) { return (((PipeStream *)s)->config.direction & PipeDirection_Out) != 0; }

static const sp_stream_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .flush = pipe_flush,
    .can_read = pipe_can_read,
    .can_write = pipe_can_write,
    .blocking = true,
    .closed_message = MSG_PIPE_CLOSED,
};

static void *pipe_alloc(size_t size, const sp_type *type, const sp_pipe_config *config, bool needs_waker)
{
    PipeStream *p = sp_object_new(size, type);
    if (!p)
        return NULL;
    sp_stream_init(&p->stream, &pipe_ops);
    atomic_init(&p->conn, (intptr_t)SP_OS_PIPE_INVALID);
    atomic_init(&p->inflight, 0);
    atomic_init(&p->released, false);
    p->release = release_connection;
    p->config = *config;
    p->read_mode = PipeTransmissionMode_Byte;
    p->message_complete = true;
    atomic_init(&p->state, PIPE_WAITING);
    if (needs_waker && !(p->waker = sp_os_waker_new())) {
        sp_object_release(&p->stream.base);
        return NULL;
    }
    return p;
}

/* Releases a half-built stream, keeping the exception that explains why. */
static void *abandon(PipeStream *p)
{
    atomic_store(&p->stream.base.closed, true);
    atomic_store(&p->state, PIPE_CLOSED);
    sp_object_release(&p->stream.base);
    return NULL;
}

/* ================================================================ argument checks */

static bool check_direction(PipeDirection d)
{
    if (d < PipeDirection_In || d > PipeDirection_InOut) {
        sp_throw_out_of_range("direction", "For named pipes, the pipe direction can be PipeDirection.In, PipeDirection.Out or PipeDirection.InOut. For anonymous pipes, the pipe direction can be PipeDirection.In or PipeDirection.Out.");
        return false;
    }
    return true;
}

static bool check_options(PipeOptions o, bool server)
{
    unsigned allowed = (unsigned)PipeOptions_WriteThrough | PipeOptions_Asynchronous | PipeOptions_CurrentUserOnly;
    if (server)
        allowed |= PipeOptions_FirstPipeInstance;
    if ((unsigned)o & ~allowed) {
        sp_throw_out_of_range("options", "options contains an invalid flag.");
        return false;
    }
    return true;
}

static bool check_name(const char *name, const char *param)
{
    if (!name) {
        sp_throw_null(param);
        return false;
    }
    if (!*name) {
        sp_throw(ExceptionType_ArgumentException, "The value cannot be an empty string.", param);
        return false;
    }
    return true;
}

/* ================================================================ PipeStream */

#undef PipeStream_get_IsConnected
#undef PipeStream_get_IsAsync
#undef PipeStream_get_TransmissionMode
#undef PipeStream_get_ReadMode
#undef PipeStream_set_ReadMode
#undef PipeStream_get_IsMessageComplete
#undef PipeStream_WaitForPipeDrain
#undef PipeStream_get_InBufferSize
#undef PipeStream_get_OutBufferSize

static PipeStream *as_pipe(PipeStream *p)
{
    return (PipeStream *)sp_check_type(p, &sp_type_PipeStream, "pipe");
}

/* .NET's CheckPipePropertyOperations. */
static PipeStream *property_pipe(PipeStream *p)
{
    if (!as_pipe(p))
        return NULL;
    if (state_of(p) == PIPE_CLOSED) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return NULL;
    }
    if (conn_of(p) == SP_OS_PIPE_INVALID) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_HANDLE_NOT_SET, NULL);
        return NULL;
    }
    sp_clear();
    return p;
}

bool PipeStream_get_IsConnected(PipeStream *pipe)
{
    if (!as_pipe(pipe))
        return false;
    sp_clear();
    return state_of(pipe) == PIPE_CONNECTED;
}

bool PipeStream_get_IsAsync(PipeStream *pipe)
{
    if (!as_pipe(pipe))
        return false;
    sp_clear();
    return (pipe->config.options & PipeOptions_Asynchronous) != 0;
}

PipeTransmissionMode PipeStream_get_TransmissionMode(PipeStream *pipe)
{
    if (!property_pipe(pipe))
        return PipeTransmissionMode_Byte;
    return pipe->config.transmission_mode;
}

PipeTransmissionMode PipeStream_get_ReadMode(PipeStream *pipe)
{
    if (!property_pipe(pipe))
        return PipeTransmissionMode_Byte;
    return pipe->read_mode;
}

bool PipeStream_set_ReadMode(PipeStream *pipe, PipeTransmissionMode mode)
{
    if (!property_pipe(pipe))
        return false;
    if (mode < PipeTransmissionMode_Byte || mode > PipeTransmissionMode_Message) {
        sp_throw_out_of_range("value", "For named pipes, the transmission mode can be byte or message. For anonymous pipes, the transmission mode can be byte.");
        return false;
    }
    if (mode == PipeTransmissionMode_Message && !sp_os_pipe_supports_message_mode()) {
        sp_throw(ExceptionType_PlatformNotSupportedException, "Message transmission mode is not supported on this platform.", NULL);
        return false;
    }
    if (sp_os_pipe_supports_message_mode()) {
        int32_t err = sp_os_pipe_set_read_mode(conn_of(pipe), mode);
        if (err) {
            sp_os_throw_io_error(err, NULL);
            return false;
        }
    }
    pipe->read_mode = mode;
    return true;
}

bool PipeStream_get_IsMessageComplete(PipeStream *pipe)
{
    if (!as_pipe(pipe))
        return false;
    if (!check_io_state(pipe, false))
        return false;
    if (pipe->read_mode != PipeTransmissionMode_Message) {
        sp_throw(ExceptionType_InvalidOperationException, "ReadMode is not of PipeTransmissionMode.Message.", NULL);
        return false;
    }
    sp_clear();
    return pipe->message_complete;
}

bool PipeStream_WaitForPipeDrain(PipeStream *pipe)
{
    if (!as_pipe(pipe) || !check_io_state(pipe, true))
        return false;
    if (!(pipe->config.direction & PipeDirection_Out)) {
        sp_throw_not_writable();
        return false;
    }
    sp_clear();
    if (!pipe_enter(pipe))
        return false;
    bool ok = sp_os_pipe_drain(conn_of(pipe));
    pipe_leave(pipe);
    return ok;
}

static int32_t buffer_size(PipeStream *pipe, bool in)
{
    if (!as_pipe(pipe))
        return -1;
    if (!(pipe->config.direction & (in ? PipeDirection_In : PipeDirection_Out))) {
        if (in)
            sp_throw_not_readable();
        else
            sp_throw_not_writable();
        return -1;
    }
    if (conn_of(pipe) == SP_OS_PIPE_INVALID && state_of(pipe) != PIPE_CLOSED &&
        sp_type_is(pipe->stream.base.type, &sp_type_NamedPipeServerStream)) {
        sp_clear();
        return in ? pipe->config.in_buffer_size : pipe->config.out_buffer_size;
    }
    if (!property_pipe(pipe))
        return -1;
    int32_t size = 0;
    int32_t err = sp_os_pipe_buffer_size(conn_of(pipe), in, &size);
    if (err) {
        sp_os_pipe_throw_error(err);
        return -1;
    }
    return size;
}

int32_t PipeStream_get_InBufferSize(PipeStream *pipe) { return buffer_size(pipe, true); }
int32_t PipeStream_get_OutBufferSize(PipeStream *pipe) { return buffer_size(pipe, false); }

/* ================================================================ NamedPipeServerStream */

#undef NamedPipeServerStream_new

NamedPipeServerStream *NamedPipeServerStream_new_ex(const char *pipeName, PipeDirection direction,
                                                    int32_t maxNumberOfServerInstances,
                                                    PipeTransmissionMode transmissionMode, PipeOptions options,
                                                    int32_t inBufferSize, int32_t outBufferSize)
{
    if (!check_name(pipeName, "pipeName") || !check_direction(direction))
        return NULL;
    if (transmissionMode < PipeTransmissionMode_Byte || transmissionMode > PipeTransmissionMode_Message) {
        sp_throw_out_of_range("transmissionMode", "For named pipes, the transmission mode can be byte or message. For anonymous pipes, the transmission mode can be byte.");
        return NULL;
    }
    if (!check_options(options, true))
        return NULL;
    if (inBufferSize < 0) {
        sp_throw_need_nonneg("inBufferSize");
        return NULL;
    }
    if (outBufferSize < 0) {
        sp_throw_need_nonneg("outBufferSize");
        return NULL;
    }
    if ((maxNumberOfServerInstances < 1 || maxNumberOfServerInstances > 254) &&
        maxNumberOfServerInstances != NamedPipeServerStream_MaxAllowedServerInstances) {
        sp_throw_out_of_range("maxNumberOfServerInstances",
                              "maxNumberOfServerInstances must either be a value between 1 and 254, or NamedPipeServerStream.MaxAllowedServerInstances (to obtain the maximum number allowed by system resources).");
        return NULL;
    }
    if (transmissionMode == PipeTransmissionMode_Message && !sp_os_pipe_supports_message_mode()) {
        sp_throw(ExceptionType_PlatformNotSupportedException, "Message transmission mode is not supported on this platform.", NULL);
        return NULL;
    }
    char *path = sp_os_pipe_path(".", pipeName);
    if (!path)
        return NULL;
    sp_pipe_config config = {direction, transmissionMode, options, maxNumberOfServerInstances,
                             inBufferSize, outBufferSize, TokenImpersonationLevel_None, HandleInheritability_None};
    NamedPipeServerStream *s = pipe_alloc(sizeof *s, &sp_type_NamedPipeServerStream, &config, true);
    if (!s) {
        free(path);
        return NULL;
    }
    s->pipe.read_mode = transmissionMode;
    s->pipe.release = release_server;
    sp_os_pipe handle = SP_OS_PIPE_INVALID;
    s->instance = sp_os_pipe_server_new(path, &config, &handle);
    atomic_store(&s->pipe.conn, (intptr_t)handle);
    free(path);
    if (!s->instance)
        return abandon(&s->pipe);
    sp_clear();
    return s;
}

NamedPipeServerStream *NamedPipeServerStream_new(const char *pipeName)
{
    return NamedPipeServerStream_new_ex(pipeName, PipeDirection_InOut, 1, PipeTransmissionMode_Byte, PipeOptions_None, 0, 0);
}

static NamedPipeServerStream *as_server(NamedPipeServerStream *s)
{
    return (NamedPipeServerStream *)sp_check_type(s, &sp_type_NamedPipeServerStream, "server");
}

bool NamedPipeServerStream_WaitForConnection(NamedPipeServerStream *server)
{
    if (!as_server(server))
        return false;
    int state = state_of(&server->pipe);
    if (state == PIPE_CLOSED) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    if (state == PIPE_CONNECTED) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_ALREADY_CONNECTED, NULL);
        return false;
    }
    if (state == PIPE_BROKEN) {
        sp_throw(ExceptionType_IOException, MSG_BROKEN, NULL);
        return false;
    }
    sp_clear();
    if (!pipe_enter(&server->pipe))
        return false;
    sp_os_pipe conn = conn_of(&server->pipe);
    int r = sp_os_pipe_server_accept(server->instance, server->pipe.waker, &conn);
    bool ok = false;
    if (r == 1) {
        atomic_store(&server->pipe.conn, (intptr_t)conn);
        int expected = state;
        if (atomic_compare_exchange_strong(&server->pipe.state, &expected, PIPE_CONNECTED)) {
            server->pipe.message_complete = true;
            ok = true;
        } else { /* disposed while the client arrived */
            sp_os_pipe_interrupt(conn);
            sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        }
    } else if (r == 0) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
    }
    pipe_leave(&server->pipe);
    return ok;
}

bool NamedPipeServerStream_Disconnect(NamedPipeServerStream *server)
{
    if (!as_server(server))
        return false;
    int state = state_of(&server->pipe);
    if (state == PIPE_WAITING) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_NOT_CONNECTED, NULL);
        return false;
    }
    if (state == PIPE_DISCONNECTED) {
        sp_throw(ExceptionType_InvalidOperationException, "Already in a disconnected state.", NULL);
        return false;
    }
    if (state == PIPE_CLOSED) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    sp_clear();
    if (!pipe_enter(&server->pipe))
        return false;
    sp_os_pipe conn = conn_of(&server->pipe);
    sp_os_pipe_server_disconnect(server->instance, &conn);
    atomic_store(&server->pipe.conn, (intptr_t)conn);
    atomic_store(&server->pipe.state, PIPE_DISCONNECTED);
    pipe_leave(&server->pipe);
    return true;
}

char *NamedPipeServerStream_GetImpersonationUserName(NamedPipeServerStream *server)
{
    if (!as_server(server) || !check_io_state(&server->pipe, true))
        return NULL;
    sp_clear();
    if (!pipe_enter(&server->pipe))
        return NULL;
    char *name = sp_os_pipe_peer_user_name(conn_of(&server->pipe));
    pipe_leave(&server->pipe);
    return name;
}

bool NamedPipeServerStream_RunAsClient(NamedPipeServerStream *server, void (*worker)(void *state), void *state)
{
    if (!as_server(server))
        return false;
    if (!worker) {
        sp_throw_null("impersonationWorker");
        return false;
    }
    if (!check_io_state(&server->pipe, true))
        return false;
    sp_clear();
    if (!pipe_enter(&server->pipe))
        return false;
    bool ok = sp_os_pipe_run_as_client(conn_of(&server->pipe), worker, state);
    pipe_leave(&server->pipe);
    return ok;
}

/* ================================================================ NamedPipeClientStream */

#undef NamedPipeClientStream_new
#undef NamedPipeClientStream_Connect

NamedPipeClientStream *NamedPipeClientStream_new_ex(const char *serverName, const char *pipeName, PipeDirection direction,
                                                    PipeOptions options, SpTokenImpersonationLevel impersonationLevel,
                                                    HandleInheritability inheritability)
{
    if (!check_name(pipeName, "pipeName"))
        return NULL;
    if (!serverName) {
        sp_throw_null("serverName");
        return NULL;
    }
    if (!*serverName) {
        sp_throw(ExceptionType_ArgumentException, "serverName cannot be an empty string.  Use \\\\\".\\\\\" for current machine.", NULL);
        return NULL;
    }
    if (!check_direction(direction) || !check_options(options, false))
        return NULL;
    if (impersonationLevel < TokenImpersonationLevel_None || impersonationLevel > TokenImpersonationLevel_Delegation) {
        sp_throw_out_of_range("impersonationLevel", "TokenImpersonationLevel.None, TokenImpersonationLevel.Anonymous, TokenImpersonationLevel.Identification, TokenImpersonationLevel.Impersonation or TokenImpersonationLevel.Delegation required.");
        return NULL;
    }
    if (inheritability < HandleInheritability_None || inheritability > HandleInheritability_Inheritable) {
        sp_throw_out_of_range("inheritability", "HandleInheritability.None or HandleInheritability.Inheritable required.");
        return NULL;
    }
    char *path = sp_os_pipe_path(serverName, pipeName);
    if (!path)
        return NULL;
    sp_pipe_config config = {direction, PipeTransmissionMode_Byte, options, 1, 0, 0, impersonationLevel, inheritability};
    NamedPipeClientStream *c = pipe_alloc(sizeof *c, &sp_type_NamedPipeClientStream, &config, true);
    if (!c) {
        free(path);
        return NULL;
    }
    c->path = path;
    sp_clear();
    return c;
}

NamedPipeClientStream *NamedPipeClientStream_new(const char *pipeName)
{
    return NamedPipeClientStream_new_ex(".", pipeName, PipeDirection_InOut, PipeOptions_None, TokenImpersonationLevel_None,
                                        HandleInheritability_None);
}

static NamedPipeClientStream *as_client(NamedPipeClientStream *c)
{
    return (NamedPipeClientStream *)sp_check_type(c, &sp_type_NamedPipeClientStream, "client");
}

/* .NET polls with at most 50 ms between attempts; starting faster makes a late server cheap. */
#define SP_CONNECT_MAX_BACKOFF_MS 50

bool NamedPipeClientStream_ConnectWithTimeout(NamedPipeClientStream *client, int32_t timeout)
{
    if (!as_client(client))
        return false;
    if (timeout < -1) {
        sp_throw_out_of_range("timeout", "Timeout must be non-negative or equal to -1 (Timeout.Infinite)");
        return false;
    }
    int state = state_of(&client->pipe);
    if (state == PIPE_CONNECTED) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_ALREADY_CONNECTED, NULL);
        return false;
    }
    if (state == PIPE_CLOSED) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    sp_clear();
    if (!pipe_enter(&client->pipe))
        return false;
    bool ok = false;
    int64_t start = sp_os_now_ms();
    int32_t backoff = 1;
    for (;;) {
        int64_t elapsed = sp_os_now_ms() - start;
        int32_t wait = timeout == -1 ? SP_CONNECT_MAX_BACKOFF_MS : (int32_t)(timeout - elapsed > 0 ? timeout - elapsed : 0);
        sp_os_pipe conn = SP_OS_PIPE_INVALID;
        int r = sp_os_pipe_client_try_connect(client->path, &client->pipe.config, wait, &conn);
        if (r < 0)
            break;
        if (r == 1) {
            sp_os_pipe old = (sp_os_pipe)atomic_exchange(&client->pipe.conn, (intptr_t)conn);
            if (old != SP_OS_PIPE_INVALID) /* a broken earlier connection */
                sp_os_pipe_close(old);
            int expected = state;
            if (atomic_compare_exchange_strong(&client->pipe.state, &expected, PIPE_CONNECTED)) {
                client->pipe.message_complete = true;
                ok = true;
            } else {
                sp_os_pipe_interrupt(conn);
                sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
            }
            break;
        }
        elapsed = sp_os_now_ms() - start;
        if (timeout != -1 && elapsed >= timeout) {
            sp_throw(ExceptionType_TimeoutException, NULL, NULL);
            break;
        }
        int32_t nap = backoff;
        if (timeout != -1 && nap > timeout - elapsed)
            nap = (int32_t)(timeout - elapsed);
        if (sp_os_waker_sleep(client->pipe.waker, nap)) {
            sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
            break;
        }
        backoff = backoff * 2 > SP_CONNECT_MAX_BACKOFF_MS ? SP_CONNECT_MAX_BACKOFF_MS : backoff * 2;
    }
    pipe_leave(&client->pipe);
    return ok;
}

bool NamedPipeClientStream_Connect(NamedPipeClientStream *client)
{
    return NamedPipeClientStream_ConnectWithTimeout(client, -1);
}

int32_t NamedPipeClientStream_get_NumberOfServerInstances(NamedPipeClientStream *client)
{
    if (!as_client(client) || !property_pipe(&client->pipe))
        return -1;
    return sp_os_pipe_instance_count(conn_of(&client->pipe));
}

/* ================================================================ anonymous pipes */

#undef AnonymousPipeServerStream_new
#undef AnonymousPipeClientStream_new

AnonymousPipeServerStream *AnonymousPipeServerStream_new_ex(PipeDirection direction, HandleInheritability inheritability,
                                                            int32_t bufferSize)
{
    if (direction == PipeDirection_InOut) {
        sp_throw(ExceptionType_NotSupportedException, MSG_ONE_DIRECTION, NULL);
        return NULL;
    }
    if (!check_direction(direction))
        return NULL;
    if (inheritability < HandleInheritability_None || inheritability > HandleInheritability_Inheritable) {
        sp_throw_out_of_range("inheritability", "HandleInheritability.None or HandleInheritability.Inheritable required.");
        return NULL;
    }
    if (bufferSize < 0) {
        sp_throw_need_nonneg("bufferSize");
        return NULL;
    }
    sp_pipe_config config = {direction, PipeTransmissionMode_Byte, PipeOptions_None, 1, bufferSize, bufferSize,
                             TokenImpersonationLevel_None, inheritability};
    AnonymousPipeServerStream *a = pipe_alloc(sizeof *a, &sp_type_AnonymousPipeServerStream, &config, false);
    if (!a)
        return NULL;
    a->client_end = SP_OS_PIPE_INVALID;
    a->pipe.release = release_anonymous_server;
    sp_os_pipe server_end = SP_OS_PIPE_INVALID;
    int32_t err = sp_os_anonymous_pipe_new(direction, inheritability, bufferSize, &server_end, &a->client_end);
    atomic_store(&a->pipe.conn, (intptr_t)server_end);
    if (err) {
        sp_os_throw_io_error(err, NULL);
        return abandon(&a->pipe);
    }
    atomic_store(&a->pipe.state, PIPE_CONNECTED);
    sp_clear();
    return a;
}

AnonymousPipeServerStream *AnonymousPipeServerStream_new(void)
{
    return AnonymousPipeServerStream_new_ex(PipeDirection_Out, HandleInheritability_None, 0);
}

static AnonymousPipeServerStream *as_anonymous_server(AnonymousPipeServerStream *a)
{
    return (AnonymousPipeServerStream *)sp_check_type(a, &sp_type_AnonymousPipeServerStream, "server");
}

char *AnonymousPipeServerStream_GetClientHandleAsString(AnonymousPipeServerStream *server)
{
    if (!as_anonymous_server(server))
        return NULL;
    if (server->client_end == SP_OS_PIPE_INVALID) {
        sp_throw(ExceptionType_ObjectDisposedException, "Cannot access a closed pipe.", NULL);
        return NULL;
    }
    sp_clear();
    char *s = sp_os_pipe_to_string(server->client_end);
    if (!s)
        sp_throw_out_of_memory();
    return s;
}

bool AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(AnonymousPipeServerStream *server)
{
    if (!as_anonymous_server(server))
        return false;
    sp_clear();
    if (server->client_end != SP_OS_PIPE_INVALID) {
        sp_os_pipe_close(server->client_end);
        server->client_end = SP_OS_PIPE_INVALID;
    }
    return true;
}

AnonymousPipeClientStream *AnonymousPipeClientStream_new_ex(PipeDirection direction, const char *pipeHandleAsString)
{
    if (direction == PipeDirection_InOut) {
        sp_throw(ExceptionType_NotSupportedException, MSG_ONE_DIRECTION, NULL);
        return NULL;
    }
    if (!pipeHandleAsString) {
        sp_throw_null("pipeHandleAsString");
        return NULL;
    }
    if (!check_direction(direction))
        return NULL;
    sp_pipe_config config = {direction, PipeTransmissionMode_Byte, PipeOptions_None, 1, 0, 0,
                             TokenImpersonationLevel_None, HandleInheritability_None};
    sp_os_pipe end;
    if (!sp_os_pipe_from_string(pipeHandleAsString, &end))
        return NULL;
    AnonymousPipeClientStream *a = pipe_alloc(sizeof *a, &sp_type_AnonymousPipeClientStream, &config, false);
    if (!a)
        return NULL;
    atomic_store(&a->pipe.conn, (intptr_t)end);
    atomic_store(&a->pipe.state, PIPE_CONNECTED);
    sp_clear();
    return a;
}

AnonymousPipeClientStream *AnonymousPipeClientStream_new(const char *pipeHandleAsString)
{
    return AnonymousPipeClientStream_new_ex(PipeDirection_In, pipeHandleAsString);
}
