/*
 * Mutex, Semaphore and EventWaitHandle on POSIX (Linux): process-shared objects that block in the
 * kernel.
 *
 *  - A named object lives in the POSIX shared-memory object "/sharpipc.sync.<name>" ("Local\" and
 *    "Global\" are dropped: one namespace per machine, as for named maps), opened with
 *    sp_posix_shm_open, so the name goes with its last holder and a name left by a dead process is
 *    reclaimed. The creator initialises it under the cross-process name lock (sp_posix_shm_open_init),
 *    before anyone else can open it. A header (magic, kind, version) tells a name of another type.
 *    One process maps each name once and counts its handles (as .NET's SharedMemoryManager does),
 *    so every Mutex handle of a process shares the same pthread mutex address, which glibc's
 *    robust list needs.
 *  - An unnamed object lives in private memory and uses private futexes.
 *  - Mutex: a robust, recursive pthread mutex (process-shared when named). A holder that dies gives
 *    the next owner EOWNERDEAD, reported as WAIT_ABANDONED; timed waits use
 *    pthread_mutex_clocklock(CLOCK_MONOTONIC).
 *  - Semaphore and EventWaitHandle: a 32-bit futex word (the count, or the signalled state) and a
 *    count of sleepers, so that a release or Set makes a system call only when someone sleeps.
 *  - WaitAny / WaitAll over several handles: FUTEX_WAITV (Linux 5.16) on their words; with a
 *    Mutex among them (its word belongs to glibc), or without futex_waitv, a bounded polling loop
 *    (see "multiple waits with a Mutex" below).
 */
#include "platform/platform.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "util_posix.h"

#define SHM_PREFIX "/" SP_POSIX_SYNC_PREFIX

/* The codes this file gives its own meaning (see sp_os_sync_error_kind). */
#define ERR_WRONG_TYPE EPROTOTYPE
#define ERR_NOT_OWNER EPERM
#define ERR_FULL EOVERFLOW
#define ERR_NO_MULTIPLE_WAIT ENOSYS
#define ERR_MUTEX_IN_MULTIPLE_WAIT ENOTSUP
#define ERR_BAD_NAME EISDIR

sp_sync_error sp_os_sync_error_kind(int32_t code)
{
    switch (code) {
    case ENOENT: return SP_SYNC_ERROR_NOT_FOUND;
    case ERR_WRONG_TYPE: return SP_SYNC_ERROR_WRONG_TYPE;
    case ENAMETOOLONG: return SP_SYNC_ERROR_NAME_TOO_LONG;
    case ERR_NOT_OWNER: return SP_SYNC_ERROR_NOT_OWNER;
    case ERR_FULL: return SP_SYNC_ERROR_FULL;
    case EINVAL: return SP_SYNC_ERROR_INVALID_PARAMETER;
    case ERR_NO_MULTIPLE_WAIT: return SP_SYNC_ERROR_NO_MULTIPLE_WAIT;
    case ERR_MUTEX_IN_MULTIPLE_WAIT: return SP_SYNC_ERROR_MUTEX_IN_MULTIPLE_WAIT;
    case ERR_BAD_NAME: return SP_SYNC_ERROR_BAD_NAME;
    default: return SP_SYNC_ERROR_OTHER;
    }
}

/* .NET's SharedMemoryId: "Global\" and "Local\" name a scope; the rest may not hold '/'. */
static const char *strip_scope(const char *name)
{
    if (strncmp(name, "Local\\", 6) == 0)
        return name + 6;
    if (strncmp(name, "Global\\", 7) == 0)
        return name + 7;
    return name;
}

/* Windows' limit on a kernel object's name (MAX_PATH), which .NET passes on as
 * Argument_WaitHandleNameTooLong; counted in UTF-16 code units, as .NET's string length. */
#define MAX_NAME_UNITS 260
/* The longest name (after the scope) kept as it is in the file name: "sharpipc.sync.<rest>" must
 * be one file name (NAME_MAX bytes). Longer names are hashed (hashed_name). */
#define MAX_DIRECT_BYTES (NAME_MAX - (sizeof SHM_PREFIX - 2))
/* The full name kept inside a named object (UTF-8 of up to 260 units: at most 3 bytes a unit). */
#define MAX_NAME_BYTES (MAX_NAME_UNITS * 3)

static size_t utf16_units(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n += *p >= 0xF0 ? 2 : 1; /* a 4-byte sequence is a surrogate pair */
    return n;
}

static uint64_t fnv1a(const char *s, uint64_t h)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    return h;
}

/* The shared-memory name: "/sharpipc.sync.<name>", or, for a name too long for one file name,
 * "/sharpipc.sync.~<128-bit FNV-1a hash>" (the object keeps the full name, so a collision is
 * noticed, never shared). As for named maps, "Local\" and "Global\" name the same object: one
 * namespace per machine. NULL with errno ENOMEM. */
static char *shm_name_of(const char *name)
{
    const char *rest = strip_scope(name);
    size_t n = strlen(SHM_PREFIX) + strlen(rest) + 40;
    char *s = malloc(n);
    if (!s) {
        errno = ENOMEM;
        return NULL;
    }
    if (strlen(rest) <= MAX_DIRECT_BYTES)
        snprintf(s, n, "%s%s", SHM_PREFIX, rest);
    else
        snprintf(s, n, "%s~%016llx%016llx", SHM_PREFIX, (unsigned long long)fnv1a(rest, 0xcbf29ce484222325ull),
                 (unsigned long long)fnv1a(rest, 0x84222325cbf29ce4ull));
    return s;
}

int32_t sp_os_sync_check_name(const char *name)
{
    if (!name)
        return 0;
    if (strchr(strip_scope(name), '/'))
        return ERR_BAD_NAME;
    if (utf16_units(name) > MAX_NAME_UNITS)
        return ENAMETOOLONG;
    return 0;
}

#if defined(__linux__)

#  include "../linux/futex_linux.h"

#  define SYNC_MAGIC 0x59535053u /* "SPSY" */
#  define SYNC_VERSION 2         /* 2: the full name inside */

/* What lives in the shared memory. */
typedef struct sync_shared {
    uint32_t magic; /* written last when made */
    uint8_t kind;
    uint8_t version;
    uint16_t name_length; /* named: the bytes of name (the name after its scope) */
    uint64_t reserved2;
    char name[MAX_NAME_BYTES + 4];
    union {
        struct {
            pthread_mutex_t lock;
            _Atomic uint32_t abandoned; /* set by a process that closed it while owning it */
        } mutex;
        struct {
            _Atomic uint32_t count; /* the futex word */
            uint32_t maximum;
            _Atomic uint32_t sleepers;
        } semaphore;
        struct {
            _Atomic uint32_t state; /* the futex word: 1 signalled */
            uint32_t manual_reset;
            _Atomic uint32_t sleepers;
        } event;
    } u;
} sync_shared;

/* One object as this process has it: per name, shared by all the process's handles to it. */
struct sp_os_sync {
    sync_shared *shared;
    sp_sync_kind kind;
    int futex_flags;  /* non-zero: a private futex (unnamed objects) */
    int fd;           /* named: the shared-memory object, -1 otherwise */
    char *shm_name;   /* named: its name, NULL otherwise */
    size_t map_size;  /* named: the mapping's size */
    unsigned refs;    /* named: the process's handles (under table_lock) */
    sp_os_sync *next; /* named: the process's table */
    /* Mutex: which thread of this process owns it and how often (written by that thread only). */
    _Atomic uintptr_t owner;
    _Atomic uint32_t depth;
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static sp_os_sync *table;

static uintptr_t self_id(void) { return (uintptr_t)pthread_self(); }

/* ---------------------------------------------------------------- futexes */

static void deadline_after(struct timespec *ts, int32_t ms)
{
    SP_SYS(clock_gettime)(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static int futex_wait(_Atomic uint32_t *word, uint32_t expected, const struct timespec *deadline, int flags)
{
    return SP_SYS(sp_linux_futex_wait)(word, expected, deadline, flags != 0);
}

static void futex_wake(_Atomic uint32_t *word, int count, int flags) { sp_linux_futex_wake(word, count, flags != 0); }

/* ---------------------------------------------------------------- the objects' state */

static _Atomic uint32_t *word_of(sp_os_sync *s)
{
    return s->kind == SP_SYNC_SEMAPHORE ? &s->shared->u.semaphore.count : &s->shared->u.event.state;
}

static _Atomic uint32_t *sleepers_of(sp_os_sync *s)
{
    return s->kind == SP_SYNC_SEMAPHORE ? &s->shared->u.semaphore.sleepers : &s->shared->u.event.sleepers;
}

/* Takes one count of a semaphore, or the signal of an auto-reset event; a signalled manual-reset
 * event just lets the caller through. */
static bool try_acquire(sp_os_sync *s)
{
    _Atomic uint32_t *word = word_of(s);
    uint32_t v = atomic_load(word);
    if (s->kind == SP_SYNC_EVENT && s->shared->u.event.manual_reset)
        return v != 0;
    while (v != 0)
        if (atomic_compare_exchange_weak(word, &v, s->kind == SP_SYNC_SEMAPHORE ? v - 1 : 0))
            return true;
    return false;
}

/* Gives back what try_acquire took (WaitAll backing out). */
static void undo_acquire(sp_os_sync *s)
{
    if (s->kind == SP_SYNC_SEMAPHORE) {
        atomic_fetch_add(&s->shared->u.semaphore.count, 1);
    } else if (!s->shared->u.event.manual_reset) {
        atomic_store(&s->shared->u.event.state, 1);
    } else {
        return;
    }
    if (atomic_load(sleepers_of(s)))
        futex_wake(word_of(s), 1, s->futex_flags);
}

/* A waiter that was woken for a handle it did not take passes the wake on, so that a sleeper on a
 * signalled word is never left behind. */
static void pass_on_wakes(sp_os_sync *const *s, int32_t n, int32_t taken)
{
    for (int32_t i = 0; i < n; i++)
        if (i != taken && s[i]->kind != SP_SYNC_MUTEX && atomic_load(word_of(s[i])) != 0 &&
            atomic_load(sleepers_of(s[i])) != 0)
            futex_wake(word_of(s[i]), 1, s[i]->futex_flags);
}

/* Waits for a semaphore or event word. */
static int32_t word_wait(sp_os_sync *s, int32_t ms, int32_t *result)
{
    if (try_acquire(s)) {
        *result = SP_WAIT_OBJECT_0;
        return 0;
    }
    if (ms == 0) {
        *result = SP_WAIT_TIMEOUT;
        return 0;
    }
    struct timespec deadline;
    if (ms > 0)
        deadline_after(&deadline, ms);
    _Atomic uint32_t *word = word_of(s), *sleepers = sleepers_of(s);
    for (;;) {
        atomic_fetch_add(sleepers, 1);
        int r = futex_wait(word, 0, ms > 0 ? &deadline : NULL, s->futex_flags);
        atomic_fetch_sub(sleepers, 1);
        if (try_acquire(s)) {
            *result = SP_WAIT_OBJECT_0;
            return 0;
        }
        if (r == ETIMEDOUT) {
            *result = SP_WAIT_TIMEOUT;
            return 0;
        }
        if (r != 0 && r != EAGAIN && r != EINTR)
            return r;
    }
}

/* ---------------------------------------------------------------- Mutex */

static pthread_mutex_t *lock_of(sp_os_sync *s) { return &s->shared->u.mutex.lock; }

static int32_t mutex_wait(sp_os_sync *s, int32_t ms, int32_t *result)
{
    pthread_mutex_t *m = lock_of(s);
    int r;
    if (ms < 0) {
        r = pthread_mutex_lock(m);
    } else if (ms == 0) {
        r = pthread_mutex_trylock(m);
    } else {
        struct timespec deadline;
        deadline_after(&deadline, ms);
        r = pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &deadline);
    }
    if (r == EBUSY || r == ETIMEDOUT) {
        *result = SP_WAIT_TIMEOUT;
        return 0;
    }
    bool abandoned = false;
    if (r == EOWNERDEAD) { /* its owner died holding it: ours now, at depth 1 */
        pthread_mutex_consistent(m);
        atomic_store(&s->depth, 0);
        abandoned = true;
        r = 0;
    }
    if (r)
        return r;
    uintptr_t self = self_id();
    if (atomic_load(&s->depth) == 0 || atomic_load(&s->owner) != self) {
        if (atomic_exchange(&s->shared->u.mutex.abandoned, 0))
            abandoned = true;
        atomic_store(&s->owner, self);
        atomic_store(&s->depth, 1);
    } else {
        atomic_fetch_add(&s->depth, 1);
    }
    *result = abandoned ? SP_WAIT_ABANDONED_0 : SP_WAIT_OBJECT_0;
    return 0;
}

int32_t sp_os_sync_release_mutex(sp_os_sync *s)
{
    uint32_t depth = atomic_load(&s->depth);
    if (s->kind != SP_SYNC_MUTEX || depth == 0 || atomic_load(&s->owner) != self_id())
        return ERR_NOT_OWNER;
    /* Before unlocking: the next owner in this process writes these fields. */
    atomic_store(&s->depth, depth - 1);
    if (depth == 1)
        atomic_store(&s->owner, 0);
    int r = pthread_mutex_unlock(lock_of(s));
    if (r) {
        atomic_store(&s->owner, self_id());
        atomic_store(&s->depth, depth);
        return r == EPERM ? ERR_NOT_OWNER : r;
    }
    return 0;
}

/* The process's last handle closes: a Mutex the closing thread owns is released as abandoned.
 * Returns false when the memory must stay mapped (another thread of this process owns it, and
 * glibc's robust list points into it until that thread unlocks it or exits). */
static bool give_up_ownership(sp_os_sync *s)
{
    if (s->kind != SP_SYNC_MUTEX || atomic_load(&s->depth) == 0)
        return true;
    if (atomic_load(&s->owner) != self_id())
        return false;
    atomic_store(&s->shared->u.mutex.abandoned, 1);
    while (atomic_load(&s->depth) > 0) {
        atomic_fetch_sub(&s->depth, 1);
        if (pthread_mutex_unlock(lock_of(s)) != 0)
            return false;
    }
    atomic_store(&s->owner, 0);
    return true;
}

/* ---------------------------------------------------------------- making objects */

/* Fills fresh (zeroed) shared memory; a mutex made initially owned is owned by the caller. */
static int32_t init_shared(sp_os_sync *s, sync_shared *sh, const sp_sync_init *init, bool process_shared)
{
    sh->kind = (uint8_t)init->kind;
    sh->version = SYNC_VERSION;
    switch (init->kind) {
    case SP_SYNC_MUTEX: {
        pthread_mutexattr_t a;
        pthread_mutexattr_init(&a);
        pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
        pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
        if (process_shared)
            pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
        int r = pthread_mutex_init(&sh->u.mutex.lock, &a);
        pthread_mutexattr_destroy(&a);
        if (r)
            return r;
        if (init->initially_owned) {
            if ((r = pthread_mutex_lock(&sh->u.mutex.lock)) != 0)
                return r;
            atomic_store(&s->owner, self_id());
            atomic_store(&s->depth, 1);
        }
        break;
    }
    case SP_SYNC_SEMAPHORE:
        atomic_store(&sh->u.semaphore.count, (uint32_t)init->initial_count);
        sh->u.semaphore.maximum = (uint32_t)init->maximum_count;
        break;
    case SP_SYNC_EVENT:
        atomic_store(&sh->u.event.state, init->initial_state ? 1u : 0u);
        sh->u.event.manual_reset = init->manual_reset;
        break;
    }
    atomic_thread_fence(memory_order_release);
    sh->magic = SYNC_MAGIC;
    return 0;
}

static size_t shared_size(void)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t size = page > 0 ? (size_t)page : 4096;
    while (size < sizeof(sync_shared))
        size *= 2;
    return size;
}

typedef struct create_state {
    sp_os_sync *s;
    const sp_sync_init *init;
    const char *name; /* after its scope */
} create_state;

/* Runs when the object is new, before it has a name (sp_posix_shm_open_init). */
static int32_t init_named(int fd, void *state)
{
    create_state *c = state;
    void *p = SP_SYS(mmap)(NULL, c->s->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return errno;
    sync_shared *sh = p;
    sh->name_length = (uint16_t)strlen(c->name);
    memcpy(sh->name, c->name, sh->name_length);
    int32_t err = init_shared(c->s, p, c->init, true);
    if (err) {
        SP_SYS(munmap)(p, c->s->map_size);
        return err;
    }
    c->s->shared = p;
    return 0;
}

/* Undoes init_named for an object that never got its name. */
static void discard_unnamed(sp_os_sync *s)
{
    if (s->kind == SP_SYNC_MUTEX) {
        if (atomic_load(&s->depth)) { /* made initially owned: off this thread's robust list first */
            pthread_mutex_unlock(lock_of(s));
            atomic_store(&s->depth, 0);
            atomic_store(&s->owner, 0);
        }
        pthread_mutex_destroy(lock_of(s));
    }
    SP_SYS(munmap)(s->shared, s->map_size);
    s->shared = NULL;
}

/* Maps an existing object and checks that it is one of ours, of this kind and this name (a long
 * name's file name is a hash). */
static int32_t map_existing(sp_os_sync *s, int64_t size, const char *name)
{
    if (size < (int64_t)sizeof(sync_shared))
        return ERR_WRONG_TYPE;
    s->map_size = (size_t)size;
    void *p = SP_SYS(mmap)(NULL, s->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
    if (p == MAP_FAILED)
        return errno;
    sync_shared *sh = p;
    size_t length = strlen(name);
    if (sh->magic != SYNC_MAGIC || sh->version != SYNC_VERSION || sh->kind != (uint8_t)s->kind ||
        sh->name_length != length || memcmp(sh->name, name, length) != 0) {
        SP_SYS(munmap)(p, s->map_size);
        return ERR_WRONG_TYPE;
    }
    atomic_thread_fence(memory_order_acquire);
    s->shared = sh;
    return 0;
}

static sp_os_sync *find_named(const char *shm_name)
{
    for (sp_os_sync *s = table; s; s = s->next)
        if (strcmp(s->shm_name, shm_name) == 0)
            return s;
    return NULL;
}

/* Creates (init != NULL) or opens a named object. */
static int32_t named(const char *name, sp_sync_kind kind, const sp_sync_init *init, sp_os_sync **out, bool *created)
{
    char *shm_name = shm_name_of(name);
    if (!shm_name)
        return errno;
    pthread_mutex_lock(&table_lock);
    sp_os_sync *s = find_named(shm_name);
    if (s) {
        int32_t err = 0;
        if (s->kind != kind)
            err = ERR_WRONG_TYPE;
        else
            s->refs++, *out = s, *created = false;
        pthread_mutex_unlock(&table_lock);
        free(shm_name);
        return err;
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        pthread_mutex_unlock(&table_lock);
        free(shm_name);
        return ENOMEM;
    }
    s->kind = kind;
    s->fd = -1;
    s->map_size = shared_size();
    create_state state = {s, init, strip_scope(name)};
    bool made = false;
    int64_t size = 0;
    int32_t err = sp_posix_shm_open_init(shm_name, (int64_t)s->map_size, init ? SP_SHM_CREATE_OR_OPEN : SP_SHM_OPEN,
                                         true, &s->fd, &made, &size, init_named, &state);
    if (s->shared && (err || !made)) /* made and initialised, but another process's object won the name */
        discard_unnamed(s);
    if (!err && !made) {
        err = map_existing(s, size, strip_scope(name));
        if (err)
            sp_posix_shm_release(s->fd, shm_name);
    }
    if (err) {
        pthread_mutex_unlock(&table_lock);
        free(shm_name);
        free(s);
        return err;
    }
    s->shm_name = shm_name;
    s->refs = 1;
    s->next = table;
    table = s;
    pthread_mutex_unlock(&table_lock);
    *out = s;
    *created = made;
    return 0;
}

int32_t sp_os_sync_create(const char *name, const sp_sync_init *init, sp_os_sync **out, bool *created)
{
    if (name)
        return named(name, init->kind, init, out, created);
    sp_os_sync *s = calloc(1, sizeof *s);
    sync_shared *sh = calloc(1, sizeof *sh);
    if (!s || !sh) {
        free(s);
        free(sh);
        return ENOMEM;
    }
    s->kind = init->kind;
    s->fd = -1;
    s->futex_flags = 1;
    int32_t err = init_shared(s, sh, init, false);
    if (err) {
        free(sh);
        free(s);
        return err;
    }
    s->shared = sh;
    *out = s;
    *created = true;
    return 0;
}

int32_t sp_os_sync_open(const char *name, sp_sync_kind kind, sp_os_sync **out)
{
    bool created;
    return named(name, kind, NULL, out, &created);
}

void sp_os_sync_close(sp_os_sync *s)
{
    if (!s->shm_name) {
        bool unmap = give_up_ownership(s);
        if (unmap) {
            if (s->kind == SP_SYNC_MUTEX)
                pthread_mutex_destroy(lock_of(s));
            free(s->shared);
        } /* else: left to the owning thread's robust list, on purpose */
        free(s);
        return;
    }
    pthread_mutex_lock(&table_lock);
    if (--s->refs > 0) {
        pthread_mutex_unlock(&table_lock);
        return;
    }
    for (sp_os_sync **p = &table; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            break;
        }
    if (give_up_ownership(s))
        SP_SYS(munmap)(s->shared, s->map_size);
    sp_posix_shm_release(s->fd, s->shm_name);
    pthread_mutex_unlock(&table_lock);
    free(s->shm_name);
    free(s);
}

/* ---------------------------------------------------------------- waiting and signalling */

int32_t sp_os_sync_wait(sp_os_sync *s, int32_t ms, int32_t *result)
{
    return s->kind == SP_SYNC_MUTEX ? mutex_wait(s, ms, result) : word_wait(s, ms, result);
}

/* Sleeps until one of the words in w[0..n) changes from 0 (or the deadline). Returns 0 (woken),
 * EAGAIN, EINTR or ETIMEDOUT. */
static int sleep_on(sp_os_sync *const *s, const int32_t *which, int32_t n, const struct timespec *deadline)
{
    sp_linux_futex_word w[64] = {{0}}; /* n <= 64 are filled; the rest zeroed quiets -Wmaybe-uninitialized */
    for (int32_t i = 0; i < n; i++) {
        sp_os_sync *x = s[which[i]];
        w[i].word = word_of(x);
        w[i].is_private = x->futex_flags != 0;
        atomic_fetch_add(sleepers_of(x), 1);
    }
    int err = SP_SYS(sp_linux_futex_wait_any)(w, n, deadline);
    for (int32_t i = 0; i < n; i++)
        atomic_fetch_sub(sleepers_of(s[which[i]]), 1);
    return err;
}

static int32_t wait_any(sp_os_sync *const *s, int32_t n, int32_t ms, int32_t *result)
{
    struct timespec deadline;
    if (ms > 0)
        deadline_after(&deadline, ms);
    int32_t all[64];
    for (int32_t i = 0; i < n; i++)
        all[i] = i;
    bool slept = false, timed_out = false;
    for (;;) {
        for (int32_t i = 0; i < n; i++)
            if (try_acquire(s[i])) {
                if (slept)
                    pass_on_wakes(s, n, i);
                *result = SP_WAIT_OBJECT_0 + i;
                return 0;
            }
        if (ms == 0 || timed_out) {
            if (slept)
                pass_on_wakes(s, n, -1);
            *result = SP_WAIT_TIMEOUT;
            return 0;
        }
        int r = sleep_on(s, all, n, ms > 0 ? &deadline : NULL);
        slept = true;
        if (r == ETIMEDOUT)
            timed_out = true;
        else if (r != 0 && r != EAGAIN && r != EINTR)
            return r;
    }
}

static int32_t wait_all(sp_os_sync *const *s, int32_t n, int32_t ms, int32_t *result)
{
    for (int32_t i = 1; i < n; i++) /* the kernel's STATUS_INVALID_PARAMETER_MIX */
        for (int32_t j = 0; j < i; j++)
            if (s[i] == s[j])
                return EINVAL;
    struct timespec deadline;
    if (ms > 0)
        deadline_after(&deadline, ms);
    bool slept = false, timed_out = false;
    int32_t missing[64];
    for (;;) {
        int32_t m = 0;
        for (int32_t i = 0; i < n; i++)
            if (atomic_load(word_of(s[i])) == 0)
                missing[m++] = i;
        if (m == 0) {
            /* All signalled: take them in order, backing out if one went meanwhile. */
            int32_t k = 0;
            while (k < n && try_acquire(s[k]))
                k++;
            if (k == n) {
                *result = SP_WAIT_OBJECT_0;
                return 0;
            }
            while (k-- > 0)
                undo_acquire(s[k]);
            continue;
        }
        if (slept) /* woken for a handle we cannot take yet: let its other waiters have it */
            pass_on_wakes(s, n, -1);
        if (ms == 0 || timed_out) {
            *result = SP_WAIT_TIMEOUT;
            return 0;
        }
        int r = sleep_on(s, missing, m, ms > 0 ? &deadline : NULL);
        slept = true;
        if (r == ETIMEDOUT)
            timed_out = true;
        else if (r != 0 && r != EAGAIN && r != EINTR)
            return r;
    }
}

/* ---------------------------------------------------------------- multiple waits with a Mutex
 *
 * A Mutex is a robust pthread mutex: glibc owns its lock word (the owner's tid, FUTEX_WAITERS,
 * FUTEX_OWNER_DIED) and its robust list, which is what makes abandonment work across processes,
 * and there is no way to sleep on "any of these pthread mutexes". Rather than a second mutex
 * implementation of our own (a futex word with owner tid and liveness checks, which would have to
 * reproduce the kernel's robust-list guarantees for named ones), a WaitAny/WaitAll that has a Mutex
 * among its handles polls: it tries every handle without blocking (pthread_mutex_trylock for a
 * Mutex, EOWNERDEAD included), and between rounds sleeps on the other handles' futex words with
 * futex_waitv (so a Set or Release wakes it at once) or, where there are none, in nanosleep, for
 * 50 us doubling to at most 2 ms. A Mutex freed by its owner is thus seen within 2 ms. Single waits
 * (WaitOne, and WaitAny/WaitAll over one handle) and multiple waits without a Mutex never come here:
 * they block in the kernel as before. The same polling serves where futex_waitv is missing (older
 * kernels, valgrind), so WaitAny/WaitAll always work.
 */

#  define POLL_FIRST_US 50
#  define POLL_MAX_US 2000

static int64_t mono_us(void)
{
    struct timespec ts;
    SP_SYS(clock_gettime)(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Takes s without blocking: 1 taken (*abandoned says how), 0 not available, -1 error (*err). */
static int take_now(sp_os_sync *s, bool *abandoned, int32_t *err)
{
    *abandoned = false;
    if (s->kind != SP_SYNC_MUTEX)
        return try_acquire(s) ? 1 : 0;
    int32_t r = SP_WAIT_TIMEOUT;
    if ((*err = mutex_wait(s, 0, &r)) != 0)
        return -1;
    *abandoned = r == SP_WAIT_ABANDONED_0;
    return r == SP_WAIT_TIMEOUT ? 0 : 1;
}

/* Gives back what take_now took (WaitAll backing out); an abandoned Mutex stays abandoned for its
 * next owner. */
static void give_back(sp_os_sync *s, bool abandoned)
{
    if (s->kind != SP_SYNC_MUTEX) {
        undo_acquire(s);
        return;
    }
    if (abandoned)
        atomic_store(&s->shared->u.mutex.abandoned, 1);
    sp_os_sync_release_mutex(s);
}

/* Sleeps up to us microseconds (less when a word of a non-Mutex handle among which[0..m) is
 * signalled). */
static void poll_pause(sp_os_sync *const *s, const int32_t *which, int32_t m, int64_t us)
{
    struct timespec until;
    SP_SYS(clock_gettime)(CLOCK_MONOTONIC, &until);
    until.tv_nsec += (long)(us * 1000);
    while (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    if (m > 0 && sp_linux_have_futex_waitv()) {
        sleep_on(s, which, m, &until); /* woken, timed out, interrupted or a word changed: try again */
        return;
    }
    int r;
    do
        r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
    while (r == EINTR);
}

static int32_t poll_multiple(sp_os_sync *const *s, int32_t n, bool all, int32_t ms, int32_t *result)
{
    if (all)
        for (int32_t i = 1; i < n; i++) /* the kernel's STATUS_INVALID_PARAMETER_MIX */
            for (int32_t j = 0; j < i; j++)
                if (s[i] == s[j])
                    return EINVAL;
    int64_t deadline = ms > 0 ? mono_us() + (int64_t)ms * 1000 : 0;
    int64_t pause = POLL_FIRST_US;
    bool abandoned[64];
    int32_t words[64];
    for (;;) {
        int32_t m = 0, err = 0;
        if (all) {
            /* the words first (no side effects), then take everything or nothing */
            bool ready = true;
            for (int32_t i = 0; i < n; i++)
                if (s[i]->kind != SP_SYNC_MUTEX && atomic_load(word_of(s[i])) == 0) {
                    words[m++] = i;
                    ready = false;
                }
            if (ready) {
                int32_t k = 0, first_abandoned = -1;
                int got = 1;
                for (; k < n; k++) {
                    got = take_now(s[k], &abandoned[k], &err);
                    if (got != 1)
                        break;
                    if (abandoned[k] && first_abandoned < 0)
                        first_abandoned = k;
                }
                if (k == n) {
                    *result = first_abandoned >= 0 ? SP_WAIT_ABANDONED_0 + first_abandoned : SP_WAIT_OBJECT_0;
                    return 0;
                }
                while (k-- > 0)
                    give_back(s[k], abandoned[k]);
                if (got < 0)
                    return err;
            }
        } else {
            for (int32_t i = 0; i < n; i++) {
                bool ab = false;
                int got = take_now(s[i], &ab, &err);
                if (got < 0)
                    return err;
                if (got == 1) {
                    pass_on_wakes(s, n, i);
                    *result = (ab ? SP_WAIT_ABANDONED_0 : SP_WAIT_OBJECT_0) + i;
                    return 0;
                }
                if (s[i]->kind != SP_SYNC_MUTEX)
                    words[m++] = i;
            }
        }
        int64_t left = ms < 0 ? pause : ms == 0 ? 0 : deadline - mono_us();
        if (left <= 0) {
            pass_on_wakes(s, n, -1);
            *result = SP_WAIT_TIMEOUT;
            return 0;
        }
        poll_pause(s, words, m, left < pause ? left : pause);
        if (pause < POLL_MAX_US)
            pause = pause * 2 > POLL_MAX_US ? POLL_MAX_US : pause * 2;
    }
}

int32_t sp_os_sync_wait_multiple(sp_os_sync *const *s, int32_t n, bool all, int32_t ms, int32_t *result)
{
    if (n == 1) {
        int32_t err = sp_os_sync_wait(s[0], ms, result);
        return err;
    }
    bool mutex = false;
    for (int32_t i = 0; i < n; i++)
        mutex = mutex || s[i]->kind == SP_SYNC_MUTEX;
    if (mutex || !sp_linux_have_futex_waitv())
        return poll_multiple(s, n, all, ms, result);
    return all ? wait_all(s, n, ms, result) : wait_any(s, n, ms, result);
}

int32_t sp_os_sync_release_semaphore(sp_os_sync *s, int32_t count, int32_t *previous)
{
    _Atomic uint32_t *word = &s->shared->u.semaphore.count;
    uint32_t max = s->shared->u.semaphore.maximum;
    uint32_t v = atomic_load(word);
    do {
        if ((uint64_t)v + (uint32_t)count > max)
            return ERR_FULL;
    } while (!atomic_compare_exchange_weak(word, &v, v + (uint32_t)count));
    *previous = (int32_t)v;
    if (atomic_load(&s->shared->u.semaphore.sleepers))
        futex_wake(word, count, s->futex_flags);
    return 0;
}

int32_t sp_os_sync_set_event(sp_os_sync *s)
{
    _Atomic uint32_t *word = &s->shared->u.event.state;
    if (atomic_exchange(word, 1) == 0 && atomic_load(&s->shared->u.event.sleepers))
        futex_wake(word, s->shared->u.event.manual_reset ? INT_MAX : 1, s->futex_flags);
    return 0;
}

int32_t sp_os_sync_reset_event(sp_os_sync *s)
{
    atomic_store(&s->shared->u.event.state, 0);
    return 0;
}

#else /* not Linux: no futexes; named synchronization is not available */

int32_t sp_os_sync_create(const char *name, const sp_sync_init *init, sp_os_sync **out, bool *created)
{
    return ENOSYS;
}
int32_t sp_os_sync_open(const char *name, sp_sync_kind kind, sp_os_sync **out) { return ENOSYS; }
void sp_os_sync_close(sp_os_sync *s) {}
int32_t sp_os_sync_wait(sp_os_sync *s, int32_t ms, int32_t *result) { return ENOSYS; }
int32_t sp_os_sync_wait_multiple(sp_os_sync *const *s, int32_t n, bool all, int32_t ms, int32_t *result)
{
    return ENOSYS;
}
int32_t sp_os_sync_release_mutex(sp_os_sync *s) { return ENOSYS; }
int32_t sp_os_sync_release_semaphore(sp_os_sync *s, int32_t count, int32_t *previous) { return ENOSYS; }
int32_t sp_os_sync_set_event(sp_os_sync *s) { return ENOSYS; }
int32_t sp_os_sync_reset_event(sp_os_sync *s) { return ENOSYS; }

#endif
