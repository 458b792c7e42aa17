/*
 * System.Net.Sockets.NetworkStream (S/NetworkStream.cs): a Stream over a connected stream Socket,
 * so every System.IO adapter works over a socket. Read and Write go through the Socket's own
 * calls, whose pin of the Socket and its handle is the only one (sp_stream_ops.pins_itself: the
 * stream layer does not pin the NetworkStream too, and nothing here touches the stream once the
 * socket call has begun, so a Dispose from another thread may free it under the call); any
 * failure but OutOfMemory becomes IOException("Unable to read data from the transport
 * connection: {0}.", inner), as NetworkStream.WrapException does.
 */
#include "core/internal.h"

#include "System.IO/stream.h"

#include <sharpipc/System.Net.Sockets.h>

struct NetworkStream {
    Stream stream;
    Socket *socket; /* retained */
    bool owns_socket;
    bool readable, writable;
    atomic_int close_timeout;
};

extern const sp_type sp_type_Socket;

#define MSG_DISPOSED "Cannot access a disposed object.\nObject name: 'System.Net.Sockets.NetworkStream'."

static bool wrap_failure(enum sp_sr format)
{
    if (!Exception_Is(Exception_get_Current(), ExceptionType_OutOfMemoryException))
        sp_exception_wrap(ExceptionType_IOException, format);
    return false;
}

static int32_t ns_read(Stream *s, uint8_t *buffer, int32_t count)
{
    NetworkStream *n = (NetworkStream *)s;
    int32_t got = Socket_ReceiveSpan(n->socket, buffer, count, SocketFlags_None);
    if (got < 0)
        wrap_failure(SR_net_io_readfailure);
    return got;
}

static bool ns_write(Stream *s, const uint8_t *buffer, int32_t count)
{
    NetworkStream *n = (NetworkStream *)s;
    /* a blocking Send sends all of it, as .NET's Write relies on */
    if (Socket_SendSpan(n->socket, buffer, count, SocketFlags_None) < 0)
        return wrap_failure(SR_net_io_writefailure);
    return true;
}

static bool ns_flush(Stream *s)
{
    (void)s; /* nothing is buffered here: .NET's Flush does nothing */
    return true;
}

static bool ns_can_read(Stream *s) { return ((NetworkStream *)s)->readable; }
static bool ns_can_write(Stream *s) { return ((NetworkStream *)s)->writable; }
static bool ns_can_seek(Stream *s)
{
    (void)s;
    return false;
}

/* ReadTimeout / WriteTimeout are the socket's (-1 for its 0). */
static bool ns_apply_timeouts(Stream *s)
{
    NetworkStream *n = (NetworkStream *)s;
    if (!Socket_set_ReceiveTimeout(n->socket, s->read_timeout < 0 ? 0 : s->read_timeout) ||
        !Socket_set_SendTimeout(n->socket, s->write_timeout < 0 ? 0 : s->write_timeout))
        return false;
    return true;
}

static const sp_stream_ops ns_ops = {
    .read = ns_read,
    .write = ns_write,
    .flush = ns_flush,
    .can_read = ns_can_read,
    .can_write = ns_can_write,
    .can_seek = ns_can_seek,
    .can_timeout = true,
    .apply_timeouts = ns_apply_timeouts,
    .blocking = true,
    .pins_itself = true, /* the Socket's call pins the socket and its handle */
    .closed_message = MSG_DISPOSED,
};

static bool ns_close(Object *o)
{
    NetworkStream *n = (NetworkStream *)o;
    if (n->owns_socket) {
        Socket_Shutdown(n->socket, SocketShutdown_Both); /* InternalShutdown: errors ignored */
        Socket_CloseWithTimeout(n->socket, atomic_load(&n->close_timeout));
    }
    sp_clear();
    return true;
}

static void ns_destroy(Object *o)
{
    NetworkStream *n = (NetworkStream *)o;
    sp_object_release((Object *)n->socket);
}

const sp_type sp_type_NetworkStream = {"System.Net.Sockets.NetworkStream", &sp_type_Stream, ns_close, ns_destroy};

NetworkStream *(NetworkStream_new)(Socket *socket, FileAccess access, bool ownsSocket)
{
    if (!socket) {
        sp_throw_null("socket");
        return NULL;
    }
    /* .NET's checks read the socket's state, not whether it is disposed: a disposed socket is
     * not connected (IOException), whether its Dispose came before this call or during it */
    if (!sp_check_type(socket, &sp_type_Socket, "socket"))
        return NULL;
    if (!Socket_get_Blocking(socket)) {
        sp_throw_sr(ExceptionType_IOException, SR_net_sockets_blocking, NULL);
        return NULL;
    }
    if (!Socket_get_Connected(socket)) {
        sp_throw_sr(ExceptionType_IOException, SR_net_notconnected, NULL);
        return NULL;
    }
    if (Socket_get_SocketType(socket) != SocketType_Stream) {
        sp_throw_sr(ExceptionType_IOException, SR_net_notstream, NULL);
        return NULL;
    }
    NetworkStream *n = sp_object_new(sizeof *n, &sp_type_NetworkStream);
    if (!n)
        return NULL;
    sp_stream_init(&n->stream, &ns_ops);
    sp_object_retain((Object *)socket);
    n->socket = socket;
    n->owns_socket = ownsSocket;
    /* FileAccess.Read, .Write, or ReadWrite (anything else reads and writes, as .NET's default) */
    n->readable = access != FileAccess_Write;
    n->writable = access != FileAccess_Read;
    atomic_init(&n->close_timeout, -1);
    int32_t rt = Socket_get_ReceiveTimeout(socket), wt = Socket_get_SendTimeout(socket);
    n->stream.read_timeout = rt == 0 ? -1 : rt;
    n->stream.write_timeout = wt == 0 ? -1 : wt;
    sp_clear();
    return n;
}

NetworkStream *NetworkStream_newWithAccess(Socket *socket, FileAccess access)
{
    return (NetworkStream_new)(socket, access, false);
}

static NetworkStream *check(NetworkStream *s)
{
    return (NetworkStream *)sp_check_type(s, &sp_type_NetworkStream, "stream");
}

Socket *NetworkStream_get_Socket(NetworkStream *stream)
{
    if (!check(stream))
        return NULL;
    sp_clear();
    return stream->socket;
}

bool NetworkStream_get_DataAvailable(NetworkStream *stream)
{
    if (!check(stream))
        return false;
    /* pinned: a Dispose of the only reference on another thread leaves the stream's memory */
    if (!sp_call_enter(&stream->stream.base, NULL, MSG_DISPOSED))
        return false;
    int32_t n = Socket_get_Available(stream->socket);
    bool ok = !sp_failed();
    /* the stream's Dispose since the check closed the socket it owns: as the check says */
    if (!ok && sp_object_is_closed(&stream->stream.base))
        sp_throw(ExceptionType_ObjectDisposedException, MSG_DISPOSED, NULL);
    sp_call_leave(&stream->stream.base, NULL);
    return ok && n != 0;
}

bool NetworkStream_CloseWithTimeout(NetworkStream *stream, int32_t timeout)
{
    if (!check(stream))
        return false;
    if (timeout < -1) {
        sp_throw_if_less_than("timeout", timeout, -1);
        return false;
    }
    atomic_store(&stream->close_timeout, timeout);
    sp_clear();
    return sp_object_close(&stream->stream.base);
}
