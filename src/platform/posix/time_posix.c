/* Clocks and wakers on POSIX: a waker is a self-pipe, so a wait can poll it beside a socket. */
#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "util_posix.h"

int64_t sp_os_now_ms(void)
{
    struct timespec ts;
    SP_SYS(clock_gettime)(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sp_os_waker {
    int fds[2];
    /* set before the pipe is written: a call that blocked in the kernel (woken by a shutdown, not
     * by the pipe) asks whether it was Dispose that ended it without a system call */
    atomic_bool signalled;
};

int32_t sp_os_waker_new(sp_os_waker **waker)
{
    sp_os_waker *w = malloc(sizeof *w);
    if (!w)
        return ENOMEM;
#ifdef SP_POSIX_HAVE_PIPE2
    /* close-on-exec from the start: a fork+exec on another thread never inherits the pipe */
    int r = SP_SYS(pipe2)(w->fds, O_CLOEXEC | O_NONBLOCK);
#else
    int r = SP_SYS(pipe)(w->fds); /* macOS has no pipe2: the flags follow at once */
#endif
    if (r != 0) {
        int err = errno;
        free(w);
        return err;
    }
#ifndef SP_POSIX_HAVE_PIPE2
    for (int i = 0; i < 2; i++) {
        SP_SYS(fcntl)(w->fds[i], F_SETFD, FD_CLOEXEC);
        SP_SYS(fcntl)(w->fds[i], F_SETFL, O_NONBLOCK);
    }
#endif
    atomic_init(&w->signalled, false);
    *waker = w;
    return 0;
}

void sp_os_waker_signal(sp_os_waker *w)
{
    atomic_store(&w->signalled, true);
    char c = 1;
    ssize_t r = SP_SYS(write)(w->fds[1], &c, 1); /* a full pipe is signalled already */
    (void)r;
}

int sp_posix_waker_fd(sp_os_waker *w) { return w->fds[0]; }

bool sp_posix_waker_signalled(sp_os_waker *w) { return w && atomic_load(&w->signalled); }

bool sp_os_waker_sleep(sp_os_waker *w, int32_t milliseconds)
{
    return sp_posix_poll_one(w->fds[0], POLLIN, milliseconds, NULL) > 0;
}

void sp_os_waker_free(sp_os_waker *w)
{
    if (!w)
        return;
    SP_SYS(close)(w->fds[0]);
    SP_SYS(close)(w->fds[1]);
    free(w);
}

/* The clock is read once: read twice (once for the sign, once for the value), a thread descheduled
 * between the two reads got a negative wait, which poll takes as "for ever" (seen under valgrind
 * on a loaded machine: a 1 ms sleep in Connect's back-off blocked for good, in poll(..., -7)). */
int32_t sp_posix_remaining_ms(int64_t deadline)
{
    if (deadline < 0)
        return -1;
    int64_t left = deadline - sp_os_now_ms();
    return left > 0 ? (int32_t)(left > INT32_MAX ? INT32_MAX : left) : 0;
}

int sp_posix_poll_one(int fd, short events, int32_t milliseconds, sp_os_waker *waker)
{
    struct pollfd p[2] = {{fd, events, 0}, {waker ? waker->fds[0] : -1, POLLIN, 0}};
    int64_t deadline = milliseconds < 0 ? -1 : sp_os_now_ms() + milliseconds;
    for (;;) {
        int wait = sp_posix_remaining_ms(deadline);
        int r = SP_SYS(poll)(p, waker ? 2 : 1, wait);
        if (r < 0 && errno == EINTR) {
            if (deadline >= 0 && wait == 0)
                return 0; /* interrupted at the deadline: timed out, never a spin */
            continue;
        }
        if (r <= 0)
            return r; /* 0: timed out */
        if (waker && p[1].revents)
            return -2;
        return 1;
    }
}
