/* What the MemoryMappedFiles classes share, private to src/System.IO.MemoryMappedFiles/: the view
 * objects' layouts, the access rules and the view-making helper. */
#ifndef SHARPIPC_MEMORYMAPPEDFILES_H
#define SHARPIPC_MEMORYMAPPEDFILES_H

#include "System.IO/filestream.h"
#include "core/ioerror.h"
#include "core/safehandle.h"
#include "platform/platform.h"

struct UnmanagedMemoryStream {
    Stream stream;
    uint8_t *memory;
    int64_t length, capacity, position;
    MemoryMappedFileAccess access;
};

struct MemoryMappedViewStream {
    UnmanagedMemoryStream ums;
    sp_view view;
    _Atomic(SafeHandle *) safe_handle; /* its SafeMemoryMappedViewHandle, made on first use */
};

struct UnmanagedMemoryAccessor {
    Object base;
    uint64_t tag; /* SP_UMA_TAG_: what the public header's inline element calls recognise */
    uint8_t *memory;
    int64_t capacity;
    bool can_read, can_write;
};

struct MemoryMappedViewAccessor {
    UnmanagedMemoryAccessor uma;
    sp_view view;
    _Atomic(SafeHandle *) safe_handle; /* its SafeMemoryMappedViewHandle, made on first use */
};

#ifdef SHARPIPC_INLINE_ACCESSOR
/* The public header's inline element calls read these fields through sp_uma_fast_. */
#  define SP_UMA_SAME_(f, g) (offsetof(UnmanagedMemoryAccessor, f) == offsetof(sp_uma_fast_, g))
_Static_assert(SP_UMA_SAME_(base.magic, magic) && SP_UMA_SAME_(base.type, type) && SP_UMA_SAME_(base.closed, closed) &&
                   sizeof(atomic_bool) == sizeof(bool) && SP_UMA_SAME_(tag, tag) && SP_UMA_SAME_(memory, memory) &&
                   SP_UMA_SAME_(capacity, capacity) && SP_UMA_SAME_(can_read, can_read) &&
                   SP_UMA_SAME_(can_write, can_write) && SP_OBJECT_MAGIC_ == SP_OBJECT_MAGIC,
               "sp_uma_fast_ (include/sharpipc/System.IO.MemoryMappedFiles.h) must match UnmanagedMemoryAccessor");
#  undef SP_UMA_SAME_
#endif

static inline bool sp_mmf_access_can_read(MemoryMappedFileAccess a) { return a != MemoryMappedFileAccess_Write; }
static inline bool sp_mmf_access_can_write(MemoryMappedFileAccess a)
{
    return a == MemoryMappedFileAccess_ReadWrite || a == MemoryMappedFileAccess_Write ||
           a == MemoryMappedFileAccess_CopyOnWrite || a == MemoryMappedFileAccess_ReadWriteExecute;
}

/* A view object's close: flushes the view; false with .NET's exception if the flush failed. The
 * view stays mapped until the object's last reference goes (its destroy unmaps it), so a thread
 * holding its own reference that is inside a Read/Write/ReadArray when another disposes the
 * object never touches unmapped memory, and element calls pay no pin for it. */
bool sp_mmf_view_flush(sp_view *view);

/* A view object closed without its Close (its view handle was closed): an accessor's tag loses
 * its read and write bits, so that the public header's inline element calls see it closed. */
void sp_mmf_view_closed(Object *o);

/* CreateViewStream / CreateViewAccessor's shared checks, then the OS view, then the object that
 * owns it (object_size bytes of `type`, its sp_view at view_offset, returned in *view). */
void *sp_mmf_new_view_object(MemoryMappedFile *mmf, int64_t offset, int64_t size, MemoryMappedFileAccess access,
                             size_t object_size, const sp_type *type, size_t view_offset, sp_view **view);

/* The view's SafeMemoryMappedViewHandle in *slot, made on first use (owner: the view object).
 * Closing it closes the view object (ObjectDisposedException after, as .NET's AcquirePointer on a
 * closed handle); the memory stays mapped until the view object's destroy, so an inline element
 * call in another thread never touches unmapped memory. The view's close closes the handle
 * (sp_safe_handle_close_slot), its destroy lets go of it (sp_safe_handle_drop). */
SafeMemoryMappedViewHandle *sp_mmf_view_safe_handle(_Atomic(SafeHandle *) *slot, const sp_view *view, Object *owner);

#endif
