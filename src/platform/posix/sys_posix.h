/*
 * The OS calls of the POSIX seam files, as SQLite's aSyscall table in os_unix.c: the seam writes
 * SP_SYS(read)(fd, buf, n) for read(fd, buf, n). Built with SHARPIPC_FAULT_INJECTION, SP_SYS(f) is
 * sp_sys.f, a wrapper that lets a test fail the call, shorten it or interrupt it
 * (platform/platform_fault.h) before calling the function in the table's slot (the OS's own, or
 * one a test set with sp_fault_set_syscall); without it SP_SYS(f) is f, the direct call.
 *
 * To add an OS function: add a line to SP_POSIX_SYSCALLS (X for a call that fails with -1 or
 * another value and errno, XIO for a call whose `count` bytes a short rule may lower, XE for a
 * call that returns its error number), with an adapter in sys_posix.c if the function is variadic,
 * and write SP_SYS(name)(...) at the call sites.
 */
#ifndef SHARPIPC_SYS_POSIX_H
#define SHARPIPC_SYS_POSIX_H

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <pwd.h>
#include <stdio.h> /* renameat */

#ifdef __linux__
#  include <sys/sendfile.h>
#  include "../linux/futex_linux.h"
/* X(return type, name, (parameters), (arguments), value on failure, the OS's function) */
#  define SP_POSIX_SYSCALLS_LINUX(X, XIO, XE)                                                                          \
    X(int, memfd_create, (const char *name, unsigned int flags), (name, flags), -1, memfd_create)                      \
    XE(int, sp_linux_futex_wait,                                                                                       \
       (_Atomic uint32_t *word, uint32_t expected, const struct timespec *deadline, bool is_private),                  \
       (word, expected, deadline, is_private), 0, sp_linux_futex_wait)                                                 \
    XE(int, sp_linux_futex_wait_any, (const sp_linux_futex_word *words, int32_t n, const struct timespec *deadline),   \
       (words, n, deadline), 0, sp_linux_futex_wait_any)                                                               \
    XIO(ssize_t, sendfile, (int out_fd, int in_fd, off_t *offset, size_t count), (out_fd, in_fd, offset, count), -1,   \
        sendfile)
#else
#  define SP_POSIX_SYSCALLS_LINUX(X, XIO, XE)
#endif

/* pipe2 (O_CLOEXEC at creation): Linux, the BSDs, illumos; macOS lacks it. */
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) ||                       \
    defined(__DragonFly__) || defined(__sun)
#  define SP_POSIX_HAVE_PIPE2 1
#  define SP_POSIX_SYSCALL_PIPE2(X) X(int, pipe2, (int fds[2], int flags), (fds, flags), -1, pipe2)
#else
#  define SP_POSIX_SYSCALL_PIPE2(X)
#endif
/* pipes (pipe_posix.c): the socket calls of named pipes, pipe2 for anonymous ones, and the file calls
 * around a pipe's name. accept4 and pipe2 (and SOCK_CLOEXEC) where they exist (pipe2's row is
 * SP_POSIX_SYSCALL_PIPE2 above, shared with the waker), accept and pipe elsewhere; getpeereid where
 * SO_PEERCRED is missing. The socket calls have adapters in
 * sys_posix.c: glibc declares their address parameter as a transparent union under _GNU_SOURCE. */
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || defined(__DragonFly__)
#  define SP_HAVE_ACCEPT4_PIPE2 1
#  define SP_POSIX_SYSCALLS_ACCEPT4_PIPE2(X, XIO, XE)                                                                  \
    X(int, accept4, (int fd, struct sockaddr *addr, socklen_t *len, int flags), (fd, addr, len, flags), -1,            \
      sp_posix_accept4)
#else
#  define SP_POSIX_SYSCALLS_ACCEPT4_PIPE2(X, XIO, XE)                                                                  \
    X(int, accept, (int fd, struct sockaddr *addr, socklen_t *len), (fd, addr, len), -1, sp_posix_accept)
#endif
#if defined(SO_PEERCRED)
#  define SP_POSIX_SYSCALLS_PEER(X, XIO, XE)
#else
#  define SP_POSIX_SYSCALLS_PEER(X, XIO, XE)                                                                           \
    X(int, getpeereid, (int fd, uid_t *uid, gid_t *gid), (fd, uid, gid), -1, getpeereid)
#endif
/* (openat, fstatat, linkat and unlinkat, which the pipes use too, are rows of the named objects' block) */
#define SP_POSIX_SYSCALLS_PIPES(X, XIO, XE)                                                                            \
  X(int, socket, (int domain, int type, int protocol), (domain, type, protocol), -1, socket)                           \
  X(int, bind, (int fd, const struct sockaddr *addr, socklen_t len), (fd, addr, len), -1, sp_posix_bind)               \
  X(int, listen, (int fd, int backlog), (fd, backlog), -1, listen)                                                     \
  X(int, connect, (int fd, const struct sockaddr *addr, socklen_t len), (fd, addr, len), -1, sp_posix_connect)         \
  X(int, shutdown, (int fd, int how), (fd, how), -1, shutdown)                                                         \
  X(int, getsockopt, (int fd, int level, int name, void *value, socklen_t *len), (fd, level, name, value, len), -1,    \
    getsockopt)                                                                                                        \
  X(int, setsockopt, (int fd, int level, int name, const void *value, socklen_t len), (fd, level, name, value, len),   \
    -1, setsockopt)                                                                                                    \
  X(int, lstat, (const char *path, struct stat *st), (path, st), -1, lstat)                                            \
  X(int, chmod, (const char *path, mode_t mode), (path, mode), -1, chmod)                                              \
  X(char *, mkdtemp, (char *path), (path), NULL, mkdtemp)                                                              \
  X(int, fchmodat, (int dirfd, const char *path, mode_t mode, int flags), (dirfd, path, mode, flags), -1, fchmodat)    \
  X(int, renameat, (int olddir, const char *oldpath, int newdir, const char *newpath),                                 \
    (olddir, oldpath, newdir, newpath), -1, renameat)                                                                  \
  X(int, gethostname, (char *name, size_t size), (name, size), -1, gethostname)                                        \
  X(int, seteuid, (uid_t uid), (uid), -1, seteuid)                                                                     \
  XE(int, getpwuid_r, (uid_t uid, struct passwd * pw, char *buf, size_t size, struct passwd **found),                  \
     (uid, pw, buf, size, found), 0, getpwuid_r)                                                                       \
  SP_POSIX_SYSCALLS_ACCEPT4_PIPE2(X, XIO, XE)                                                                          \
  SP_POSIX_SYSCALLS_PEER(X, XIO, XE)

/* sockets (socket_posix.c): the calls System.Net.Sockets adds to the pipes' socket calls above.
 * recvfrom, sendto, getsockname and getpeername have adapters in sys_posix.c (glibc's transparent
 * union address parameter, as bind and connect); ioctl one for its variadic form. */
#define SP_POSIX_SYSCALLS_SOCKETS(X, XIO, XE)                                                                          \
  XIO(ssize_t, recvfrom, (int fd, void *buf, size_t count, int flags, struct sockaddr *addr, socklen_t *len),          \
      (fd, buf, count, flags, addr, len), -1, sp_posix_recvfrom)                                                       \
  XIO(ssize_t, sendto, (int fd, const void *buf, size_t count, int flags, const struct sockaddr *addr, socklen_t len), \
      (fd, buf, count, flags, addr, len), -1, sp_posix_sendto)                                                         \
  X(int, getsockname, (int fd, struct sockaddr *addr, socklen_t *len), (fd, addr, len), -1, sp_posix_getsockname)      \
  X(int, getpeername, (int fd, struct sockaddr *addr, socklen_t *len), (fd, addr, len), -1, sp_posix_getpeername)      \
  X(int, ioctl, (int fd, unsigned long request, void *arg), (fd, request, arg), -1, sp_posix_ioctl3)                   \
  SP_POSIX_SYSCALLS_DNS(X, XIO, XE)

/* name resolution (dns_posix.c): both return their EAI_* code, which a rule gives back as it is */
#define SP_POSIX_SYSCALLS_DNS(X, XIO, XE)                                                                              \
  XE(int, getaddrinfo, (const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res),   \
     (node, service, hints, res), 0, getaddrinfo)                                                                      \
  XE(int, getnameinfo,                                                                                                 \
     (const struct sockaddr *addr, socklen_t len, char *host, socklen_t hostlen, char *serv, socklen_t servlen,        \
      int flags),                                                                                                      \
     (addr, len, host, hostlen, serv, servlen, flags), 0, getnameinfo)

#define SP_POSIX_SYSCALLS(X, XIO, XE)                                                                                  \
  X(int, open, (const char *path, int flags, mode_t mode), (path, flags, mode), -1, sp_posix_open3)                    \
  X(int, openat, (int dir, const char *path, int flags, mode_t mode), (dir, path, flags, mode), -1, sp_posix_openat4)  \
  X(int, fstatat, (int dir, const char *path, struct stat *st, int flags), (dir, path, st, flags), -1, fstatat)        \
  X(int, linkat, (int from_dir, const char *from, int to_dir, const char *to, int flags),                              \
    (from_dir, from, to_dir, to, flags), -1, linkat)                                                                   \
  X(int, unlinkat, (int dir, const char *path, int flags), (dir, path, flags), -1, unlinkat)                           \
  X(int, close, (int fd), (fd), -1, close)                                                                             \
  XIO(ssize_t, read, (int fd, void *buf, size_t count), (fd, buf, count), -1, read)                                    \
  XIO(ssize_t, write, (int fd, const void *buf, size_t count), (fd, buf, count), -1, write)                            \
  XIO(ssize_t, send, (int fd, const void *buf, size_t count, int flags), (fd, buf, count, flags), -1, send)            \
  X(off_t, lseek, (int fd, off_t offset, int whence), (fd, offset, whence), -1, lseek)                                 \
  X(int, fstat, (int fd, struct stat *st), (fd, st), -1, fstat)                                                        \
  X(int, stat, (const char *path, struct stat *st), (path, st), -1, stat)                                              \
  X(int, unlink, (const char *path), (path), -1, unlink)                                                               \
  X(int, ftruncate, (int fd, off_t length), (fd, length), -1, ftruncate)                                               \
  X(int, fsync, (int fd), (fd), -1, fsync)                                                                             \
  X(int, flock, (int fd, int operation), (fd, operation), -1, flock)                                                   \
  X(int, fcntl, (int fd, int cmd, int arg), (fd, cmd, arg), -1, sp_posix_fcntl3)                                       \
  X(int, fchmod, (int fd, mode_t mode), (fd, mode), -1, fchmod)                                                        \
  X(int, access, (const char *path, int mode), (path, mode), -1, access)                                               \
  X(char *, getcwd, (char *buf, size_t size), (buf, size), NULL, getcwd)                                               \
  X(int, shm_open, (const char *name, int flags, mode_t mode), (name, flags, mode), -1, shm_open)                      \
  X(int, shm_unlink, (const char *name), (name), -1, shm_unlink)                                                       \
  X(void *, mmap, (void *addr, size_t length, int prot, int flags, int fd, off_t offset),                              \
    (addr, length, prot, flags, fd, offset), MAP_FAILED, mmap)                                                         \
  X(int, munmap, (void *addr, size_t length), (addr, length), -1, munmap)                                              \
  X(int, msync, (void *addr, size_t length, int flags), (addr, length, flags), -1, msync)                              \
  X(int, madvise, (void *addr, size_t length, int advice), (addr, length, advice), -1, madvise)                        \
  X(int, pipe, (int fds[2]), (fds), -1, pipe)                                                                          \
  SP_POSIX_SYSCALL_PIPE2(X)                                                                                            \
  X(int, poll, (struct pollfd * fds, nfds_t nfds, int timeout), (fds, nfds, timeout), -1, poll)                        \
  X(int, clock_gettime, (clockid_t clock, struct timespec * ts), (clock, ts), -1, clock_gettime)                       \
  SP_POSIX_SYSCALLS_LINUX(X, XIO, XE)                                                                                  \
  SP_POSIX_SYSCALLS_PIPES(X, XIO, XE)                                                                                  \
  SP_POSIX_SYSCALLS_SOCKETS(X, XIO, XE)

#ifdef SHARPIPC_FAULT_INJECTION

#  define SP_SYS_FIELD_(ret, name, params, args, fail, orig) ret(*name) params;
typedef struct sp_posix_syscalls {
    SP_POSIX_SYSCALLS(SP_SYS_FIELD_, SP_SYS_FIELD_, SP_SYS_FIELD_)
} sp_posix_syscalls;
#  undef SP_SYS_FIELD_

/* The wrappers the seam calls. */
extern const sp_posix_syscalls sp_sys;
#  define SP_SYS(name) (sp_sys.name)

#else

#  define SP_SYS(name) name

#endif

#endif
