/* Helpers the POSIX files share. */
#ifndef SHARPIPC_POSIX_UTIL_H
#define SHARPIPC_POSIX_UTIL_H

#include "platform.h"

/* Polls fd for events up to milliseconds (-1: no limit), also waking on waker (may be NULL).
 * Returns 1 ready, 0 timed out, -1 error (errno), -2 woken. */
int sp_posix_poll_one(int fd, short events, int32_t milliseconds, sp_os_waker *waker);
int sp_posix_waker_fd(sp_os_waker *waker);


/* .NET's SocketError for an errno (SocketErrorPal.Unix.cs); -1 (SocketError.SocketError) if none. */
int32_t sp_posix_socket_error(int err);
/* Raises a SocketException for errno err, as .NET's (message strerror, then the endpoint if any). */
void sp_posix_throw_socket_error(int err, const char *endpoint);

/* A plain pipe (not a socket) carries this bit in its sp_os_pipe value, so that I/O on it can
 * avoid SIGPIPE without a syscall to ask what it is. */
#define SP_POSIX_FIFO_TAG ((intptr_t)1 << 30)
#define SP_POSIX_FD(pipe) ((int)((pipe) & (SP_POSIX_FIFO_TAG - 1)))
#define SP_POSIX_IS_FIFO(pipe) (((pipe) & SP_POSIX_FIFO_TAG) != 0)

#endif
