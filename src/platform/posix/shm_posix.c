/*
 * Named shared-memory objects on POSIX that behave like Windows kernel objects: the name goes away
 * when the last process using it closes it (or dies), a name left behind by a dead process is free
 * again at once, and an object belongs to the user who made it.
 *
 * The design, and why:
 *
 *  - Every object is a file of the shared-memory directory (/dev/shm), reached only through a
 *    descriptor of that directory, with O_NOFOLLOW|O_NONBLOCK on every open (openat, fstatat,
 *    linkat, unlinkat): /dev/shm is writable by every user, so anything found there may have been
 *    planted by another one (a symlink to a file of the caller, a FIFO that would block an open).
 *
 *  - There is no global lock. A lock file shared by all users in a world-writable directory can
 *    be held by any of them, freezing everyone's creates and opens, or be planted as a link. Each
 *    object carries its own locks instead: every process holding it keeps a shared flock on its
 *    own descriptor of it. Only a process that can open an object can lock it, and sharpipc makes
 *    its objects mode 0600, so no other user can hold up (or see) another user's operations.
 *
 *  - Nothing opened is trusted before fstat says it is a regular file owned by the caller's
 *    effective uid and not writable by group or others: anything else is EACCES, as a kernel
 *    object whose security descriptor keeps the caller out. (Root is no exception: root's
 *    CreateOrOpen must not share memory, or a mutex layout, that another user can rewrite.)
 *
 *  - Creation never shows a half-made object, and the creator holds the object from the moment
 *    anyone can open it: the object is made without a name (O_TMPFILE, Linux; elsewhere under a
 *    random temporary name made with O_EXCL), sized, locked shared, initialised (init), marked,
 *    and only then given its name with linkat, which fails with EEXIST if the name is taken.
 *
 *  - The mark is S_ISVTX in the file's mode, set through the descriptor before the name exists.
 *    The sticky bit means nothing on a regular file on Linux and no other program sets it, so it
 *    says "made by sharpipc, held from birth": a marked object that nobody holds is the leftover of
 *    a dead process, and is taken for missing at once (a restarting service's CreateNew succeeds
 *    at once, as on Windows). An unmarked one is another program's file, such as .NET's FileStream
 *    on /dev/shm/<name> (docs/interop.md), which takes its lock a moment after creating the file:
 *    unheld, it is taken for dead only once it is older than SP_SHM_GRACE_MS.
 *
 *  - Removal: the last holder converts its shared lock to LOCK_EX|LOCK_NB; getting it means nobody
 *    else holds the object, and it unlinks the name if the name is still this object. The same
 *    exclusive lock reclaims a dead object. An opener that opened the object just before takes its
 *    shared lock after that, finds st_nlink == 0, and starts over.
 *
 * The directory is /dev/shm (where POSIX shared memory lives on Linux, and where .NET programs
 * find sharpipc's maps); a system without one has no named objects here (ENOTSUP).
 */
#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util_posix.h"

#define SHM_DIR "/dev/shm"
/* The mark of an object sharpipc made (see above). */
#define SP_SHM_MARK S_ISVTX
/* A program that is not sharpipc (.NET's FileStream on /dev/shm/<name>) takes its lock a moment
 * after it creates the file: an unmarked, unheld object younger than this is not taken for dead. */
#define SP_SHM_GRACE_MS 100

/* flock, retried when a signal interrupts it. */
static int flock_retry(int fd, int operation)
{
    int r;
    do
        r = SP_SYS(flock)(fd, operation);
    while (r != 0 && errno == EINTR);
    return r;
}

/* The shared-memory directory, checked: a directory that only root (or the caller) owns, and
 * sticky where others may write to it (so nobody removes or renames another user's files).
 * Returns the descriptor, or -1 with errno. */
static int open_dir(void)
{
    int dir = SP_SYS(open)(SHM_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (dir < 0)
        return errno == ENOENT || errno == ENOTDIR ? (errno = ENOTSUP, -1) : -1;
    struct stat st;
    if (SP_SYS(fstat)(dir, &st) != 0) {
        int err = errno;
        SP_SYS(close)(dir);
        errno = err;
        return -1;
    }
    if (!S_ISDIR(st.st_mode) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
        ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))) {
        SP_SYS(close)(dir);
        errno = EACCES;
        return -1;
    }
    return dir;
}

/* Whether st is an object the caller may use: a regular file of its own that nobody else can
 * write. */
static bool trusted(const struct stat *st)
{
    return S_ISREG(st->st_mode) && st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether `name` in dir is still the file of fd (a link is never followed). */
static bool name_is(int dir, const char *name, int fd)
{
    struct stat mine, named;
    return SP_SYS(fstat)(fd, &mine) == 0 && SP_SYS(fstatat)(dir, name, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
           same_file(&mine, &named);
}

static bool young(const struct stat *st)
{
    struct timespec now;
    if (SP_SYS(clock_gettime)(CLOCK_REALTIME, &now) != 0)
        return false;
    int64_t age_ms = ((int64_t)now.tv_sec - st->st_ctim.tv_sec) * 1000 + (now.tv_nsec - st->st_ctim.tv_nsec) / 1000000;
    return age_ms < SP_SHM_GRACE_MS;
}

/* What open_existing found. */
typedef enum { FOUND_LIVE, FOUND_NONE, FOUND_ERROR } found;

/* Opens the live object `name`, with a shared lock on it: FOUND_LIVE (*out_fd), FOUND_NONE (no
 * such name, or only a dead object, which is removed), FOUND_ERROR (*err). */
static found open_existing(int dir, const char *name, bool writable, int *out_fd, int32_t *err)
{
    for (int attempt = 0; attempt < 1000; attempt++) {
        int fd = SP_SYS(openat)(dir, name, (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            if (errno == ENOENT)
                return FOUND_NONE;
            /* a symlink (ELOOP), or something else that is not ours to open */
            *err = errno == ELOOP || errno == ENXIO || errno == EISDIR || errno == EPERM ? EACCES : errno;
            return FOUND_ERROR;
        }
        struct stat st;
        if (SP_SYS(fstat)(fd, &st) != 0 || !trusted(&st)) {
            *err = SP_SYS(fstat)(fd, &st) != 0 ? errno : EACCES; /* not ours to trust */
            SP_SYS(close)(fd);
            return FOUND_ERROR;
        }
        /* Nobody holds it: dead, unless it is another program's file in its first moments. */
        if (flock_retry(fd, LOCK_EX | LOCK_NB) == 0) {
            if (!(st.st_mode & SP_SHM_MARK) && young(&st)) {
                flock_retry(fd, LOCK_SH); /* a conversion: we hold it from here */
            } else {
                /* the exclusive lock keeps every other opener and remover off it meanwhile */
                if (name_is(dir, name, fd))
                    SP_SYS(unlinkat)(dir, name, 0);
                SP_SYS(close)(fd);
                continue; /* the name may have been made anew meanwhile */
            }
        } else if (flock_retry(fd, LOCK_SH) != 0) {
            *err = errno;
            SP_SYS(close)(fd);
            return FOUND_ERROR;
        }
        /* Held now; but a remover may have unlinked it before we got the lock. */
        if (SP_SYS(fstat)(fd, &st) != 0) {
            *err = errno;
            SP_SYS(close)(fd);
            return FOUND_ERROR;
        }
        if (st.st_nlink == 0 || !name_is(dir, name, fd)) {
            SP_SYS(close)(fd);
            continue;
        }
        *out_fd = fd;
        return FOUND_LIVE;
    }
    *err = EAGAIN; /* the name kept changing under us */
    return FOUND_ERROR;
}

/* A new object without a name (or under a temporary one, removed by give_name): -1 with errno. */
static int make_unnamed(int dir, char *temp, size_t temp_size)
{
    temp[0] = 0;
#ifdef O_TMPFILE /* Linux */
    int fd = SP_SYS(openat)(dir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
#endif
    for (int i = 0; i < 100; i++) {
        struct timespec now;
        SP_SYS(clock_gettime)(CLOCK_MONOTONIC, &now);
        snprintf(temp, temp_size, ".sharpipc-new.%ld.%lx.%d", (long)getpid(), (unsigned long)now.tv_nsec, i);
        int t = SP_SYS(openat)(dir, temp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (t >= 0 || errno != EEXIST)
            return t;
    }
    errno = EEXIST;
    return -1;
}

/* Gives the unnamed object fd the name `name`: 0, EEXIST, or another errno. */
static int32_t give_name(int dir, int fd, const char *temp, const char *name)
{
    int r;
    if (temp[0]) {
        r = SP_SYS(linkat)(dir, temp, dir, name, 0);
    } else {
        char self[64];
        snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
        r = SP_SYS(linkat)(AT_FDCWD, self, dir, name, AT_SYMLINK_FOLLOW);
    }
    return r == 0 ? 0 : errno;
}

static void drop_unnamed(int dir, int fd, const char *temp)
{
    if (temp[0])
        SP_SYS(unlinkat)(dir, temp, 0);
    SP_SYS(close)(fd);
}

/* Makes the object ready under no name: sized, held, initialised, marked. 0 or an errno. */
static int32_t prepare(int fd, int64_t size, int32_t (*init)(int fd, void *state), void *state)
{
    int r;
    do
        r = SP_SYS(ftruncate)(fd, (off_t)size);
    while (r != 0 && errno == EINTR);
    if (r != 0)
        return errno;
    if (flock_retry(fd, LOCK_SH) != 0)
        return errno;
    /* exactly 0600 (whatever the umask) and the mark, through the descriptor */
    if (SP_SYS(fchmod)(fd, S_IRUSR | S_IWUSR | SP_SHM_MARK) != 0)
        return errno;
    return init ? init(fd, state) : 0; /* last: only naming can fail after it */
}

int32_t sp_posix_shm_open(const char *shm_name, int64_t size, sp_shm_how how, bool writable, int *out_fd, bool *created,
                          int64_t *existing_size)
{
    return sp_posix_shm_open_init(shm_name, size, how, writable, out_fd, created, existing_size, NULL, NULL);
}

int32_t sp_posix_shm_open_init(const char *shm_name, int64_t size, sp_shm_how how, bool writable, int *out_fd,
                               bool *created, int64_t *existing_size, int32_t (*init)(int fd, void *state), void *state)
{
    const char *name = shm_name[0] == '/' ? shm_name + 1 : shm_name;
    int dir = open_dir();
    if (dir < 0)
        return errno;
    int32_t err = 0;
    int fd = -1, fresh = -1;
    char temp[96] = "";
    for (int attempt = 0; attempt < 1000 && fd < 0 && !err; attempt++) {
        found f = open_existing(dir, name, writable, &fd, &err);
        if (f == FOUND_ERROR)
            break;
        if (f == FOUND_LIVE) {
            if (how == SP_SHM_CREATE_NEW) {
                SP_SYS(close)(fd);
                fd = -1;
                err = EEXIST;
            } else {
                *created = false;
            }
            break;
        }
        if (how == SP_SHM_OPEN) {
            err = ENOENT;
            break;
        }
        /* missing: make it (once), and try to give it the name */
        if (fresh < 0) {
            fresh = make_unnamed(dir, temp, sizeof temp);
            if (fresh < 0) {
                err = errno;
                break;
            }
            if ((err = prepare(fresh, size, init, state)) != 0)
                break;
        }
        err = give_name(dir, fresh, temp, name);
        if (err == 0) {
            fd = fresh;
            fresh = -1;
            *created = true;
        } else if (err == EEXIST) {
            err = 0; /* someone was quicker: open theirs (or reclaim it) */
        }
    }
    if (fresh >= 0)
        drop_unnamed(dir, fresh, temp);
    else if (temp[0])
        SP_SYS(unlinkat)(dir, temp, 0); /* named now: the temporary link goes */
    SP_SYS(close)(dir);
    if (!err && fd < 0)
        err = EAGAIN;
    if (err)
        return err;
    struct stat st;
    *existing_size = SP_SYS(fstat)(fd, &st) == 0 ? (int64_t)st.st_size : 0;
    *out_fd = fd;
    return 0;
}

void sp_posix_shm_release(int fd, const char *shm_name)
{
    const char *name = shm_name[0] == '/' ? shm_name + 1 : shm_name;
    /* The last holder removes the name (only if the name is still this object). */
    if (flock_retry(fd, LOCK_EX | LOCK_NB) == 0) {
        int dir = open_dir();
        if (dir >= 0) {
            if (name_is(dir, name, fd))
                SP_SYS(unlinkat)(dir, name, 0);
            SP_SYS(close)(dir);
        }
    }
    SP_SYS(close)(fd);
}
