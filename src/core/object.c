/* Reference counting, Dispose and run-time type checks for every sharpipc object. */
#include "core/internal.h"
#include "core/handle.h"
#include "core/smallblock.h"
#include "System.Text/text.h"

#include <stddef.h>
#include <stdio.h>

const sp_type sp_type_Object = {"System.Object", NULL, NULL, NULL};

#if defined(SHARPIPC_INLINE)
_Static_assert(offsetof(sp_fast_, block_) == offsetof(Object, block) &&
                   offsetof(sp_fast_, closed) == offsetof(Object, closed),
               "inline.h's SP_OBJECT_HEAD_ mirrors Object");
#endif

/* Objects are made and dropped per call in places (ReceiveFrom's sender, the endpoints a loop
 * makes), where calloc + free cost ~200 instructions: the small ones come from the thread's cache
 * of small blocks as strings do, and any thread may give them back (smallblock.h). */
void *(sp_object_new)(size_t size, const sp_type *type)
{
    bool small = size <= SP_SMALL_MAX;
    unsigned cls = small ? sp_small_class(size) : 0;
    void *memory = small ? sp_small_alloc(cls, size) : malloc(size);
    if (!memory) {
        sp_throw_out_of_memory();
        return NULL;
    }
    return sp_object_setup(memory, size, type, small ? (uint8_t)(cls + 1) : 0); /* block 0: malloc's */
}

void sp_object_free_memory(Object *obj)
{
    unsigned block = obj->block;
    if (block)
        sp_small_free(obj, block - 1);
    else
        free(obj);
}

bool sp_type_is(const sp_type *type, const sp_type *base)
{
    for (; type; type = type->base)
        if (type == base)
            return true;
    return false;
}

/* The handle whose last keep frees the object being destroyed on this thread (handle.h), told by
 * its destroy; let go of only once the destroy has returned and nothing here reads the object.
 * initial-exec: a shared library's default model costs a __tls_get_addr call each time. */
static _Thread_local sp_handle *memory_keeper SP_FAST_TLS;

void sp_object_keep_memory(Object *obj, sp_handle *h)
{
    (void)obj;
    memory_keeper = h;
}

static inline bool (*close_of(const sp_type *t))(Object *)
{
    for (; t; t = t->base)
        if (t->close)
            return t->close;
    return NULL;
}

bool sp_object_close(Object *obj)
{
    if (atomic_exchange(&obj->closed, true))
        return true;
    bool (*close)(Object *) = close_of(obj->type);
    return close ? close(obj) : true;
}

bool sp_object_is_closed(const Object *obj) { return atomic_load(&((Object *)obj)->closed); }

void sp_object_retain(Object *obj)
{
    if (atomic_load(&obj->refs) > 0)
        atomic_fetch_add(&obj->refs, 1);
}

/* The last reference's work. One walk finds what the type closes and destroys with; a type that
 * closes nothing (an endpoint, an address) is not marked closed either: nobody may look at it any
 * more (a call in flight holds a reference, so this is not the last). */
static void release_last(Object *obj)
{
    bool (*close)(Object *) = NULL;
    void (*destroy)(Object *) = NULL;
    for (const sp_type *t = obj->type; t; t = t->base) {
        close = close ? close : t->close;
        destroy = destroy ? destroy : t->destroy;
    }
    /* The close of a forgotten object has nobody to report to: keep the caller's exception. */
    if (close && !atomic_exchange(&obj->closed, true)) {
        bool had_pending = sp_failed();
        close(obj);
        if (!had_pending)
            sp_clear();
    }
    obj->magic = 0;
    if (!destroy) {
        sp_object_free_memory(obj);
        return;
    }
    sp_handle *outer = memory_keeper; /* (a destroy's own releases run inside it) */
    memory_keeper = NULL;
    destroy(obj);
    sp_handle *keeper = memory_keeper;
    memory_keeper = outer;
    if (keeper)
        sp_handle_unkeep(keeper); /* may free obj: the last use of it here */
    else
        sp_object_free_memory(obj);
}

/* A count of 1 is the caller's own reference, the only one: nobody else may retain or release the
 * object (either takes a reference of one's own), so the last release needs no locked
 * read-modify-write. The acquire load orders everything after the other holders' releases (their
 * fetch_sub), as the fetch_sub's own acquire would. Endpoints, addresses and strings of a
 * ReceiveFrom loop are made and freed once per datagram, each with one reference. */
void sp_object_release(Object *obj)
{
    int refs = atomic_load_explicit(&obj->refs, memory_order_acquire);
    if (refs == 0) /* immortal */
        return;
    if (refs != 1 && atomic_fetch_sub(&obj->refs, 1) != 1)
        return;
    release_last(obj);
}

Object *sp_check_type(const void *p, const sp_type *type, const char *param)
{
    const Object *obj = p;
    if (!obj) {
        sp_throw_null(param);
        return NULL;
    }
    if (obj->magic != SP_OBJECT_MAGIC || (obj->type != type && !sp_type_is(obj->type, type))) {
        sp_throwf_sr(ExceptionType_ArgumentException, param, SR_Arg_MustBeOfType, type->name);
        return NULL;
    }
    return (Object *)obj;
}

Object *sp_check_open(const void *p, const sp_type *type, const char *param, const char *disposed_message)
{
    Object *obj = sp_check_type(p, type, param);
    if (obj && sp_object_is_closed(obj)) {
        if (disposed_message)
            sp_throw(ExceptionType_ObjectDisposedException, disposed_message, NULL);
        else
            sp_throw_disposed(SR_ObjectDisposed_Generic, obj->type->name);
        return NULL;
    }
    return obj;
}

/* ---------------------------------------------------------------- public API */

#undef Dispose
#undef Object_Retain
#undef Object_GetTypeName

bool Dispose(Object *obj)
{
    if (!obj) {
        sp_clear();
        return true;
    }
    /* every type derives from Object: the magic is the whole check (the call raises what it raises) */
    if (obj->magic != SP_OBJECT_MAGIC && !sp_check_type(obj, &sp_type_Object, "obj"))
        return false;
    sp_clear();
    int refs = atomic_load_explicit(&obj->refs, memory_order_acquire);
    if (refs == 0) /* an immortal singleton (an Encoding): nothing to do */
        return true;
    /* The only reference, of a type that closes nothing (an endpoint, an address): nobody can see
     * the closed flag any more, so the free is all there is (sp_object_release's argument) */
    if (refs == 1 && !close_of(obj->type)) {
        release_last(obj);
        return true;
    }
    bool ok = sp_object_close(obj);
    sp_object_release(obj); /* keeps the close's exception */
    return ok;
}

Object *Object_Retain(Object *obj)
{
    if (!sp_check_type(obj, &sp_type_Object, "obj"))
        return NULL;
    sp_clear();
    sp_object_retain(obj);
    return obj;
}

const char *Object_GetTypeName(const Object *obj)
{
    if (!sp_check_type(obj, &sp_type_Object, "obj"))
        return NULL;
    sp_clear();
    return obj->type->name;
}

/* The one empty string the readers hand out (ReadString of "", an empty line): .NET's
 * string.Empty, no allocation. Read-only, so that a caller who writes to it fails at once instead
 * of changing every empty string; String_Free knows it (free() never sees strings: API.md). */
const char sp_empty_string[1] = "";

/* A string of up to SP_SMALL_MAX - 2 bytes is a small block (core/smallblock.h) with its class in
 * its first byte and the text from the second: an odd address, which malloc never returns, so
 * String_Free tells the two kinds apart by the pointer alone and every other string (malloc's,
 * from wherever the library made it) is freed as before. */
void String_Free(char *s)
{
    if (s == sp_empty_string)
        return;
    if ((uintptr_t)s & 1) {
        uint8_t *block = (uint8_t *)s - 1;
        if (block[0] < SP_SMALL_CLASSES)
            sp_small_free(block, block[0]);
        return; /* (no class: not ours; leaking beats freeing what malloc did not give) */
    }
    free(s);
}

static SP_NOINLINE char *string_new(const void *bytes, size_t length)
{
    if (length <= SP_SMALL_MAX - 2) {
        unsigned cls = sp_small_class(length + 2);
        uint8_t *block = sp_small_alloc(cls, length + 2);
        if (!block) {
            sp_throw_out_of_memory();
            return NULL;
        }
        block[0] = (uint8_t)cls;
        memcpy(block + 1, bytes, length);
        block[1 + length] = 0;
        return (char *)block + 1;
    }
    char *s = malloc(length + 1);
    if (!s) {
        sp_throw_out_of_memory();
        return NULL;
    }
    memcpy(s, bytes, length);
    s[length] = 0;
    return s;
}

char *sp_string_new(const void *bytes, size_t length)
{
    if (length == 0)
        return (char *)sp_empty_string;
    /* Up to 30 bytes (a word, a name, a short line) from a kept block, with no call. */
    if (length <= 30) {
        uint8_t *block = sp_small_take(0);
        if (block) {
            block[0] = 0;
            sp_copy_short(block + 1, bytes, length);
            block[1 + length] = 0;
            return (char *)block + 1;
        }
    }
    return string_new(bytes, length);
}
/* Array_Free: System/array.c (arrays carry a header) */

/* ---------------------------------------------------------------- memory */

void *sp_malloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        sp_throw_out_of_memory();
    return p;
}

void *sp_realloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        sp_throw_out_of_memory();
    return q;
}

char *sp_strndup(const char *s, size_t length)
{
    char *d = sp_malloc(length + 1);
    if (d) {
        memcpy(d, s, length);
        d[length] = 0;
    }
    return d;
}

char *sp_strdup(const char *s) { return sp_strndup(s, strlen(s)); }

char *sp_utf8_trim_cut(char *s)
{
    size_t n = strlen(s), k = n;
    /* back over up to three continuation bytes to the lead byte that starts the last sequence */
    while (k > 0 && n - k < 3 && ((uint8_t)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k == 0)
        return s;
    uint8_t lead = (uint8_t)s[k - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (need > 1 && n - (k - 1) < need)
        s[k - 1] = '\0'; /* the last sequence lacks bytes: cut it whole */
    return s;
}

bool sp_buf_reserve(sp_buf *b, size_t extra)
{
    if (b->capacity - b->length >= extra)
        return true;
    size_t need = b->length + extra;
    if (need < b->length) {
        sp_throw_out_of_memory();
        return false;
    }
    size_t cap = b->capacity ? b->capacity : 64;
    while (cap < need)
        cap = cap * 2 > cap ? cap * 2 : need;
    uint8_t *d = sp_realloc(b->data, cap);
    if (!d)
        return false;
    b->data = d;
    b->capacity = cap;
    return true;
}

bool sp_buf_append(sp_buf *b, const void *data, size_t length)
{
    if (!sp_buf_reserve(b, length))
        return false;
    if (length)
        memcpy(b->data + b->length, data, length);
    b->length += length;
    return true;
}

bool sp_buf_push(sp_buf *b, uint8_t byte)
{
    if (b->length == b->capacity && !sp_buf_reserve(b, 1))
        return false;
    b->data[b->length++] = byte;
    return true;
}

char *sp_buf_take_string(sp_buf *b)
{
    if (!sp_buf_push(b, 0)) {
        sp_buf_free(b);
        return NULL;
    }
    char *s = (char *)b->data;
    b->data = NULL;
    b->length = b->capacity = 0;
    return s;
}

void sp_buf_free(sp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->length = b->capacity = 0;
}
