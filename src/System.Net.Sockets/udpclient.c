/*
 * System.Net.Sockets.UdpClient (S/UDPClient.cs), MulticastOption and IPv6MulticastOption
 * (S/MulticastOption.cs): thin owners of a Socket with .NET's checks, texts and order.
 *
 * A UdpClient's socket is made in its constructor, and .NET's Client setter may replace it from
 * any thread: so each call pins the client (sp_call_enter) and takes its own reference to the
 * socket it uses (socket_take), under a lock held for the load and the retain only. A call keeps
 * working on the socket it took when the setter swaps another in, as a .NET call on the object it
 * read. Close closes the current socket (a Receive blocked in it ends with SocketException
 * Interrupted, as .NET's) and the memory stays until the last call lets go.
 */
#include "core/internal.h"

#include "core/handle.h"
#include "core/ioerror.h"
#include "platform/platform_socket.h"
#include "System.Net/net.h"
#include "System.Net/netobjects.h"
#include "System.Net.Sockets/socketslot.h"

#include <sharpipc/System.Net.Sockets.h>

extern const sp_type sp_type_Socket;

static bool valid_port(int32_t port) { return port >= 0 && port <= 65535; }

/* Replaces a retained address field. */
static void swap_address(IPAddress **field, IPAddress *value)
{
    if (value)
        sp_object_retain((Object *)value);
    if (*field)
        sp_object_release((Object *)*field);
    *field = value;
}

/* ================================================================ MulticastOption */

struct MulticastOption {
    Object base;
    IPAddress *group;
    IPAddress *local; /* NULL once InterfaceIndex was set */
    int32_t index;
};

static void multicast_destroy(Object *o)
{
    MulticastOption *m = (MulticastOption *)o;
    swap_address(&m->group, NULL);
    swap_address(&m->local, NULL);
}

const sp_type sp_type_MulticastOption = {"System.Net.Sockets.MulticastOption", &sp_type_Object, NULL,
                                         multicast_destroy};

static MulticastOption *multicast_make(IPAddress *group, IPAddress *local, int32_t index)
{
    MulticastOption *m = sp_object_new(sizeof *m, &sp_type_MulticastOption);
    if (!m)
        return NULL;
    swap_address(&m->group, group);
    swap_address(&m->local, local);
    m->index = index;
    sp_clear();
    return m;
}

static bool index_ok(const char *param, int64_t value, int64_t limit)
{
    if (value < 0) {
        sp_throw_if_negative(param, value);
        return false;
    }
    if (value > limit) {
        sp_throw_if_greater_than(param, value, limit);
        return false;
    }
    return true;
}

static bool group_ok(IPAddress *group, const char *param)
{
    if (!group) {
        sp_throw_null(param);
        return false;
    }
    return sp_check_type(group, &sp_type_IPAddress, param) != NULL;
}

MulticastOption *(MulticastOption_new)(IPAddress *group)
{
    return group_ok(group, "group") ? multicast_make(group, IPAddress_Any, 0) : NULL;
}

MulticastOption *MulticastOption_newWithAddress(IPAddress *group, IPAddress *mcint)
{
    if (!group_ok(group, "group") || !group_ok(mcint, "mcint"))
        return NULL;
    return multicast_make(group, mcint, 0);
}

MulticastOption *MulticastOption_newWithIndex(IPAddress *group, int32_t interfaceIndex)
{
    if (!group_ok(group, "group") || !index_ok("interfaceIndex", interfaceIndex, 0x00FFFFFF))
        return NULL;
    return multicast_make(group, NULL, interfaceIndex);
}

IPAddress *MulticastOption_get_Group(MulticastOption *option)
{
    if (!sp_check_type(option, &sp_type_MulticastOption, "option"))
        return NULL;
    sp_clear();
    return option->group;
}

bool MulticastOption_set_Group(MulticastOption *option, IPAddress *value)
{
    if (!sp_check_type(option, &sp_type_MulticastOption, "option") || !group_ok(value, "value"))
        return false;
    swap_address(&option->group, value);
    sp_clear();
    return true;
}

IPAddress *MulticastOption_get_LocalAddress(MulticastOption *option)
{
    if (!sp_check_type(option, &sp_type_MulticastOption, "option"))
        return NULL;
    sp_clear();
    return option->local;
}

bool MulticastOption_set_LocalAddress(MulticastOption *option, IPAddress *value)
{
    if (!sp_check_type(option, &sp_type_MulticastOption, "option"))
        return false;
    if (value && !sp_check_type(value, &sp_type_IPAddress, "value"))
        return false;
    option->index = 0;
    swap_address(&option->local, value);
    sp_clear();
    return true;
}

int32_t MulticastOption_get_InterfaceIndex(MulticastOption *option)
{
    if (!sp_check_type(option, &sp_type_MulticastOption, "option"))
        return 0;
    sp_clear();
    return option->index;
}

bool MulticastOption_set_InterfaceIndex(MulticastOption *option, int32_t value)
{
    if (!sp_check_type(option, &sp_type_MulticastOption, "option") || !index_ok("value", value, 0x00FFFFFF))
        return false;
    swap_address(&option->local, NULL);
    option->index = value;
    sp_clear();
    return true;
}

/* ================================================================ IPv6MulticastOption */

struct IPv6MulticastOption {
    Object base;
    IPAddress *group;
    int64_t index;
};

static void multicast6_destroy(Object *o) { swap_address(&((IPv6MulticastOption *)o)->group, NULL); }

const sp_type sp_type_IPv6MulticastOption = {"System.Net.Sockets.IPv6MulticastOption", &sp_type_Object, NULL,
                                             multicast6_destroy};

IPv6MulticastOption *IPv6MulticastOption_newWithIndex(IPAddress *group, int64_t ifindex)
{
    if (!group_ok(group, "group") || !index_ok("ifindex", ifindex, 0xFFFFFFFFll))
        return NULL;
    IPv6MulticastOption *m = sp_object_new(sizeof *m, &sp_type_IPv6MulticastOption);
    if (!m)
        return NULL;
    swap_address(&m->group, group);
    m->index = ifindex;
    sp_clear();
    return m;
}

IPv6MulticastOption *(IPv6MulticastOption_new)(IPAddress *group) { return IPv6MulticastOption_newWithIndex(group, 0); }

IPAddress *IPv6MulticastOption_get_Group(IPv6MulticastOption *option)
{
    if (!sp_check_type(option, &sp_type_IPv6MulticastOption, "option"))
        return NULL;
    sp_clear();
    return option->group;
}

bool IPv6MulticastOption_set_Group(IPv6MulticastOption *option, IPAddress *value)
{
    if (!sp_check_type(option, &sp_type_IPv6MulticastOption, "option") || !group_ok(value, "value"))
        return false;
    swap_address(&option->group, value);
    sp_clear();
    return true;
}

int64_t IPv6MulticastOption_get_InterfaceIndex(IPv6MulticastOption *option)
{
    if (!sp_check_type(option, &sp_type_IPv6MulticastOption, "option"))
        return 0;
    sp_clear();
    return option->index;
}

bool IPv6MulticastOption_set_InterfaceIndex(IPv6MulticastOption *option, int64_t value)
{
    if (!sp_check_type(option, &sp_type_IPv6MulticastOption, "option") || !index_ok("value", value, 0xFFFFFFFFll))
        return false;
    option->index = value;
    sp_clear();
    return true;
}

/* ================================================================ UdpClient */

#define MAX_UDP_SIZE 0x10000

struct UdpClient {
    Object base;
    atomic_flag lock;  /* guards `socket` for a load and a retain, or a swap: a few instructions */
    Socket *socket;    /* _clientSocket: the constructor's or the Client setter's; NULL after Close */
    Socket *closed;    /* the socket Close closed, kept so that a borrowed Client stays valid */
    atomic_int family; /* _family: the constructor's or Connect(hostname)'s, read by calls beside it;
                        * the Client setter leaves it, as .NET's */
    atomic_bool active;
    atomic_bool broadcast; /* _isBroadcast: SocketOptionName.Broadcast set once */
    /* .NET's _buffer: what Receive receives into (MAX_UDP_SIZE bytes, made by the first Receive)
     * and copies the datagram out of; a Receive running beside the one holding it (receiving)
     * takes a buffer of its own for the call */
    atomic_bool receiving;
    uint8_t *buffer;
};

static Socket *socket_exchange(UdpClient *c, Socket *s) { return sp_slot_exchange(&c->lock, &c->socket, s); }
static Socket *socket_take(UdpClient *c) { return sp_slot_take(&c->lock, &c->socket); }
static void socket_drop(Socket *s) { sp_slot_drop(s); }

static bool client_close(Object *o)
{
    UdpClient *c = (UdpClient *)o;
    /* .NET's Dispose calls InternalShutdown(Both) first. On a datagram socket that only wakes a
     * Receive blocked on another thread before the close does (Linux and wine answer it with 0
     * bytes or WSAESHUTDOWN), so it is left out: the close alone ends that Receive with .NET's
     * SocketException Interrupted, and nothing else the shutdown did outlives the close.
     * _clientSocket = null as .NET's; the reference moves to `closed` for the destroy, since
     * Client's answer was borrowed "while the client lives". Close runs once. */
    Socket *s = socket_exchange(c, NULL);
    if (s)
        sp_object_close((Object *)s);
    c->closed = s;
    sp_clear();
    return true;
}

static void client_destroy(Object *o)
{
    UdpClient *c = (UdpClient *)o;
    socket_drop(c->socket);
    socket_drop(c->closed);
    free(c->buffer);
}

const sp_type sp_type_UdpClient = {"System.Net.Sockets.UdpClient", &sp_type_Object, client_close, client_destroy};

static bool family_ok(AddressFamily family)
{
    if (family != AddressFamily_InterNetwork && family != AddressFamily_InterNetworkV6) {
        sp_throwf_sr(ExceptionType_ArgumentException, "family", SR_net_protocol_invalid_family, "UDP");
        return false;
    }
    return true;
}

/* A client over a new socket of `family`, bound to `local` unless NULL. */
static UdpClient *client_make(int32_t family, IPEndPoint *local)
{
    UdpClient *c = sp_object_new(sizeof *c, &sp_type_UdpClient);
    if (!c)
        return NULL;
    atomic_init(&c->family, family);
    if (family != AddressFamily_Unknown) {
        c->socket = Socket_new((AddressFamily)family, SocketType_Dgram, ProtocolType_Udp);
        if (!c->socket || (local && !Socket_Bind(c->socket, local))) {
            sp_object_release(&c->base); /* keeps the exception */
            return NULL;
        }
    }
    sp_clear();
    return c;
}

UdpClient *UdpClient_newWithFamily(AddressFamily family)
{
    return family_ok(family) ? client_make(family, NULL) : NULL;
}

UdpClient *UdpClient_newDefault(void) { return client_make(AddressFamily_InterNetwork, NULL); }

UdpClient *UdpClient_newWithPortAndFamily(int32_t port, AddressFamily family)
{
    if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
        return NULL;
    }
    if (!family_ok(family))
        return NULL;
    IPEndPoint *ep = IPEndPoint_new(family == AddressFamily_InterNetwork ? IPAddress_Any : IPAddress_IPv6Any, port);
    if (!ep)
        return NULL;
    UdpClient *c = client_make(family, ep);
    sp_object_release((Object *)ep);
    return c;
}

UdpClient *(UdpClient_new)(int32_t port) { return UdpClient_newWithPortAndFamily(port, AddressFamily_InterNetwork); }

UdpClient *UdpClient_newWithEndPoint(IPEndPoint *localEP)
{
    if (!localEP) {
        sp_throw_null("localEP");
        return NULL;
    }
    if (!sp_check_type(localEP, &sp_type_IPEndPoint, "localEP"))
        return NULL;
    return client_make(IPEndPoint_get_AddressFamily(localEP), localEP);
}

static bool enter(UdpClient *c)
{
    if (!sp_check_type_fast(c, &sp_type_UdpClient, "client"))
        return false;
    return sp_call_enter(&c->base, NULL, NULL);
}
static void leave(UdpClient *c) { sp_call_leave(&c->base, NULL); }

/* IsAddressFamilyCompatible (no socket to ask DualMode: not compatible). */
static bool compatible(UdpClient *c, int32_t family)
{
    if (family == c->family)
        return true;
    if (family == AddressFamily_InterNetwork && c->family == AddressFamily_InterNetworkV6) {
        Socket *s = socket_take(c);
        bool dual = s && Socket_get_DualMode(s);
        socket_drop(s);
        sp_clear();
        return dual;
    }
    return false;
}

/* CheckForBroadcast: IPAddress.Broadcast (only that one) turns SocketOptionName.Broadcast on, once. */
static bool check_broadcast(UdpClient *c, Socket *s, const IPAddress *address)
{
    /* address.Equals(IPAddress.Broadcast), read in place: every Send(dgram, bytes, endPoint) asks */
    static const uint8_t broadcast[4] = {255, 255, 255, 255};
    if (atomic_load(&c->broadcast) || address->family != AddressFamily_InterNetwork ||
        memcmp(address->bytes, broadcast, 4) != 0)
        return true;
    atomic_store(&c->broadcast, true);
    return Socket_SetSocketOptionInt32(s, SocketOptionLevel_Socket, SocketOptionName_Broadcast, 1);
}

/* Connect(IPEndPoint) on a pinned client. */
static bool connect_endpoint(UdpClient *c, IPEndPoint *endPoint)
{
    Socket *s = socket_take(c);
    bool ok = s && check_broadcast(c, s, endPoint->address) && Socket_ConnectEndPoint(s, (EndPoint *)endPoint);
    socket_drop(s);
    if (ok)
        atomic_store(&c->active, true);
    return ok;
}

bool UdpClient_ConnectEndPoint(UdpClient *client, IPEndPoint *endPoint)
{
    if (!enter(client))
        return false;
    bool ok = false;
    if (!endPoint)
        sp_throw_null("endPoint");
    else if (sp_check_type(endPoint, &sp_type_IPEndPoint, "endPoint"))
        ok = connect_endpoint(client, endPoint);
    leave(client);
    return ok;
}

bool UdpClient_ConnectAddress(UdpClient *client, IPAddress *addr, int32_t port)
{
    if (!enter(client))
        return false;
    bool ok = false;
    if (!addr) {
        sp_throw_null("addr");
    } else if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
    } else {
        IPEndPoint *ep = IPEndPoint_new(addr, port);
        if (ep) {
            ok = connect_endpoint(client, ep);
            sp_object_release((Object *)ep);
        }
    }
    leave(client);
    return ok;
}

/* Connect(hostname, port) on a pinned client whose checks passed. A client made by the
 * (hostname, port) constructor has no socket yet (nor one whose Client was set to NULL, as in
 * .NET): an IPv4 and an IPv6 one are made and the first address that connects decides. The last failure stays the exception; none tried is
 * SocketException NotConnected. */
static bool connect_host(UdpClient *c, const char *hostname, int32_t port)
{
    int32_t count = 0;
    IPAddress **addresses = Dns_GetHostAddresses(hostname, &count);
    if (!addresses)
        return false;
    Socket *v4 = NULL, *v6 = NULL;
    Socket *held = sp_slot_get(&c->lock, &c->socket);
    bool mine = held != NULL;
    socket_drop(held);
    if (!mine) {
        if (Socket_OSSupportsIPv4)
            v4 = Socket_new(AddressFamily_InterNetwork, SocketType_Dgram, ProtocolType_Udp);
        if (Socket_OSSupportsIPv6)
            v6 = Socket_new(AddressFamily_InterNetworkV6, SocketType_Dgram, ProtocolType_Udp);
    }
    bool tried = false, ok = false;
    for (int32_t i = 0; i < count && !ok; i++) {
        int32_t family = IPAddress_get_AddressFamily(addresses[i]);
        if (mine) {
            if (!compatible(c, family))
                continue;
            tried = true;
            IPEndPoint *ep = IPEndPoint_new(addresses[i], port);
            ok = ep && connect_endpoint(c, ep);
            if (ep)
                sp_object_release((Object *)ep);
            continue;
        }
        Socket **use = family == AddressFamily_InterNetwork && v4 ? &v4 : v6 ? &v6 : NULL;
        if (!use)
            continue;
        tried = true;
        if ((ok = Socket_ConnectAddress(*use, addresses[i], port))) {
            Socket *fresh = *use;
            socket_drop(socket_exchange(c, fresh)); /* a Client set meanwhile loses, as in .NET */
            *use = NULL;
            if (sp_object_is_closed(&c->base)) {
                /* A Dispose since the pin emptied the slot before this store (its closed flag
                 * first, then the slot under the lock): the socket goes, as that Dispose would
                 * have closed it, and the Connect ends as one after it */
                sp_slot_lock(&c->lock);
                Socket *late = c->socket == fresh ? fresh : NULL;
                if (late)
                    c->socket = NULL;
                sp_slot_unlock(&c->lock);
                if (late) {
                    sp_object_close((Object *)late);
                    socket_drop(late);
                }
                sp_throw_disposed(SR_ObjectDisposed_Generic, sp_type_UdpClient.name);
                ok = false;
                break;
            }
            c->family = family;
            atomic_store(&c->active, true);
        }
    }
    if (!tried)
        sp_throw_socket_error(sp_os_socket_error_code(SocketError_NotConnected), NULL);
    /* the spare sockets go; their release leaves the pending exception alone */
    if (v4)
        sp_object_release((Object *)v4);
    if (v6)
        sp_object_release((Object *)v6);
    Dns_FreeAddresses(addresses, count);
    if (ok)
        sp_clear();
    return ok;
}

bool UdpClient_ConnectHost(UdpClient *client, const char *hostname, int32_t port)
{
    if (!enter(client))
        return false;
    bool ok = false;
    if (!hostname)
        sp_throw_null("hostname");
    else if (!valid_port(port))
        sp_throw_out_of_range("port", NULL);
    else
        ok = connect_host(client, hostname, port);
    leave(client);
    return ok;
}

UdpClient *UdpClient_newWithHost(const char *hostname, int32_t port)
{
    if (!hostname) {
        sp_throw_null("hostname");
        return NULL;
    }
    if (!valid_port(port)) {
        sp_throw_out_of_range("port", NULL);
        return NULL;
    }
    UdpClient *c = client_make(AddressFamily_Unknown, NULL);
    if (c && !UdpClient_ConnectHost(c, hostname, port)) {
        sp_object_release(&c->base);
        return NULL;
    }
    return c;
}

/* Send(dgram, bytes, endPoint) on a pinned client: endPoint NULL sends to the connected host. */
static int32_t send_datagram(UdpClient *c, const void *dgram, int32_t bytes, IPEndPoint *endPoint)
{
    Socket *s = socket_take(c);
    int32_t n = -1;
    if (!s)
        return -1;
    if (!endPoint)
        n = (Socket_Send)(s, dgram, 0, bytes, SocketFlags_None);
    else if (check_broadcast(c, s, endPoint->address))
        n = (Socket_SendTo)(s, dgram, 0, bytes, SocketFlags_None, (EndPoint *)endPoint);
    socket_drop(s);
    return n;
}

int32_t UdpClient_SendToEndPoint(UdpClient *client, const void *dgram, int32_t bytes, IPEndPoint *endPoint)
{
    if (!enter(client))
        return -1;
    int32_t n = -1;
    if (!dgram)
        sp_throw_null("dgram");
    else if (atomic_load(&client->active) && endPoint)
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_udpconnected, NULL);
    else if (!endPoint || sp_check_type_fast(endPoint, &sp_type_IPEndPoint, "endPoint"))
        n = send_datagram(client, dgram, bytes, endPoint);
    leave(client);
    return n;
}

int32_t(UdpClient_Send)(UdpClient *client, const void *dgram, int32_t bytes)
{
    if (!enter(client))
        return -1;
    int32_t n = -1;
    if (!dgram)
        sp_throw_null("dgram");
    else if (!atomic_load(&client->active)) /* only allowed on a connected socket */
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_notconnected, NULL);
    else
        n = send_datagram(client, dgram, bytes, NULL);
    leave(client);
    return n;
}

int32_t UdpClient_SendToHost(UdpClient *client, const void *dgram, int32_t bytes, const char *hostname, int32_t port)
{
    if (!enter(client))
        return -1;
    int32_t n = -1;
    if (!dgram) {
        sp_throw_null("dgram");
    } else if (atomic_load(&client->active) && (hostname || port != 0)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_net_udpconnected, NULL);
    } else if (!hostname || port == 0) {
        n = send_datagram(client, dgram, bytes, NULL);
    } else {
        int32_t count = 0;
        IPAddress **addresses = Dns_GetHostAddresses(hostname, &count);
        if (addresses) {
            int32_t i = 0;
            while (i < count && !compatible(client, IPAddress_get_AddressFamily(addresses[i])))
                i++;
            if (i == count) {
                sp_throw_sr(ExceptionType_ArgumentException, SR_net_invalidAddressList, "hostname");
            } else {
                IPEndPoint *ep = IPEndPoint_new(addresses[i], port);
                if (ep) {
                    n = send_datagram(client, dgram, bytes, ep);
                    sp_object_release((Object *)ep);
                }
            }
            Dns_FreeAddresses(addresses, count);
        }
    }
    leave(client);
    return n;
}

/* The receive buffer for one Receive: the client's when no other Receive holds it, else one of the
 * call's own (*own); NULL with OutOfMemoryException. Not cleared: the datagram's bytes are all that
 * is read from it. */
static uint8_t *buffer_take(UdpClient *c, bool *own)
{
    *own = atomic_exchange(&c->receiving, true);
    if (*own)
        return sp_malloc(MAX_UDP_SIZE);
    if (!c->buffer && !(c->buffer = sp_malloc(MAX_UDP_SIZE)))
        atomic_store(&c->receiving, false);
    return c->buffer;
}

static void buffer_drop(UdpClient *c, uint8_t *buffer, bool own)
{
    if (own)
        free(buffer);
    else if (buffer)
        atomic_store(&c->receiving, false);
}

uint8_t *UdpClient_Receive(UdpClient *client, IPEndPoint **remoteEP, int32_t *length)
{
    if (length)
        *length = 0;
    if (!enter(client))
        return NULL;
    uint8_t *result = NULL;
    if (!remoteEP) {
        sp_throw_null("remoteEP");
    } else {
        /* As .NET: ReceiveFrom into the client's buffer with tempRemoteEP = IPEndPoint.Any when
         * _family is InterNetwork, else IPv6Any, which the sender replaces, and a new array of
         * what came. The family is the client's, not its socket's (.NET 10): on a socket of
         * another family that the Client setter put there, ReceiveFrom refuses the endpoint
         * (ArgumentException) unless the socket is dual-mode IPv6 under an IPv4 client. */
        Socket *s = socket_take(client);
        bool own = false;
        uint8_t *buffer = s ? buffer_take(client, &own) : NULL;
        IPEndPoint *any = sp_ipendpoint_any(
            client->family == AddressFamily_InterNetwork ? AddressFamily_InterNetwork : AddressFamily_InterNetworkV6);
        EndPoint *from = (EndPoint *)any;
        int32_t n = buffer ? (Socket_ReceiveFrom)(s, buffer, 0, MAX_UDP_SIZE, SocketFlags_None, &from) : -1;
        socket_drop(s);
        if (n >= 0 && from == (EndPoint *)any) {
            /* a sender that equals Any, port 0, kept the shared one: the caller gets an object of
             * its own */
            from = (EndPoint *)IPEndPoint_new(IPEndPoint_get_Address((IPEndPoint *)from), 0);
            if (!from)
                n = -1;
        }
        if (n >= 0 && !(result = sp_array_from_bytes(buffer, n))) {
            n = -1;
            sp_object_release((Object *)from);
        }
        buffer_drop(client, buffer, own);
        if (n >= 0) {
            if (*remoteEP)
                sp_object_release((Object *)*remoteEP);
            *remoteEP = (IPEndPoint *)from;
            if (length)
                *length = n;
            sp_clear();
        }
    }
    leave(client);
    return result;
}

/* ---------------------------------------------------------------- multicast groups */

static bool same_family(UdpClient *c, IPAddress *multicastAddr)
{
    if (IPAddress_get_AddressFamily(multicastAddr) != c->family) {
        sp_throwf_sr(ExceptionType_ArgumentException, "multicastAddr", SR_net_protocol_invalid_multicast_family, "UDP");
        return false;
    }
    return true;
}

/* Join (AddMembership) or Drop the group on the default interface, by the client's family. */
static bool membership(UdpClient *c, IPAddress *multicastAddr, SocketOptionName name)
{
    Socket *s = socket_take(c);
    if (!s)
        return false;
    bool ok = false;
    if (c->family == AddressFamily_InterNetwork) {
        MulticastOption *o = (MulticastOption_new)(multicastAddr);
        ok = o && Socket_SetSocketOptionMulticast(s, SocketOptionLevel_IP, name, o);
        if (o)
            sp_object_release(&o->base);
    } else {
        IPv6MulticastOption *o = (IPv6MulticastOption_new)(multicastAddr);
        ok = o && Socket_SetSocketOptionIPv6Multicast(s, SocketOptionLevel_IPv6, name, o);
        if (o)
            sp_object_release(&o->base);
    }
    socket_drop(s);
    return ok;
}

/* SetSocketOption(level, name, int) on the client's current socket. */
static bool set_option(UdpClient *c, SocketOptionLevel level, SocketOptionName name, int32_t value)
{
    Socket *s = socket_take(c);
    bool ok = s && Socket_SetSocketOptionInt32(s, level, name, value);
    socket_drop(s);
    return ok;
}

static bool group_call(UdpClient *c, IPAddress *multicastAddr, SocketOptionName name)
{
    if (!group_ok(multicastAddr, "multicastAddr") || !same_family(c, multicastAddr))
        return false;
    return membership(c, multicastAddr, name);
}

bool(UdpClient_JoinMulticastGroup)(UdpClient *client, IPAddress *multicastAddr)
{
    if (!enter(client))
        return false;
    bool ok = group_call(client, multicastAddr, SocketOptionName_AddMembership);
    leave(client);
    return ok;
}

bool UdpClient_DropMulticastGroup(UdpClient *client, IPAddress *multicastAddr)
{
    if (!enter(client))
        return false;
    bool ok = group_call(client, multicastAddr, SocketOptionName_DropMembership);
    leave(client);
    return ok;
}

bool UdpClient_JoinMulticastGroupWithTtl(UdpClient *client, IPAddress *multicastAddr, int32_t timeToLive)
{
    if (!enter(client))
        return false;
    bool ok = false;
    if (!group_ok(multicastAddr, "multicastAddr")) {
    } else if (timeToLive < 0 || timeToLive > 255) {
        sp_throw_out_of_range("timeToLive", NULL);
    } else if (group_call(client, multicastAddr, SocketOptionName_AddMembership)) {
        ok = set_option(client,
                        client->family == AddressFamily_InterNetwork ? SocketOptionLevel_IP : SocketOptionLevel_IPv6,
                        SocketOptionName_MulticastTimeToLive, timeToLive);
    }
    leave(client);
    return ok;
}

bool UdpClient_JoinMulticastGroupWithLocal(UdpClient *client, IPAddress *multicastAddr, IPAddress *localAddress)
{
    if (!enter(client))
        return false;
    bool ok = false;
    if (client->family != AddressFamily_InterNetwork) {
        sp_throw_socket_error(sp_os_socket_error_code(SocketError_OperationNotSupported), NULL);
    } else {
        MulticastOption *o = MulticastOption_newWithAddress(multicastAddr, localAddress);
        Socket *s = o ? socket_take(client) : NULL;
        ok = s && Socket_SetSocketOptionMulticast(s, SocketOptionLevel_IP, SocketOptionName_AddMembership, o);
        socket_drop(s);
        if (o)
            sp_object_release(&o->base);
    }
    leave(client);
    return ok;
}

/* The IPv6 forms with an interface index. */
static bool indexed_call(UdpClient *c, IPAddress *multicastAddr, int32_t ifindex, SocketOptionName name)
{
    if (!group_ok(multicastAddr, "multicastAddr"))
        return false;
    if (ifindex < 0) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_net_value_cannot_be_negative, "ifindex");
        return false;
    }
    if (c->family != AddressFamily_InterNetworkV6) {
        sp_throw_socket_error(sp_os_socket_error_code(SocketError_OperationNotSupported), NULL);
        return false;
    }
    IPv6MulticastOption *o = IPv6MulticastOption_newWithIndex(multicastAddr, ifindex);
    Socket *s = o ? socket_take(c) : NULL;
    bool ok = s && Socket_SetSocketOptionIPv6Multicast(s, SocketOptionLevel_IPv6, name, o);
    socket_drop(s);
    if (o)
        sp_object_release(&o->base);
    return ok;
}

bool UdpClient_JoinMulticastGroupWithIndex(UdpClient *client, int32_t ifindex, IPAddress *multicastAddr)
{
    if (!enter(client))
        return false;
    bool ok = indexed_call(client, multicastAddr, ifindex, SocketOptionName_AddMembership);
    leave(client);
    return ok;
}

bool UdpClient_DropMulticastGroupWithIndex(UdpClient *client, IPAddress *multicastAddr, int32_t ifindex)
{
    if (!enter(client))
        return false;
    bool ok = indexed_call(client, multicastAddr, ifindex, SocketOptionName_DropMembership);
    leave(client);
    return ok;
}

/* ---------------------------------------------------------------- Close, properties */

bool UdpClient_Close(UdpClient *client)
{
    if (!sp_check_type(client, &sp_type_UdpClient, "client"))
        return false;
    sp_clear();
    return sp_object_close(&client->base);
}

Socket *UdpClient_get_Client(UdpClient *client)
{
    if (!sp_check_type(client, &sp_type_UdpClient, "client"))
        return NULL;
    sp_clear();
    /* a plain read, as .NET's: NULL after Close (its Dispose sets _clientSocket to null) */
    Socket *s = sp_slot_get(&client->lock, &client->socket);
    socket_drop(s); /* borrowed: the client holds its own reference */
    return s;
}

bool UdpClient_set_Client(UdpClient *client, Socket *value)
{
    if (!sp_check_type(client, &sp_type_UdpClient, "client") ||
        (value && !sp_check_type(value, &sp_type_Socket, "value")))
        return false;
    /* .NET's setter stores the reference and does nothing to the socket it held (nor to _family or
     * Active): that one is closed when nothing reaches it any more (its finalizer). Here the client
     * lets go of its reference, which closes it unless the caller kept one (Object_Retain). */
    sp_slot_set(&client->lock, &client->socket, value);
    sp_clear();
    return true;
}

SP_SLOT_ACTIVE(UdpClient)

/* The Socket properties a UdpClient forwards, on its current socket (none: ObjectDisposed naming
 * Socket, see sp_slot_take). */
#define FORWARD_GET(T, Name, zero) SP_SLOT_FORWARD_GET(UdpClient, T, Name, zero)
#define FORWARD_SET(T, Name) SP_SLOT_FORWARD_SET(UdpClient, T, Name)

FORWARD_GET(int32_t, Available, 0)
FORWARD_GET(int16_t, Ttl, 0)
FORWARD_SET(int16_t, Ttl)
FORWARD_GET(bool, DontFragment, false)
FORWARD_SET(bool, DontFragment)
FORWARD_GET(bool, MulticastLoopback, false)
FORWARD_SET(bool, MulticastLoopback)
FORWARD_GET(bool, EnableBroadcast, false)
FORWARD_SET(bool, EnableBroadcast)
FORWARD_GET(bool, ExclusiveAddressUse, false)
FORWARD_SET(bool, ExclusiveAddressUse)
