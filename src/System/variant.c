/* Variant: one .NET value, tagged (RPC-API.md 2.2). The conversions are Convert.ToX(object)'s,
 * except that no number is parsed out of a string and a fractional number does not round into an
 * integer (it is an InvalidCastException: a wire value of the wrong shape, not arithmetic). */
#include "core/internal.h"

#include <math.h>

static const char *type_name(VariantType t)
{
    static const char *const names[] = {"Empty",   "DBNull",   "Boolean",  "Char",   "SByte",  "Byte",   "Int16",
                                        "UInt16",  "Int32",    "UInt32",   "Int64",  "UInt64", "Single", "Double",
                                        "Decimal", "DateTime", "TimeSpan", "String", "Array",  "Object", "Json"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "Object";
}

static void invalid_cast(VariantType from, VariantType to)
{
    if (from == VariantType_Empty)
        sp_throw_sr(ExceptionType_InvalidCastException, SR_Arg_InvalidCastException, NULL);
    else
        sp_throwf_sr(ExceptionType_InvalidCastException, NULL, SR_InvalidCast_FromTo, type_name(from), type_name(to));
}

/* ---------------------------------------------------------------- integers */

/* The value as sign and magnitude, when it is an integer (or an integral number). */
typedef enum { NUM_OK, NUM_NULL, NUM_CAST, NUM_RANGE } num_status;

static bool decimal_integral(Decimal d, uint64_t *mag)
{
    uint32_t w[3] = {d.lo, d.mid, d.hi};
    unsigned scale = (d.flags >> 16) & 0xFF;
    for (unsigned i = 0; i < scale; i++) {
        uint64_t rem = 0;
        for (int k = 2; k >= 0; k--) {
            uint64_t cur = (rem << 32) | w[k];
            w[k] = (uint32_t)(cur / 10);
            rem = cur % 10;
        }
        if (rem)
            return false;
    }
    if (w[2]) {
        *mag = UINT64_MAX; /* beyond every integer type: an overflow */
        return true;
    }
    *mag = ((uint64_t)w[1] << 32) | w[0];
    return true;
}

static num_status as_integer(Variant v, VariantType to, bool *neg, uint64_t *mag)
{
    *neg = false;
    *mag = 0;
    int64_t s;
    switch (v.type) {
    case VariantType_Null: return NUM_NULL;
    case VariantType_Boolean:
        if (to == VariantType_Char)
            return NUM_CAST;
        *mag = v.value.asBoolean ? 1 : 0;
        return NUM_OK;
    case VariantType_Char: *mag = v.value.asChar; return NUM_OK;
    case VariantType_Byte: *mag = v.value.asByte; return NUM_OK;
    case VariantType_UInt16: *mag = v.value.asUInt16; return NUM_OK;
    case VariantType_UInt32: *mag = v.value.asUInt32; return NUM_OK;
    case VariantType_UInt64: *mag = v.value.asUInt64; return NUM_OK;
    case VariantType_SByte: s = v.value.asSByte; goto signed_value;
    case VariantType_Int16: s = v.value.asInt16; goto signed_value;
    case VariantType_Int32: s = v.value.asInt32; goto signed_value;
    case VariantType_Int64:
        s = v.value.asInt64;
    signed_value:
        *neg = s < 0;
        *mag = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
        return NUM_OK;
    case VariantType_Single:
    case VariantType_Double: {
        if (to == VariantType_Char)
            return NUM_CAST;
        double d = v.type == VariantType_Single ? (double)v.value.asSingle : v.value.asDouble;
        if (isnan(d) || (isfinite(d) && d != floor(d)))
            return NUM_CAST;
        if (!(fabs(d) < 18446744073709551616.0))
            return NUM_RANGE;
        *neg = d < 0;
        *mag = (uint64_t)fabs(d);
        return NUM_OK;
    }
    case VariantType_Decimal:
        if (to == VariantType_Char)
            return NUM_CAST;
        if (!decimal_integral(v.value.asDecimal, mag))
            return NUM_CAST;
        *neg = Decimal_IsNegative(v.value.asDecimal) && *mag != 0;
        return NUM_OK;
    default: return NUM_CAST;
    }
}

/* The value in [min, max], else the exception; 0 on failure. */
static bool to_integer(Variant v, VariantType to, int64_t min, uint64_t max, enum sp_sr overflow, bool *neg,
                       uint64_t *mag)
{
    switch (as_integer(v, to, neg, mag)) {
    case NUM_NULL: sp_clear(); return true;
    case NUM_CAST:
        invalid_cast(v.type, to);
        *mag = 0;
        return false;
    case NUM_RANGE: break;
    case NUM_OK:
        if (*neg ? *mag <= (uint64_t)0 - (uint64_t)min && (min < 0 || *mag == 0) : *mag <= max) {
            sp_clear();
            return true;
        }
        break;
    }
    sp_throw_sr(ExceptionType_OverflowException, overflow, NULL);
    *neg = false;
    *mag = 0;
    return false;
}

static int64_t signed_of(bool neg, uint64_t mag) { return neg ? (int64_t)((uint64_t)0 - mag) : (int64_t)mag; }

#define SP_VARIANT_TO_INT_(Name, ctype, min, max)                                                                      \
  ctype Variant_To##Name(Variant v)                                                                                    \
  {                                                                                                                    \
    bool neg;                                                                                                          \
    uint64_t mag;                                                                                                      \
    if (!to_integer(v, VariantType_##Name, min, max, SR_Overflow_##Name, &neg, &mag))                                  \
      return 0;                                                                                                        \
    return (ctype)signed_of(neg, mag);                                                                                 \
  }
SP_VARIANT_TO_INT_(Char, uint16_t, 0, UINT16_MAX)
SP_VARIANT_TO_INT_(SByte, int8_t, INT8_MIN, INT8_MAX)
SP_VARIANT_TO_INT_(Byte, uint8_t, 0, UINT8_MAX)
SP_VARIANT_TO_INT_(Int16, int16_t, INT16_MIN, INT16_MAX)
SP_VARIANT_TO_INT_(UInt16, uint16_t, 0, UINT16_MAX)
SP_VARIANT_TO_INT_(Int32, int32_t, INT32_MIN, INT32_MAX)
SP_VARIANT_TO_INT_(UInt32, uint32_t, 0, UINT32_MAX)
SP_VARIANT_TO_INT_(Int64, int64_t, INT64_MIN, INT64_MAX)

uint64_t Variant_ToUInt64(Variant v)
{
    bool neg;
    uint64_t mag;
    if (!to_integer(v, VariantType_UInt64, 0, UINT64_MAX, SR_Overflow_UInt64, &neg, &mag))
        return 0;
    return mag;
}

/* ---------------------------------------------------------------- the others */

bool Variant_ToBoolean(Variant v)
{
    switch (v.type) {
    case VariantType_Null: sp_clear(); return false;
    case VariantType_Boolean: sp_clear(); return v.value.asBoolean;
    case VariantType_Single: sp_clear(); return v.value.asSingle != 0;
    case VariantType_Double: sp_clear(); return v.value.asDouble != 0;
    case VariantType_Decimal: {
        Decimal d = v.value.asDecimal;
        sp_clear();
        return d.lo || d.mid || d.hi;
    }
    case VariantType_Char: break;
    default: {
        bool neg;
        uint64_t mag;
        if (as_integer(v, VariantType_Boolean, &neg, &mag) == NUM_OK) {
            sp_clear();
            return mag != 0;
        }
        break;
    }
    }
    invalid_cast(v.type, VariantType_Boolean);
    return false;
}

/* true with *d set for every numeric kind Convert.ToDouble takes (not Char). */
static bool as_double(Variant v, VariantType to, double *d)
{
    bool neg;
    uint64_t mag;
    switch (v.type) {
    case VariantType_Null: *d = 0; return true;
    case VariantType_Single: *d = v.value.asSingle; return true;
    case VariantType_Double: *d = v.value.asDouble; return true;
    case VariantType_Decimal: *d = Decimal_ToDouble(v.value.asDecimal); return true;
    case VariantType_Char: break;
    default:
        if (as_integer(v, to, &neg, &mag) == NUM_OK) {
            *d = neg ? -(double)mag : (double)mag;
            return true;
        }
    }
    invalid_cast(v.type, to);
    *d = 0;
    return false;
}

double Variant_ToDouble(Variant v)
{
    double d;
    if (!as_double(v, VariantType_Double, &d))
        return 0;
    sp_clear();
    return d;
}

float Variant_ToSingle(Variant v)
{
    double d;
    if (!as_double(v, VariantType_Single, &d))
        return 0;
    sp_clear();
    return (float)d;
}

Decimal Variant_ToDecimal(Variant v)
{
    Decimal zero = {0, 0, 0, 0};
    bool neg;
    uint64_t mag;
    switch (v.type) {
    case VariantType_Null: sp_clear(); return zero;
    case VariantType_Decimal:
        if (!sp_decimal_check(v.value.asDecimal))
            return zero;
        sp_clear();
        return v.value.asDecimal;
    case VariantType_Single: return Decimal_FromDouble((double)v.value.asSingle);
    case VariantType_Double: return Decimal_FromDouble(v.value.asDouble);
    case VariantType_Char: break;
    default:
        if (as_integer(v, VariantType_Decimal, &neg, &mag) == NUM_OK) {
            Decimal d = Decimal_FromUInt64(mag);
            if (neg)
                d.flags |= 0x80000000u;
            sp_clear();
            return d;
        }
    }
    invalid_cast(v.type, VariantType_Decimal);
    return zero;
}

/* The text of a String Variant for an exception message (bounded, NUL-terminated). */
static void quote(Variant v, char *out, size_t size)
{
    size_t n = v.length > 0 ? (size_t)v.length : 0;
    if (n >= size)
        n = size - 1;
    memcpy(out, v.value.asString, n);
    out[n] = 0;
}

DateTime Variant_ToDateTime(Variant v)
{
    DateTime d = {0};
    switch (v.type) {
    case VariantType_Null: sp_clear(); return d;
    case VariantType_DateTime: sp_clear(); return v.value.asDateTime;
    case VariantType_String:
        if (v.value.asString && v.length >= 0 && sp_datetime_parse_iso(v.value.asString, (size_t)v.length, &d)) {
            sp_clear();
            return d;
        } else {
            char text[256];
            quote(v, text, sizeof text);
            sp_throwf_sr(ExceptionType_FormatException, NULL, SR_Format_BadDateTime, text);
            return (DateTime){0};
        }
    default: invalid_cast(v.type, VariantType_DateTime); return d;
    }
}

TimeSpan Variant_ToTimeSpan(Variant v)
{
    TimeSpan t = {0};
    switch (v.type) {
    case VariantType_Null: sp_clear(); return t;
    case VariantType_TimeSpan: sp_clear(); return v.value.asTimeSpan;
    case VariantType_String:
        if (v.value.asString && v.length >= 0 && sp_timespan_parse(v.value.asString, (size_t)v.length, &t)) {
            sp_clear();
            return t;
        } else {
            char text[256];
            quote(v, text, sizeof text);
            sp_throwf_sr(ExceptionType_FormatException, NULL, SR_Format_BadTimeSpan, text);
            return (TimeSpan){0};
        }
    default: invalid_cast(v.type, VariantType_TimeSpan); return t;
    }
}

const char *Variant_GetString(Variant v)
{
    switch (v.type) {
    case VariantType_Null: sp_clear(); return NULL;
    case VariantType_String:
    case VariantType_Json: sp_clear(); return v.value.asString;
    default: invalid_cast(v.type, VariantType_String); return NULL;
    }
}

/* ---------------------------------------------------------------- ownership */

void sp_object_free_fields(const SerializableType *type, void *object)
{
    if (!type || !object)
        return;
    for (int32_t i = 0; i < type->fieldCount; i++)
        if (type->fields[i].type == VariantType_String) {
            char **s = (char **)((uint8_t *)object + type->fields[i].offset);
            String_Free(*s);
            *s = NULL;
        }
}

void Variant_Clear(Variant *v)
{
    if (!v)
        return;
    switch (v->type) {
    case VariantType_String:
    case VariantType_Json: String_Free((char *)(uintptr_t)v->value.asString); break;
    case VariantType_Array: Array_Free((void *)(uintptr_t)v->value.asArray); break;
    case VariantType_Object:
        sp_object_free_fields(v->objectType, v->value.asObject);
        free(v->value.asObject);
        break;
    default: break;
    }
    memset(v, 0, sizeof *v);
}

Variant Variant_CopyObject(const SerializableType *type, const void *object)
{
    Variant v;
    memset(&v, 0, sizeof v);
    if (!object) {
        v.type = VariantType_Null;
        sp_clear();
        return v;
    }
    if (!type) {
        sp_throw_null("type");
        return v;
    }
    void *copy = sp_malloc(type->size);
    if (!copy)
        return v;
    memcpy(copy, object, type->size);
    for (int32_t i = 0; i < type->fieldCount; i++)
        if (type->fields[i].type == VariantType_String) {
            char **s = (char **)((uint8_t *)copy + type->fields[i].offset);
            /* zero the copied pointers first, so a failure frees only what this copy owns */
            *s = NULL;
        }
    for (int32_t i = 0; i < type->fieldCount; i++)
        if (type->fields[i].type == VariantType_String) {
            const char *src = *(char *const *)((const uint8_t *)object + type->fields[i].offset);
            char **dst = (char **)((uint8_t *)copy + type->fields[i].offset);
            if (src && !(*dst = sp_strdup(src))) {
                sp_object_free_fields(type, copy);
                free(copy);
                return v;
            }
        }
    v.type = VariantType_Object;
    v.objectType = type;
    v.value.asObject = copy;
    sp_clear();
    return v;
}
