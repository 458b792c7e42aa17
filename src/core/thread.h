/*
 * Threads and in-process locks for library modules that run work of their own (StreamJsonRpc's
 * reader and dispatcher), over the seam in platform/platform_thread.h: the same calls, with the
 * failures of the constructors raised as .NET exceptions (OutOfMemoryException, or a
 * SystemException with the OS code) instead of returned as codes.
 */
#ifndef SHARPIPC_CORE_THREAD_H
#define SHARPIPC_CORE_THREAD_H

#include "core/internal.h"
#include "platform/platform_thread.h"

typedef sp_os_thread sp_task;
typedef sp_os_lock sp_lock;
typedef sp_os_cond sp_cond;

/* NULL with the exception pending when the OS refused. */
sp_task *sp_task_start(void (*fn)(void *), void *arg);
sp_lock *sp_lock_new(void);
sp_cond *sp_cond_new(void);
/* Milliseconds from a monotonic clock (the seam's). */
int64_t sp_clock_ms(void);

static inline void sp_task_join(sp_task *t) { sp_os_thread_join(t); }
static inline void sp_task_detach(sp_task *t) { sp_os_thread_detach(t); }
static inline bool sp_task_is_current(const sp_task *t) { return sp_os_thread_is_current(t); }
static inline void sp_lock_free(sp_lock *l) { sp_os_lock_free(l); }
static inline void sp_lock_enter(sp_lock *l) { sp_os_lock_enter(l); }
static inline void sp_lock_exit(sp_lock *l) { sp_os_lock_exit(l); }
static inline void sp_cond_free(sp_cond *c) { sp_os_cond_free(c); }
static inline bool sp_cond_wait(sp_cond *c, sp_lock *l, int32_t ms) { return sp_os_cond_wait(c, l, ms); }
static inline void sp_cond_broadcast(sp_cond *c) { sp_os_cond_broadcast(c); }

#endif
