/* SafeHandle-style reference counting of OS values, and the pin every blocking call holds. */
#include "core/handle.h"

#define CLOSED ((uintptr_t)1)
#define ONE_REF ((uintptr_t)2)

/* handle.h's inline add_ref and release step by these */
_Static_assert(CLOSED == 1u && ONE_REF == 2u, "handle.h's inline reference counting");

void sp_handle_init(sp_handle *h, intptr_t value, sp_handle_release_fn release, void *context,
                    void (*free_fn)(sp_handle *h))
{
    atomic_init(&h->state, ONE_REF);
    atomic_init(&h->keeps, 1u); /* the references' (the OS value's) */
    h->value = value;
    h->release = release;
    h->context = context;
    h->free = free_fn;
}

sp_handle *sp_handle_new(intptr_t value, sp_handle_release_fn release, void *context)
{
    sp_handle *h = sp_malloc(sizeof *h);
    if (!h)
        return NULL;
    sp_handle_init(h, value, release, context, NULL);
    return h;
}

void sp_handle_release_last(sp_handle *h)
{
    if (h->release)
        h->release(h->value, h->context);
    sp_handle_unkeep(h); /* the OS value's */
}

void sp_handle_keep(sp_handle *h) { atomic_fetch_add_explicit(&h->keeps, 1u, memory_order_relaxed); }

void sp_handle_unkeep(sp_handle *h)
{
    if (atomic_fetch_sub_explicit(&h->keeps, 1u, memory_order_acq_rel) != 1u)
        return;
    if (h->free)
        h->free(h);
    else
        free(h);
}

void sp_handle_close(sp_handle *h)
{
    if (!h)
        return;
    uintptr_t s = atomic_load_explicit(&h->state, memory_order_relaxed);
    do {
        if (s & CLOSED)
            return;
    } while (
        !atomic_compare_exchange_weak_explicit(&h->state, &s, s | CLOSED, memory_order_acq_rel, memory_order_relaxed));
    sp_handle_release(h); /* the owner's reference */
}

void sp_handle_dispose(sp_handle *h)
{
    if (!h)
        return;
    sp_handle_close(h);
    sp_handle_unkeep(h);
}

bool sp_handle_is_closed(const sp_handle *h) { return (atomic_load(&((sp_handle *)h)->state) & CLOSED) != 0; }

static void slot_lock(sp_handle_slot *slot)
{
    while (atomic_flag_test_and_set_explicit(&slot->lock, memory_order_acquire))
        ; /* the holder is a few instructions from letting go */
}

static void slot_unlock(sp_handle_slot *slot) { atomic_flag_clear_explicit(&slot->lock, memory_order_release); }

sp_handle *sp_handle_slot_acquire(sp_handle_slot *slot)
{
    slot_lock(slot);
    sp_handle *h = slot->handle;
    if (h && !sp_handle_add_ref(h))
        h = NULL;
    slot_unlock(slot);
    return h;
}

sp_handle *sp_handle_slot_exchange(sp_handle_slot *slot, sp_handle *h)
{
    slot_lock(slot);
    sp_handle *old = slot->handle;
    slot->handle = h;
    slot_unlock(slot);
    return old;
}

bool sp_handle_slot_is_empty(sp_handle_slot *slot)
{
    slot_lock(slot);
    bool empty = slot->handle == NULL;
    slot_unlock(slot);
    return empty;
}

static void throw_disposed(Object *obj, const char *disposed_message)
{
    if (disposed_message)
        sp_throw(ExceptionType_ObjectDisposedException, disposed_message, NULL);
    else
        sp_throw_disposed(SR_ObjectDisposed_Generic, obj->type->name);
}

bool sp_call_enter(Object *obj, sp_handle *h, const char *disposed_message)
{
    sp_object_retain(obj);
    if (sp_object_is_closed_fast(obj) || (h && !sp_handle_add_ref(h))) {
        throw_disposed(obj, disposed_message); /* before the release, which may be the last */
        sp_object_release(obj);
        return false;
    }
    return true;
}

void sp_call_leave(Object *obj, sp_handle *h)
{
    if (h)
        sp_handle_release(h);
    sp_object_release(obj);
}
