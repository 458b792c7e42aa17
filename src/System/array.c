/* Arrays sharpipc hands out know their length and element type, as .NET arrays do: a small header
 * sits in front of the elements, so Array_get_Length works on every array and Array_Free knows to
 * free a String array's strings. Every array a public call returns comes from sp_array_new. */
#include "core/internal.h"

#define SP_ARRAY_MAGIC 0x53504152u /* "SPAR" */

/* 16 bytes, so the elements keep malloc's alignment (8 or 16) for Int64, Double and Decimal. */
typedef struct sp_array_header {
    uint32_t magic;
    int32_t element_type;
    int32_t length;
    int32_t element_size;
} sp_array_header;
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
    /* glibc's calloc skips the thread cache that malloc uses for small blocks (a small array
     * would cost twice what malloc + memset does); large ones get calloc's fresh zero pages. */
    size_t bytes = sizeof(sp_array_header) + (size_t)length * size;
    sp_array_header *h = bytes <= 65536 || !zero ? malloc(bytes) : calloc(1, bytes);
    if (!h) {
        sp_throw_out_of_memory();
        return NULL;
    }
    /* (the elements only: a memset of the whole block is what compilers turn back into calloc) */
    if (zero && bytes <= 65536)
        memset(h + 1, 0, bytes - sizeof *h);
    h->magic = SP_ARRAY_MAGIC;
    h->element_type = (int32_t)element_type;
    h->length = length;
    h->element_size = (int32_t)size;
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
    sp_array_header *g = realloc(h, sizeof *h + (size_t)length * (size_t)h->element_size);
    if (!g) {
        sp_throw_out_of_memory();
        return NULL; /* the old array is still valid */
    }
    g->length = length;
    return g + 1;
}

void *sp_array_from(VariantType element_type, const void *items, int32_t length)
{
    void *a = array_alloc(element_type, length, false);
    if (a && length)
        memcpy(a, items, (size_t)length * sp_variant_size(element_type));
    return a;
}

void Array_Free(void *array)
{
    if (!array)
        return;
    sp_array_header *h = header_of(array);
    if (h->magic != SP_ARRAY_MAGIC)
        return; /* not ours: leaking beats freeing what malloc did not give */
    if (h->element_type == VariantType_String || h->element_type == VariantType_Json) {
        char **s = array;
        for (int32_t i = 0; i < h->length; i++)
            free(s[i]);
    }
    h->magic = 0;
    free(h);
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
