/*
 * System.Net.Sockets.TcpListener and TcpClient (S/TcpListener.cs, S/TcpClient.cs): thin owners of
 * a Socket, with .NET's checks and texts. The socket a listener or client holds can be swapped
 * (Stop, a Server made anew, TcpClient's Client setter) while another thread blocks in
 * AcceptSocket or a Connect: it is taken with a reference under a short lock (socketslot.h), so
 * Stop closes it (the Accept ends with SocketException Interrupted) and the memory stays until the
 * call lets go.
 */
#include "core/internal.h"

#include "core/handle.h"
#include "core/ioerror.h"
#include "platform/platform_socket.h"
#include "System.Net/netobjects.h"
#include "System.Net.Sockets/socketslot.h"

#include <sharpipc/System.Net.Sockets.h>

extern const sp_type sp_type_Socket;
extern const sp_type sp_type_NetworkStream;

static bool valid_port(int32_t port) { return port >= 0 && port <= 65535; }

/* ================================================================ TcpListener */

struct TcpListener {
    Object base;
    atomic_flag lock;
    Socket *server;       /* NULL after Stop until a Start or Server makes another */
    IPEndPoint *endpoint; /* _serverSocketEP */
    EndPoint *bound;      /* the socket's LocalEndPoint while active (LocalEndpoint's borrowed answer) */
    bool active;
    bool exclusive;
    /* how many Stops there were (the listener's Dispose is one), under the lock: a call that sees
     * it changed since it began met a Stop on another thread, which disposed the socket the call
     * was using (.NET's call then meets that disposed socket) */
    uint64_t stops;
    /* what Server and LocalEndpoint handed out and a Stop (or a failed Listen) let go of since:
     * their answers are borrowed while the listener lives, so each stays until the destroy (a
     * disposed Socket, as .NET's, and an endpoint as it was); one of each per Start at most */
    Object **retired;
    size_t retired_count, retired_capacity;
};

static bool listener_close(Object *o);
static void listener_destroy(Object *o)
{
    TcpListener *l = (TcpListener *)o;
    if (l->server)
        sp_object_release((Object *)l->server);
    if (l->bound)
        sp_object_release((Object *)l->bound);
    for (size_t i = 0; i < l->retired_count; i++)
        sp_object_release(l->retired[i]);
    free(l->retired);
    sp_object_release((Object *)l->endpoint);
}

/* Keeps the listener's reference to o (a socket it closed, an endpoint it published) until the
 * destroy, for the borrowed answers still in the caller's hands. Without memory for the list it
 * is let go of, as before. */
static void retire(TcpListener *l, Object *o)
{
    if (!o)
        return;
    sp_slot_lock(&l->lock);
    if (l->retired_count == l->retired_capacity) {
        size_t capacity = l->retired_capacity ? l->retired_capacity * 2 : 4;
        Object **grown = realloc(l->retired, capacity * sizeof *grown);
        if (!grown) {
            sp_slot_unlock(&l->lock);
            sp_object_release(o);
            return;
        }
        l->retired = grown;
        l->retired_capacity = capacity;
    }
    l->retired[l->retired_count++] = o;
    sp_slot_unlock(&l->lock);
}

const sp_type sp_type_TcpListener = {"System.Net.Sockets.TcpListener", &sp_type_Object, listener_close,
                                     listener_destroy};

/* The listener's socket with a reference for the caller, made anew if there is none
 * (CreateNewSocketIfNeeded). */
static Socket *listener_socket(TcpListener *l)
{
    Socket *s = sp_slot_get(&l->lock, &l->server);
    if (s)
        return s;
    Socket *fresh = Socket_new(IPEndPoint_get_AddressFamily(l->endpoint), SocketType_Stream, ProtocolType_Tcp);
    if (!fresh)
        return NULL;
    if (l->exclusive && !Socket_set_ExclusiveAddressUse(fresh, true)) {
        sp_object_release((Object *)fresh);
        return NULL;
    }
    sp_slot_lock(&l->lock);
    if (!l->server) {
        l->server = fresh;
        fresh = NULL;
    }
    s = l->server;
    sp_object_retain((Object *)s);
    sp_slot_unlock(&l->lock);
    if (fresh)
        sp_object_release((Object *)fresh);
    return s;
}

static TcpListener *listener_make(IPEndPoint *endpoint)
{
    TcpListener *l = sp_object_new(sizeof *l, &sp_type_TcpListener);
    if (!l) {
        sp_object_release((Object *)endpoint);
        return NULL;
    }
    atomic_flag_clear(&l->lock);
    l->endpoint = endpoint;
    Socket *s = listener_socket(l);
    if (!s) {
        sp_object_release(&l->base);
        return NULL;
    }
    sp_object_release((Object *)s);
    sp_clear();
    return l;
}

TcpListener *TcpListener_newWithEndPoint(IPEndPoint *localEP)
{
    if (!localEP) {
        sp_throw_null("localEP");
        return NULL;
    }
    if (!sp_check_type(localEP, &sp_type_IPEndPoint, "localEP"))
        return NULL;
    sp_object_retain((Object *)localEP);
    return listener_make(localEP);
}

TcpListener *(TcpListener_new)(IPAddress *localaddr, int32_t port)
{
    if (!localaddr) {
        sp_throw_null("localaddr");
        return NULL;
    }
    if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
        return NULL;
    }
    IPEndPoint *ep = IPEndPoint_new(localaddr, port);
    return ep ? listener_make(ep) : NULL;
}

TcpListener *TcpListener_newWithPort(int32_t port)
{
    if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
        return NULL;
    }
    return (TcpListener_new)(IPAddress_Any, port);
}

TcpListener *TcpListener_Create(int32_t port)
{
    if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
        return NULL;
    }
    if (!Socket_OSSupportsIPv6)
        return (TcpListener_new)(IPAddress_Any, port);
    TcpListener *l = (TcpListener_new)(IPAddress_IPv6Any, port);
    if (l && !Socket_set_DualMode(l->server, true)) {
        sp_object_release(&l->base);
        return NULL;
    }
    return l;
}

/* Pins the listener for a call and reads the Stop count the call begins with, together under the
 * lock: a Dispose on another thread that comes once the pin is held (the only time it may: before
 * it, the caller's reference is all that keeps the listener) is then always a Stop since the call
 * began. Pinned first and read after, a Stop between the two was missed: the call took it for a
 * listener stopped before it and said "Not listening" (round 65 of 200 of the dispose-while-
 * accepting row under wine). No disposed check: a disposed listener is a stopped one
 * (listener_close). */
static bool listener_enter(TcpListener *l, uint64_t *stops)
{
    if (!sp_check_type(l, &sp_type_TcpListener, "listener"))
        return false;
    sp_slot_lock(&l->lock);
    *stops = l->stops;
    sp_object_retain(&l->base);
    sp_slot_unlock(&l->lock);
    return true;
}
static void listener_leave(TcpListener *l) { sp_object_release(&l->base); }
/* Active, read under the lock Start and Stop write it under. */
static bool listener_active(TcpListener *l)
{
    sp_slot_lock(&l->lock);
    bool active = l->active;
    sp_slot_unlock(&l->lock);
    return active;
}

bool TcpListener_StartWithBacklog(TcpListener *listener, int32_t backlog)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return false;
    if (backlog < 0) {
        sp_throw_out_of_range("backlog", NULL);
        return false;
    }
    uint64_t stops;
    if (!listener_enter(listener, &stops))
        return false;
    bool ok = true;
    bool active = listener_active(listener);
    if (!active) {
        Socket *s = listener_socket(listener);
        bool did_bind = s && Socket_Bind(s, listener->endpoint);
        ok = did_bind && Socket_Listen(s, backlog);
        if (ok) {
            EndPoint *bound = Socket_get_LocalEndPoint(s);
            /* Active only while the socket started here is still the listener's and no Stop came
             * since the call began: a Stop since (or the listener's Dispose, on another thread)
             * took it out under the lock and closed it, and a listener it stopped stays stopped;
             * one made here after that Stop (listener_socket) is taken out and closed here, as
             * the Stop would have. The call then ends as .NET's Start whose Bind or Listen met
             * the socket the Stop disposed. */
            sp_slot_lock(&listener->lock);
            bool closed = listener->stops != stops;
            bool mine = listener->server == s && !closed;
            Socket *late = closed && listener->server == s ? s : NULL;
            if (late)
                listener->server = NULL;
            EndPoint *old = mine ? listener->bound : bound;
            if (mine) {
                listener->bound = bound;
                listener->active = true;
            }
            sp_slot_unlock(&listener->lock);
            if (old && mine)
                retire(listener, (Object *)old); /* a LocalEndpoint answer of before */
            else if (old)
                sp_object_release((Object *)old); /* never handed out */
            if (late) {
                sp_object_close((Object *)late);
                retire(listener, (Object *)late); /* the listener's reference */
            }
            if (closed) {
                /* what its Bind or Listen would have met */
                sp_throw_disposed(SR_ObjectDisposed_Generic, "System.Net.Sockets.Socket");
                ok = false;
            } else {
                sp_clear();
            }
        } else if (did_bind) {
            /* Listen failed: Stop, and the exception stays. Only then, as .NET's Start, whose
             * Bind is outside the try: a failed Bind leaves the socket, with what was set on it
             * through Server (Create's DualMode), for a Start retried once the port is free */
            sp_slot_lock(&listener->lock);
            Socket *mine = listener->server == s ? listener->server : NULL;
            if (mine)
                listener->server = NULL;
            sp_slot_unlock(&listener->lock);
            if (mine) {
                sp_object_close((Object *)mine);
                retire(listener, (Object *)mine); /* Server may have handed it out */
            }
        }
        if (s)
            sp_object_release((Object *)s);
    } else {
        sp_clear();
    }
    listener_leave(listener);
    return ok;
}

bool(TcpListener_Start)(TcpListener *listener) { return TcpListener_StartWithBacklog(listener, 0x7fffffff); }

bool TcpListener_Stop(TcpListener *listener)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return false;
    sp_slot_lock(&listener->lock);
    Socket *s = listener->server;
    listener->server = NULL;
    EndPoint *bound = listener->bound;
    listener->bound = NULL;
    listener->active = false;
    listener->stops++;
    sp_slot_unlock(&listener->lock);
    if (s) {
        sp_object_close((Object *)s); /* wakes an AcceptSocket on another thread */
        retire(listener, (Object *)s);
    }
    retire(listener, (Object *)bound);
    sp_clear();
    return true;
}

/* Dispose: .NET's TcpListener.Dispose is Stop and no more, so a disposed listener is a stopped one
 * that Start, Server and the rest work on as after Stop (checked against .NET 10.0.12). The closed
 * mark Dispose set is taken back for that; the memory still goes with the last reference. */
static bool listener_close(Object *o)
{
    bool ok = TcpListener_Stop((TcpListener *)o);
    atomic_store(&o->closed, false);
    return ok;
}

/* The listening socket with a reference for the call, read under the lock Stop writes it under;
 * NULL with .NET's exception when there is none: InvalidOperationException when the listener is
 * not active (never started, stopped, disposed), ObjectDisposedException naming Socket when a
 * Stop (or Dispose) on another thread came since the call began, which is what .NET's
 * `_serverSocket!.Accept()` (or Poll) meets on the socket that Stop disposed after the `_active`
 * check passed (round 124 of 200 of a dispose-while-accepting row under wine said "Not listening"
 * before this looked at the Stops). */
static Socket *listening_socket(TcpListener *l, uint64_t stops)
{
    sp_slot_lock(&l->lock);
    Socket *s = l->active ? l->server : NULL;
    if (s)
        sp_object_retain((Object *)s);
    bool stopped = l->stops != stops;
    sp_slot_unlock(&l->lock);
    if (!s) {
        if (stopped)
            sp_throw_disposed(SR_ObjectDisposed_Generic, "System.Net.Sockets.Socket");
        else
            sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_stopped, NULL);
    }
    return s;
}

static Socket *accept_socket(TcpListener *l, uint64_t stops)
{
    Socket *s = listening_socket(l, stops);
    if (!s)
        return NULL;
    Socket *a = Socket_Accept(s);
    sp_object_release((Object *)s); /* keeps Accept's exception */
    return a;
}

Socket *TcpListener_AcceptSocket(TcpListener *listener)
{
    uint64_t stops;
    if (!listener_enter(listener, &stops))
        return NULL;
    Socket *a = accept_socket(listener, stops);
    listener_leave(listener);
    return a;
}

TcpClient *sp_tcpclient_from_socket(Socket *accepted);

TcpClient *TcpListener_AcceptTcpClient(TcpListener *listener)
{
    uint64_t stops;
    if (!listener_enter(listener, &stops))
        return NULL;
    TcpClient *c = NULL;
    Socket *a = accept_socket(listener, stops);
    if (a)
        c = sp_tcpclient_from_socket(a);
    listener_leave(listener);
    return c;
}

bool TcpListener_Pending(TcpListener *listener)
{
    uint64_t stops;
    if (!listener_enter(listener, &stops))
        return false;
    bool result = false;
    /* as accept_socket: none made anew (.NET polls _serverSocket) */
    Socket *s = listening_socket(listener, stops);
    if (s) {
        result = Socket_Poll(s, 0, SelectMode_SelectRead);
        sp_object_release((Object *)s);
    }
    listener_leave(listener);
    return result;
}

EndPoint *TcpListener_get_LocalEndpoint(TcpListener *listener)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return NULL;
    sp_clear();
    sp_slot_lock(&listener->lock);
    EndPoint *ep = listener->active && listener->bound ? listener->bound : (EndPoint *)listener->endpoint;
    sp_slot_unlock(&listener->lock);
    return ep;
}

bool TcpListener_get_Active(TcpListener *listener)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return false;
    bool active = listener_active(listener);
    sp_clear();
    return active;
}

Socket *TcpListener_get_Server(TcpListener *listener)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return NULL;
    Socket *s = listener_socket(listener);
    if (!s)
        return NULL;
    sp_object_release((Object *)s); /* borrowed: the listener holds its own reference */
    sp_clear();
    return s;
}

/* ExclusiveAddressUse reads and writes the socket there is, and no socket is made for it: with none
 * (after Stop) the getter answers the listener's own field, what was last set, as .NET's
 * `_serverSocket is not null ? _serverSocket.ExclusiveAddressUse : _exclusiveAddressUse`, and the
 * setter stores only that, for the socket the next Start or Server makes. */
bool TcpListener_get_ExclusiveAddressUse(TcpListener *listener)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return false;
    Socket *s = sp_slot_get(&listener->lock, &listener->server);
    if (!s) {
        sp_clear();
        return listener->exclusive;
    }
    bool v = Socket_get_ExclusiveAddressUse(s);
    sp_object_release((Object *)s);
    return v;
}

bool TcpListener_set_ExclusiveAddressUse(TcpListener *listener, bool value)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return false;
    if (listener_active(listener)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_tcplistener_mustbestopped, NULL);
        return false;
    }
    Socket *s = sp_slot_get(&listener->lock, &listener->server);
    bool ok = !s || Socket_set_ExclusiveAddressUse(s, value);
    if (s)
        sp_object_release((Object *)s);
    if (ok) {
        listener->exclusive = value;
        sp_clear();
    }
    return ok;
}

/* ================================================================ TcpClient */

struct TcpClient {
    Object base;
    atomic_flag lock;      /* guards `socket` (a load and a retain, or a swap) and `stream` */
    Socket *socket;        /* _clientSocket, retained: the constructor's, Connect's or the Client setter's */
    NetworkStream *stream; /* _dataStream: the first GetStream's, retained */
    int32_t family;        /* _family: the constructor's, Connect's or the Client setter's */
    atomic_bool active;    /* _active: set by Connect, or by the protected setter */
};

#define MSG_CLIENT_DISPOSED "Cannot access a disposed object.\nObject name: 'System.Net.Sockets.TcpClient'."

/* The client's socket with a reference for the call, or NULL with ObjectDisposedException naming
 * Socket when there is none (a NULL Client set, or a Connect(hostname) from none that failed):
 * .NET's `Client.X` is a NullReferenceException then. After Close the socket is there, disposed,
 * and the member meets that. */
static Socket *socket_take(TcpClient *c) { return sp_slot_take(&c->lock, &c->socket); }

/* What .NET's `Client?.X` reads: no socket after Close (the getter's null) nor when none is set. */
static Socket *socket_peek(TcpClient *c)
{
    return sp_object_is_closed(&c->base) ? NULL : sp_slot_get(&c->lock, &c->socket);
}

static bool client_close(Object *o)
{
    TcpClient *c = (TcpClient *)o;
    sp_slot_lock(&c->lock);
    NetworkStream *ns = c->stream; /* stays until the destroy */
    sp_slot_unlock(&c->lock);
    if (ns) {
        /* owns the socket it was made on: shuts it down and closes it. One the Client setter put in
         * since stays open, as in .NET (its Dispose disposes only _dataStream then). */
        sp_object_close((Object *)ns);
    } else {
        /* the socket set last; a reference for the close, since the setter may swap it meanwhile */
        Socket *s = sp_slot_get(&c->lock, &c->socket);
        if (s) {
            Socket_Shutdown(s, SocketShutdown_Both); /* InternalShutdown: errors ignored */
            sp_object_close((Object *)s);
            sp_slot_drop(s);
        }
    }
    sp_clear();
    return true;
}

static void client_destroy(Object *o)
{
    TcpClient *c = (TcpClient *)o;
    if (c->stream)
        sp_object_release((Object *)c->stream);
    sp_slot_drop(c->socket);
}

const sp_type sp_type_TcpClient = {"System.Net.Sockets.TcpClient", &sp_type_Object, client_close, client_destroy};

static TcpClient *client_make(Socket *s, int32_t family, bool active)
{
    TcpClient *c = sp_object_new(sizeof *c, &sp_type_TcpClient);
    if (!c) {
        sp_object_release((Object *)s);
        return NULL;
    }
    atomic_flag_clear(&c->lock);
    c->socket = s;
    c->family = family;
    atomic_init(&c->active, active);
    sp_clear();
    return c;
}

TcpClient *sp_tcpclient_from_socket(Socket *accepted)
{
    return client_make(accepted, Socket_get_AddressFamily(accepted), true);
}

/* InitializeClientSocket: Unknown is the dual-mode socket. */
static Socket *client_socket_for(int32_t family)
{
    return family == AddressFamily_Unknown ? Socket_new(SocketType_Stream, ProtocolType_Tcp)
                                           : Socket_new((AddressFamily)family, SocketType_Stream, ProtocolType_Tcp);
}

TcpClient *TcpClient_newWithFamily(AddressFamily family)
{
    if (family != AddressFamily_InterNetwork && family != AddressFamily_InterNetworkV6 &&
        family != AddressFamily_Unknown) {
        sp_throwf_sr(ExceptionType_ArgumentException, "family", SR_net_protocol_invalid_family, "TCP");
        return NULL;
    }
    Socket *s = client_socket_for(family);
    return s ? client_make(s, family, false) : NULL;
}

TcpClient *TcpClient_newDefault(void) { return TcpClient_newWithFamily(AddressFamily_Unknown); }

TcpClient *TcpClient_newWithEndPoint(IPEndPoint *localEP)
{
    if (!localEP) {
        sp_throw_null("localEP");
        return NULL;
    }
    if (!sp_check_type(localEP, &sp_type_IPEndPoint, "localEP"))
        return NULL;
    int32_t family = IPEndPoint_get_AddressFamily(localEP);
    Socket *s = client_socket_for(family);
    if (!s)
        return NULL;
    if (!Socket_Bind(s, localEP)) {
        sp_object_release((Object *)s);
        return NULL;
    }
    return client_make(s, family, false);
}

static bool client_enter(TcpClient *c)
{
    if (!sp_check_type(c, &sp_type_TcpClient, "client"))
        return false;
    if (!sp_call_enter(&c->base, NULL, NULL))
        return false;
    return true;
}
static void client_leave(TcpClient *c) { sp_call_leave(&c->base, NULL); }

/* After a Connect that succeeded on s: _family = Client.AddressFamily; _active = true. */
static void connected(TcpClient *c, Socket *s)
{
    c->family = Socket_get_AddressFamily(s);
    atomic_store(&c->active, true);
    sp_clear();
}

/* Connect(hostname, port) with no socket (a NULL Client set): as .NET's, a socket of each address's
 * family in turn, stored before it connects (a Close meanwhile closes it) and taken out again if
 * the connect fails. The last failure stays the exception; none tried is SocketException
 * NotConnected. */
static bool connect_host_fresh(TcpClient *c, const char *hostname, int32_t port)
{
    int32_t count = 0;
    IPAddress **addresses = Dns_GetHostAddresses(hostname, &count);
    if (!addresses)
        return false;
    bool tried = false, ok = false;
    for (int32_t i = 0; i < count && !ok; i++) {
        int32_t family = IPAddress_get_AddressFamily(addresses[i]);
        if (!(family == AddressFamily_InterNetwork ? Socket_OSSupportsIPv4 : Socket_OSSupportsIPv6))
            continue;
        tried = true;
        Socket *s = Socket_new((AddressFamily)family, SocketType_Stream, ProtocolType_Tcp);
        if (!s)
            continue;
        sp_object_retain((Object *)s); /* the client's reference */
        sp_slot_drop(sp_slot_exchange(&c->lock, &c->socket, s));
        if (sp_object_is_closed(&c->base))
            sp_object_close((Object *)s); /* Dispose raced: the Connect meets a disposed socket */
        if ((ok = Socket_ConnectAddress(s, addresses[i], port))) {
            connected(c, s);
        } else {
            sp_slot_lock(&c->lock);
            Socket *mine = c->socket == s ? s : NULL;
            if (mine)
                c->socket = NULL;
            sp_slot_unlock(&c->lock);
            sp_slot_drop(mine); /* keeps the connect's exception */
        }
        sp_slot_drop(s);
    }
    if (!tried)
        sp_throw_socket_error(sp_os_socket_error_code(SocketError_NotConnected), NULL);
    Dns_FreeAddresses(addresses, count);
    if (ok)
        sp_clear();
    return ok;
}

bool TcpClient_ConnectHost(TcpClient *client, const char *hostname, int32_t port)
{
    if (!client_enter(client))
        return false;
    bool ok = false;
    if (!hostname) {
        sp_throw_null("hostname");
    } else if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
    } else if (atomic_load(&client->active)) {
        /* .NET checks here only: resolving first would hide it */
        sp_throw_socket_error(sp_os_socket_error_code(SocketError_IsConnected), NULL);
    } else {
        Socket *s = sp_slot_get(&client->lock, &client->socket);
        if (!s)
            ok = connect_host_fresh(client, hostname, port);
        else if ((ok = Socket_ConnectHost(s, hostname, port)))
            connected(client, s);
        sp_slot_drop(s);
    }
    client_leave(client);
    return ok;
}

/* Connect(IPEndPoint) on a pinned client: Client.Connect(remoteEP), which says IsConnected itself. */
static bool connect_endpoint(TcpClient *c, IPEndPoint *remoteEP)
{
    Socket *s = socket_take(c);
    bool ok = s && Socket_ConnectEndPoint(s, (EndPoint *)remoteEP);
    if (ok)
        connected(c, s);
    sp_slot_drop(s);
    return ok;
}

bool TcpClient_ConnectEndPoint(TcpClient *client, IPEndPoint *remoteEP)
{
    if (!client_enter(client))
        return false;
    bool ok = false;
    if (!remoteEP)
        sp_throw_null("remoteEP");
    else
        ok = connect_endpoint(client, remoteEP);
    client_leave(client);
    return ok;
}

bool TcpClient_ConnectAddress(TcpClient *client, IPAddress *address, int32_t port)
{
    if (!client_enter(client))
        return false;
    bool ok = false;
    if (!address) {
        sp_throw_null("address");
    } else if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
    } else {
        IPEndPoint *ep = IPEndPoint_new(address, port);
        if (ep) {
            ok = connect_endpoint(client, ep);
            sp_object_release((Object *)ep); /* keeps the connect's exception */
        }
    }
    client_leave(client);
    return ok;
}

bool TcpClient_ConnectAddresses(TcpClient *client, IPAddress *const *ipAddresses, int32_t count, int32_t port)
{
    if (!client_enter(client))
        return false;
    Socket *s = socket_take(client);
    bool ok = s && Socket_ConnectAddresses(s, ipAddresses, count, port);
    if (ok)
        connected(client, s);
    sp_slot_drop(s);
    client_leave(client);
    return ok;
}

TcpClient *(TcpClient_new)(const char *hostname, int32_t port)
{
    if (!hostname) {
        sp_throw_null("hostname");
        return NULL;
    }
    if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
        return NULL;
    }
    TcpClient *c = TcpClient_newDefault();
    if (c && !TcpClient_ConnectHost(c, hostname, port)) {
        sp_object_release(&c->base); /* closes the socket, keeps the exception */
        return NULL;
    }
    return c;
}

/* Whether the client's Dispose on another thread has come since GetStream's check. */
static bool closed_since(TcpClient *c) { return sp_object_is_closed(&c->base); }
static void throw_client_disposed(void) { sp_throw(ExceptionType_ObjectDisposedException, MSG_CLIENT_DISPOSED, NULL); }

/* GetStream on a pinned client with its socket s (NULL: none): the stream the client keeps, made
 * on the first call. */
static NetworkStream *get_stream(TcpClient *client, Socket *s)
{
    if (!s || !Socket_get_Connected(s)) {
        /* the client's Dispose since the check closed the socket: as the check says */
        if (closed_since(client))
            throw_client_disposed();
        else
            sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_notconnected, NULL);
        return NULL;
    }
    sp_slot_lock(&client->lock);
    NetworkStream *ns = client->stream;
    if (ns)
        sp_object_retain((Object *)ns);
    sp_slot_unlock(&client->lock);
    if (ns)
        return ns;
    NetworkStream *fresh = (NetworkStream_new)(s, FileAccess_ReadWrite, true);
    if (!fresh) {
        if (closed_since(client)) /* the socket it closed since: as above */
            throw_client_disposed();
        return NULL;
    }
    sp_slot_lock(&client->lock);
    if (!client->stream) {
        client->stream = fresh; /* the client's own reference */
        fresh = NULL;
    }
    ns = client->stream;
    sp_object_retain((Object *)ns); /* the caller's */
    sp_slot_unlock(&client->lock);
    if (fresh)
        sp_object_release((Object *)fresh);
    /* A Dispose since the check may have looked for the stream before it was stored (under the
     * lock, after its closed flag) and closed the socket alone: the stream is closed here, as that
     * Dispose would have, and the call ends as one after it */
    if (closed_since(client)) {
        sp_object_close((Object *)ns);
        sp_object_release((Object *)ns);
        throw_client_disposed();
        return NULL;
    }
    return ns;
}

NetworkStream *TcpClient_GetStream(TcpClient *client)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return NULL;
    /* pinned: a Dispose of the only reference on another thread leaves the client's memory */
    if (!sp_call_enter(&client->base, NULL, MSG_CLIENT_DISPOSED))
        return NULL;
    Socket *s = socket_peek(client);
    NetworkStream *ns = get_stream(client, s);
    sp_slot_drop(s);
    if (ns)
        sp_clear();
    sp_call_leave(&client->base, NULL);
    return ns;
}

bool TcpClient_Close(TcpClient *client)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return false;
    sp_clear();
    return sp_object_close(&client->base);
}

Socket *TcpClient_get_Client(TcpClient *client)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return NULL;
    sp_clear();
    Socket *s = socket_peek(client); /* Disposed ? null : _clientSocket */
    sp_slot_drop(s);                 /* borrowed: the client holds its own reference */
    return s;
}

bool TcpClient_set_Client(TcpClient *client, Socket *value)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client") ||
        (value && !sp_check_type(value, &sp_type_Socket, "value")))
        return false;
    /* .NET's setter stores the reference and _family = value?.AddressFamily ?? Unknown; the socket
     * it held is left to its finalizer. Here the client lets go of its reference, which closes it
     * unless the caller kept one (Object_Retain). Active stays. */
    int32_t family = value ? Socket_get_AddressFamily(value) : AddressFamily_Unknown;
    sp_slot_set(&client->lock, &client->socket, value);
    client->family = family;
    sp_clear();
    return true;
}

SP_SLOT_ACTIVE(TcpClient)

/* .NET's `Client?.X ?? zero` (Connected, Available, ExclusiveAddressUse's getter): no socket
 * (after Close, or a NULL set) answers zero, no exception. */
#define PEEK_GET(T, Name, zero)                                                                                        \
  T TcpClient_get_##Name(TcpClient *client)                                                                            \
  {                                                                                                                    \
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))                                                          \
      return zero;                                                                                                     \
    Socket *s = socket_peek(client);                                                                                   \
    T v = s ? Socket_get_##Name(s) : zero;                                                                             \
    sp_slot_drop(s);                                                                                                   \
    if (!s)                                                                                                            \
      sp_clear();                                                                                                      \
    return v;                                                                                                          \
  }
PEEK_GET(bool, Connected, false)
PEEK_GET(int32_t, Available, 0)
PEEK_GET(bool, ExclusiveAddressUse, false)

/* ExclusiveAddressUse's setter: on _clientSocket when there is one (so after Close on the disposed
 * socket, which says so), nothing when there is none. */
bool TcpClient_set_ExclusiveAddressUse(TcpClient *client, bool value)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return false;
    Socket *s = sp_slot_get(&client->lock, &client->socket);
    bool ok = !s || Socket_set_ExclusiveAddressUse(s, value);
    sp_slot_drop(s);
    if (!s)
        sp_clear();
    return ok;
}

/* The Socket properties a TcpClient forwards as `Client.X`, on its current socket (none:
 * ObjectDisposed naming Socket, see socket_take). */
static const LingerOption no_linger = {false, 0};
SP_SLOT_FORWARD_GET(TcpClient, bool, NoDelay, false)
SP_SLOT_FORWARD_SET(TcpClient, bool, NoDelay)
SP_SLOT_FORWARD_GET(TcpClient, int32_t, ReceiveBufferSize, 0)
SP_SLOT_FORWARD_SET(TcpClient, int32_t, ReceiveBufferSize)
SP_SLOT_FORWARD_GET(TcpClient, int32_t, SendBufferSize, 0)
SP_SLOT_FORWARD_SET(TcpClient, int32_t, SendBufferSize)
SP_SLOT_FORWARD_GET(TcpClient, int32_t, ReceiveTimeout, 0)
SP_SLOT_FORWARD_SET(TcpClient, int32_t, ReceiveTimeout)
SP_SLOT_FORWARD_GET(TcpClient, int32_t, SendTimeout, 0)
SP_SLOT_FORWARD_SET(TcpClient, int32_t, SendTimeout)
SP_SLOT_FORWARD_GET(TcpClient, LingerOption, LingerState, no_linger)
SP_SLOT_FORWARD_SET(TcpClient, LingerOption, LingerState)
