/* Files on POSIX, with .NET's Unix behaviour (FileStream's flock sharing, DeleteOnClose). */
#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/socket.h>

#include "util_posix.h"

bool sp_posix_parent_directory_exists(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return true;
    if (slash == path)
        return true;
    size_t n = (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (!dir)
        return true;
    memcpy(dir, path, n);
    dir[n] = 0;
    struct stat st;
    bool ok = SP_SYS(stat)(dir, &st) == 0 && S_ISDIR(st.st_mode);
    free(dir);
    return ok;
}

int32_t sp_os_file_open(const char *path, FileMode mode, FileAccess access, FileShare share, FileOptions options,
                        sp_os_file *file)
{
    int flags = O_CLOEXEC;
    switch (access) {
    case FileAccess_Read: flags |= O_RDONLY; break;
    case FileAccess_Write: flags |= O_WRONLY; break;
    default: flags |= O_RDWR; break;
    }
    switch (mode) {
    case FileMode_CreateNew: flags |= O_CREAT | O_EXCL; break;
    case FileMode_Create: flags |= O_CREAT | O_TRUNC; break;
    case FileMode_OpenOrCreate:
    case FileMode_Append: flags |= O_CREAT; break;
    case FileMode_Truncate: flags |= O_TRUNC; break;
    default: break;
    }
    if (options & FileOptions_WriteThrough)
        flags |= O_SYNC;
    int fd;
    do
        fd = SP_SYS(open)(path, flags, 0666);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return errno;
    struct stat st;
    if (SP_SYS(fstat)(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        SP_SYS(close)(fd);
        return EACCES; /* .NET: UnauthorizedAccessException for a directory */
    }
    /* .NET on Unix: an advisory whole-file lock, exclusive for FileShare.None. */
    int lock = share == FileShare_None ? LOCK_EX : LOCK_SH;
    int locked;
    do
        locked = SP_SYS(flock)(fd, lock | LOCK_NB);
    while (locked != 0 && errno == EINTR);
    if (locked != 0 && (errno == EWOULDBLOCK)) {
        SP_SYS(close)(fd);
        return EWOULDBLOCK;
    }
    if (options & FileOptions_DeleteOnClose)
        SP_SYS(unlink)(path); /* the name goes now; the data when the last descriptor closes */
    *file = fd;
    return 0;
}

int32_t sp_os_file_read(sp_os_file file, void *buffer, int32_t count, int32_t *done)
{
    ssize_t n;
    do
        n = SP_SYS(read)((int)file, buffer, (size_t)count);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno;
    *done = (int32_t)n;
    return 0;
}

void sp_posix_sigpipe_block(sp_posix_sigpipe_guard *g)
{
    sigemptyset(&g->set);
    sigaddset(&g->set, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    g->was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &g->set, &g->old);
}

void sp_posix_sigpipe_unblock(sp_posix_sigpipe_guard *g, int32_t err)
{
    if (err == EPIPE && !g->was_pending) {
        struct timespec zero = {0, 0};
        sigtimedwait(&g->set, NULL, &zero); /* the one this thread's write raised */
    }
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

int32_t sp_os_file_write(sp_os_file file, const void *buffer, int32_t count)
{
    /* A FileStream may be a FIFO or a socket (a path in /proc/self/fd, a named FIFO): writing to
     * one whose reader has gone raises SIGPIPE, which would kill the process. A socket takes
     * MSG_NOSIGNAL; a FIFO's write runs with SIGPIPE blocked in this thread (and the one it raised
     * swallowed), so the process's signal handling is never changed. Regular files pay one fstat. */
    int fd = (int)file;
    struct stat st;
    if (SP_SYS(fstat)(fd, &st) == 0) {
        if (S_ISSOCK(st.st_mode))
            return sp_posix_write_all(fd, buffer, count, MSG_NOSIGNAL);
        if (S_ISFIFO(st.st_mode)) {
            sp_posix_sigpipe_guard g;
            sp_posix_sigpipe_block(&g);
            int32_t err = sp_posix_write_all(fd, buffer, count, -1);
            sp_posix_sigpipe_unblock(&g, err);
            return err;
        }
    }
    return sp_posix_write_all(fd, buffer, count, -1);
}

int32_t sp_posix_write_all(int fd, const void *buffer, int32_t count, int send_flags)
{
    const char *p = buffer;
    while (count > 0) {
        ssize_t n =
            send_flags >= 0 ? SP_SYS(send)(fd, p, (size_t)count, send_flags) : SP_SYS(write)(fd, p, (size_t)count);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += n;
        count -= (int32_t)n;
    }
    return 0;
}

int32_t sp_os_file_seek(sp_os_file file, int64_t offset, SeekOrigin origin, int64_t *position)
{
    int whence = origin == SeekOrigin_Begin ? SEEK_SET : origin == SeekOrigin_Current ? SEEK_CUR : SEEK_END;
    off_t r = SP_SYS(lseek)((int)file, (off_t)offset, whence);
    if (r < 0)
        return errno;
    if (position)
        *position = (int64_t)r;
    return 0;
}

int32_t sp_os_file_get_length(sp_os_file file, int64_t *length)
{
    struct stat st;
    if (SP_SYS(fstat)((int)file, &st) != 0)
        return errno;
    *length = (int64_t)st.st_size;
    return 0;
}

int32_t sp_os_file_set_length(sp_os_file file, int64_t length)
{
    int r;
    do
        r = SP_SYS(ftruncate)((int)file, (off_t)length);
    while (r != 0 && errno == EINTR);
    return r == 0 ? 0 : errno;
}

int32_t sp_os_file_sync(sp_os_file file)
{
    int r;
    do
        r = SP_SYS(fsync)((int)file);
    while (r != 0 && errno == EINTR);
    return r == 0 ? 0 : errno;
}

bool sp_os_file_can_seek(sp_os_file file)
{
    struct stat st;
    if (SP_SYS(fstat)((int)file, &st) != 0)
        return false;
    return (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) && SP_SYS(lseek)((int)file, 0, SEEK_CUR) >= 0;
}

bool sp_os_file_is_device(sp_os_file file)
{
    struct stat st;
    /* S_IFCHR as a bit, as .NET tests it: block devices (S_IFBLK includes the bit) too */
    return SP_SYS(fstat)((int)file, &st) == 0 && (st.st_mode & S_IFCHR) != 0;
}

void sp_os_file_close(sp_os_file file) { SP_SYS(close)((int)file); }

bool sp_os_path_exists_as_file(const char *path)
{
    struct stat st;
    return SP_SYS(stat)(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

int32_t sp_os_path_delete_file(const char *path)
{
    if (SP_SYS(unlink)(path) == 0)
        return 0;
    if (errno == ENOENT && sp_posix_parent_directory_exists(path))
        return 0;
    return errno;
}

char *sp_os_path_full(const char *path)
{
    char cwd[PATH_MAX] = "";
    if (path[0] != '/' && !SP_SYS(getcwd)(cwd, sizeof cwd))
        cwd[0] = 0;
    size_t n = strlen(cwd) + 1 + strlen(path) + 2;
    char *joined = malloc(n), *out = malloc(n);
    if (!joined || !out) {
        free(joined);
        free(out);
        return NULL;
    }
    snprintf(joined, n, "%s/%s", cwd, path);
    /* Walk the components, keeping a stack of the kept ones in out. */
    size_t len = 0;
    for (char *seg = joined; *seg;) {
        char *end = strchr(seg, '/');
        size_t seg_len = end ? (size_t)(end - seg) : strlen(seg);
        if (seg_len == 0 || (seg_len == 1 && seg[0] == '.')) {
            /* nothing */
        } else if (seg_len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--; /* the slash before the dropped component */
        } else {
            out[len++] = '/';
            memcpy(out + len, seg, seg_len);
            len += seg_len;
        }
        if (!end)
            break;
        seg = end + 1;
    }
    /* .NET keeps a trailing separator the caller wrote. */
    size_t plen = strlen(path);
    if (plen > 0 && path[plen - 1] == '/' && len > 0)
        out[len++] = '/';
    if (len == 0)
        out[len++] = '/';
    out[len] = 0;
    free(joined);
    return out;
}

const char *sp_os_newline(void) { return "\n"; }
