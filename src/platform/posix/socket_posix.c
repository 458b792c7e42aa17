/*
 * Sockets on POSIX (platform_socket.h): BSD sockets with the defaults .NET's System.Native applies
 * (pal_networking.c, SocketPal.Unix.cs): close-on-exec, IPV6_V6ONLY for IPv6, SO_REUSEADDR before a
 * TCP bind, MSG_NOSIGNAL / SO_NOSIGPIPE (the process's SIGPIPE handling is never touched).
 *
 * A blocking call on Linux sleeps in the kernel in its one system call, as .NET's does (the
 * descriptor keeps the blocking mode the caller asked for, Socket.Blocking, so the call blocks;
 * SO_RCVTIMEO / SO_SNDTIMEO, which ReceiveTimeout / SendTimeout set as on .NET, bound it, and their
 * EAGAIN is ETIMEDOUT, as SocketAsyncContext's ShouldRetrySyncOperation reads it). Dispose wakes it as SafeSocketHandle.Unix's TryUnblockSocket does:
 * sp_os_socket_interrupt (connect(AF_UNSPEC) for a stream, then shutdown both ways), which Linux
 * honours for every kind of socket: a connected or listening TCP socket, a Unix socket, and an
 * unconnected UDP socket (inet_shutdown answers ENOTCONN there but still marks the socket shut
 * down and wakes its sleepers). The shutdown state stays, so a call that was about to sleep fails
 * at once instead; the call then sees the waker signalled (a flag, no system call) and says
 * ECANCELED. The portable pin keeps the descriptor open until the last call has left.
 * Elsewhere (macOS, the BSDs) shutdown does not wake an unconnected UDP receive or a connect, so
 * recv and send are tried with MSG_DONTWAIT and, when they would block, wait in poll(2) beside
 * the socket's waker (a self-pipe, time_posix.c), and accept waits first. Connect runs
 * non-blocking for the duration of the call everywhere and waits beside the waker.
 *
 * Every OS call goes through SP_SYS (sys_posix.h) for the fault tests.
 */
#include "platform/platform.h"
#include "platform/platform_socket.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>

#include "util_posix.h"

#ifndef MSG_NOSIGNAL
#  define MSG_NOSIGNAL 0 /* macOS: SO_NOSIGPIPE, set when the socket is made */
#endif

/* .NET's numbers (System.Net.Primitives' AddressFamily, System.Net.Sockets' enums). */
enum {
    NET_AF_UNSPECIFIED = 0,
    NET_AF_UNIX = 1,
    NET_AF_INET = 2,
    NET_AF_INET6 = 23,
    NET_SOCK_RAW = 3,
    NET_LEVEL_SOCKET = 0xffff,
    NET_LEVEL_IP = 0,
    NET_LEVEL_IPV6 = 41,
    NET_LEVEL_TCP = 6,
    NET_LEVEL_UDP = 17,
};

#define FD(s) ((int)(s))

/* Whether a blocking call waits in the kernel (Linux) or in poll(2) beside the waker. */
#ifdef __linux__
#  define KERNEL_WAITS 1
#else
#  define KERNEL_WAITS 0
#endif

int32_t sp_os_socket_cancelled(void) { return ECANCELED; }

static int os_family(int32_t family)
{
    switch (family) {
    case NET_AF_UNSPECIFIED: return AF_UNSPEC;
    case NET_AF_UNIX: return AF_UNIX;
    case NET_AF_INET: return AF_INET;
    case NET_AF_INET6: return AF_INET6;
    default: return -1;
    }
}

static int os_type(int32_t type)
{
    switch (type) {
    case 1: return SOCK_STREAM;
    case 2: return SOCK_DGRAM;
    case 3: return SOCK_RAW;
#ifdef SOCK_RDM
    case 4: return SOCK_RDM;
#endif
    case 5: return SOCK_SEQPACKET;
    default: return -1;
    }
}

/* SocketFlags: OutOfBand 1, Peek 2, DontRoute 4 have the BSD values; the rest have no send/recv
 * flag here. */
static int os_flags(int32_t flags, int *out)
{
    if (flags & ~(int32_t)(1 | 2 | 4))
        return EOPNOTSUPP;
    *out = (flags & 1 ? MSG_OOB : 0) | (flags & 2 ? MSG_PEEK : 0) | (flags & 4 ? MSG_DONTROUTE : 0);
    return 0;
}

bool sp_os_socket_family_supported(int32_t family)
{
    int f = os_family(family);
    if (f < 0 || f == AF_UNSPEC)
        return false;
    int fd = SP_SYS(socket)(f, SOCK_STREAM, 0);
    if (fd < 0)
        return errno != EAFNOSUPPORT && errno != EPROTONOSUPPORT;
    SP_SYS(close)(fd);
    return true;
}

#if !defined(SOCK_CLOEXEC) || !defined(SP_HAVE_ACCEPT4_PIPE2)
static void set_cloexec(int fd)
{
    int flags = SP_SYS(fcntl)(fd, F_GETFD, 0);
    if (flags >= 0)
        SP_SYS(fcntl)(fd, F_SETFD, flags | FD_CLOEXEC);
}
#endif

int32_t sp_os_socket_new(int32_t family, int32_t type, int32_t protocol, sp_os_socket *s)
{
    int f = os_family(family), t = os_type(type);
    if (f < 0)
        return EAFNOSUPPORT;
    if (t < 0)
        return EPROTOTYPE;
    if (protocol < 0)
        return EPROTONOSUPPORT;
#ifdef SOCK_CLOEXEC
    int fd = SP_SYS(socket)(f, t | SOCK_CLOEXEC, protocol);
#else
    int fd = SP_SYS(socket)(f, t, protocol);
#endif
    if (fd < 0)
        return errno;
#ifndef SOCK_CLOEXEC
    set_cloexec(fd);
#endif
#ifdef SO_NOSIGPIPE
    int one_nosig = 1;
    SP_SYS(setsockopt)(fd, SOL_SOCKET, SO_NOSIGPIPE, &one_nosig, sizeof one_nosig);
#endif
    if (f == AF_INET6 && type != NET_SOCK_RAW) {
        int one = 1; /* Windows' default, which .NET gives every OS */
        if (SP_SYS(setsockopt)(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0) {
            int err = errno;
            SP_SYS(close)(fd);
            return err;
        }
    }
    *s = fd;
    return 0;
}

void sp_os_socket_close(sp_os_socket s)
{
    /* close(2) is not retried on EINTR: the descriptor is gone either way on Linux */
    SP_SYS(close)(FD(s));
}

int32_t sp_os_socket_set_blocking(sp_os_socket s, bool blocking)
{
    int flags = SP_SYS(fcntl)(FD(s), F_GETFL, 0);
    if (flags < 0)
        return errno;
    int want = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK;
    if (want != flags && SP_SYS(fcntl)(FD(s), F_SETFL, want) != 0)
        return errno;
    return 0;
}

/* ---------------------------------------------------------------- addresses */

/* Each case zeroes what it hands the OS, not the whole 128-byte storage: a SendTo serializes its
 * address on every call. */
/* The IPv4 cases of to_os and from_os, inline: a datagram's address on every SendTo and ReceiveFrom
 * takes them without the calls. */
static inline void to_os_in4(const sp_os_sockaddr *a, struct sockaddr_storage *ss, socklen_t *len)
{
    struct sockaddr_in *in = (struct sockaddr_in *)ss;
    memset(in, 0, sizeof *in);
    in->sin_family = AF_INET;
    in->sin_port = htons(a->port);
    memcpy(&in->sin_addr, a->address, 4);
    *len = sizeof *in;
}

static inline void from_os_in4(const struct sockaddr_storage *ss, sp_os_sockaddr *a)
{
    const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
    memset(a, 0, offsetof(sp_os_sockaddr, path));
    a->family = NET_AF_INET;
    a->port = ntohs(in->sin_port);
    memcpy(a->address, &in->sin_addr, 4);
}

static int32_t to_os(const sp_os_sockaddr *a, struct sockaddr_storage *ss, socklen_t *len)
{
    switch (a->family) {
    case NET_AF_INET: to_os_in4(a, ss, len); return 0;
    case NET_AF_INET6: {
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
    case NET_AF_UNIX: {
        struct sockaddr_un *un = (struct sockaddr_un *)ss;
        memset(ss, 0, sizeof *ss);
        size_t n = a->path_length;
        if (n > sizeof un->sun_path || n > SP_OS_SOCKADDR_PATH_MAX)
            return EINVAL;
        un->sun_family = AF_UNIX;
        memcpy(un->sun_path, a->path, n);
        /* a path carries its NUL; a Linux abstract name (leading NUL) is exactly its bytes */
        bool abstract = n > 0 && a->path[0] == '\0';
        if (!abstract && n < sizeof un->sun_path)
            n++;
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
        return 0;
    }
    default: return EAFNOSUPPORT;
    }
}

/* An IP address leaves the path alone (SP_OS_SOCKADDR_PATH_MAX bytes, read for Unix only): a
 * ReceiveFrom converts the sender on every call. */
static void from_os(const struct sockaddr_storage *ss, socklen_t len, sp_os_sockaddr *a)
{
    if (ss->ss_family == AF_INET) {
        from_os_in4(ss, a);
        return;
    }
    memset(a, 0, ss->ss_family == AF_INET6 ? offsetof(sp_os_sockaddr, path) : sizeof *a);
    switch (ss->ss_family) {
    case AF_INET6: {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        a->family = NET_AF_INET6;
        a->port = ntohs(in6->sin6_port);
        memcpy(a->address, &in6->sin6_addr, 16);
        a->scope_id = in6->sin6_scope_id;
        a->flow_info = ntohl(in6->sin6_flowinfo);
        break;
    }
    case AF_UNIX: {
        const struct sockaddr_un *un = (const struct sockaddr_un *)ss;
        size_t off = offsetof(struct sockaddr_un, sun_path);
        size_t n = len > off ? (size_t)len - off : 0;
        if (n > sizeof un->sun_path)
            n = sizeof un->sun_path;
        if (n > SP_OS_SOCKADDR_PATH_MAX)
            n = SP_OS_SOCKADDR_PATH_MAX;
        a->family = NET_AF_UNIX;
        memcpy(a->path, un->sun_path, n);
        /* a path name's trailing NULs are not part of it (UnixDomainSocketEndPoint.Unix.cs) */
        if (n > 0 && un->sun_path[0] != '\0')
            while (n > 0 && a->path[n - 1] == '\0')
                n--;
        a->path_length = (uint16_t)n;
        break;
    }
    default:
        /* an unnamed peer (an unbound Unix client): no address, .NET's empty path */
        a->family = NET_AF_UNIX;
        break;
    }
}

int32_t sp_os_socket_local_address(sp_os_socket s, sp_os_sockaddr *address)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (SP_SYS(getsockname)(FD(s), (struct sockaddr *)&ss, &len) != 0)
        return errno;
    from_os(&ss, len, address);
    return 0;
}

int32_t sp_os_socket_peer_address(sp_os_socket s, sp_os_sockaddr *address)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (SP_SYS(getpeername)(FD(s), (struct sockaddr *)&ss, &len) != 0)
        return errno;
    from_os(&ss, len, address);
    return 0;
}

static int32_t get_int(int fd, int level, int name, int *value);

/* ---------------------------------------------------------------- waiting */

/* Waits for events on fd (or the waker): 0 when ready, ETIMEDOUT past the deadline (-1: none),
 * ECANCELED when woken. */
static int32_t wait_for(int fd, short events, sp_os_waker *waker, int64_t deadline)
{
    int r = sp_posix_poll_one(fd, events, sp_posix_remaining_ms(deadline), waker);
    if (r == 1)
        return 0;
    if (r == 0)
        return ETIMEDOUT;
    if (r == -2)
        return ECANCELED;
    return errno;
}

static int64_t deadline_of(int32_t timeout_ms) { return timeout_ms < 0 ? -1 : sp_os_now_ms() + timeout_ms; }

static bool would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }

/* ---------------------------------------------------------------- calls */

int32_t sp_os_socket_bind(sp_os_socket s, const sp_os_sockaddr *address, bool tcp)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int32_t err = to_os(address, &ss, &len);
    if (err)
        return err;
    if (tcp) {
        /* "On Windows, Bind during TCP_WAIT is allowed. On Unix, we set SO_REUSEADDR" */
        int one = 1;
        SP_SYS(setsockopt)(FD(s), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    return SP_SYS(bind)(FD(s), (struct sockaddr *)&ss, len) == 0 ? 0 : errno;
}

int32_t sp_os_socket_listen(sp_os_socket s, int32_t backlog) { return SP_SYS(listen)(FD(s), backlog) == 0 ? 0 : errno; }

int32_t sp_os_socket_accept(sp_os_socket s, sp_os_waker *waker, bool blocking, sp_os_socket *conn,
                            sp_os_sockaddr *remote)
{
    bool wait_first = blocking && !KERNEL_WAITS;
    if (sp_posix_waker_signalled(waker))
        return ECANCELED; /* Dispose has begun: no sleep in accept(2) it may not wake */
    for (;;) {
        if (wait_first) {
            int32_t err = wait_for(FD(s), POLLIN, waker, -1);
            if (err)
                return err;
        }
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        memset(&ss, 0, sizeof ss);
#ifdef SP_HAVE_ACCEPT4_PIPE2
        int fd = SP_SYS(accept4)(FD(s), (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
#else
        int fd = SP_SYS(accept)(FD(s), (struct sockaddr *)&ss, &len);
#endif
        if (fd < 0) {
            int err = errno;
            if (sp_posix_waker_signalled(waker))
                return ECANCELED; /* Dispose shut the listener down (EINVAL on Linux) */
            /* only EINTR is retried, as SystemNative_Accept does: a connection reset before it was
             * taken (ECONNABORTED) is .NET's SocketException ConnectionAborted. Another thread
             * that took the connection, or a descriptor made non-blocking behind the Socket's
             * back, waits in poll */
            if (err == EINTR)
                continue;
            if (blocking && would_block(err)) {
                wait_first = true;
                continue;
            }
            return err;
        }
#ifndef SP_HAVE_ACCEPT4_PIPE2
        set_cloexec(fd);
        /* the accepted socket inherits O_NONBLOCK from the listener here (SystemNative_Accept) */
        int fl = SP_SYS(fcntl)(fd, F_GETFL, 0);
        if (fl >= 0 && (fl & O_NONBLOCK))
            SP_SYS(fcntl)(fd, F_SETFL, fl & ~O_NONBLOCK);
#  ifdef SO_NOSIGPIPE
        int one = 1;
        SP_SYS(setsockopt)(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#  endif
#endif
        if (remote)
            from_os(&ss, len, remote);
        *conn = fd;
        return 0;
    }
}

int32_t sp_os_socket_connect(sp_os_socket s, sp_os_waker *waker, bool blocking, const sp_os_sockaddr *address)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int32_t err = to_os(address, &ss, &len);
    if (err)
        return err;
    int fd = FD(s);
    if (!blocking) {
        while ((err = SP_SYS(connect)(fd, (struct sockaddr *)&ss, len) == 0 ? 0 : errno) == EINTR)
            ;
        return err;
    }
    int flags = SP_SYS(fcntl)(fd, F_GETFL, 0);
    if (flags < 0)
        return errno;
    if (SP_SYS(fcntl)(fd, F_SETFL, flags | O_NONBLOCK) != 0)
        return errno;
    /* connect(2) again after EINTR: a connect that was under way says EALREADY (or EISCONN once it
     * completed), one that never started starts */
    bool interrupted = false;
    while ((err = SP_SYS(connect)(fd, (struct sockaddr *)&ss, len) == 0 ? 0 : errno) == EINTR)
        interrupted = true;
    if (err == EISCONN && interrupted)
        err = 0;
    if (err == EINPROGRESS || err == EALREADY) {
        err = wait_for(fd, POLLOUT, waker, -1);
        if (!err) {
            int so_error = 0;
            socklen_t n = sizeof so_error;
            err = SP_SYS(getsockopt)(fd, SOL_SOCKET, SO_ERROR, &so_error, &n) == 0 ? so_error : errno;
        }
    }
    SP_SYS(fcntl)(fd, F_SETFL, flags);
    return err;
}

int32_t sp_os_socket_send(sp_os_socket s, sp_os_waker *waker, bool blocking, int32_t timeout_ms, const void *buffer,
                          int32_t count, int32_t flags, const sp_os_sockaddr *to, int32_t *sent)
{
    int osflags = 0;
    int32_t err = 0;
    *sent = 0;
    if (flags && (err = os_flags(flags, &osflags)) != 0)
        return err;
    struct sockaddr_storage ss;
    socklen_t len = 0;
    if (to && to->family == NET_AF_INET)
        to_os_in4(to, &ss, &len);
    else if (to && (err = to_os(to, &ss, &len)) != 0)
        return err;
    /* a blocking send waits in the kernel (Linux), SO_SNDTIMEO bounding it; not once Dispose has
     * signalled the waker (as a receive); the deadline only for a wait in poll */
    const int nowait = blocking && KERNEL_WAITS ? 0 : MSG_DONTWAIT;
    int64_t deadline = nowait ? deadline_of(timeout_ms) : -1;
    if (sp_posix_waker_signalled(waker))
        return ECANCELED;
    const char *p = buffer;
    int32_t done = 0;
    do {
        ssize_t n = to ? SP_SYS(sendto)(FD(s), p + done, (size_t)(count - done), osflags | nowait | MSG_NOSIGNAL,
                                        (struct sockaddr *)&ss, len)
                       : SP_SYS(send)(FD(s), p + done, (size_t)(count - done), osflags | nowait | MSG_NOSIGNAL);
        if (n >= 0) {
            done += (int32_t)n;
            if (!blocking)
                break;
            continue;
        }
        err = errno;
        if (err == EINTR)
            continue;
        if (sp_posix_waker_signalled(waker)) {
            err = ECANCELED; /* Dispose shut the socket down under the call */
            break;
        }
        if (!would_block(err) || !blocking)
            break;
        if (!nowait) {
            /* a blocking send's EAGAIN: SO_SNDTIMEO expired (ShouldRetrySyncOperation's TimedOut) */
            err = ETIMEDOUT;
            break;
        }
        if ((err = wait_for(FD(s), POLLOUT, waker, deadline)) != 0)
            break;
    } while (done < count);
    *sent = done;
    /* a non-blocking send that moved some bytes succeeded with them */
    if (err && would_block(err) && done > 0)
        err = 0;
    return done == count ? 0 : err;
}

int32_t sp_os_socket_receive(sp_os_socket s, sp_os_waker *waker, bool blocking, int32_t timeout_ms, void *buffer,
                             int32_t count, int32_t flags, sp_os_sockaddr *from, int32_t *received)
{
    int osflags = 0;
    int32_t err = 0;
    *received = 0;
    if (flags && (err = os_flags(flags, &osflags)) != 0)
        return err;
    /* a blocking receive waits in the kernel (Linux), SO_RCVTIMEO bounding it; not once Dispose
     * has signalled the waker (a call it ends after its interrupt must not sleep on);
     * the deadline only for a wait in poll */
    const int nowait = blocking && KERNEL_WAITS ? 0 : MSG_DONTWAIT;
    int64_t deadline = nowait ? deadline_of(timeout_ms) : -1;
    if (sp_posix_waker_signalled(waker))
        return ECANCELED;
    for (;;) {
        /* Not cleared: the kernel writes the sender and its length (from_os reads no further), or
         * nothing at all (a stream socket's peer: len 0), which the family set here says. */
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        ss.ss_family = AF_UNSPEC;
        ssize_t n = SP_SYS(recvfrom)(FD(s), buffer, (size_t)count, osflags | nowait,
                                     from ? (struct sockaddr *)&ss : NULL, from ? &len : NULL);
        /* the end of a stream or an empty datagram, unless Dispose shut the socket down */
        if (n > 0 || (n == 0 && !sp_posix_waker_signalled(waker))) {
            *received = (int32_t)n;
            if (from && ss.ss_family == AF_INET)
                from_os_in4(&ss, from);
            else if (from)
                from_os(&ss, len, from);
            return 0;
        }
        if (n == 0)
            return ECANCELED;
        err = errno;
        if (err == EINTR)
            continue;
        if (sp_posix_waker_signalled(waker))
            return ECANCELED;
        if (!would_block(err) || !blocking)
            return err;
        if (!nowait)
            return ETIMEDOUT; /* a blocking receive's EAGAIN: SO_RCVTIMEO expired, as .NET reads it */
        if ((err = wait_for(FD(s), POLLIN, waker, deadline)) != 0)
            return err;
    }
}

int32_t sp_os_socket_shutdown(sp_os_socket s, int32_t how)
{
    int h = how == 0 ? SHUT_RD : how == 1 ? SHUT_WR : SHUT_RDWR;
    return SP_SYS(shutdown)(FD(s), h) == 0 ? 0 : errno;
}

void sp_os_socket_interrupt(sp_os_socket s, bool abortive)
{
    /* TryUnblockSocket: a stream the user did not shut down is disconnected (an RST on Linux),
     * then everything is shut down both ways, after the disconnect: tcp_disconnect clears a TCP
     * socket's shutdown state, which must stay set for a call that has yet to sleep */
    if (abortive)
        sp_os_socket_disconnect(s);
    SP_SYS(shutdown)(FD(s), SHUT_RDWR);
}

int32_t sp_os_socket_disconnect(sp_os_socket s)
{
#ifdef __linux__
    struct sockaddr unspec;
    memset(&unspec, 0, sizeof unspec);
    unspec.sa_family = AF_UNSPEC;
    if (SP_SYS(connect)(FD(s), &unspec, sizeof unspec) == 0)
        return 0;
#endif
    int32_t err = SP_SYS(shutdown)(FD(s), SHUT_RDWR) == 0 ? 0 : errno;
    return err == ENOTCONN ? 0 : err;
}

int32_t sp_os_socket_describe(sp_os_socket s, int32_t *family, int32_t *type, int32_t *protocol, bool *bound,
                              bool *connected, bool *listening, bool *blocking)
{
    int fd = FD(s), t = 0, accepting = 0;
    int32_t err = get_int(fd, SOL_SOCKET, SO_TYPE, &t);
    if (err)
        return err;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (SP_SYS(getsockname)(fd, (struct sockaddr *)&ss, &len) != 0)
        return errno;
    sp_os_sockaddr a;
    from_os(&ss, len, &a);
    *family = ss.ss_family == AF_INET ? NET_AF_INET : ss.ss_family == AF_INET6 ? NET_AF_INET6 : NET_AF_UNIX;
    *type = t == SOCK_STREAM ? 1 : t == SOCK_DGRAM ? 2 : t == SOCK_RAW ? 3 : t == SOCK_SEQPACKET ? 5 : -1;
    int p = 0;
#ifdef SO_PROTOCOL
    get_int(fd, SOL_SOCKET, SO_PROTOCOL, &p);
#endif
    *protocol = p;
    /* bound: an address the OS gave or was given (a port, or a Unix name) */
    *bound = (*family == NET_AF_UNIX) ? a.path_length > 0 : a.port != 0;
    struct sockaddr_storage peer;
    len = sizeof peer;
    *connected = SP_SYS(getpeername)(fd, (struct sockaddr *)&peer, &len) == 0;
    *listening = get_int(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting) == 0 && accepting != 0;
    int fl = SP_SYS(fcntl)(fd, F_GETFL, 0);
    *blocking = fl < 0 || !(fl & O_NONBLOCK);
    return 0;
}

int32_t sp_os_socket_poll(sp_os_poll_entry *entries, int32_t count, int32_t timeout_ms, int32_t *ready_count)
{
    struct pollfd local[32];
    struct pollfd *p =
        (size_t)count * 2 <= sizeof local / sizeof local[0] ? local : malloc(sizeof *p * 2 * (size_t)count);
    if (!p)
        return ENOMEM;
    int32_t n = 0;
    for (int32_t i = 0; i < count; i++) {
        short ev = entries[i].mode == 0 ? POLLIN : entries[i].mode == 1 ? POLLOUT : POLLPRI;
        p[n].fd = FD(entries[i].socket);
        p[n].events = ev;
        p[n++].revents = 0;
    }
    for (int32_t i = 0; i < count; i++) {
        p[n].fd = entries[i].waker ? sp_posix_waker_fd(entries[i].waker) : -1;
        p[n].events = POLLIN;
        p[n++].revents = 0;
    }
    int64_t deadline = deadline_of(timeout_ms);
    int r;
    for (;;) {
        r = SP_SYS(poll)(p, (nfds_t)n, sp_posix_remaining_ms(deadline));
        if (r < 0 && errno == EINTR)
            continue;
        break;
    }
    int32_t err = r < 0 ? errno : 0;
    int32_t ready = 0;
    for (int32_t i = 0; !err && i < count; i++) {
        short re = p[i].revents;
        int32_t mode = entries[i].mode;
        entries[i].ready = mode == 0   ? (re & (POLLIN | POLLHUP)) != 0
                           : mode == 1 ? (re & POLLOUT) != 0
                                       : (re & (POLLERR | POLLPRI)) != 0;
        entries[i].woken = (p[count + i].revents & POLLIN) != 0;
        ready += entries[i].ready;
    }
    if (p != local)
        free(p);
    *ready_count = ready;
    return err;
}

int32_t sp_os_socket_available(sp_os_socket s, int32_t *available)
{
    int n = 0;
    if (SP_SYS(ioctl)(FD(s), FIONREAD, &n) != 0)
        return errno;
    *available = n;
    return 0;
}

/* ---------------------------------------------------------------- options */

/* .NET's SocketOptionName values this file maps by hand. */
enum {
    NET_SO_REUSEADDRESS = 4,
    NET_SO_LINGER = 0x80,
    NET_SO_DONTLINGER = ~0x80,
    NET_SO_EXCLUSIVEADDRUSE = ~4,
    NET_SO_SENDTIMEOUT = 0x1005,
    NET_SO_RECEIVETIMEOUT = 0x1006,
    NET_SO_ERROR = 0x1007,
    NET_IP_DONTFRAGMENT = 14,
};

/* The plain options: .NET's (level, name) -> this OS's, as SystemNative's TryGetPlatformSocketOption. */
static int32_t map_option(int32_t level, int32_t name, int *os_level, int *os_name)
{
    int l = -1, n = -1;
    switch (level) {
    case NET_LEVEL_SOCKET:
        l = SOL_SOCKET;
        switch (name) {
        case 0x0001: n = SO_DEBUG; break;
        case 0x0002: n = SO_ACCEPTCONN; break;
        case 0x0008: n = SO_KEEPALIVE; break;
        case 0x0010: n = SO_DONTROUTE; break;
        case 0x0020: n = SO_BROADCAST; break;
        case 0x0100: n = SO_OOBINLINE; break;
        case 0x1001: n = SO_SNDBUF; break;
        case 0x1002: n = SO_RCVBUF; break;
        case 0x1003: n = SO_SNDLOWAT; break;
        case 0x1004: n = SO_RCVLOWAT; break;
        case 0x1008: n = SO_TYPE; break;
        }
        break;
    case NET_LEVEL_IP:
        l = IPPROTO_IP;
        switch (name) {
        case 1: n = IP_OPTIONS; break;
        case 2: n = IP_HDRINCL; break;
        case 3: n = IP_TOS; break;
        case 4: n = IP_TTL; break;
        case 9: n = IP_MULTICAST_IF; break;
        case 10: n = IP_MULTICAST_TTL; break;
        case 11: n = IP_MULTICAST_LOOP; break;
        case 12: n = IP_ADD_MEMBERSHIP; break;
        case 13: n = IP_DROP_MEMBERSHIP; break;
#ifdef IP_PKTINFO
        case 19: n = IP_PKTINFO; break;
#endif
        }
        break;
    case NET_LEVEL_IPV6:
        l = IPPROTO_IPV6;
        switch (name) {
        case 4: n = IPV6_UNICAST_HOPS; break;
        case 9: n = IPV6_MULTICAST_IF; break;
        case 10: n = IPV6_MULTICAST_HOPS; break;
        case 11: n = IPV6_MULTICAST_LOOP; break;
        case 12: n = IPV6_JOIN_GROUP; break;
        case 13: n = IPV6_LEAVE_GROUP; break;
#ifdef IPV6_RECVPKTINFO
        case 19: n = IPV6_RECVPKTINFO; break;
#endif
        case 27: n = IPV6_V6ONLY; break;
        }
        break;
    case NET_LEVEL_TCP:
        l = IPPROTO_TCP;
        switch (name) {
        case 1: n = TCP_NODELAY; break;
#ifdef TCP_KEEPIDLE
        case 3: n = TCP_KEEPIDLE; break;
#endif
#ifdef TCP_KEEPCNT
        case 16: n = TCP_KEEPCNT; break;
#endif
#ifdef TCP_KEEPINTVL
        case 17: n = TCP_KEEPINTVL; break;
#endif
#ifdef TCP_FASTOPEN
        case 15: n = TCP_FASTOPEN; break;
#endif
        }
        break;
    default: break;
    }
    if (l < 0 || n < 0)
        return ENOPROTOOPT;
    *os_level = l;
    *os_name = n;
    return 0;
}

int32_t sp_os_socket_get_linger(sp_os_socket s, bool *enabled, int32_t *seconds)
{
    struct linger lg = {0, 0};
    socklen_t n = sizeof lg;
    if (SP_SYS(getsockopt)(FD(s), SOL_SOCKET, SO_LINGER, &lg, &n) != 0)
        return errno;
    *enabled = lg.l_onoff != 0;
    *seconds = lg.l_linger;
    return 0;
}

int32_t sp_os_socket_set_linger(sp_os_socket s, bool enabled, int32_t seconds)
{
    struct linger lg = {enabled ? 1 : 0, seconds};
    return SP_SYS(setsockopt)(FD(s), SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0 ? 0 : errno;
}

static int32_t get_int(int fd, int level, int name, int *value)
{
    socklen_t n = sizeof *value;
    *value = 0;
    return SP_SYS(getsockopt)(fd, level, name, value, &n) == 0 ? 0 : errno;
}

static int32_t set_int(int fd, int level, int name, int value)
{
    return SP_SYS(setsockopt)(fd, level, name, &value, sizeof value) == 0 ? 0 : errno;
}

int32_t sp_os_socket_get_option(sp_os_socket s, int32_t level, int32_t name, int32_t *value)
{
    int fd = FD(s), v = 0, l, n;
    int32_t err;
    if (level == NET_LEVEL_SOCKET) {
        switch (name) {
        case NET_SO_REUSEADDRESS:
        case NET_SO_EXCLUSIVEADDRUSE:
#ifdef SO_REUSEPORT
            err = get_int(fd, SOL_SOCKET, SO_REUSEPORT, &v);
#else
            err = get_int(fd, SOL_SOCKET, SO_REUSEADDR, &v);
#endif
            *value = name == NET_SO_REUSEADDRESS ? v != 0 : v == 0;
            return err;
        case NET_SO_DONTLINGER: {
            bool on = false;
            int32_t secs = 0;
            err = sp_os_socket_get_linger(s, &on, &secs);
            if (!err)
                *value = !on;
            return err;
        }
        case NET_SO_SENDTIMEOUT:
        case NET_SO_RECEIVETIMEOUT: {
            struct timeval tv = {0, 0};
            socklen_t len = sizeof tv;
            if (SP_SYS(getsockopt)(fd, SOL_SOCKET, name == NET_SO_SENDTIMEOUT ? SO_SNDTIMEO : SO_RCVTIMEO, &tv, &len) !=
                0)
                return errno;
            *value = (int32_t)(tv.tv_sec * 1000 + tv.tv_usec / 1000);
            return 0;
        }
        case NET_SO_ERROR:
            err = get_int(fd, SOL_SOCKET, SO_ERROR, &v);
            *value = sp_posix_socket_error(v); /* .NET reports the SocketError */
            return err;
        }
    }
#ifdef IP_MTU_DISCOVER
    if (level == NET_LEVEL_IP && name == NET_IP_DONTFRAGMENT) {
        err = get_int(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v);
        *value = v == IP_PMTUDISC_DO;
        return err;
    }
#elif defined(IP_DONTFRAG)
    if (level == NET_LEVEL_IP && name == NET_IP_DONTFRAGMENT)
        return (err = get_int(fd, IPPROTO_IP, IP_DONTFRAG, &v)), *value = v != 0, err;
#endif
    if ((err = map_option(level, name, &l, &n)) != 0)
        return err;
    err = get_int(fd, l, n, &v);
    *value = v;
    return err;
}

int32_t sp_os_socket_set_option(sp_os_socket s, int32_t level, int32_t name, int32_t value)
{
    int fd = FD(s), l, n;
    int32_t err;
    if (level == NET_LEVEL_SOCKET) {
        switch (name) {
        case NET_SO_REUSEADDRESS:
        case NET_SO_EXCLUSIVEADDRUSE: {
            /* both SO_REUSEADDR and SO_REUSEPORT, as SystemNative_SetSockOpt */
            int v = name == NET_SO_REUSEADDRESS ? value != 0 : value == 0;
            if ((err = set_int(fd, SOL_SOCKET, SO_REUSEADDR, v)) != 0)
                return err;
#ifdef SO_REUSEPORT
            return set_int(fd, SOL_SOCKET, SO_REUSEPORT, v);
#else
            return 0;
#endif
        }
        case NET_SO_DONTLINGER: return sp_os_socket_set_linger(s, value == 0, 0);
        case NET_SO_SENDTIMEOUT:
        case NET_SO_RECEIVETIMEOUT: {
            struct timeval tv = {value / 1000, (value % 1000) * 1000};
            return SP_SYS(setsockopt)(fd, SOL_SOCKET, name == NET_SO_SENDTIMEOUT ? SO_SNDTIMEO : SO_RCVTIMEO, &tv,
                                      sizeof tv) == 0
                       ? 0
                       : errno;
        }
        }
    }
#ifdef IP_MTU_DISCOVER
    if (level == NET_LEVEL_IP && name == NET_IP_DONTFRAGMENT)
        return set_int(fd, IPPROTO_IP, IP_MTU_DISCOVER, value ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT);
#elif defined(IP_DONTFRAG)
    if (level == NET_LEVEL_IP && name == NET_IP_DONTFRAGMENT)
        return set_int(fd, IPPROTO_IP, IP_DONTFRAG, value != 0);
#endif
    if ((err = map_option(level, name, &l, &n)) != 0)
        return err;
    return set_int(fd, l, n, value);
}

int32_t sp_os_socket_get_option_bytes(sp_os_socket s, int32_t level, int32_t name, void *value, int32_t *length)
{
    int l, n;
    int32_t err = map_option(level, name, &l, &n);
    if (err)
        return err;
    socklen_t len = (socklen_t)*length;
    if (SP_SYS(getsockopt)(FD(s), l, n, value, &len) != 0)
        return errno;
    *length = (int32_t)len;
    return 0;
}

int32_t sp_os_socket_set_option_bytes(sp_os_socket s, int32_t level, int32_t name, const void *value, int32_t length)
{
    int l, n;
    int32_t err = map_option(level, name, &l, &n);
    if (err)
        return err;
    return SP_SYS(setsockopt)(FD(s), l, n, value, (socklen_t)length) == 0 ? 0 : errno;
}

/* ---------------------------------------------------------------- multicast, SendFile */

#include <signal.h>
#include <sys/stat.h>

enum { NET_ADD_MEMBERSHIP = 12, NET_DROP_MEMBERSHIP = 13 };

int32_t sp_os_socket_set_multicast(sp_os_socket s, int32_t name, const uint8_t group[4], const uint8_t *local,
                                   int32_t ifindex)
{
    if (name != NET_ADD_MEMBERSHIP && name != NET_DROP_MEMBERSHIP)
        return ENOPROTOOPT;
#ifdef __linux__
    struct ip_mreqn m;
    memset(&m, 0, sizeof m);
    memcpy(&m.imr_multiaddr, group, 4);
    if (local)
        memcpy(&m.imr_address, local, 4);
    m.imr_ifindex = ifindex;
#else
    struct ip_mreq m;
    memset(&m, 0, sizeof m);
    memcpy(&m.imr_multiaddr, group, 4);
    if (local)
        memcpy(&m.imr_interface, local, 4);
    if (ifindex != 0)
        return ENOPROTOOPT; /* ip_mreq names the interface by address only */
#endif
    int opt = name == NET_ADD_MEMBERSHIP ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP;
    return SP_SYS(setsockopt)(FD(s), IPPROTO_IP, opt, &m, sizeof m) == 0 ? 0 : errno;
}

int32_t sp_os_socket_set_ipv6_multicast(sp_os_socket s, int32_t name, const uint8_t group[16], uint32_t ifindex)
{
    if (name != NET_ADD_MEMBERSHIP && name != NET_DROP_MEMBERSHIP)
        return ENOPROTOOPT;
    struct ipv6_mreq m;
    memset(&m, 0, sizeof m);
    memcpy(&m.ipv6mr_multiaddr, group, 16);
    m.ipv6mr_interface = ifindex;
    int opt = name == NET_ADD_MEMBERSHIP ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP;
    return SP_SYS(setsockopt)(FD(s), IPPROTO_IPV6, opt, &m, sizeof m) == 0 ? 0 : errno;
}

int32_t sp_os_socket_send_file_options(void) { return 0; }

/* One piece of the file, at most count bytes from *offset (advanced by what went), onto the
 * socket: the bytes that went (0 at the end of the file), -1 with errno. By offset, as .NET's
 * SystemNative_SendFile, not the file's position. */
static ssize_t send_file_piece(int fd, int file, off_t *offset, size_t count)
{
#ifdef __linux__
    return SP_SYS(sendfile)(fd, file, offset, count);
#else
    char chunk[16384];
    ssize_t n = pread(file, chunk, count < sizeof chunk ? count : sizeof chunk, *offset);
    if (n <= 0)
        return n;
    ssize_t done = 0;
    while (done < n) {
        ssize_t w = SP_SYS(send)(fd, chunk + done, (size_t)(n - done), MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (done == 0)
                return -1;
            break; /* what went stays sent: the offset moves past it only */
        }
        done += w;
    }
    *offset += done;
    return done;
#endif
}

/* The file onto the socket: in the kernel on Linux (the descriptor as the Socket keeps it, so a
 * Receive on another thread still blocks; SO_SNDTIMEO bounds it, Dispose's shutdown ends it), in
 * poll beside the waker elsewhere (the descriptor made non-blocking by the caller). As .NET's
 * SocketPal.Unix SendFile: the length the file has now (RandomAccess.GetLength: fstat's size)
 * from offset 0, done when that much went or the file ended sooner. So a file whose size says 0
 * (a character device as /dev/zero, most of /proc) sends nothing, and one another process appends
 * to meanwhile no more than that length, where reading to its end might never end. */
static int32_t send_file_body(int fd, sp_os_waker *waker, bool blocking, int64_t deadline, int file)
{
    struct stat st;
    if (SP_SYS(fstat)(file, &st) != 0)
        return errno;
    off_t offset = 0;
    int64_t remaining = st.st_size > 0 ? (int64_t)st.st_size : 0;
    int32_t err = 0;
    while (remaining > 0) {
        if (sp_posix_waker_signalled(waker))
            return ECANCELED;
        size_t count = remaining < 0x7ffff000 ? (size_t)remaining : 0x7ffff000; /* Linux's most per call */
        ssize_t n = send_file_piece(fd, file, &offset, count);
        if (n > 0) {
            remaining -= n;
            continue;
        }
        if (n == 0)
            return 0; /* the file is shorter now: what it held went */
        err = errno;
        if (err == EINTR)
            continue;
        if (sp_posix_waker_signalled(waker))
            return ECANCELED; /* Dispose shut the socket down under the call */
        if (!would_block(err) || !blocking)
            return err;
        if (KERNEL_WAITS)
            return ETIMEDOUT; /* a blocking sendfile's EAGAIN: SO_SNDTIMEO expired, as sp_os_socket_send */
        if ((err = wait_for(fd, POLLOUT, waker, deadline)) != 0)
            return err;
    }
    return 0;
}

int32_t sp_os_socket_send_file(sp_os_socket s, sp_os_waker *waker, bool blocking, int32_t timeout_ms, sp_os_file file,
                               const void *pre, int32_t pre_count, const void *post, int32_t post_count, int32_t flags)
{
    if (flags != 0)
        return EOPNOTSUPP; /* the portable side refused them already */
    int32_t sent, err;
    if (pre_count > 0 && (err = sp_os_socket_send(s, waker, blocking, timeout_ms, pre, pre_count, 0, NULL, &sent)) != 0)
        return err;
    if (file != SP_OS_FILE_INVALID) {
        int fd = FD(s);
        /* sendfile has no MSG_NOSIGNAL: SIGPIPE is held back in this thread and a pending one it
         * raised taken back, so the process's handling is never involved */
        sigset_t pipe_set, old, pending;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
        sigemptyset(&pending);
        sigpending(&pending);
        bool was_pending = sigismember(&pending, SIGPIPE) == 1;
        /* elsewhere non-blocking for the call, as connect: a wait happens in poll beside the
         * waker. Not on Linux, where every blocking call waits in the kernel: O_NONBLOCK set
         * here would make a Receive that another thread starts meanwhile fail at once with
         * TimedOut (its EAGAIN reads as SO_RCVTIMEO expired) */
        int fl = KERNEL_WAITS ? 0 : SP_SYS(fcntl)(fd, F_GETFL, 0);
        bool toggle = !KERNEL_WAITS && fl >= 0 && !(fl & O_NONBLOCK);
        if (fl < 0) {
            err = errno;
        } else if (toggle && SP_SYS(fcntl)(fd, F_SETFL, fl | O_NONBLOCK) != 0) {
            err = errno;
        } else {
            err = send_file_body(fd, waker, blocking, deadline_of(timeout_ms), (int)file);
            if (toggle)
                SP_SYS(fcntl)(fd, F_SETFL, fl);
        }
        if (err == EPIPE && !was_pending) {
            struct timespec zero = {0, 0};
#ifdef __APPLE__
            (void)zero; /* SO_NOSIGPIPE: none was raised */
#else
            sigtimedwait(&pipe_set, NULL, &zero);
#endif
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (err)
            return err;
    }
    if (post_count > 0 &&
        (err = sp_os_socket_send(s, waker, blocking, timeout_ms, post, post_count, 0, NULL, &sent)) != 0)
        return err;
    return 0;
}

/* ---------------------------------------------------------------- a Unix socket's bound file */

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

/* A handle of a directory good for the *at calls: O_PATH needs no read permission on it, which a
 * bind into a search-only directory did not need either. */
#ifdef O_PATH
#  define DIRECTORY_HANDLE_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)
#else
#  define DIRECTORY_HANDLE_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif

struct sp_os_bound_file {
    dev_t dev;
    ino_t ino;
    char *directory; /* absolute, symlinks resolved: a later cwd change or link swap does not move it */
    char name[];
};

/* The socket file under the directory handle, unless the name is something else now. */
static bool is_socket_at(int dir, const char *name, dev_t dev, ino_t ino)
{
    struct stat st;
    return SP_SYS(fstatat)(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISSOCK(st.st_mode) && st.st_dev == dev &&
           st.st_ino == ino;
}

sp_os_bound_file *sp_os_bound_file_new(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t name_length = strlen(name);
    if (name_length == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return NULL;
    size_t parent_length = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
    char *parent = malloc(parent_length + 1);
    if (!parent)
        return NULL;
    memcpy(parent, slash ? path : ".", parent_length);
    parent[parent_length] = '\0';
    sp_os_bound_file *f = NULL;
    char *real = NULL;
    struct stat named, opened, resolved;
    int dir = SP_SYS(open)(parent, DIRECTORY_HANDLE_FLAGS, 0);
    if (dir >= 0 && SP_SYS(fstatat)(dir, name, &named, AT_SYMLINK_NOFOLLOW) == 0 && S_ISSOCK(named.st_mode) &&
        SP_SYS(fstat)(dir, &opened) == 0 && (real = realpath(parent, NULL)) != NULL && stat(real, &resolved) == 0 &&
        resolved.st_dev == opened.st_dev && resolved.st_ino == opened.st_ino &&
        (f = malloc(sizeof *f + name_length + 1)) != NULL) {
        /* the resolved path names the very directory the bind used (else nothing is recorded) */
        f->dev = named.st_dev;
        f->ino = named.st_ino;
        f->directory = real;
        real = NULL;
        memcpy(f->name, name, name_length + 1);
    }
    if (dir >= 0)
        SP_SYS(close)(dir);
    free(real);
    free(parent);
    return f;
}

void sp_os_bound_file_remove(sp_os_bound_file *f)
{
    if (!f)
        return;
    int saved = errno;
    int dir = SP_SYS(open)(f->directory, DIRECTORY_HANDLE_FLAGS, 0);
    if (dir >= 0) {
        /* looked at and unlinked through the one handle: what is unlinked is the entry just seen
         * to be the bound socket, in whatever directory the path leads to now. Replacing that
         * entry between the two needs the right to remove it, which in a sticky directory (/tmp)
         * only its owner has. */
        if (is_socket_at(dir, f->name, f->dev, f->ino))
            (void)SP_SYS(unlinkat)(dir, f->name, 0);
        SP_SYS(close)(dir);
    }
    errno = saved;
    sp_os_bound_file_free(f);
}

void sp_os_bound_file_free(sp_os_bound_file *f)
{
    if (!f)
        return;
    free(f->directory);
    free(f);
}
