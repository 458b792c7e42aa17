/*
 * System.Net.Sockets.Socket (S/Socket.cs, S/SocketPal.Unix.cs / .Windows.cs): the state .NET keeps
 * (_isConnected, _isListening, _rightEndPoint, _willBlock, the timeouts), its argument checks in
 * its order, and its exceptions; the OS work is the seam's (platform_socket.h).
 *
 * A call pins the socket with one reference to its handle (enter), which lives inside the Socket
 * and holds up its memory and its waker (handle.h: sp_handle_init, sp_object_keep_memory), and
 * waits in the seam (in the kernel on Linux) with the socket's waker, made on the first call that
 * may wait. Dispose signals the
 * waker and wakes the kernel (sp_os_socket_interrupt), and the descriptor is closed only when the
 * last pin has gone; a call it ends fails as .NET's sync call does (Accept and datagram receives:
 * Interrupted; stream sends and receives: ConnectionAborted, after an abortive close the peer sees
 * as a reset, as SafeSocketHandle.CloseAsIs does when it cancelled operations; Connect:
 * ObjectDisposedException).
 */
#include "core/internal.h"

#include "core/handle.h"
#include "core/ioerror.h"
#include "platform/platform.h"
#include "platform/platform_socket.h"
#include "System.Net/net.h"
#include "System.Net/netobjects.h"
#include "System.Net.Sockets/socketpins.h"

#include <limits.h>
#include <stddef.h>
#include <sharpipc/System.Net.Sockets.h>
#include <stdio.h>

struct Socket {
    Object base;
    /* the descriptor, and the pin of every call: its references beside the owner's are the calls
     * in progress, which Dispose may have to end */
    sp_handle handle;
    _Atomic(sp_os_waker *) waker;
    int32_t family, type, protocol;
    atomic_bool will_block;    /* Blocking */
    atomic_bool connected;     /* _isConnected */
    atomic_bool was_connected; /* SocketPal.Unix's Shutdown ignores ENOTCONN after one */
    atomic_bool bound;         /* _rightEndPoint != null */
    atomic_bool listening;
    atomic_bool shutdown_send;
    atomic_bool disconnected;   /* _isDisconnected: after Disconnect */
    atomic_int receive_timeout; /* as .NET stores them: 0 for infinite */
    atomic_int send_timeout;
    atomic_int close_timeout; /* -1: Close() / Dispose with the user's linger */
    /* a Unix socket's bound path, removed at Dispose; taken by an exchange, since a Bind in
     * flight at the Dispose may store it after socket_close has looked (Socket_Bind) */
    _Atomic(sp_os_bound_file *) bound_file;
};

/* ---------------------------------------------------------------- the type */

static void release_socket(intptr_t value, void *context)
{
    (void)context;
    sp_os_socket_close((sp_os_socket)value);
}

/* The handle's last keep: no call holds the socket any more, nor its owner. */
static void free_socket(sp_handle *h)
{
    Socket *s = (Socket *)((char *)h - offsetof(Socket, handle));
    sp_os_waker_free(atomic_load(&s->waker));
    sp_os_bound_file_free(atomic_load(&s->bound_file)); /* none left: the close or the Bind removed it */
    sp_object_free_memory(&s->base);
}

static bool socket_close(Object *o);
static void socket_destroy(Object *o)
{
    Socket *s = (Socket *)o;
    /* the memory (and the waker) stay for a call still in flight: its handle reference keeps them */
    sp_object_keep_memory(o, &s->handle);
}

const sp_type sp_type_Socket = {"System.Net.Sockets.Socket", &sp_type_Object, socket_close, socket_destroy};

static sp_os_socket os_of(Socket *s) { return (sp_os_socket)sp_handle_value(&s->handle); }

/* ---------------------------------------------------------------- errors */

/* UpdateStatusAfterSocketError: every failure but these leaves the socket disconnected. */
static void after_error(Socket *s, int32_t socket_error)
{
    if (socket_error != SocketError_WouldBlock && socket_error != SocketError_IOPending &&
        socket_error != SocketError_NoBufferSpaceAvailable && socket_error != SocketError_TimedOut)
        atomic_store(&s->connected, false);
}

/* new SocketException((int)socketError): the OS's code for it and its text, and SocketErrorCode the
 * SocketError itself (.NET keeps it as given; the OS's code may map back to another, as errno's
 * EINPROGRESS for IOPending, or to none, as for ProcessLimit). */
static void throw_socket_error(int32_t socket_error)
{
    sp_throw_socket_error(sp_os_socket_error_code(socket_error), NULL);
    sp_exception_set_socket_error(socket_error);
}

/* The OS's code as .NET's SocketException carries it: .NET maps the errno to a SocketError and
 * makes the exception from that alone (`new SocketException((int)socketError)`), whose code and
 * text are the SocketError's errno (SocketErrorPal's reverse map). Where several errnos share a
 * SocketError that is another errno: ENOENT (a Unix socket path in no directory) reads as
 * EADDRNOTAVAIL, "Cannot assign requested address", EPERM as EACCES, EBADF as ECANCELED, EMFILE
 * as ENFILE. An errno with no SocketError stays itself (.NET's says -131074, "Unknown socket
 * error": docs/deviations.md). On Windows the code is the SocketError: the same code. */
static int32_t as_dotnet(int32_t code)
{
    int32_t socket_error = sp_os_error_socket_error(code);
    return socket_error == SocketError_SocketError ? code : sp_os_socket_error_code(socket_error);
}

/* A failed seam call as .NET's SocketException (UpdateStatusAfterSocketErrorAndThrowException). */
static void fail(Socket *s, int32_t code)
{
    after_error(s, sp_os_error_socket_error(code));
    sp_throw_socket_error(as_dotnet(code), NULL);
}

static bool check_disposed(Socket *s) { return sp_check_open(s, &sp_type_Socket, "s", NULL) != NULL; }

static SP_NOINLINE bool throw_disposed(void)
{
    sp_throw_disposed(SR_ObjectDisposed_Generic, sp_type_Socket.name);
    return false;
}

/* Pins s for a call with a reference to its handle, which keeps its memory too (free_socket); the
 * closed flag is looked at after the reference is taken (socket_close's handshake), as a
 * sequentially consistent load (a plain load on x86). */
static inline bool closed_after_pin(Socket *s) { return atomic_load(&s->base.closed); }

static inline bool pin(Socket *s)
{
    if (!sp_handle_add_ref(&s->handle))
        return throw_disposed();
    if (closed_after_pin(s)) {
        throw_disposed(); /* raised before the release, which may be the last */
        sp_handle_release(&s->handle);
        return false;
    }
    return true;
}

/* Pins s (ObjectDisposedException naming the type once closed). */
static bool enter(Socket *s)
{
    if (!sp_check_type_fast(s, &sp_type_Socket, "s"))
        return false;
    return pin(s);
}
static inline void leave(Socket *s) { sp_handle_release(&s->handle); }

int32_t sp_socket_call_pins(const Object *o)
{
    if (!o || o->type != &sp_type_Socket)
        return 0;
    uintptr_t n = sp_handle_ref_count(&((const Socket *)o)->handle);
    /* the owner's reference is one of them until the close */
    return (int32_t)(sp_handle_is_closed(&((const Socket *)o)->handle) ? n : n - 1);
}

/* The waker of a call that may wait; NULL for a non-blocking socket. */
static sp_os_waker *waker_of(Socket *s, bool blocking, int32_t *err)
{
    *err = 0;
    if (!blocking)
        return NULL;
    sp_os_waker *w = atomic_load(&s->waker);
    if (w)
        return w;
    sp_os_waker *fresh;
    if ((*err = sp_os_waker_new(&fresh)) != 0)
        return NULL;
    if (!atomic_compare_exchange_strong(&s->waker, &w, fresh)) {
        sp_os_waker_free(fresh);
        return w;
    }
    /* a Dispose that looked before the waker was there finds it closed here */
    if (sp_object_is_closed(&s->base))
        sp_os_waker_signal(fresh);
    return fresh;
}

/* ---------------------------------------------------------------- construction */

LingerOption LingerOption_new(bool enable, int32_t seconds)
{
    LingerOption o = {enable, seconds};
    return o;
}

int32_t SocketException_get_ErrorCode(const Exception *e)
{
    return Exception_Is(e, ExceptionType_SocketException) ? Exception_get_NativeErrorCode(e) : 0;
}

static Socket *wrap(sp_os_socket os, int32_t family, int32_t type, int32_t protocol)
{
    Socket *s = sp_object_new(sizeof(Socket), &sp_type_Socket);
    if (!s) {
        sp_os_socket_close(os);
        return NULL;
    }
    sp_handle_init(&s->handle, (intptr_t)os, release_socket, NULL, free_socket);
    sp_handle_keep(&s->handle); /* the object's, let go of after its destroy (sp_object_keep_memory) */
    atomic_init(&s->waker, NULL);
    s->family = family;
    s->type = type;
    s->protocol = protocol;
    atomic_init(&s->will_block, true);
    atomic_init(&s->connected, false);
    atomic_init(&s->was_connected, false);
    atomic_init(&s->bound, false);
    atomic_init(&s->listening, false);
    atomic_init(&s->shutdown_send, false);
    atomic_init(&s->disconnected, false);
    atomic_init(&s->receive_timeout, 0);
    atomic_init(&s->send_timeout, 0);
    atomic_init(&s->close_timeout, -1);
    atomic_init(&s->bound_file, NULL);
    return s;
}

Socket *Socket_newWithFamily(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
{
    sp_os_socket os;
    int32_t err = sp_os_socket_new(addressFamily, socketType, protocolType, &os);
    if (err) {
        sp_throw_socket_error(as_dotnet(err), NULL);
        return NULL;
    }
    Socket *s = wrap(os, addressFamily, socketType, protocolType);
    if (s)
        sp_clear();
    return s;
}

/* Asked of the OS once (a socket made and closed), as .NET's static properties cache it. */
static bool supported(atomic_int *cache, int32_t family)
{
    int v = atomic_load(cache);
    if (v == 0) {
        v = sp_os_socket_family_supported(family) ? 1 : 2;
        atomic_store(cache, v);
    }
    return v == 1;
}

static atomic_int ipv4_cache, ipv6_cache, unix_cache;
Socket *Socket_newFromHandle(intptr_t handle)
{
    if (handle == -1) { /* SafeSocketHandle.IsInvalid (SafeHandleMinusOneIsInvalid): descriptor 0 is a socket
                         * an inetd-style launcher hands over as standard input */
        sp_throw_sr(ExceptionType_ArgumentException, SR_Arg_InvalidHandle, "handle");
        return NULL;
    }
    int32_t family, type, protocol;
    bool bound, connected, listening, blocking;
    int32_t err = sp_os_socket_describe((sp_os_socket)handle, &family, &type, &protocol, &bound, &connected, &listening,
                                        &blocking);
    if (err) {
        sp_throw_socket_error(as_dotnet(err), NULL);
        return NULL;
    }
    if (protocol == 0 && family != AddressFamily_Unix)
        protocol = type == SocketType_Stream ? ProtocolType_Tcp : type == SocketType_Dgram ? ProtocolType_Udp : 0;
    Socket *s = wrap((sp_os_socket)handle, family, type, protocol); /* owns the handle from here */
    if (!s)
        return NULL;
    atomic_store(&s->will_block, blocking);
    atomic_store(&s->bound, bound || connected || listening);
    atomic_store(&s->connected, connected);
    atomic_store(&s->was_connected, connected);
    atomic_store(&s->listening, listening);
    sp_clear();
    return s;
}

bool Socket_get_OSSupportsIPv4(void) { return supported(&ipv4_cache, AddressFamily_InterNetwork); }
bool Socket_get_OSSupportsIPv6(void) { return supported(&ipv6_cache, AddressFamily_InterNetworkV6); }
bool Socket_get_OSSupportsUnixDomainSockets(void) { return supported(&unix_cache, AddressFamily_Unix); }

Socket *Socket_newDualMode(SocketType socketType, ProtocolType protocolType)
{
    bool v6 = Socket_get_OSSupportsIPv6();
    Socket *s =
        Socket_newWithFamily(v6 ? AddressFamily_InterNetworkV6 : AddressFamily_InterNetwork, socketType, protocolType);
    if (s && v6 && !Socket_set_DualMode(s, true)) {
        sp_object_release(&s->base); /* keeps the exception */
        return NULL;
    }
    return s;
}

/* ---------------------------------------------------------------- Dispose */

static bool socket_close(Object *o)
{
    Socket *s = (Socket *)o;
    /* calls in progress hold references to the handle beside the owner's (every call's one pin,
     * enter); looked at before the waker wakes them, so that none has left yet. A call takes its
     * reference and then looks at the closed flag, which sp_object_close set before this look
     * (both sequentially consistent): it is counted here, or it sees the flag and does not start */
    bool cancelled = sp_handle_ref_count(&s->handle) > 1;
    sp_os_waker *w = atomic_load(&s->waker);
    if (w)
        sp_os_waker_signal(w);
    /* and once more after the signal, as the waker's own handshake: a call counted here either
     * way finds the waker signalled before it sleeps (this store before this load, its reference
     * before its look), or is woken by the interrupt, which on Linux is all that ends a call
     * already asleep in the kernel */
    if (!cancelled && sp_handle_ref_count(&s->handle) > 1)
        cancelled = true;
    sp_os_socket os = os_of(s);
    int32_t timeout = atomic_load(&s->close_timeout);
    if (cancelled) {
        /* CloseAsIs: TryUnblockSocket wakes the calls blocked in the kernel, and the calls it
         * ended make the close abortive, unless the user shut down the sending side himself */
        bool abortive = s->type == SocketType_Stream && !atomic_load(&s->shutdown_send);
        sp_os_socket_interrupt(os, abortive);
        if (abortive)
            sp_os_socket_set_linger(os, true, 0);
    } else if (timeout == 0) {
        sp_os_socket_set_linger(os, true, 0);
    } else if (timeout > 0) {
        /* .NET's own linger in milliseconds: FIN, then the peer's FIN within the timeout, else
         * an abortive close */
        bool abortive = true;
        if (sp_os_socket_shutdown(os, SocketShutdown_Send) == 0) {
            sp_os_poll_entry e = {os, NULL, SelectMode_SelectRead, false, false};
            int32_t ready = 0, available = 0;
            if (sp_os_socket_poll(&e, 1, timeout, &ready) == 0 && ready &&
                sp_os_socket_available(os, &available) == 0 && available == 0)
                abortive = false;
        }
        if (abortive)
            sp_os_socket_set_linger(os, true, 0);
    }
    sp_endpoint_remove_bound_file(atomic_exchange(&s->bound_file, NULL));
    atomic_store(&s->connected, false);
    sp_handle_close(&s->handle); /* the descriptor goes when the last call leaves */
    return true;
}

bool(Socket_Close)(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    sp_clear();
    return sp_object_close(&s->base);
}

bool Socket_CloseWithTimeout(Socket *s, int32_t timeout)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (timeout < -1) {
        sp_throw_if_less_than("timeout", timeout, -1);
        return false;
    }
    sp_clear();
    atomic_store(&s->close_timeout, timeout);
    return sp_object_close(&s->base);
}

/* ---------------------------------------------------------------- endpoints */

static const char *family_name(int32_t family)
{
    switch (family) {
    case AddressFamily_Unspecified: return "Unspecified";
    case AddressFamily_Unix: return "Unix";
    case AddressFamily_InterNetwork: return "InterNetwork";
    case AddressFamily_InterNetworkV6: return "InterNetworkV6";
    default: return "Unknown";
    }
}

static bool is_dual_mode(Socket *s)
{
    if (s->family != AddressFamily_InterNetworkV6)
        return false;
    int32_t v6only = 1;
    return sp_os_socket_get_option(os_of(s), SocketOptionLevel_IPv6, SocketOptionName_IPv6Only, &v6only) == 0 &&
           v6only == 0;
}

/* CanTryAddressFamily. */
static bool can_try_family(Socket *s, int32_t family)
{
    return family == s->family || (family == AddressFamily_InterNetwork && is_dual_mode(s));
}

static void throw_wrong_family(int32_t family, int32_t socket_family, const char *param)
{
    sp_throwf_sr(ExceptionType_ArgumentException, param, SR_net_InvalidEndPointAddressFamily, family_name(family),
                 family_name(socket_family));
}

/* An IPv4 address as this dual-mode socket's IPv6 form (::ffff:a.b.c.d), as Socket.Serialize. */
static void map_to_v6(sp_os_sockaddr *a)
{
    uint8_t v4[4];
    memcpy(v4, a->address, 4);
    memset(a->address, 0, 16);
    a->address[10] = a->address[11] = 0xff;
    memcpy(a->address + 12, v4, 4);
    a->family = AddressFamily_InterNetworkV6;
}

/* Socket.Serialize: the endpoint in seam form, IPv4 mapped for a dual-mode socket. */
static bool serialize(Socket *s, const EndPoint *ep, const char *param, sp_os_sockaddr *out)
{
    if (!ep) {
        sp_throw_null(param);
        return false;
    }
    if (!sp_endpoint_serialize(ep, param, out))
        return false;
    if (out->family == AddressFamily_InterNetwork && s->family == AddressFamily_InterNetworkV6 && is_dual_mode(s))
        map_to_v6(out);
    return true;
}

/* The endpoint text .NET appends to a failed Connect's message (the endpoint as serialized). */
static void throw_connect_error(Socket *s, int32_t code, const sp_os_sockaddr *address)
{
    after_error(s, sp_os_error_socket_error(code));
    EndPoint *ep = sp_endpoint_create(address);
    char *text = ep ? EndPoint_ToString(ep) : NULL;
    if (ep)
        sp_object_release((Object *)ep);
    sp_throw_socket_error(as_dotnet(code), text);
    String_Free(text);
}

EndPoint *Socket_get_LocalEndPoint(Socket *s)
{
    if (!enter(s))
        return NULL;
    EndPoint *ep = NULL;
    sp_os_sockaddr a;
    if (atomic_load(&s->bound) || atomic_load(&s->connected)) {
        int32_t err = sp_os_socket_local_address(os_of(s), &a);
        /* A Dispose since the pin disconnects a stream (sp_os_socket_interrupt), which unbinds
         * the address the connect chose (0.0.0.0 on Linux): the call ends as one that came after
         * the Dispose, as SendFile (b4ab7c5), not with that address */
        if (closed_after_pin(s))
            throw_disposed();
        else if (err)
            fail(s, err);
        else if ((ep = sp_endpoint_create(&a)) != NULL)
            sp_clear();
    } else {
        sp_clear();
    }
    leave(s);
    return ep;
}

EndPoint *Socket_get_RemoteEndPoint(Socket *s)
{
    if (!enter(s))
        return NULL;
    EndPoint *ep = NULL;
    sp_os_sockaddr a;
    if (atomic_load(&s->connected)) {
        int32_t err = sp_os_socket_peer_address(os_of(s), &a);
        if (err && closed_after_pin(s)) {
            /* the Dispose's disconnect since the connected check took the peer: as below */
            throw_disposed();
        } else if (err) {
            /* a connection that has gone since: .NET answers null too */
            sp_clear();
        } else if ((ep = sp_endpoint_create(&a)) != NULL) {
            sp_clear();
        }
    } else if (closed_after_pin(s)) {
        throw_disposed(); /* a Dispose since the pin cleared connected: as SendFile */
    } else {
        sp_clear();
    }
    leave(s);
    return ep;
}

/* ---------------------------------------------------------------- Bind, Listen, Accept */

bool(Socket_Bind)(Socket *s, const EndPoint *localEP)
{
    if (!enter(s))
        return false;
    bool ok = false;
    sp_os_sockaddr a;
    if (serialize(s, localEP, "localEP", &a)) {
        int32_t err = sp_os_socket_bind(os_of(s), &a, s->protocol == ProtocolType_Tcp);
        if (err) {
            fail(s, err);
        } else {
            atomic_store(&s->bound, true);
            /* the file Dispose removes; without memory for its record it stays, as nothing failed */
            sp_os_bound_file *file = a.family == AddressFamily_Unix ? sp_endpoint_bound_file(localEP) : NULL,
                             *none = NULL;
            bool stored = file && atomic_compare_exchange_strong(&s->bound_file, &none, file);
            if (file && !stored)
                sp_os_bound_file_free(file);
            /* A Dispose since the pin may have looked for the file before it was stored (this
             * store before this look, its closed flag before its exchange): the Bind removes it
             * then, as that Dispose would have */
            if (stored && closed_after_pin(s))
                sp_endpoint_remove_bound_file(atomic_exchange(&s->bound_file, NULL));
            sp_clear();
            ok = true;
        }
    }
    leave(s);
    return ok;
}

bool(Socket_Listen)(Socket *s, int32_t backlog)
{
    if (!enter(s))
        return false;
    int32_t err = sp_os_socket_listen(os_of(s), backlog);
    if (err) {
        fail(s, err);
    } else {
        atomic_store(&s->listening, true);
        atomic_store(&s->bound, true); /* the OS binds an unbound listener */
        sp_clear();
    }
    leave(s);
    return err == 0;
}

Socket *Socket_Accept(Socket *s)
{
    if (!enter(s))
        return NULL;
    Socket *accepted = NULL;
    if (!atomic_load(&s->bound)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_sockets_mustbind, NULL);
    } else if (!atomic_load(&s->listening)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_sockets_mustlisten, NULL);
    } else {
        bool blocking = atomic_load(&s->will_block);
        int32_t err;
        sp_os_waker *w = waker_of(s, blocking, &err);
        sp_os_socket conn = SP_OS_SOCKET_INVALID;
        if (!err) {
            err = sp_os_socket_accept(os_of(s), w, blocking, &conn, NULL);
        }
        if (err == sp_os_socket_cancelled()) {
            throw_socket_error(SocketError_Interrupted);
        } else if (err) {
            fail(s, err);
        } else if (!blocking && (err = sp_os_socket_set_blocking(conn, false)) != 0) {
            sp_os_socket_close(conn);
            fail(s, err);
        } else if ((accepted = wrap(conn, s->family, s->type, s->protocol)) != NULL) {
            atomic_store(&accepted->will_block, blocking);
            atomic_store(&accepted->bound, true);
            atomic_store(&accepted->connected, true);
            atomic_store(&accepted->was_connected, true);
            sp_clear();
        }
    }
    leave(s);
    return accepted;
}

/* ---------------------------------------------------------------- Connect */

/* DoConnect on a serialized address; pinned by the caller. */
static bool do_connect(Socket *s, const sp_os_sockaddr *a)
{
    /* A Dispose since the pin has disconnected the socket and cleared connected, which the
     * caller's IsConnected check may have read: no new connection from it */
    if (closed_after_pin(s))
        return throw_disposed();
    bool blocking = atomic_load(&s->will_block);
    int32_t err;
    sp_os_waker *w = waker_of(s, blocking, &err);
    if (!err) {
        err = sp_os_socket_connect(os_of(s), w, blocking, a);
    }
    /* Dispose ended the wait, or came since the look above: a connect on the socket it
     * disconnected fails as it may (a non-blocking one's WouldBlock), and ends as the Connect
     * after a Dispose (ConnectGetsCanceledByDispose) */
    if (err == sp_os_socket_cancelled() || (err && closed_after_pin(s))) {
        sp_throw_disposed(SR_ObjectDisposed_Generic, sp_type_Socket.name);
        return false;
    }
    if (err) {
        int32_t se = sp_os_error_socket_error(err);
        if (!blocking &&
            (se == SocketError_InProgress || se == SocketError_WouldBlock || se == SocketError_AlreadyInProgress)) {
            /* SocketPal.Unix.Connect: a connect still under way is WouldBlock, as WinSock says */
            throw_socket_error(SocketError_WouldBlock);
            return false;
        }
        throw_connect_error(s, err, a);
        return false;
    }
    atomic_store(&s->bound, true);
    atomic_store(&s->connected, true);
    atomic_store(&s->was_connected, true);
    /* A Dispose since the pin cleared connected before this store, or clears it after this look
     * (its closed flag before its store, this store before this look, all sequentially
     * consistent): a disposed socket is not Connected, and its disconnect took the connection, so
     * the call ends as one that came after the Dispose, as SendFile (b4ab7c5) */
    if (closed_after_pin(s)) {
        atomic_store(&s->connected, false);
        return throw_disposed();
    }
    sp_clear();
    return true;
}

bool Socket_Disconnect(Socket *s, bool reuseSocket)
{
    (void)reuseSocket; /* .NET on Unix cannot reuse either: a later Connect is refused */
    if (!enter(s))
        return false;
    int32_t err = sp_os_socket_disconnect(os_of(s));
    if (err) {
        fail(s, err);
    } else {
        atomic_store(&s->connected, false);
        atomic_store(&s->disconnected, true);
        sp_clear();
    }
    leave(s);
    return err == 0;
}

/* The checks Connect makes before it connects. */
/* ThrowIfConnectedStreamSocket: a connected datagram socket may connect again (a new default peer). */
static bool connected_stream(Socket *s) { return atomic_load(&s->connected) && s->type == SocketType_Stream; }

static bool connect_state_ok(Socket *s)
{
    if (atomic_load(&s->disconnected)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_sockets_disconnectedConnect, NULL);
        return false;
    }
    if (atomic_load(&s->listening)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_sockets_mustnotlisten, NULL);
        return false;
    }
    if (connected_stream(s)) {
        throw_socket_error(SocketError_IsConnected);
        return false;
    }
    return true;
}

bool Socket_ConnectAddresses(Socket *s, IPAddress *const *addresses, int32_t count, int32_t port);

static bool valid_port(int32_t port) { return port >= 0 && port <= 65535; }

bool Socket_ConnectEndPoint(Socket *s, const EndPoint *remoteEP)
{
    if (!enter(s))
        return false;
    bool ok = false;
    sp_os_sockaddr a;
    if (!remoteEP) {
        sp_throw_null("remoteEP");
    } else if (connect_state_ok(s)) {
        if (sp_check_type_fast(remoteEP, &sp_type_EndPoint, "remoteEP") &&
            sp_type_is(((const Object *)remoteEP)->type, &sp_type_DnsEndPoint)) {
            /* Connect(DnsEndPoint) is Connect(host, port) */
            const DnsEndPoint *dns = (const DnsEndPoint *)remoteEP;
            int32_t f = DnsEndPoint_get_AddressFamily(dns);
            if (f != AddressFamily_Unspecified && !can_try_family(s, f)) {
                sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
            } else {
                /* still pinned: after a leave, a last release on another thread may free s */
                ok = Socket_ConnectHost(s, DnsEndPoint_get_Host(dns), DnsEndPoint_get_Port(dns));
            }
        } else if (!sp_failed() && serialize(s, remoteEP, "remoteEP", &a)) {
            ok = do_connect(s, &a);
        }
    }
    leave(s);
    return ok;
}

bool Socket_ConnectAddress(Socket *s, const IPAddress *address, int32_t port)
{
    if (!enter(s))
        return false;
    bool ok = false;
    int32_t family;
    uint32_t scope;
    sp_os_sockaddr a;
    memset(&a, 0, sizeof a);
    if (!address) {
        sp_throw_null("address");
    } else if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
    } else if (!sp_ipaddress_bytes(address, &family, a.address, &scope)) {
        sp_check_type(address, &sp_type_IPAddress, "address");
    } else if (connected_stream(s)) { /* before the family, as Connect(IPAddress, int) checks */
        throw_socket_error(SocketError_IsConnected);
    } else if (!can_try_family(s, family)) {
        sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
    } else if (connect_state_ok(s)) {
        a.family = family;
        a.port = (uint16_t)port;
        a.scope_id = scope;
        if (family == AddressFamily_InterNetwork && s->family == AddressFamily_InterNetworkV6)
            map_to_v6(&a);
        ok = do_connect(s, &a);
    }
    leave(s);
    return ok;
}

bool Socket_ConnectAddresses(Socket *s, IPAddress *const *addresses, int32_t count, int32_t port)
{
    if (!enter(s))
        return false;
    bool ok = false;
    if (!addresses) {
        sp_throw_null("addresses");
    } else if (count <= 0) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_net_sockets_invalid_ipaddress_length, "addresses");
    } else if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
    } else if (s->family != AddressFamily_InterNetwork && s->family != AddressFamily_InterNetworkV6) {
        sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
    } else if (connect_state_ok(s)) {
        bool tried = false;
        for (int32_t i = 0; i < count && !ok; i++) {
            int32_t family;
            uint32_t scope;
            sp_os_sockaddr a;
            memset(&a, 0, sizeof a);
            if (!addresses[i] || !sp_ipaddress_bytes(addresses[i], &family, a.address, &scope) ||
                !can_try_family(s, family))
                continue;
            tried = true;
            a.family = family;
            a.port = (uint16_t)port;
            a.scope_id = scope;
            if (family == AddressFamily_InterNetwork && s->family == AddressFamily_InterNetworkV6)
                map_to_v6(&a);
            ok = do_connect(s, &a);
            if (!ok && Exception_Is(Exception_get_Current(), ExceptionType_ObjectDisposedException))
                break;
        }
        if (!tried)
            sp_throw_sr(ExceptionType_ArgumentException, SR_net_invalidAddressList, "addresses");
    }
    leave(s);
    return ok;
}

bool Socket_ConnectHost(Socket *s, const char *host, int32_t port)
{
    if (!check_disposed(s))
        return false;
    if (!host) {
        sp_throw_null("host");
        return false;
    }
    if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
        return false;
    }
    if (s->family != AddressFamily_InterNetwork && s->family != AddressFamily_InterNetworkV6) {
        sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
        return false;
    }
    IPAddress *parsed = NULL;
    if (IPAddress_TryParse(host, &parsed) && parsed) {
        bool ok = Socket_ConnectAddress(s, parsed, port);
        sp_object_release((Object *)parsed); /* keeps the connect's exception */
        return ok;
    }
    int32_t count = 0;
    IPAddress **list = Dns_GetHostAddresses(host, &count);
    if (!list)
        return false;
    bool ok = Socket_ConnectAddresses(s, list, count, port);
    Dns_FreeAddresses(list, count); /* keeps the connect's exception */
    return ok;
}

/* ---------------------------------------------------------------- Send, Receive */

static bool check_buffer(const void *buffer, int32_t offset, int32_t size, bool has_offset)
{
    if (!buffer) {
        sp_throw_null("buffer");
        return false;
    }
    if (has_offset && offset < 0) {
        sp_throw_out_of_range("offset", NULL);
        return false;
    }
    if (size < 0) {
        sp_throw_out_of_range("size", NULL);
        return false;
    }
    return true;
}

typedef enum io_kind { IO_SEND, IO_RECEIVE } io_kind;

/* A failed send or receive (seam code err) as its SocketError and the OS code of the exception,
 * with the socket's state updated as after any failure. */
static void io_error(Socket *s, int32_t err, int32_t *error, int32_t *os_code)
{
    *os_code = err;
    if (err == sp_os_socket_cancelled()) {
        /* what .NET's sync calls report once Dispose has ended them */
        *error = s->type == SocketType_Stream ? SocketError_ConnectionAborted : SocketError_Interrupted;
        *os_code = sp_os_socket_error_code(*error);
    } else {
        *error = sp_os_error_socket_error(err);
        *os_code = as_dotnet(err);
    }
    after_error(s, *error);
}

/* One send or receive on a pinned socket: the count, or -1 with the SocketError in *error (and,
 * unless NULL, in *moved what the seam says moved, which a failed receive may have: MessageSize). */
static int32_t do_io(Socket *s, io_kind kind, void *buffer, int32_t size, int32_t flags, const sp_os_sockaddr *to,
                     sp_os_sockaddr *from, int32_t *error, int32_t *os_code, int32_t *moved)
{
    bool blocking = atomic_load(&s->will_block);
    int32_t timeout = atomic_load(kind == IO_SEND ? &s->send_timeout : &s->receive_timeout);
    int32_t err, done = 0;
    sp_os_waker *w = waker_of(s, blocking, &err);
    if (!err) {
        err = kind == IO_SEND ? sp_os_socket_send(os_of(s), w, blocking, timeout == 0 ? -1 : timeout, buffer, size,
                                                  flags, to, &done)
                              : sp_os_socket_receive(os_of(s), w, blocking, timeout == 0 ? -1 : timeout, buffer, size,
                                                     flags, from, &done);
    }
    if (!err) {
        *os_code = 0;
        *error = SocketError_Success;
        return done;
    }
    io_error(s, err, error, os_code);
    if (moved)
        *moved = done;
    return -1;
}

static int32_t io_call(Socket *s, io_kind kind, void *buffer, int32_t offset, int32_t size, int32_t flags,
                       bool has_offset, SocketError *errorCode)
{
    if (!enter(s))
        return errorCode ? 0 : -1;
    int32_t n = -1;
    if (check_buffer(buffer, offset, size, has_offset)) {
        int32_t error, code;
        n = do_io(s, kind, (uint8_t *)buffer + offset, size, flags, NULL, NULL, &error, &code, NULL);
        if (errorCode) {
            *errorCode = (SocketError)error;
            if (n < 0)
                n = 0;
            sp_clear();
        } else if (n < 0) {
            sp_throw_socket_error(code, NULL);
        } else {
            sp_clear();
        }
    } else if (errorCode) {
        n = 0;
    }
    leave(s);
    return n;
}

/* The rest of a lean call that failed in the seam: do_io's mapping and io_call's exception. */
static SP_NOINLINE int32_t lean_failed(Socket *s, int32_t err)
{
    int32_t error, code;
    io_error(s, err, &error, &code);
    sp_throw_socket_error(code, NULL);
    leave(s);
    return -1;
}

/* A Socket itself, not a derived or foreign object (whose fields may not be a Socket's). */
static inline bool exact_socket(const Socket *s)
{
    return s && s->base.magic == SP_OBJECT_MAGIC && s->base.type == &sp_type_Socket;
}

/* The entry of a lean call (io_lean, send_to_lean, receive_from_lean): the common case, which
 * every argument check of the full call passes: a Socket (not a derived or foreign object), a
 * buffer, a size >= 0, no flags and a waker already made for a blocking socket (or none needed).
 * -2: not the common case (nothing raised, nothing pinned): the caller takes the full call, which
 * raises what it raises; -1: the socket was closed (ObjectDisposedException raised, nothing held);
 * 0: pinned, with the waker (NULL for a non-blocking socket) and Blocking in *w and *blocking. */
static inline int32_t lean_enter(Socket *s, const void *buffer, int32_t size, int32_t flags, sp_os_waker **w,
                                 bool *blocking)
{
    if (!exact_socket(s) || !buffer || size < 0 || flags)
        return -2;
    *blocking = atomic_load(&s->will_block);
    *w = *blocking ? atomic_load(&s->waker) : NULL;
    if (*blocking && !*w)
        return -2; /* the first call that may wait makes it (waker_of) */
    if (!sp_handle_add_ref(&s->handle))
        return -2;
    if (closed_after_pin(s)) {
        /* raised here, before the release: with a call's pin the only thing keeping s (the last
         * reference may have gone on another thread), nothing may read s after the leave */
        throw_disposed();
        leave(s);
        return -1;
    }
    return 0;
}

/* lean_enter for SendTo and ReceiveFrom: also an IPEndPoint of the socket's own family (ep, or
 * NULL for any other endpoint), which leaves no dual-mode mapping to decide (that asks the OS). */
static inline int32_t lean_enter_ip(Socket *s, const IPEndPoint *ep, const void *buffer, int32_t size, int32_t flags,
                                    sp_os_waker **w, bool *blocking)
{
    if (!ep || !exact_socket(s) || ep->address->family != s->family)
        return -2;
    return lean_enter(s, buffer, size, flags, w, blocking);
}

/* io_call for the common case (lean_enter); anything else, and a disposed socket, takes io_call
 * (-2 here). The same pin, seam call, state updates and exceptions as io_call with do_io. */
static inline int32_t io_lean(Socket *s, io_kind kind, void *buffer, int32_t size, int32_t flags)
{
    sp_os_waker *w;
    bool blocking;
    int32_t r = lean_enter(s, buffer, size, flags, &w, &blocking);
    if (r)
        return r;
    int32_t err, done = 0;
    if (kind == IO_SEND) {
        int32_t timeout = atomic_load(&s->send_timeout);
        err = sp_os_socket_send(os_of(s), w, blocking, timeout == 0 ? -1 : timeout, buffer, size, 0, NULL, &done);
    } else {
        int32_t timeout = atomic_load(&s->receive_timeout);
        err = sp_os_socket_receive(os_of(s), w, blocking, timeout == 0 ? -1 : timeout, buffer, size, 0, NULL, &done);
    }
    if (err)
        return lean_failed(s, err);
    sp_clear();
    leave(s);
    return done;
}

int32_t(Socket_Send)(Socket *s, const void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags)
{
    int32_t n = offset == 0 ? io_lean(s, IO_SEND, (void *)buffer, size, socketFlags) : -2;
    return n != -2 ? n : io_call(s, IO_SEND, (void *)buffer, offset, size, socketFlags, true, NULL);
}
int32_t Socket_SendSpan(Socket *s, const void *buffer, int32_t size, SocketFlags socketFlags)
{
    int32_t n = io_lean(s, IO_SEND, (void *)buffer, size, socketFlags);
    return n != -2 ? n : io_call(s, IO_SEND, (void *)buffer, 0, size, socketFlags, false, NULL);
}
int32_t Socket_SendWithError(Socket *s, const void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags,
                             SocketError *errorCode)
{
    SocketError unused;
    return io_call(s, IO_SEND, (void *)buffer, offset, size, socketFlags, true, errorCode ? errorCode : &unused);
}
int32_t Socket_SendSpanWithError(Socket *s, const void *buffer, int32_t size, SocketFlags socketFlags,
                                 SocketError *errorCode)
{
    SocketError unused;
    return io_call(s, IO_SEND, (void *)buffer, 0, size, socketFlags, false, errorCode ? errorCode : &unused);
}
int32_t(Socket_Receive)(Socket *s, void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags)
{
    int32_t n = offset == 0 ? io_lean(s, IO_RECEIVE, buffer, size, socketFlags) : -2;
    return n != -2 ? n : io_call(s, IO_RECEIVE, buffer, offset, size, socketFlags, true, NULL);
}
int32_t Socket_ReceiveSpan(Socket *s, void *buffer, int32_t size, SocketFlags socketFlags)
{
    int32_t n = io_lean(s, IO_RECEIVE, buffer, size, socketFlags);
    return n != -2 ? n : io_call(s, IO_RECEIVE, buffer, 0, size, socketFlags, false, NULL);
}
int32_t Socket_ReceiveWithError(Socket *s, void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags,
                                SocketError *errorCode)
{
    SocketError unused;
    return io_call(s, IO_RECEIVE, buffer, offset, size, socketFlags, true, errorCode ? errorCode : &unused);
}
int32_t Socket_ReceiveSpanWithError(Socket *s, void *buffer, int32_t size, SocketFlags socketFlags,
                                    SocketError *errorCode)
{
    SocketError unused;
    return io_call(s, IO_RECEIVE, buffer, 0, size, socketFlags, false, errorCode ? errorCode : &unused);
}

/* _rightEndPoint after a send: the OS bound the socket for it (a store only the first time). */
static inline void mark_bound(Socket *s)
{
    if (!atomic_load(&s->bound))
        atomic_store(&s->bound, true);
}

static int32_t send_to(Socket *s, const void *buffer, int32_t offset, int32_t size, int32_t flags,
                       const EndPoint *remoteEP, bool has_offset)
{
    if (!enter(s))
        return -1;
    int32_t n = -1;
    sp_os_sockaddr a;
    if (check_buffer(buffer, offset, size, has_offset) && serialize(s, remoteEP, "remoteEP", &a)) {
        int32_t error, code;
        n = do_io(s, IO_SEND, (uint8_t *)buffer + offset, size, flags, &a, NULL, &error, &code, NULL);
        if (n < 0) {
            sp_throw_socket_error(code, NULL);
        } else {
            mark_bound(s);
            sp_clear();
        }
    }
    leave(s);
    return n;
}

/* send_to for lean_enter's common case with an IPEndPoint of the socket's own family (no dual-mode
 * mapping to decide, which asks the OS); anything else takes send_to (-2). */
static inline int32_t send_to_lean(Socket *s, const void *buffer, int32_t size, int32_t flags, const EndPoint *remoteEP)
{
    const IPEndPoint *ep = sp_exact_ipendpoint(remoteEP);
    sp_os_waker *w;
    bool blocking;
    int32_t r = lean_enter_ip(s, ep, buffer, size, flags, &w, &blocking);
    if (r)
        return r;
    sp_os_sockaddr a;
    sp_ipendpoint_serialize(ep, &a);
    int32_t timeout = atomic_load(&s->send_timeout), done = 0;
    int32_t err = sp_os_socket_send(os_of(s), w, blocking, timeout == 0 ? -1 : timeout, buffer, size, 0, &a, &done);
    if (err)
        return lean_failed(s, err);
    mark_bound(s);
    sp_clear();
    leave(s);
    return done;
}

int32_t(Socket_SendTo)(Socket *s, const void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags,
                       const EndPoint *remoteEP)
{
    int32_t n = offset == 0 ? send_to_lean(s, buffer, size, socketFlags, remoteEP) : -2;
    return n != -2 ? n : send_to(s, buffer, offset, size, socketFlags, remoteEP, true);
}
int32_t Socket_SendToSpan(Socket *s, const void *buffer, int32_t size, SocketFlags socketFlags,
                          const EndPoint *remoteEP)
{
    int32_t n = send_to_lean(s, buffer, size, socketFlags, remoteEP);
    return n != -2 ? n : send_to(s, buffer, 0, size, socketFlags, remoteEP, false);
}

/* SocketAddress.Equals for the IP families: the same address, port, scope and flow. */
static bool same_ip_address(const sp_os_sockaddr *a, const sp_os_sockaddr *b)
{
    if (a->family != b->family || a->port != b->port)
        return false;
    if (a->family == AddressFamily_InterNetwork)
        return memcmp(a->address, b->address, 4) == 0;
    return a->family == AddressFamily_InterNetworkV6 && memcmp(a->address, b->address, 16) == 0 &&
           a->scope_id == b->scope_id && a->flow_info == b->flow_info;
}

/* The sender as *remoteEP: kept when it equals the caller's endpoint as serialized before the
 * receive (`original`, keep), else replaced (sp_endpoint_replace); false with OutOfMemoryException.
 * An IP socket's sender of another family is no sender: the OS names none for a stream's peer
 * (the seam's unnamed address), and .NET 10's ReceiveFrom on a connected TCP socket leaves remoteEP
 * as given. */
static bool store_sender(const Socket *s, EndPoint **remoteEP, bool keep, const sp_os_sockaddr *original,
                         const sp_os_sockaddr *from)
{
    if (keep && same_ip_address(original, from))
        return true;
    if ((s->family == AddressFamily_InterNetwork || s->family == AddressFamily_InterNetworkV6) &&
        from->family != AddressFamily_InterNetwork && from->family != AddressFamily_InterNetworkV6)
        return true;
    return sp_endpoint_replace(remoteEP, from);
}

/* A ReceiveFrom that failed: its exception, after the sender of a datagram longer than the buffer
 * (Windows' MessageSize, with `received` bytes in the buffer) is stored as Socket.cs stores it
 * before it throws; an endpoint that could not be made is left as it was (.NET's catch). */
static SP_NOINLINE void receive_from_failed(const Socket *s, EndPoint **remoteEP, bool keep,
                                            const sp_os_sockaddr *original, const sp_os_sockaddr *from,
                                            int32_t received, int32_t error, int32_t code)
{
    if (error == SocketError_MessageSize && received > 0)
        (void)store_sender(s, remoteEP, keep, original, from);
    sp_throw_socket_error(code, NULL);
}

static int32_t receive_from(Socket *s, void *buffer, int32_t offset, int32_t size, int32_t flags, EndPoint **remoteEP,
                            bool has_offset)
{
    if (!enter(s))
        return -1;
    int32_t n = -1;
    if (!check_buffer(buffer, offset, size, has_offset)) {
    } else if (!remoteEP) {
        sp_throw_null("remoteEP");
    } else if (*remoteEP && !sp_check_type_fast(*remoteEP, &sp_type_EndPoint, "remoteEP")) {
    } else if (*remoteEP && ((Object *)*remoteEP)->type != &sp_type_IPEndPoint &&
               sp_type_is(((Object *)*remoteEP)->type, &sp_type_DnsEndPoint)) {
        sp_throwf_sr(ExceptionType_ArgumentException, "remoteEP", SR_net_sockets_invalid_dnsendpoint, "remoteEP");
    } else if (*remoteEP && !can_try_family(s, sp_endpoint_family(*remoteEP))) {
        throw_wrong_family(sp_endpoint_family(*remoteEP), s->family, "remoteEP");
    } else if (!atomic_load(&s->bound)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_sockets_mustbind, NULL);
    } else {
        int32_t error, code, done = 0;
        sp_os_sockaddr from, original; /* filled by the receive and by serialize */
        /* .NET serializes remoteEP first and replaces it only when the sender differs
         * (socketAddressOriginal.Equals(socketAddress)): a reply from the same peer keeps the
         * caller's object, and no endpoint is made per datagram. */
        int32_t ep_family = *remoteEP ? sp_endpoint_family(*remoteEP) : AddressFamily_Unspecified;
        bool keep = ep_family == AddressFamily_InterNetwork || ep_family == AddressFamily_InterNetworkV6;
        if (keep && !serialize(s, *remoteEP, "remoteEP", &original)) {
            leave(s);
            return -1;
        }
        n = do_io(s, IO_RECEIVE, (uint8_t *)buffer + offset, size, flags, NULL, &from, &error, &code, &done);
        if (n < 0)
            receive_from_failed(s, remoteEP, keep, &original, &from, done, error, code);
        else if (store_sender(s, remoteEP, keep, &original, &from))
            sp_clear();
        else
            n = -1;
    }
    leave(s);
    return n;
}

/* lean_failed for receive_from_lean, which may have a sender to store first. */
static SP_NOINLINE int32_t receive_from_lean_failed(Socket *s, int32_t err, EndPoint **remoteEP,
                                                    const sp_os_sockaddr *original, const sp_os_sockaddr *from,
                                                    int32_t received)
{
    int32_t error, code;
    io_error(s, err, &error, &code);
    receive_from_failed(s, remoteEP, true, original, from, received, error, code);
    leave(s);
    return -1;
}

/* receive_from for lean_enter's common case with an IPEndPoint of the socket's own family in
 * *remoteEP (every check of receive_from passes: the type, not a DnsEndPoint, the family) on a
 * bound socket; anything else takes receive_from (-2). */
static inline int32_t receive_from_lean(Socket *s, void *buffer, int32_t size, int32_t flags, EndPoint **remoteEP)
{
    const IPEndPoint *ep = remoteEP ? sp_exact_ipendpoint(*remoteEP) : NULL;
    sp_os_waker *w;
    bool blocking;
    int32_t r = lean_enter_ip(s, ep, buffer, size, flags, &w, &blocking);
    if (r)
        return r;
    if (!atomic_load(&s->bound)) {
        /* receive_from's exception, raised before the release (as lean_enter's) */
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_sockets_mustbind, NULL);
        leave(s);
        return -1;
    }
    sp_os_sockaddr from, original;
    sp_ipendpoint_serialize(ep, &original); /* before the receive, as .NET serializes remoteEP */
    int32_t timeout = atomic_load(&s->receive_timeout), done = 0;
    int32_t err =
        sp_os_socket_receive(os_of(s), w, blocking, timeout == 0 ? -1 : timeout, buffer, size, 0, &from, &done);
    if (err)
        return receive_from_lean_failed(s, err, remoteEP, &original, &from, done);
    if (store_sender(s, remoteEP, true, &original, &from)) {
        sp_clear();
    } else {
        done = -1;
    }
    leave(s);
    return done;
}

int32_t(Socket_ReceiveFrom)(Socket *s, void *buffer, int32_t offset, int32_t size, SocketFlags socketFlags,
                            EndPoint **remoteEP)
{
    int32_t n = offset == 0 ? receive_from_lean(s, buffer, size, socketFlags, remoteEP) : -2;
    return n != -2 ? n : receive_from(s, buffer, offset, size, socketFlags, remoteEP, true);
}
int32_t Socket_ReceiveFromSpan(Socket *s, void *buffer, int32_t size, SocketFlags socketFlags, EndPoint **remoteEP)
{
    int32_t n = receive_from_lean(s, buffer, size, socketFlags, remoteEP);
    return n != -2 ? n : receive_from(s, buffer, 0, size, socketFlags, remoteEP, false);
}

/* ---------------------------------------------------------------- Shutdown */

bool Socket_Shutdown(Socket *s, SocketShutdown how)
{
    if (!enter(s))
        return false;
    int32_t err = sp_os_socket_shutdown(os_of(s), how);
    /* SocketPal.Unix: ENOTCONN after a connection is success, as WinSock has it */
    if (err && sp_os_error_socket_error(err) == SocketError_NotConnected &&
        (atomic_load(&s->connected) || atomic_load(&s->was_connected)))
        err = 0;
    if (err) {
        fail(s, err);
    } else {
        if (how != SocketShutdown_Receive)
            atomic_store(&s->shutdown_send, true);
        sp_clear();
    }
    leave(s);
    return err == 0;
}

/* ---------------------------------------------------------------- Poll, Select */

static int32_t poll_ms(int32_t microSeconds) { return microSeconds == -1 ? -1 : microSeconds / 1000; }

bool Socket_Poll(Socket *s, int32_t microSeconds, SelectMode mode)
{
    if (!enter(s))
        return false;
    int32_t err;
    sp_os_waker *w = waker_of(s, true, &err);
    sp_os_poll_entry e = {os_of(s), w, mode, false, false};
    int32_t ready = 0;
    if (!err) {
        err = sp_os_socket_poll(&e, 1, poll_ms(microSeconds), &ready);
    }
    bool result = false;
    if (err) {
        sp_throw_socket_error(as_dotnet(err), NULL);
    } else {
        /* a Dispose that ended the wait leaves a socket that reads (its end) and writes */
        result = e.ready || (e.woken && mode != SelectMode_SelectError);
        sp_clear();
    }
    leave(s);
    return result;
}

#define MAX_SELECT 65536

static bool check_list(Socket **list, const int32_t *count, const char *param)
{
    /* A negative count is no list length (.NET's IList has none): refused before any total of the
     * counts is taken, which a negative one would make smaller than the lists it must hold. */
    if (list && count && *count < 0) {
        sp_throw_need_nonneg(param);
        return false;
    }
    if (list && count && *count > MAX_SELECT) {
        char text[256];
        snprintf(text, sizeof text, sp_sr(SR_net_sockets_toolarge_select), param, "65536");
        sp_throw_out_of_range(param, text);
        return false;
    }
    if (!list && count && *count > 0) {
        sp_throw_null(param);
        return false;
    }
    for (int32_t i = 0; list && count && i < *count; i++) {
        const Object *o = (const Object *)list[i];
        if (!o || o->magic != SP_OBJECT_MAGIC || !sp_type_is(o->type, &sp_type_Socket)) {
            const char *name = o && o->magic == SP_OBJECT_MAGIC ? o->type->name : "";
            sp_throwf_sr(ExceptionType_ArgumentException, "socketList", SR_net_sockets_select, name,
                         sp_type_Socket.name);
            return false;
        }
    }
    return true;
}

static int32_t list_count(Socket **list, const int32_t *count) { return list && count ? *count : 0; }

bool Socket_Select(Socket **checkRead, int32_t *readCount, Socket **checkWrite, int32_t *writeCount,
                   Socket **checkError, int32_t *errorCount, int32_t microSeconds)
{
    int32_t nr = list_count(checkRead, readCount), nw = list_count(checkWrite, writeCount),
            ne = list_count(checkError, errorCount);
    if (nr == 0 && nw == 0 && ne == 0) {
        sp_throw_sr(ExceptionType_ArgumentNullException, SR_net_sockets_empty_select, NULL);
        return false;
    }
    if (!check_list(checkRead, readCount, "checkRead") || !check_list(checkWrite, writeCount, "checkWrite") ||
        !check_list(checkError, errorCount, "checkError"))
        return false;
    int32_t total = nr + nw + ne;
    sp_os_poll_entry *e = sp_malloc(sizeof *e * (size_t)total);
    if (!e)
        return false;
    Socket **lists[3] = {checkRead, checkWrite, checkError};
    int32_t counts[3] = {nr, nw, ne};
    int32_t entered = 0, err = 0;
    for (int32_t l = 0, k = 0; l < 3 && !err; l++) {
        for (int32_t i = 0; i < counts[l]; i++, k++) {
            Socket *s = lists[l][i];
            if (!enter(s)) {
                err = -1;
                break;
            }
            entered++;
            e[k].socket = os_of(s);
            e[k].waker = waker_of(s, true, &err);
            e[k].mode = l;
            e[k].ready = e[k].woken = false;
            if (err) {
                sp_throw_socket_error(as_dotnet(err), NULL);
                err = -1;
                break;
            }
        }
    }
    if (!err) {
        int32_t ready = 0;
        /* every socket is pinned (entered above): Dispose counts the call by its reference */
        err = sp_os_socket_poll(e, total, poll_ms(microSeconds), &ready);
        if (err) {
            sp_throw_socket_error(as_dotnet(err), NULL);
            err = -1;
        }
    }
    /* leave every socket entered, in the order entered */
    for (int32_t l = 0, k = 0; l < 3 && k < entered; l++)
        for (int32_t i = 0; i < counts[l] && k < entered; i++, k++)
            leave(lists[l][i]);
    if (!err) {
        /* the lists keep their ready sockets, in order (SelectViaPoll's filter) */
        int32_t *outs[3] = {readCount, writeCount, errorCount};
        for (int32_t l = 0, k = 0; l < 3; l++) {
            int32_t kept = 0;
            for (int32_t i = 0; i < counts[l]; i++, k++)
                if (e[k].ready || (e[k].woken && l != 2))
                    lists[l][kept++] = lists[l][i];
            if (outs[l])
                *outs[l] = kept;
        }
        sp_clear();
    }
    free(e);
    return err == 0;
}

/* ---------------------------------------------------------------- properties */

intptr_t Socket_get_Handle(Socket *s)
{
    if (!check_disposed(s))
        return -1;
    sp_clear();
    return (intptr_t)os_of(s);
}

AddressFamily Socket_get_AddressFamily(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return AddressFamily_Unknown;
    sp_clear();
    return (AddressFamily)s->family;
}

SocketType Socket_get_SocketType(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return SocketType_Unknown;
    sp_clear();
    return (SocketType)s->type;
}

ProtocolType Socket_get_ProtocolType(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return ProtocolType_Unknown;
    sp_clear();
    return (ProtocolType)s->protocol;
}

bool Socket_get_Connected(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    sp_clear();
    return atomic_load(&s->connected);
}

bool Socket_get_IsBound(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    sp_clear();
    return atomic_load(&s->bound);
}

int32_t Socket_get_Available(Socket *s)
{
    if (!enter(s))
        return 0;
    int32_t n = 0, err = sp_os_socket_available(os_of(s), &n);
    /* A Dispose since the pin disconnects a stream, which drops what it had received (0 here):
     * the call ends as one that came after it, as LocalEndPoint */
    if (closed_after_pin(s)) {
        throw_disposed();
        n = 0;
    } else if (err) {
        fail(s, err);
    } else {
        sp_clear();
    }
    leave(s);
    return n;
}

bool Socket_get_Blocking(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    sp_clear();
    return atomic_load(&s->will_block);
}

bool Socket_set_Blocking(Socket *s, bool value)
{
    if (!enter(s))
        return false;
    int32_t err = sp_os_socket_set_blocking(os_of(s), value);
    if (err) {
        fail(s, err);
    } else {
        atomic_store(&s->will_block, value);
        sp_clear();
    }
    leave(s);
    return err == 0;
}

/* Get/SetSocketOption's integer path on a pinned socket: .NET's exception on failure. */
static bool get_int(Socket *s, int32_t level, int32_t name, int32_t *value)
{
    int32_t err = sp_os_socket_get_option(os_of(s), level, name, value);
    if (err) {
        fail(s, err);
        return false;
    }
    return true;
}
static bool set_int(Socket *s, int32_t level, int32_t name, int32_t value)
{
    int32_t err = sp_os_socket_set_option(os_of(s), level, name, value);
    if (err) {
        fail(s, err);
        return false;
    }
    return true;
}

/* GetSocketOption(IP or IPv6, AddMembership or DropMembership): .NET's object overload goes to
 * GetMulticastOpt / GetIPv6MulticastOpt, which ask the OS with the option's own structure (an
 * 8-byte IPMulticastRequest / ip_mreq, a 20-byte IPv6MulticastRequest / ipv6_mreq). Both options
 * are write-only on Linux (ENOPROTOOPT) and Windows (WSAENOPROTOOPT): SocketException
 * ProtocolOption, with UpdateStatusAfterSocketError's effect on Connected. A MulticastOption has
 * no int form, so an OS that answered would leave 0; none that sharpipc runs on does. */
static bool is_membership_get(int32_t level, int32_t name)
{
    return (level == SocketOptionLevel_IP || level == SocketOptionLevel_IPv6) &&
           (name == SocketOptionName_AddMembership || name == SocketOptionName_DropMembership);
}

static bool get_membership(Socket *s, int32_t level, int32_t name)
{
    uint8_t request[20];
    int32_t n = level == SocketOptionLevel_IP ? 8 : 20;
    memset(request, 0, sizeof request);
    int32_t err = sp_os_socket_get_option_bytes(os_of(s), level, name, request, &n);
    if (err) {
        fail(s, err);
        return false;
    }
    return true;
}

/* The Socket-level ReceiveTimeout / SendTimeout: the value the socket keeps for itself, which
 * SetSocketOption and the properties store and GetSocketOption answers (SocketPal.Unix's
 * Get/SetSockOpt; the waits of a call that cannot sleep in the kernel read it), or NULL. */
static atomic_int *stored_timeout(Socket *s, int32_t level, int32_t name)
{
    if (level != SocketOptionLevel_Socket)
        return NULL;
    return name == SocketOptionName_ReceiveTimeout ? &s->receive_timeout
           : name == SocketOptionName_SendTimeout  ? &s->send_timeout
                                                   : NULL;
}

int32_t Socket_GetSocketOption(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName)
{
    if (!enter(s))
        return 0;
    int32_t v = 0;
    atomic_int *timeout = stored_timeout(s, optionLevel, optionName);
    if (timeout) {
        v = atomic_load(timeout);
        sp_clear();
    } else if (is_membership_get(optionLevel, optionName) ? get_membership(s, optionLevel, optionName)
                                                          : get_int(s, optionLevel, optionName, &v)) {
        sp_clear();
    }
    leave(s);
    return v;
}

bool Socket_SetSocketOptionInt32(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                 int32_t optionValue)
{
    if (!enter(s))
        return false;
    bool ok = false;
    if (optionLevel == SocketOptionLevel_Socket && optionName == SocketOptionName_ExclusiveAddressUse &&
        atomic_load(&s->bound)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_sockets_mustnotbebound, NULL);
    } else if ((ok = set_int(s, optionLevel, optionName, optionValue))) {
        atomic_int *timeout = stored_timeout(s, optionLevel, optionName);
        if (timeout) /* -1 kept as 0 (both infinite), as .NET's handle keeps it; any other below 0 waits
                      * without end too (the seam's deadline) */
            atomic_store(timeout, optionValue == -1 ? 0 : optionValue);
        sp_clear();
    }
    leave(s);
    return ok;
}

bool Socket_SetSocketOptionBoolean(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                   bool optionValue)
{
    return Socket_SetSocketOptionInt32(s, optionLevel, optionName, optionValue ? 1 : 0);
}

int32_t Socket_GetSocketOptionBytes(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                    void *optionValue, int32_t length)
{
    if (!enter(s))
        return -1;
    int32_t n = length, result = -1;
    if (!optionValue && length > 0) {
        sp_throw_null("optionValue");
    } else if (length < 0) {
        sp_throw_out_of_range("length", NULL);
    } else {
        int32_t err = sp_os_socket_get_option_bytes(os_of(s), optionLevel, optionName, optionValue, &n);
        if (err) {
            fail(s, err);
        } else {
            result = n;
            sp_clear();
        }
    }
    leave(s);
    return result;
}

bool Socket_SetSocketOptionBytes(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                 const void *optionValue, int32_t length)
{
    if (!enter(s))
        return false;
    bool ok = false;
    if (!optionValue && length > 0) {
        sp_throw_null("optionValue");
    } else if (length < 0) {
        sp_throw_out_of_range("length", NULL);
    } else {
        int32_t err = sp_os_socket_set_option_bytes(os_of(s), optionLevel, optionName, optionValue, length);
        if (err)
            fail(s, err);
        else
            ok = (sp_clear(), true);
    }
    leave(s);
    return ok;
}

static bool linger_ok(LingerOption v)
{
    if (v.LingerTime < 0 || v.LingerTime > 65535) {
        sp_throwf_sr(ExceptionType_ArgumentException, "optionValue", SR_ArgumentOutOfRange_Bounds_Lower_Upper_Named,
                     "optionValue.LingerTime", 0, 65535);
        return false;
    }
    return true;
}

LingerOption Socket_GetSocketOptionLinger(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName)
{
    LingerOption v = {false, 0};
    if (!enter(s))
        return v;
    int32_t err;
    if (optionLevel != SocketOptionLevel_Socket || optionName != SocketOptionName_Linger) {
        int32_t n = 0;
        if (get_int(s, optionLevel, optionName, &n)) {
            v.Enabled = n != 0;
            sp_clear();
        }
    } else {
        err = sp_os_socket_get_linger(os_of(s), &v.Enabled, &v.LingerTime);
        if (closed_after_pin(s)) {
            /* a Dispose since the pin sets its own linger for an abortive close (socket_close),
             * not the user's: the call ends as one that came after it, as LocalEndPoint */
            throw_disposed();
            v.Enabled = false;
            v.LingerTime = 0;
        } else if (err) {
            fail(s, err);
        } else {
            sp_clear();
        }
    }
    leave(s);
    return v;
}

bool Socket_SetSocketOptionLinger(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                  LingerOption optionValue)
{
    if (!enter(s))
        return false;
    bool ok = false;
    int32_t err;
    if (optionLevel != SocketOptionLevel_Socket || optionName != SocketOptionName_Linger) {
        sp_throwf_sr(ExceptionType_ArgumentException, "optionValue", SR_net_sockets_invalid_optionValue,
                     "LingerOption");
    } else if (!linger_ok(optionValue)) {
    } else if ((err = sp_os_socket_set_linger(os_of(s), optionValue.Enabled, optionValue.LingerTime)) != 0) {
        fail(s, err);
    } else {
        ok = (sp_clear(), true);
    }
    leave(s);
    return ok;
}

LingerOption Socket_get_LingerState(Socket *s)
{
    return Socket_GetSocketOptionLinger(s, SocketOptionLevel_Socket, SocketOptionName_Linger);
}
bool Socket_set_LingerState(Socket *s, LingerOption value)
{
    return Socket_SetSocketOptionLinger(s, SocketOptionLevel_Socket, SocketOptionName_Linger, value);
}

static bool get_bool(Socket *s, int32_t level, int32_t name)
{
    return Socket_GetSocketOption(s, (SocketOptionLevel)level, (SocketOptionName)name) != 0;
}

bool Socket_get_NoDelay(Socket *s) { return get_bool(s, SocketOptionLevel_Tcp, SocketOptionName_NoDelay); }
bool Socket_set_NoDelay(Socket *s, bool value)
{
    return Socket_SetSocketOptionBoolean(s, SocketOptionLevel_Tcp, SocketOptionName_NoDelay, value);
}
bool Socket_get_EnableBroadcast(Socket *s) { return get_bool(s, SocketOptionLevel_Socket, SocketOptionName_Broadcast); }
bool Socket_set_EnableBroadcast(Socket *s, bool value)
{
    return Socket_SetSocketOptionBoolean(s, SocketOptionLevel_Socket, SocketOptionName_Broadcast, value);
}
bool Socket_get_ExclusiveAddressUse(Socket *s)
{
    return get_bool(s, SocketOptionLevel_Socket, SocketOptionName_ExclusiveAddressUse);
}
bool Socket_set_ExclusiveAddressUse(Socket *s, bool value)
{
    return Socket_SetSocketOptionBoolean(s, SocketOptionLevel_Socket, SocketOptionName_ExclusiveAddressUse, value);
}

bool Socket_get_DualMode(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (s->family != AddressFamily_InterNetworkV6) { /* .NET 10: false, no exception */
        if (!check_disposed(s))
            return false;
        sp_clear();
        return false;
    }
    return Socket_GetSocketOption(s, SocketOptionLevel_IPv6, SocketOptionName_IPv6Only) == 0 && !sp_failed();
}

bool Socket_set_DualMode(Socket *s, bool value)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (s->family != AddressFamily_InterNetworkV6) {
        if (check_disposed(s))
            sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
        return false;
    }
    return Socket_SetSocketOptionInt32(s, SocketOptionLevel_IPv6, SocketOptionName_IPv6Only, value ? 0 : 1);
}

int16_t Socket_get_Ttl(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return 0;
    if (s->family == AddressFamily_InterNetwork)
        return (int16_t)Socket_GetSocketOption(s, SocketOptionLevel_IP, SocketOptionName_IpTimeToLive);
    if (s->family == AddressFamily_InterNetworkV6)
        return (int16_t)Socket_GetSocketOption(s, SocketOptionLevel_IPv6, SocketOptionName_IpTimeToLive);
    if (check_disposed(s))
        sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
    return 0;
}

bool Socket_set_Ttl(Socket *s, int16_t value)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (value < 0 || value > 255) {
        sp_throw_out_of_range("value", NULL);
        return false;
    }
    if (s->family == AddressFamily_InterNetwork)
        return Socket_SetSocketOptionInt32(s, SocketOptionLevel_IP, SocketOptionName_IpTimeToLive, value);
    if (s->family == AddressFamily_InterNetworkV6)
        return Socket_SetSocketOptionInt32(s, SocketOptionLevel_IPv6, SocketOptionName_IpTimeToLive, value);
    if (check_disposed(s))
        sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
    return false;
}

bool Socket_get_DontFragment(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (s->family == AddressFamily_InterNetwork)
        return get_bool(s, SocketOptionLevel_IP, SocketOptionName_DontFragment);
    if (check_disposed(s))
        sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
    return false;
}

bool Socket_set_DontFragment(Socket *s, bool value)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (s->family == AddressFamily_InterNetwork)
        return Socket_SetSocketOptionBoolean(s, SocketOptionLevel_IP, SocketOptionName_DontFragment, value);
    if (check_disposed(s))
        sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
    return false;
}

int32_t Socket_get_ReceiveBufferSize(Socket *s)
{
    return Socket_GetSocketOption(s, SocketOptionLevel_Socket, SocketOptionName_ReceiveBuffer);
}
bool Socket_set_ReceiveBufferSize(Socket *s, int32_t value)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (value < 0) {
        sp_throw_if_negative("value", value);
        return false;
    }
    return Socket_SetSocketOptionInt32(s, SocketOptionLevel_Socket, SocketOptionName_ReceiveBuffer, value);
}
int32_t Socket_get_SendBufferSize(Socket *s)
{
    return Socket_GetSocketOption(s, SocketOptionLevel_Socket, SocketOptionName_SendBuffer);
}
bool Socket_set_SendBufferSize(Socket *s, int32_t value)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (value < 0) {
        sp_throw_if_negative("value", value);
        return false;
    }
    return Socket_SetSocketOptionInt32(s, SocketOptionLevel_Socket, SocketOptionName_SendBuffer, value);
}

/* The stored timeouts: .NET keeps the value it set (0 for infinite) and answers it back. */
static bool set_timeout(Socket *s, int32_t value, bool send)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (value < -1) {
        sp_throw_if_less_than("value", value, -1);
        return false;
    }
    if (value == -1)
        value = 0;
    /* (which stores it) */
    return Socket_SetSocketOptionInt32(s, SocketOptionLevel_Socket,
                                       send ? SocketOptionName_SendTimeout : SocketOptionName_ReceiveTimeout, value);
}

static int32_t get_timeout(Socket *s, bool send)
{
    if (!check_disposed(s))
        return 0;
    sp_clear();
    return atomic_load(send ? &s->send_timeout : &s->receive_timeout);
}

int32_t Socket_get_ReceiveTimeout(Socket *s) { return get_timeout(s, false); }
bool Socket_set_ReceiveTimeout(Socket *s, int32_t value) { return set_timeout(s, value, false); }
int32_t Socket_get_SendTimeout(Socket *s) { return get_timeout(s, true); }
bool Socket_set_SendTimeout(Socket *s, int32_t value) { return set_timeout(s, value, true); }

/* ---------------------------------------------------------------- MulticastLoopback, multicast options */

bool Socket_get_MulticastLoopback(Socket *s)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (s->family == AddressFamily_InterNetwork)
        return get_bool(s, SocketOptionLevel_IP, SocketOptionName_MulticastLoopback);
    if (s->family == AddressFamily_InterNetworkV6)
        return get_bool(s, SocketOptionLevel_IPv6, SocketOptionName_MulticastLoopback);
    if (check_disposed(s))
        sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
    return false;
}

bool Socket_set_MulticastLoopback(Socket *s, bool value)
{
    if (!sp_check_type(s, &sp_type_Socket, "s"))
        return false;
    if (s->family == AddressFamily_InterNetwork)
        return Socket_SetSocketOptionBoolean(s, SocketOptionLevel_IP, SocketOptionName_MulticastLoopback, value);
    if (s->family == AddressFamily_InterNetworkV6)
        return Socket_SetSocketOptionBoolean(s, SocketOptionLevel_IPv6, SocketOptionName_MulticastLoopback, value);
    if (check_disposed(s))
        sp_throw_sr(ExceptionType_NotSupportedException, SR_net_invalidversion, NULL);
    return false;
}

extern const sp_type sp_type_MulticastOption;
extern const sp_type sp_type_IPv6MulticastOption;

/* SetSocketOption(level, name, object): the checks of .NET's object overload, in its order. */
static bool multicast_option_ok(int32_t level, int32_t name, const void *option, int32_t want_level,
                                const sp_type *type)
{
    if (!option) {
        sp_throw_null("optionValue");
        return false;
    }
    if (level == SocketOptionLevel_Socket && name == SocketOptionName_Linger) {
        sp_throwf_sr(ExceptionType_ArgumentException, "optionValue", SR_net_sockets_invalid_optionValue,
                     "LingerOption");
        return false;
    }
    bool membership = name == SocketOptionName_AddMembership || name == SocketOptionName_DropMembership;
    if (membership && (level == SocketOptionLevel_IP || level == SocketOptionLevel_IPv6) && level != want_level) {
        sp_throwf_sr(ExceptionType_ArgumentException, "optionValue", SR_net_sockets_invalid_optionValue,
                     level == SocketOptionLevel_IP ? "MulticastOption" : "IPv6MulticastOption");
        return false;
    }
    if (!membership || level != want_level) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_net_sockets_invalid_optionValue_all, "optionValue");
        return false;
    }
    return sp_check_type(option, type, "optionValue") != NULL;
}

bool Socket_SetSocketOptionMulticast(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                     MulticastOption *optionValue)
{
    if (!enter(s))
        return false;
    bool ok = false;
    if (multicast_option_ok(optionLevel, optionName, optionValue, SocketOptionLevel_IP, &sp_type_MulticastOption)) {
        int32_t family, err;
        uint8_t group[16], local[16];
        uint32_t scope;
        IPAddress *g = MulticastOption_get_Group(optionValue);
        IPAddress *l = MulticastOption_get_LocalAddress(optionValue);
        int32_t index = MulticastOption_get_InterfaceIndex(optionValue);
        int32_t local_family = AddressFamily_InterNetwork;
        memset(group, 0, sizeof group);
        memset(local, 0, sizeof local);
        sp_ipaddress_bytes(g, &family, group, &scope);
        if (l)
            sp_ipaddress_bytes(l, &local_family, local, &scope);
        if (family != AddressFamily_InterNetwork || local_family != AddressFamily_InterNetwork)
            throw_socket_error(SocketError_OperationNotSupported); /* .NET reads IPAddress.Address */
        else if ((err = sp_os_socket_set_multicast(os_of(s), optionName, group, l ? local : NULL, index)) != 0)
            fail(s, err);
        else
            ok = (sp_clear(), true);
    }
    leave(s);
    return ok;
}

bool Socket_SetSocketOptionIPv6Multicast(Socket *s, SocketOptionLevel optionLevel, SocketOptionName optionName,
                                         IPv6MulticastOption *optionValue)
{
    if (!enter(s))
        return false;
    bool ok = false;
    if (multicast_option_ok(optionLevel, optionName, optionValue, SocketOptionLevel_IPv6,
                            &sp_type_IPv6MulticastOption)) {
        int32_t family, err;
        uint8_t group[16];
        uint32_t scope;
        memset(group, 0, sizeof group); /* an IPv4 group fills 4 bytes: the OS refuses the rest */
        sp_ipaddress_bytes(IPv6MulticastOption_get_Group(optionValue), &family, group, &scope);
        uint32_t index = (uint32_t)IPv6MulticastOption_get_InterfaceIndex(optionValue);
        if ((err = sp_os_socket_set_ipv6_multicast(os_of(s), optionName, group, index)) != 0)
            fail(s, err);
        else
            ok = (sp_clear(), true);
    }
    leave(s);
    return ok;
}

/* ---------------------------------------------------------------- SendFile */

bool Socket_SendFileWithBuffers(Socket *s, const char *fileName, const void *preBuffer, int32_t preBufferLength,
                                const void *postBuffer, int32_t postBufferLength, TransmitFileOptions flags)
{
    if (!enter(s))
        return false;
    bool ok = false;
    sp_os_file file = SP_OS_FILE_INVALID;
    char *full = NULL;
    if (s->type != SocketType_Stream || !atomic_load(&s->connected)) {
        /* A Dispose between the pin and this check has cleared connected: the call ends as one
         * that came after the Dispose (ThrowIfDisposed), not as one on an unconnected socket. */
        if (closed_after_pin(s))
            throw_disposed();
        else
            sp_throw_sr(ExceptionType_NotSupportedException, SR_net_notconnected, NULL);
    } else if ((flags & ~sp_os_socket_send_file_options()) != 0) {
        /* CheckTransmitFileOptions (Unix): before the file is opened */
        sp_throw_sr(ExceptionType_PlatformNotSupportedException, SR_net_sockets_transmitfileoptions_notsupported, NULL);
    } else if ((preBufferLength > 0 && !preBuffer) || (postBufferLength > 0 && !postBuffer)) {
        sp_throw_null(preBufferLength > 0 && !preBuffer ? "preBuffer" : "postBuffer");
    } else if (preBufferLength < 0 || postBufferLength < 0) {
        sp_throw_out_of_range(preBufferLength < 0 ? "preBuffer" : "postBuffer", NULL);
    } else {
        int32_t err = 0;
        bool opened = true;
        /* OpenFileHandle: null or "" is no file; File.OpenHandle(FileMode.Open, FileAccess.Read) */
        if (fileName && fileName[0]) {
            if (!(full = sp_os_path_full(fileName))) {
                sp_throw_out_of_memory();
                opened = false;
            } else if ((err = sp_os_file_open(full, FileMode_Open, FileAccess_Read, FileShare_Read, FileOptions_None,
                                              &file)) != 0) {
                sp_throw_io_error(err, full);
                opened = false;
            }
        }
        if (opened) {
            bool blocking = atomic_load(&s->will_block);
            int32_t timeout = atomic_load(&s->send_timeout);
            /* the waker whichever the mode: Windows' TransmitFile waits for the whole transfer
             * even on a non-blocking socket, and Dispose must end that wait too */
            sp_os_waker *w = waker_of(s, true, &err);
            if (!err) {
                err = sp_os_socket_send_file(os_of(s), w, blocking, timeout == 0 ? -1 : timeout, file, preBuffer,
                                             preBufferLength, postBuffer, postBufferLength, flags);
            }
            if (err && err == sp_os_socket_cancelled()) {
                after_error(s, SocketError_ConnectionAborted); /* as do_io: the stream call Dispose ended */
                throw_socket_error(SocketError_ConnectionAborted);
            } else if (err) {
                fail(s, err);
            } else {
                if (flags & (TransmitFileOptions_Disconnect | TransmitFileOptions_ReuseSocket)) {
                    /* TransmitFile disconnected the socket: SetToDisconnected */
                    atomic_store(&s->connected, false);
                    atomic_store(&s->disconnected, true);
                }
                ok = (sp_clear(), true);
            }
        }
    }
    if (file != SP_OS_FILE_INVALID)
        sp_os_file_close(file);
    free(full);
    leave(s);
    return ok;
}

bool(Socket_SendFile)(Socket *s, const char *fileName)
{
    return Socket_SendFileWithBuffers(s, fileName, NULL, 0, NULL, 0, TransmitFileOptions_UseDefaultWorkerThread);
}

bool SocketException_Throw(int32_t errorCode)
{
    throw_socket_error(errorCode);
    return false;
}
