/*
 * .NET's SafeHandle as an object: a SafeHandle holds an sp_handle (core/handle.h, the counted OS
 * value with the closed bit), which it keeps (sp_handle_keep), so IsClosed and IsInvalid answer
 * for as long as the object lives, whoever closed the value. Each derived type says how its value
 * reads (sp_safe_handle_ops). The objects that hand one out as a property (its owner: a
 * FileStream, a map, a view) make it on first use (sp_safe_handle_new, sp_safe_handle_publish), hold one reference to it
 * and let it go in their destroy (sp_safe_handle_drop); their Dispose closes its sp_handle, so it
 * reads closed afterwards, as in .NET.
 *
 * Closing the handle itself (SafeHandle_Close, or Dispose of a retained one) closes the value and
 * tells the owner, if it still lives, what .NET's owner would see: by default the owner reads as
 * closed at once (a FileStream whose handle is closed is a closed stream, without flushing), or the
 * type's owner_closed runs (a map's closes the map and the file it owns).
 */
#ifndef SHARPIPC_SAFEHANDLE_H
#define SHARPIPC_SAFEHANDLE_H

#include "core/handle.h"

typedef struct sp_safe_handle_ops {
    /* DangerousGetHandle: the number the caller sees for the value (NULL: the value itself) */
    intptr_t (*number)(intptr_t value);
    /* IsInvalid for the value (NULL: never) */
    bool (*is_invalid)(intptr_t value);
    /* What closing the handle does to its live owner (NULL: the owner reads as closed). Runs with
     * a reference to the owner held, outside every lock. */
    void (*owner_closed)(Object *owner);
} sp_safe_handle_ops;

struct SafeHandle {
    Object base;
    sp_handle *handle; /* kept by this object */
    const sp_safe_handle_ops *ops;
    /* false: a duplicate made in a race and dropped before anyone saw it; it closes nothing */
    bool owns;
    /* The object that handed this one out, NULL once its destroy has let go (under owner_lock, held
     * for a few instructions only). */
    atomic_flag owner_lock;
    Object *owner;
};

struct SafeBuffer {
    SafeHandle safe;
    uint64_t byte_length;
};

extern const sp_type sp_type_SafeHandle;
extern const sp_type sp_type_SafeBuffer;

/* Sets up the SafeHandle part of a freshly allocated object (sp_object_new) over h, taking over a
 * keep of h the caller holds. owner may be NULL (a handle nobody hands out as a property). */
void sp_safe_handle_init(SafeHandle *s, sp_handle *h, const sp_safe_handle_ops *ops, Object *owner);

/* A new handle object (object_size bytes of type) over h, taking over a keep of h the caller
 * holds; h_is_private: h was made for this object alone and goes with it. NULL with
 * OutOfMemoryException (h is then let go as above). Fill in the derived type's fields, then
 * publish it. */
SafeHandle *sp_safe_handle_new(size_t object_size, const sp_type *type, const sp_safe_handle_ops *ops, sp_handle *h,
                               bool h_is_private, Object *owner);

/* Puts s in the owner's *slot and returns what the slot holds: s, or the one another thread put
 * there first (s is then dropped unseen). A private value made after (or while) its owner closed
 * is closed here, as the owner's close may have found the slot empty. */
SafeHandle *sp_safe_handle_publish(_Atomic(SafeHandle *) *slot, SafeHandle *s, bool h_is_private);

/* The handle object in *slot (NULL if never made), for an owner's close: closes its sp_handle. */
void sp_safe_handle_close_slot(_Atomic(SafeHandle *) *slot);

/* For the owner's destroy: unlinks the owner from the handle object (if it is that object's owner:
 * a stream made over another's handle holds it too) and drops its reference. */
void sp_safe_handle_drop(_Atomic(SafeHandle *) *slot, Object *owner);

/* A second object that uses s and holds a reference to it in *slot (a stream made over the handle):
 * it becomes s's owner when s has none (a handle the caller made), so closing s closes it. */
void sp_safe_handle_adopt(_Atomic(SafeHandle *) *slot, SafeHandle *s, Object *owner);

/* SafeHandle.Close(): closes the value and tells the owner (see above). */
void sp_safe_handle_close(SafeHandle *s);

#endif
