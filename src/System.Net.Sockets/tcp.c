/*
 * System.Net.Sockets.TcpListener and TcpClient (S/TcpListener.cs, S/TcpClient.cs): thin owners of
 * a Socket, with .NET's checks and texts. The socket a listener or client holds can be swapped
 * (Stop, a Server made anew) while another thread blocks in AcceptSocket: it is taken with a
 * reference under a short lock, so Stop closes it (the Accept ends with SocketException
 * Interrupted) and the memory stays until the call lets go.
 */
#include "core/internal.h"

#include "core/handle.h"
#include "core/ioerror.h"
#include "platform/platform_socket.h"
#include "System.Net/netobjects.h"

#include <sharpipc/System.Net.Sockets.h>

extern const sp_type sp_type_Socket;
extern const sp_type sp_type_NetworkStream;

static void lock(atomic_flag *f)
{
    while (atomic_flag_test_and_set_explicit(f, memory_order_acquire))
        ;
}
static void unlock(atomic_flag *f) { atomic_flag_clear_explicit(f, memory_order_release); }

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
};

static bool listener_close(Object *o);
static void listener_destroy(Object *o)
{
    TcpListener *l = (TcpListener *)o;
    if (l->server)
        sp_object_release((Object *)l->server);
    if (l->bound)
        sp_object_release((Object *)l->bound);
    sp_object_release((Object *)l->endpoint);
}

const sp_type sp_type_TcpListener = {"System.Net.Sockets.TcpListener", &sp_type_Object, listener_close,
                                     listener_destroy};

/* The listener's socket with a reference for the caller, made anew if there is none
 * (CreateNewSocketIfNeeded). */
static Socket *listener_socket(TcpListener *l)
{
    lock(&l->lock);
    Socket *s = l->server;
    if (s)
        sp_object_retain((Object *)s);
    unlock(&l->lock);
    if (s)
        return s;
    Socket *fresh = Socket_new(IPEndPoint_get_AddressFamily(l->endpoint), SocketType_Stream, ProtocolType_Tcp);
    if (!fresh)
        return NULL;
    if (l->exclusive && !Socket_set_ExclusiveAddressUse(fresh, true)) {
        sp_object_release((Object *)fresh);
        return NULL;
    }
    lock(&l->lock);
    if (!l->server) {
        l->server = fresh;
        fresh = NULL;
    }
    s = l->server;
    sp_object_retain((Object *)s);
    unlock(&l->lock);
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

static bool listener_enter(TcpListener *l)
{
    if (!sp_check_type(l, &sp_type_TcpListener, "listener"))
        return false;
    return sp_call_enter(&l->base, NULL, NULL);
}
static void listener_leave(TcpListener *l) { sp_call_leave(&l->base, NULL); }

bool TcpListener_StartWithBacklog(TcpListener *listener, int32_t backlog)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return false;
    if (backlog < 0) {
        sp_throw_out_of_range("backlog", NULL);
        return false;
    }
    if (!listener_enter(listener))
        return false;
    bool ok = true;
    if (!listener->active) {
        Socket *s = listener_socket(listener);
        ok = s && Socket_Bind(s, listener->endpoint) && Socket_Listen(s, backlog);
        if (ok) {
            EndPoint *bound = Socket_get_LocalEndPoint(s);
            lock(&listener->lock);
            EndPoint *old = listener->bound;
            listener->bound = bound;
            listener->active = true;
            unlock(&listener->lock);
            if (old)
                sp_object_release((Object *)old);
            sp_clear();
        } else if (s) {
            /* Listen failed: Stop, and the exception stays */
            lock(&listener->lock);
            Socket *mine = listener->server == s ? listener->server : NULL;
            if (mine)
                listener->server = NULL;
            unlock(&listener->lock);
            if (mine) {
                sp_object_close((Object *)mine);
                sp_object_release((Object *)mine);
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
    lock(&listener->lock);
    Socket *s = listener->server;
    listener->server = NULL;
    EndPoint *bound = listener->bound;
    listener->bound = NULL;
    listener->active = false;
    unlock(&listener->lock);
    if (s) {
        sp_object_close((Object *)s); /* wakes an AcceptSocket on another thread */
        sp_object_release((Object *)s);
    }
    if (bound)
        sp_object_release((Object *)bound);
    sp_clear();
    return true;
}

static bool listener_close(Object *o) { return TcpListener_Stop((TcpListener *)o); }

static Socket *accept_socket(TcpListener *l)
{
    if (!l->active) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_stopped, NULL);
        return NULL;
    }
    lock(&l->lock);
    Socket *s = l->server;
    if (s)
        sp_object_retain((Object *)s);
    unlock(&l->lock);
    if (!s) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_stopped, NULL);
        return NULL;
    }
    Socket *a = Socket_Accept(s);
    sp_object_release((Object *)s); /* keeps Accept's exception */
    return a;
}

Socket *TcpListener_AcceptSocket(TcpListener *listener)
{
    if (!listener_enter(listener))
        return NULL;
    Socket *a = accept_socket(listener);
    listener_leave(listener);
    return a;
}

TcpClient *sp_tcpclient_from_socket(Socket *accepted);

TcpClient *TcpListener_AcceptTcpClient(TcpListener *listener)
{
    if (!listener_enter(listener))
        return NULL;
    TcpClient *c = NULL;
    Socket *a = accept_socket(listener);
    if (a)
        c = sp_tcpclient_from_socket(a);
    listener_leave(listener);
    return c;
}

bool TcpListener_Pending(TcpListener *listener)
{
    if (!listener_enter(listener))
        return false;
    bool result = false;
    if (!listener->active) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_stopped, NULL);
    } else {
        Socket *s = listener_socket(listener);
        if (s) {
            result = Socket_Poll(s, 0, SelectMode_SelectRead);
            sp_object_release((Object *)s);
        }
    }
    listener_leave(listener);
    return result;
}

EndPoint *TcpListener_get_LocalEndpoint(TcpListener *listener)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return NULL;
    sp_clear();
    lock(&listener->lock);
    EndPoint *ep = listener->active && listener->bound ? listener->bound : (EndPoint *)listener->endpoint;
    unlock(&listener->lock);
    return ep;
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

bool TcpListener_get_ExclusiveAddressUse(TcpListener *listener)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return false;
    Socket *s = listener_socket(listener);
    if (!s)
        return false;
    bool v = Socket_get_ExclusiveAddressUse(s);
    sp_object_release((Object *)s);
    return v;
}

bool TcpListener_set_ExclusiveAddressUse(TcpListener *listener, bool value)
{
    if (!sp_check_type(listener, &sp_type_TcpListener, "listener"))
        return false;
    if (listener->active) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_tcplistener_mustbestopped, NULL);
        return false;
    }
    Socket *s = listener_socket(listener);
    if (!s)
        return false;
    bool ok = Socket_set_ExclusiveAddressUse(s, value);
    sp_object_release((Object *)s);
    if (ok)
        listener->exclusive = value;
    return ok;
}

/* ================================================================ TcpClient */

struct TcpClient {
    Object base;
    Socket *socket; /* retained */
    NetworkStream *stream;
    atomic_flag lock;
    int32_t family;
    bool active;
};

#define MSG_CLIENT_DISPOSED "Cannot access a disposed object.\nObject name: 'System.Net.Sockets.TcpClient'."

static bool client_close(Object *o)
{
    TcpClient *c = (TcpClient *)o;
    lock(&c->lock);
    NetworkStream *ns = c->stream;
    unlock(&c->lock);
    if (ns) {
        sp_object_close((Object *)ns); /* owns the socket: shuts it down and closes it */
    } else if (c->socket) {
        Socket_Shutdown(c->socket, SocketShutdown_Both); /* InternalShutdown: errors ignored */
        sp_object_close((Object *)c->socket);
    }
    sp_clear();
    return true;
}

static void client_destroy(Object *o)
{
    TcpClient *c = (TcpClient *)o;
    if (c->stream)
        sp_object_release((Object *)c->stream);
    if (c->socket)
        sp_object_release((Object *)c->socket);
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
    c->active = active;
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

static bool connect_state(TcpClient *c)
{
    if (c->active) {
        sp_throw_socket_error(sp_os_socket_error_code(SocketError_IsConnected), NULL);
        return false;
    }
    return true;
}

bool TcpClient_ConnectHost(TcpClient *client, const char *hostname, int32_t port)
{
    if (!client_enter(client))
        return false;
    bool ok = false;
    if (!hostname)
        sp_throw_null("hostname");
    else if (!valid_port(port))
        sp_throw_out_of_range("port", NULL);
    else if (connect_state(client) && (ok = Socket_ConnectHost(client->socket, hostname, port)))
        client->active = true;
    client_leave(client);
    return ok;
}

bool TcpClient_ConnectEndPoint(TcpClient *client, IPEndPoint *remoteEP)
{
    if (!client_enter(client))
        return false;
    bool ok = false;
    if (!remoteEP)
        sp_throw_null("remoteEP");
    else if (connect_state(client) && (ok = Socket_ConnectEndPoint(client->socket, (EndPoint *)remoteEP)))
        client->active = true;
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
    } else if (connect_state(client)) {
        IPEndPoint *ep = IPEndPoint_new(address, port);
        if (ep) {
            ok = Socket_ConnectEndPoint(client->socket, (EndPoint *)ep);
            sp_object_release((Object *)ep);
            if (ok)
                client->active = true;
        }
    }
    client_leave(client);
    return ok;
}

bool TcpClient_ConnectAddresses(TcpClient *client, IPAddress *const *ipAddresses, int32_t count, int32_t port)
{
    if (!client_enter(client))
        return false;
    bool ok = false;
    if (connect_state(client) && (ok = Socket_ConnectAddresses(client->socket, ipAddresses, count, port)))
        client->active = true;
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

NetworkStream *TcpClient_GetStream(TcpClient *client)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return NULL;
    if (sp_object_is_closed(&client->base)) {
        sp_throw(ExceptionType_ObjectDisposedException, MSG_CLIENT_DISPOSED, NULL);
        return NULL;
    }
    if (!Socket_get_Connected(client->socket)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_notconnected, NULL);
        return NULL;
    }
    lock(&client->lock);
    NetworkStream *ns = client->stream;
    if (ns)
        sp_object_retain((Object *)ns);
    unlock(&client->lock);
    if (!ns) {
        NetworkStream *fresh = (NetworkStream_new)(client->socket, FileAccess_ReadWrite, true);
        if (!fresh)
            return NULL;
        lock(&client->lock);
        if (!client->stream) {
            client->stream = fresh; /* the client's own reference */
            fresh = NULL;
        }
        ns = client->stream;
        sp_object_retain((Object *)ns); /* the caller's */
        unlock(&client->lock);
        if (fresh)
            sp_object_release((Object *)fresh);
    }
    sp_clear();
    return ns;
}

bool TcpClient_Close(TcpClient *client)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return false;
    sp_clear();
    return sp_object_close(&client->base);
}

/* The Socket properties a TcpClient forwards. */
Socket *TcpClient_get_Client(TcpClient *client)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return NULL;
    sp_clear();
    return client->socket;
}

bool TcpClient_get_Connected(TcpClient *client)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return false;
    return Socket_get_Connected(client->socket);
}

#define FORWARD_GET(T, Name, zero)                                                                                     \
  T TcpClient_get_##Name(TcpClient *client)                                                                            \
  {                                                                                                                    \
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))                                                          \
      return zero;                                                                                                     \
    return Socket_get_##Name(client->socket);                                                                          \
  }
#define FORWARD_SET(T, Name)                                                                                           \
  bool TcpClient_set_##Name(TcpClient *client, T value)                                                                \
  {                                                                                                                    \
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))                                                          \
      return false;                                                                                                    \
    return Socket_set_##Name(client->socket, value);                                                                   \
  }

FORWARD_GET(int32_t, Available, 0)
FORWARD_GET(bool, NoDelay, false)
FORWARD_SET(bool, NoDelay)
FORWARD_GET(int32_t, ReceiveBufferSize, 0)
FORWARD_SET(int32_t, ReceiveBufferSize)
FORWARD_GET(int32_t, SendBufferSize, 0)
FORWARD_SET(int32_t, SendBufferSize)
FORWARD_GET(int32_t, ReceiveTimeout, 0)
FORWARD_SET(int32_t, ReceiveTimeout)
FORWARD_GET(int32_t, SendTimeout, 0)
FORWARD_SET(int32_t, SendTimeout)
FORWARD_GET(bool, ExclusiveAddressUse, false)
FORWARD_SET(bool, ExclusiveAddressUse)

LingerOption TcpClient_get_LingerState(TcpClient *client)
{
    LingerOption none = {false, 0};
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return none;
    return Socket_get_LingerState(client->socket);
}

bool TcpClient_set_LingerState(TcpClient *client, LingerOption value)
{
    if (!sp_check_type(client, &sp_type_TcpClient, "client"))
        return false;
    return Socket_set_LingerState(client->socket, value);
}
