/* Arrays sharpipc hands out know their length and element type, as .NET arrays do: a small header
 * sits in front of the elements, so Array_get_Length works on every array and Array_Free knows to
 * free a String array's strings. Every array a public call returns comes from sp_array_new. */
#include "core/internal.h"
#include "core/smallblock.h"
#include "System.Text/text.h"

#define SP_ARRAY_MAGIC SP_ARRAY_MAGIC_
#define SP_ARRAY_MALLOC 0xFFFF /* sp_array_header.block of an array from malloc */

/* The header is public (sharpipc/inline.h): ReadBytes and Array_Free of a short byte array make and
 * free one inline on ELF. */
typedef sp_array_head_ sp_array_header;
_Static_assert(sizeof(sp_array_header) == 16, "the elements follow at 16 bytes");

size_t sp_variant_size(VariantType type)
{
    switch (type) {
    case VariantType_Boolean: return sizeof(bool);
    case VariantType_SByte:
    case VariantType_Byte: return 1;
    case VariantType_Char:
    case VariantType_Int16:
    case VariantType_UInt16: return 2;
    case VariantType_Int32:
    case VariantType_UInt32:
    case VariantType_Single: return 4;
    case VariantType_Int64:
    case VariantType_UInt64:
    case VariantType_Double:
    case VariantType_DateTime:
    case VariantType_TimeSpan: return 8;
    case VariantType_Decimal: return sizeof(Decimal);
    case VariantType_String:
    case VariantType_Json:
    case VariantType_Object: /* internal: an array of object pointers the caller releases itself */
        return sizeof(void *);
    default: return 0;
    }
}

static sp_array_header *header_of(const void *array)
{
    return (sp_array_header *)((uint8_t *)(uintptr_t)array - sizeof(sp_array_header));
}

/* A block for an array of `bytes` (header included): a small block from the thread's cache for
 * the short arrays that reads return by the million, else malloc's. */
static sp_array_header *block_alloc(size_t bytes, bool zero)
{
    sp_array_header *h;
    if (bytes <= SP_SMALL_MAX) {
        unsigned cls = sp_small_class(bytes);
        h = sp_small_alloc(cls, bytes);
        if (h)
            h->block = (uint16_t)cls;
    } else {
        /* glibc's calloc skips the thread cache that malloc uses for small blocks (a small array
         * would cost twice what malloc + memset does); large ones get calloc's fresh zero pages. */
        h = bytes <= 65536 || !zero ? malloc(bytes) : calloc(1, bytes);
        if (h)
            h->block = SP_ARRAY_MALLOC;
    }
    if (!h)
        sp_throw_out_of_memory();
    /* (the elements only: a memset of the whole block is what compilers turn back into calloc) */
    else if (zero && bytes <= 65536)
        memset(h + 1, 0, bytes - sizeof *h);
    return h;
}

static void block_free(sp_array_header *h)
{
    if (h->block == SP_ARRAY_MALLOC)
        free(h);
    else
        sp_small_free(h, h->block);
}

/* The array of length elements, zeroed when `zero` (sp_array_from fills it at once). */
static void *array_alloc(VariantType element_type, int32_t length, bool zero)
{
    size_t size = sp_variant_size(element_type);
    if (length < 0 || size == 0) {
        sp_throw_need_nonneg("length");
        return NULL;
    }
    if ((uint64_t)length * size > (uint64_t)(SIZE_MAX - sizeof(sp_array_header))) {
        sp_throw_out_of_memory();
        return NULL;
    }
    sp_array_header *h = block_alloc(sizeof(sp_array_header) + (size_t)length * size, zero);
    if (!h)
        return NULL;
    h->magic = SP_ARRAY_MAGIC;
    h->element_type = (int32_t)element_type;
    h->length = length;
    h->element_size = (uint16_t)size;
    return h + 1;
}

void *sp_array_new(VariantType element_type, int32_t length) { return array_alloc(element_type, length, true); }

void *sp_array_resize(void *array, int32_t length)
{
    sp_array_header *h = header_of(array);
    if (length < 0 || (uint64_t)length * (size_t)h->element_size > (uint64_t)(SIZE_MAX - sizeof *h)) {
        sp_throw_out_of_memory();
        return NULL;
    }
    size_t bytes = sizeof *h + (size_t)length * (size_t)h->element_size;
    sp_array_header *g;
    if (h->block == SP_ARRAY_MALLOC && bytes > SP_SMALL_MAX) {
        g = realloc(h, bytes);
        if (!g) {
            sp_throw_out_of_memory();
            return NULL; /* the old array is still valid */
        }
    } else { /* into or out of a small block: a new block and a copy */
        g = block_alloc(bytes, false);
        if (!g)
            return NULL;
        int32_t keep = length < h->length ? length : h->length;
        uint16_t block = g->block;
        memcpy(g, h, sizeof *h + (size_t)keep * h->element_size);
        g->block = block;
        block_free(h);
    }
    g->length = length;
    return g + 1;
}

SP_NOINLINE void *sp_array_from(VariantType element_type, const void *items, int32_t length)
{
    void *a = array_alloc(element_type, length, false);
    if (a && length)
        sp_copy_short(a, items, (size_t)length * sp_variant_size(element_type)); /* (ReadBytes(16)) */
    return a;
}

uint8_t *sp_array_from_bytes(const void *bytes, int32_t length)
{
    /* Up to 32 bytes from a kept block, with no call; the rest is sp_array_from's. */
    if (length >= 0 && length <= 32) {
        unsigned cls = sp_small_class(sizeof(sp_array_header) + (size_t)length);
        sp_array_header *h = sp_small_take(cls);
        if (h) {
            *h = (sp_array_header){SP_ARRAY_MAGIC, VariantType_Byte, length, 1, (uint16_t)cls};
            sp_copy_short((uint8_t *)(h + 1), bytes, (size_t)length);
            return (uint8_t *)(h + 1);
        }
    }
    return sp_array_from(VariantType_Byte, bytes, length);
}

static SP_NOINLINE void free_strings(char **s, int32_t length)
{
    for (int32_t i = 0; i < length; i++)
        String_Free(s[i]);
}

void Array_Free(void *array)
{
    if (!array)
        return;
    sp_array_header *h = header_of(array);
    if (h->magic != SP_ARRAY_MAGIC)
        return; /* not ours: leaking beats freeing what malloc did not give */
    if (h->element_type == VariantType_String || h->element_type == VariantType_Json)
        free_strings(array, h->length);
    h->magic = 0;
    block_free(h);
}

static const sp_array_header *check_array(const void *array)
{
    if (!array) {
        sp_throw_null("array");
        return NULL;
    }
    const sp_array_header *h = header_of(array);
    if (h->magic != SP_ARRAY_MAGIC) {
        sp_throwf_sr(ExceptionType_ArgumentException, "array", SR_Arg_MustBeOfType, "System.Array");
        return NULL;
    }
    sp_clear();
    return h;
}

int32_t Array_get_Length(const void *array)
{
    const sp_array_header *h = check_array(array);
    return h ? h->length : -1;
}

VariantType Array_get_ElementType(const void *array)
{
    const sp_array_header *h = check_array(array);
    return h ? (VariantType)h->element_type : VariantType_Empty;
}

void *Array_CreateInstance(VariantType elementType, int32_t length)
{
    if (sp_variant_size(elementType) == 0 || elementType == VariantType_Object || elementType == VariantType_Json) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_Arg_MustBeType, "elementType");
        return NULL;
    }
    if (length < 0) {
        sp_throw_need_nonneg("length");
        return NULL;
    }
    void *a = sp_array_new(elementType, length);
    if (a)
        sp_clear();
    return a;
}

/* ---------------------------------------------------------------- strings */

char *String_Concat(const char *a, const char *b)
{
    size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
    char *s = sp_malloc(la + lb + 1);
    if (!s)
        return NULL;
    if (la)
        memcpy(s, a, la);
    if (lb)
        memcpy(s + la, b, lb);
    s[la + lb] = 0;
    sp_clear();
    return s;
}

char *String_Copy(const char *s)
{
    if (!s) {
        sp_clear();
        return NULL;
    }
    char *d = sp_strdup(s);
    if (d)
        sp_clear();
    return d;
}
