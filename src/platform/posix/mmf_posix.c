/* Memory-mapped files on POSIX: .NET's MemoryMappedFile.Unix.cs and MemoryMappedView.Unix.cs,
 * plus named maps as POSIX shared-memory objects (which .NET on Unix does not have). */
#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util_posix.h"

/* MemoryMappedView.Unix.cs: MaxProcessAddressSpace. */
#define SP_MAX_VIEW_SIZE 8192000000000LL

/* "Local\name" and "Global\name" name the same object: a POSIX system has one namespace. */
static const char *strip_scope(const char *name)
{
    if (strncmp(name, "Local\\", 6) == 0)
        return name + 6;
    if (strncmp(name, "Global\\", 7) == 0)
        return name + 7;
    return name;
}

int32_t sp_os_map_check_name(const char *name)
{
    const char *rest = strip_scope(name);
    if (!*rest || strchr(rest, '/'))
        return EINVAL;
    /* /dev/shm holds the synchronization objects too: their prefix is not a map's to spell */
    if (strncmp(rest, SP_POSIX_SYNC_PREFIX, strlen(SP_POSIX_SYNC_PREFIX)) == 0)
        return EPERM;
    return 0;
}

/* The shared-memory name "/name" (malloc'd; NULL with errno ENOMEM). */
static char *shm_name_of(const char *name)
{
    const char *rest = strip_scope(name);
    size_t n = strlen(rest) + 2;
    char *shm = malloc(n);
    if (shm)
        snprintf(shm, n, "/%s", rest);
    else
        errno = ENOMEM;
    return shm;
}

static bool writable(MemoryMappedFileAccess a)
{
    return a == MemoryMappedFileAccess_ReadWrite || a == MemoryMappedFileAccess_Write ||
           a == MemoryMappedFileAccess_ReadWriteExecute;
}

static int anonymous_fd(void)
{
#ifdef MFD_CLOEXEC
    int fd = SP_SYS(memfd_create)("sharpipc_map", MFD_CLOEXEC);
    if (fd >= 0 || errno != ENOSYS)
        return fd;
#endif
    char name[64];
    snprintf(name, sizeof name, "/sharpipc_anon_%ld_%p", (long)getpid(), (void *)&name);
    int fd2 = SP_SYS(shm_open)(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd2 >= 0)
        SP_SYS(shm_unlink)(name);
    return fd2;
}

int32_t sp_os_map_create(const char *name, int64_t *capacity, MemoryMappedFileAccess access,
                         MemoryMappedFileRights rights, MemoryMappedFileOptions options,
                         HandleInheritability inheritability, sp_map_how how, sp_os_map *map)
{
    (void)options; /* DelayAllocatePages: pages are allocated when touched anyway */
    if (!name) {
        if (!writable(access) && access != MemoryMappedFileAccess_CopyOnWrite) {
            *map = SP_OS_MAP_NONE; /* nothing can ever be written: views are fresh zero pages */
            return 0;
        }
        int fd = anonymous_fd();
        if (fd < 0 || SP_SYS(ftruncate)(fd, (off_t)*capacity) != 0) {
            int err = errno;
            if (fd >= 0)
                SP_SYS(close)(fd);
            return err;
        }
        if (inheritability == HandleInheritability_Inheritable)
            SP_SYS(fcntl)(fd, F_SETFD, 0);
        *map = fd;
        return 0;
    }
    char *shm = shm_name_of(name);
    if (!shm)
        return ENOMEM;
    bool open_writable = how == SP_MAP_OPEN ? (rights & MemoryMappedFileRights_Write) != 0 : writable(access);
    sp_shm_how shm_how = how == SP_MAP_CREATE_NEW ? SP_SHM_CREATE_NEW
                         : how == SP_MAP_OPEN     ? SP_SHM_OPEN
                                                  : SP_SHM_CREATE_OR_OPEN;
    int fd = -1;
    bool created = false;
    int64_t existing = 0;
    int32_t err = sp_posix_shm_open(shm, *capacity, shm_how, open_writable, &fd, &created, &existing);
    free(shm);
    if (err)
        return err;
    if (!created)
        *capacity = existing;
    if (inheritability == HandleInheritability_Inheritable)
        SP_SYS(fcntl)(fd, F_SETFD, 0);
    *map = fd;
    return 0;
}

int32_t sp_os_map_from_file(sp_os_file file, const char *name, int64_t capacity, MemoryMappedFileAccess access,
                            HandleInheritability inheritability, sp_os_map *map)
{
    (void)access;
    if (name)
        return ENOTSUP; /* .NET on Unix has no named file-backed maps */
    /* .NET on Unix grows the file itself, with ftruncate on the descriptor. */
    struct stat st;
    if (SP_SYS(fstat)((int)file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < capacity) {
        int r;
        do
            r = SP_SYS(ftruncate)((int)file, (off_t)capacity);
        while (r != 0 && errno == EINTR);
        if (r != 0)
            return errno == EBADF ? EINVAL : errno; /* a descriptor that cannot grow: a bad size */
    }
    int fd = SP_SYS(fcntl)((int)file, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    if (inheritability == HandleInheritability_Inheritable)
        SP_SYS(fcntl)(fd, F_SETFD, 0);
    *map = fd;
    return 0;
}

void sp_os_map_close(sp_os_map map, const char *name)
{
    if (map == SP_OS_MAP_NONE)
        return;
    if (name) {
        char *shm = shm_name_of(name);
        if (shm) {
            sp_posix_shm_release((int)map, shm);
            free(shm);
            return;
        }
    }
    SP_SYS(close)((int)map);
}

/* MemoryMappedView.Unix.cs GetProtections: what a view may do, for the check against the map. */
static int verify_protection(MemoryMappedFileAccess a)
{
    switch (a) {
    case MemoryMappedFileAccess_Read: return PROT_READ;
    case MemoryMappedFileAccess_Write: return PROT_WRITE;
    case MemoryMappedFileAccess_ReadWrite: return PROT_READ | PROT_WRITE;
    case MemoryMappedFileAccess_CopyOnWrite: return PROT_READ;
    case MemoryMappedFileAccess_ReadExecute: return PROT_READ | PROT_EXEC;
    default: return PROT_READ | PROT_WRITE | PROT_EXEC;
    }
}

static int map_protection(MemoryMappedFileAccess a)
{
    return a == MemoryMappedFileAccess_CopyOnWrite ? PROT_READ | PROT_WRITE : verify_protection(a);
}

sp_view_verdict sp_os_map_view_check(int64_t map_capacity, MemoryMappedFileAccess map_access, int64_t offset,
                                     int64_t *size, MemoryMappedFileAccess view_access)
{
    if (offset > map_capacity)
        return SP_VIEW_OFFSET_PAST_END;
    if (*size > SP_MAX_VIEW_SIZE)
        return SP_VIEW_PAST_ADDRESS_SPACE;
    if (*size == 0)
        *size = map_capacity - offset;
    if (*size > map_capacity - offset)
        return SP_VIEW_PAST_MAP_END;
    if (verify_protection(view_access) & ~verify_protection(map_access))
        return SP_VIEW_ACCESS_EXCEEDS_MAP;
    int64_t page = sysconf(_SC_PAGESIZE);
    if (*size != 0 && (uint64_t)(*size + offset % page) > SIZE_MAX)
        return SP_VIEW_PAST_ADDRESS_SPACE;
    return SP_VIEW_OK;
}

int32_t sp_os_map_view(sp_os_map map, MemoryMappedFileAccess map_access, int64_t offset, int64_t size,
                       MemoryMappedFileAccess view_access, HandleInheritability inheritability, sp_view *view)
{
    if (size == 0) { /* .NET maps a dummy byte so the view has an address */
        void *p = SP_SYS(mmap)(NULL, 1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return errno;
        *view = (sp_view){p, 1, 0, 0};
        return 0;
    }
    int64_t page = sysconf(_SC_PAGESIZE);
    int64_t extra = offset % page;
    int64_t native_offset = offset - extra, native_size = size + extra;
    int flags = view_access == MemoryMappedFileAccess_CopyOnWrite || map_access == MemoryMappedFileAccess_CopyOnWrite
                    ? MAP_PRIVATE
                    : MAP_SHARED;
    int fd = (int)map;
    if (map == SP_OS_MAP_NONE) {
        flags = MAP_PRIVATE | MAP_ANONYMOUS;
        fd = -1;
        native_offset = 0;
    }
    void *p = SP_SYS(mmap)(NULL, (size_t)native_size, map_protection(view_access), flags, fd, (off_t)native_offset);
    if (p == MAP_FAILED)
        return errno;
#ifdef MADV_DONTFORK
    if (inheritability == HandleInheritability_None)
        SP_SYS(madvise)(p, (size_t)native_size, MADV_DONTFORK);
#else
    (void)inheritability;
#endif
    *view = (sp_view){p, native_size, extra, size};
    return 0;
}

void sp_os_unmap_view(sp_view *view)
{
    if (view->base)
        SP_SYS(munmap)(view->base, (size_t)view->mapped_length);
    view->base = NULL;
}

int32_t sp_os_flush_view(sp_view *view)
{
    if (!view->base || view->size == 0)
        return 0;
    return SP_SYS(msync)(view->base, (size_t)view->mapped_length, MS_SYNC | MS_INVALIDATE) == 0 ? 0 : errno;
}

char *sp_os_map_to_string(sp_os_map map)
{
    char text[24];
    snprintf(text, sizeof text, "%d", (int)map);
    return strdup(text);
}

int32_t sp_os_map_from_string(const char *text, sp_os_map *map, int64_t *size)
{
    char *stop;
    errno = 0;
    long value = strtol(text, &stop, 10);
    struct stat st;
    if (errno || stop == text || *stop || value < 0 || value > INT_MAX)
        return EINVAL;
    if (SP_SYS(fstat)((int)value, &st) != 0)
        return errno;
    if (!S_ISREG(st.st_mode))
        return ENODEV; /* what mmap says of a descriptor it cannot map */
    *map = value;
    *size = (int64_t)st.st_size;
    return 0;
}
