/*
 * Named POSIX shared-memory objects that behave like Windows kernel objects: the name goes away
 * when the last process using it closes it (or dies), and a name left behind by a crashed process
 * is reclaimed. Every process holding an object keeps a shared flock on it; whoever can take the
 * exclusive lock holds the last reference. Creation, opening and removal are serialised across
 * processes by an exclusive flock on one lock file, so no process opens a name that is being
 * removed.
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

/* flock, retried when a signal interrupts it. */
static int flock_retry(int fd, int operation)
{
    int r;
    do
        r = SP_SYS(flock)(fd, operation);
    while (r != 0 && errno == EINTR);
    return r;
}

/* The lock that serialises name operations; /dev/shm where it exists, else the temp directory. */
static int lock_names(void)
{
    const char *path = SP_SYS(access)("/dev/shm", W_OK) == 0 ? "/dev/shm/.sharpipc-names.lock" : "/tmp/.sharpipc-names.lock";
    int fd = SP_SYS(open)(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    SP_SYS(fchmod)(fd, 0666); /* other users' processes share the same lock */
    flock_retry(fd, LOCK_EX);
    return fd;
}

static void unlock_names(int fd)
{
    if (fd >= 0)
        SP_SYS(close)(fd); /* drops the lock */
}

/* Is anyone holding this object? (A process that died dropped its lock.) */
static bool held_by_someone(int fd)
{
    if (flock_retry(fd, LOCK_EX | LOCK_NB) == 0) {
        SP_SYS(flock)(fd, LOCK_UN);
        return false;
    }
    return true;
}

/* A process that is not sharpipc (a .NET FileStream on /dev/shm/<name>) takes its lock a moment
 * after it creates the file: an unheld object younger than this is not taken for a dead one's. */
#define SP_SHM_GRACE_MS 100

static bool just_made(int fd)
{
    struct stat st;
    struct timespec now;
    if (SP_SYS(fstat)(fd, &st) != 0 || SP_SYS(clock_gettime)(CLOCK_REALTIME, &now) != 0)
        return false;
    int64_t age_ms = ((int64_t)now.tv_sec - st.st_ctim.tv_sec) * 1000 + (now.tv_nsec - st.st_ctim.tv_nsec) / 1000000;
    return age_ms < SP_SHM_GRACE_MS;
}

int32_t sp_posix_shm_open(const char *shm_name, int64_t size, sp_shm_how how, bool writable, int *out_fd,
                          bool *created, int64_t *existing_size)
{
    return sp_posix_shm_open_init(shm_name, size, how, writable, out_fd, created, existing_size, NULL, NULL);
}

int32_t sp_posix_shm_open_init(const char *shm_name, int64_t size, sp_shm_how how, bool writable, int *out_fd,
                               bool *created, int64_t *existing_size, int32_t (*init)(int fd, void *state),
                               void *state)
{
    int lock = lock_names();
    int flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC;
    int fd = SP_SYS(shm_open)(shm_name, flags, 0600);
    int32_t err = 0;
    /* Objects made through init are only ever made by sharpipc, which holds them from birth: an
     * unheld one is dead at once, without the grace that other processes' files get. */
    if (fd >= 0 && !held_by_someone(fd) && (init || !just_made(fd))) {
        /* left behind by a process that is gone: as on Windows, the name no longer exists */
        SP_SYS(close)(fd);
        SP_SYS(shm_unlink)(shm_name);
        fd = -1;
        errno = ENOENT;
    }
    if (fd >= 0) {
        if (how == SP_SHM_CREATE_NEW) {
            SP_SYS(close)(fd);
            unlock_names(lock);
            return EEXIST;
        }
        *created = false;
    } else if (errno != ENOENT) {
        err = errno;
    } else if (how == SP_SHM_OPEN) {
        err = ENOENT;
    } else {
        fd = SP_SYS(shm_open)(shm_name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            err = errno;
        else if (SP_SYS(ftruncate)(fd, (off_t)size) != 0) {
            err = errno;
            SP_SYS(close)(fd);
            SP_SYS(shm_unlink)(shm_name);
            fd = -1;
        } else if (init && (err = init(fd, state)) != 0) {
            /* not initialised: nobody may ever see it */
            SP_SYS(close)(fd);
            SP_SYS(shm_unlink)(shm_name);
            fd = -1;
        } else {
            *created = true;
        }
    }
    if (fd >= 0) {
        flock_retry(fd, LOCK_SH);
        struct stat st;
        *existing_size = SP_SYS(fstat)(fd, &st) == 0 ? (int64_t)st.st_size : 0;
    }
    unlock_names(lock);
    if (err)
        return err;
    *out_fd = fd;
    return 0;
}

void sp_posix_shm_release(int fd, const char *shm_name)
{
    int lock = lock_names();
    /* The last holder removes the name (only if the name is still this object). */
    if (flock_retry(fd, LOCK_EX | LOCK_NB) == 0) {
        struct stat mine, named;
        int other = SP_SYS(shm_open)(shm_name, O_RDONLY | O_CLOEXEC, 0);
        if (other >= 0) {
            if (SP_SYS(fstat)(fd, &mine) == 0 && SP_SYS(fstat)(other, &named) == 0 && mine.st_ino == named.st_ino && mine.st_dev == named.st_dev)
                SP_SYS(shm_unlink)(shm_name);
            SP_SYS(close)(other);
        }
    }
    SP_SYS(close)(fd);
    unlock_names(lock);
}
