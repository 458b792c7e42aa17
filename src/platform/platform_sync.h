/*
 * The seam for System.Threading (Mutex, Semaphore, EventWaitHandle), named or not. See platform.h
 * for the conventions: functions return an OS error code (0 for success) and raise nothing;
 * portable code (src/System.Threading/waithandle.c) asks sp_os_sync_error_kind what a code means
 * and raises .NET's exception. The codes here overload some errno values with meanings of their
 * own (EPERM: not the owner), so sp_os_sync_error_kind, not sp_os_error_classify, reads them; what
 * it calls SP_SYNC_ERROR_OTHER is classified as any I/O error (platform_error.h).
 *
 * An sp_os_sync is one open handle to a kernel-like object. Windows: a kernel object HANDLE.
 * POSIX: an object in POSIX shared memory (named) or in private memory (unnamed); one process
 * shares one mapping among all its handles to the same name.
 */
#ifndef SHARPIPC_PLATFORM_SYNC_H
#define SHARPIPC_PLATFORM_SYNC_H

typedef struct sp_os_sync sp_os_sync;

typedef enum sp_sync_kind { SP_SYNC_MUTEX = 1, SP_SYNC_SEMAPHORE = 2, SP_SYNC_EVENT = 3 } sp_sync_kind;

/* What a new object starts as (ignored when the name exists already, as on Windows). */
typedef struct sp_sync_init {
    sp_sync_kind kind;
    bool initially_owned;  /* Mutex: the calling thread owns it once created */
    int32_t initial_count; /* Semaphore, validated: 0 <= initial <= maximum */
    int32_t maximum_count; /* Semaphore, >= 1 */
    bool initial_state;    /* EventWaitHandle: signalled */
    bool manual_reset;     /* EventWaitHandle: EventResetMode.ManualReset */
} sp_sync_init;

/* The wait results, with the values of Win32 and of .NET's WaitHandle. */
#define SP_WAIT_OBJECT_0 0       /* + index: that handle was signalled (acquired) */
#define SP_WAIT_ABANDONED_0 0x80 /* + index: an abandoned Mutex, now owned by the caller */
#define SP_WAIT_TIMEOUT 258      /* WaitHandle.WaitTimeout */

/* What an error code from this seam means, as far as .NET cares. */
typedef enum sp_sync_error {
    SP_SYNC_ERROR_OTHER = 0,              /* anything else: sp_throw_io_error(code, name) */
    SP_SYNC_ERROR_NOT_FOUND,              /* open: no object has that name */
    SP_SYNC_ERROR_PATH_NOT_FOUND,         /* open: a part of the name's path does not exist (Windows) */
    SP_SYNC_ERROR_WRONG_TYPE,             /* the name belongs to an object of another type */
    SP_SYNC_ERROR_NAME_TOO_LONG,          /* the name is longer than the OS allows (POSIX) */
    SP_SYNC_ERROR_NOT_OWNER,              /* ReleaseMutex by a thread that does not own it */
    SP_SYNC_ERROR_FULL,                   /* Semaphore release past the maximum */
    SP_SYNC_ERROR_INVALID_PARAMETER,      /* a multiple wait the OS rejects (one object twice in WaitAll) */
    SP_SYNC_ERROR_NO_MULTIPLE_WAIT,       /* the OS cannot wait for several objects (no futex_waitv) */
    SP_SYNC_ERROR_MUTEX_IN_MULTIPLE_WAIT, /* a Mutex among several handles, where that cannot be done */
    SP_SYNC_ERROR_BAD_NAME                /* a name the OS cannot take (POSIX: a directory separator) */
} sp_sync_error;

/* Classifies an error code returned by any function below. */
sp_sync_error sp_os_sync_error_kind(int32_t code);

/* Checks a name as .NET checks it on this OS (POSIX: no '/', and short enough for a shared-memory
 * name): 0, SP_SYNC_ERROR_BAD_NAME or SP_SYNC_ERROR_NAME_TOO_LONG. NULL is fine. */
int32_t sp_os_sync_check_name(const char *name);

/* Creates the object, or opens the existing one of that name (*created = false; then `init` is
 * ignored, and a name of another type is SP_SYNC_ERROR_WRONG_TYPE). name NULL: a new unnamed
 * object. With init->initially_owned the calling thread owns a mutex it created. */
int32_t sp_os_sync_create(const char *name, const sp_sync_init *init, sp_os_sync **sync, bool *created);
/* Opens the existing object of that name and kind (SP_SYNC_ERROR_NOT_FOUND when there is none,
 * SP_SYNC_ERROR_WRONG_TYPE when the name is another kind's). */
int32_t sp_os_sync_open(const char *name, sp_sync_kind kind, sp_os_sync **sync);
/* Closes this handle; the object goes with its last handle (in every process). POSIX: a Mutex still
 * owned by the closing thread when the process's last handle to it closes is left abandoned. */
void sp_os_sync_close(sp_os_sync *sync);

/* Waits up to milliseconds (-1: no limit, 0: just tries) to acquire the object: *result is
 * SP_WAIT_OBJECT_0, SP_WAIT_ABANDONED_0 (a Mutex whose owner died, now owned by the caller) or
 * SP_WAIT_TIMEOUT. Blocks in the kernel. */
int32_t sp_os_sync_wait(sp_os_sync *sync, int32_t milliseconds, int32_t *result);
/* WaitAny (wait_all false) or WaitAll over 1..64 handles: *result is SP_WAIT_OBJECT_0 + index (the
 * lowest signalled one; 0 for WaitAll), SP_WAIT_ABANDONED_0 + index, or SP_WAIT_TIMEOUT. WaitAll
 * acquires all of them or none. */
int32_t sp_os_sync_wait_multiple(sp_os_sync *const *syncs, int32_t count, bool wait_all, int32_t milliseconds,
                                 int32_t *result);

/* Mutex.ReleaseMutex: one level of the calling thread's ownership (SP_SYNC_ERROR_NOT_OWNER). */
int32_t sp_os_sync_release_mutex(sp_os_sync *sync);
/* Semaphore.Release(count): *previous is the count before (SP_SYNC_ERROR_FULL past the maximum,
 * and then nothing changes). */
int32_t sp_os_sync_release_semaphore(sp_os_sync *sync, int32_t count, int32_t *previous);
/* EventWaitHandle.Set / Reset. */
int32_t sp_os_sync_set_event(sp_os_sync *sync);
int32_t sp_os_sync_reset_event(sp_os_sync *sync);

#endif
