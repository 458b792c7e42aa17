/* PipeStream: the state machine and the checks of .NET's PipeStream.cs, over the OS pipes of
 * platform.h, and what its four kinds share (pipes.h). */
#include "System.IO.Pipes/pipes.h"

#include <stdio.h>

#define MSG_REMOTE SP_SR_TEXT(PlatformNotSupported_RemotePipes)
#define MSG_RESERVED SP_SR_TEXT(ArgumentOutOfRange_AnonymousReserved)
#define MSG_INVALID_NAME SP_SR_TEXT(PlatformNotSupported_InvalidPipeNameChars)
#define MSG_PATH_LENGTH SP_SR_TEXT(ArgumentOutOfRange_PathLengthInvalid)
#define MSG_NOT_SUPPORTED SP_SR_TEXT(Arg_PlatformNotSupported)

/* ---------------------------------------------------------------- OS error codes */

/* .NET's Win32Marshal.MakeHRFromErrorCode. */
static int32_t hresult_of(int32_t code)
{
    return code <= 0 ? code : (int32_t)(0x80070000u | ((uint32_t)code & 0xFFFFu));
}

/* .NET's WinIOError: the broken codes are "Pipe is broken.", the rest the OS's mapping (also what
 * .NET raises on Unix for the calls that are not socket I/O). */
void sp_pipe_throw_os_error(int32_t code)
{
    switch (sp_os_pipe_error_kind(code)) {
    case SP_ERR_NO_MEMORY: sp_throw_out_of_memory(); break;
    case SP_ERR_BROKEN:
        sp_throw(ExceptionType_IOException, MSG_BROKEN, NULL);
        sp_exception_set_hresult(hresult_of(code));
        sp_exception_set_native_code(code);
        break;
    default: sp_throw_io_error(code, NULL); break;
    }
}

/* Read, write and buffer errors: .NET on Unix wraps the SocketException in an IOException with
 * its text; Windows is WinIOError. */
void sp_pipe_throw_io_error(int32_t code)
{
    if (!sp_os_pipe_is_socket()) {
        sp_pipe_throw_os_error(code);
        return;
    }
    char text[256];
    sp_os_error_text(code, text, sizeof text);
    sp_throw(ExceptionType_IOException, text, NULL);
    sp_exception_set_native_code(code);
}

/* Accept and connect errors: socket pipes let the SocketException out; Windows is WinIOError. */
void sp_pipe_throw_connection_error(int32_t code, const char *endpoint)
{
    if (sp_os_pipe_error_kind(code) == SP_ERR_NO_MEMORY || !sp_os_pipe_is_socket())
        sp_pipe_throw_os_error(code);
    else
        sp_throw_socket_error(code, endpoint);
}

/* WaitForPipeDrain and NumberOfServerInstances where the OS has neither. */
void sp_pipe_throw_unsupported_or(int32_t code)
{
    if (sp_os_pipe_error_kind(code) == SP_ERR_NOT_SUPPORTED)
        sp_throw(ExceptionType_PlatformNotSupportedException, MSG_NOT_SUPPORTED, NULL);
    else
        sp_pipe_throw_os_error(code);
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
char *sp_pipe_path(const char *serverName, const char *pipeName)
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
bool sp_pipe_check_path_length(const char *path)
{
    size_t max = sp_os_pipe_max_path_length();
    if (max && strlen(path) + 1 > max) {
        sp_throwf(ExceptionType_ArgumentOutOfRangeException, "path", MSG_PATH_LENGTH, path, (int)max);
        sp_exception_set_actual_value(path); /* ArgumentOutOfRangeException(paramName, actualValue: path, ...) */
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- handles */

/* The release functions run when the last reference to a handle goes; they never touch the
 * stream, which may be gone by then. */
static void release_pipe(intptr_t value, void *context)
{
    (void)context;
    sp_os_pipe_close((sp_os_pipe)value);
}

/* A handle owning a client or anonymous pipe end; on failure (OutOfMemoryException) the end is
 * closed. */
sp_handle *sp_pipe_handle_new(sp_os_pipe end)
{
    sp_handle *h = sp_handle_new((intptr_t)end, release_pipe, NULL);
    if (!h)
        sp_os_pipe_close(end);
    else
        sp_handle_keep(h); /* the slot's keep (pipes.h) */
    return h;
}

/* Takes p's connection out of its slot, wakes the calls blocked on it and closes it (its OS
 * value goes when they have left). The wake-up holds a reference of its own: the value may have
 * been closed meanwhile through the stream's SafePipeHandle (SafeHandle_Close, another stream on
 * it) while a call still blocks on it, which must be woken all the same, and with no reference a
 * close on another thread could release the value, and another open reuse its number, under the
 * interrupt (a shutdown of somebody else's socket). */
void sp_pipe_drop_connection(PipeStream *p, sp_handle *next)
{
    sp_handle *old = sp_handle_slot_exchange(&p->conn, next);
    if (old) {
        if (sp_handle_add_ref_live(old)) {
            sp_os_pipe_interrupt(sp_pipe_value(old));
            sp_handle_release(old);
        }
        sp_handle_close(old);
        sp_handle_unkeep(old);
    }
}

/* Makes h p's connection (closing the one before, an earlier broken connection or a server's idle
 * handle). False with ObjectDisposedException when p was disposed meanwhile: whoever takes h out
 * of the slot, Dispose or this, closes it. */
bool sp_pipe_install_connection(PipeStream *p, sp_handle *h)
{
    sp_handle *old = sp_handle_slot_exchange(&p->conn, h);
    if (old) {
        sp_handle_close(old);
        sp_handle_unkeep(old);
    }
    /* Dispose marks the object closed before it empties the slot: either it saw h, or we see it. */
    if (sp_object_is_closed(&p->stream.base)) {
        sp_pipe_drop_connection(p, NULL);
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return false;
    }
    return true;
}

static bool check_io_state(PipeStream *p, bool writing, bool connection);

/* Pins p and its current connection for a call: the connection, or NULL with
 * ObjectDisposedException once p is closed (InvalidOperationException once a server has
 * disconnected it). The reference the slot gives is the call's: a Disconnect that closes the
 * handle right after leaves the call a handle it may still use (its I/O then ends at once). */
/* The connection of a call that has already pinned p (sp_call_enter); on failure the pin is let go. */
static sp_handle *connection_of_pinned(PipeStream *p)
{
    sp_handle *h = sp_handle_slot_acquire(&p->conn);
    if (!h) {
        if (sp_pipe_state(p) == PIPE_DISCONNECTED)
            sp_throw(ExceptionType_InvalidOperationException, MSG_DISCONNECTED, NULL);
        else
            sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        sp_call_leave(&p->stream.base, NULL);
    }
    return h;
}

sp_handle *sp_pipe_connection_enter(PipeStream *p)
{
    if (!sp_call_enter(&p->stream.base, NULL, MSG_PIPE_CLOSED))
        return NULL;
    return connection_of_pinned(p);
}

/* A read's or a write's pin (the stream layer leaves pinning to pipe_ops, pins_itself): p, then
 * .NET's state checks, then the connection. NULL with the exception; *empty for a call of 0 bytes,
 * which checks the state and touches no connection (the pin is then already let go). */
static sp_handle *io_enter(PipeStream *p, bool writing, int32_t count, bool *empty)
{
    *empty = false;
    if (!sp_call_enter(&p->stream.base, NULL, MSG_PIPE_CLOSED))
        return NULL;
    bool ok = check_io_state(p, writing, false);
    if (!ok || count == 0) {
        *empty = ok;
        sp_call_leave(&p->stream.base, NULL);
        return NULL;
    }
    return connection_of_pinned(p);
}

/* ---------------------------------------------------------------- Dispose */

bool sp_pipe_close(Object *o)
{
    PipeStream *p = (PipeStream *)o;
    atomic_store(&p->state, PIPE_CLOSED);
    if (p->waker)
        sp_os_waker_signal(p->waker);
    sp_pipe_drop_connection(p, NULL);
    return true;
}

void sp_pipe_destroy(Object *o)
{
    PipeStream *p = (PipeStream *)o;
    for (SafePipeHandle *h = atomic_load(&p->exposed); h;) {
        SafePipeHandle *next = h->next;
        sp_object_release(&h->safe.base);
        h = next;
    }
    if (p->waker)
        sp_os_waker_free(p->waker);
}

const sp_type sp_type_PipeStream = {"System.IO.Pipes.PipeStream", &sp_type_Stream, sp_pipe_close, sp_pipe_destroy};

/* ---------------------------------------------------------------- the stream */

/* .NET's CheckReadOperations; CheckWriteOperations adds the Broken check. */
bool sp_pipe_check_io_state(PipeStream *p, bool writing) { return check_io_state(p, writing, true); }

/* connection: whether to look into the slot too (an I/O call skips it: taking the connection
 * out of the slot next tells the same, with the same exception). */
static bool check_io_state(PipeStream *p, bool writing, bool connection)
{
    int state = sp_pipe_state(p);
    if (state == PIPE_WAITING) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_NOT_CONNECTED, NULL);
        return false;
    }
    if (state == PIPE_DISCONNECTED) {
        sp_throw(ExceptionType_InvalidOperationException, MSG_DISCONNECTED, NULL);
        return false;
    }
    if (state == PIPE_CLOSED || (connection && !sp_pipe_has_connection(p))) {
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
    bool empty;
    sp_handle *h = io_enter(p, false, count, &empty);
    if (!h)
        return empty ? 0 : -1;
    int32_t done = 0;
    bool complete = true;
    int32_t err = sp_os_pipe_read(sp_pipe_value(h), p->waker, buffer, count, &done, &complete);
    int32_t result = done;
    if (sp_object_is_closed(&s->base)) { /* disposed by another thread while we waited */
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        result = -1;
    } else if (err && sp_handle_is_closed(h)) {
        /* Disconnect ended this connection under the read: end of stream, as .NET reads 0 for
         * ERROR_PIPE_NOT_CONNECTED */
        p->message_complete = true;
        result = 0;
    } else if (err && sp_os_pipe_error_kind(err) == SP_ERR_BROKEN) {
        /* The peer is gone: end of stream (Windows marks the pipe broken, as .NET does). */
        int expected = PIPE_CONNECTED;
        atomic_compare_exchange_strong(&p->state, &expected, PIPE_BROKEN);
        p->message_complete = true;
        result = 0;
    } else if (err) {
        sp_pipe_throw_io_error(err);
        result = -1;
    } else {
        p->message_complete = complete;
    }
    sp_pipe_connection_leave(p, h);
    return result;
}

static bool pipe_write(Stream *s, const uint8_t *buffer, int32_t count)
{
    PipeStream *p = (PipeStream *)s;
    bool empty;
    sp_handle *h = io_enter(p, true, count, &empty);
    if (!h)
        return empty;
    int32_t err = sp_os_pipe_write(sp_pipe_value(h), p->waker, buffer, count);
    if (err && sp_object_is_closed(&s->base)) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
    } else if (err) {
        if (sp_os_pipe_error_kind(err) == SP_ERR_BROKEN) {
            int expected = PIPE_CONNECTED;
            atomic_compare_exchange_strong(&p->state, &expected, PIPE_BROKEN);
        }
        sp_pipe_throw_io_error(err);
    }
    sp_pipe_connection_leave(p, h);
    return !err;
}

static bool pipe_flush(Stream *s)
{
    PipeStream *p = (PipeStream *)s;
    if (!sp_pipe_check_io_state(p, true))
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
    .pins_itself = true, /* io_enter */
    .closed_message = MSG_PIPE_CLOSED,
};

void *sp_pipe_alloc(size_t size, const sp_type *type, const sp_pipe_config *config)
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
        sp_pipe_throw_os_error(err);
        /* Nothing is open yet, and the caller's fields are still zero (a zero descriptor is a
         * real one): released as closed, so no type's close runs on them. */
        atomic_store(&p->stream.base.closed, true);
        sp_object_release(&p->stream.base);
        return NULL;
    }
    return p;
}

/* Releases a half-built stream (its close gives back what it holds), keeping the exception that
 * explains why. */
void *sp_named_pipe_from_handle(size_t size, const sp_type *type, PipeDirection direction, bool isAsync,
                                bool isConnected, SafePipeHandle *safePipeHandle)
{
    if (!sp_pipe_check_direction(direction) || !sp_pipe_check_safe_handle(safePipeHandle, "safePipeHandle"))
        return NULL;
    sp_pipe_config config = {direction,
                             PipeTransmissionMode_Byte,
                             isAsync ? PipeOptions_Asynchronous : PipeOptions_None,
                             1,
                             0,
                             0,
                             TokenImpersonationLevel_None,
                             HandleInheritability_None};
    PipeStream *p = sp_pipe_alloc(size, type, &config);
    if (!p)
        return NULL;
    if (!sp_pipe_adopt_handle(p, safePipeHandle))
        return sp_pipe_abandon(p);
    if (isConnected)
        atomic_store(&p->state, PIPE_CONNECTED);
    return p;
}

void *sp_pipe_abandon(PipeStream *p)
{
    sp_object_release(&p->stream.base);
    return NULL;
}

/* ================================================================ argument checks */

bool sp_pipe_check_direction(PipeDirection d)
{
    if (d < PipeDirection_In || d > PipeDirection_InOut) {
        sp_throw_out_of_range("direction", SP_SR_TEXT(ArgumentOutOfRange_DirectionModeInOutOrInOut));
        return false;
    }
    return true;
}

bool sp_pipe_check_options(PipeOptions o, bool server)
{
    unsigned allowed = (unsigned)PipeOptions_WriteThrough | PipeOptions_Asynchronous | PipeOptions_CurrentUserOnly;
    if (server)
        allowed |= PipeOptions_FirstPipeInstance;
    if ((unsigned)o & ~allowed) {
        sp_throw_out_of_range("options", SP_SR_TEXT(ArgumentOutOfRange_OptionsInvalid));
        return false;
    }
    return true;
}

bool sp_pipe_check_name(const char *name, const char *param)
{
    if (!name) {
        sp_throw_null(param);
        return false;
    }
    if (!*name) {
        sp_throw(ExceptionType_ArgumentException, SP_SR_TEXT(Argument_EmptyString), param);
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

static PipeStream *as_pipe(PipeStream *p) { return (PipeStream *)sp_check_type(p, &sp_type_PipeStream, "pipe"); }

/* .NET's CheckPipePropertyOperations (pipes.h). */
PipeStream *sp_pipe_property(PipeStream *p)
{
    if (!as_pipe(p))
        return NULL;
    /* (a stream without a handle passes: the Unix one has none until it connects, and the Windows
     * one always has one; .NET's CheckOperationsRequiresSetHandle) */
    int state = sp_pipe_state(p);
    if (state == PIPE_CLOSED) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
        return NULL;
    }
    /* NamedPipeClientStream's override: did the user connect? was the pipe broken? */
    if (sp_type_is(p->stream.base.type, &sp_type_NamedPipeClientStream)) {
        if (state == PIPE_WAITING) {
            sp_throw(ExceptionType_InvalidOperationException, MSG_NOT_CONNECTED, NULL);
            return NULL;
        }
        if (state == PIPE_BROKEN) {
            sp_throw(ExceptionType_IOException, MSG_BROKEN, NULL);
            return NULL;
        }
    }
    sp_clear();
    return p;
}

static bool is_anonymous(PipeStream *p)
{
    return sp_type_is(p->stream.base.type, &sp_type_AnonymousPipeServerStream) ||
           sp_type_is(p->stream.base.type, &sp_type_AnonymousPipeClientStream);
}

bool PipeStream_get_IsConnected(PipeStream *pipe)
{
    if (!as_pipe(pipe))
        return false;
    sp_clear();
    return sp_pipe_state(pipe) == PIPE_CONNECTED;
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
    if (as_pipe(pipe) && is_anonymous(pipe)) { /* the anonymous override checks nothing */
        sp_clear();
        return PipeTransmissionMode_Byte;
    }
    if (!sp_pipe_property(pipe))
        return PipeTransmissionMode_Byte;
    return pipe->config.transmission_mode;
}

PipeTransmissionMode PipeStream_get_ReadMode(PipeStream *pipe)
{
    if (!sp_pipe_property(pipe))
        return PipeTransmissionMode_Byte;
    return pipe->read_mode;
}

bool PipeStream_set_ReadMode(PipeStream *pipe, PipeTransmissionMode mode)
{
    if (!sp_pipe_property(pipe))
        return false;
    if (mode < PipeTransmissionMode_Byte || mode > PipeTransmissionMode_Message) {
        sp_throw_out_of_range("value", SP_SR_TEXT(ArgumentOutOfRange_TransmissionModeByteOrMsg));
        return false;
    }
    if (is_anonymous(pipe)) { /* the anonymous override: Byte is a no-op */
        if (mode == PipeTransmissionMode_Message) {
            sp_throw(ExceptionType_NotSupportedException, SP_SR_TEXT(NotSupported_AnonymousPipeMessagesNotSupported),
                     NULL);
            return false;
        }
        return true;
    }
    if (mode == PipeTransmissionMode_Message && !sp_os_pipe_supports_message_mode()) {
        sp_throw(ExceptionType_PlatformNotSupportedException, SP_SR_TEXT(PlatformNotSupported_MessageTransmissionMode),
                 NULL);
        return false;
    }
    if (sp_os_pipe_supports_message_mode()) {
        sp_handle *h = sp_pipe_connection_enter(pipe);
        if (!h)
            return false;
        int32_t err = sp_os_pipe_set_read_mode(sp_pipe_value(h), mode);
        if (err)
            sp_throw_io_error(err, NULL);
        else
            pipe->read_mode = mode;
        sp_pipe_connection_leave(pipe, h);
        return !err;
    }
    pipe->read_mode = mode;
    return true;
}

bool PipeStream_get_IsMessageComplete(PipeStream *pipe)
{
    if (!as_pipe(pipe))
        return false;
    if (!sp_pipe_check_io_state(pipe, false))
        return false;
    if (pipe->read_mode != PipeTransmissionMode_Message) {
        sp_throw(ExceptionType_InvalidOperationException, SP_SR_TEXT(InvalidOperation_PipeReadModeNotMessage), NULL);
        return false;
    }
    sp_clear();
    return pipe->message_complete;
}

bool PipeStream_WaitForPipeDrain(PipeStream *pipe)
{
    if (!as_pipe(pipe) || !sp_pipe_check_io_state(pipe, true))
        return false;
    if (!(pipe->config.direction & PipeDirection_Out)) {
        sp_throw_not_writable();
        return false;
    }
    sp_clear();
    sp_handle *h = sp_pipe_connection_enter(pipe);
    if (!h)
        return false;
    int32_t err = sp_os_pipe_drain(sp_pipe_value(h));
    if (err)
        sp_pipe_throw_unsupported_or(err);
    sp_pipe_connection_leave(pipe, h);
    return !err;
}

static int32_t buffer_size(PipeStream *pipe, bool in)
{
    /* CheckPipePropertyOperations first (a client must be connected), then the direction */
    if (!sp_pipe_property(pipe))
        return -1;
    if (!(pipe->config.direction & (in ? PipeDirection_In : PipeDirection_Out))) {
        if (in)
            sp_throw_not_readable();
        else
            sp_throw_not_writable();
        return -1;
    }
    if (!sp_pipe_has_connection(pipe) && sp_type_is(pipe->stream.base.type, &sp_type_NamedPipeServerStream)) {
        sp_clear();
        return in ? pipe->config.in_buffer_size : pipe->config.out_buffer_size;
    }
    sp_handle *h = sp_pipe_connection_enter(pipe);
    if (!h)
        return -1;
    int32_t size = 0;
    int32_t err = sp_os_pipe_buffer_size(sp_pipe_value(h), in, &size);
    if (err) {
        sp_pipe_throw_io_error(err);
        size = -1;
    }
    sp_pipe_connection_leave(pipe, h);
    return size;
}

int32_t PipeStream_get_InBufferSize(PipeStream *pipe) { return buffer_size(pipe, true); }
int32_t PipeStream_get_OutBufferSize(PipeStream *pipe) { return buffer_size(pipe, false); }

#undef PipeStream_get_SafePipeHandle

/* .NET's SafePipeHandle getter: the handle of the current connection, the same object each time. */
SafePipeHandle *PipeStream_get_SafePipeHandle(PipeStream *pipe)
{
    if (!sp_pipe_property(pipe))
        return NULL;
    for (;;) {
        sp_handle *h = sp_handle_slot_acquire(&pipe->conn);
        if (!h) {
            if (sp_pipe_state(pipe) == PIPE_CLOSED)
                sp_throw(ExceptionType_ObjectDisposedException, MSG_PIPE_CLOSED, NULL);
            else
                sp_throw(ExceptionType_InvalidOperationException, MSG_HANDLE_NOT_SET, NULL);
            return NULL;
        }
        SafePipeHandle *head = atomic_load(&pipe->exposed);
        for (SafePipeHandle *e = head; e; e = e->next)
            if (e->safe.handle == h) {
                sp_handle_release(h);
                sp_clear();
                return e;
            }
        sp_handle_keep(h);
        sp_handle_release(h);
        SafePipeHandle *made = sp_safe_pipe_handle_new(h); /* takes the keep */
        if (!made)
            return NULL;
        made->next = head;
        if (atomic_compare_exchange_strong(&pipe->exposed, &head, made)) {
            sp_clear();
            return made;
        }
        made->safe.owns = false; /* another thread added one: drop ours without closing, look again */
        sp_object_release(&made->safe.base);
    }
}
