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
 * the stream being open (and writable); both drop to false when it closes. The inline paths index
 * the buffer with (uint32_t)position (never negative): the compiler then loads the position with a
 * plain 32-bit move, where a sign-extending load (movslq) of the position just stored made a
 * write loop twice as slow on the Xeon measured (bench/README.md). */
typedef struct sp_memwin_ {
    uint8_t *buffer;
    int32_t position;
    int32_t length;
    int32_t capacity;
    bool can_read, can_write;
} sp_memwin_;
/* The tags of the objects the inline paths read (sp_fast_), right after the object header. A
 * MemoryStream's also says what it can do now, in its low two bits (SP_TAG_READ_, SP_TAG_WRITE_:
 * set while it is open and readable, writable; both clear from Close on), so that the Stream_*
 * byte calls over one test its type and its state with one load and one compare. */
#define SP_TAG_READ_ 1u
#define SP_TAG_WRITE_ 2u
#define SP_MS_TAG_ 0x4453544d4d454d40ull
#define SP_MS_TAG_R_ (SP_MS_TAG_ | SP_TAG_READ_)
#define SP_MS_TAG_RW_ (SP_MS_TAG_ | SP_TAG_READ_ | SP_TAG_WRITE_)
#define SP_BR_TAG_ 0x4442524452414e42ull
#define SP_BW_TAG_ 0x4442575452414e42ull
#define SP_SW_TAG_ 0x4457535452414e42ull
#define SP_SR_TAG_ 0x4452535452414e42ull

/* A StreamWriter's encoded bytes not yet written (.NET's char buffer, in UTF-8). ASCII text goes
 * in as it is while char_fast (open, UTF-8, no AutoFlush, no half surrogate waiting), short of
 * the flush point and of the capacity; WriteLine also wants the newline ASCII (newline_ascii). The first three fields are an sp_buf's. */
typedef struct sp_textout_ {
    uint8_t *data;
    size_t length;
    size_t capacity;
    size_t flush_at;
    const void *stream; /* the Stream beneath (an object header first) */
    const char *newline;
    size_t newline_length;
    uint16_t high_surrogate;
    bool char_fast; /* then newline_ascii: WriteLine reads them together */
    bool newline_ascii;
} sp_textout_;

/* A StreamReader's decoded text (UTF-8): data[pos..length) unread; open until Close. An ASCII byte
 * is its own UTF-16 unit, unless the low half of a surrogate pair is due (pending_low). The text is
 * valid UTF-8 (the reader decodes or validates what it reads), so a line taken from it needs no
 * check. The stream beneath is not looked at: text already read is served after the stream
 * closes, as .NET's StreamReader serves what its buffer holds. */
typedef struct sp_textin_ {
    uint8_t *data;
    size_t length;
    size_t capacity;
    size_t pos;
    uint16_t pending_low; /* then open and zero_: read together (sp_fast_sr_ready_) */
    bool open;
    uint8_t zero_; /* never written: 0 (the object is calloc'd), so one 32-bit compare tests both */
} sp_textin_;

/* The calling thread's cache of small blocks (src/core/smallblock.h: classes of 32 << i bytes,
 * each block's first word linking to the next kept one) and the header in front of an array's
 * elements (src/System/array.c): what ReadBytes and Array_Free of a short byte array take and give
 * back inline, where the exported calls cost ~80 instructions between them. A thread uses its
 * lists inline only while its state is SP_SMALL_LIVE_ exactly (not under ASan or memcheck, whose
 * poisoning the exported calls do). */
#define SP_SMALL_CLASSES_ 5
#define SP_SMALL_KEEP_ 16
#define SP_SMALL_LIVE_ 1
typedef struct sp_small_cache_ {
    void *head[SP_SMALL_CLASSES_];
    uint8_t count[SP_SMALL_CLASSES_];
    uint8_t state;
} sp_small_cache_;
#define SP_ARRAY_MAGIC_ 0x53504152u /* "SPAR" */
/* 16 bytes, so the elements keep malloc's alignment (8 or 16) for Int64, Double and Decimal. */
typedef struct sp_array_head_ {
    uint32_t magic;
    int32_t element_type;
    int32_t length;
    uint16_t element_size;
    uint16_t block; /* the small-block class of an array of up to 512 bytes, else 0xFFFF (malloc) */
} sp_array_head_;

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
    bool closed;                                                                                                       \
    unsigned char block_

/* The calling thread's "an exception is pending" flag: a call that succeeds clears it. The inline
 * paths leave every call made while it is set to the exported function, which clears it. */
SHARPIPC_API extern __thread bool sp_exception_pending __attribute__((tls_model("initial-exec")));
/* .NET's string.Empty: the "" that calls return without allocating it (String_Free knows it).
 * Declared without its size: a caller's strcmp of a string that the inline paths may return as ""
 * is then not "a string compared with an array of size 1" (GCC's -Wstring-compare), where the
 * inline String_Free, testing for it, lets the compiler follow that path. */
SHARPIPC_API extern const char sp_empty_string[];
/* The calling thread's small-block cache (sp_small_cache_), initial-exec as the flag above. */
SHARPIPC_API extern __thread sp_small_cache_ sp_small_ __attribute__((tls_model("initial-exec")));


/* A block of class cls from the calling thread's cache, or NULL when it keeps none of that class or
 * keeps nothing inline (ASan, memcheck): the exported calls then decide. */
static inline void *sp_fast_small_take_(unsigned cls)
{
    void *b = sp_small_.head[cls];
    if (__builtin_expect(!b || sp_small_.state != SP_SMALL_LIVE_, 0))
        return (void *)0;
    sp_small_.head[cls] = *(void **)b;
    sp_small_.count[cls]--;
    return b;
}
/* A block of class cls back onto the calling thread's list, as the exported frees put it (its
 * first word becomes the link); false, with nothing done, when the list is full or the thread
 * keeps nothing inline. */
static inline bool sp_fast_small_give_(void *b, unsigned cls)
{
    if (!(sp_small_.state == SP_SMALL_LIVE_ && sp_small_.count[cls] < SP_SMALL_KEEP_))
        return false;
    *(void **)b = sp_small_.head[cls];
    sp_small_.head[cls] = b;
    sp_small_.count[cls]++;
    return true;
}

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
/* A BinaryReader also says whether ReadChar of a byte below 0x80 is that byte, with nothing to
 * decode before or after it (an ASCII-compatible encoding, no partial character pending). */
typedef struct sp_fast_br_ {
    sp_fast_ head;
    bool ascii_char;
} __attribute__((may_alias)) sp_fast_br_;

/* Is an exception pending on the calling thread? With GCC on x86-64 (GNU C: __seg_fs), the flag's
 * TLS offset comes from an asm the compiler may hoist out of a loop (the offset is the process's,
 * fixed at load), where GCC loads its GOT entry again in every iteration of a loop that holds a
 * call. The flag itself is read every time: it is memory a call may change. A stale read could
 * only ever see it set (inline paths only clear it), which sends the call to the exported
 * function: the slow way, never a wrong result. Not under ASan or TSan, which would check the
 * __seg_fs address as if it were an ordinary one. */
static inline bool sp_fast_pending_(void)
{
#  if defined(__x86_64__) && defined(__LP64__) && defined(__SEG_FS) && !defined(__STRICT_ANSI__) &&                    \
      !defined(__cplusplus) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) &&                                \
      !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_HWADDRESS__)
    long offset;
    /* Both assembler dialects: a program may be built with -masm=intel. */
    __asm__("{movq sp_exception_pending@gottpoff(%%rip), %0|mov %0, QWORD PTR sp_exception_pending@gottpoff[rip]}"
            : "=r"(offset));
    return *(const __seg_fs bool *)offset;
#  else
    return sp_exception_pending;
#  endif
}
/* n bytes from s to d as memmove copies them (the bytes may be the stream's own: GetBuffer), in
 * the caller's code: up to 16 bytes of a known count are one load and one store whichever way they
 * overlap; otherwise ranges apart (the case there is) are memcpy's, which GCC expands inline for
 * a known count where it calls memmove, and only overlapping ones call memmove. */
static inline void sp_fast_copy_(void *d, const void *s, size_t n)
{
    uintptr_t x = (uintptr_t)d, y = (uintptr_t)s;
    if (__builtin_constant_p(n) && n <= 16)
        __builtin_memmove(d, s, n);
    else if (x - y >= n && y - x >= n) /* |x - y| >= n, in unsigned arithmetic */
        __builtin_memcpy(d, s, n);
    else
        __builtin_memmove(d, s, n);
}
/* Is f an object with that tag? The whole 64-bit tag: half of it is not enough, since other
 * objects hold a caller's bytes where the tag would be (an IPAddress's first four bytes sit where
 * a tag's high half does, so that 68.82.66.68 passed for a BinaryReader). */
static inline bool sp_fast_is_(const sp_fast_ *f, uint64_t tag) { return f->tag == tag; }
/* The next n (1 or more) bytes of an open window, copied to dst and consumed; false where the
 * exported call must decide (which includes a pending exception: the exported call clears it).
 * The length test alone says the window is open: a closed MemoryStream's position is past any
 * length, and the closed window's length is 0 (where testing can_read too made a read loop
 * 1.3-1.4x as long). The bytes are read before the position is stored: a load after that store
 * (which it may alias, being a char access) measured twice as slow in a loop (bench/README.md). */
static inline bool sp_fast_take_(const void *object, uint64_t tag, int32_t n, void *dst)
{
    const sp_fast_ *f = (const sp_fast_ *)object;
    sp_memwin_ *w;
    if (__builtin_expect(f && sp_fast_is_(f, tag), 1)) {
        w = __atomic_load_n(&f->win, __ATOMIC_RELAXED);
        int32_t at = w->position;
        if (__builtin_expect(w->length - at >= n && !sp_fast_pending_(), 1)) {
            __builtin_memcpy(dst, w->buffer + (uint32_t)at, (size_t)n);
            w->position = at + n;
            return true;
        }
    }
    return false;
}
/* Room for n bytes at the position of a writable window, with no growth and no gap to zero:
 * where they go (p) and what sp_fast_commit_ then stores, read before the caller's byte stores
 * (which may alias the window, so that the compiler would load it again after them). */
typedef struct sp_room_ {
    uint8_t *p;
    sp_memwin_ *w;
    int32_t end, length;
} sp_room_;
/* Room in a window known to be writable: the position at or before the length, n bytes to the
 * capacity, no exception pending. */
static inline bool sp_fast_room_in_(sp_memwin_ *w, int32_t n, sp_room_ *r)
{
    int32_t at = w->position, length = w->length;
    if (__builtin_expect(at <= length && w->capacity - at >= n && !sp_fast_pending_(), 1)) {
        r->p = w->buffer + (uint32_t)at;
        r->w = w;
        r->end = at + n;
        r->length = length;
        return true;
    }
    return false;
}
static inline bool sp_fast_room_(const void *object, uint64_t tag, int32_t n, sp_room_ *r)
{
    const sp_fast_ *f = (const sp_fast_ *)object;
    if (__builtin_expect(f && sp_fast_is_(f, tag), 1)) {
        sp_memwin_ *w = __atomic_load_n(&f->win, __ATOMIC_RELAXED);
        return w->can_write && sp_fast_room_in_(w, n, r);
    }
    return false;
}
/* After the bytes are in: the position and the length move past them. Stored last: a byte store
 * after the position's made the loop's chain through the position twice as long (bench/README.md). */
static inline void sp_fast_commit_(const sp_room_ *r)
{
    r->w->position = r->end;
    if (r->end > r->length)
        r->w->length = r->end;
}
/* The n bytes at src written at the position of a writable window (sp_fast_room_); false where
 * the exported call must decide. */
static inline bool sp_fast_put_(const void *object, uint64_t tag, int32_t n, const void *src)
{
    sp_room_ r;
    if (!sp_fast_room_(object, tag, n, &r))
        return false;
    if (n > 0) /* an empty stream may have no buffer at all; src may be its own bytes (WriteBytes) */
        sp_fast_copy_(r.p, src, (size_t)n);
    sp_fast_commit_(&r);
    return true;
}
/* The open window of an object with that tag, with no exception pending, or NULL: for calls
 * that look at the bytes before they decide how many to take. */
static inline sp_memwin_ *sp_fast_window_(const void *object, uint64_t tag)
{
    const sp_fast_ *f = (const sp_fast_ *)object;
    return f && sp_fast_is_(f, tag) && !sp_fast_pending_() ? __atomic_load_n(&f->win, __ATOMIC_RELAXED)
                                                           : (sp_memwin_ *)0;
}
/* Text of 8 to 32 bytes as four overlapping words: its first 8 bytes, 8 from m, 8 from k and its
 * last 8. Loaded once and tested for a high bit, then stored wherever the text goes: held in
 * registers once inlined, which a byte copy through a local is not. */
typedef struct sp_words_ {
    uint64_t a, b, c, e;
    size_t m, k;
} sp_words_;
static inline bool sp_fast_words_load_(sp_words_ *q, const char *s, size_t n)
{
    q->m = n > 16 ? 8 : 0;
    q->k = n > 16 ? n - 16 : 0;
    __builtin_memcpy(&q->a, s, 8);
    __builtin_memcpy(&q->b, s + q->m, 8);
    __builtin_memcpy(&q->c, s + q->k, 8);
    __builtin_memcpy(&q->e, s + n - 8, 8);
    return !((q->a | q->b | q->c | q->e) & 0x8080808080808080ull);
}
static inline void sp_fast_words_store_(uint8_t *d, size_t n, const sp_words_ *q)
{
    __builtin_memcpy(d, &q->a, 8);
    __builtin_memcpy(d + q->m, &q->b, 8);
    __builtin_memcpy(d + q->k, &q->c, 8);
    __builtin_memcpy(d + n - 8, &q->e, 8);
}
/* Copies n bytes of text to d when they are all ASCII and n <= 32 (a line, a word), with a few
 * overlapping word moves; false, with nothing written, for anything else. */
static inline bool sp_fast_copy_ascii_(uint8_t *d, const char *s, size_t n)
{
    if (n >= 8) {
        sp_words_ q;
        if (n > 32 || !sp_fast_words_load_(&q, s, n))
            return false;
        sp_fast_words_store_(d, n, &q);
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
/* sp_fast_copy_ascii_ for StreamWriter text of n <= 32 bytes (the caller checks n): from 16 bytes on,
 * two overlapping 16-byte moves (SSE2, on every x86-64) with one test of both for a high bit, where
 * the four word moves needed more registers than the writer's loop had and spilled. */
static inline bool sp_fast_text_copy_(uint8_t *d, const char *s, size_t n)
{
#  if defined(__SSE2__)
    if (n >= 16) {
        typedef char sp_v16qi_ __attribute__((vector_size(16)));
        sp_v16qi_ a, b;
        __builtin_memcpy(&a, s, 16);
        __builtin_memcpy(&b, s + n - 16, 16);
        if (__builtin_ia32_pmovmskb128(a | b))
            return false;
        __builtin_memcpy(d, &a, 16);
        __builtin_memcpy(d + n - 16, &b, 16);
        return true;
    }
#  endif
    return sp_fast_copy_ascii_(d, s, n);
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

/* The window of an open MemoryStream (its tag with SP_TAG_READ_), or NULL: one load and one
 * compare say both what the object is and that it is open, where the tag and the window's
 * can_read would be two loads. */
static inline sp_memwin_ *sp_fast_ms_(const void *stream)
{
    sp_fast_ms_obj_ *f = (sp_fast_ms_obj_ *)(uintptr_t)stream;
    return f && (f->head.tag | SP_TAG_WRITE_) == SP_MS_TAG_RW_ ? &f->win : (sp_memwin_ *)0;
}
/* Stream.ReadByte of an open MemoryStream with a byte left and no exception pending: that byte,
 * consumed; -1 where the exported call must decide (it clears the pending exception). Testing the
 * flag costs a load where clearing it would cost a second store beside the position's, which
 * measured slower in a loop (bench/README.md). The byte and the buffer are read before the
 * position is stored, which keeps the stored position the loop's only chain through memory. */
static inline int32_t sp_fast_ms_read_byte_(const void *stream)
{
    sp_memwin_ *w = sp_fast_ms_(stream);
    if (__builtin_expect(w && w->position < w->length && !sp_exception_pending, 1)) {
        int32_t at = w->position, v = w->buffer[(uint32_t)at];
        w->position = at + 1;
        return v;
    }
    return -1;
}
/* Stream.WriteByte into an open, writable MemoryStream (SP_MS_TAG_RW_) with room, no gap to zero
 * and no exception pending. Over bytes the stream holds (the position below the length) the
 * length stays, so that case is tested and done on its own: one compare where the append case
 * needs two and a length store (the combined test measured 1.2-1.5x as long a call in a loop). */
static inline bool sp_fast_ms_write_byte_(const void *stream, uint8_t value)
{
    const sp_fast_ms_obj_ *f = (const sp_fast_ms_obj_ *)stream;
    if (__builtin_expect(f && f->head.tag == SP_MS_TAG_RW_, 1)) {
        sp_memwin_ *w = (sp_memwin_ *)(uintptr_t)&f->win;
        /* The window first, the byte (which may alias it) after, as sp_fast_commit_ explains. */
        int32_t at = w->position, length = w->length;
        uint8_t *buffer = w->buffer;
        if (__builtin_expect(at < length && !sp_exception_pending, 1)) {
            buffer[(uint32_t)at] = value;
            w->position = at + 1;
            return true;
        }
        if (at == length && at < w->capacity && !sp_exception_pending) {
            buffer[(uint32_t)at] = value;
            w->position = at + 1;
            w->length = at + 1;
            return true;
        }
    }
    return false;
}

SHARPIPC_END_DECLS
#endif /* SHARPIPC_INLINE */

#endif
