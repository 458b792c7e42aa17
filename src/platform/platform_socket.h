/*
 * The socket seam (included by platform.h): what Socket, Dns and the System.Net types ask of the
 * OS. Same contract as platform.h: 0 or an OS code (errno / WSAGetLastError()), no .NET policy.
 */
#ifndef SHARPIPC_PLATFORM_SOCKET_H
#define SHARPIPC_PLATFORM_SOCKET_H

#include "core/internal.h"
#include "platform/platform.h" /* sp_os_waker */
/* Dns, startup and System.Net's other OS questions (hnet). */
#include "platform/platform_dns.h"

/* An address as the portable code sees it: the OS-independent content of a sockaddr, what .NET's
 * SocketAddress carries. The seam converts it to and from sockaddr_in / sockaddr_in6 / sockaddr_un
 * (POSIX) or SOCKADDR_IN / SOCKADDR_IN6 / SOCKADDR_UN (Windows). */
#define SP_OS_SOCKADDR_PATH_MAX 108 /* sun_path on Linux and Windows (104 on macOS and the BSDs) */
typedef struct sp_os_sockaddr {
    int32_t family;       /* .NET's AddressFamily value: InterNetwork (2), InterNetworkV6 (23), Unix (1) */
    uint16_t port;        /* host order */
    uint8_t address[16];  /* network order: 4 bytes for IPv4, 16 for IPv6 */
    uint32_t scope_id;    /* IPv6 only */
    uint32_t flow_info;   /* IPv6 only */
    uint16_t path_length; /* Unix: bytes of path used (a Linux abstract name starts with a NUL) */
    char path[SP_OS_SOCKADDR_PATH_MAX];
} sp_os_sockaddr;

/* ---------------------------------------------------------------- sockets (System.Net.Sockets) */

/* The contract of this part: as platform.h, every function that can fail returns 0 or the OS code
 * (errno; WSAGetLastError() on Windows), results in out-parameters, no .NET policy beyond the
 * defaults .NET's own native layer applies on that OS (named below). Families, socket types,
 * protocols, SocketFlags, SocketShutdown, SelectMode, SocketOptionLevel and SocketOptionName
 * arrive as .NET's numbers and are mapped to this OS's here. A blocking call waits in the seam
 * (in the kernel on Linux, else beside `waker`); Dispose signals `waker` and then calls
 * sp_os_socket_interrupt, and the call ends with the cancelled code (sp_os_socket_cancelled);
 * `blocking` is the Socket's Blocking property (false: the would-block code at once, never a wait).
 * EINTR is retried. */

/* An open socket: a descriptor or a SOCKET, widened. */
typedef intptr_t sp_os_socket;
#define SP_OS_SOCKET_INVALID ((sp_os_socket)-1)

/* The code a blocking socket call returns when its waker ended it (POSIX ECANCELED, Windows
 * ERROR_OPERATION_ABORTED: SocketError.OperationAborted both). */
int32_t sp_os_socket_cancelled(void);
/* This OS's code for a .NET SocketError, for the exceptions .NET makes from a SocketError alone
 * (new SocketException((int)SocketError.X)): SocketErrorPal's reverse map on Unix (Interrupted ->
 * EINTR, ConnectionAborted -> ECONNABORTED, TimedOut -> ETIMEDOUT, ...), the value itself on
 * Windows. */
int32_t sp_os_socket_error_code(int32_t socket_error);

/* Whether the OS can make sockets of an AddressFamily (Socket.OSSupportsIPv4/IPv6/UnixDomain). */
bool sp_os_socket_family_supported(int32_t family);
/* Creates a socket of .NET's family, type and protocol: close-on-exec (SOCK_CLOEXEC or fcntl),
 * SO_NOSIGPIPE where it exists, and IPV6_V6ONLY=1 for an InterNetworkV6 socket that is not Raw on
 * POSIX (Windows' default), as SocketPal.Unix.cs CreateSocket. Windows: WSASocketW without
 * inheritance (WSA_FLAG_NO_HANDLE_INHERIT). */
int32_t sp_os_socket_new(int32_t family, int32_t type, int32_t protocol, sp_os_socket *s);
void sp_os_socket_close(sp_os_socket s);
/* Sets the OS's blocking mode of s (O_NONBLOCK). Windows keeps every socket non-blocking for the
 * seam's waits (the calls get `blocking` instead), so there it does nothing. */
int32_t sp_os_socket_set_blocking(sp_os_socket s, bool blocking);

/* bind(2). `tcp`: POSIX sets SO_REUSEADDR=1 first, as .NET's SystemNative_Bind does for
 * ProtocolType.Tcp (Windows allows a bind in TIME_WAIT by itself). */
int32_t sp_os_socket_bind(sp_os_socket s, const sp_os_sockaddr *address, bool tcp);
int32_t sp_os_socket_listen(sp_os_socket s, int32_t backlog);
/* The file a Unix socket's successful bind just made at path (as the bind was given it: relative to
 * the working directory), for the socket's Dispose to remove, as .NET's Socket.Dispose deletes its
 * BoundFileName. Dispose must remove that file and nothing else: the name may meanwhile hold a
 * socket another process bound after unlinking ours, a symlink or file someone planted, or lead
 * through a directory swapped for a symlink, and the name alone (.NET's File.Delete) would remove
 * each of those. So _new records what the bind made (POSIX: the socket's device and inode, found
 * through the same directory the bind resolved, and that directory's absolute path), and _remove
 * unlinks the name only while it is still that socket, looked at and unlinked through one handle
 * of the directory. NULL (no memory, or no socket there): nothing is removed later. _remove frees
 * f, _free only frees it; NULL is ignored by both. */
typedef struct sp_os_bound_file sp_os_bound_file;
sp_os_bound_file *sp_os_bound_file_new(const char *path);
void sp_os_bound_file_remove(sp_os_bound_file *f);
void sp_os_bound_file_free(sp_os_bound_file *f);
/* Waits for and accepts a connection: *conn (close-on-exec, blocking, as SystemNative_Accept
 * leaves it) and the peer's address. */
int32_t sp_os_socket_accept(sp_os_socket s, sp_os_waker *waker, bool blocking, sp_os_socket *conn,
                            sp_os_sockaddr *remote);
/* connect(2), waited for (never a timeout of its own: the OS's). Non-blocking: the in-progress
 * code (EINPROGRESS, WSAEWOULDBLOCK). */
int32_t sp_os_socket_connect(sp_os_socket s, sp_os_waker *waker, bool blocking, const sp_os_sockaddr *address);
/* Sends count bytes (to `to` unless NULL), all of them for a blocking socket (a datagram in one
 * call), with MSG_NOSIGNAL where it exists; `timeout_ms` (-1: none) bounds each wait and gives
 * the timed-out code (ETIMEDOUT, WSAETIMEDOUT). *sent: what went. */
int32_t sp_os_socket_send(sp_os_socket s, sp_os_waker *waker, bool blocking, int32_t timeout_ms, const void *buffer,
                          int32_t count, int32_t flags, const sp_os_sockaddr *to, int32_t *sent);
/* Receives up to count bytes (0 at the end of a stream), the sender's address into `from` unless
 * NULL; timeout as sp_os_socket_send. A datagram longer than count: POSIX returns its first count
 * bytes as a success (the rest is dropped); Windows returns WSAEMSGSIZE with the buffer filled,
 * *received = count and `from` written. `from` is written whenever *received is not 0. */
int32_t sp_os_socket_receive(sp_os_socket s, sp_os_waker *waker, bool blocking, int32_t timeout_ms, void *buffer,
                             int32_t count, int32_t flags, sp_os_sockaddr *from, int32_t *received);
/* shutdown(2) with a SocketShutdown (Receive 0, Send 1, Both 2). */
int32_t sp_os_socket_shutdown(sp_os_socket s, int32_t how);
/* Dispose with calls in progress, after the waker was signalled: wakes what blocks in the kernel
 * on s, for good (a call that has yet to start fails at once), as SafeSocketHandle.Unix's
 * TryUnblockSocket: POSIX disconnects s when `abortive` (a stream the user did not shut down) and
 * shuts it down both ways; Windows, where nothing blocks in the kernel, does nothing. Errors are
 * of no interest. */
void sp_os_socket_interrupt(sp_os_socket s, bool abortive);
/* Socket.Disconnect: SystemNative_Disconnect on Linux (connect(AF_UNSPEC), an abortive end for
 * TCP, falling back to shutdown both ways); shutdown both ways elsewhere. */
int32_t sp_os_socket_disconnect(sp_os_socket s);
/* What an existing OS socket is (a Socket made from a handle): .NET's family, type and protocol
 * (protocol 0 where the OS cannot say), and whether it is bound, connected, listening and blocking
 * (Windows cannot tell: blocking, and the seam makes it non-blocking underneath). A
 * handle that is no socket is the not-a-socket code (ENOTSOCK, WSAENOTSOCK). */
int32_t sp_os_socket_describe(sp_os_socket s, int32_t *family, int32_t *type, int32_t *protocol, bool *bound,
                              bool *connected, bool *listening, bool *blocking);

/* One socket of a Poll or Select: what it waits for (a SelectMode) and what came. */
typedef struct sp_os_poll_entry {
    sp_os_socket socket;
    sp_os_waker *waker; /* the socket's Dispose signals it; NULL for none */
    int32_t mode;       /* SelectMode: Read 0, Write 1, Error 2 */
    bool ready;         /* out: .NET's test of the events (Read: POLLIN|POLLHUP; Write: POLLOUT;
                           Error: POLLERR|POLLPRI) */
    bool woken;         /* out: the waker was signalled */
} sp_os_poll_entry;
/* Waits up to timeout_ms (-1: no limit) until an entry is ready or woken (one poll(2) / WSAPoll,
 * as SocketPal.Unix's SelectViaPoll); *ready_count: how many are ready. */
int32_t sp_os_socket_poll(sp_os_poll_entry *entries, int32_t count, int32_t timeout_ms, int32_t *ready_count);

/* getsockname / getpeername. */
int32_t sp_os_socket_local_address(sp_os_socket s, sp_os_sockaddr *address);
int32_t sp_os_socket_peer_address(sp_os_socket s, sp_os_sockaddr *address);
/* The bytes waiting to be read (FIONREAD). */
int32_t sp_os_socket_available(sp_os_socket s, int32_t *available);

/* Get/SetSocketOption with .NET's level and name, an integer value: mapped to this OS's option as
 * .NET's native layer maps it (POSIX: ReuseAddress and ExclusiveAddressUse write SO_REUSEADDR and
 * SO_REUSEPORT and read SO_REUSEPORT, the second inverted; DontFragment is IP_MTU_DISCOVER on
 * Linux; timeouts are milliseconds, 0 for none; Error is the SocketError). An option this OS does
 * not have is the no-such-option code (ENOPROTOOPT, WSAENOPROTOOPT). */
int32_t sp_os_socket_get_option(sp_os_socket s, int32_t level, int32_t name, int32_t *value);
int32_t sp_os_socket_set_option(sp_os_socket s, int32_t level, int32_t name, int32_t value);
/* The same with raw bytes (*length in: the buffer's size, out: the length written). */
int32_t sp_os_socket_get_option_bytes(sp_os_socket s, int32_t level, int32_t name, void *value, int32_t *length);
int32_t sp_os_socket_set_option_bytes(sp_os_socket s, int32_t level, int32_t name, const void *value, int32_t length);
/* SO_LINGER: enabled and seconds. */
int32_t sp_os_socket_get_linger(sp_os_socket s, bool *enabled, int32_t *seconds);
int32_t sp_os_socket_set_linger(sp_os_socket s, bool enabled, int32_t seconds);

/* ---------------------------------------------------------------- multicast, SendFile */

/* Joins (name 12, .NET's AddMembership) or leaves (13, DropMembership) the IPv4 group `group` (4
 * bytes, network order) on the interface of address `local` (NULL: INADDR_ANY) or index `ifindex`,
 * as .NET maps it (Linux ip_mreqn; other Unix ip_mreq, an index the no-such-option code; Windows
 * ip_mreq with the index in network order when there is no address). */
int32_t sp_os_socket_set_multicast(sp_os_socket s, int32_t name, const uint8_t group[4], const uint8_t *local,
                                   int32_t ifindex);
/* The same for an IPv6 group (16 bytes) on interface `ifindex` (ipv6_mreq). */
int32_t sp_os_socket_set_ipv6_multicast(sp_os_socket s, int32_t name, const uint8_t group[16], uint32_t ifindex);
/* The TransmitFileOptions bits this OS's SendFile takes: none on POSIX (as .NET on Unix), all on
 * Windows (TransmitFile's flags). */
int32_t sp_os_socket_send_file_options(void);
/* Socket.SendFile on a connected stream socket, waited for and timed as sp_os_socket_send (but
 * `waker` is given whichever the mode: Windows' TransmitFile goes on to the end even for a
 * non-blocking socket, as .NET's, and Dispose ends it):
 * pre_count bytes of `pre`, all of `file` (SP_OS_FILE_INVALID: none) from its start, then
 * post_count bytes of `post` (POSIX: send(2) and sendfile(2) on Linux, waiting in the kernel,
 * read(2) + send elsewhere, the socket non-blocking for the call; SIGPIPE held back in the calling
 * thread; Windows: one TransmitFile with `flags`). */
int32_t sp_os_socket_send_file(sp_os_socket s, sp_os_waker *waker, bool blocking, int32_t timeout_ms, sp_os_file file,
                               const void *pre, int32_t pre_count, const void *post, int32_t post_count, int32_t flags);

#endif
