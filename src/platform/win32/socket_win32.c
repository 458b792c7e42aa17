/*
 * Sockets on Windows (platform_socket.h): Winsock 2. A WSA code is a .NET SocketError already.
 *
 * Every socket is non-blocking underneath (FIONBIO) and the seam does the waiting: a call that
 * would block waits in WSAPoll, in slices, and looks at the socket's waker (an event Dispose
 * sets) between them, so Dispose on another thread ends any blocked call within one slice. The
 * handle a Socket owns is never closed under a call (the portable pin), so closesocket cannot be
 * the wake-up, and CancelIoEx does not reach a blocking Winsock call everywhere (wine). The
 * caller's Socket.Blocking arrives with each call instead of living on the SOCKET.
 *
 * Winsock's calls go through SP_SYS (sys_win32.h) for the fault tests.
 */
#if !defined(_WIN32_WINNT) || _WIN32_WINNT < 0x0600
#  undef _WIN32_WINNT
#  define _WIN32_WINNT 0x0600 /* WSAPoll */
#endif
#include <winsock2.h>
#include <ws2tcpip.h>

#include "platform/platform.h"
#include "platform/platform_socket.h"

#include <stddef.h>
#include <windows.h>

#include "sys_win32.h"
#include "util_win32.h"

/* How long one WSAPoll waits before the waker is looked at again. */
#define SLICE_MS 20

#ifndef WSA_FLAG_NO_HANDLE_INHERIT
#  define WSA_FLAG_NO_HANDLE_INHERIT 0x80
#endif

/* afunix.h's sockaddr_un (not every mingw-w64 has the header). */
typedef struct sp_sockaddr_un {
    ADDRESS_FAMILY sun_family;
    char sun_path[108];
} sp_sockaddr_un;

#define SOCK(s) ((SOCKET)(s))

/* WSAStartup once for the process (dns_win32.c). */
static int32_t net_started(void) { return sp_os_net_startup(); }

int32_t sp_os_socket_cancelled(void) { return ERROR_OPERATION_ABORTED; }
int32_t sp_os_socket_error_code(int32_t socket_error) { return socket_error; }

bool sp_os_socket_family_supported(int32_t family)
{
    if (net_started() || (family != AF_INET && family != AF_INET6 && family != 1))
        return false;
    SOCKET s = SP_SYS(socket)(family, SOCK_STREAM, 0);
    if (s == INVALID_SOCKET)
        return false;
    SP_SYS(closesocket)(s);
    return true;
}

static int32_t make_nonblocking(SOCKET s)
{
    u_long one = 1;
    return SP_SYS(ioctlsocket)(s, FIONBIO, &one) == 0 ? 0 : WSAGetLastError();
}

int32_t sp_os_socket_new(int32_t family, int32_t type, int32_t protocol, sp_os_socket *s)
{
    int32_t err = net_started();
    if (err)
        return err;
    /* .NET's AddressFamily, SocketType and ProtocolType numbers are Winsock's */
    SOCKET h = SP_SYS(WSASocketW)(family, type, protocol, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (h == INVALID_SOCKET)
        return WSAGetLastError();
    if ((err = make_nonblocking(h)) != 0) {
        SP_SYS(closesocket)(h);
        return err;
    }
    *s = (sp_os_socket)h;
    return 0;
}

/* As SafeSocketHandle.Windows' DoCloseHandle: a socket whose SO_LINGER has a timeout fails
 * closesocket with WSAEWOULDBLOCK while it is non-blocking, which every socket here is, and stays
 * open (no FIN, the handle kept). Made blocking it is closed again, the linger honoured; failing
 * that, an abortive close (linger 0), which never blocks. */
void sp_os_socket_close(sp_os_socket s)
{
    if (SP_SYS(closesocket)(SOCK(s)) == 0 || WSAGetLastError() != WSAEWOULDBLOCK)
        return;
    u_long zero = 0;
    if (SP_SYS(ioctlsocket)(SOCK(s), FIONBIO, &zero) == 0 &&
        (SP_SYS(closesocket)(SOCK(s)) == 0 || WSAGetLastError() != WSAEWOULDBLOCK))
        return;
    struct linger abortive = {1, 0};
    SP_SYS(setsockopt)(SOCK(s), SOL_SOCKET, SO_LINGER, (const char *)&abortive, sizeof abortive);
    SP_SYS(closesocket)(SOCK(s));
}

int32_t sp_os_socket_set_blocking(sp_os_socket s, bool blocking)
{
    (void)s, (void)blocking; /* the SOCKET stays non-blocking; calls are told */
    return 0;
}

/* ---------------------------------------------------------------- addresses */

/* Each case zeroes what it hands the OS, not the whole 128-byte storage: a SendTo serializes its
 * address on every call. */
static int32_t to_os(const sp_os_sockaddr *a, struct sockaddr_storage *ss, int *len)
{
    switch (a->family) {
    case AF_INET: {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        memset(in, 0, sizeof *in);
        in->sin_family = AF_INET;
        in->sin_port = htons(a->port);
        memcpy(&in->sin_addr, a->address, 4);
        *len = sizeof *in;
        return 0;
    }
    case AF_INET6: {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        memset(in6, 0, sizeof *in6);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(a->port);
        memcpy(&in6->sin6_addr, a->address, 16);
        in6->sin6_scope_id = a->scope_id;
        in6->sin6_flowinfo = htonl(a->flow_info);
        *len = sizeof *in6;
        return 0;
    }
    case 1: {
        sp_sockaddr_un *un = (sp_sockaddr_un *)ss;
        if (a->path_length > sizeof un->sun_path)
            return WSAEINVAL;
        memset(un, 0, sizeof *un); /* the whole structure goes to the OS (the length below) */
        un->sun_family = 1;
        memcpy(un->sun_path, a->path, a->path_length);
        /* .NET's serialized size on Windows is always the whole structure */
        *len = sizeof *un;
        return 0;
    }
    default: return WSAEAFNOSUPPORT;
    }
}

/* An IP address leaves the path alone (SP_OS_SOCKADDR_PATH_MAX bytes, read for Unix only): a
 * ReceiveFrom converts the sender on every call. */
static void from_os(const struct sockaddr_storage *ss, int len, sp_os_sockaddr *a)
{
    memset(a, 0, ss->ss_family == AF_INET || ss->ss_family == AF_INET6 ? offsetof(sp_os_sockaddr, path) : sizeof *a);
    switch (ss->ss_family) {
    case AF_INET: {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        a->family = AF_INET;
        a->port = ntohs(in->sin_port);
        memcpy(a->address, &in->sin_addr, 4);
        break;
    }
    case AF_INET6: {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        a->family = AF_INET6;
        a->port = ntohs(in6->sin6_port);
        memcpy(a->address, &in6->sin6_addr, 16);
        a->scope_id = in6->sin6_scope_id;
        a->flow_info = ntohl(in6->sin6_flowinfo);
        break;
    }
    default: {
        const sp_sockaddr_un *un = (const sp_sockaddr_un *)ss;
        size_t off = offsetof(sp_sockaddr_un, sun_path);
        size_t n = len > (int)off ? (size_t)len - off : 0;
        if (n > sizeof un->sun_path)
            n = sizeof un->sun_path;
        a->family = 1;
        memcpy(a->path, un->sun_path, n);
        while (n > 0 && a->path[n - 1] == '\0')
            n--;
        a->path_length = (uint16_t)n;
        break;
    }
    }
}

int32_t sp_os_socket_local_address(sp_os_socket s, sp_os_sockaddr *address)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (SP_SYS(getsockname)(SOCK(s), (struct sockaddr *)&ss, &len) != 0)
        return WSAGetLastError();
    from_os(&ss, len, address);
    return 0;
}

int32_t sp_os_socket_peer_address(sp_os_socket s, sp_os_sockaddr *address)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (SP_SYS(getpeername)(SOCK(s), (struct sockaddr *)&ss, &len) != 0)
        return WSAGetLastError();
    from_os(&ss, len, address);
    return 0;
}

/* ---------------------------------------------------------------- waiting */

/* The waker's flag (set before its event): a look costs no system call. */
static bool woken(sp_os_waker *waker) { return sp_win32_waker_signalled(waker); }

static int64_t deadline_of(int32_t timeout_ms) { return timeout_ms < 0 ? -1 : sp_os_now_ms() + timeout_ms; }

static int32_t remaining_ms(int64_t deadline)
{
    if (deadline < 0)
        return -1;
    int64_t left = deadline - sp_os_now_ms();
    return left > 0 ? (int32_t)(left > INT32_MAX ? INT32_MAX : left) : 0;
}

/* Waits for events on s: 0 ready, WSAETIMEDOUT past the deadline, the cancelled code when woken.
 * A socket that failed (POLLERR, POLLHUP) counts as ready: the call then reports why. */
static int32_t wait_for(SOCKET s, SHORT events, sp_os_waker *waker, int64_t deadline)
{
    for (;;) {
        if (woken(waker))
            return ERROR_OPERATION_ABORTED;
        int32_t left = remaining_ms(deadline);
        int slice = left < 0 || left > SLICE_MS ? SLICE_MS : left;
        WSAPOLLFD p = {s, events, 0};
        int r = SP_SYS(WSAPoll)(&p, 1, slice);
        if (r < 0)
            return WSAGetLastError();
        if (r > 0)
            return woken(waker) ? ERROR_OPERATION_ABORTED : 0;
        if (deadline >= 0 && sp_os_now_ms() >= deadline)
            return WSAETIMEDOUT;
    }
}

/* ---------------------------------------------------------------- calls */

int32_t sp_os_socket_bind(sp_os_socket s, const sp_os_sockaddr *address, bool tcp)
{
    (void)tcp; /* Windows binds in TIME_WAIT without SO_REUSEADDR */
    struct sockaddr_storage ss;
    int len;
    int32_t err = to_os(address, &ss, &len);
    if (err)
        return err;
    return SP_SYS(bind)(SOCK(s), (struct sockaddr *)&ss, len) == 0 ? 0 : WSAGetLastError();
}

int32_t sp_os_socket_listen(sp_os_socket s, int32_t backlog)
{
    return SP_SYS(listen)(SOCK(s), backlog) == 0 ? 0 : WSAGetLastError();
}

int32_t sp_os_socket_accept(sp_os_socket s, sp_os_waker *waker, bool blocking, sp_os_socket *conn,
                            sp_os_sockaddr *remote)
{
    /* Dispose has begun: no call starts (a connection waiting stays for no one), as on POSIX */
    if (woken(waker))
        return ERROR_OPERATION_ABORTED;
    for (;;) {
        struct sockaddr_storage ss;
        int len = sizeof ss;
        memset(&ss, 0, sizeof ss);
        SOCKET c = SP_SYS(accept)(SOCK(s), (struct sockaddr *)&ss, &len);
        if (c != INVALID_SOCKET) {
            /* not inherited by children, non-blocking as every socket here */
            SetHandleInformation((HANDLE)c, HANDLE_FLAG_INHERIT, 0);
            make_nonblocking(c);
            if (remote)
                from_os(&ss, len, remote);
            *conn = (sp_os_socket)c;
            return 0;
        }
        /* WSAECONNRESET (a connection reset before it was taken) is not retried: .NET's
         * SocketPal.Windows.Accept makes Winsock's error its SocketException ConnectionReset */
        int32_t err = WSAGetLastError();
        if (err != WSAEWOULDBLOCK || !blocking)
            return err;
        if ((err = wait_for(SOCK(s), POLLRDNORM, waker, -1)) != 0)
            return err;
    }
}

int32_t sp_os_socket_connect(sp_os_socket s, sp_os_waker *waker, bool blocking, const sp_os_sockaddr *address)
{
    struct sockaddr_storage ss;
    int len;
    int32_t err = to_os(address, &ss, &len);
    if (err)
        return err;
    if (SP_SYS(connect)(SOCK(s), (struct sockaddr *)&ss, len) == 0)
        return 0;
    err = WSAGetLastError();
    if (err != WSAEWOULDBLOCK || !blocking)
        return err;
    for (;;) {
        if (woken(waker))
            return ERROR_OPERATION_ABORTED;
        /* a failed connect reports POLLERR|POLLHUP (WSAPoll), its cause in SO_ERROR */
        WSAPOLLFD p = {SOCK(s), POLLWRNORM, 0};
        int r = SP_SYS(WSAPoll)(&p, 1, SLICE_MS);
        if (r < 0)
            return WSAGetLastError();
        /* SO_ERROR every slice: older Windows' WSAPoll never reports a connect that failed */
        int so_error = 0, n = sizeof so_error;
        if (SP_SYS(getsockopt)(SOCK(s), SOL_SOCKET, SO_ERROR, (char *)&so_error, &n) != 0)
            return WSAGetLastError();
        if (so_error)
            return so_error;
        if (r == 0)
            continue;
        if (p.revents & (POLLERR | POLLHUP))
            return WSAECONNREFUSED;
        return 0;
    }
}

int32_t sp_os_socket_send(sp_os_socket s, sp_os_waker *waker, bool blocking, int32_t timeout_ms, const void *buffer,
                          int32_t count, int32_t flags, const sp_os_sockaddr *to, int32_t *sent)
{
    *sent = 0;
    struct sockaddr_storage ss;
    int len = 0;
    int32_t err = 0;
    if (to && (err = to_os(to, &ss, &len)) != 0)
        return err;
    if (woken(waker))
        return ERROR_OPERATION_ABORTED; /* Dispose has begun: nothing more goes, as on POSIX */
    int64_t deadline = deadline_of(timeout_ms);
    const char *p = buffer;
    int32_t done = 0;
    do {
        int n = to ? SP_SYS(sendto)(SOCK(s), p + done, count - done, flags, (struct sockaddr *)&ss, len)
                   : SP_SYS(send)(SOCK(s), p + done, count - done, flags);
        if (n != SOCKET_ERROR) {
            done += n;
            err = 0;
            if (!blocking)
                break;
            continue;
        }
        err = WSAGetLastError();
        if (err != WSAEWOULDBLOCK || !blocking)
            break;
        if ((err = wait_for(SOCK(s), POLLWRNORM, waker, deadline)) != 0)
            break;
    } while (done < count);
    *sent = done;
    if (err == WSAEWOULDBLOCK && done > 0)
        err = 0;
    return done == count ? 0 : err;
}

int32_t sp_os_socket_receive(sp_os_socket s, sp_os_waker *waker, bool blocking, int32_t timeout_ms, void *buffer,
                             int32_t count, int32_t flags, sp_os_sockaddr *from, int32_t *received)
{
    *received = 0;
    if (woken(waker))
        return ERROR_OPERATION_ABORTED; /* Dispose has begun: nothing more is taken, as on POSIX */
    int64_t deadline = deadline_of(timeout_ms);
    for (;;) {
        struct sockaddr_storage ss;
        int len = sizeof ss;
        memset(&ss, 0, sizeof ss);
        int n = from ? SP_SYS(recvfrom)(SOCK(s), buffer, count, flags, (struct sockaddr *)&ss, &len)
                     : SP_SYS(recv)(SOCK(s), buffer, count, flags);
        if (n != SOCKET_ERROR) {
            *received = n;
            if (from)
                from_os(&ss, len, from);
            return 0;
        }
        int32_t err = WSAGetLastError();
        if (err == WSAEMSGSIZE) {
            /* a datagram longer than the buffer: Winsock filled the buffer and names the sender,
             * which .NET's ReceiveFrom stores before it raises MessageSize */
            *received = count;
            if (from)
                from_os(&ss, len, from);
            return err;
        }
        if (err != WSAEWOULDBLOCK || !blocking)
            return err;
        if ((err = wait_for(SOCK(s), POLLRDNORM, waker, deadline)) != 0)
            return err;
    }
}

int32_t sp_os_socket_shutdown(sp_os_socket s, int32_t how)
{
    return SP_SYS(shutdown)(SOCK(s), how) == 0 ? 0 : WSAGetLastError(); /* SD_RECEIVE 0, SD_SEND 1, SD_BOTH 2 */
}

/* Nothing to wake: every call here waits in WSAPoll slices beside the waker (.NET on Windows
 * cancels its overlapped I/O with CancelIoEx instead). */
void sp_os_socket_interrupt(sp_os_socket s, bool abortive)
{
    (void)s;
    (void)abortive;
}

/* .NET uses DisconnectEx (TF_REUSE_SOCKET); sharpipc shuts the connection down both ways. */
int32_t sp_os_socket_disconnect(sp_os_socket s)
{
    if (SP_SYS(shutdown)(SOCK(s), SD_BOTH) == 0)
        return 0;
    int32_t err = WSAGetLastError();
    return err == WSAENOTCONN ? 0 : err;
}

int32_t sp_os_socket_describe(sp_os_socket s, int32_t *family, int32_t *type, int32_t *protocol, bool *bound,
                              bool *connected, bool *listening, bool *blocking)
{
    WSAPROTOCOL_INFOW info;
    int n = sizeof info;
    if (SP_SYS(getsockopt)(SOCK(s), SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &n) != 0)
        return WSAGetLastError();
    *family = info.iAddressFamily;
    *type = info.iSocketType;
    *protocol = info.iProtocol;
    struct sockaddr_storage ss;
    int len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    *bound = SP_SYS(getsockname)(SOCK(s), (struct sockaddr *)&ss, &len) == 0;
    len = sizeof ss;
    *connected = SP_SYS(getpeername)(SOCK(s), (struct sockaddr *)&ss, &len) == 0;
    int accepting = 0;
    n = sizeof accepting;
    *listening = SP_SYS(getsockopt)(SOCK(s), SOL_SOCKET, SO_ACCEPTCONN, (char *)&accepting, &n) == 0 && accepting != 0;
    *blocking = true;
    /* the seam keeps its sockets non-blocking (the calls do the waiting) */
    return make_nonblocking(SOCK(s));
}

static SHORT poll_events(int32_t mode) { return mode == 0 ? POLLRDNORM : mode == 1 ? POLLWRNORM : POLLRDBAND; }

typedef struct poll_key {
    SOCKET fd;
    int32_t index;
} poll_key;

static int compare_keys(const void *a, const void *b)
{
    const poll_key *x = a, *y = b;
    if (x->fd != y->fd)
        return x->fd < y->fd ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* One WSAPOLLFD per distinct socket, asking for its entries' events together; slot[i] is that of
 * entries[i]; the number of them. wine's WSAPoll (8.0) answers a socket given twice (the same
 * Socket in Select's read and write lists) in its last entry only, the others none; one entry per
 * socket is what every WSAPoll answers alike. Many entries are grouped by sorting (keys), few by
 * looking. */
static int32_t poll_merge(const sp_os_poll_entry *entries, int32_t count, WSAPOLLFD *p, int32_t *slot, poll_key *keys)
{
    int32_t n = 0;
    if (!keys) {
        for (int32_t i = 0; i < count; i++) {
            SOCKET fd = SOCK(entries[i].socket);
            int32_t j = 0;
            while (j < n && p[j].fd != fd)
                j++;
            if (j == n) {
                p[n].fd = fd;
                p[n++].events = 0;
            }
            p[j].events |= poll_events(entries[i].mode);
            slot[i] = j;
        }
        return n;
    }
    for (int32_t i = 0; i < count; i++) {
        keys[i].fd = SOCK(entries[i].socket);
        keys[i].index = i;
    }
    qsort(keys, (size_t)count, sizeof *keys, compare_keys);
    for (int32_t k = 0; k < count; k++) {
        if (k == 0 || keys[k].fd != keys[k - 1].fd) {
            p[n].fd = keys[k].fd;
            p[n++].events = 0;
        }
        p[n - 1].events |= poll_events(entries[keys[k].index].mode);
        slot[keys[k].index] = n - 1;
    }
    return n;
}

int32_t sp_os_socket_poll(sp_os_poll_entry *entries, int32_t count, int32_t timeout_ms, int32_t *ready_count)
{
    enum { LOCAL = 32 };
    WSAPOLLFD local[LOCAL];
    int32_t local_slot[LOCAL];
    WSAPOLLFD *p = local;
    int32_t *slot = local_slot;
    poll_key *keys = NULL;
    void *block = NULL;
    if (count > LOCAL) {
        /* the sockets, the keys that group them, and each entry's socket, in one block */
        block = malloc(((sizeof *p + sizeof *keys) + sizeof *slot) * (size_t)count);
        if (!block)
            return WSAENOBUFS;
        p = block;
        keys = (poll_key *)(p + count);
        slot = (int32_t *)(keys + count);
    }
    for (int32_t i = 0; i < count; i++)
        entries[i].ready = entries[i].woken = false;
    int32_t n = poll_merge(entries, count, p, slot, keys);
    int64_t deadline = deadline_of(timeout_ms);
    int32_t err = 0, ready = 0;
    for (;;) {
        bool any_woken = false;
        for (int32_t i = 0; i < count; i++)
            if (woken(entries[i].waker))
                entries[i].woken = any_woken = true;
        int32_t left = remaining_ms(deadline);
        int slice = any_woken ? 0 : left < 0 || left > SLICE_MS ? SLICE_MS : left;
        for (int32_t i = 0; i < n; i++)
            p[i].revents = 0;
        int r = SP_SYS(WSAPoll)(p, (ULONG)n, slice);
        if (r < 0) {
            err = WSAGetLastError();
            break;
        }
        if (r > 0 || any_woken || (deadline >= 0 && sp_os_now_ms() >= deadline))
            break;
    }
    for (int32_t i = 0; !err && i < count; i++) {
        SHORT re = p[slot[i]].revents;
        int32_t mode = entries[i].mode;
        entries[i].ready = mode == 0   ? (re & (POLLRDNORM | POLLHUP)) != 0
                           : mode == 1 ? (re & POLLWRNORM) != 0
                                       : (re & (POLLERR | POLLRDBAND)) != 0;
        ready += entries[i].ready;
    }
    free(block);
    *ready_count = ready;
    return err;
}

int32_t sp_os_socket_available(sp_os_socket s, int32_t *available)
{
    u_long n = 0;
    if (SP_SYS(ioctlsocket)(SOCK(s), FIONREAD, &n) != 0)
        return WSAGetLastError();
    *available = (int32_t)n;
    return 0;
}

/* ---------------------------------------------------------------- options */

/* .NET's SocketOptionLevel and SocketOptionName values are Winsock's; only the timeouts
 * (milliseconds in a DWORD) and Error (a WSA code, so a SocketError) need no change either. */
int32_t sp_os_socket_get_option(sp_os_socket s, int32_t level, int32_t name, int32_t *value)
{
    int v = 0, n = sizeof v;
    if (SP_SYS(getsockopt)(SOCK(s), level, name, (char *)&v, &n) != 0)
        return WSAGetLastError();
    /* Boolean options may come back as one byte */
    *value = n == 1 ? (int32_t)(unsigned char)v : v;
    return 0;
}

int32_t sp_os_socket_set_option(sp_os_socket s, int32_t level, int32_t name, int32_t value)
{
    int v = value;
    return SP_SYS(setsockopt)(SOCK(s), level, name, (const char *)&v, sizeof v) == 0 ? 0 : WSAGetLastError();
}

int32_t sp_os_socket_get_option_bytes(sp_os_socket s, int32_t level, int32_t name, void *value, int32_t *length)
{
    int n = *length;
    if (SP_SYS(getsockopt)(SOCK(s), level, name, value, &n) != 0)
        return WSAGetLastError();
    *length = n;
    return 0;
}

int32_t sp_os_socket_set_option_bytes(sp_os_socket s, int32_t level, int32_t name, const void *value, int32_t length)
{
    return SP_SYS(setsockopt)(SOCK(s), level, name, value, length) == 0 ? 0 : WSAGetLastError();
}

int32_t sp_os_socket_get_linger(sp_os_socket s, bool *enabled, int32_t *seconds)
{
    struct linger lg = {0, 0};
    int n = sizeof lg;
    if (SP_SYS(getsockopt)(SOCK(s), SOL_SOCKET, SO_LINGER, (char *)&lg, &n) != 0)
        return WSAGetLastError();
    *enabled = lg.l_onoff != 0;
    *seconds = lg.l_linger;
    return 0;
}

int32_t sp_os_socket_set_linger(sp_os_socket s, bool enabled, int32_t seconds)
{
    struct linger lg = {(u_short)(enabled ? 1 : 0), (u_short)seconds};
    return SP_SYS(setsockopt)(SOCK(s), SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg) == 0 ? 0
                                                                                                 : WSAGetLastError();
}

/* ---------------------------------------------------------------- multicast, SendFile */

enum { NET_ADD_MEMBERSHIP = 12, NET_DROP_MEMBERSHIP = 13 };

int32_t sp_os_socket_set_multicast(sp_os_socket s, int32_t name, const uint8_t group[4], const uint8_t *local,
                                   int32_t ifindex)
{
    if (name != NET_ADD_MEMBERSHIP && name != NET_DROP_MEMBERSHIP)
        return WSAENOPROTOOPT;
    struct ip_mreq m;
    memset(&m, 0, sizeof m);
    memcpy(&m.imr_multiaddr, group, 4);
    if (local)
        memcpy(&m.imr_interface, local, 4);
    else
        m.imr_interface.s_addr = htonl((u_long)ifindex); /* "0.0.0.n": interface n, as .NET on Windows */
    int opt = name == NET_ADD_MEMBERSHIP ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP;
    return SP_SYS(setsockopt)(SOCK(s), IPPROTO_IP, opt, (const char *)&m, sizeof m) == 0 ? 0 : WSAGetLastError();
}

int32_t sp_os_socket_set_ipv6_multicast(sp_os_socket s, int32_t name, const uint8_t group[16], uint32_t ifindex)
{
    if (name != NET_ADD_MEMBERSHIP && name != NET_DROP_MEMBERSHIP)
        return WSAENOPROTOOPT;
    struct ipv6_mreq m;
    memset(&m, 0, sizeof m);
    memcpy(&m.ipv6mr_multiaddr, group, 16);
    m.ipv6mr_interface = ifindex;
    int opt = name == NET_ADD_MEMBERSHIP ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP;
    return SP_SYS(setsockopt)(SOCK(s), IPPROTO_IPV6, opt, (const char *)&m, sizeof m) == 0 ? 0 : WSAGetLastError();
}

int32_t sp_os_socket_send_file_options(void) { return 0x01 | 0x02 | 0x04 | 0x10 | 0x20; }

int32_t sp_os_socket_send_file(sp_os_socket s, sp_os_waker *waker, bool blocking, int32_t timeout_ms, sp_os_file file,
                               const void *pre, int32_t pre_count, const void *post, int32_t post_count, int32_t flags)
{
    (void)blocking; /* TransmitFile is one overlapped call whichever the mode */
    if (woken(waker))
        return ERROR_OPERATION_ABORTED; /* Dispose has begun: nothing more goes, as on POSIX */
    TRANSMIT_FILE_BUFFERS buffers = {(LPVOID)pre, (DWORD)pre_count, (LPVOID)post, (DWORD)post_count};
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov); /* Offset 0: the file from its start */
    if (!(ov.hEvent = SP_SYS(CreateEventW)(NULL, TRUE, FALSE, NULL)))
        return (int32_t)GetLastError();
    HANDLE fh = file == SP_OS_FILE_INVALID ? NULL : (HANDLE)file;
    int32_t err = 0;
    if (!SP_SYS(TransmitFile)(SOCK(s), fh, 0, 0, &ov, pre_count > 0 || post_count > 0 ? &buffers : NULL,
                              (DWORD)flags)) {
        err = WSAGetLastError();
        if (err == WSA_IO_PENDING || err == ERROR_IO_PENDING) {
            /* the call goes on in the kernel: wait for it or for the waker, and cancel it if the
             * waker or the timeout ends the wait */
            HANDLE events[2] = {ov.hEvent, waker ? sp_win32_waker_event(waker) : NULL};
            int64_t deadline = deadline_of(timeout_ms);
            int32_t left = remaining_ms(deadline);
            DWORD r = SP_SYS(WaitForMultipleObjects)(waker ? 2 : 1, events, FALSE, left < 0 ? INFINITE : (DWORD)left);
            /* why the wait ended early: the waker (Dispose), the timeout, or a failed wait (its own
             * error, not a timeout) */
            err = r == WAIT_OBJECT_0       ? 0
                  : r == WAIT_OBJECT_0 + 1 ? ERROR_OPERATION_ABORTED
                  : r == WAIT_TIMEOUT      ? WSAETIMEDOUT
                  : r == WAIT_FAILED       ? (int32_t)GetLastError()
                                           : ERROR_INVALID_HANDLE;
            if (err)
                CancelIoEx((HANDLE)SOCK(s), &ov);
            /* ov lives on this stack: wait for the transfer's end whatever happened. A transfer that
             * finished before the cancel reached it succeeded, and is reported so (.NET completes
             * the operation it finished); one the cancel ended keeps the reason above; any other
             * failure is the transfer's own. */
            DWORD bytes = 0, out_flags = 0;
            if (SP_SYS(WSAGetOverlappedResult)(SOCK(s), &ov, &bytes, TRUE, &out_flags)) {
                err = 0;
            } else {
                int32_t result = WSAGetLastError();
                if (!err || result != WSA_OPERATION_ABORTED)
                    err = result;
            }
        }
    }
    SP_SYS(CloseHandle)(ov.hEvent);
    return err;
}

/* ---------------------------------------------------------------- a Unix socket's bound file */

/* The socket file by its volume and file index: opened without following a reparse point (the
 * socket file is one, IO_REPARSE_TAG_AF_UNIX; a planted symlink is another), and deleted through
 * that same handle, so that what is deleted is what was compared. */
struct sp_os_bound_file {
    DWORD volume, index_high, index_low;
    wchar_t path[];
};

static HANDLE open_bound(const wchar_t *path, DWORD access)
{
    return SP_SYS(CreateFileW)(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                               OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, NULL);
}

static bool identify(HANDLE h, BY_HANDLE_FILE_INFORMATION *info)
{
    return GetFileInformationByHandle(h, info) && (info->dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) &&
           !(info->dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
}

sp_os_bound_file *sp_os_bound_file_new(const char *path)
{
    wchar_t *w = sp_win32_widen(path);
    if (!w)
        return NULL;
    wchar_t full[MAX_PATH * 4];
    DWORD n = GetFullPathNameW(w, MAX_PATH * 4, full, NULL);
    free(w);
    if (n == 0 || n >= MAX_PATH * 4)
        return NULL;
    HANDLE h = open_bound(full, FILE_READ_ATTRIBUTES);
    if (h == INVALID_HANDLE_VALUE)
        return NULL;
    BY_HANDLE_FILE_INFORMATION info;
    sp_os_bound_file *f = NULL;
    if (identify(h, &info) && (f = malloc(sizeof *f + (n + 1) * sizeof(wchar_t))) != NULL) {
        f->volume = info.dwVolumeSerialNumber;
        f->index_high = info.nFileIndexHigh;
        f->index_low = info.nFileIndexLow;
        memcpy(f->path, full, (n + 1) * sizeof(wchar_t));
    }
    SP_SYS(CloseHandle)(h);
    return f;
}

void sp_os_bound_file_remove(sp_os_bound_file *f)
{
    if (!f)
        return;
    DWORD saved = GetLastError();
    HANDLE h = open_bound(f->path, DELETE | FILE_READ_ATTRIBUTES);
    if (h != INVALID_HANDLE_VALUE) {
        BY_HANDLE_FILE_INFORMATION info;
        if (identify(h, &info) && info.dwVolumeSerialNumber == f->volume && info.nFileIndexHigh == f->index_high &&
            info.nFileIndexLow == f->index_low) {
            FILE_DISPOSITION_INFO disposition = {TRUE};
            (void)SP_SYS(SetFileInformationByHandle)(h, FileDispositionInfo, &disposition, sizeof disposition);
        }
        SP_SYS(CloseHandle)(h);
    }
    SetLastError(saved);
    sp_os_bound_file_free(f);
}

void sp_os_bound_file_free(sp_os_bound_file *f) { free(f); }
