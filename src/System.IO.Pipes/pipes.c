/* PipeStream and its four kinds: the state machine and the checks of .NET's PipeStream.cs, over
 * the OS pipes of platform.h. */
#include "System.IO/stream.h"
#include "core/handle.h"
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
    /* The current connection (an sp_os_pipe in an sp_handle). Every call that uses it pins the
     * object and the handle (sp_call_enter); Dispose and Disconnect take it out of the slot and
     * close it, and the OS value goes when the last call using it leaves. */
    sp_handle_slot conn;
    atomic_int state;
    sp_pipe_config config;
    PipeTransmissionMode read_mode;
    bool message_complete;
    sp_os_waker *waker; /* Dispose signals it: it wakes waits and, where the OS needs it, I/O */
};

struct NamedPipeServerStream {
    PipeStream pipe;
    /* The sp_os_pipe_server; each of its connection handles holds a reference, so the instance
     * outlives every call on any of its connections. */
    sp_handle *instance;
};

struct NamedPipeClientStream {
    PipeStream pipe;
    char *path;
};

struct AnonymousPipeServerStream {
    PipeStream pipe;
    atomic_intptr_t client_end; /* an sp_os_pipe; only handed out as text, never used for I/O */
};

struct AnonymousPipeClientStream {
    PipeStream pipe;
};

static sp_os_pipe value_of(sp_handle *h) { return (sp_os_pipe)sp_handle_value(h); }
static sp_os_pipe_server *instance_of(NamedPipeServerStream *s) { return (sp_os_pipe_server *)sp_handle_value(s->instance); }

/* ---------------------------------------------------------------- handles */

/* The release functions run when the last reference to a handle goes; they never touch the
 * stream, which may be gone by then. */
static void release_pipe(intptr_t value, void *context)
{
    (void)context;
    sp_os_pipe_close((sp_os_pipe)value);
}

static void release_instance(intptr_t value, void *context)
{
    (void)context;
    sp_os_pipe_server_free((sp_os_pipe_server *)value);
}

/* A server's connection: given back to its instance, which it keeps alive until then. */
static void release_server_connection(intptr_t value, void *context)
{
    sp_handle *instance = context;
    sp_os_pipe_server_release_connection((sp_os_pipe_server *)sp_handle_value(instance), (sp_os_pipe)value);
    sp_handle_release(instance);
}

/* A handle owning a client or anonymous pipe end; on failure (OutOfMemoryException) the end is
 * closed. */
static sp_handle *pipe_handle(sp_os_pipe end)
{
    sp_handle *h = sp_handle_new((intptr_t)end, release_pipe, NULL);
    if (!h)
        sp_os_pipe_close(end);
    return h;
}

/* A handle for a connection of server's instance (or its own handle between connections). On
 * failure the connection is given back: ObjectDisposedException when the instance was closed
 * meanwhile, OutOfMemoryException. The caller has the instance pinned. */
static sp_handle *server_connection_handle(NamedPipeServerStream *server, sp_os_pipe conn)
{
    if (!sp_handle_add_ref(server->instance)) {
        sp_os_pipe_server_release_connection(instance_of(server), conn);
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return NULL;
    }
    sp_handle *h = sp_handle_new((intptr_t)conn, release_server_connection, server->instance);
    if (!h) {
        sp_os_pipe_server_release_connection(instance_of(server), conn);
        sp_handle_release(server->instance);
    }
    return h;
}

/* Takes p's connection out of its slot, wakes the calls blocked on it and closes it (its OS
 * value goes when they have left). */
static void drop_connection(PipeStream *p, sp_handle *next)
{
    sp_handle *old = sp_handle_slot_exchange(&p->conn, next);
    if (old) {
        sp_os_pipe_interrupt(value_of(old));
        sp_handle_close(old);
    }
}

/* Makes h p's connection (closing the one before, an earlier broken connection or a server's idle
 * handle). False with ObjectDisposedException when p was disposed meanwhile: whoever takes h out
 * of the slot, Dispose or this, closes it. */
static bool install_connection(PipeStream *p, sp_handle *h)
{
    sp_handle *old = sp_handle_slot_exchange(&p->conn, h);
    if (old)
        sp_handle_close(old);
    /* Dispose marks the object closed before it empties the slot: either it saw h, or we see it. */
    if (sp_object_is_closed(&p->stream.base)) {
        drop_connection(p, NULL);
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    return true;
}

/* Pins p and its current connection for a call: the connection, or NULL with
 * ObjectDisposedException once p is closed or has no connection. */
static sp_handle *connection_enter(PipeStream *p)
{
    sp_handle *h = sp_handle_slot_acquire(&p->conn);
    if (!h) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return NULL;
    }
    bool pinned = sp_call_enter(&p->stream.base, h, MSG_PIPE_CLOSED);
    sp_handle_release(h); /* the slot's reference; the call holds its own */
    return pinned ? h : NULL;
}

/* Ends a call: after this the call must not touch p (the pin may have been its last reference). */
static void connection_leave(PipeStream *p, sp_handle *h) { sp_call_leave(&p->stream.base, h); }

/* ---------------------------------------------------------------- Dispose */

static bool pipe_close(Object *o)
{
    PipeStream *p = (PipeStream *)o;
    atomic_store(&p->state, PIPE_CLOSED);
    if (p->waker)
        sp_os_waker_signal(p->waker);
    drop_connection(p, NULL);
    return true;
}

static bool server_close(Object *o)
{
    pipe_close(o);
    sp_handle_close(((NamedPipeServerStream *)o)->instance); /* the name goes with the last connection */
    return true;
}

static bool anonymous_server_close(Object *o)
{
    pipe_close(o);
    sp_os_pipe end = (sp_os_pipe)atomic_exchange(&((AnonymousPipeServerStream *)o)->client_end, (intptr_t)SP_OS_PIPE_INVALID);
    if (end != SP_OS_PIPE_INVALID)
        sp_os_pipe_close(end);
    return true;
}

static void pipe_destroy(Object *o)
{
    PipeStream *p = (PipeStream *)o;
    if (p->waker)
        sp_os_waker_free(p->waker);
}

static void client_destroy(Object *o)
{
    pipe_destroy(o);
    free(((NamedPipeClientStream *)o)->path);
}

const sp_type sp_type_PipeStream = {"System.IO.Pipes.PipeStream", &sp_type_Stream, pipe_close, pipe_destroy};
const sp_type sp_type_NamedPipeServerStream = {"System.IO.Pipes.NamedPipeServerStream", &sp_type_PipeStream, server_close, NULL};
const sp_type sp_type_NamedPipeClientStream = {"System.IO.Pipes.NamedPipeClientStream", &sp_type_PipeStream, NULL, client_destroy};
const sp_type sp_type_AnonymousPipeServerStream = {"System.IO.Pipes.AnonymousPipeServerStream", &sp_type_PipeStream, anonymous_server_close, NULL};
const sp_type sp_type_AnonymousPipeClientStream = {"System.IO.Pipes.AnonymousPipeClientStream", &sp_type_PipeStream, NULL, NULL};

static int state_of(PipeStream *p) { return atomic_load(&p->state); }
static bool has_connection(PipeStream *p) { return !sp_handle_slot_is_empty(&p->conn); }

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
    if (state == PIPE_CLOSED || !has_connection(p)) {
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
    sp_handle *h = connection_enter(p);
    if (!h)
        return -1;
    int32_t done = 0;
    bool complete = true;
    int32_t err = sp_os_pipe_read(value_of(h), p->waker, buffer, count, &done, &complete);
    int32_t result = done;
    if (sp_object_is_closed(&s->base)) { /* disposed by another thread while we waited */
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        result = -1;
    } else if (err && sp_handle_is_closed(h)) {
        /* Disconnect ended this connection under the read: end of stream, as .NET reads 0 for
         * ERROR_PIPE_NOT_CONNECTED */
        p->message_complete = true;
        result = 0;
    } else if (err && sp_os_pipe_error_is_broken(err)) {
        /* The peer is gone: end of stream (Windows marks the pipe broken, as .NET does). */
        int expected = PIPE_CONNECTED;
        atomic_compare_exchange_strong(&p->state, &expected, PIPE_BROKEN);
        p->message_complete = true;
        result = 0;
    } else if (err) {
        sp_os_pipe_throw_error(err);
        result = -1;
    } else {
        p->message_complete = complete;
    }
    connection_leave(p, h);
    return result;
}

static bool pipe_write(Stream *s, const uint8_t *buffer, int32_t count)
{
    PipeStream *p = (PipeStream *)s;
    if (!check_io_state(p, true))
        return false;
    if (count == 0)
        return true;
    sp_handle *h = connection_enter(p);
    if (!h)
        return false;
    int32_t err = sp_os_pipe_write(value_of(h), p->waker, buffer, count);
    if (err && sp_object_is_closed(&s->base)) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
    } else if (err) {
        if (sp_os_pipe_error_is_broken(err)) {
            int expected = PIPE_CONNECTED;
            atomic_compare_exchange_strong(&p->state, &expected, PIPE_BROKEN);
        }
        sp_os_pipe_throw_error(err);
    }
    connection_leave(p, h);
    return !err;
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

static void *pipe_alloc(size_t size, const sp_type *type, const sp_pipe_config *config)
{
    PipeStream *p = sp_object_new(size, type);
    if (!p)
        return NULL;
    sp_stream_init(&p->stream, &pipe_ops);
    p->conn = (sp_handle_slot)SP_HANDLE_SLOT_INIT;
    p->config = *config;
    p->read_mode = PipeTransmissionMode_Byte;
    p->message_complete = true;
    atomic_init(&p->state, PIPE_WAITING);
    if (!(p->waker = sp_os_waker_new())) {
        sp_object_release(&p->stream.base);
        return NULL;
    }
    return p;
}

/* Releases a half-built stream (its close gives back what it holds), keeping the exception that
 * explains why. */
static void *abandon(PipeStream *p)
{
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
    if (!has_connection(p)) {
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
        sp_handle *h = connection_enter(pipe);
        if (!h)
            return false;
        int32_t err = sp_os_pipe_set_read_mode(value_of(h), mode);
        if (err)
            sp_os_throw_io_error(err, NULL);
        else
            pipe->read_mode = mode;
        connection_leave(pipe, h);
        return !err;
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
    sp_handle *h = connection_enter(pipe);
    if (!h)
        return false;
    bool ok = sp_os_pipe_drain(value_of(h));
    connection_leave(pipe, h);
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
    if (!has_connection(pipe) && state_of(pipe) != PIPE_CLOSED &&
        sp_type_is(pipe->stream.base.type, &sp_type_NamedPipeServerStream)) {
        sp_clear();
        return in ? pipe->config.in_buffer_size : pipe->config.out_buffer_size;
    }
    if (!property_pipe(pipe))
        return -1;
    sp_handle *h = connection_enter(pipe);
    if (!h)
        return -1;
    int32_t size = 0;
    int32_t err = sp_os_pipe_buffer_size(value_of(h), in, &size);
    if (err) {
        sp_os_pipe_throw_error(err);
        size = -1;
    }
    connection_leave(pipe, h);
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
    NamedPipeServerStream *s = pipe_alloc(sizeof *s, &sp_type_NamedPipeServerStream, &config);
    if (!s) {
        free(path);
        return NULL;
    }
    s->pipe.read_mode = transmissionMode;
    sp_os_pipe_server *instance = sp_os_pipe_server_new(path, &config);
    free(path);
    if (!instance)
        return abandon(&s->pipe);
    if (!(s->instance = sp_handle_new((intptr_t)instance, release_instance, NULL))) {
        sp_os_pipe_server_free(instance);
        return abandon(&s->pipe);
    }
    /* Where the instance has a handle before a client comes (Windows), properties use it. */
    sp_os_pipe idle = sp_os_pipe_server_handle(instance);
    if (idle != SP_OS_PIPE_INVALID) {
        sp_handle *h = server_connection_handle(s, idle);
        if (!h)
            return abandon(&s->pipe);
        sp_handle_slot_exchange(&s->pipe.conn, h);
    }
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
    if (!sp_call_enter(&server->pipe.stream.base, server->instance, MSG_PIPE_CLOSED))
        return false;
    sp_os_pipe conn = SP_OS_PIPE_INVALID;
    int r = sp_os_pipe_server_accept(instance_of(server), server->pipe.waker, &conn);
    bool ok = false;
    if (r == 1) {
        sp_handle *h = server_connection_handle(server, conn);
        if (h && install_connection(&server->pipe, h)) {
            int expected = state;
            if (atomic_compare_exchange_strong(&server->pipe.state, &expected, PIPE_CONNECTED)) {
                server->pipe.message_complete = true;
                ok = true;
            } else { /* disposed while the client arrived: Dispose closes the connection */
                sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
            }
        }
    } else if (r == 0 || sp_object_is_closed(&server->pipe.stream.base)) {
        /* woken, or failed because Dispose cancelled the wait (CancelIoEx) */
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
    }
    sp_call_leave(&server->pipe.stream.base, server->instance);
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
    if (!sp_call_enter(&server->pipe.stream.base, server->instance, MSG_PIPE_CLOSED))
        return false;
    /* End the connection first (Windows: later I/O on it fails at once), then wake what blocks on
     * it; a read woken so holds its own reference, so the descriptor closes when it leaves. */
    sp_os_pipe_server_disconnect(instance_of(server));
    sp_handle *idle = NULL;
    sp_os_pipe handle = sp_os_pipe_server_handle(instance_of(server));
    bool ok = handle == SP_OS_PIPE_INVALID || (idle = server_connection_handle(server, handle)) != NULL;
    drop_connection(&server->pipe, idle);
    if (idle && sp_object_is_closed(&server->pipe.stream.base)) /* Dispose ran meanwhile */
        drop_connection(&server->pipe, NULL);
    int expected = state;
    atomic_compare_exchange_strong(&server->pipe.state, &expected, PIPE_DISCONNECTED);
    sp_call_leave(&server->pipe.stream.base, server->instance);
    return ok;
}

char *NamedPipeServerStream_GetImpersonationUserName(NamedPipeServerStream *server)
{
    if (!as_server(server) || !check_io_state(&server->pipe, true))
        return NULL;
    sp_clear();
    sp_handle *h = connection_enter(&server->pipe);
    if (!h)
        return NULL;
    char *name = sp_os_pipe_peer_user_name(value_of(h));
    connection_leave(&server->pipe, h);
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
    sp_handle *h = connection_enter(&server->pipe);
    if (!h)
        return false;
    bool ok = sp_os_pipe_run_as_client(value_of(h), worker, state);
    connection_leave(&server->pipe, h);
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
    NamedPipeClientStream *c = pipe_alloc(sizeof *c, &sp_type_NamedPipeClientStream, &config);
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
    if (!sp_call_enter(&client->pipe.stream.base, NULL, MSG_PIPE_CLOSED))
        return false;
    bool ok = false;
    int64_t start = sp_os_now_ms();
    int32_t backoff = 1;
    for (;;) {
        int64_t elapsed = sp_os_now_ms() - start;
        /* A busy server is waited for in slices, so that a Dispose is seen within one. */
        int32_t wait = timeout == -1 || timeout - elapsed > SP_CONNECT_MAX_BACKOFF_MS
                           ? SP_CONNECT_MAX_BACKOFF_MS
                           : (int32_t)(timeout - elapsed > 0 ? timeout - elapsed : 0);
        sp_os_pipe conn = SP_OS_PIPE_INVALID;
        int r = sp_os_pipe_client_try_connect(client->path, &client->pipe.config, wait, &conn);
        if (r < 0)
            break;
        if (r == 1) {
            sp_handle *h = pipe_handle(conn);
            /* install_connection closes a broken earlier connection */
            if (h && install_connection(&client->pipe, h)) {
                int expected = state;
                if (atomic_compare_exchange_strong(&client->pipe.state, &expected, PIPE_CONNECTED)) {
                    client->pipe.message_complete = true;
                    ok = true;
                } else { /* disposed meanwhile: Dispose closes the connection */
                    sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
                }
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
    sp_call_leave(&client->pipe.stream.base, NULL);
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
    sp_handle *h = connection_enter(&client->pipe);
    if (!h)
        return -1;
    int32_t count = sp_os_pipe_instance_count(value_of(h));
    connection_leave(&client->pipe, h);
    return count;
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
    AnonymousPipeServerStream *a = pipe_alloc(sizeof *a, &sp_type_AnonymousPipeServerStream, &config);
    if (!a)
        return NULL;
    atomic_init(&a->client_end, (intptr_t)SP_OS_PIPE_INVALID);
    sp_os_pipe server_end = SP_OS_PIPE_INVALID, client_end = SP_OS_PIPE_INVALID;
    int32_t err = sp_os_anonymous_pipe_new(direction, inheritability, bufferSize, &server_end, &client_end);
    if (err) {
        sp_os_throw_io_error(err, NULL);
        return abandon(&a->pipe);
    }
    atomic_store(&a->client_end, (intptr_t)client_end);
    sp_handle *h = pipe_handle(server_end);
    if (!h)
        return abandon(&a->pipe);
    sp_handle_slot_exchange(&a->pipe.conn, h);
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
    sp_os_pipe end = (sp_os_pipe)atomic_load(&server->client_end);
    if (end == SP_OS_PIPE_INVALID) {
        sp_throw(ExceptionType_ObjectDisposedException, "Cannot access a closed pipe.", NULL);
        return NULL;
    }
    sp_clear();
    char *s = sp_os_pipe_to_string(end);
    if (!s)
        sp_throw_out_of_memory();
    return s;
}

bool AnonymousPipeServerStream_DisposeLocalCopyOfClientHandle(AnonymousPipeServerStream *server)
{
    if (!as_anonymous_server(server))
        return false;
    sp_clear();
    sp_os_pipe end = (sp_os_pipe)atomic_exchange(&server->client_end, (intptr_t)SP_OS_PIPE_INVALID);
    if (end != SP_OS_PIPE_INVALID)
        sp_os_pipe_close(end);
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
    AnonymousPipeClientStream *a = pipe_alloc(sizeof *a, &sp_type_AnonymousPipeClientStream, &config);
    if (!a)
        return NULL;
    sp_handle *h = pipe_handle(end);
    if (!h)
        return abandon(&a->pipe);
    sp_handle_slot_exchange(&a->pipe.conn, h);
    atomic_store(&a->pipe.state, PIPE_CONNECTED);
    sp_clear();
    return a;
}

AnonymousPipeClientStream *AnonymousPipeClientStream_new(const char *pipeHandleAsString)
{
    return AnonymousPipeClientStream_new_ex(PipeDirection_In, pipeHandleAsString);
}
