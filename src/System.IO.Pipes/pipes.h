/* Private to src/System.IO.Pipes: the pipe types, .NET's PipeState, and what PipeStream
 * (pipestream.c) gives its four kinds: the pinning of every call that uses the OS handle, .NET's
 * state and argument checks, and OS error codes turned into .NET's exceptions. */
#ifndef SHARPIPC_PIPES_H
#define SHARPIPC_PIPES_H

#include "System.IO/stream.h"
#include "core/handle.h"
#include "core/ioerror.h"
#include "core/safehandle.h"
#include "platform/platform.h"

/* .NET's PipeState. */
enum { PIPE_WAITING = 0, PIPE_CONNECTED = 1, PIPE_BROKEN = 2, PIPE_DISCONNECTED = 3, PIPE_CLOSED = 4 };

#define MSG_PIPE_CLOSED SP_SR_TEXT(ObjectDisposed_PipeClosed)
#define MSG_NOT_CONNECTED SP_SR_TEXT(InvalidOperation_PipeNotYetConnected)
#define MSG_DISCONNECTED SP_SR_TEXT(InvalidOperation_PipeDisconnected)
#define MSG_ALREADY_CONNECTED SP_SR_TEXT(InvalidOperation_PipeAlreadyConnected)
#define MSG_BROKEN SP_SR_TEXT(IO_PipeBroken)
#define MSG_HANDLE_NOT_SET SP_SR_TEXT(InvalidOperation_PipeHandleNotSet)
#define MSG_ONE_DIRECTION SP_SR_TEXT(NotSupported_AnonymousPipeUnidirectional)

/* .NET's SafePipeHandle: an object over a pipe's sp_handle, which it keeps (sp_handle_keep). Closing it (SafeHandle.Close, or the Dispose of a stream using it) closes the sp_handle for
 * every holder; its last release closes it too unless it was disowned (a handle handed out as
 * text, which belongs to whoever adopts the number). */
struct SafePipeHandle {
    SafeHandle safe; /* safe.owns is false only for an object dropped before anyone saw it */
    atomic_bool disowned;
    SafePipeHandle *next; /* the older handles a stream handed out (PipeStream.exposed) */
};

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
    /* The SafePipeHandle objects handed out for its connections (the newest first), or adopted by
     * a constructor: PipeStream_get_SafePipeHandle returns the same object for a connection each
     * time, and a borrowed one stays valid while the stream lives. One reference each. */
    _Atomic(SafePipeHandle *) exposed;
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
    SafePipeHandle *client_handle; /* the client end, never used for I/O here */
    atomic_bool client_exposed;    /* handed out: Dispose leaves it open (.NET's _clientHandleExposed) */
};

struct AnonymousPipeClientStream {
    PipeStream pipe;
};

extern const sp_type sp_type_SafePipeHandle;
extern const sp_type sp_type_PipeStream;
extern const sp_type sp_type_NamedPipeServerStream;
extern const sp_type sp_type_NamedPipeClientStream;
extern const sp_type sp_type_AnonymousPipeServerStream;
extern const sp_type sp_type_AnonymousPipeClientStream;

static inline sp_os_pipe sp_pipe_value(sp_handle *h) { return (sp_os_pipe)sp_handle_value(h); }

static inline int sp_pipe_state(PipeStream *p) { return atomic_load(&p->state); }

static inline bool sp_pipe_has_connection(PipeStream *p) { return !sp_handle_slot_is_empty(&p->conn); }

/* ---------------------------------------------------------------- OS error codes */

/* .NET's WinIOError: the broken codes are "Pipe is broken.", the rest the OS's mapping (also what
 * .NET raises on Unix for the calls that are not socket I/O). */
void sp_pipe_throw_os_error(int32_t code);

/* Read, write and buffer errors: .NET on Unix wraps the SocketException in an IOException with
 * its text; Windows is WinIOError. */
void sp_pipe_throw_io_error(int32_t code);

/* Accept and connect errors: socket pipes let the SocketException out; Windows is WinIOError. */
void sp_pipe_throw_connection_error(int32_t code, const char *endpoint);

/* WaitForPipeDrain and NumberOfServerInstances where the OS has neither. */
void sp_pipe_throw_unsupported_or(int32_t code);

/* ---------------------------------------------------------------- names */

/* The OS path of a named pipe, checked as .NET checks it on this OS (PipeStream.Unix.cs
 * GetPipePath; NamedPipe*Stream.Windows.cs): remote servers, "anonymous" reserved, the names a
 * file-system pipe cannot have. NULL with the exception. */
char *sp_pipe_path(const char *serverName, const char *pipeName);

/* UnixDomainSocketEndPoint's check, where the OS limits a pipe path. */
bool sp_pipe_check_path_length(const char *path);

/* ---------------------------------------------------------------- handles */

/* A handle in a connection slot has its owner's reference, which sp_handle_close drops once
 * (whoever closes it first: the stream, another stream sharing it, a SafePipeHandle), and the
 * slot keeps the struct (sp_handle_keep) until it lets go of it. So streams and SafePipeHandle
 * objects share one handle, each dropping its keep, and the OS value goes at the first close once
 * no call uses it, as .NET's SafeHandle. */

/* A handle owning a client or anonymous pipe end, with its slot's keep; on failure
 * (OutOfMemoryException) the end is closed. */
sp_handle *sp_pipe_handle_new(sp_os_pipe end);

/* A SafePipeHandle object over h, taking over a keep the caller holds; NULL with
 * OutOfMemoryException (the keep is then dropped). */
SafePipeHandle *sp_safe_pipe_handle_new(sp_handle *h);

/* The handle of a SafePipeHandle given to a constructor: NULL with .NET's exception
 * (ArgumentNullException, ArgumentException for an invalid handle, ObjectDisposedException for a
 * closed one, IOException for a handle that is no pipe). */
bool sp_pipe_check_safe_handle(SafePipeHandle *handle, const char *param);

/* Makes p a stream over handle's pipe (p was just allocated): the slot takes a reference, and
 * handle is what p's SafePipeHandle getter returns. False with the exception. */
bool sp_pipe_adopt_handle(PipeStream *p, SafePipeHandle *handle);

/* Takes p's connection out of its slot, wakes the calls blocked on it and closes it (its OS
 * value goes when they have left). */
void sp_pipe_drop_connection(PipeStream *p, sp_handle *next);

/* Makes h p's connection (closing the one before, an earlier broken connection or a server's idle
 * handle). False with ObjectDisposedException when p was disposed meanwhile: whoever takes h out
 * of the slot, Dispose or this, closes it. */
bool sp_pipe_install_connection(PipeStream *p, sp_handle *h);

/* Pins p and its current connection for a call: the connection, or NULL with
 * ObjectDisposedException once p is closed (InvalidOperationException once a server has
 * disconnected it). */
sp_handle *sp_pipe_connection_enter(PipeStream *p);

/* Ends a call: after this the call must not touch p (the pin may have been its last reference). */
static inline void sp_pipe_connection_leave(PipeStream *p, sp_handle *h) { sp_call_leave(&p->stream.base, h); }

/* ---------------------------------------------------------------- the stream */

/* PipeStream's close (Dispose) and destroy, which the kinds extend. */
bool sp_pipe_close(Object *o);
void sp_pipe_destroy(Object *o);

/* .NET's CheckReadOperations; CheckWriteOperations adds the Broken check. */
bool sp_pipe_check_io_state(PipeStream *p, bool writing);

/* A new pipe stream of `type` (size bytes), waiting to connect, with its waker; NULL with the
 * exception. */
void *sp_pipe_alloc(size_t size, const sp_type *type, const sp_pipe_config *config);

/* Releases a half-built stream (its close gives back what it holds), keeping the exception that
 * explains why. */
void *sp_pipe_abandon(PipeStream *p);
/* The common part of NamedPipeServerStream(direction, isAsync, isConnected, safePipeHandle) and the
 * client's: the checks, a byte-mode pipe of `type` sharing the handle, connected when told so. */
void *sp_named_pipe_from_handle(size_t size, const sp_type *type, PipeDirection direction, bool isAsync,
                                bool isConnected, SafePipeHandle *safePipeHandle);

/* .NET's CheckPipePropertyOperations (after the type check): p, or NULL with the
 * exception (ObjectDisposedException, InvalidOperationException before a handle is set). */
PipeStream *sp_pipe_property(PipeStream *p);

/* ---------------------------------------------------------------- argument checks */

bool sp_pipe_check_direction(PipeDirection d);
bool sp_pipe_check_options(PipeOptions o, bool server);
bool sp_pipe_check_name(const char *name, const char *param);

#endif
