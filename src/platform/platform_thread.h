/*
 * The seam for threads and in-process locks: what a library module that runs work of its own
 * (StreamJsonRpc's reader and dispatcher) needs, and no more. Functions return an OS error code
 * (0 for success) and raise nothing, as the rest of the seam; portable code reaches them through
 * src/core/thread.h, which raises .NET's exception.
 *
 * POSIX: pthreads, a pthread mutex and a condition variable on CLOCK_MONOTONIC, a pthread key.
 * Windows: a thread from _beginthreadex, an SRWLOCK and a CONDITION_VARIABLE, an FLS index.
 */
#ifndef SHARPIPC_PLATFORM_THREAD_H
#define SHARPIPC_PLATFORM_THREAD_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sp_os_thread sp_os_thread;
typedef struct sp_os_lock sp_os_lock;
typedef struct sp_os_cond sp_os_cond;
typedef struct sp_os_exit_slot sp_os_exit_slot;

/* Starts fn(arg) on a new thread. */
int32_t sp_os_thread_start(void (*fn)(void *), void *arg, sp_os_thread **out);
/* Waits for the thread to end and frees it. */
void sp_os_thread_join(sp_os_thread *t);
/* Lets the thread run on by itself and frees t (its resources go when it ends). */
void sp_os_thread_detach(sp_os_thread *t);
/* Is the calling thread t? (A thread never joins itself.) */
bool sp_os_thread_is_current(const sp_os_thread *t);

int32_t sp_os_lock_new(sp_os_lock **out);
void sp_os_lock_free(sp_os_lock *l);
void sp_os_lock_enter(sp_os_lock *l);
void sp_os_lock_exit(sp_os_lock *l);

int32_t sp_os_cond_new(sp_os_cond **out);
void sp_os_cond_free(sp_os_cond *c);
/* Waits on c with l held (released while waiting, held again on return), at most milliseconds
 * (-1: no limit). False when the time ran out; spurious wake-ups return true. */
bool sp_os_cond_wait(sp_os_cond *c, sp_os_lock *l, int32_t milliseconds);
void sp_os_cond_broadcast(sp_os_cond *c);

/* A per-thread pointer with a callback for threads that end: at_exit(value) runs on a thread that
 * ends (any thread, not only those sp_os_thread_start made) while its value in the slot is not
 * NULL, before the thread's thread-locals go; at_exit must stay mapped while threads run (a
 * dlclose or FreeLibrary would leave them a dangling callback). POSIX: a pthread key with a
 * destructor (it does not run for the thread that calls exit(); the shared library is linked
 * -z nodelete); Windows: an FLS index with a callback, in a module the call pins. */
int32_t sp_os_exit_slot_new(void (*at_exit)(void *value), sp_os_exit_slot **out);
/* Frees a slot that no thread has set a value in (a process keeps the slots it uses). */
void sp_os_exit_slot_free(sp_os_exit_slot *slot);
/* Sets the calling thread's value in the slot (NULL: nothing runs when it ends). */
int32_t sp_os_exit_slot_set(sp_os_exit_slot *slot, void *value);

#endif
