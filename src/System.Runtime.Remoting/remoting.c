/* The Remoting client: Activator.GetObject's proxy, calls over pooled TCP connections (one call in
 * flight on each), per-proxy timeouts. Transport through sharpipc's Socket; the wire is
 * nrtp.c/nrbf.c's. */
#include "System.Runtime.Remoting/remoting.h"

#include <stdio.h>

#include "core/handle.h"       /* sp_call_enter: a call pins its proxy */
#include "platform/platform.h" /* sp_os_now_ms only: the clock */

/* ---------------------------------------------------------------- connections */

typedef struct conn {
    struct conn *next;
    char *host;
    int32_t port;
    Socket *socket;
    int32_t start, end; /* unread bytes in buf */
    uint8_t buf[8192];
} conn;

/* The idle connections of the process, by host:port. A spin lock: the critical sections are a few
 * pointer moves, and it needs no OS object. */
static atomic_flag pool_lock = ATOMIC_FLAG_INIT;
static conn *pool;
static int32_t pool_count;
#define SP_REMOTING_POOL_MAX 32

static void lock_pool(void)
{
    while (atomic_flag_test_and_set_explicit(&pool_lock, memory_order_acquire)) {
    }
}
static void unlock_pool(void) { atomic_flag_clear_explicit(&pool_lock, memory_order_release); }

static void conn_free(conn *c)
{
    if (!c)
        return;
    /* the last release closes it and keeps the caller's pending exception (Dispose would clear it) */
    if (c->socket)
        sp_object_release((Object *)c->socket);
    free(c->host);
    free(c);
}

/* An idle connection to host:port that is still open (a readable idle socket has been closed by
 * the server, or holds bytes nobody asked for: either way it is not reused). */
static conn *pool_take(const char *host, int32_t port)
{
    for (;;) {
        lock_pool();
        conn **at = &pool, *c = NULL;
        for (; *at; at = &(*at)->next)
            if ((*at)->port == port && strcmp((*at)->host, host) == 0) {
                c = *at;
                *at = c->next;
                pool_count--;
                break;
            }
        unlock_pool();
        if (!c)
            return NULL;
        bool pending = sp_failed();
        bool stale = c->start != c->end || Socket_Poll(c->socket, 0, SelectMode_SelectRead) || sp_failed();
        if (!pending)
            sp_clear();
        if (!stale)
            return c;
        conn_free(c);
    }
}

static void pool_give(conn *c)
{
    lock_pool();
    if (pool_count < SP_REMOTING_POOL_MAX) {
        c->next = pool;
        pool = c;
        pool_count++;
        c = NULL;
    }
    unlock_pool();
    conn_free(c);
}

/* For tests: closes every idle connection. */
void sp_remoting_pool_clear(void)
{
    lock_pool();
    conn *c = pool;
    pool = NULL;
    pool_count = 0;
    unlock_pool();
    while (c) {
        conn *next = c->next;
        conn_free(c);
        c = next;
    }
}

/* ---------------------------------------------------------------- the proxy */

struct RemoteObject {
    Object base;
    char *type_name;
    char *url;
    char *host;
    int32_t port;
    atomic_int timeout;
    /* the sockets of calls in flight, so Dispose can end them (a spin lock, as the pool's) */
    atomic_flag inflight_lock;
    Socket *inflight[16];
};

static void lock_inflight(RemoteObject *o)
{
    while (atomic_flag_test_and_set_explicit(&o->inflight_lock, memory_order_acquire)) {
    }
}
static void unlock_inflight(RemoteObject *o) { atomic_flag_clear_explicit(&o->inflight_lock, memory_order_release); }

static bool remote_close(Object *self)
{
    RemoteObject *o = (RemoteObject *)self;
    lock_inflight(o);
    for (size_t i = 0; i < sizeof o->inflight / sizeof o->inflight[0]; i++)
        if (o->inflight[i]) {
            bool pending = sp_failed();
            Socket_Shutdown(o->inflight[i], SocketShutdown_Both);
            Socket_CloseWithTimeout(o->inflight[i], 0);
            if (!pending)
                sp_clear();
        }
    unlock_inflight(o);
    return true;
}

static void remote_destroy(Object *self)
{
    RemoteObject *o = (RemoteObject *)self;
    free(o->type_name);
    free(o->url);
    free(o->host);
}

const sp_type sp_type_RemoteObject = {"System.Runtime.Remoting.Proxies.__TransparentProxy", &sp_type_Object,
                                      remote_close, remote_destroy};

static bool track(RemoteObject *o, Socket *s)
{
    lock_inflight(o);
    for (size_t i = 0; i < sizeof o->inflight / sizeof o->inflight[0]; i++)
        if (!o->inflight[i]) {
            Object_Retain(s);
            o->inflight[i] = s;
            unlock_inflight(o);
            return true;
        }
    unlock_inflight(o);
    return false; /* more calls in flight than slots: this one is not ended by Dispose */
}

static void untrack(RemoteObject *o, Socket *s)
{
    lock_inflight(o);
    for (size_t i = 0; i < sizeof o->inflight / sizeof o->inflight[0]; i++)
        if (o->inflight[i] == s) {
            o->inflight[i] = NULL;
            unlock_inflight(o);
            sp_object_release((Object *)s); /* keeps the call's exception */
            return;
        }
    unlock_inflight(o);
}

/* tcp://host:port/ObjectUri (host may be [IPv6]) */
static bool parse_url(const char *url, char **host, int32_t *port)
{
    const char *p = url;
    if (strncmp(p, "tcp://", 6) != 0) {
        sp_throwf_sr(ExceptionType_RemotingException, NULL, SR_Remoting_ChannelSinkNotFound, url);
        return false;
    }
    p += 6;
    const char *h = p, *he;
    if (*p == '[') {
        h = ++p;
        while (*p && *p != ']')
            p++;
        if (*p != ']')
            goto bad;
        he = p++;
    } else {
        while (*p && *p != ':' && *p != '/')
            p++;
        he = p;
    }
    if (he == h || *p != ':')
        goto bad;
    p++;
    long v = 0;
    const char *ps = p;
    while (*p >= '0' && *p <= '9' && v <= 65535)
        v = v * 10 + (*p++ - '0');
    if (p == ps || v < 1 || v > 65535 || (*p && *p != '/'))
        goto bad;
    *host = sp_strndup(h, (size_t)(he - h));
    *port = (int32_t)v;
    return *host != NULL;
bad:
    sp_throwf_sr(ExceptionType_RemotingException, NULL, SR_Remoting_BadUrl, url);
    return false;
}

RemoteObject *Activator_GetObject(const char *typeName, const char *url)
{
    if (!typeName) {
        sp_throw_null("type");
        return NULL;
    }
    if (!url) {
        sp_throw_null("url");
        return NULL;
    }
    char *host;
    int32_t port;
    if (!parse_url(url, &host, &port))
        return NULL;
    RemoteObject *o = sp_object_new(sizeof *o, &sp_type_RemoteObject);
    if (!o) {
        free(host);
        return NULL;
    }
    o->host = host;
    o->port = port;
    atomic_init(&o->timeout, -1);
    atomic_flag_clear(&o->inflight_lock);
    o->type_name = sp_strdup(typeName);
    o->url = sp_strdup(url);
    if (!o->type_name || !o->url) {
        sp_object_release((Object *)o);
        return NULL;
    }
    sp_clear();
    return o;
}

static RemoteObject *check(RemoteObject *o)
{
    return (RemoteObject *)sp_check_open(o, &sp_type_RemoteObject, "obj", NULL);
}

const char *RemoteObject_get_TypeName(RemoteObject *obj)
{
    if (!sp_check_type(obj, &sp_type_RemoteObject, "obj"))
        return NULL;
    sp_clear();
    return obj->type_name;
}

char *RemoteObject_get_Url(RemoteObject *obj)
{
    if (!sp_check_type(obj, &sp_type_RemoteObject, "obj"))
        return NULL;
    char *s = sp_strdup(obj->url);
    if (s)
        sp_clear();
    return s;
}

bool RemoteObject_set_Timeout(RemoteObject *obj, int32_t millisecondsTimeout)
{
    if (!check(obj))
        return false;
    if (millisecondsTimeout < -1) {
        sp_throw_out_of_range("millisecondsTimeout", sp_sr(SR_ArgumentOutOfRange_NeedNonNegOrNegative1));
        return false;
    }
    atomic_store(&obj->timeout, millisecondsTimeout);
    sp_clear();
    return true;
}

int32_t RemoteObject_get_Timeout(RemoteObject *obj)
{
    if (!sp_check_type(obj, &sp_type_RemoteObject, "obj"))
        return 0;
    sp_clear();
    return atomic_load(&obj->timeout);
}

/* ---------------------------------------------------------------- one call */

typedef struct call {
    RemoteObject *obj;
    conn *c;
    int64_t deadline; /* sp_os_now_ms() limit, or -1 */
} call;

/* The ms left (at least 1), 0 when the time is up, -1 without a limit. */
static int32_t remaining(const call *k)
{
    if (k->deadline < 0)
        return -1;
    int64_t left = k->deadline - sp_os_now_ms();
    return left <= 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int32_t)left;
}

static void throw_timeout(void) { sp_throw(ExceptionType_TimeoutException, NULL, NULL); }

/* A socket failure as the Remoting client reports it (RPC-API.md 4). */
static void transport_failure(const call *k)
{
    const Exception *e = Exception_get_Current();
    int32_t native = e ? Exception_get_NativeErrorCode(e) : 0;
    if (sp_object_is_closed((Object *)k->obj)) {
        sp_throw_disposed(SR_ObjectDisposed_Generic, sp_type_RemoteObject.name);
        return;
    }
    if (e && Exception_Is(e, ExceptionType_SocketException) &&
        SocketException_get_SocketErrorCode(e) == SocketError_TimedOut) {
        throw_timeout();
        sp_exception_set_native_code(native);
        return;
    }
    if (e && Exception_Is(e, ExceptionType_TimeoutException))
        return;
    sp_throw_native(ExceptionType_RemotingException, sp_sr(SR_Remoting_TcpTransportError), native);
}

static bool conn_read_exactly(void *context, uint8_t *buffer, int32_t count)
{
    call *k = context;
    conn *c = k->c;
    while (count > 0) {
        if (c->start == c->end) {
            int32_t left = remaining(k);
            if (left == 0) {
                throw_timeout();
                return false;
            }
            if (!Socket_set_ReceiveTimeout(c->socket, left < 0 ? 0 : left)) {
                transport_failure(k);
                return false;
            }
            int32_t n = Socket_Receive(c->socket, c->buf, 0, (int32_t)sizeof c->buf, SocketFlags_None);
            if (n < 0) {
                transport_failure(k);
                return false;
            }
            if (n == 0) { /* the server closed the connection mid-call (or Dispose shut it) */
                if (sp_object_is_closed((Object *)k->obj))
                    sp_throw_disposed(SR_ObjectDisposed_Generic, sp_type_RemoteObject.name);
                else
                    sp_throw_sr(ExceptionType_RemotingException, SR_Remoting_TcpTransportError, NULL);
                return false;
            }
            c->start = 0;
            c->end = n;
        }
        int32_t take = c->end - c->start < count ? c->end - c->start : count;
        memcpy(buffer, c->buf + c->start, (size_t)take);
        c->start += take;
        buffer += take;
        count -= take;
    }
    return true;
}

static bool send_all(call *k, const uint8_t *data, size_t length)
{
    while (length > 0) {
        int32_t left = remaining(k);
        if (left == 0) {
            throw_timeout();
            return false;
        }
        if (!Socket_set_SendTimeout(k->c->socket, left < 0 ? 0 : left)) {
            transport_failure(k);
            return false;
        }
        int32_t chunk = length > (1 << 20) ? (1 << 20) : (int32_t)length;
        int32_t n = Socket_Send(k->c->socket, data, 0, chunk, SocketFlags_None);
        if (n <= 0) {
            transport_failure(k);
            return false;
        }
        data += n;
        length -= (size_t)n;
    }
    return true;
}

/* Connects t to address:port within the call's time (RPC-API.md 4: the timeout bounds connect,
 * send and receive), through the public Socket API as a .NET caller bounds Connect: Blocking =
 * false, Connect (WouldBlock while under way), Poll for writable in short slices (a failed connect
 * shows as SO_ERROR, which older WSAPoll never reports as ready, and a Dispose of the proxy is seen
 * between slices, with a timeout or without), then Blocking = true. On failure the SocketException is pending (a connect that
 * failed after WouldBlock: new SocketException(SO_ERROR's SocketError), the OS's code as its native one). */
static bool connect_within(call *k, Socket *t, const IPAddress *address, int32_t port)
{
    if (!Socket_set_Blocking(t, false))
        return false;
    bool connected = Socket_ConnectAddress(t, address, port);
    if (!connected) {
        const Exception *e = Exception_get_Current();
        if (!e || !Exception_Is(e, ExceptionType_SocketException) ||
            SocketException_get_SocketErrorCode(e) != SocketError_WouldBlock)
            return false;
        for (;;) {
            if (sp_object_is_closed((Object *)k->obj)) {
                sp_throw_disposed(SR_ObjectDisposed_Generic, sp_type_RemoteObject.name);
                return false;
            }
            int32_t left = remaining(k);
            if (left == 0) {
                SocketException_Throw(SocketError_TimedOut);
                return false;
            }
            int32_t slice = left < 0 || left > 50 ? 50 : left; /* no limit: until the OS gives up */
            bool ready = Socket_Poll(t, slice * 1000, SelectMode_SelectWrite);
            if (sp_failed())
                return false;
            int32_t error = Socket_GetSocketOption(t, SocketOptionLevel_Socket, SocketOptionName_Error);
            if (sp_failed())
                return false;
            if (error != 0) {
                SocketException_Throw(error);
                return false;
            }
            if (ready)
                break;
        }
    }
    return Socket_set_Blocking(t, true);
}

/* A new connection to host:port, every address of the host tried in turn (localhost is ::1 and
 * 127.0.0.1; a Mono server binds one of them). */
static conn *connect_to(call *k)
{
    RemoteObject *o = k->obj;
    int32_t count = 0;
    IPAddress **addresses = Dns_GetHostAddresses(o->host, &count);
    if (!addresses)
        return NULL;
    Socket *s = NULL;
    int32_t native = 0, socket_error = 0;
    for (int32_t i = 0; i < count && !s; i++) {
        if (remaining(k) == 0)
            break;
        Socket *t =
            Socket_newWithFamily(IPAddress_get_AddressFamily(addresses[i]), SocketType_Stream, ProtocolType_Tcp);
        if (!t)
            continue;
        if (connect_within(k, t, addresses[i], o->port)) {
            s = t;
            break;
        }
        const Exception *e = Exception_get_Current();
        if (e && Exception_Is(e, ExceptionType_ObjectDisposedException)) {
            Dispose(t);
            Dns_FreeAddresses(addresses, count);
            return NULL;
        }
        native = e ? Exception_get_NativeErrorCode(e) : 0;
        socket_error = e ? SocketException_get_SocketErrorCode(e) : 0;
        Dispose(t);
    }
    Dns_FreeAddresses(addresses, count);
    if (!s) {
        if (remaining(k) == 0 || socket_error == SocketError_TimedOut)
            throw_timeout();
        else if (socket_error == SocketError_ConnectionRefused)
            sp_throw_native(ExceptionType_RemotingException, sp_sr(SR_Remoting_ConnectionRefused), native);
        else
            sp_throw_native(ExceptionType_RemotingException, sp_sr(SR_Remoting_TcpTransportError), native);
        return NULL;
    }
    Socket_set_NoDelay(s, true); /* as TcpChannel's sockets */
    conn *c = calloc(1, sizeof *c);
    if (!c || !(c->host = sp_strdup(o->host))) {
        free(c);
        Dispose(s);
        sp_throw_out_of_memory();
        return NULL;
    }
    c->port = o->port;
    c->socket = s;
    sp_clear();
    return c;
}

/* Reads the body of a reply, growing the buffer as bytes arrive (never to the declared size
 * before the bytes are there). */
static uint8_t *read_body(call *k, int32_t length)
{
    sp_buf b = {0};
    while ((int32_t)b.length < length) {
        size_t want = (size_t)length - b.length;
        size_t step = b.capacity > b.length ? b.capacity - b.length : (b.length < 65536 ? 65536 : b.length);
        if (step > want)
            step = want;
        if (!sp_buf_reserve(&b, step)) {
            sp_buf_free(&b);
            return NULL;
        }
        if (!conn_read_exactly(k, b.data + b.length, (int32_t)step)) {
            sp_buf_free(&b);
            return NULL;
        }
        b.length += step;
    }
    if (!b.data)
        b.data = sp_malloc(1);
    return b.data;
}

static bool invoke_pinned(RemoteObject *obj, const char *methodName, const Variant *args, int32_t argCount,
                          bool one_way, const ParameterInfo *returnParameter, Variant *result)
{
    if (!methodName) {
        sp_throw_null("methodName");
        return false;
    }
    if (argCount < 0 || (argCount > 0 && !args)) {
        if (argCount < 0)
            sp_throw_need_nonneg("argCount");
        else
            sp_throw_null("args");
        return false;
    }
    if (!one_way && !result) {
        sp_throw_null("result");
        return false;
    }
    sp_buf body = {0}, frame = {0};
    if (!sp_nrbf_write_call(&body, methodName, obj->type_name, args, argCount)) {
        sp_buf_free(&body);
        return false;
    }
    if (body.length > INT32_MAX || !sp_nrtp_write_request(&frame, one_way, obj->url, (int32_t)body.length) ||
        !sp_buf_append(&frame, body.data, body.length)) {
        sp_buf_free(&body);
        sp_buf_free(&frame);
        return false;
    }
    sp_buf_free(&body);

    int32_t timeout = atomic_load(&obj->timeout);
    call k = {obj, NULL, timeout < 0 ? -1 : sp_os_now_ms() + timeout};
    bool ok = false, keep = false;
    k.c = pool_take(obj->host, obj->port);
    if (!k.c && !(k.c = connect_to(&k)))
        goto out;
    bool tracked = track(obj, k.c->socket);
    /* a Dispose that came before the socket was tracked could not end it: end the call here */
    if (sp_object_is_closed((Object *)obj)) {
        sp_throw_disposed(SR_ObjectDisposed_Generic, sp_type_RemoteObject.name);
        goto done;
    }
    /* one write: Mono closes a connection that sees two requests in one read, never a split one */
    if (!send_all(&k, frame.data, frame.length))
        goto done;
    if (one_way) {
        ok = keep = true;
        goto done;
    }
    sp_nrtp_source source = {conn_read_exactly, &k};
    sp_nrtp_frame reply;
    if (!sp_nrtp_read_frame(&source, &reply))
        goto done;
    if (reply.operation != SP_NRTP_REPLY) {
        sp_nrtp_frame_free(&reply);
        sp_throw_sr(ExceptionType_RemotingException, SR_Remoting_UnknownResponse, NULL);
        goto done;
    }
    if (reply.status_code > 0) { /* .NET's transport error reply: the phrase is the message */
        sp_throw(ExceptionType_RemotingException,
                 reply.status_phrase ? reply.status_phrase : sp_sr(SR_Remoting_UnknownResponse), NULL);
        sp_nrtp_frame_free(&reply);
        goto done;
    }
    bool close_after = reply.close_connection;
    sp_nrtp_frame_free(&reply);
    if (reply.content_length <= 0 || reply.content_length > SP_NRTP_MAX_CONTENT_LENGTH) {
        sp_throw_sr(ExceptionType_RemotingException, SR_Remoting_UnknownResponse, NULL);
        goto done;
    }
    uint8_t *data = read_body(&k, reply.content_length);
    if (!data)
        goto done;
    ok = sp_nrbf_read_return(data, (size_t)reply.content_length, returnParameter, result);
    /* the frame was whole: the connection is in step whatever the body said, unless it was bad */
    keep = !close_after && (ok || !Exception_Is(Exception_get_Current(), ExceptionType_SerializationException));
    free(data);
done:
    if (tracked)
        untrack(obj, k.c->socket);
    if (keep && !sp_object_is_closed((Object *)obj))
        pool_give(k.c);
    else
        conn_free(k.c);
out:
    sp_buf_free(&frame);
    if (ok)
        sp_clear();
    return ok;
}

/* The call pins the proxy (sp_call_enter), so a Dispose on another thread ends it (remote_close
 * shuts its socket) without freeing what it uses. */
static bool invoke(RemoteObject *obj, const char *methodName, const Variant *args, int32_t argCount, bool one_way,
                   const ParameterInfo *returnParameter, Variant *result)
{
    if (result)
        memset(result, 0, sizeof *result);
    if (!sp_check_type(obj, &sp_type_RemoteObject, "obj") || !sp_call_enter((Object *)obj, NULL, NULL))
        return false;
    bool ok = invoke_pinned(obj, methodName, args, argCount, one_way, returnParameter, result);
    sp_call_leave((Object *)obj, NULL);
    return ok;
}

bool RemoteObject_InvokeMethod(RemoteObject *obj, const char *methodName, const Variant *args, int32_t argCount,
                               const ParameterInfo *returnParameter, Variant *result)
{
    return invoke(obj, methodName, args, argCount, false, returnParameter, result);
}

bool RemoteObject_InvokeOneWay(RemoteObject *obj, const char *methodName, const Variant *args, int32_t argCount)
{
    return invoke(obj, methodName, args, argCount, true, NULL, NULL);
}

void Variant_MoveObject(Variant *v, void *dest)
{
    if (!v)
        return;
    if (v->type == VariantType_Object && v->objectType && dest) {
        memcpy(dest, v->value.asObject, v->objectType->size);
        free(v->value.asObject);
        memset(v, 0, sizeof *v);
        return;
    }
    Variant_Clear(v);
}
