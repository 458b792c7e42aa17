/* Helpers the POSIX files share. */
#ifndef SHARPIPC_UTIL_POSIX_H
#define SHARPIPC_UTIL_POSIX_H

#include "platform/platform.h"

#include <signal.h>
#include "sys_posix.h"

/* Polls fd for events up to milliseconds (-1: no limit), also waking on waker (may be NULL).
 * Returns 1 ready, 0 timed out, -1 error (errno), -2 woken. */
int sp_posix_poll_one(int fd, short events, int32_t milliseconds, sp_os_waker *waker);
/* The ms from now to deadline (sp_os_now_ms's clock; -1: none, stays -1), 0 once it has passed:
 * never negative for a deadline, since poll takes a negative timeout as no limit. */
int32_t sp_posix_remaining_ms(int64_t deadline);
int sp_posix_waker_fd(sp_os_waker *waker);
/* Whether waker (may be NULL) was signalled: no system call. */
bool sp_posix_waker_signalled(sp_os_waker *waker);

/* True unless path names a file in a directory that does not exist (ENOENT's two meanings). */
bool sp_posix_parent_directory_exists(const char *path);


/* Writes all count bytes to fd, over partial writes and EINTR: send(2) with send_flags when
 * send_flags >= 0, write(2) otherwise. Returns 0 or the errno. */
int32_t sp_posix_write_all(int fd, const void *buffer, int32_t count, int send_flags);

/* Blocks SIGPIPE in the calling thread around a write to a pipe (plain pipes have no MSG_NOSIGNAL);
 * unblock swallows the SIGPIPE that write raised (err == EPIPE) unless one was pending before, and
 * restores the thread's mask: the process's signal handling is never changed. */
typedef struct sp_posix_sigpipe_guard {
    sigset_t set, old;
    bool was_pending;
} sp_posix_sigpipe_guard;
void sp_posix_sigpipe_block(sp_posix_sigpipe_guard *g);
void sp_posix_sigpipe_unblock(sp_posix_sigpipe_guard *g, int32_t err);

/* .NET's SocketError for an errno (SocketErrorPal.Unix.cs); -1 (SocketError.SocketError) if none. */
int32_t sp_posix_socket_error(int err);

/* The two codes .NET's Unix PAL has beyond errno (pal_error_common.h: Error_EHOSTNOTFOUND 0x20001,
 * Error_ESOCKETERROR 0x20002), negated as ConvertErrorPalToPlatform gives them: what a
 * SocketException made from SocketError.HostNotFound or SocketError.SocketError carries as its
 * NativeErrorCode (-131073, -131074 in .NET 10 on Linux), with the texts "Name or service not
 * known" (gai_strerror(EAI_NONAME)) and "Unknown socket error". */
#define SP_POSIX_EHOSTNOTFOUND (-0x20001)
#define SP_POSIX_ESOCKETERROR (-0x20002)


/* A plain pipe (not a socket) carries this bit in its sp_os_pipe value, so that I/O on it can
 * avoid SIGPIPE without a syscall to ask what it is. */
#define SP_POSIX_FIFO_TAG ((intptr_t)1 << 30)
#define SP_POSIX_FD(pipe) ((int)((pipe) & (SP_POSIX_FIFO_TAG - 1)))
#define SP_POSIX_IS_FIFO(pipe) (((pipe)&SP_POSIX_FIFO_TAG) != 0)

/* The prefix of named synchronization objects in /dev/shm (sync_posix.c). Map names may not begin
 * with it (mmf_posix.c), so no map name reaches a Mutex's shared state. */
#define SP_POSIX_SYNC_PREFIX "sharpipc.sync."

/* How sp_posix_shm_open treats an existing name. */
typedef enum sp_shm_how { SP_SHM_CREATE_NEW, SP_SHM_CREATE_OR_OPEN, SP_SHM_OPEN } sp_shm_how;
/* Opens or creates the named shared-memory object shm_name ("/name", the file /dev/shm/name; see
 * shm_posix.c for the design), `size` bytes and mode 0600 when created, and registers this process
 * as a holder. A name no live process holds counts as missing. An object that is not a regular
 * file owned by the caller's euid, or that group or others may write, is EACCES (never followed
 * through a link, never trusted). Returns 0 (with *fd, *created, *existing_size), EEXIST for
 * CREATE_NEW on a live name, ENOENT for OPEN of a missing one, ENOTSUP where there is no /dev/shm,
 * or another errno. */
int32_t sp_posix_shm_open(const char *shm_name, int64_t size, sp_shm_how how, bool writable, int *fd, bool *created,
                          int64_t *existing_size);
/* As sp_posix_shm_open; when an object is made, init(fd, state) runs before it has its name, so
 * openers never see it half made. A non-zero errno from init removes the new object and is
 * returned. init may run and the object still not be this caller's (*created false: another
 * process named its own object first, which is then opened); the caller undoes what init did. */
int32_t sp_posix_shm_open_init(const char *shm_name, int64_t size, sp_shm_how how, bool writable, int *fd,
                               bool *created, int64_t *existing_size, int32_t (*init)(int fd, void *state),
                               void *state);
/* Closes fd; the last holder also removes the name. */
void sp_posix_shm_release(int fd, const char *shm_name);

#endif
