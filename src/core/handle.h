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
 * A handle may instead live inside its owner (sp_handle_init) and hold up the owner's memory:
 * its free function frees the owner when the last keep goes. A Socket does so, so that a call
 * needs one pin, the handle reference (socket.c's enter): while it is held the struct is kept (the
 * references' keep), so the Socket around it and what it frees with it (its waker) stay, whatever
 * the last sp_object_release does meanwhile. Such an owner's destroy ends with
 * sp_object_keep_memory instead of letting go of its keep; sp_object_release then leaves the memory
 * to the handle.
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
    /* frees the struct when the last keep goes; NULL: free(h) (sp_handle_new's) */
    void (*free)(sp_handle *h);
};

/* A new handle for value with one reference (the owner's); release(value, context) runs once the
 * handle is closed and the last reference is gone. NULL with OutOfMemoryException (value is then
 * not released: the caller still owns it). The owner keeps it (sp_handle_keep) if it holds on to
 * the pointer past the value's life, as every owning object does. */
sp_handle *sp_handle_new(intptr_t value, sp_handle_release_fn release, void *context);
/* sp_handle_new for a struct that lives inside its owner: free_fn (not NULL) runs when the last
 * keep goes and frees the owner with it. The owner keeps it like any other (sp_handle_keep). */
void sp_handle_init(sp_handle *h, intptr_t value, sp_handle_release_fn release, void *context,
                    void (*free_fn)(sp_handle *h));
/* The last reference's work: releases the value, lets go of the references' keep. */
void sp_handle_release_last(sp_handle *h);

/* Takes a reference for a call; false once the handle is closed (nothing raised). Sequentially
 * consistent: a Dispose that marks its object closed and then counts the references (a Socket's
 * close, to tell whether it cancels calls) and a call that takes its reference and then looks at
 * the closed flag or the waker cannot both miss the other (on x86 the locked CAS is that barrier
 * already). */
static inline bool sp_handle_add_ref(sp_handle *h)
{
    uintptr_t s = atomic_load_explicit(&h->state, memory_order_relaxed);
    do {
        if (s & 1u)
            return false;
    } while (!atomic_compare_exchange_weak_explicit(&h->state, &s, s + 2u, memory_order_seq_cst, memory_order_relaxed));
    return true;
}
/* Takes a reference while the value is still open, closed or not: false only once the last
 * reference has gone (the value released or being released). For one that must act on the value
 * (wake the calls blocked on it) whoever closed the handle meanwhile: the value cannot be released,
 * and its number reused by another open, under that act. */
static inline bool sp_handle_add_ref_live(sp_handle *h)
{
    uintptr_t s = atomic_load_explicit(&h->state, memory_order_relaxed);
    do {
        if ((s >> 1) == 0)
            return false;
    } while (!atomic_compare_exchange_weak_explicit(&h->state, &s, s + 2u, memory_order_seq_cst, memory_order_relaxed));
    return true;
}
/* Drops a reference; the last one (after close) releases the value and frees the handle. */
static inline void sp_handle_release(sp_handle *h)
{
    /* acq_rel: the releasing thread must see every write the other holders made before they let go */
    if (atomic_fetch_sub_explicit(&h->state, 2u, memory_order_acq_rel) == 3u)
        sp_handle_release_last(h);
}
/* The references held beside the owner's: the calls in progress (sp_handle_add_ref), as a
 * sequentially consistent load. Without the owner's (closed) the same count minus one. */
static inline uintptr_t sp_handle_ref_count(const sp_handle *h) { return atomic_load(&((sp_handle *)h)->state) >> 1; }
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

/* The last act of the destroy of an object whose memory a handle inside it holds up
 * (sp_handle_init): instead of freeing the object, sp_object_release lets go of the object's keep
 * of h once the destroy has returned, and the handle's free function frees the object when the
 * last keep goes (at once, or when the last call leaves). */
void sp_object_keep_memory(Object *obj, sp_handle *h);

#endif
