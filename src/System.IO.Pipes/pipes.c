/* PipeStream and its four kinds: the state machine and the checks of .NET's PipeStream.cs, over
 * the OS pipes of platform.h. */
#include "System.IO/stream.h"
#include "core/handle.h"
#include "platform/platform.h"

#include <errno.h>
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
#define MSG_ALL_BUSY "All pipe instances are busy."
#define MSG_FILE_EXISTS "The file '%s' already exists."
#define MSG_ACCESS_DENIED "Access to the path '%s' is denied."
#define MSG_REMOTE "Access to remote named pipes is not supported on this platform."
#define MSG_RESERVED "The pipeName \"anonymous\" is reserved."
#define MSG_INVALID_NAME "The name of a pipe on this platform must be a valid file name or a valid absolute path to a file name."
#define MSG_PATH_LENGTH "The path '%s' is of an invalid length for use with domain sockets on this platform.  The length must be between 1 and %d characters, inclusive."
#define MSG_NOT_SUPPORTED "Operation is not supported on this platform."
#define MSG_NOT_OWNED "Could not connect to the pipe because it was not owned by the current user."
#define MSG_CLIENT_REFUSED "Client connection (user id %u) was refused because it was not owned by the current user (id %u)."
#define MSG_INVALID_HANDLE "Invalid handle."
#define MSG_INVALID_PIPE_HANDLE "Invalid pipe handle."

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

/* ---------------------------------------------------------------- OS error codes */

/* .NET's Win32Marshal.MakeHRFromErrorCode. */
static int32_t hresult_of(int32_t code)
{
    return code <= 0 ? code : (int32_t)(0x80070000u | ((uint32_t)code & 0xFFFFu));
}

/* .NET's WinIOError: the broken codes are "Pipe is broken.", the rest the OS's mapping (also what
 * .NET raises on Unix for the calls that are not socket I/O). */
static void throw_os_error(int32_t code)
{
    switch (sp_os_pipe_error_kind(code)) {
    case SP_PIPE_ERROR_OUT_OF_MEMORY:
        sp_throw_out_of_memory();
        break;
    case SP_PIPE_ERROR_BROKEN:
        sp_throw(ExceptionType_IOException, MSG_BROKEN, NULL);
        sp_exception_set_hresult(hresult_of(code));
        sp_exception_set_native_code(code);
        break;
    default:
        sp_os_throw_io_error(code, NULL);
        break;
    }
}

/* A SocketException as .NET's: the OS's text, then the endpoint if any. */
static void throw_socket_error(int32_t code, const char *endpoint)
{
    char text[256];
    sp_os_error_text(code, text, sizeof text);
    if (endpoint)
        sp_throwf(ExceptionType_SocketException, NULL, "%s %s", text, endpoint);
    else
        sp_throw(ExceptionType_SocketException, text, NULL);
    sp_exception_set_native_code(code);
    sp_exception_set_socket_error(sp_os_pipe_socket_error(code));
}

/* Read, write and buffer errors: .NET on Unix wraps the SocketException in an IOException with
 * its text; Windows is WinIOError. */
static void throw_io_error(int32_t code)
{
    if (!sp_os_pipe_is_socket()) {
        throw_os_error(code);
        return;
    }
    char text[256];
    sp_os_error_text(code, text, sizeof text);
    sp_throw(ExceptionType_IOException, text, NULL);
    sp_exception_set_native_code(code);
}

/* Accept and connect errors: socket pipes let the SocketException out; Windows is WinIOError. */
static void throw_connection_error(int32_t code, const char *endpoint)
{
    if (sp_os_pipe_error_kind(code) == SP_PIPE_ERROR_OUT_OF_MEMORY || !sp_os_pipe_is_socket())
        throw_os_error(code);
    else
        throw_socket_error(code, endpoint);
}

/* Creating a server instance: .NET's Unix SharedServer texts; Windows is WinIOError. */
static void throw_server_error(int32_t code, const char *path)
{
    if (!sp_os_pipe_is_socket()) {
        throw_os_error(code);
        return;
    }
    switch (sp_os_pipe_error_kind(code)) {
    case SP_PIPE_ERROR_BUSY:
        sp_throw(ExceptionType_IOException, MSG_ALL_BUSY, NULL);
        break;
    case SP_PIPE_ERROR_ALREADY_EXISTS:
        sp_throwf(ExceptionType_IOException, NULL, MSG_FILE_EXISTS, path);
        break;
    case SP_PIPE_ERROR_ACCESS_DENIED: /* the in-process instance rule, as .NET's SharedServer */
        sp_throwf(ExceptionType_UnauthorizedAccessException, NULL, MSG_ACCESS_DENIED, path);
        break;
    case SP_PIPE_ERROR_NOT_FOUND:
    case SP_PIPE_ERROR_PATH_NOT_FOUND:
        sp_os_throw_io_error(code, path);
        break;
    default:
        throw_connection_error(code, path);
        break;
    }
}

/* WaitForPipeDrain and NumberOfServerInstances where the OS has neither. */
static void throw_unsupported_or(int32_t code)
{
    if (sp_os_pipe_error_kind(code) == SP_PIPE_ERROR_NOT_SUPPORTED)
        sp_throw(ExceptionType_PlatformNotSupportedException, MSG_NOT_SUPPORTED, NULL);
    else
        throw_os_error(code);
}

/* ---------------------------------------------------------------- names */

static bool ascii_equal_ignore_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static char *full_path(const char *serverName, const char *pipeName)
{
    size_t n = sp_os_pipe_full_path(serverName, pipeName, NULL, 0) + 1;
    char *path = sp_malloc(n);
    if (path)
        sp_os_pipe_full_path(serverName, pipeName, path, n);
    return path;
}

/* The OS path of a named pipe, checked as .NET checks it on this OS (PipeStream.Unix.cs
 * GetPipePath; NamedPipe*Stream.Windows.cs): remote servers, "anonymous" reserved, the names a
 * file-system pipe cannot have. NULL with the exception. */
static char *pipe_path(const char *serverName, const char *pipeName)
{
    if (!sp_os_pipe_remote_supported() && !sp_os_pipe_server_is_local(serverName)) {
        sp_throw(ExceptionType_PlatformNotSupportedException, MSG_REMOTE, NULL);
        return NULL;
    }
    bool names_are_paths = sp_os_pipe_names_are_paths();
    bool rooted = names_are_paths && pipeName[0] == '/';
    char *path = full_path(serverName, pipeName);
    if (!path)
        return NULL;
    if (!rooted) { /* the name, as this machine's pipe, is "anonymous" */
        char *reserved = full_path(".", "anonymous");
        bool is_reserved = reserved && ascii_equal_ignore_case(path, reserved);
        free(reserved);
        if (!reserved || is_reserved) {
            free(path);
            if (is_reserved)
                sp_throw_out_of_range("pipeName", MSG_RESERVED);
            return NULL;
        }
    }
    if (names_are_paths && (rooted ? pipeName[strlen(pipeName) - 1] == '/' : strchr(pipeName, '/') != NULL)) {
        free(path);
        sp_throw(ExceptionType_PlatformNotSupportedException, MSG_INVALID_NAME, NULL);
        return NULL;
    }
    return path;
}

/* UnixDomainSocketEndPoint's check, where the OS limits a pipe path. */
static bool check_path_length(const char *path)
{
    size_t max = sp_os_pipe_max_path_length();
    if (max && strlen(path) + 1 > max) {
        sp_throwf(ExceptionType_ArgumentOutOfRangeException, "path", MSG_PATH_LENGTH, path, (int)max);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- handles */

static sp_os_pipe value_of(sp_handle *h) { return (sp_os_pipe)sp_handle_value(h); }
static sp_os_pipe_server *instance_of(NamedPipeServerStream *s) { return (sp_os_pipe_server *)sp_handle_value(s->instance); }

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
    } else if (err && sp_os_pipe_error_kind(err) == SP_PIPE_ERROR_BROKEN) {
        /* The peer is gone: end of stream (Windows marks the pipe broken, as .NET does). */
        int expected = PIPE_CONNECTED;
        atomic_compare_exchange_strong(&p->state, &expected, PIPE_BROKEN);
        p->message_complete = true;
        result = 0;
    } else if (err) {
        throw_io_error(err);
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
        if (sp_os_pipe_error_kind(err) == SP_PIPE_ERROR_BROKEN) {
            int expected = PIPE_CONNECTED;
            atomic_compare_exchange_strong(&p->state, &expected, PIPE_BROKEN);
        }
        throw_io_error(err);
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
    int32_t err = sp_os_waker_new(&p->waker);
    if (err) {
        throw_os_error(err);
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
    int32_t err = sp_os_pipe_drain(value_of(h));
    if (err)
        throw_unsupported_or(err);
    connection_leave(pipe, h);
    return !err;
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
        throw_io_error(err);
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
    char *path = pipe_path(".", pipeName);
    if (!path)
        return NULL;
    if (!check_path_length(path)) { /* the server checks it when it binds, in its constructor */
        free(path);
        return NULL;
    }
    sp_pipe_config config = {direction, transmissionMode, options, maxNumberOfServerInstances,
                             inBufferSize, outBufferSize, TokenImpersonationLevel_None, HandleInheritability_None};
    NamedPipeServerStream *s = pipe_alloc(sizeof *s, &sp_type_NamedPipeServerStream, &config);
    if (!s) {
        free(path);
        return NULL;
    }
    s->pipe.read_mode = transmissionMode;
    sp_os_pipe_server *instance = NULL;
    int32_t err = sp_os_pipe_server_new(path, &config, &instance);
    if (err)
        throw_server_error(err, path);
    free(path);
    if (err)
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
    int32_t err = sp_os_pipe_server_accept(instance_of(server), server->pipe.waker, &conn);
    if (!err && (server->pipe.config.options & PipeOptions_CurrentUserOnly) && sp_os_pipe_server_checks_peer_user()) {
        bool same = false;
        uint32_t peer = 0, self = 0;
        int32_t check = sp_os_pipe_peer_is_current_user(conn, &same, &peer, &self);
        if (check || !same) {
            sp_os_pipe_server_release_connection(instance_of(server), conn);
            if (check)
                throw_connection_error(check, NULL);
            else
                sp_throwf(ExceptionType_UnauthorizedAccessException, NULL, MSG_CLIENT_REFUSED, (unsigned)peer,
                          (unsigned)self);
            sp_call_leave(&server->pipe.stream.base, server->instance);
            return false;
        }
    }
    bool ok = false;
    if (!err) {
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
    } else if (sp_os_pipe_error_kind(err) == SP_PIPE_ERROR_CANCELLED || sp_object_is_closed(&server->pipe.stream.base)) {
        /* woken, or failed because Dispose cancelled the wait (CancelIoEx) */
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
    } else {
        throw_connection_error(err, NULL);
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
    int32_t err = sp_os_pipe_server_disconnect(instance_of(server));
    if (err) { /* .NET: the exception, and the state stays */
        throw_os_error(err);
        sp_call_leave(&server->pipe.stream.base, server->instance);
        return false;
    }
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
    char *name = NULL;
    int32_t err = sp_os_pipe_peer_user_name(value_of(h), &name);
    if (err)
        throw_os_error(err);
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
    int32_t err = sp_os_pipe_run_as_client(value_of(h), worker, state);
    if (err)
        throw_os_error(err);
    connection_leave(&server->pipe, h);
    return !err;
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
    char *path = pipe_path(serverName, pipeName);
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
    /* the client makes its endpoint, and so checks the path, in Connect */
    if (!check_path_length(client->path))
        return false;
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
        int32_t err = sp_os_pipe_client_try_connect(client->path, &client->pipe.config, wait, &conn);
        if (!err && (client->pipe.config.options & PipeOptions_CurrentUserOnly)) { /* ValidateRemotePipeUser */
            bool same = false;
            uint32_t peer, self;
            if (sp_os_pipe_peer_is_current_user(conn, &same, &peer, &self) || !same) {
                sp_os_pipe_close(conn);
                sp_throw(ExceptionType_UnauthorizedAccessException, MSG_NOT_OWNED, NULL);
                break;
            }
        }
        sp_pipe_error_kind kind = err ? sp_os_pipe_error_kind(err) : SP_PIPE_ERROR_OTHER;
        if (err && kind != SP_PIPE_ERROR_NOT_FOUND && kind != SP_PIPE_ERROR_BUSY) {
            throw_connection_error(err, client->path);
            break;
        }
        if (!err) {
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
    int32_t count = -1;
    int32_t err = sp_os_pipe_instance_count(value_of(h), &count);
    if (err) {
        throw_unsupported_or(err);
        count = -1;
    }
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
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)sp_os_pipe_to_number(end));
    return sp_strdup(text);
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
    /* long.TryParse, then ValidateHandleIsPipe */
    char *stop;
    errno = 0;
    long long value = strtoll(pipeHandleAsString, &stop, 10);
    sp_os_pipe end = SP_OS_PIPE_INVALID;
    int32_t err = errno || stop == pipeHandleAsString || *stop ? sp_os_error_invalid_parameter()
                                                               : sp_os_pipe_from_number(value, &end);
    if (err == sp_os_error_invalid_parameter()) {
        sp_throw(ExceptionType_ArgumentException, MSG_INVALID_HANDLE, "pipeHandleAsString");
        return NULL;
    }
    if (err) {
        sp_throw(ExceptionType_IOException, MSG_INVALID_PIPE_HANDLE, NULL);
        return NULL;
    }
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
