/*
 * System.Threading: Mutex, Semaphore and EventWaitHandle, named (shared between processes) or not.
 *
 * Windows: kernel objects, so they are the same objects .NET processes open by name.
 * POSIX: process-shared objects in POSIX shared memory (/dev/shm/sharpipc.sync.<name>); waits
 * block in the kernel (futex / robust process-shared mutex). A Mutex whose holder dies is
 * reported abandoned. See docs/interop.md for what interoperates with .NET on Linux.
 */
#ifndef SHARPIPC_SYSTEM_THREADING_H
#define SHARPIPC_SYSTEM_THREADING_H

#include "System.h"

SHARPIPC_BEGIN_DECLS

/* WaitHandle.WaitTimeout: what WaitAny returns when the time ran out. */
#define WaitHandle_WaitTimeout 258
/* Timeout.Infinite */
#define Timeout_Infinite (-1)

typedef enum EventResetMode { EventResetMode_AutoReset = 0, EventResetMode_ManualReset = 1 } EventResetMode;

/* ================================================================ WaitHandle */

/* WaitOne(): true once signalled (acquired). With a timeout: false when it ran out (no exception
 * pending). A Mutex whose holder died: false with AbandonedMutexException pending, and the caller
 * now owns the mutex, as in .NET. */
SHARPIPC_API bool WaitHandle_WaitOne(WaitHandle *handle);
SHARPIPC_API bool WaitHandle_WaitOneWithTimeout(WaitHandle *handle, int32_t millisecondsTimeout);
/* WaitAny: the index of the handle that was signalled (the lowest one if several were),
 * WaitHandle_WaitTimeout, or -1 on failure. At most 64 handles. On POSIX, several handles need the
 * futex_waitv system call (Linux 5.16) and may not include a Mutex (PlatformNotSupportedException);
 * see docs/deviations.md. */
SHARPIPC_API int32_t WaitHandle_WaitAny(WaitHandle *const *handles, int32_t count, int32_t millisecondsTimeout);
/* WaitAll: true when all were signalled together, false on timeout or failure. */
SHARPIPC_API bool WaitHandle_WaitAll(WaitHandle *const *handles, int32_t count, int32_t millisecondsTimeout);

/* Close() / Dispose(): releases the handle (a wait in progress on another thread keeps it until it
 * ends, as in .NET); Dispose also drops the caller's reference, as the generic Dispose does. */
SHARPIPC_API bool WaitHandle_Close(WaitHandle *handle);
SHARPIPC_API bool WaitHandle_Dispose(WaitHandle *handle);

#ifdef SHARPIPC_HAVE_GENERIC
#  define WaitHandle_Close(h) (WaitHandle_Close)(SP_AS_WaitHandle(h))
#  define WaitHandle_Dispose(h) (WaitHandle_Dispose)(SP_AS_WaitHandle(h))
#  define WaitHandle_WaitOne(...) SP_OVERLOAD(WaitHandle_WaitOne, __VA_ARGS__)
#  define WaitHandle_WaitOne__1(h) (WaitHandle_WaitOne)(SP_AS_WaitHandle(h))
#  define WaitHandle_WaitOne__2(h, t) WaitHandle_WaitOneWithTimeout(SP_AS_WaitHandle(h), t)
#  define SP_WAITHANDLE_(h) SP_AS_WaitHandle(h)
#else
#  define SP_WAITHANDLE_(h) ((WaitHandle *)(h))
#endif

/* ================================================================ Mutex */

/* new Mutex(initiallyOwned, name, out createdNew). name NULL: unnamed; createdNew may be NULL. */
SHARPIPC_API Mutex *Mutex_new_ex(bool initiallyOwned, const char *name, bool *createdNew);
/* new Mutex(): unnamed, not owned. */
SHARPIPC_API Mutex *Mutex_new(void);
/* WaitHandleCannotBeOpenedException when no mutex has that name. */
SHARPIPC_API Mutex *Mutex_OpenExisting(const char *name);
SHARPIPC_API bool Mutex_TryOpenExisting(const char *name, Mutex **result);
/* ApplicationException when the calling thread does not own it. */
SHARPIPC_API bool Mutex_ReleaseMutex(Mutex *mutex);

#ifdef SHARPIPC_HAVE_GENERIC
#  define Mutex_new(...) SP_OVERLOAD(Mutex_new, __VA_ARGS__)
#  define Mutex_new__0() (Mutex_new)()
#  define Mutex_new__1(o) Mutex_new_ex(o, NULL, NULL)
#  define Mutex_new__2(o, n) Mutex_new_ex(o, n, NULL)
#  define Mutex_new__3(o, n, c) Mutex_new_ex(o, n, c)
#  define Mutex_WaitOne(...) WaitHandle_WaitOne(__VA_ARGS__)
#else
#  define Mutex_WaitOne(m) WaitHandle_WaitOne(SP_WAITHANDLE_(m))
#endif

/* ================================================================ Semaphore */

/* new Semaphore(initialCount, maximumCount, name, out createdNew). */
SHARPIPC_API Semaphore *Semaphore_new_ex(int32_t initialCount, int32_t maximumCount, const char *name,
                                         bool *createdNew);
SHARPIPC_API Semaphore *Semaphore_new(int32_t initialCount, int32_t maximumCount);
SHARPIPC_API Semaphore *Semaphore_OpenExisting(const char *name);
SHARPIPC_API bool Semaphore_TryOpenExisting(const char *name, Semaphore **result);
/* Release(releaseCount): the count before the release, or -1 (SemaphoreFullException when it
 * would pass the maximum). */
SHARPIPC_API int32_t Semaphore_Release(Semaphore *semaphore);
SHARPIPC_API int32_t Semaphore_ReleaseCount(Semaphore *semaphore, int32_t releaseCount);

#ifdef SHARPIPC_HAVE_GENERIC
#  define Semaphore_new(...) SP_OVERLOAD(Semaphore_new, __VA_ARGS__)
#  define Semaphore_new__2(i, m) (Semaphore_new)(i, m)
#  define Semaphore_new__3(i, m, n) Semaphore_new_ex(i, m, n, NULL)
#  define Semaphore_new__4(i, m, n, c) Semaphore_new_ex(i, m, n, c)
#  define Semaphore_Release(...) SP_OVERLOAD(Semaphore_Release, __VA_ARGS__)
#  define Semaphore_Release__1(s) (Semaphore_Release)(s)
#  define Semaphore_Release__2(s, n) Semaphore_ReleaseCount(s, n)
#  define Semaphore_WaitOne(...) WaitHandle_WaitOne(__VA_ARGS__)
#else
#  define Semaphore_WaitOne(s) WaitHandle_WaitOne(SP_WAITHANDLE_(s))
#endif

/* ================================================================ EventWaitHandle */

/* new EventWaitHandle(initialState, mode, name, out createdNew). */
SHARPIPC_API EventWaitHandle *EventWaitHandle_new_ex(bool initialState, EventResetMode mode, const char *name,
                                                     bool *createdNew);
SHARPIPC_API EventWaitHandle *EventWaitHandle_new(bool initialState, EventResetMode mode);
SHARPIPC_API EventWaitHandle *EventWaitHandle_OpenExisting(const char *name);
SHARPIPC_API bool EventWaitHandle_TryOpenExisting(const char *name, EventWaitHandle **result);
SHARPIPC_API bool EventWaitHandle_Set(EventWaitHandle *handle);
SHARPIPC_API bool EventWaitHandle_Reset(EventWaitHandle *handle);

#ifdef SHARPIPC_HAVE_GENERIC
#  define EventWaitHandle_new(...) SP_OVERLOAD(EventWaitHandle_new, __VA_ARGS__)
#  define EventWaitHandle_new__2(s, m) (EventWaitHandle_new)(s, m)
#  define EventWaitHandle_new__3(s, m, n) EventWaitHandle_new_ex(s, m, n, NULL)
#  define EventWaitHandle_new__4(s, m, n, c) EventWaitHandle_new_ex(s, m, n, c)
#  define EventWaitHandle_WaitOne(...) WaitHandle_WaitOne(__VA_ARGS__)
#else
#  define EventWaitHandle_WaitOne(e) WaitHandle_WaitOne(SP_WAITHANDLE_(e))
#endif

/* ================================================================ cancellation (RPC-API.md 6; hremoting) */

/* A value type that names its source; it holds no reference of its own (as in .NET, it is valid
 * only while its source is). CancellationToken_None has no source and is never cancelled. */
struct CancellationToken {
    CancellationTokenSource *source;
};

/* new CancellationTokenSource() / new CancellationTokenSource(millisecondsDelay). Dispose. */
SHARPIPC_API CancellationTokenSource *CancellationTokenSource_new(void);
SHARPIPC_API CancellationTokenSource *CancellationTokenSource_new_ex(int32_t millisecondsDelay);
SHARPIPC_API bool CancellationTokenSource_Cancel(CancellationTokenSource *cts);
/* Cancels after millisecondsDelay on sharpipc's timer thread (which also sets the WaitHandle);
 * calling again replaces the delay, -1 disarms it, Dispose stops it, less than -1 is an
 * ArgumentOutOfRangeException; nothing happens once cancelled. */
SHARPIPC_API bool CancellationTokenSource_CancelAfter(CancellationTokenSource *cts, int32_t millisecondsDelay);
SHARPIPC_API bool CancellationTokenSource_get_IsCancellationRequested(CancellationTokenSource *cts);
SHARPIPC_API CancellationToken CancellationTokenSource_get_Token(CancellationTokenSource *cts);
SHARPIPC_API bool CancellationToken_get_IsCancellationRequested(CancellationToken token);
SHARPIPC_API bool CancellationToken_get_CanBeCanceled(CancellationToken token);
/* Set once cancelled; borrowed (the source owns it). None's never is. */
SHARPIPC_API WaitHandle *CancellationToken_get_WaitHandle(CancellationToken token);
/* ThrowIfCancellationRequested: false with OperationCanceledException when cancelled. */
SHARPIPC_API bool CancellationToken_ThrowIfCancellationRequested(CancellationToken token);
SHARPIPC_API CancellationToken CancellationToken_get_None(void);
#define CancellationToken_None (CancellationToken_get_None())

#ifdef SHARPIPC_HAVE_GENERIC
#  define CancellationTokenSource_new(...) SP_OVERLOAD(CancellationTokenSource_new, __VA_ARGS__)
#  define CancellationTokenSource_new__0() (CancellationTokenSource_new)()
#  define CancellationTokenSource_new__1(ms) CancellationTokenSource_new_ex(ms)
#endif

SHARPIPC_END_DECLS

#endif
