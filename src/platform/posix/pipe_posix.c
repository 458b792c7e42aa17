/*
 * Named and anonymous pipes on POSIX, as .NET builds them on Unix: a named pipe is a Unix domain
 * stream socket at $TMPDIR/CoreFxPipe_<name>; the server instances of one name in a process
 * share one listening socket. Every function returns 0 or an errno (platform.h); the .NET
 * exceptions and their texts are src/System.IO.Pipes' business.
 *
 * Not everything here is POSIX.1-2008: SOCK_CLOEXEC, accept4 and pipe2 are Linux and BSD
 * extensions (accept4 and pipe2 are in POSIX.1-2024), used where they exist, with socket/accept/
 * pipe and fcntl(FD_CLOEXEC) elsewhere; SO_PEERCRED and F_GETPIPE_SZ/F_SETPIPE_SZ are Linux-only
 * (getpeereid and PIPE_BUF elsewhere); MSG_NOSIGNAL (in sp_posix_write_all's callers) is Linux
 * and BSD, not macOS.
 *
 * Every OS call goes through SP_SYS (sys_posix.h), so that the fault tests can fail, interrupt
 * or shorten it; without SHARPIPC_FAULT_INJECTION that is the direct call. (The signal-mask calls
 * of write_fifo and geteuid, which do not fail, are called directly.)
 */
#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util_posix.h"

/* SP_HAVE_ACCEPT4_PIPE2 comes from sys_posix.h, beside the table rows it selects. */

/* ---------------------------------------------------------------- close-on-exec descriptors */

#if !defined(SOCK_CLOEXEC) || !defined(O_CLOEXEC) || !defined(SP_HAVE_ACCEPT4_PIPE2)
static int set_cloexec(int fd)
{
    if (fd >= 0 && SP_SYS(fcntl)(fd, F_SETFD, FD_CLOEXEC) != 0) {
        int err = errno;
        SP_SYS(close)(fd);
        errno = err;
        return -1;
    }
    return fd;
}
#endif

static int socket_cloexec(void)
{
#ifdef SOCK_CLOEXEC
    return SP_SYS(socket)(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
#else
    return set_cloexec(SP_SYS(socket)(AF_UNIX, SOCK_STREAM, 0));
#endif
}

static int accept_cloexec(int listener)
{
#if defined(SP_HAVE_ACCEPT4_PIPE2) && defined(SOCK_CLOEXEC)
    return SP_SYS(accept4)(listener, NULL, NULL, SOCK_CLOEXEC);
#else
    /* Here accept(2) gives the connection the listener's O_NONBLOCK (BSD and macOS do; Linux's
     * accept4 does not, as SystemNative_Accept notes): cleared, since every pipe call blocks. */
    int fd = set_cloexec(SP_SYS(accept)(listener, NULL, NULL));
    int fl = fd >= 0 ? SP_SYS(fcntl)(fd, F_GETFL, 0) : -1;
    if (fl >= 0 && (fl & O_NONBLOCK) && SP_SYS(fcntl)(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        int err = errno;
        SP_SYS(close)(fd);
        errno = err;
        return -1;
    }
    return fd;
#endif
}

static int pipe_cloexec(int fds[2])
{
#if defined(SP_HAVE_ACCEPT4_PIPE2) && defined(O_CLOEXEC)
    return SP_SYS(pipe2)(fds, O_CLOEXEC);
#else
    if (SP_SYS(pipe)(fds) != 0)
        return -1;
    if (set_cloexec(fds[0]) < 0) {
        SP_SYS(close)(fds[1]);
        return -1;
    }
    if (set_cloexec(fds[1]) < 0) {
        SP_SYS(close)(fds[0]);
        return -1;
    }
    return 0;
#endif
}

/* ---------------------------------------------------------------- errors */

sp_os_error_kind sp_os_pipe_error_kind(int32_t code)
{
    switch (code) {
    case EADDRINUSE:
    case EAGAIN: return SP_ERR_BUSY; /* EAGAIN: a listener's backlog is full */
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return SP_ERR_BUSY;
#endif
    case EPIPE: return SP_ERR_BROKEN;
    case ENOENT:
    case ECONNREFUSED:
    case EADDRNOTAVAIL: return SP_ERR_NOT_FOUND;
    case ENOTDIR: return SP_ERR_PATH_NOT_FOUND;
    case EACCES:
    case EPERM: return SP_ERR_ACCESS_DENIED;
    case ENAMETOOLONG: return SP_ERR_TOO_LONG;
    case ECANCELED: return SP_ERR_CANCELLED;
    case ENOTSUP: return SP_ERR_NOT_SUPPORTED;
#if EOPNOTSUPP != ENOTSUP
    case EOPNOTSUPP: return SP_ERR_NOT_SUPPORTED;
#endif
    case EEXIST: return SP_ERR_ALREADY_EXISTS;
    case ENOMEM: return SP_ERR_NO_MEMORY;
    default: return SP_ERR_OTHER;
    }
}

bool sp_os_pipe_is_socket(void) { return true; }

/* ---------------------------------------------------------------- names */

static char temp_prefix[PATH_MAX];
static pthread_once_t temp_prefix_once = PTHREAD_ONCE_INIT;

/* Path.GetTempPath() + "CoreFxPipe_", fixed at first use as .NET fixes it. */
static void compute_temp_prefix(void)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp/";
    size_t n = strlen(tmp);
    snprintf(temp_prefix, sizeof temp_prefix, "%s%sCoreFxPipe_", tmp, tmp[n - 1] == '/' ? "" : "/");
}

bool sp_os_pipe_remote_supported(void) { return false; }

bool sp_os_pipe_server_is_local(const char *server)
{
    if (strcmp(server, ".") == 0)
        return true;
    char host[256];
    return SP_SYS(gethostname)(host, sizeof host) == 0 && strcmp(server, host) == 0;
}

bool sp_os_pipe_names_are_paths(void) { return true; }

size_t sp_os_pipe_full_path(const char *serverName, const char *pipeName, char *buf, size_t size)
{
    (void)serverName; /* only this machine's pipes exist here */
    if (pipeName[0] == '/')
        return (size_t)snprintf(buf, size, "%s", pipeName);
    pthread_once(&temp_prefix_once, compute_temp_prefix);
    return (size_t)snprintf(buf, size, "%s%s", temp_prefix, pipeName);
}

size_t sp_os_pipe_max_path_length(void)
{
    struct sockaddr_un addr;
    return sizeof addr.sun_path;
}

bool sp_os_pipe_supports_message_mode(void) { return false; }

/* Fills addr for path: ENAMETOOLONG when it does not fit (portable code checked it already). */
static int32_t make_address(const char *path, struct sockaddr_un *addr)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (strlen(path) + 1 > sizeof addr->sun_path)
        return ENAMETOOLONG;
    memcpy(addr->sun_path, path, strlen(path) + 1);
    return 0;
}

static uid_t peer_uid(int fd, int *err)
{
#if defined(SO_PEERCRED)
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (SP_SYS(getsockopt)(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        *err = errno;
        return (uid_t)-1;
    }
    *err = 0;
    return cred.uid;
#else
    uid_t uid;
    gid_t gid;
    if (SP_SYS(getpeereid)(fd, &uid, &gid) != 0) {
        *err = errno;
        return (uid_t)-1;
    }
    *err = 0;
    return uid;
#endif
}

/* .NET's ConfigureSocket: buffer sizes, inheritance, and the unused direction shut down. Its
 * failures are .NET's too (the Socket setters and Shutdown throw): the errno. */
static int32_t configure(int fd, const sp_pipe_config *config, bool with_buffers)
{
    if (with_buffers && config->in_buffer_size > 0 &&
        SP_SYS(setsockopt)(fd, SOL_SOCKET, SO_RCVBUF, &config->in_buffer_size, sizeof(int)) != 0)
        return errno;
    if (with_buffers && config->out_buffer_size > 0 &&
        SP_SYS(setsockopt)(fd, SOL_SOCKET, SO_SNDBUF, &config->out_buffer_size, sizeof(int)) != 0)
        return errno;
    if (config->inheritability == HandleInheritability_Inheritable && SP_SYS(fcntl)(fd, F_SETFD, 0) != 0)
        return errno;
    int how = config->direction == PipeDirection_In ? SHUT_WR : config->direction == PipeDirection_Out ? SHUT_RD : -1;
    /* ENOTCONN: the peer has already gone, which the first read or write reports */
    if (how >= 0 && SP_SYS(shutdown)(fd, how) != 0 && errno != ENOTCONN)
        return errno;
    return 0;
}

/* Sets O_NONBLOCK on or off. */
static int32_t set_nonblocking(int fd, bool on)
{
    int flags = SP_SYS(fcntl)(fd, F_GETFL, 0);
    if (flags < 0)
        return errno;
    flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    return SP_SYS(fcntl)(fd, F_SETFL, flags) != 0 ? errno : 0;
}

/* connect() that waits at most wait_ms (-1: no limit): a blocking connect to a listener with a
 * full backlog would wait for ever (Linux), so the socket is non-blocking while it connects: a full
 * backlog is EAGAIN at once (Linux) or EINPROGRESS and a wait for POLLOUT (elsewhere), and a wait
 * that runs out is EAGAIN too (busy: the caller may retry). The socket is blocking again after. */
static int32_t connect_within(int fd, const struct sockaddr_un *addr, int32_t wait_ms)
{
    int32_t err = set_nonblocking(fd, true);
    if (err)
        return err;
    int r;
    do
        r = SP_SYS(connect)(fd, (const struct sockaddr *)addr, sizeof *addr);
    while (r != 0 && errno == EINTR);
    err = r == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
        int ready = sp_posix_poll_one(fd, POLLOUT, wait_ms, NULL);
        if (ready < 0) {
            err = errno;
        } else if (ready == 0) {
            err = EAGAIN;
        } else {
            int so_error = 0;
            socklen_t len = sizeof so_error;
            err = SP_SYS(getsockopt)(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 ? errno : so_error;
        }
    }
#if EWOULDBLOCK != EAGAIN
    if (err == EWOULDBLOCK)
        err = EAGAIN;
#endif
    if (!err)
        err = set_nonblocking(fd, false);
    return err;
}

/* ---------------------------------------------------------------- the shared listener */

typedef struct shared_server {
    struct shared_server *next;
    char *path;
    char *lock_path;
    int fd;
    int lock_fd; /* the name's lock, held while the listener lives (see take_name) */
    dev_t dev;
    ino_t ino;
    int32_t count;
    int32_t max;
    bool current_user_only; /* the socket file is 0600 */
} shared_server;

struct sp_os_pipe_server {
    shared_server *shared;
    sp_pipe_config config;
};

static pthread_mutex_t servers_lock = PTHREAD_MUTEX_INITIALIZER;
static shared_server *servers;

/*
 * Taking a name, across processes.
 *
 * Several processes may start a server of one name at once over a stale socket file (its server
 * died). Checking the file, removing it and binding are separate steps: done bare, two processes
 * both find the file stale, and the later one removes the earlier one's live socket, which then
 * never sees a client. So the name is taken under an exclusive flock on a lock file beside the
 * socket (".<socket name>.lock", which no pipe name of the same directory produces: those all
 * start with "CoreFxPipe_"), held for as long as the listener lives:
 *  - a second sharpipc server learns that the name is live from flock(LOCK_NB) alone; it never
 *    connects to the live server, whose WaitForConnection would return that probe as a client
 *    nobody made;
 *  - only the holder looks at, removes or replaces the socket file, so the stale check and the
 *    removal never interleave with another sharpipc process's;
 *  - a lock goes with its process, so a server that crashed leaves nothing that blocks the name.
 * Why not link() alone: link(tmp, path) failing with EEXIST tells that something is at the path,
 * not whether it is live, so telling a live socket from a stale one would still need a probe.
 * A .NET server takes no lock (it removes whatever is at the path and binds), so a socket found
 * under the lock is probed once, without blocking: only a .NET server can receive that probe.
 *
 * The lock file is opened with O_NOFOLLOW (never through a link), must be a regular file, and
 * after flock its name must still be the file locked: the holder unlinks it before it lets go,
 * and a process that opened it just before must not believe it holds the name.
 */
static int32_t take_name(const char *lock_path, int *lock_fd)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = SP_SYS(open)(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            return errno == ELOOP ? EEXIST : errno;
        struct stat held, named;
        int32_t err = 0;
        if (SP_SYS(fstat)(fd, &held) != 0)
            err = errno;
        else if (!S_ISREG(held.st_mode))
            err = EEXIST;
        else if (SP_SYS(flock)(fd, LOCK_EX | LOCK_NB) != 0)
            err = errno == EWOULDBLOCK || errno == EAGAIN ? EADDRINUSE : errno;
        if (err) {
            SP_SYS(close)(fd);
            return err;
        }
        if (SP_SYS(lstat)(lock_path, &named) == 0 && named.st_dev == held.st_dev && named.st_ino == held.st_ino) {
            *lock_fd = fd;
            return 0;
        }
        SP_SYS(close)(fd); /* its holder let go and unlinked it meanwhile: take the new one */
    }
    return EADDRINUSE;
}

/* Lets go of a name: the lock file goes first, while it is still held. */
static void give_name(const char *lock_path, int lock_fd)
{
    SP_SYS(unlink)(lock_path);
    SP_SYS(close)(lock_fd);
}

/* Is a (non-sharpipc) server listening at addr? Never blocks: a full backlog is alive too. */
static bool someone_listens(const struct sockaddr_un *addr)
{
    int probe = socket_cloexec();
    if (probe < 0)
        return false;
    int32_t err = connect_within(probe, addr, 0);
    SP_SYS(close)(probe);
    return err == 0 || err == EAGAIN || err == EINPROGRESS;
}

/* dir and base of path (dir "." when there is no slash), in buffers of PATH_MAX. */
static void split_path(const char *path, char *dir, char *base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        strcpy(dir, ".");
        snprintf(base, PATH_MAX, "%s", path);
    } else {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        memcpy(dir, path, n);
        dir[n] = '\0';
        snprintf(base, PATH_MAX, "%s", slash + 1);
    }
}

/*
 * Binding without a window: the socket is bound in a fresh private directory beside the final path
 * (mkdtemp: mode 0700, ours), reached through its descriptor (/proc/self/fd/N where Linux has it,
 * so that another user renaming the directory cannot redirect the bind), given its mode there
 * (fchmodat relative to that descriptor: no path another user can write is followed), put to
 * listening, and only then linked into place by linkat(), which never replaces what is there (EEXIST)
 * and never follows a link at the destination. So the socket is reachable under its final name with
 * its final mode from its first moment, and never under wider permissions.
 */
typedef struct private_bind {
    char dir[PATH_MAX];
    int dir_fd;
} private_bind;

static int32_t bind_privately(int fd, const char *path, const sp_pipe_config *config, private_bind *pb, struct stat *st)
{
    char dir[PATH_MAX], base[PATH_MAX];
    split_path(path, dir, base);
    pb->dir_fd = -1;
    if ((size_t)snprintf(pb->dir, sizeof pb->dir, "%s/.%.200s.XXXXXX", dir, base) >= sizeof pb->dir)
        return ENAMETOOLONG;
    if (!SP_SYS(mkdtemp)(pb->dir))
        return errno;
    pb->dir_fd = SP_SYS(openat)(AT_FDCWD, pb->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
    if (pb->dir_fd < 0)
        return errno;
    int32_t err = 0;
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    int r = -1;
#ifdef __linux__
    snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/s", pb->dir_fd);
    r = SP_SYS(bind)(fd, (struct sockaddr *)&addr, sizeof addr);
    if (r != 0 && errno != ENOENT && errno != ENOTDIR)
        return errno;
#endif
    if (r != 0) { /* no /proc: the directory's own path */
        if ((size_t)snprintf(addr.sun_path, sizeof addr.sun_path, "%s/s", pb->dir) >= sizeof addr.sun_path)
            return ENAMETOOLONG;
        if (SP_SYS(bind)(fd, (struct sockaddr *)&addr, sizeof addr) != 0)
            return errno;
    }
    /* CurrentUserOnly: nobody else may even connect (as newer .NET does) */
    if ((config->options & PipeOptions_CurrentUserOnly) && SP_SYS(fchmodat)(pb->dir_fd, "s", 0600, 0) != 0)
        return errno;
    if (SP_SYS(fstatat)(pb->dir_fd, "s", st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno;
    if (!S_ISSOCK(st->st_mode))
        return EEXIST;
    if (SP_SYS(listen)(fd, SOMAXCONN) != 0 || SP_SYS(fcntl)(fd, F_SETFL, O_NONBLOCK) != 0)
        return errno;
    (void)err;
    return 0;
}

/* Removes the private directory (and the name in it). */
static void end_private_bind(private_bind *pb)
{
    if (pb->dir_fd >= 0) {
        SP_SYS(unlinkat)(pb->dir_fd, "s", 0);
        SP_SYS(close)(pb->dir_fd);
    }
    if (pb->dir[0])
        SP_SYS(unlinkat)(AT_FDCWD, pb->dir, AT_REMOVEDIR);
}

/* Puts the privately bound socket at path, which the caller found free (or stale and removed):
 * EADDRINUSE when someone (a .NET server) took the name meanwhile. */
static int32_t publish(private_bind *pb, const char *path)
{
    if (SP_SYS(linkat)(pb->dir_fd, "s", AT_FDCWD, path, 0) == 0)
        return 0;
    int32_t err = errno;
    if (err == EEXIST)
        return EADDRINUSE;
    if (err != EPERM && err != ENOTSUP && err != EOPNOTSUPP && err != EMLINK && err != ENOSYS)
        return err;
    /* a file system without hard links: rename, after one more look (only a .NET server can have
     * come meanwhile, the name's lock keeps every sharpipc one out) */
    struct stat st;
    if (SP_SYS(lstat)(path, &st) == 0)
        return EADDRINUSE;
    return SP_SYS(renameat)(pb->dir_fd, "s", AT_FDCWD, path) == 0 ? 0 : errno;
}

/* The listening socket for path: EEXIST for a file that is not a socket (.NET deletes whatever is
 * there; sharpipc never deletes a file it did not make), EADDRINUSE when a live server holds the
 * name. */
static int32_t create_listener(const char *path, const sp_pipe_config *config, shared_server **out)
{
    struct sockaddr_un addr;
    int32_t err = make_address(path, &addr);
    if (err)
        return err;
    char dir[PATH_MAX], base[PATH_MAX], lock_path[PATH_MAX];
    split_path(path, dir, base);
    if ((size_t)snprintf(lock_path, sizeof lock_path, "%s/.%s.lock", dir, base) >= sizeof lock_path)
        return ENAMETOOLONG;
    int lock_fd = -1;
    if ((err = take_name(lock_path, &lock_fd)))
        return err;
    int fd = -1;
    private_bind pb = {{0}, -1};
    struct stat st, bound;
    if (SP_SYS(lstat)(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            err = EEXIST;
        else if (someone_listens(&addr))
            err = EADDRINUSE;                                  /* a server that takes no lock: .NET's */
        else if (SP_SYS(unlink)(path) != 0 && errno != ENOENT) /* stale: its server died */
            err = errno;
    } else if (errno != ENOENT) {
        err = errno;
    }
    if (!err && (fd = socket_cloexec()) < 0)
        err = errno;
    if (!err)
        err = bind_privately(fd, path, config, &pb, &bound);
    if (!err)
        err = publish(&pb, path);
    end_private_bind(&pb);
    shared_server *s = NULL;
    char *copy = NULL, *lock_copy = NULL;
    if (!err && (!(s = calloc(1, sizeof *s)) || !(copy = strdup(path)) || !(lock_copy = strdup(lock_path)))) {
        err = ENOMEM;
        SP_SYS(unlink)(path);
    }
    if (err) {
        free(s);
        free(copy);
        free(lock_copy);
        if (fd >= 0)
            SP_SYS(close)(fd);
        give_name(lock_path, lock_fd);
        return err;
    }
    s->path = copy;
    s->lock_path = lock_copy;
    s->fd = fd;
    s->lock_fd = lock_fd;
    s->dev = bound.st_dev;
    s->ino = bound.st_ino;
    s->count = 1;
    s->max = config->max_instances == -1 ? INT32_MAX : config->max_instances;
    s->current_user_only = (config->options & PipeOptions_CurrentUserOnly) != 0;
    *out = s;
    return 0;
}

/* A later instance asks for CurrentUserOnly on a listener made without it: the socket file becomes
 * 0600, through a descriptor of the file itself (O_PATH, never following a link), and only if the
 * name is still our socket (if it is not, nobody reaches ours by it). Where O_PATH is missing the
 * mode stays, and the per-client user check of WaitForConnection alone keeps others out. */
static int32_t restrict_to_current_user(shared_server *s)
{
#if defined(O_PATH) && defined(__linux__)
    int fd = SP_SYS(open)(s->path, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
    if (fd < 0)
        return errno == ENOENT || errno == ELOOP ? 0 : errno;
    struct stat st;
    int32_t err = 0;
    if (SP_SYS(fstat)(fd, &st) != 0) {
        err = errno;
    } else if (st.st_dev == s->dev && st.st_ino == s->ino) {
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        if (SP_SYS(chmod)(proc, 0600) != 0)
            err = errno;
        else
            s->current_user_only = true;
    }
    SP_SYS(close)(fd);
    return err;
#else
    (void)s;
    return 0;
#endif
}

int32_t sp_os_pipe_server_new(const char *path, const sp_pipe_config *config, sp_os_pipe_server **server)
{
    sp_os_pipe_server *instance = calloc(1, sizeof *instance);
    if (!instance)
        return ENOMEM;
    instance->config = *config;
    int32_t wanted = config->max_instances == -1 ? INT32_MAX : config->max_instances;
    int32_t err = 0;
    pthread_mutex_lock(&servers_lock);
    shared_server *s = servers;
    while (s && strcmp(s->path, path) != 0)
        s = s->next;
    if (s) {
        /* .NET's in-process rule: the first instance fixes the maximum; a later one that asks
         * for the count already reached is refused (EPERM: bind never gives it here).
         * FirstPipeInstance: the name has an instance already (Windows: access denied). */
        if (config->options & PipeOptions_FirstPipeInstance) {
            err = EADDRINUSE;
        } else if (s->count == s->max) {
            err = EADDRINUSE;
        } else if (s->count == wanted) {
            err = EPERM;
        } else if ((config->options & PipeOptions_CurrentUserOnly) && !s->current_user_only &&
                   (err = restrict_to_current_user(s))) {
            /* err */
        } else {
            s->count++;
        }
    } else if (!(err = create_listener(path, config, &s))) {
        s->next = servers;
        servers = s;
    }
    pthread_mutex_unlock(&servers_lock);
    if (err) {
        free(instance);
        return err;
    }
    instance->shared = s;
    *server = instance;
    return 0;
}

int32_t sp_os_pipe_server_accept(sp_os_pipe_server *instance, sp_os_waker *waker, sp_os_pipe *conn)
{
    int listener = instance->shared->fd;
    for (;;) {
        int r = sp_posix_poll_one(listener, POLLIN, -1, waker);
        if (r == -2)
            return ECANCELED;
        if (r < 0)
            return errno;
        int fd = accept_cloexec(listener);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED)
                continue; /* another instance took it */
            return errno;
        }
        int32_t err = configure(fd, &instance->config, true);
        if (err) {
            SP_SYS(close)(fd);
            return err;
        }
        *conn = fd;
        return 0;
    }
}

bool sp_os_pipe_server_checks_peer_user(void) { return true; }

bool sp_os_pipe_server_accept_checks_connected(void) { return false; }

int32_t sp_os_pipe_peer_is_current_user(sp_os_pipe conn, bool *same, uint32_t *peer_id, uint32_t *own_id)
{
    int err;
    uid_t peer = peer_uid(SP_POSIX_FD(conn), &err);
    if (err)
        return err;
    *peer_id = (uint32_t)peer;
    *own_id = (uint32_t)geteuid();
    *same = peer == geteuid();
    return 0;
}

sp_os_pipe sp_os_pipe_server_handle(const sp_os_pipe_server *instance)
{
    (void)instance;
    return SP_OS_PIPE_INVALID; /* a socket server has nothing before accept */
}

int32_t sp_os_pipe_server_disconnect(sp_os_pipe_server *instance)
{
    (void)instance; /* the connection ends when it is interrupted (shutdown) and closed */
    return 0;
}

void sp_os_pipe_server_release_connection(sp_os_pipe_server *instance, sp_os_pipe conn)
{
    (void)instance;
    SP_SYS(close)(SP_POSIX_FD(conn));
}

void sp_os_pipe_server_free(sp_os_pipe_server *instance)
{
    if (!instance)
        return;
    shared_server *s = instance->shared;
    pthread_mutex_lock(&servers_lock);
    if (--s->count == 0) {
        for (shared_server **p = &servers; *p; p = &(*p)->next)
            if (*p == s) {
                *p = s->next;
                break;
            }
        /* Remove the name only if it is still ours, not a .NET server's that took it; under the
         * name's lock no sharpipc server can have. */
        struct stat st;
        if (SP_SYS(lstat)(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
            SP_SYS(unlink)(s->path);
        SP_SYS(close)(s->fd);
        give_name(s->lock_path, s->lock_fd);
        free(s->path);
        free(s->lock_path);
        free(s);
    }
    pthread_mutex_unlock(&servers_lock);
    free(instance);
}

/* ---------------------------------------------------------------- client */

int32_t sp_os_pipe_client_try_connect(const char *path, const sp_pipe_config *config, int32_t wait_ms, sp_os_pipe *conn)
{
    struct sockaddr_un addr;
    int32_t err = make_address(path, &addr);
    if (err)
        return err;
    struct stat st;
    if (SP_SYS(stat)(path, &st) != 0 && errno == ENOENT)
        return ENOENT; /* not there yet: no socket needed to find that out */
    int fd = socket_cloexec();
    if (fd < 0)
        return errno;
    /* a listener with a full backlog is busy: EAGAIN, retried by Connect until its timeout */
    if ((err = connect_within(fd, &addr, wait_ms)) || (err = configure(fd, config, false))) {
        SP_SYS(close)(fd);
        return err;
    }
    *conn = fd;
    return 0;
}

/* ---------------------------------------------------------------- I/O */

/* A plain pipe cannot be shut down: its calls wait for the descriptor or the waker. Returns 0
 * ready, ECANCELED woken, or an errno. */
static int32_t wait_fifo(int fd, short events, sp_os_waker *waker)
{
    int r = sp_posix_poll_one(fd, events, -1, waker);
    return r == -2 ? ECANCELED : r < 0 ? errno : 0;
}

int32_t sp_os_pipe_read(sp_os_pipe conn, sp_os_waker *waker, void *buffer, int32_t count, int32_t *done,
                        bool *message_complete)
{
    int fd = SP_POSIX_FD(conn);
    *message_complete = true;
    *done = 0;
    if (SP_POSIX_IS_FIFO(conn) && waker) {
        int32_t err = wait_fifo(fd, POLLIN, waker);
        if (err)
            return err;
    }
    ssize_t n;
    do
        n = SP_SYS(read)(fd, buffer, (size_t)count);
    while (n < 0 && errno == EINTR);
    *message_complete = true;
    if (n < 0) {
        *done = 0;
        return errno;
    }
    *done = (int32_t)n;
    return 0;
}

/* write(2) on a plain pipe can raise SIGPIPE; block it in this thread only, and swallow the one
 * this write caused, so the process's signal handling is never changed. */
static int32_t write_fifo(int fd, sp_os_waker *waker, const char *p, int32_t count)
{
    sp_posix_sigpipe_guard guard;
    sp_posix_sigpipe_block(&guard);
    int32_t err = 0;
    if (!waker) {
        err = sp_posix_write_all(fd, p, count, -1);
    } else {
        /* POLLOUT promises room for PIPE_BUF bytes, so a write of at most that never blocks
         * (with one writer): a full pipe waits in poll, where Dispose's waker reaches it. */
        while (count > 0 && !err) {
            int32_t chunk = count > PIPE_BUF ? PIPE_BUF : count;
            if (!(err = wait_fifo(fd, POLLOUT, waker)))
                err = sp_posix_write_all(fd, p, chunk, -1);
            p += chunk;
            count -= chunk;
        }
    }
    sp_posix_sigpipe_unblock(&guard, err);
    return err;
}

int32_t sp_os_pipe_write(sp_os_pipe conn, sp_os_waker *waker, const void *buffer, int32_t count)
{
    int fd = SP_POSIX_FD(conn);
    if (SP_POSIX_IS_FIFO(conn))
        return write_fifo(fd, waker, buffer, count);
    return sp_posix_write_all(fd, buffer, count, MSG_NOSIGNAL);
}

void sp_os_pipe_interrupt(sp_os_pipe conn)
{
    if (!SP_POSIX_IS_FIFO(conn))
        SP_SYS(shutdown)(SP_POSIX_FD(conn), SHUT_RDWR);
}

void sp_os_pipe_close(sp_os_pipe conn) { SP_SYS(close)(SP_POSIX_FD(conn)); }

int32_t sp_os_pipe_buffer_size(sp_os_pipe conn, bool in, int32_t *size)
{
    int fd = SP_POSIX_FD(conn);
    if (SP_POSIX_IS_FIFO(conn)) {
#ifdef F_GETPIPE_SZ
        int n = SP_SYS(fcntl)(fd, F_GETPIPE_SZ, 0);
        if (n < 0)
            return errno;
        *size = n;
#else
        *size = PIPE_BUF;
#endif
        return 0;
    }
    int value = 0;
    socklen_t len = sizeof value;
    if (SP_SYS(getsockopt)(fd, SOL_SOCKET, in ? SO_RCVBUF : SO_SNDBUF, &value, &len) != 0)
        return errno;
    *size = value;
    return 0;
}

int32_t sp_os_pipe_set_read_mode(sp_os_pipe conn, PipeTransmissionMode mode)
{
    (void)conn;
    return mode == PipeTransmissionMode_Byte ? 0 : ENOTSUP;
}

int32_t sp_os_pipe_drain(sp_os_pipe conn)
{
    (void)conn;
    return ENOTSUP;
}

int32_t sp_os_pipe_peer_user_name(sp_os_pipe conn, char **name)
{
    int err;
    uid_t uid = peer_uid(SP_POSIX_FD(conn), &err);
    if (err)
        return err;
    char buf[4096];
    struct passwd pw, *found = NULL;
    err = SP_SYS(getpwuid_r)(uid, &pw, buf, sizeof buf, &found);
    if (err || !found)
        return err ? err : ENOENT;
    if (!(*name = strdup(found->pw_name)))
        return ENOMEM;
    return 0;
}

int32_t sp_os_pipe_run_as_client(sp_os_pipe conn, void (*worker)(void *), void *state)
{
    int err;
    uid_t peer = peer_uid(SP_POSIX_FD(conn), &err);
    if (err)
        return err;
    uid_t self = geteuid();
    if (peer != self && SP_SYS(seteuid)(peer) != 0)
        return errno;
    worker(state);
    if (peer != self && SP_SYS(seteuid)(self) != 0)
        return errno;
    return 0;
}

int32_t sp_os_pipe_instance_count(sp_os_pipe conn, int32_t *count)
{
    (void)conn;
    (void)count;
    return ENOTSUP;
}

/* ---------------------------------------------------------------- anonymous pipes */

int32_t sp_os_anonymous_pipe_new(PipeDirection server_direction, HandleInheritability inheritability,
                                 int32_t buffer_size, sp_os_pipe *server_end, sp_os_pipe *client_end)
{
    int fds[2];
    if (pipe_cloexec(fds) != 0)
        return errno;
    int server_fd = server_direction == PipeDirection_In ? fds[0] : fds[1];
    int client_fd = server_direction == PipeDirection_In ? fds[1] : fds[0];
    if (inheritability == HandleInheritability_Inheritable)
        SP_SYS(fcntl)(client_fd, F_SETFD, 0);
#ifdef F_SETPIPE_SZ
    if (buffer_size > 0)
        SP_SYS(fcntl)(server_fd, F_SETPIPE_SZ, buffer_size);
#else
    (void)buffer_size;
#endif
    *server_end = server_fd | SP_POSIX_FIFO_TAG;
    *client_end = client_fd | SP_POSIX_FIFO_TAG;
    return 0;
}

int64_t sp_os_pipe_to_number(sp_os_pipe end) { return SP_POSIX_FD(end); }

int32_t sp_os_pipe_from_number(int64_t value, sp_os_pipe *end)
{
    if (value < 0 || value >= SP_POSIX_FIFO_TAG)
        return EINVAL;
    struct stat st;
    if (SP_SYS(fstat)((int)value, &st) != 0)
        return errno;
    if (!(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return EBADF;
    *end = (sp_os_pipe)value | (S_ISFIFO(st.st_mode) ? SP_POSIX_FIFO_TAG : 0);
    return 0;
}
