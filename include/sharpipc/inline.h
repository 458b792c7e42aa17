/*
 * Private: what the public headers' inline fast paths see of a few objects. Not an API.
 *
 * A C library has no JIT to inline a call into the caller's loop, so the hottest calls (the view
 * accessor's element reads and writes, BinaryReader/BinaryWriter primitives and Stream byte calls
 * over a MemoryStream) are also static inline functions here: they do what the exported
 * function does when nothing can go wrong (the object is open, of the right type, and the bytes
 * are there), and call the exported function for everything else, which raises .NET's exception.
 * They also clear the calling thread's pending exception, as every call that succeeds does.
 *
 * Only with GCC or clang on ELF little-endian targets: the pending-exception flag is a
 * thread-local of the shared library reached with the initial-exec model, which neither PE DLLs
 * nor other compilers offer. Elsewhere, or with SHARPIPC_NO_INLINE defined, every call is the
 * exported function. The layouts below are checked against the library's own at compile time
 * (src/System.IO/memorystream.h, src/System.IO.MemoryMappedFiles/memorymappedfiles.h); they may
 * change with the library, and programs compiled against one version's headers use that
 * version's library (the exported functions stay, so an ABI break shows as a soname change).
 */
#ifndef SHARPIPC_INLINE_H
#define SHARPIPC_INLINE_H

#include "types.h"

#if defined(__GNUC__) && defined(__ELF__) && defined(__BYTE_ORDER__) && !defined(SHARPIPC_NO_INLINE)
#  if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#    define SHARPIPC_INLINE 1
#  endif
#endif

/* A MemoryStream's bytes: the stream's own state (position and length are the stream's), so a
 * byte read inline is read for every other user of the stream too. can_read / can_write are
 * the stream being open (and writable); both drop to false when it closes. */
typedef struct sp_memwin_ {
    uint8_t *buffer;
    int32_t position;
    int32_t length;
    int32_t capacity;
    bool can_read, can_write;
} sp_memwin_;
/* The tags of the objects the inline paths read (sp_fast_), right after the object header. */
#define SP_MS_TAG_ 0x4453544d4d454d42ull
#define SP_BR_TAG_ 0x4442524452414e42ull
#define SP_BW_TAG_ 0x4442575452414e42ull
/* The window of an adapter that has none to use: never readable or writable. */
SHARPIPC_API extern sp_memwin_ sp_closed_window_;

#ifdef SHARPIPC_INLINE
SHARPIPC_BEGIN_DECLS

#  define SP_OBJECT_MAGIC_ 0x53504f42u
/* The start of every object (the library's Object). */
#  define SP_OBJECT_HEAD_                                                                                              \
    uint32_t magic;                                                                                                    \
    const void *type;                                                                                                  \
    int refs;                                                                                                          \
    bool closed

/* The calling thread's "an exception is pending" flag: a call that succeeds clears it. The inline
 * paths leave every call made while it is set to the exported function, which clears it. */
SHARPIPC_API extern __thread bool sp_exception_pending __attribute__((tls_model("initial-exec")));


/* A Stream, a BinaryReader or a BinaryWriter: the object header, a 64-bit tag that says which
 * (SP_MS_TAG_ for a MemoryStream only), and the window: a MemoryStream's own, or for an adapter
 * the window of the MemoryStream beneath, or sp_closed_window_ (an adapter over another stream, or
 * closed). The tag is what the inline paths trust, not the C type: an object of another kind cast
 * to the pointer type has something else there and goes to the exported call, which says so. */
typedef struct sp_fast_ {
    SP_OBJECT_HEAD_;
    uint64_t tag;
    sp_memwin_ *win;
} __attribute__((may_alias)) sp_fast_;

/* The next n bytes of an open window, consumed, in *p; false where the exported call must decide
 * (which includes a pending exception: the exported call clears it). */
static inline bool sp_fast_take_(const void *object, uint64_t tag, int32_t n, const uint8_t **p)
{
    const sp_fast_ *f = (const sp_fast_ *)object;
    sp_memwin_ *w;
    if (__builtin_expect(f && f->tag == tag, 1)) {
        w = __atomic_load_n(&f->win, __ATOMIC_RELAXED);
        if (__builtin_expect(w->can_read && w->length - w->position >= n && !sp_exception_pending, 1)) {
            *p = w->buffer + w->position;
            w->position += n;
            return true;
        }
    }
    return false;
}
/* Room for n bytes at the position of a writable window, with no growth and no gap to zero, in
 * *p; the length moves past them. False where the exported call must decide. */
static inline bool sp_fast_put_(const void *object, uint64_t tag, int32_t n, uint8_t **p)
{
    const sp_fast_ *f = (const sp_fast_ *)object;
    sp_memwin_ *w;
    if (__builtin_expect(f && f->tag == tag, 1)) {
        w = __atomic_load_n(&f->win, __ATOMIC_RELAXED);
        if (__builtin_expect(w->can_write && w->position <= w->length && w->capacity - w->position >= n &&
                                 !sp_exception_pending,
                             1)) {
            *p = w->buffer + w->position;
            w->position += n;
            if (w->position > w->length)
                w->length = w->position;
            return true;
        }
    }
    return false;
}
/* The open window of an object with that tag, with no exception pending, or NULL: for calls
 * that look at the bytes before they decide how many to take. */
static inline sp_memwin_ *sp_fast_window_(const void *object, uint64_t tag)
{
    const sp_fast_ *f = (const sp_fast_ *)object;
    return f && f->tag == tag && !sp_exception_pending ? __atomic_load_n(&f->win, __ATOMIC_RELAXED) : (sp_memwin_ *)0;
}
/* A MemoryStream's window for a block read, or NULL. */
static inline sp_memwin_ *sp_fast_ms_(const void *stream)
{
    const sp_fast_ *f = (const sp_fast_ *)stream;
    return f && f->tag == SP_MS_TAG_ ? f->win : (sp_memwin_ *)0;
}

SHARPIPC_END_DECLS
#endif /* SHARPIPC_INLINE */

#endif
