/*
 * What every portable source file shares: the object header and type descriptors, the
 * exception raisers, argument checks and a growable byte buffer. Nothing here touches the OS;
 * that is platform.h's job.
 */
#ifndef SHARPIPC_INTERNAL_H
#define SHARPIPC_INTERNAL_H

#include <sharpipc.h>

#include "core/messages.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- types and objects */

/* A runtime type: its .NET name, its base, and what Dispose and the last release do. */
typedef struct sp_type {
    const char *name;           /* "System.IO.MemoryStream" */
    const struct sp_type *base; /* NULL for System.Object */
    /* .NET's Dispose(true): release OS resources, flush. Runs once; may fail (returns false). */
    bool (*close)(Object *self);
    /* Frees what the object owns once the last reference is gone (after close has run). */
    void (*destroy)(Object *self);
} sp_type;

#define SP_OBJECT_MAGIC 0x53504f42u /* "SPOB" */

struct Object {
    uint32_t magic;
    const sp_type *type;
    atomic_int refs; /* 0 for immortal singletons */
    atomic_bool closed;
    /* Where the memory came from: 0 calloc (and an immortal singleton's static storage), else the
     * small-block class + 1 (core/smallblock.h). In what was padding: the header stays 24 bytes. */
    uint8_t block;
};

extern const sp_type sp_type_Object;

/* Clears `size` bytes of fresh memory and sets up an object's header there, with one reference;
 * `block` says where the memory came from (Object.block). */
static inline Object *sp_object_setup(void *memory, size_t size, const sp_type *type, uint8_t block)
{
    Object *obj = memory;
    memset(obj, 0, size);
    obj->magic = SP_OBJECT_MAGIC;
    obj->type = type;
    atomic_init(&obj->refs, 1);
    atomic_init(&obj->closed, false);
    obj->block = block;
    return obj;
}
/* Allocates and initialises an object of `size` bytes, zeroed; NULL + OutOfMemoryException on
 * failure. One of up to SP_SMALL_MAX bytes is a small block of the calling thread's cache. */
void *sp_object_new(size_t size, const sp_type *type);
/* Frees the memory of an object from sp_object_new, on any thread: what a handle's free function
 * that holds up its owner's memory (handle.h, sp_object_keep_memory) calls; never free(). */
void sp_object_free_memory(Object *obj);
/* Runs the type's close once; later calls return true and do nothing. */
bool sp_object_close(Object *obj);
/* Drops one reference; the last one closes (if still open) and destroys. */
void sp_object_release(Object *obj);
void sp_object_retain(Object *obj);
bool sp_object_is_closed(const Object *obj);
/* True when obj is of `type` or derived from it. */
bool sp_type_is(const sp_type *type, const sp_type *base);

/* Checks that obj is a live object of `type`: ArgumentNullException(param) for NULL,
 * ArgumentException for another type. Returns obj or NULL. */
Object *sp_check_type(const void *obj, const sp_type *type, const char *param);
/* As sp_check_type, and also ObjectDisposedException (with `disposed_message`, or .NET's generic
 * text naming the type when NULL) when the object is closed. */
Object *sp_check_open(const void *obj, const sp_type *type, const char *param, const char *disposed_message);

/* sp_check_type with the common cases inline: obj of exactly `type`, or of a type derived from it
 * directly (a MemoryStream as a Stream); anything else takes the full check. */
static inline Object *sp_check_type_fast(const void *p, const sp_type *type, const char *param)
{
    const Object *obj = p;
    /* Three levels cover every stream (NamedPipeClientStream -> PipeStream -> Stream) without the walk. */
    if (obj && obj->magic == SP_OBJECT_MAGIC &&
        (obj->type == type || obj->type->base == type || (obj->type->base && obj->type->base->base == type)))
        return (Object *)obj;
    return sp_check_type(p, type, param);
}
static inline bool sp_object_is_closed_fast(const Object *obj)
{
    return atomic_load_explicit(&((Object *)obj)->closed, memory_order_relaxed);
}

#define SP_BASE(p) ((Object *)(p))

/* T_Close (.NET's Close(): close, keep the reference) and T_Dispose for a type T whose runtime
 * type is sp_type_T. */
#define SP_DEFINE_CLOSE_AND_DISPOSE(T, param)                                                                          \
  bool T##_Close(T *param)                                                                                             \
  {                                                                                                                    \
    if (!sp_check_type(param, &sp_type_##T, #param))                                                                   \
      return false;                                                                                                    \
    sp_clear();                                                                                                        \
    return sp_object_close((Object *)param);                                                                           \
  }                                                                                                                    \
  bool T##_Dispose(T *param)                                                                                           \
  {                                                                                                                    \
    if (!sp_check_type(param, &sp_type_##T, #param))                                                                   \
      return false;                                                                                                    \
    return (Dispose)((Object *)param);                                                                                 \
  }

/* ---------------------------------------------------------------- exceptions */

/* Records an exception for this thread. message is .NET's text; param may be NULL. */
void sp_throw(ExceptionType type, const char *message, const char *param);
void sp_throwf(ExceptionType type, const char *param, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* sp_throw / sp_throwf with a text of messages.h: sp_throw_sr(ExceptionType_IOException,
 * SR_IO_PipeBroken, NULL); a format entry takes its arguments after the id. */
void sp_throw_sr(ExceptionType type, enum sp_sr message, const char *param);
void sp_throwf_sr(ExceptionType type, const char *param, enum sp_sr format, ...);
/* ObjectDisposedException(objectName, message) as .NET words it: the message, a new line and
 * "Object name: '<objectName>'.". */
void sp_throw_disposed(enum sp_sr message, const char *object_name);
/* As sp_throw, with the OS error code behind it (errno / GetLastError). */
void sp_throw_native(ExceptionType type, const char *message, int32_t native_code);
/* Sets the HResult of the pending exception (for exceptions made from OS errors). */
void sp_exception_set_hresult(int32_t hresult);
void sp_exception_set_socket_error(int32_t socket_error);
/* ArgumentOutOfRangeException.ActualValue of the pending exception, in its string form (what .NET's
 * ToString of the object gives); the ThrowIf* raisers set it themselves. */
void sp_exception_set_actual_value(const char *value);
/* AbandonedMutexException.MutexIndex of the pending exception (-1 unless set). */
void sp_exception_set_mutex_index(int32_t index);
/* A pending Decoder/EncoderFallbackException's BytesUnknown (up to 4 bytes), CharUnknown and
 * Index, which .NET's fallback buffers give it. */
void sp_exception_set_fallback(const uint8_t *bytes, size_t length, uint16_t char_unknown, int32_t index);
void sp_exception_set_native_code(int32_t native_code);
/* initial-exec TLS: every entry point touches the pending flag, so reaching it must cost no
 * function call (a shared library's default model calls __tls_get_addr each time). */
#if defined(__GNUC__) && defined(__ELF__)
#  define SP_FAST_TLS __attribute__((tls_model("initial-exec")))
/* On a definition that inline.h's asm may name where a link-time optimizer sees no use. */
#  define SP_ASM_USED __attribute__((used))
#else
#  define SP_FAST_TLS
#  define SP_ASM_USED
#endif
extern _Thread_local bool sp_exception_pending SP_FAST_TLS;
/* Keeps a rare path out of its caller, whose common path then saves no registers for it. */
#if defined(__GNUC__)
#  define SP_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#  define SP_NOINLINE __declspec(noinline)
#else
#  define SP_NOINLINE
#endif
/* The branch a hot path takes (the compiler lays it out first). */
#if defined(__GNUC__)
#  define SP_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#  define SP_LIKELY(x) (x)
#endif
/* A call succeeded: clear the pending exception. Cheap enough for every entry point. */
static inline void sp_clear(void)
{
    if (sp_exception_pending)
        sp_exception_pending = false;
}
static inline bool sp_failed(void) { return sp_exception_pending; }

/* System.Net's (hnet): ArgumentOutOfRangeException with a string ActualValue appended to the message;
 * ThrowIfGreaterThan over an unsigned value; ThrowIfLessThan. */
void sp_throw_out_of_range_actual_text(const char *param, const char *message, const char *actual);
void sp_throw_if_greater_than_unsigned(const char *param, uint64_t value, uint64_t limit);
void sp_throw_if_less_than(const char *param, int64_t value, int64_t limit);
/* hsock: new T(SR.Format(format, e.Message), e) for the pending exception e, which becomes the new
 * one's InnerException (NetworkStream's IOException around a SocketException). */
void sp_exception_wrap(ExceptionType type, enum sp_sr format);
/* The common ones, with .NET's texts. */
void sp_throw_null(const char *param);                              /* ArgumentNullException */
void sp_throw_out_of_range(const char *param, const char *message); /* ArgumentOutOfRangeException */
void sp_throw_need_nonneg(const char *param);                       /* "Non-negative number required." */
void sp_throw_invalid_off_len(void);
/* The ThrowIfNegative / ThrowIfNegativeOrZero / ThrowIfGreaterThan texts of .NET 8+ APIs. */
void sp_throw_if_negative(const char *param, int64_t value);
void sp_throw_if_negative_or_zero(const char *param, int64_t value);
void sp_throw_if_greater_than(const char *param, int64_t value,
                              int64_t limit); /* ArgumentException Argument_InvalidOffLen */
void sp_throw_stream_closed(void);            /* "Cannot access a closed Stream." */
void sp_throw_out_of_memory(void);
void sp_throw_end_of_stream(void);
void sp_throw_not_readable(void); /* NotSupportedException */
void sp_throw_not_writable(void);
void sp_throw_not_seekable(void);
/* A Decimal from the caller is only bits: true when they are a decimal (Decimal_IsValid), else
 * .NET's ArgumentException(Arg_DecBitCtor), what new decimal(int[]) throws for them. */
bool sp_decimal_check(Decimal value);

/* Validates a (buffer, offset, count) triple as .NET does (a C pointer has no length, so only the
 * null and sign checks apply), naming the parameters as the calling .NET method does. */
bool sp_check_range_args(const void *buffer, const char *buffer_param, int32_t offset, const char *offset_param,
                         int32_t count);
/* Stream's own names: buffer, offset, count. */
#define sp_check_buffer_args(buffer, offset, count)                                                                    \
  (((buffer) && (offset) >= 0 && (count) >= 0) || sp_check_range_args(buffer, "buffer", offset, "offset", count))

/* ---------------------------------------------------------------- memory and strings */

void *sp_malloc(size_t size); /* OutOfMemoryException on failure */
void *sp_realloc(void *p, size_t size);
char *sp_strdup(const char *s);
char *sp_strndup(const char *s, size_t length);
/* Drops a UTF-8 sequence cut off at the end of s (a text cut to a buffer's size): what is left
 * ends where a character ends, so that it stays valid UTF-8 if it was before the cut (a JSON
 * string, a message another program decodes). Returns s. */
char *sp_utf8_trim_cut(char *s);

/* A growable byte buffer. */
typedef struct sp_buf {
    uint8_t *data;
    size_t length;
    size_t capacity;
} sp_buf;

bool sp_buf_reserve(sp_buf *b, size_t extra);
bool sp_buf_append(sp_buf *b, const void *data, size_t length);
bool sp_buf_push(sp_buf *b, uint8_t byte);
/* Moves the contents out as a NUL-terminated string and resets the buffer. On failure
 * (OutOfMemoryException for the terminator) the buffer is freed too, so that no caller leaks it. */
char *sp_buf_take_string(sp_buf *b);
void sp_buf_free(sp_buf *b);

/* ---------------------------------------------------------------- little-endian helpers */

static inline void sp_put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void sp_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void sp_put_u64(uint8_t *p, uint64_t v)
{
    sp_put_u32(p, (uint32_t)v);
    sp_put_u32(p + 4, (uint32_t)(v >> 32));
}
static inline uint16_t sp_get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t sp_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t sp_get_u64(const uint8_t *p) { return sp_get_u32(p) | ((uint64_t)sp_get_u32(p + 4) << 32); }

/* ---------------------------------------------------------------- RPC value layer (hremoting) */

/* The size of one element of an array of `type` (0: not an element type). */
size_t sp_variant_size(VariantType type);
/* A zeroed array that knows its length and element type (System/array.c): every array a public
 * call hands out comes from here, so Array_get_Length and Array_Free work on all of them.
 * VariantType_Object is an array of object pointers Array_Free leaves alone. */
void *sp_array_new(VariantType element_type, int32_t length);
/* realloc for such an array (NULL + OutOfMemoryException leaves the old one valid). */
void *sp_array_resize(void *array, int32_t length);
/* A new array holding a copy of length items. */
void *sp_array_from(VariantType element_type, const void *items, int32_t length);
/* sp_array_from(VariantType_Byte, ...) with the short arrays of reads (ReadBytes) first. */
uint8_t *sp_array_from_bytes(const void *bytes, int32_t length);
/* Frees the String fields of a struct sharpipc filled in (not the struct). */
void sp_object_free_fields(const SerializableType *type, void *object);
/* ISO 8601 "yyyy-MM-ddTHH:mm:ss[.fffffff][Z]" (Z for Utc); trim_fraction drops trailing zeros as
 * Newtonsoft's "FFFFFFF" does. Returns snprintf's count. */
int sp_datetime_format_iso(DateTime value, char *out, size_t size, bool trim_fraction);
bool sp_datetime_parse_iso(const char *text, size_t length, DateTime *result);
/* TimeSpan.ToString(): "[-][d.]hh:mm:ss[.fffffff]". */
int sp_timespan_format(TimeSpan value, char *out, size_t size);
bool sp_timespan_parse(const char *text, size_t length, TimeSpan *result);
/* Marks the pending exception as a remote peer's: Exception_get_TypeName gives type_name (the
 * remote class, where sharpipc's type is only the nearest it has), Exception_get_StackTrace the
 * server's trace. Either may be NULL. */
void sp_exception_set_remote(const char *type_name, const char *stack_trace);
/* The sharpipc type of a .NET exception type name ("System.InvalidOperationException"), or None. */
ExceptionType sp_exception_type_from_name(const char *dotnet_name);
/* What a sharpipc wait bounded by a token may wait: -1 (no deadline), 0 (cancelled), or the ms to
 * a CancelAfter deadline (System.Threading/cancellation.c). */
int32_t sp_cancellation_remaining_ms(CancellationToken token);

/* sp_object_new's inline part (core/smallblock.h; last: it needs everything above) */
#include "core/smallblock.h"

#endif
