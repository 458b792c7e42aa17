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
#define SP_SW_TAG_ 0x4457535452414e42ull
#define SP_SR_TAG_ 0x4452535452414e42ull

/* A StreamWriter's encoded bytes not yet written (.NET's char buffer, in UTF-8). ASCII text goes
 * in as it is while char_fast (open, UTF-8, no AutoFlush) and no half surrogate waits, short of
 * the flush point and of the capacity; Write(string) also wants the stream open, WriteLine the
 * newline ASCII (newline_ascii). The first three fields are an sp_buf's. */
typedef struct sp_textout_ {
    uint8_t *data;
    size_t length;
    size_t capacity;
    size_t flush_at;
    const void *stream; /* the Stream beneath (an object header first) */
    const char *newline;
    size_t newline_length;
    uint16_t high_surrogate;
    bool char_fast;
    bool newline_ascii;
} sp_textout_;

/* A StreamReader's decoded text (UTF-8): data[pos..length) unread; open until Close. An ASCII byte
 * is its own UTF-16 unit, unless the low half of a surrogate pair is due (pending_low). */
typedef struct sp_textin_ {
    uint8_t *data;
    size_t length;
    size_t capacity;
    size_t pos;
    uint16_t pending_low;
    bool open;
} sp_textin_;

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
/* .NET's string.Empty: the "" that calls return without allocating it (String_Free knows it). */
SHARPIPC_API extern const char sp_empty_string[1];


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
/* A BinaryWriter also says whether its encoding is UTF-8 (ASCII text is then its own bytes). */
typedef struct sp_fast_bw_ {
    sp_fast_ head;
    bool utf8;
} __attribute__((may_alias)) sp_fast_bw_;

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
/* Copies n bytes of text to d when they are all ASCII and n <= 32 (a line, a word), with a few
 * overlapping word moves; false, with nothing written, for anything else. */
static inline bool sp_fast_copy_ascii_(uint8_t *d, const char *s, size_t n)
{
    if (n >= 8) {
        if (n > 32)
            return false;
        size_t m = n > 16 ? 8 : 0, k = n > 16 ? n - 16 : 0;
        uint64_t a, b, c, e;
        __builtin_memcpy(&a, s, 8);
        __builtin_memcpy(&b, s + m, 8);
        __builtin_memcpy(&c, s + k, 8);
        __builtin_memcpy(&e, s + n - 8, 8);
        if ((a | b | c | e) & 0x8080808080808080ull)
            return false;
        __builtin_memcpy(d, &a, 8);
        __builtin_memcpy(d + m, &b, 8);
        __builtin_memcpy(d + k, &c, 8);
        __builtin_memcpy(d + n - 8, &e, 8);
        return true;
    }
    unsigned any = 0;
    for (size_t i = 0; i < n; i++)
        any |= (uint8_t)s[i];
    if (any & 0x80)
        return false;
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)s[i];
    return true;
}
/* A StreamWriter and a StreamReader: the header, the tag, their text. */
typedef struct sp_fast_textout_ {
    SP_OBJECT_HEAD_;
    uint64_t tag;
    sp_textout_ out;
} __attribute__((may_alias)) sp_fast_textout_;
typedef struct sp_fast_textin_ {
    SP_OBJECT_HEAD_;
    uint64_t tag;
    sp_textin_ in;
} __attribute__((may_alias)) sp_fast_textin_;

/* A MemoryStream: its window sits in the object, right after the Stream, so the Stream_* calls
 * over one reach it without loading the window pointer (an adapter's goes through it). The two
 * fields between are the Stream's (its operations and OS handle, its timeouts). */
typedef struct sp_fast_ms_obj_ {
    sp_fast_ head;
    const void *ops_;
    void *os_handle_;
    int32_t timeouts_[2];
    sp_memwin_ win;
} __attribute__((may_alias)) sp_fast_ms_obj_;

/* A MemoryStream's window for a block read, or NULL. */
static inline sp_memwin_ *sp_fast_ms_(const void *stream)
{
    sp_fast_ms_obj_ *f = (sp_fast_ms_obj_ *)(uintptr_t)stream;
    return f && f->head.tag == SP_MS_TAG_ ? &f->win : (sp_memwin_ *)0;
}
/* Stream.ReadByte of an open MemoryStream with a byte left: that byte, consumed; -1 where the
 * exported call must decide. A success clears the pending exception as the exported call does
 * (a plain store: cheaper in a loop than testing it). The byte and the buffer are read before
 * the stores, which keeps the stored position the loop's only chain through memory. */
static inline int32_t sp_fast_ms_read_byte_(const void *stream)
{
    sp_memwin_ *w = sp_fast_ms_(stream);
    if (__builtin_expect(w && w->can_read && w->position < w->length, 1)) {
        int32_t at = w->position, v = w->buffer[at];
        w->position = at + 1;
        sp_exception_pending = 0;
        return v;
    }
    return -1;
}
/* Stream.WriteByte into an open, writable MemoryStream with room and no gap to zero. */
static inline bool sp_fast_ms_write_byte_(const void *stream, uint8_t value)
{
    sp_memwin_ *w = sp_fast_ms_(stream);
    if (__builtin_expect(w && w->can_write && w->position <= w->length && w->position < w->capacity, 1)) {
        int32_t at = w->position;
        w->buffer[at] = value;
        w->position = at + 1;
        if (at == w->length)
            w->length = at + 1;
        sp_exception_pending = 0;
        return true;
    }
    return false;
}

SHARPIPC_END_DECLS
#endif /* SHARPIPC_INLINE */

#endif
