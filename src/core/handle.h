/*
 * One way to pin a call: .NET's SafeHandle, and the object pin beside it.
 *
 * An sp_handle is an OS value (a descriptor, a HANDLE, a pointer to an OS-level object) with a
 * reference count and a release function. Its owner (the object that opened it) holds one
 * reference; every call that uses the value holds another for its duration (sp_handle_add_ref,
 * .NET's DangerousAddRef). Closing (sp_handle_close, .NET's SafeHandle.Dispose) marks it closed,
 * so no new call can take a reference, and drops the owner's; the release function runs when
 * the last reference goes, so the value is never closed (or reused by another open) under a call.
 *
 * The object a call works on is pinned the same way: sp_call_enter holds a reference to the
 * object (its memory stays until the call leaves, whatever Dispose does on another thread) and to
 * its handle. Dispose marks the object closed, wakes what blocks (each type's close), and closes
 * the handle; the OS value and the memory go when the last call leaves.
 *
 * The handle's memory outlives its OS value while anyone holds a pointer to it: a call that has
 * pinned the object but not yet the handle must find a closed handle, not freed memory. So every
 * holder of a pointer (the owning object, a slot, a SafeHandle object) keeps the struct with
 * sp_handle_keep and lets go twice: sp_handle_close when it is disposed (the OS value goes with
 * the last call), sp_handle_unkeep when its pointer goes (its destroy). A handle nobody can reach
 * by pointer any more (one swapped out of a slot) is let go at once with sp_handle_dispose.
 *
 * Calls that never block and touch no OS handle (MemoryStream, view streams) use none of this.
 */
#ifndef SHARPIPC_HANDLE_H
#define SHARPIPC_HANDLE_H

#include "core/internal.h"

typedef struct sp_handle sp_handle;
typedef void (*sp_handle_release_fn)(intptr_t value, void *context);

struct sp_handle {
    /* bit 0: closed; the rest: the reference count, in steps of 2 */
    atomic_uintptr_t state;
    /* who keeps the struct itself: 1 for the references above, plus one per sp_handle_keep */
    atomic_uint keeps;
    intptr_t value;
    sp_handle_release_fn release;
    void *context;
};

/* A new handle for value with one reference (the owner's); release(value, context) runs once the
 * handle is closed and the last reference is gone. NULL with OutOfMemoryException (value is then
 * not released: the caller still owns it). The owner keeps it (sp_handle_keep) if it holds on to
 * the pointer past the value's life, as every owning object does. */
sp_handle *sp_handle_new(intptr_t value, sp_handle_release_fn release, void *context);
/* Takes a reference for a call; false once the handle is closed (nothing raised). */
bool sp_handle_add_ref(sp_handle *h);
/* Drops a reference; the last one (after close) releases the value and frees the handle. */
void sp_handle_release(sp_handle *h);
/* Marks the handle closed and drops the owner's reference; later calls do nothing. NULL is fine.
 * The memory stays while it is kept (and until the last reference). */
void sp_handle_close(sp_handle *h);
/* sp_handle_close and sp_handle_unkeep at once, for a handle whose holder lets go of its pointer
 * (taken out of its slot). NULL is fine. */
void sp_handle_dispose(sp_handle *h);
bool sp_handle_is_closed(const sp_handle *h);
/* Keeps the struct (not the value) alive for a holder that is no call: a place that closes the
 * handle some day and asks sp_handle_is_closed or sp_handle_add_ref meanwhile, as a SafeHandle
 * object shared by several owners. The value still goes when it is closed and its last reference
 * is gone; the struct when also every keep was dropped (sp_handle_unkeep). */
void sp_handle_keep(sp_handle *h);
void sp_handle_unkeep(sp_handle *h);
static inline intptr_t sp_handle_value(const sp_handle *h) { return h->value; }

/* A place holding the current handle of an object whose handle changes (a pipe server's
 * connection comes and goes): taking a reference and swapping are atomic with each other, so a
 * call never takes a reference to a handle that a swap has just freed. */
typedef struct sp_handle_slot {
    atomic_flag lock; /* held for a few instructions only */
    sp_handle *handle;
} sp_handle_slot;

#define SP_HANDLE_SLOT_INIT                                                                                            \
  {                                                                                                                    \
    ATOMIC_FLAG_INIT, NULL                                                                                             \
  }
/* The slot's handle with a reference for the caller, or NULL when it is empty or closed. */
sp_handle *sp_handle_slot_acquire(sp_handle_slot *slot);
/* Puts h (may be NULL) in the slot and returns what was there; the owner's reference moves with
 * it (the caller closes the old one). */
sp_handle *sp_handle_slot_exchange(sp_handle_slot *slot, sp_handle *h);
/* Peeks without a reference: only for checks whose answer may be stale (a handle is there). */
bool sp_handle_slot_is_empty(sp_handle_slot *slot);

/* Enters a call on obj that uses handle h (NULL: the object alone): pins both. False with
 * ObjectDisposedException (disposed_message, or .NET's generic text) when the object or the
 * handle is closed. Every sp_call_enter that succeeded is followed by one sp_call_leave. */
bool sp_call_enter(Object *obj, sp_handle *h, const char *disposed_message);
void sp_call_leave(Object *obj, sp_handle *h);

#endif
