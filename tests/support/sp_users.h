/*
 * Test support (Linux, as root): another local user, and a private /dev/shm.
 *
 * The security tests play a hostile second user against the library. They run as root on CI, so
 * the "other user" is `nobody` (65534, present on every Debian/Ubuntu image): a forked process
 * that drops to it with setgroups/setgid/setuid. What they plant in /dev/shm (links, lock holders,
 * world-writable objects) must not reach other test runs or other engineers' processes, so each
 * scenario runs in a forked child that has its own mount namespace (unshare(CLONE_NEWNS)) with a
 * fresh tmpfs on /dev/shm, as `unshare -m` + `mount -t tmpfs` would do.
 *
 * Nothing here uses cmocka: a forked child must never fail a cmocka assertion (it would go on
 * running the rest of the suite). Scenarios return an exit code (0: as expected), and the test in
 * the parent asserts on it.
 *
 * A test file that includes this defines _GNU_SOURCE before its first include.
 */
#ifndef SP_USERS_H
#define SP_USERS_H

#ifdef __linux__

#  include <errno.h>
#  include <fcntl.h>
#  include <grp.h>
#  include <sched.h>
#  include <signal.h>
#  include <stdbool.h>
#  include <stdio.h>
#  include <sys/mount.h>
#  include <sys/types.h>
#  include <sys/wait.h>
#  include <time.h>
#  include <unistd.h>

#  define SP_OTHER_UID 65534      /* nobody */
#  define SP_OTHER_GID 65534      /* nogroup */
#  define SP_USERS_UNAVAILABLE 77 /* the scenario could not be set up here */

/* Why the scenarios cannot run here (NULL: they can). */
static inline const char *sp_users_unavailable(void)
{
    if (geteuid() != 0)
        return "not root: no second user and no private /dev/shm";
    pid_t pid = fork();
    if (pid == 0) {
        bool ok = unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
                  mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") == 0;
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return "no mount namespace (unshare(CLONE_NEWNS) or the tmpfs mount failed)";
    return NULL;
}

/* In a child: makes /dev/shm a fresh, private tmpfs (1777 root, as the real one). */
static inline bool sp_private_shm_enter(void)
{
    return unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
           mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") == 0;
}

/* Runs scenario(arg) in a forked child with a private /dev/shm; its exit code (-1: it crashed or
 * timed out, SP_USERS_UNAVAILABLE: the namespace could not be made). */
static inline int sp_private_shm_run(int (*scenario)(void *), void *arg, int timeout_ms)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        alarm((unsigned)(timeout_ms / 1000 + 1)); /* a hang is a failure, not a stuck suite */
        _exit(sp_private_shm_enter() ? scenario(arg) : SP_USERS_UNAVAILABLE);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Drops the calling (forked) process to the other user for good. */
static inline bool sp_become_other_user(void)
{
    return setgroups(0, NULL) == 0 && setgid(SP_OTHER_GID) == 0 && setuid(SP_OTHER_UID) == 0 && geteuid() != 0;
}

/* Starts fn(arg) as the other user in a forked process; its pid. The other user signals that it
 * is ready by writing a byte to *ready_fd's pipe (read it with sp_other_user_wait_ready). */
typedef struct sp_other_user {
    pid_t pid;
    int ready; /* read end: one byte once fn says it is ready */
} sp_other_user;

static inline bool sp_other_user_start(sp_other_user *u, int (*fn)(int ready_fd, void *arg), void *arg)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        close(fds[0]);
        _exit(sp_become_other_user() ? fn(fds[1], arg) : 90);
    }
    close(fds[1]);
    u->pid = pid;
    u->ready = fds[0];
    return true;
}

static inline void sp_other_user_ready(int ready_fd)
{
    char c = 1;
    ssize_t r = write(ready_fd, &c, 1);
    (void)r;
}

/* Waits until the other user is ready; false if it ended first. */
static inline bool sp_other_user_wait_ready(sp_other_user *u)
{
    char c;
    ssize_t r;
    do
        r = read(u->ready, &c, 1);
    while (r < 0 && errno == EINTR);
    return r == 1;
}

/* Waits for the other user to end; its exit code (-1: killed or crashed). */
static inline int sp_other_user_wait(sp_other_user *u)
{
    int status = 0;
    while (waitpid(u->pid, &status, 0) < 0 && errno == EINTR) {
    }
    close(u->ready);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static inline void sp_other_user_kill(sp_other_user *u)
{
    kill(u->pid, SIGKILL);
    sp_other_user_wait(u);
}

/* Runs fn(arg) as the other user and waits for it; its exit code. */
static inline int sp_as_other_user(int (*fn)(int ready_fd, void *arg), void *arg)
{
    sp_other_user u;
    if (!sp_other_user_start(&u, fn, arg))
        return -1;
    return sp_other_user_wait(&u);
}

#endif /* __linux__ */

#endif
