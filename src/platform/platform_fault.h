/*
 * Fault injection at the seam, for tests only (built with -DSHARPIPC_FAULT_INJECTION=ON; tests link
 * sharpipc_static and include this header). As SQLite's syscall table (os_unix.c) and its
 * test_syscall.c: every OS call of the seam files goes through a table of function pointers
 * (posix/sys_posix.h, win32/sys_win32.h), and a test can make chosen calls misbehave. Without the
 * option the table does not exist and the calls are direct.
 *
 * OS functions are named as the seam calls them: "read", "ftruncate", "mmap", "flock", ...,
 * "sp_linux_futex_wait" / "sp_linux_futex_wait_any" for Linux's futex waits; "WriteFile",
 * "MapViewOfFile", ... on Windows (sp_fault_syscall_name lists them).
 * Calls are counted per function from the last sp_fault_reset. Rules count from when they are set:
 * nth = 1 is the next call.
 */
#ifndef SHARPIPC_PLATFORM_FAULT_H
#define SHARPIPC_PLATFORM_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef SHARPIPC_FAULT_INJECTION

/* Makes the nth call of `name` from now, and then `times` calls in all (-1: every call from then
 * on), fail with `error` (an errno, or a Win32 error code) without running. False for a name that is
 * not in the table. */
bool sp_fault_fail(const char *name, int nth, int32_t error, int times);
/* The next `times` calls of `name` fail with EINTR (POSIX): the seam must retry them. */
bool sp_fault_interrupt(const char *name, int times);
/* From the nth call of `name` on, `times` calls (-1: all) transfer at most `limit` bytes (read,
 * write, send; ReadFile, WriteFile): short reads and short writes. */
bool sp_fault_short(const char *name, int nth, size_t limit, int times);
/* How often `name` was called since the last reset (-1 for an unknown name). */
long sp_fault_calls(const char *name);
/* Drops every rule, zeroes the counts and restores every function sp_fault_set_syscall replaced. */
void sp_fault_reset(void);

/* SQLite's xSetSystemCall / xGetSystemCall: the function behind `name` (what the rules above wrap),
 * replaced by fn (NULL: the OS's own again). fn must have the entry's type (see the X-lists in
 * posix/sys_posix.h, win32/sys_win32.h). */
typedef void (*sp_fault_fn)(void);
bool sp_fault_set_syscall(const char *name, sp_fault_fn fn);
sp_fault_fn sp_fault_get_syscall(const char *name);
/* The names in the table, in order: the one at index i, NULL past the end. */
const char *sp_fault_syscall_name(int i);

/* ---- for the seam's wrappers only (sys_posix.c, sys_win32.c) */

/* One call of function `id` begins: the error to fail it with (0: run it); *count, when given and
 * a short rule applies, is lowered to the rule's limit. */
int32_t sp_fault_enter(int id, size_t *count);

#endif

#endif
