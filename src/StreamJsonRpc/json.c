/* Variant <-> JSON through Jansson (json.h). */
#include "StreamJsonRpc/json.h"

#include <math.h>
#include <stdio.h>

static bool bad_arg(const char *what)
{
    sp_throwf(ExceptionType_ArgumentException, NULL, "%s cannot be sent as JSON.", what);
    return false;
}

static json_t *must(json_t *j)
{
    if (!j)
        sp_throw_out_of_memory();
    return j;
}

/* ---------------------------------------------------------------- DateTime, TimeSpan, base64 */

#define TICKS_PER_SECOND INT64_C(10000000)
#define TICKS_PER_DAY (INT64_C(86400) * TICKS_PER_SECOND)

/* Days since 0001-01-01 -> y/m/d (proleptic Gregorian, Howard Hinnant's civil_from_days). */
static void civil_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z = days - 719162 + 719468; /* to days since 1970-01-01, then shifted to 0000-03-01 */
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(y + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

size_t sp_jrpc_format_datetime(DateTime value, char *buffer, size_t size)
{
    int64_t ticks = DateTime_get_Ticks(value);
    int y, mo, d;
    civil_from_days(ticks / TICKS_PER_DAY, &y, &mo, &d);
    int64_t rest = ticks % TICKS_PER_DAY;
    int h = (int)(rest / (3600 * TICKS_PER_SECOND));
    int mi = (int)(rest / (60 * TICKS_PER_SECOND) % 60);
    int s = (int)(rest / TICKS_PER_SECOND % 60);
    int frac = (int)(rest % TICKS_PER_SECOND);
    /* Newtonsoft's IsoDateTimeConverter default ("o" round trip): 7 digits, Z for Utc only. */
    int n = snprintf(buffer, size, "%04d-%02d-%02dT%02d:%02d:%02d.%07d%s", y, mo, d, h, mi, s, frac,
                     DateTime_get_Kind(value) == DateTimeKind_Utc ? "Z" : "");
    return n > 0 ? (size_t)n : 0;
}

size_t sp_jrpc_format_timespan(TimeSpan value, char *buffer, size_t size)
{
    int64_t t = TimeSpan_get_Ticks(value);
    uint64_t u = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    uint64_t days = u / (uint64_t)TICKS_PER_DAY;
    uint64_t rest = u % (uint64_t)TICKS_PER_DAY;
    unsigned h = (unsigned)(rest / (3600 * (uint64_t)TICKS_PER_SECOND));
    unsigned m = (unsigned)(rest / (60 * (uint64_t)TICKS_PER_SECOND) % 60);
    unsigned s = (unsigned)(rest / (uint64_t)TICKS_PER_SECOND % 60);
    unsigned frac = (unsigned)(rest % (uint64_t)TICKS_PER_SECOND);
    char daypart[32] = "", fracpart[16] = "";
    if (days)
        snprintf(daypart, sizeof daypart, "%llu.", (unsigned long long)days);
    if (frac)
        snprintf(fracpart, sizeof fracpart, ".%07u", frac);
    int n = snprintf(buffer, size, "%s%s%02u:%02u:%02u%s", t < 0 ? "-" : "", daypart, h, m, s, fracpart);
    return n > 0 ? (size_t)n : 0;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *sp_jrpc_base64(const uint8_t *data, size_t length)
{
    size_t out_len = (length + 2) / 3 * 4;
    char *out = sp_malloc(out_len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < length; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < length)
            v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < length)
            v |= data[i + 2];
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        out[o++] = i + 1 < length ? b64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < length ? b64[v & 63] : '=';
    }
    out[o] = 0;
    return out;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

uint8_t *sp_jrpc_unbase64(const char *text, size_t length)
{
    if (length % 4 != 0 || length / 4 * 3 > INT32_MAX)
        goto bad;
    size_t pad = length >= 1 && text[length - 1] == '=' ? (length >= 2 && text[length - 2] == '=' ? 2 : 1) : 0;
    size_t out_len = length / 4 * 3 - pad;
    uint8_t *out = Array_CreateInstance(VariantType_Byte, (int32_t)out_len);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < length; i += 4) {
        int v[4];
        for (int k = 0; k < 4; k++) {
            char c = text[i + k];
            v[k] = (c == '=' && i + 4 == length && k >= 4 - (int)pad) ? 0 : b64_value(c);
            if (v[k] < 0) {
                Array_Free(out);
                goto bad;
            }
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        uint8_t bytes[3] = {(uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w};
        for (int k = 0; k < 3 && o < out_len; k++)
            out[o++] = bytes[k];
    }
    return out;
bad:
    sp_throw(ExceptionType_FormatException,
             "The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding "
             "characters, or an illegal character among the padding characters.",
             NULL);
    return NULL;
}

/* ---------------------------------------------------------------- Variant -> JSON */

static json_t *scalar_at(VariantType type, const void *p);

static json_t *char_json(uint16_t c)
{
    char s[4];
    size_t n;
    if (c >= 0xD800 && c <= 0xDFFF) {
        bad_arg("A lone UTF-16 surrogate");
        return NULL;
    }
    if (c < 0x80) {
        s[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        s[0] = (char)(0xC0 | c >> 6);
        s[1] = (char)(0x80 | (c & 63));
        n = 2;
    } else {
        s[0] = (char)(0xE0 | c >> 12);
        s[1] = (char)(0x80 | (c >> 6 & 63));
        s[2] = (char)(0x80 | (c & 63));
        n = 3;
    }
    return must(json_stringn(s, n));
}

static json_t *string_json(const char *s, size_t n)
{
    /* The same check json_stringn makes, a block at a time instead of a code point at a time. */
    if (!sp_jrpc_utf8_valid(s, n)) {
        bad_arg("A string that is not valid UTF-8");
        return NULL;
    }
    return must(json_stringn_nocheck(s, n));
}

static json_t *decimal_json(Decimal d)
{
    /* Jansson holds numbers as int64 or double, neither of which keeps a Decimal's digits and scale:
     * it goes as its invariant text, which Newtonsoft reads into a decimal parameter as well. */
    char *text = Decimal_ToString(d);
    if (!text)
        return NULL;
    json_t *j = must(json_string(text));
    String_Free(text);
    return j;
}

static json_t *scalar_at(VariantType type, const void *p)
{
    char buf[64];
    switch (type) {
    case VariantType_Boolean: return must(json_boolean(*(const bool *)p));
    case VariantType_Char: return char_json(*(const uint16_t *)p);
    case VariantType_SByte: return must(json_integer(*(const int8_t *)p));
    case VariantType_Byte: return must(json_integer(*(const uint8_t *)p));
    case VariantType_Int16: return must(json_integer(*(const int16_t *)p));
    case VariantType_UInt16: return must(json_integer(*(const uint16_t *)p));
    case VariantType_Int32: return must(json_integer(*(const int32_t *)p));
    case VariantType_UInt32: return must(json_integer(*(const uint32_t *)p));
    case VariantType_Int64: return must(json_integer(*(const int64_t *)p));
    case VariantType_UInt64: {
        uint64_t u = *(const uint64_t *)p;
        if (u > INT64_MAX) { /* Jansson's integers are int64 */
            sp_throw_sr(ExceptionType_OverflowException, SR_Overflow_Int64, NULL);
            return NULL;
        }
        return must(json_integer((json_int_t)u));
    }
    case VariantType_Single:
    case VariantType_Double: {
        double d = type == VariantType_Single ? (double)*(const float *)p : *(const double *)p;
        if (isnan(d) || isinf(d)) /* Newtonsoft writes these as strings by default */
            return must(json_string(isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity"));
        return must(json_real(d));
    }
    case VariantType_Decimal: return decimal_json(*(const Decimal *)p);
    case VariantType_DateTime:
        sp_jrpc_format_datetime(*(const DateTime *)p, buf, sizeof buf);
        return must(json_string(buf));
    case VariantType_TimeSpan:
        sp_jrpc_format_timespan(*(const TimeSpan *)p, buf, sizeof buf);
        return must(json_string(buf));
    case VariantType_String: {
        const char *s = *(const char *const *)p;
        return s ? string_json(s, strlen(s)) : must(json_null());
    }
    default: bad_arg("A value of this type"); return NULL;
    }
}

static size_t element_size(VariantType t)
{
    switch (t) {
    case VariantType_Boolean: return sizeof(bool);
    case VariantType_Char:
    case VariantType_Int16:
    case VariantType_UInt16: return 2;
    case VariantType_SByte:
    case VariantType_Byte: return 1;
    case VariantType_Int32:
    case VariantType_UInt32:
    case VariantType_Single: return 4;
    case VariantType_Int64:
    case VariantType_UInt64:
    case VariantType_Double: return 8;
    case VariantType_Decimal: return sizeof(Decimal);
    case VariantType_DateTime: return sizeof(DateTime);
    case VariantType_TimeSpan: return sizeof(TimeSpan);
    case VariantType_String: return sizeof(const char *);
    default: return 0;
    }
}

static json_t *object_json(const SerializableType *type, const void *object)
{
    json_t *o = must(json_object());
    if (!o)
        return NULL;
    for (int32_t i = 0; i < type->fieldCount; i++) {
        const SerializableField *f = &type->fields[i];
        json_t *v = scalar_at(f->type, (const uint8_t *)object + f->offset);
        if (!v || json_object_set_new(o, f->name, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

json_t *sp_jrpc_to_json(const Variant *v)
{
    switch (v->type) {
    case VariantType_Null: return must(json_null());
    case VariantType_String: return string_json(v->value.asString, (size_t)v->length);
    case VariantType_Json: {
        json_error_t error;
        bool too_deep;
        json_t *j = sp_jrpc_json_load(v->value.asString, (size_t)v->length, JSON_DECODE_ANY | JSON_ALLOW_NUL, &too_deep,
                                      &error);
        if (!j)
            bad_arg(too_deep ? "JSON nested more than 64 deep" : "Text that is not JSON");
        return j;
    }
    case VariantType_Object:
        if (!v->objectType || !v->value.asObject)
            return must(json_null());
        return object_json(v->objectType, v->value.asObject);
    case VariantType_Array: {
        if (!v->value.asArray)
            return must(json_null());
        if (v->length < 0) {
            bad_arg("An array of negative length");
            return NULL;
        }
        if (v->elementType == VariantType_Byte) { /* byte[]: base64, as Newtonsoft */
            char *text = sp_jrpc_base64(v->value.asArray, (size_t)v->length);
            if (!text)
                return NULL;
            json_t *j = must(json_string(text));
            free(text);
            return j;
        }
        size_t size = element_size(v->elementType);
        if (!size) {
            bad_arg("An array of this element type");
            return NULL;
        }
        json_t *a = must(json_array());
        if (!a)
            return NULL;
        for (int32_t i = 0; i < v->length; i++) {
            json_t *e = scalar_at(v->elementType, (const uint8_t *)v->value.asArray + (size_t)i * size);
            if (!e || json_array_append_new(a, e) != 0) {
                json_decref(a);
                return NULL;
            }
        }
        return a;
    }
    case VariantType_Empty: bad_arg("An Empty Variant"); return NULL;
    default: return scalar_at(v->type, &v->value);
    }
}

/* ---------------------------------------------------------------- JSON -> Variant */

static const char *json_kind(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "Object";
    case JSON_ARRAY: return "Array";
    case JSON_STRING: return "String";
    case JSON_INTEGER: return "Int64";
    case JSON_REAL: return "Double";
    case JSON_TRUE:
    case JSON_FALSE: return "Boolean";
    default: return "Null";
    }
}

static const char *type_name(VariantType t)
{
    static const char *const names[] = {"Empty",   "Null",     "Boolean",  "Char",   "SByte",  "Byte",   "Int16",
                                        "UInt16",  "Int32",    "UInt32",   "Int64",  "UInt64", "Single", "Double",
                                        "Decimal", "DateTime", "TimeSpan", "String", "Array",  "Object", "Json"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static bool cast_fail(const json_t *j, VariantType to)
{
    sp_throwf_sr(ExceptionType_InvalidCastException, NULL, SR_InvalidCast_FromTo, json_kind(j), type_name(to));
    return false;
}

/* The JSON value as the Variant Jansson gives it (borrowed strings), for Variant_ToX to convert. */
static Variant raw(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_TRUE: return Variant_FromBoolean(true);
    case JSON_FALSE: return Variant_FromBoolean(false);
    case JSON_INTEGER: return Variant_FromInt64((int64_t)json_integer_value(j));
    case JSON_REAL: return Variant_FromDouble(json_real_value(j));
    case JSON_STRING: return Variant_FromStringWithLength(json_string_value(j), (int32_t)json_string_length(j));
    default: return Variant_Null();
    }
}

/* Converts one scalar into *p (an element or a field of the declared type). */
static bool scalar_into(const json_t *j, VariantType type, void *p)
{
    Variant r = raw(j);
    if (json_is_object(j) || json_is_array(j))
        return cast_fail(j, type);
    if (type == VariantType_String) {
        if (json_is_null(j)) {
            *(char **)p = NULL;
            return true;
        }
        if (!json_is_string(j))
            return cast_fail(j, type);
        char *s = sp_malloc(json_string_length(j) + 1);
        if (!s)
            return false;
        memcpy(s, json_string_value(j), json_string_length(j) + 1);
        *(char **)p = s;
        return true;
    }
    if (json_is_null(j) || (json_is_string(j) && type != VariantType_DateTime && type != VariantType_TimeSpan &&
                            type != VariantType_Char && type != VariantType_Decimal))
        return cast_fail(j, type);
    sp_clear();
    switch (type) {
    case VariantType_Boolean:
        if (!json_is_boolean(j))
            return cast_fail(j, type);
        *(bool *)p = json_is_true(j);
        break;
    case VariantType_Char:
        if (json_is_string(j)) { /* Newtonsoft: a one-character string */
            const unsigned char *s = (const unsigned char *)json_string_value(j);
            size_t n = json_string_length(j);
            uint32_t c = 0;
            if (n == 1 && s[0] < 0x80)
                c = s[0];
            else if (n == 2 && (s[0] & 0xE0) == 0xC0)
                c = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
            else if (n == 3 && (s[0] & 0xF0) == 0xE0)
                c = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
            else
                return cast_fail(j, type);
            *(uint16_t *)p = (uint16_t)c;
        } else
            *(uint16_t *)p = Variant_ToChar(r);
        break;
    case VariantType_SByte: *(int8_t *)p = Variant_ToSByte(r); break;
    case VariantType_Byte: *(uint8_t *)p = Variant_ToByte(r); break;
    case VariantType_Int16: *(int16_t *)p = Variant_ToInt16(r); break;
    case VariantType_UInt16: *(uint16_t *)p = Variant_ToUInt16(r); break;
    case VariantType_Int32: *(int32_t *)p = Variant_ToInt32(r); break;
    case VariantType_UInt32: *(uint32_t *)p = Variant_ToUInt32(r); break;
    case VariantType_Int64: *(int64_t *)p = Variant_ToInt64(r); break;
    case VariantType_UInt64: *(uint64_t *)p = Variant_ToUInt64(r); break;
    case VariantType_Single:
        if (!json_is_number(j))
            return cast_fail(j, type);
        *(float *)p = (float)json_number_value(j);
        break;
    case VariantType_Double:
        if (!json_is_number(j))
            return cast_fail(j, type);
        *(double *)p = json_number_value(j);
        break;
    case VariantType_Decimal:
        if (json_is_string(j))
            *(Decimal *)p = Decimal_Parse(json_string_value(j));
        else if (json_is_integer(j))
            *(Decimal *)p = Decimal_FromInt64((int64_t)json_integer_value(j));
        else
            *(Decimal *)p = Decimal_FromDouble(json_real_value(j));
        break;
    case VariantType_DateTime: *(DateTime *)p = Variant_ToDateTime(r); break;
    case VariantType_TimeSpan: *(TimeSpan *)p = Variant_ToTimeSpan(r); break;
    default: return cast_fail(j, type);
    }
    return !sp_failed();
}

static void free_elements(VariantType type, void *items, size_t n)
{
    (void)type;
    (void)items;
    (void)n; /* Array_Free frees a String array's strings */
}

static bool array_from(const json_t *j, VariantType element, Variant *out)
{
    if (element == VariantType_Byte && json_is_string(j)) {
        uint8_t *bytes = sp_jrpc_unbase64(json_string_value(j), json_string_length(j));
        if (!bytes)
            return false;
        *out = Variant_FromArray(VariantType_Byte, bytes, Array_get_Length(bytes));
        return true;
    }
    if (!json_is_array(j))
        return cast_fail(j, VariantType_Array);
    size_t size = element_size(element);
    size_t n = json_array_size(j);
    if (!size || n > INT32_MAX) {
        sp_throwf_sr(ExceptionType_InvalidCastException, NULL, SR_InvalidCast_FromTo, "Array", type_name(element));
        return false;
    }
    uint8_t *items = Array_CreateInstance(element, (int32_t)n);
    if (!items)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!scalar_into(json_array_get(j, i), element, items + i * size)) {
            free_elements(element, items, i);
            Array_Free(items);
            return false;
        }
    }
    *out = Variant_FromArray(element, items, (int32_t)n);
    return true;
}

static bool object_from(const json_t *j, const SerializableType *type, Variant *out)
{
    if (!json_is_object(j))
        return cast_fail(j, VariantType_Object);
    uint8_t *object = sp_malloc(type->size ? type->size : 1);
    if (!object)
        return false;
    memset(object, 0, type->size);
    for (int32_t i = 0; i < type->fieldCount; i++) {
        const SerializableField *f = &type->fields[i];
        const json_t *v = json_object_get(j, f->name);
        if (!v)
            continue; /* Newtonsoft leaves a missing member at its default */
        if (!scalar_into(v, f->type, object + f->offset)) {
            for (int32_t k = 0; k < i; k++)
                if (type->fields[k].type == VariantType_String)
                    free(*(char **)(object + type->fields[k].offset));
            free(object);
            return false;
        }
    }
    Variant v = Variant_FromObject(type, object);
    *out = v;
    return true;
}

static bool json_text(const json_t *j, Variant *out)
{
    char *text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text) {
        sp_throw_out_of_memory();
        return false;
    }
    /* json_dumps allocates with Jansson's allocator (malloc by default): the same free. */
    Variant v = Variant_FromStringWithLength(text, (int32_t)strlen(text));
    v.type = VariantType_Json;
    *out = v;
    return true;
}

bool sp_jrpc_from_json(const json_t *j, const ParameterInfo *info, Variant *out)
{
    *out = Variant_Null();
    out->type = VariantType_Empty;
    VariantType type = info ? info->type : VariantType_Empty;
    if (json_is_null(j) && type != VariantType_Empty && type != VariantType_Json &&
        (type == VariantType_String || type == VariantType_Array || type == VariantType_Object ||
         type == VariantType_Null)) {
        *out = Variant_Null();
        return true;
    }
    switch (type) {
    case VariantType_Empty:
        switch (json_typeof(j)) {
        case JSON_NULL: *out = Variant_Null(); return true;
        case JSON_TRUE: *out = Variant_FromBoolean(true); return true;
        case JSON_FALSE: *out = Variant_FromBoolean(false); return true;
        case JSON_INTEGER: *out = Variant_FromInt64((int64_t)json_integer_value(j)); return true;
        case JSON_REAL: *out = Variant_FromDouble(json_real_value(j)); return true;
        case JSON_STRING: {
            char *s = sp_malloc(json_string_length(j) + 1);
            if (!s)
                return false;
            memcpy(s, json_string_value(j), json_string_length(j) + 1);
            *out = Variant_FromStringWithLength(s, (int32_t)json_string_length(j));
            return true;
        }
        default: return json_text(j, out);
        }
    case VariantType_Json: return json_text(j, out);
    case VariantType_Null: return cast_fail(j, type);
    case VariantType_Array: return array_from(j, info->elementType, out);
    case VariantType_Object:
        if (!info->objectType)
            return json_text(j, out);
        return object_from(j, info->objectType, out);
    case VariantType_String: {
        char *s = NULL;
        if (!scalar_into(j, VariantType_String, &s))
            return false;
        *out = Variant_FromStringWithLength(s, (int32_t)json_string_length(j));
        return true;
    }
    default: {
        Variant v = Variant_Null();
        v.type = type;
        if (!scalar_into(j, type, &v.value))
            return false;
        *out = v;
        return true;
    }
    }
}
