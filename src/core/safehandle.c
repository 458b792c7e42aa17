/* System.Runtime.InteropServices.SafeHandle and SafeBuffer: the members every handle object shares,
 * over the counted OS value of core/handle.h (see core/safehandle.h). */
#include "core/safehandle.h"

static bool safe_handle_close_object(Object *o)
{
    SafeHandle *s = (SafeHandle *)o;
    if (s->owns)
        sp_safe_handle_close(s);
    return true;
}

static void safe_handle_destroy(Object *o) { sp_handle_unkeep(((SafeHandle *)o)->handle); }

const sp_type sp_type_SafeHandle = {"System.Runtime.InteropServices.SafeHandle", &sp_type_Object,
                                    safe_handle_close_object, safe_handle_destroy};
const sp_type sp_type_SafeBuffer = {"System.Runtime.InteropServices.SafeBuffer", &sp_type_SafeHandle, NULL, NULL};

static void owner_lock(SafeHandle *s)
{
    while (atomic_flag_test_and_set_explicit(&s->owner_lock, memory_order_acquire))
        ; /* the holder is a few instructions from letting go */
}

static void owner_unlock(SafeHandle *s) { atomic_flag_clear_explicit(&s->owner_lock, memory_order_release); }

/* A reference to an object whose count may be reaching zero on another thread: none once it has
 * (its destroy is then under way and unlinks it). */
static bool try_retain(Object *o)
{
    int refs = atomic_load(&o->refs);
    do {
        if (refs <= 0)
            return false;
    } while (!atomic_compare_exchange_weak(&o->refs, &refs, refs + 1));
    return true;
}

void sp_safe_handle_init(SafeHandle *s, sp_handle *h, const sp_safe_handle_ops *ops, Object *owner)
{
    s->handle = h;
    s->ops = ops;
    s->owns = true;
    atomic_flag_clear(&s->owner_lock);
    s->owner = owner;
}

void sp_safe_handle_close(SafeHandle *s)
{
    Object *owner = NULL;
    owner_lock(s);
    if (s->owner && try_retain(s->owner))
        owner = s->owner;
    owner_unlock(s);
    sp_handle_close(s->handle);
    if (!owner)
        return;
    if (s->ops && s->ops->owner_closed)
        s->ops->owner_closed(owner);
    else
        atomic_store(&owner->closed, true); /* .NET: the owner's IsClosed is its handle's */
    /* may be the owner's last reference, whose destroy drops its reference to s: s is not touched
     * after this */
    sp_object_release(owner);
}

SafeHandle *sp_safe_handle_new(size_t object_size, const sp_type *type, const sp_safe_handle_ops *ops, sp_handle *h,
                               bool h_is_private, Object *owner)
{
    SafeHandle *s = sp_object_new(object_size, type);
    if (!s) {
        if (h_is_private)
            sp_handle_dispose(h);
        else
            sp_handle_unkeep(h);
        return NULL;
    }
    sp_safe_handle_init(s, h, ops, owner);
    return s;
}

SafeHandle *sp_safe_handle_publish(_Atomic(SafeHandle *) *slot, SafeHandle *s, bool h_is_private)
{
    SafeHandle *expected = NULL;
    if (!atomic_compare_exchange_strong(slot, &expected, s)) {
        /* another thread made one first: drop ours unseen (a private value goes with it) */
        s->owner = NULL;
        s->owns = h_is_private;
        sp_object_release(&s->base);
        return expected;
    }
    if (h_is_private && s->owner && sp_object_is_closed(s->owner))
        sp_handle_close(s->handle);
    return s;
}

void sp_safe_handle_close_slot(_Atomic(SafeHandle *) *slot)
{
    SafeHandle *s = atomic_load(slot);
    if (s)
        sp_handle_close(s->handle);
}

void sp_safe_handle_drop(_Atomic(SafeHandle *) *slot, Object *owner)
{
    SafeHandle *s = atomic_exchange(slot, NULL);
    if (!s)
        return;
    owner_lock(s);
    if (s->owner == owner)
        s->owner = NULL;
    owner_unlock(s);
    sp_object_release(&s->base);
}

void sp_safe_handle_adopt(_Atomic(SafeHandle *) *slot, SafeHandle *s, Object *owner)
{
    sp_object_retain(&s->base);
    owner_lock(s);
    if (!s->owner)
        s->owner = owner;
    owner_unlock(s);
    atomic_store(slot, s);
}

/* ================================================================ public API */

#undef SafeHandle_get_IsClosed
#undef SafeHandle_get_IsInvalid
#undef SafeHandle_DangerousGetHandle
#undef SafeHandle_Close
#undef SafeHandle_Dispose
#undef SafeBuffer_get_ByteLength

static SafeHandle *as_safe_handle(SafeHandle *h)
{
    return (SafeHandle *)sp_check_type(h, &sp_type_SafeHandle, "handle");
}

bool SafeHandle_get_IsClosed(SafeHandle *handle)
{
    SafeHandle *s = as_safe_handle(handle);
    if (!s)
        return false;
    sp_clear();
    return sp_handle_is_closed(s->handle);
}

bool SafeHandle_get_IsInvalid(SafeHandle *handle)
{
    SafeHandle *s = as_safe_handle(handle);
    if (!s)
        return false;
    sp_clear();
    return s->ops && s->ops->is_invalid && s->ops->is_invalid(sp_handle_value(s->handle));
}

intptr_t SafeHandle_DangerousGetHandle(SafeHandle *handle)
{
    SafeHandle *s = as_safe_handle(handle);
    if (!s)
        return -1;
    sp_clear();
    intptr_t value = sp_handle_value(s->handle);
    return s->ops && s->ops->number ? s->ops->number(value) : value;
}

bool SafeHandle_Close(SafeHandle *handle)
{
    SafeHandle *s = as_safe_handle(handle);
    if (!s)
        return false;
    sp_clear();
    /* a borrowed handle whose owner's last reference goes inside the close stays valid until the
     * close returns */
    sp_object_retain(&s->base);
    sp_safe_handle_close(s);
    sp_object_release(&s->base);
    return !sp_failed(); /* a map's handle closes the map, whose file may fail to flush */
}

bool SafeHandle_Dispose(SafeHandle *handle)
{
    if (!as_safe_handle(handle))
        return false;
    return Dispose((Object *)handle);
}

uint64_t SafeBuffer_get_ByteLength(SafeBuffer *buffer)
{
    SafeBuffer *b = (SafeBuffer *)sp_check_type(buffer, &sp_type_SafeBuffer, "buffer");
    if (!b)
        return 0;
    sp_clear();
    return b->byte_length;
}
