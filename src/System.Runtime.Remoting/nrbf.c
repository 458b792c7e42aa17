/* MS-NRBF: the MethodCall writer and the MethodReturn reader (RPC.md 2).
 *
 * The reader is written after .NET's System.Formats.Nrbf: it never recurses (an explicit stack of
 * at most SP_NRBF_MAX_DEPTH open records), checks every count against the bytes left before it
 * allocates anything (an array's declared length is never allocated: values are stored as they
 * arrive, so memory follows the bytes received), checks object ids (non-zero, unique, at most
 * SP_NRBF_MAX_OBJECTS), requires MessageEnd at the very end, and resolves MemberReferences after
 * the whole message is read, by id, with a hop limit (a reference never leads to another
 * reference, so a cycle in the graph cannot make the converter loop). */
#include "System.Runtime.Remoting/remoting.h"

#include "System.Text/text.h"

#include <stdio.h>

/* PrimitiveTypeEnumeration */
enum {
    P_BOOLEAN = 1,
    P_BYTE = 2,
    P_CHAR = 3,
    P_DECIMAL = 5,
    P_DOUBLE = 6,
    P_INT16 = 7,
    P_INT32 = 8,
    P_INT64 = 9,
    P_SBYTE = 10,
    P_SINGLE = 11,
    P_TIMESPAN = 12,
    P_DATETIME = 13,
    P_UINT16 = 14,
    P_UINT32 = 15,
    P_UINT64 = 16,
    P_NULL = 17,
    P_STRING = 18
};
/* RecordTypeEnumeration */
enum {
    R_HEADER = 0,
    R_CLASS_WITH_ID = 1,
    R_SYSTEM_CLASS_WITH_MEMBERS = 2,
    R_CLASS_WITH_MEMBERS = 3,
    R_SYSTEM_CLASS_WITH_MEMBERS_AND_TYPES = 4,
    R_CLASS_WITH_MEMBERS_AND_TYPES = 5,
    R_OBJECT_STRING = 6,
    R_BINARY_ARRAY = 7,
    R_MEMBER_PRIMITIVE_TYPED = 8,
    R_MEMBER_REFERENCE = 9,
    R_OBJECT_NULL = 10,
    R_MESSAGE_END = 11,
    R_BINARY_LIBRARY = 12,
    R_NULL_MULTIPLE_256 = 13,
    R_NULL_MULTIPLE = 14,
    R_ARRAY_SINGLE_PRIMITIVE = 15,
    R_ARRAY_SINGLE_OBJECT = 16,
    R_ARRAY_SINGLE_STRING = 17,
    R_METHOD_CALL = 21,
    R_METHOD_RETURN = 22
};
/* BinaryTypeEnumeration */
enum {
    B_PRIMITIVE = 0,
    B_STRING = 1,
    B_OBJECT = 2,
    B_SYSTEM_CLASS = 3,
    B_CLASS = 4,
    B_OBJECT_ARRAY = 5,
    B_STRING_ARRAY = 6,
    B_PRIMITIVE_ARRAY = 7
};
/* MessageFlags */
enum {
    M_NO_ARGS = 0x1,
    M_ARGS_INLINE = 0x2,
    M_ARGS_IS_ARRAY = 0x4,
    M_ARGS_IN_ARRAY = 0x8,
    M_NO_CONTEXT = 0x10,
    M_CONTEXT_INLINE = 0x20,
    M_CONTEXT_IN_ARRAY = 0x40,
    M_SIGNATURE_IN_ARRAY = 0x80,
    M_PROPERTIES_IN_ARRAY = 0x100,
    M_NO_RETURN_VALUE = 0x200,
    M_RETURN_VALUE_VOID = 0x400,
    M_RETURN_VALUE_INLINE = 0x800,
    M_RETURN_VALUE_IN_ARRAY = 0x1000,
    M_EXCEPTION_IN_ARRAY = 0x2000,
    M_GENERIC_METHOD = 0x8000
};

/* ================================================================ writer */

static bool put_u8(sp_buf *b, uint8_t v) { return sp_buf_push(b, v); }
static bool put_i32(sp_buf *b, int32_t v)
{
    uint8_t p[4];
    sp_put_u32(p, (uint32_t)v);
    return sp_buf_append(b, p, 4);
}
static bool put_lps(sp_buf *b, const char *s, size_t n)
{
    uint8_t v[5];
    int k = 0;
    size_t x = n;
    do {
        v[k] = (uint8_t)(x & 0x7F);
        x >>= 7;
        if (x)
            v[k] |= 0x80;
        k++;
    } while (x && k < 5);
    return sp_buf_append(b, v, (size_t)k) && sp_buf_append(b, s, n);
}

static bool put_header(sp_buf *b, int32_t root, int32_t header)
{
    return put_u8(b, R_HEADER) && put_i32(b, root) && put_i32(b, header) && put_i32(b, 1) && put_i32(b, 0);
}

static int prim_code(VariantType t)
{
    switch (t) {
    case VariantType_Boolean: return P_BOOLEAN;
    case VariantType_Byte: return P_BYTE;
    case VariantType_Char: return P_CHAR;
    case VariantType_Decimal: return P_DECIMAL;
    case VariantType_Double: return P_DOUBLE;
    case VariantType_Int16: return P_INT16;
    case VariantType_Int32: return P_INT32;
    case VariantType_Int64: return P_INT64;
    case VariantType_SByte: return P_SBYTE;
    case VariantType_Single: return P_SINGLE;
    case VariantType_TimeSpan: return P_TIMESPAN;
    case VariantType_DateTime: return P_DATETIME;
    case VariantType_UInt16: return P_UINT16;
    case VariantType_UInt32: return P_UINT32;
    case VariantType_UInt64: return P_UINT64;
    default: return 0;
    }
}

static VariantType variant_of_prim(int code)
{
    static const VariantType map[] = {
        [P_BOOLEAN] = VariantType_Boolean, [P_BYTE] = VariantType_Byte,         [P_CHAR] = VariantType_Char,
        [P_DECIMAL] = VariantType_Decimal, [P_DOUBLE] = VariantType_Double,     [P_INT16] = VariantType_Int16,
        [P_INT32] = VariantType_Int32,     [P_INT64] = VariantType_Int64,       [P_SBYTE] = VariantType_SByte,
        [P_SINGLE] = VariantType_Single,   [P_TIMESPAN] = VariantType_TimeSpan, [P_DATETIME] = VariantType_DateTime,
        [P_UINT16] = VariantType_UInt16,   [P_UINT32] = VariantType_UInt32,     [P_UINT64] = VariantType_UInt64};
    return code > 0 && code < (int)(sizeof map / sizeof map[0]) ? map[code] : VariantType_Empty;
}

/* The raw bytes of a primitive (no code byte). */
static bool put_raw(sp_buf *b, int code, const void *value)
{
    uint8_t p[8];
    switch (code) {
    case P_BOOLEAN: return put_u8(b, *(const bool *)value ? 1 : 0);
    case P_BYTE:
    case P_SBYTE: return put_u8(b, *(const uint8_t *)value);
    case P_INT16:
    case P_UINT16: sp_put_u16(p, *(const uint16_t *)value); return sp_buf_append(b, p, 2);
    case P_INT32:
    case P_UINT32:
    case P_SINGLE: {
        uint32_t v;
        memcpy(&v, value, 4);
        sp_put_u32(p, v);
        return sp_buf_append(b, p, 4);
    }
    case P_INT64:
    case P_UINT64:
    case P_DOUBLE:
    case P_TIMESPAN:
    case P_DATETIME: {
        uint64_t v;
        memcpy(&v, value, 8);
        sp_put_u64(p, v);
        return sp_buf_append(b, p, 8);
    }
    case P_CHAR: { /* one UTF-8-encoded char; a lone surrogate cannot be sent */
        uint16_t c = *(const uint16_t *)value;
        if (c >= 0xD800 && c <= 0xDFFF)
            return false;
        return sp_utf8_append(b, c);
    }
    case P_DECIMAL: { /* its invariant text */
        Decimal d;
        memcpy(&d, value, sizeof d);
        if (!sp_decimal_check(d))
            return false;
        char *text = Decimal_ToString(d);
        if (!text)
            return false;
        bool ok = put_lps(b, text, strlen(text));
        String_Free(text);
        return ok;
    }
    default: return false;
    }
}

/* Arguments a MethodCall carries inline (ValueWithCode): Mono's IsMethodPrimitive. */
static bool inline_kind(const Variant *v)
{
    switch (v->type) {
    case VariantType_Null:
    case VariantType_String: return true;
    case VariantType_DateTime: /* Mono sends these in the args array */
    case VariantType_Empty:
    case VariantType_Array:
    case VariantType_Object:
    case VariantType_Json: return false;
    default: return prim_code(v->type) != 0;
    }
}

static bool bad_argument(int32_t index)
{
    sp_throwf_sr(ExceptionType_ArgumentException, "args", SR_Remoting_UnsupportedArgument, (int)index);
    return false;
}

static bool put_string_value(sp_buf *b, const Variant *v)
{
    return v->length >= 0 && put_u8(b, P_STRING) && put_lps(b, v->value.asString, (size_t)v->length);
}

static bool put_value_with_code(sp_buf *b, const Variant *v, int32_t index)
{
    if (v->type == VariantType_Null)
        return put_u8(b, P_NULL);
    if (v->type == VariantType_String)
        return put_string_value(b, v) || bad_argument(index);
    int code = prim_code(v->type);
    if (!code || !put_u8(b, (uint8_t)code))
        return bad_argument(index);
    return put_raw(b, code, &v->value) || (sp_failed() ? false : bad_argument(index));
}

/* The elements of the args array (ArgsIsArray): primitives as MemberPrimitiveTyped, strings as
 * BinaryObjectString, null as ObjectNull, arrays and structs as MemberReferences to records
 * written after the array, as .NET's ObjectWriter does. */
typedef struct deferred {
    int32_t id;
    int32_t argument; /* its index among the call's arguments (what an error names) */
    const Variant *v;
} deferred;

static bool put_string_object(sp_buf *b, int32_t id, const char *s, size_t n)
{
    return put_u8(b, R_OBJECT_STRING) && put_i32(b, id) && put_lps(b, s, n);
}

static bool put_primitive_array(sp_buf *b, int32_t id, const Variant *v, int32_t index)
{
    int code = prim_code(v->elementType);
    if (!code || v->length < 0 || code == P_DECIMAL || code == P_CHAR)
        return bad_argument(index);
    if (!put_u8(b, R_ARRAY_SINGLE_PRIMITIVE) || !put_i32(b, id) || !put_i32(b, v->length) || !put_u8(b, (uint8_t)code))
        return false;
    size_t size = sp_variant_size(v->elementType);
    const uint8_t *items = v->value.asArray;
    for (int32_t i = 0; i < v->length; i++)
        if (!put_raw(b, code, items + (size_t)i * size))
            return false;
    return true;
}

static bool put_string_array(sp_buf *b, int32_t id, int32_t *next_id, const Variant *v)
{
    if (!put_u8(b, R_ARRAY_SINGLE_STRING) || !put_i32(b, id) || !put_i32(b, v->length))
        return false;
    const char *const *items = v->value.asArray;
    for (int32_t i = 0; i < v->length; i++) {
        bool ok = items[i] ? put_string_object(b, (*next_id)++, items[i], strlen(items[i])) : put_u8(b, R_OBJECT_NULL);
        if (!ok)
            return false;
    }
    return true;
}

/* A [Serializable] struct: BinaryLibrary for the assembly part of its name, then
 * ClassWithMembersAndTypes with every field Primitive (or String). */
static bool put_struct(sp_buf *b, int32_t id, int32_t *next_id, const Variant *v, int32_t index)
{
    const SerializableType *t = v->objectType;
    if (!t || !t->name || t->fieldCount < 0)
        return bad_argument(index);
    const char *comma = strchr(t->name, ',');
    if (!comma)
        return bad_argument(index);
    size_t class_len = (size_t)(comma - t->name);
    const char *assembly = comma + 1;
    while (*assembly == ' ')
        assembly++;
    int32_t library = (*next_id)++;
    if (!put_u8(b, R_BINARY_LIBRARY) || !put_i32(b, library) || !put_lps(b, assembly, strlen(assembly)))
        return false;
    if (!put_u8(b, R_CLASS_WITH_MEMBERS_AND_TYPES) || !put_i32(b, id) || !put_lps(b, t->name, class_len) ||
        !put_i32(b, t->fieldCount))
        return false;
    for (int32_t i = 0; i < t->fieldCount; i++)
        if (!put_lps(b, t->fields[i].name, strlen(t->fields[i].name)))
            return false;
    for (int32_t i = 0; i < t->fieldCount; i++) {
        VariantType ft = t->fields[i].type;
        if (ft != VariantType_String && !prim_code(ft))
            return bad_argument(index);
        if (!put_u8(b, ft == VariantType_String ? B_STRING : B_PRIMITIVE))
            return false;
    }
    for (int32_t i = 0; i < t->fieldCount; i++)
        if (t->fields[i].type != VariantType_String && !put_u8(b, (uint8_t)prim_code(t->fields[i].type)))
            return false;
    if (!put_i32(b, library))
        return false;
    const uint8_t *object = v->value.asObject;
    for (int32_t i = 0; i < t->fieldCount; i++) {
        const void *field = object + t->fields[i].offset;
        if (t->fields[i].type == VariantType_String) {
            const char *s = *(const char *const *)field;
            if (!(s ? put_string_object(b, (*next_id)++, s, strlen(s)) : put_u8(b, R_OBJECT_NULL)))
                return false;
        } else if (!put_raw(b, prim_code(t->fields[i].type), field)) {
            return sp_failed() ? false : bad_argument(index);
        }
    }
    return true;
}

bool sp_nrbf_write_call(sp_buf *b, const char *method, const char *type_name, const Variant *args, int32_t count)
{
    bool all_inline = true;
    for (int32_t i = 0; i < count; i++)
        if (!inline_kind(&args[i]))
            all_inline = false;
    int32_t flags = M_NO_CONTEXT | (count == 0 ? M_NO_ARGS : all_inline ? M_ARGS_INLINE : M_ARGS_IS_ARRAY);
    if (!put_header(b, all_inline ? 0 : 1, all_inline ? 0 : -1) || !put_u8(b, R_METHOD_CALL) || !put_i32(b, flags) ||
        !put_u8(b, P_STRING) || !put_lps(b, method, strlen(method)) || !put_u8(b, P_STRING) ||
        !put_lps(b, type_name, strlen(type_name)))
        return false;
    if (count > 0 && all_inline) {
        if (!put_i32(b, count))
            return false;
        for (int32_t i = 0; i < count; i++)
            if (!put_value_with_code(b, &args[i], i))
                return false;
    } else if (count > 0) {
        deferred later[8];
        int32_t nlater = 0, next_id = 2;
        if (count > 8) {
            sp_throw_sr(ExceptionType_ArgumentException, SR_Remoting_TooManyArguments, "args");
            return false;
        }
        if (!put_u8(b, R_ARRAY_SINGLE_OBJECT) || !put_i32(b, 1) || !put_i32(b, count))
            return false;
        for (int32_t i = 0; i < count; i++) {
            const Variant *v = &args[i];
            bool ok;
            switch (v->type) {
            case VariantType_Null: ok = put_u8(b, R_OBJECT_NULL); break;
            case VariantType_String:
                ok = v->length >= 0 && put_string_object(b, next_id++, v->value.asString, (size_t)v->length);
                break;
            case VariantType_Array:
            case VariantType_Object:
                later[nlater].id = next_id++;
                later[nlater].argument = i;
                later[nlater].v = v;
                ok = put_u8(b, R_MEMBER_REFERENCE) && put_i32(b, later[nlater].id);
                nlater++;
                break;
            default: {
                int code = prim_code(v->type);
                if (!code)
                    return bad_argument(i);
                ok = put_u8(b, R_MEMBER_PRIMITIVE_TYPED) && put_u8(b, (uint8_t)code) && put_raw(b, code, &v->value);
                if (!ok && !sp_failed())
                    return bad_argument(i);
            }
            }
            if (!ok)
                return sp_failed() ? false : bad_argument(i);
        }
        for (int32_t k = 0; k < nlater; k++) {
            const Variant *v = later[k].v;
            bool ok;
            if (v->type == VariantType_Object)
                ok = put_struct(b, later[k].id, &next_id, v, later[k].argument);
            else if (v->elementType == VariantType_String)
                ok = put_string_array(b, later[k].id, &next_id, v);
            else
                ok = put_primitive_array(b, later[k].id, v, later[k].argument);
            if (!ok)
                return false;
        }
    }
    return put_u8(b, R_MESSAGE_END);
}

/* ================================================================ reader */

typedef enum { V_NULL, V_NULLS, V_PRIM, V_OBJ, V_REF } vkind;

typedef struct nvalue {
    int32_t owner; /* the object the value belongs to, in order */
    uint8_t kind;
    uint8_t prim;
    int32_t n;           /* V_NULLS: count; V_OBJ: object index; V_REF: id; V_PRIM: byte length */
    const uint8_t *data; /* V_PRIM: raw bytes in the body */
} nvalue;

enum { O_CLASS, O_STRING, O_PRIM_ARRAY, O_OBJECT_ARRAY, O_STRING_ARRAY };

typedef struct nclass {
    const uint8_t *name;
    int32_t name_length;
    int32_t member_count;
    int32_t first_member; /* in r->members */
} nclass;

typedef struct nmember {
    const uint8_t *name;
    int32_t name_length;
    uint8_t btype, prim;
} nmember;

typedef struct nobject {
    int32_t id;
    uint8_t kind;
    uint8_t prim;         /* O_PRIM_ARRAY, and BinaryArray of primitives */
    int32_t cls;          /* O_CLASS */
    int32_t length;       /* arrays: declared; O_STRING: bytes */
    const uint8_t *data;  /* O_STRING, O_PRIM_ARRAY: in the body */
    int32_t first, count; /* its values in r->sorted, after parsing */
} nobject;

typedef struct idmap {
    int32_t *keys, *values;
    uint32_t capacity, count;
} idmap;

typedef struct reader {
    const uint8_t *p, *end;
    nobject *objects;
    int32_t nobjects, cobjects;
    nclass *classes;
    int32_t nclasses, cclasses;
    nmember *members;
    int32_t nmembers, cmembers;
    nvalue *values;
    int32_t nvalues, cvalues;
    nvalue *sorted;
    idmap ids, libraries;
    int32_t depth;
} reader;

static bool malformed(enum sp_sr id)
{
    if (id == SR_Serialization_StreamEnd || id == SR_Serialization_MaxDepth || id == SR_Serialization_TooManyRecords ||
        id == SR_Serialization_InvalidUtf8 || id == SR_Serialization_TrailingData)
        sp_throw_sr(ExceptionType_SerializationException, id, NULL);
    else
        sp_throw_sr(ExceptionType_SerializationException, SR_Arg_SerializationException, NULL);
    return false;
}

static bool invalid(const char *what)
{
    sp_throwf_sr(ExceptionType_SerializationException, NULL, SR_Serialization_InvalidValue, what);
    return false;
}

/* Grows a vector of `size`-byte items by one slot; the count it may reach is bounded by the caller. */
static bool grow(void **items, int32_t *capacity, int32_t needed, size_t size)
{
    if (needed <= *capacity)
        return true;
    int32_t cap = *capacity ? *capacity : 16;
    while (cap < needed)
        cap = cap > INT32_MAX / 2 ? needed : cap * 2;
    void *q = sp_realloc(*items, (size_t)cap * size);
    if (!q)
        return false;
    *items = q;
    *capacity = cap;
    return true;
}

static bool id_put(idmap *m, int32_t key, int32_t value)
{
    if ((m->count + 1) * 2 > m->capacity) {
        uint32_t cap = m->capacity ? m->capacity * 2 : 64;
        int32_t *k = calloc(cap, sizeof *k), *v = calloc(cap, sizeof *v);
        if (!k || !v) {
            free(k);
            free(v);
            sp_throw_out_of_memory();
            return false;
        }
        for (uint32_t i = 0; i < m->capacity; i++)
            if (m->keys[i]) {
                uint32_t h = ((uint32_t)m->keys[i] * 2654435761u) & (cap - 1);
                while (k[h])
                    h = (h + 1) & (cap - 1);
                k[h] = m->keys[i];
                v[h] = m->values[i];
            }
        free(m->keys);
        free(m->values);
        m->keys = k;
        m->values = v;
        m->capacity = cap;
    }
    uint32_t h = ((uint32_t)key * 2654435761u) & (m->capacity - 1);
    while (m->keys[h]) {
        if (m->keys[h] == key) {
            sp_throwf_sr(ExceptionType_SerializationException, NULL, SR_Serialization_DuplicateSerializationRecord,
                         (int)key);
            return false;
        }
        h = (h + 1) & (m->capacity - 1);
    }
    m->keys[h] = key;
    m->values[h] = value;
    m->count++;
    return true;
}

static int32_t id_get(const idmap *m, int32_t key)
{
    if (!m->capacity || !key)
        return -1;
    uint32_t h = ((uint32_t)key * 2654435761u) & (m->capacity - 1);
    while (m->keys[h]) {
        if (m->keys[h] == key)
            return m->values[h];
        h = (h + 1) & (m->capacity - 1);
    }
    return -1;
}

static void id_free(idmap *m)
{
    free(m->keys);
    free(m->values);
}

static size_t left(const reader *r) { return (size_t)(r->end - r->p); }

static bool take(reader *r, size_t n, const uint8_t **at)
{
    if (left(r) < n)
        return malformed(SR_Serialization_StreamEnd);
    *at = r->p;
    r->p += n;
    return true;
}

static bool get_u8(reader *r, uint8_t *v)
{
    const uint8_t *at = NULL; /* take() sets it on success; the compiler cannot tell */
    if (!take(r, 1, &at))
        return false;
    *v = *at;
    return true;
}

static bool get_i32(reader *r, int32_t *v)
{
    const uint8_t *at = NULL; /* take() sets it on success; the compiler cannot tell */
    if (!take(r, 4, &at))
        return false;
    *v = (int32_t)sp_get_u32(at);
    return true;
}

static bool valid_utf8(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t used;
        if (sp_utf8_next(s + i, n - i, &used) < 0)
            return false;
        i += used;
    }
    return true;
}

/* LengthPrefixedString: a 7-bit length of at most 5 bytes, <= 2^31-1 and <= the bytes left. */
static bool get_lps(reader *r, const uint8_t **s, int32_t *length)
{
    uint32_t n = 0;
    for (int shift = 0;; shift += 7) {
        uint8_t b;
        if (!get_u8(r, &b))
            return false;
        if (shift == 28 && (b & 0xF8))
            return invalid("LengthPrefixedString");
        n |= (uint32_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            break;
    }
    if (n > left(r))
        return malformed(SR_Serialization_StreamEnd);
    if (!take(r, n, s))
        return false;
    if (!valid_utf8(*s, n))
        return malformed(SR_Serialization_InvalidUtf8);
    *length = (int32_t)n;
    return true;
}

/* The size of a raw primitive at r->p (Decimal: an LPS; Char: one UTF-8 char). */
static bool get_raw(reader *r, uint8_t code, const uint8_t **data, int32_t *length)
{
    static const uint8_t sizes[] = {[P_BOOLEAN] = 1, [P_BYTE] = 1,   [P_DOUBLE] = 8, [P_INT16] = 2,    [P_INT32] = 4,
                                    [P_INT64] = 8,   [P_SBYTE] = 1,  [P_SINGLE] = 4, [P_TIMESPAN] = 8, [P_DATETIME] = 8,
                                    [P_UINT16] = 2,  [P_UINT32] = 4, [P_UINT64] = 8};
    if (code == P_DECIMAL)
        return get_lps(r, data, length);
    if (code == P_CHAR) {
        if (!left(r))
            return malformed(SR_Serialization_StreamEnd);
        size_t used;
        int32_t cp = sp_utf8_next(r->p, left(r), &used);
        if (cp == SP_UTF8_INCOMPLETE)
            return malformed(SR_Serialization_StreamEnd);
        if (cp < 0 || cp > 0xFFFF)
            return malformed(SR_Serialization_InvalidUtf8);
        *length = (int32_t)used;
        return take(r, used, data);
    }
    if (code >= sizeof sizes || !sizes[code])
        return invalid("PrimitiveType");
    *length = sizes[code];
    return take(r, sizes[code], data);
}

static bool add_value(reader *r, int32_t owner, vkind kind, uint8_t prim, int32_t n, const uint8_t *data)
{
    /* every value consumed at least one byte, so their number is bounded by the body's size */
    if (!grow((void **)&r->values, &r->cvalues, r->nvalues + 1, sizeof *r->values))
        return false;
    r->values[r->nvalues++] = (nvalue){owner, (uint8_t)kind, prim, n, data};
    return true;
}

static bool add_object(reader *r, int32_t id, uint8_t kind, int32_t *index)
{
    if (id == 0)
        return invalid("ObjectId");
    if (r->nobjects >= SP_NRBF_MAX_OBJECTS)
        return malformed(SR_Serialization_TooManyRecords);
    if (!grow((void **)&r->objects, &r->cobjects, r->nobjects + 1, sizeof *r->objects))
        return false;
    if (!id_put(&r->ids, id, r->nobjects))
        return false;
    nobject *o = &r->objects[r->nobjects];
    memset(o, 0, sizeof *o);
    o->id = id;
    o->kind = kind;
    o->cls = -1;
    *index = r->nobjects++;
    return true;
}

/* An object with no id of its own (the inline return string). */
static bool add_anonymous(reader *r, uint8_t kind, int32_t *index)
{
    if (!grow((void **)&r->objects, &r->cobjects, r->nobjects + 1, sizeof *r->objects))
        return false;
    nobject *o = &r->objects[r->nobjects];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->cls = -1;
    *index = r->nobjects++;
    return true;
}

/* An open record: the values it still expects. */
typedef struct frame {
    int32_t object;
    int32_t remaining;
    int32_t member;    /* O_CLASS: the next member's index */
    uint8_t elem_prim; /* a BinaryArray of primitives: raw elements */
} frame;

/* ClassInfo + (MemberTypeInfo when typed) + (LibraryId when not a system class). */
static bool read_class(reader *r, uint8_t record, int32_t *object)
{
    int32_t id, count;
    nclass c;
    if (!get_i32(r, &id) || !get_lps(r, &c.name, &c.name_length) || !get_i32(r, &count))
        return false;
    /* each member name takes at least one byte */
    if (count < 0 || (size_t)count > left(r))
        return count < 0 ? invalid("MemberCount") : malformed(SR_Serialization_StreamEnd);
    c.member_count = count;
    c.first_member = r->nmembers;
    if (!grow((void **)&r->members, &r->cmembers, r->nmembers + count, sizeof *r->members))
        return false;
    for (int32_t i = 0; i < count; i++) {
        nmember *m = &r->members[r->nmembers + i];
        memset(m, 0, sizeof *m);
        m->btype = B_OBJECT;
        if (!get_lps(r, &m->name, &m->name_length))
            return false;
    }
    bool typed = record == R_SYSTEM_CLASS_WITH_MEMBERS_AND_TYPES || record == R_CLASS_WITH_MEMBERS_AND_TYPES;
    if (typed) {
        for (int32_t i = 0; i < count; i++) {
            uint8_t t;
            if (!get_u8(r, &t))
                return false;
            if (t > B_PRIMITIVE_ARRAY)
                return invalid("BinaryType");
            r->members[r->nmembers + i].btype = t;
        }
        for (int32_t i = 0; i < count; i++) {
            nmember *m = &r->members[r->nmembers + i];
            const uint8_t *s;
            int32_t n, lib;
            switch (m->btype) {
            case B_PRIMITIVE:
            case B_PRIMITIVE_ARRAY:
                if (!get_u8(r, &m->prim))
                    return false;
                if (m->prim == P_NULL || m->prim == P_STRING || variant_of_prim(m->prim) == VariantType_Empty)
                    return invalid("PrimitiveType");
                break;
            case B_SYSTEM_CLASS:
                if (!get_lps(r, &s, &n))
                    return false;
                break;
            case B_CLASS:
                if (!get_lps(r, &s, &n) || !get_i32(r, &lib))
                    return false;
                if (id_get(&r->libraries, lib) < 0)
                    return invalid("LibraryId");
                break;
            default: break;
            }
        }
    }
    if (record == R_CLASS_WITH_MEMBERS || record == R_CLASS_WITH_MEMBERS_AND_TYPES) {
        int32_t lib;
        if (!get_i32(r, &lib))
            return false;
        if (id_get(&r->libraries, lib) < 0)
            return invalid("LibraryId");
    }
    r->nmembers += count;
    if (!grow((void **)&r->classes, &r->cclasses, r->nclasses + 1, sizeof *r->classes))
        return false;
    r->classes[r->nclasses] = c;
    if (!add_object(r, id, O_CLASS, object))
        return false;
    r->objects[*object].cls = r->nclasses++;
    return true;
}

/* Reads one record where a value is expected (or at the top level when owner < 0). The value goes
 * to owner; a record that opens members or elements is pushed. *done is set at MessageEnd. */
static bool read_record(reader *r, int32_t owner, frame *stack, int32_t *depth, int32_t *nulls, bool *done)
{
    for (;;) { /* BinaryLibrary records precede the record they serve */
        uint8_t record;
        if (!get_u8(r, &record))
            return false;
        int32_t id, n, object;
        const uint8_t *s;
        uint8_t prim;
        *nulls = 0;
        switch (record) {
        case R_BINARY_LIBRARY:
            if (!get_i32(r, &id) || !get_lps(r, &s, &n))
                return false;
            if (!id || id_get(&r->libraries, id) >= 0 || id_get(&r->ids, id) >= 0)
                return id ? (sp_throwf_sr(ExceptionType_SerializationException, NULL,
                                          SR_Serialization_DuplicateSerializationRecord, (int)id),
                             false)
                          : invalid("LibraryId");
            if (r->libraries.count >= SP_NRBF_MAX_OBJECTS)
                return malformed(SR_Serialization_TooManyRecords);
            if (!id_put(&r->libraries, id, 0))
                return false;
            continue;
        case R_MESSAGE_END:
            if (owner >= 0)
                return invalid("MessageEnd");
            *done = true;
            return true;
        case R_OBJECT_NULL: return owner < 0 ? invalid("ObjectNull") : add_value(r, owner, V_NULL, 0, 0, NULL);
        case R_NULL_MULTIPLE_256:
        case R_NULL_MULTIPLE: {
            if (owner < 0 || r->objects[owner].kind == O_CLASS)
                return invalid("ObjectNullMultiple");
            if (record == R_NULL_MULTIPLE_256) {
                uint8_t c;
                if (!get_u8(r, &c))
                    return false;
                n = c;
            } else if (!get_i32(r, &n)) {
                return false;
            }
            if (n <= 0 || n > stack[*depth - 1].remaining)
                return invalid("NullCount");
            *nulls = n;
            return add_value(r, owner, V_NULLS, 0, n, NULL);
        }
        case R_MEMBER_REFERENCE:
            if (!get_i32(r, &id))
                return false;
            if (owner < 0 || id == 0)
                return invalid("MemberReference");
            return add_value(r, owner, V_REF, 0, id, NULL);
        case R_MEMBER_PRIMITIVE_TYPED:
            if (owner < 0 || !get_u8(r, &prim))
                return owner < 0 ? invalid("MemberPrimitiveTyped") : false;
            if (prim == P_NULL || prim == P_STRING || variant_of_prim(prim) == VariantType_Empty)
                return invalid("PrimitiveType");
            if (!get_raw(r, prim, &s, &n))
                return false;
            return add_value(r, owner, V_PRIM, prim, n, s);
        case R_OBJECT_STRING:
            if (!get_i32(r, &id) || !get_lps(r, &s, &n) || !add_object(r, id, O_STRING, &object))
                return false;
            r->objects[object].data = s;
            r->objects[object].length = n;
            return owner < 0 || add_value(r, owner, V_OBJ, 0, object, NULL);
        case R_CLASS_WITH_ID:
        case R_SYSTEM_CLASS_WITH_MEMBERS:
        case R_CLASS_WITH_MEMBERS:
        case R_SYSTEM_CLASS_WITH_MEMBERS_AND_TYPES:
        case R_CLASS_WITH_MEMBERS_AND_TYPES: {
            if (record == R_CLASS_WITH_ID) {
                int32_t meta;
                if (!get_i32(r, &id) || !get_i32(r, &meta))
                    return false;
                int32_t earlier = id_get(&r->ids, meta);
                if (earlier < 0 || r->objects[earlier].kind != O_CLASS)
                    return invalid("MetadataId");
                int32_t cls = r->objects[earlier].cls;
                if (!add_object(r, id, O_CLASS, &object))
                    return false;
                r->objects[object].cls = cls;
            } else if (!read_class(r, record, &object)) {
                return false;
            }
            goto push;
        }
        case R_ARRAY_SINGLE_PRIMITIVE: {
            if (!get_i32(r, &id) || !get_i32(r, &n) || !get_u8(r, &prim))
                return false;
            int32_t size;
            const uint8_t *at;
            if (n < 0)
                return invalid("Length");
            if (prim == P_DECIMAL || prim == P_CHAR || prim == P_NULL || prim == P_STRING ||
                variant_of_prim(prim) == VariantType_Empty)
                return invalid("PrimitiveType");
            size = (int32_t)sp_variant_size(variant_of_prim(prim));
            if (prim == P_BOOLEAN)
                size = 1;
            /* checked against the bytes left before anything is taken */
            if ((uint64_t)n * (uint64_t)size > left(r))
                return malformed(SR_Serialization_StreamEnd);
            if (!take(r, (size_t)n * (size_t)size, &at) || !add_object(r, id, O_PRIM_ARRAY, &object))
                return false;
            r->objects[object].prim = prim;
            r->objects[object].length = n;
            r->objects[object].data = at;
            return owner < 0 || add_value(r, owner, V_OBJ, 0, object, NULL);
        }
        case R_ARRAY_SINGLE_OBJECT:
        case R_ARRAY_SINGLE_STRING:
            if (!get_i32(r, &id) || !get_i32(r, &n))
                return false;
            if (n < 0)
                return invalid("Length");
            if (!add_object(r, id, record == R_ARRAY_SINGLE_STRING ? O_STRING_ARRAY : O_OBJECT_ARRAY, &object))
                return false;
            r->objects[object].length = n;
            goto push;
        case R_BINARY_ARRAY: {
            uint8_t kind, type;
            int32_t rank;
            if (!get_i32(r, &id) || !get_u8(r, &kind) || !get_i32(r, &rank))
                return false;
            /* rank-1 Single and Jagged arrays only (RPC.md 2): the others are refused cleanly */
            if ((kind != 0 && kind != 1) || rank != 1)
                return invalid("BinaryArrayType");
            if (!get_i32(r, &n) || !get_u8(r, &type))
                return false;
            if (n < 0)
                return invalid("Length");
            if (type > B_PRIMITIVE_ARRAY)
                return invalid("BinaryType");
            prim = 0;
            if (type == B_PRIMITIVE || type == B_PRIMITIVE_ARRAY) {
                if (!get_u8(r, &prim))
                    return false;
                if (prim == P_NULL || prim == P_STRING || variant_of_prim(prim) == VariantType_Empty)
                    return invalid("PrimitiveType");
            } else if (type == B_SYSTEM_CLASS || type == B_CLASS) {
                return invalid("BinaryArray of classes"); /* not in v1's value set */
            }
            if (!add_object(r, id, type == B_STRING ? O_STRING_ARRAY : O_OBJECT_ARRAY, &object))
                return false;
            r->objects[object].length = n;
            if (type == B_PRIMITIVE) {
                /* raw elements: checked against the bytes left, then read as a primitive array */
                int32_t size = prim == P_BOOLEAN ? 1 : (int32_t)sp_variant_size(variant_of_prim(prim));
                const uint8_t *at;
                if (prim == P_DECIMAL || prim == P_CHAR)
                    return invalid("PrimitiveType");
                if ((uint64_t)n * (uint64_t)size > left(r))
                    return malformed(SR_Serialization_StreamEnd);
                if (!take(r, (size_t)n * (size_t)size, &at))
                    return false;
                r->objects[object].kind = O_PRIM_ARRAY;
                r->objects[object].prim = prim;
                r->objects[object].data = at;
                return owner < 0 || add_value(r, owner, V_OBJ, 0, object, NULL);
            }
            goto push;
        }
        case R_METHOD_CALL:
        case R_METHOD_RETURN:
        case R_HEADER:
        default: {
            char what[32];
            snprintf(what, sizeof what, "RecordType %u", (unsigned)record);
            return invalid(what);
        }
        }
    push:
        if (owner >= 0 && !add_value(r, owner, V_OBJ, 0, object, NULL))
            return false;
        if (*depth >= SP_NRBF_MAX_DEPTH)
            return malformed(SR_Serialization_MaxDepth);
        nobject *o = &r->objects[object];
        frame *f = &stack[(*depth)++];
        f->object = object;
        f->member = 0;
        f->elem_prim = 0;
        f->remaining = o->kind == O_CLASS ? r->classes[o->cls].member_count : o->length;
        return true;
    }
}

/* Reads records until MessageEnd, with the open ones on an explicit stack. */
static bool read_graph(reader *r)
{
    frame stack[SP_NRBF_MAX_DEPTH];
    int32_t depth = 0;
    for (;;) {
        bool done = false;
        int32_t nulls = 0;
        if (depth == 0) {
            if (!read_record(r, -1, stack, &depth, &nulls, &done))
                return false;
            if (done)
                return true;
            continue;
        }
        int32_t at = depth - 1;
        if (stack[at].remaining == 0) {
            depth--;
            continue;
        }
        const nobject *o = &r->objects[stack[at].object];
        if (o->kind == O_CLASS) {
            const nmember *m = &r->members[r->classes[o->cls].first_member + stack[at].member];
            /* counted before the value is read: reading it may open records above this one */
            stack[at].member++;
            stack[at].remaining--;
            if (m->btype == B_PRIMITIVE) {
                const uint8_t *data;
                int32_t n;
                if (!get_raw(r, m->prim, &data, &n) || !add_value(r, stack[at].object, V_PRIM, m->prim, n, data))
                    return false;
                continue;
            }
            if (!read_record(r, stack[at].object, stack, &depth, &nulls, &done))
                return false;
            continue;
        }
        if (!read_record(r, stack[at].object, stack, &depth, &nulls, &done))
            return false;
        stack[at].remaining -= nulls ? nulls : 1;
    }
}

/* Values of each object together, in order (a counting sort by owner). */
static bool group_values(reader *r)
{
    for (int32_t i = 0; i < r->nobjects; i++)
        r->objects[i].count = 0;
    for (int32_t i = 0; i < r->nvalues; i++)
        r->objects[r->values[i].owner].count++;
    int32_t at = 0;
    for (int32_t i = 0; i < r->nobjects; i++) {
        r->objects[i].first = at;
        at += r->objects[i].count;
        r->objects[i].count = 0;
    }
    r->sorted = sp_malloc(sizeof *r->sorted * (size_t)(r->nvalues ? r->nvalues : 1));
    if (!r->sorted)
        return false;
    for (int32_t i = 0; i < r->nvalues; i++) {
        nobject *o = &r->objects[r->values[i].owner];
        r->sorted[o->first + o->count++] = r->values[i];
    }
    /* every reference must name a record of the message */
    for (int32_t i = 0; i < r->nvalues; i++)
        if (r->values[i].kind == V_REF && id_get(&r->ids, r->values[i].n) < 0) {
            sp_throwf_sr(ExceptionType_SerializationException, NULL, SR_Serialization_MissingRecord,
                         (int)r->values[i].n);
            return false;
        }
    return true;
}

static void reader_free(reader *r)
{
    free(r->objects);
    free(r->classes);
    free(r->members);
    free(r->values);
    free(r->sorted);
    id_free(&r->ids);
    id_free(&r->libraries);
}

/* The object a value stands for (-1 for null or a primitive). One hop: references name records,
 * never other references. */
static int32_t target(const reader *r, const nvalue *v)
{
    if (v->kind == V_OBJ)
        return v->n;
    if (v->kind == V_REF)
        return id_get(&r->ids, v->n);
    return -1;
}

/* The class member called name, or NULL. */
static const nvalue *member(const reader *r, int32_t object, const char *name)
{
    const nobject *o = &r->objects[object];
    if (o->kind != O_CLASS)
        return NULL;
    const nclass *c = &r->classes[o->cls];
    size_t n = strlen(name);
    for (int32_t i = 0; i < c->member_count && i < o->count; i++) {
        const nmember *m = &r->members[c->first_member + i];
        if ((size_t)m->name_length == n && memcmp(m->name, name, n) == 0)
            return &r->sorted[o->first + i];
    }
    return NULL;
}

/* A string member's text (NUL-terminated copy into buf), or NULL for null/absent/other. */
static const char *member_string(const reader *r, int32_t object, const char *name, char *buf, size_t size)
{
    const nvalue *v = member(r, object, name);
    int32_t t = v ? target(r, v) : -1;
    if (t < 0 || r->objects[t].kind != O_STRING)
        return NULL;
    size_t n = (size_t)r->objects[t].length < size - 1 ? (size_t)r->objects[t].length : size - 1;
    memcpy(buf, r->objects[t].data, n);
    buf[n] = 0;
    return sp_utf8_trim_cut(buf); /* (valid UTF-8 on the wire, so valid once a cut tail is gone) */
}

/* ---------------------------------------------------------------- values to Variants */

static bool wrong_type(void)
{
    sp_throw_sr(ExceptionType_InvalidCastException, SR_Remoting_InvalidReturnType, NULL);
    return false;
}

/* A primitive's bytes as a Variant (the Decimal text parsed, the char decoded). */
static bool prim_variant(uint8_t code, const uint8_t *data, int32_t length, Variant *out)
{
    memset(out, 0, sizeof *out);
    out->type = variant_of_prim(code);
    switch (code) {
    case P_BOOLEAN: out->value.asBoolean = data[0] != 0; return true;
    case P_BYTE: out->value.asByte = data[0]; return true;
    case P_SBYTE: out->value.asSByte = (int8_t)data[0]; return true;
    case P_INT16: out->value.asInt16 = (int16_t)sp_get_u16(data); return true;
    case P_UINT16: out->value.asUInt16 = sp_get_u16(data); return true;
    case P_INT32: out->value.asInt32 = (int32_t)sp_get_u32(data); return true;
    case P_UINT32: out->value.asUInt32 = sp_get_u32(data); return true;
    case P_SINGLE: {
        uint32_t v = sp_get_u32(data);
        memcpy(&out->value.asSingle, &v, 4);
        return true;
    }
    case P_INT64: out->value.asInt64 = (int64_t)sp_get_u64(data); return true;
    case P_UINT64: out->value.asUInt64 = sp_get_u64(data); return true;
    case P_DOUBLE: {
        uint64_t v = sp_get_u64(data);
        memcpy(&out->value.asDouble, &v, 8);
        return true;
    }
    case P_TIMESPAN: out->value.asTimeSpan.ticks = (int64_t)sp_get_u64(data); return true;
    case P_DATETIME: out->value.asDateTime.dateData = sp_get_u64(data); return true;
    case P_CHAR: {
        size_t used;
        out->value.asChar = (uint16_t)sp_utf8_next(data, (size_t)length, &used);
        return true;
    }
    case P_DECIMAL: {
        char text[64];
        if (length <= 0 || (size_t)length >= sizeof text)
            return invalid("Decimal");
        memcpy(text, data, (size_t)length);
        text[length] = 0;
        if (!Decimal_TryParse(text, &out->value.asDecimal)) {
            sp_clear();
            return invalid("Decimal");
        }
        return true;
    }
    default: return invalid("PrimitiveType");
    }
}

/* The value v (of the reply) as a given Variant of the expected shape. */
static bool to_variant(const reader *r, const nvalue *v, const ParameterInfo *want, Variant *out)
{
    memset(out, 0, sizeof *out);
    VariantType wt = want ? want->type : VariantType_Empty;
    if (v->kind == V_NULL || v->kind == V_NULLS) {
        if (wt != VariantType_Empty && wt != VariantType_Null && wt != VariantType_String && wt != VariantType_Array &&
            wt != VariantType_Object)
            return wrong_type();
        out->type = VariantType_Null;
        return true;
    }
    if (v->kind == V_PRIM) {
        if (!prim_variant(v->prim, v->data, v->n, out))
            return false;
        if (wt != VariantType_Empty && wt != out->type)
            return wrong_type();
        return true;
    }
    int32_t t = target(r, v);
    if (t < 0)
        return invalid("MemberReference");
    const nobject *o = &r->objects[t];
    switch (o->kind) {
    case O_STRING: {
        if (wt != VariantType_Empty && wt != VariantType_String)
            return wrong_type();
        char *s = sp_strndup((const char *)o->data, (size_t)o->length);
        if (!s)
            return false;
        out->type = VariantType_String;
        out->length = o->length;
        out->value.asString = s;
        return true;
    }
    case O_PRIM_ARRAY: {
        VariantType et = variant_of_prim(o->prim);
        if (wt != VariantType_Empty &&
            (wt != VariantType_Array || (want->elementType != VariantType_Empty && want->elementType != et)))
            return wrong_type();
        uint8_t *a = sp_array_new(et, o->length);
        if (!a)
            return false;
        size_t size = sp_variant_size(et), wire = o->prim == P_BOOLEAN ? 1 : size;
        for (int32_t i = 0; i < o->length; i++) {
            Variant e;
            prim_variant(o->prim, o->data + (size_t)i * wire, (int32_t)wire, &e);
            memcpy(a + (size_t)i * size, &e.value, size);
        }
        out->type = VariantType_Array;
        out->elementType = et;
        out->length = o->length;
        out->value.asArray = a;
        return true;
    }
    case O_STRING_ARRAY:
    case O_OBJECT_ARRAY: {
        /* string[] (or an object[] holding only strings and nulls, when a string[] is expected) */
        if (wt != VariantType_Empty && (wt != VariantType_Array || want->elementType != VariantType_String))
            return wrong_type();
        if (o->kind == O_OBJECT_ARRAY && wt == VariantType_Empty)
            return wrong_type(); /* object[] is not in the value set */
        /* its C form is made at the declared length, which ObjectNullMultiple fills in five bytes
         * for any count: past SP_NRBF_MAX_ARRAY_LENGTH it is refused, never allocated */
        if (o->length > SP_NRBF_MAX_ARRAY_LENGTH)
            return invalid("Length");
        char **a = sp_array_new(VariantType_String, o->length);
        if (!a)
            return false;
        int32_t k = 0;
        for (int32_t i = 0; i < o->count; i++) {
            const nvalue *e = &r->sorted[o->first + i];
            if (e->kind == V_NULLS) {
                k += e->n;
                continue;
            }
            if (k >= o->length) {
                Array_Free(a);
                return invalid("Length");
            }
            if (e->kind != V_NULL) {
                int32_t s = target(r, e);
                if (s < 0 || r->objects[s].kind != O_STRING) {
                    Array_Free(a);
                    return wrong_type();
                }
                if (!(a[k] = sp_strndup((const char *)r->objects[s].data, (size_t)r->objects[s].length))) {
                    Array_Free(a);
                    return false;
                }
            }
            k++;
        }
        if (k != o->length) {
            Array_Free(a);
            return invalid("Length");
        }
        out->type = VariantType_Array;
        out->elementType = VariantType_String;
        out->length = o->length;
        out->value.asArray = a;
        return true;
    }
    case O_CLASS: {
        const SerializableType *st = want ? want->objectType : NULL;
        if (wt != VariantType_Object || !st)
            return wrong_type();
        const nclass *c = &r->classes[o->cls];
        const char *comma = strchr(st->name, ',');
        size_t class_len = comma ? (size_t)(comma - st->name) : strlen(st->name);
        if ((size_t)c->name_length != class_len || memcmp(c->name, st->name, class_len) != 0)
            return wrong_type();
        uint8_t *obj = calloc(1, st->size ? st->size : 1);
        if (!obj) {
            sp_throw_out_of_memory();
            return false;
        }
        for (int32_t i = 0; i < st->fieldCount; i++) {
            const SerializableField *fd = &st->fields[i];
            const nvalue *mv = member(r, t, fd->name);
            Variant fv;
            ParameterInfo fw = {fd->name, fd->type, VariantType_Empty, NULL};
            if (!mv || !to_variant(r, mv, &fw, &fv)) {
                if (!sp_failed())
                    wrong_type();
                sp_object_free_fields(st, obj);
                free(obj);
                return false;
            }
            if (fd->type == VariantType_String)
                *(char **)(obj + fd->offset) =
                    (char *)(uintptr_t)(fv.type == VariantType_Null ? NULL : fv.value.asString);
            else
                memcpy(obj + fd->offset, &fv.value, sp_variant_size(fd->type));
        }
        out->type = VariantType_Object;
        out->objectType = st;
        out->value.asObject = obj;
        return true;
    }
    }
    return invalid("Record");
}

static bool raise_remote(const reader *r, const nvalue *v)
{
    int32_t t = target(r, v);
    if (t < 0 || r->objects[t].kind != O_CLASS)
        return invalid("Exception");
    static _Thread_local char class_name[256], message[1024], stack[4096], param[128];
    const char *cn = member_string(r, t, "ClassName", class_name, sizeof class_name);
    if (!cn) { /* the record's own class name */
        const nclass *c = &r->classes[r->objects[t].cls];
        size_t n = (size_t)c->name_length < sizeof class_name - 1 ? (size_t)c->name_length : sizeof class_name - 1;
        memcpy(class_name, c->name, n);
        class_name[n] = 0;
        cn = sp_utf8_trim_cut(class_name);
    }
    const char *msg = member_string(r, t, "Message", message, sizeof message);
    const char *st = member_string(r, t, "StackTraceString", stack, sizeof stack);
    const char *pn = member_string(r, t, "ParamName", param, sizeof param);
    const nvalue *hr = member(r, t, "HResult");
    ExceptionType type = sp_exception_type_from_name(cn);
    if (type == ExceptionType_None)
        type = ExceptionType_RemotingException;
    sp_throw(type, msg ? msg : "", pn);
    if (hr && hr->kind == V_PRIM && hr->prim == P_INT32)
        sp_exception_set_hresult((int32_t)sp_get_u32(hr->data));
    sp_exception_set_remote(cn, st);
    return false;
}

bool sp_nrbf_read_return(const uint8_t *body, size_t length, const ParameterInfo *expected, Variant *result)
{
    memset(result, 0, sizeof *result);
    reader r;
    memset(&r, 0, sizeof r);
    r.p = body;
    r.end = body + length;
    bool ok = false;
    uint8_t record;
    int32_t root, header, major, minor, flags;
    /* SerializationHeaderRecord, then the MethodReturn */
    if (!get_u8(&r, &record) || (record != R_HEADER && !invalid("SerializationHeader")) || !get_i32(&r, &root) ||
        !get_i32(&r, &header) || !get_i32(&r, &major) || !get_i32(&r, &minor))
        goto done;
    if (major != 1 || minor != 0) {
        invalid("SerializationHeader");
        goto done;
    }
    if (!get_u8(&r, &record) || (record != R_METHOD_RETURN && !invalid("MethodReturn")) || !get_i32(&r, &flags))
        goto done;
    if (flags & (M_GENERIC_METHOD | M_SIGNATURE_IN_ARRAY)) {
        invalid("MessageFlags");
        goto done;
    }
    /* the inline parts: return value, call context, args (each ValueWithCode) */
    nvalue inline_return = {0, V_NULL, 0, 0, NULL};
    bool have_inline = false;
    if (flags & M_RETURN_VALUE_INLINE) {
        uint8_t code;
        if (!get_u8(&r, &code))
            goto done;
        if (code == P_STRING) {
            const uint8_t *s;
            int32_t n, object;
            if (!get_lps(&r, &s, &n) || !add_anonymous(&r, O_STRING, &object))
                goto done;
            r.objects[object].data = s;
            r.objects[object].length = n;
            inline_return = (nvalue){-1, V_OBJ, 0, object, NULL};
        } else if (code == P_NULL) {
            inline_return.kind = V_NULL;
        } else {
            const uint8_t *s;
            int32_t n;
            if (variant_of_prim(code) == VariantType_Empty) {
                invalid("PrimitiveType");
                goto done;
            }
            if (!get_raw(&r, code, &s, &n))
                goto done;
            inline_return = (nvalue){-1, V_PRIM, code, n, s};
        }
        have_inline = true;
    }
    if (flags & M_CONTEXT_INLINE) {
        uint8_t code;
        const uint8_t *s;
        int32_t n;
        if (!get_u8(&r, &code) || (code != P_STRING && !invalid("CallContext")) || !get_lps(&r, &s, &n))
            goto done;
    }
    if (flags & M_ARGS_INLINE) {
        int32_t count;
        if (!get_i32(&r, &count))
            goto done;
        if (count < 0 || (size_t)count > left(&r)) {
            count < 0 ? invalid("ArgsCount") : malformed(SR_Serialization_StreamEnd);
            goto done;
        }
        for (int32_t i = 0; i < count; i++) {
            uint8_t code;
            const uint8_t *s;
            int32_t n;
            if (!get_u8(&r, &code))
                goto done;
            if (code == P_NULL)
                continue;
            if (code == P_STRING ? !get_lps(&r, &s, &n)
                                 : (variant_of_prim(code) == VariantType_Empty ? !invalid("PrimitiveType")
                                                                               : !get_raw(&r, code, &s, &n)))
                goto done;
        }
    }
    /* the rest: the call array and the graph, to MessageEnd */
    if (!read_graph(&r))
        goto done;
    if (r.p != r.end) {
        malformed(SR_Serialization_TrailingData);
        goto done;
    }
    if (!group_values(&r))
        goto done;
    bool in_array = flags & (M_ARGS_IN_ARRAY | M_RETURN_VALUE_IN_ARRAY | M_EXCEPTION_IN_ARRAY | M_CONTEXT_IN_ARRAY |
                             M_PROPERTIES_IN_ARRAY);
    int32_t call_array = -1;
    if (in_array) {
        call_array = id_get(&r.ids, root);
        if (call_array < 0 || r.objects[call_array].kind != O_OBJECT_ARRAY) {
            invalid("RootId");
            goto done;
        }
    }
    /* the call array's items, in order: args, return value, exception, context, properties */
    int32_t index = (flags & M_ARGS_IN_ARRAY) ? 1 : 0;
    if (flags & M_EXCEPTION_IN_ARRAY) {
        const nobject *a = &r.objects[call_array];
        int32_t at = index + ((flags & M_RETURN_VALUE_IN_ARRAY) ? 1 : 0);
        if (at >= a->count) {
            invalid("ExceptionInArray");
            goto done;
        }
        raise_remote(&r, &r.sorted[a->first + at]);
        goto done;
    }
    const nvalue *value = NULL;
    if (flags & M_RETURN_VALUE_IN_ARRAY) {
        const nobject *a = &r.objects[call_array];
        if (index >= a->count) {
            invalid("ReturnValueInArray");
            goto done;
        }
        value = &r.sorted[a->first + index];
    } else if (have_inline) {
        value = &inline_return;
    }
    VariantType wt = expected ? expected->type : VariantType_Empty;
    if (!value) { /* NoReturnValue or ReturnValueVoid: a void, or a null reference (RPC-API.md 4) */
        if (wt == VariantType_String || wt == VariantType_Array || wt == VariantType_Object)
            result->type = VariantType_Null;
        else if (wt != VariantType_Empty && wt != VariantType_Null) {
            wrong_type();
            goto done;
        }
        ok = true;
        goto done;
    }
    ok = to_variant(&r, value, expected, result);
done:
    reader_free(&r);
    if (!ok && sp_failed() && result->type != VariantType_Empty)
        Variant_Clear(result);
    if (ok)
        sp_clear();
    return ok;
}
