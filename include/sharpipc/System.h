/*
 * System: the object model, exceptions, and the value types the other namespaces use.
 *
 * Errors work as API.md section 3 says: a call that would throw in .NET returns false / NULL /
 * -1 / 0 and records the exception for the calling thread; a call that succeeds clears it.
 */
#ifndef SHARPIPC_SYSTEM_H
#define SHARPIPC_SYSTEM_H

#include "exception_types.h"
#include "types.h"

#include <string.h> /* the inline Variant constructors */

SHARPIPC_BEGIN_DECLS

/* ---------------------------------------------------------------- exceptions */

/* The exception types, in .NET's hierarchy (see Exception_Is); the list is exception_types.h. */
#define SP_EXCEPTION_TYPE_ENUM_(name, base, dotnet_name, hresult, message) ExceptionType_##name,
/* one enumerator a line, the table's own */
/* clang-format off */
typedef enum ExceptionType {
    ExceptionType_None = 0,
    SHARPIPC_EXCEPTION_TYPES(SP_EXCEPTION_TYPE_ENUM_)
    ExceptionType_Count_ /* not a type; the number of entries */
} ExceptionType;
/* clang-format on */
#undef SP_EXCEPTION_TYPE_ENUM_

/* The exception pending on this thread, or NULL when the last call succeeded. The object and the
 * strings it hands out are owned by the thread and stay valid until its next sharpipc call. */
SHARPIPC_API const Exception *Exception_get_Current(void);
/* Forgets the pending exception (a `catch` that handled it). */
SHARPIPC_API void Exception_Clear(void);
/* True where `catch (T)` would catch e: Exception_Is(eos, ExceptionType_IOException) is true. */
SHARPIPC_API bool Exception_Is(const Exception *e, ExceptionType type);
SHARPIPC_API ExceptionType Exception_get_Type(const Exception *e);
/* The .NET type name, e.g. "System.IO.EndOfStreamException". */
SHARPIPC_API const char *Exception_get_TypeName(const Exception *e);
/* .NET's message text; ArgumentExceptions end in " (Parameter 'name')" as in .NET. */
SHARPIPC_API const char *Exception_get_Message(const Exception *e);
/* The parameter an ArgumentException names, or NULL. */
SHARPIPC_API const char *Exception_get_ParamName(const Exception *e);
SHARPIPC_API int32_t Exception_get_HResult(const Exception *e);
/* errno (POSIX) or GetLastError()/WSAGetLastError() (Windows) behind the exception, else 0. */
SHARPIPC_API int32_t Exception_get_NativeErrorCode(const Exception *e);
/* The SocketError of a SocketException (0 for other types). */
SHARPIPC_API int32_t SocketException_get_SocketErrorCode(const Exception *e);
/* ArgumentOutOfRangeException.ActualValue: .NET's object in its string form ("-1", a path), as its
 * ToString gives it; NULL when the exception has none (or is no ArgumentOutOfRangeException).
 * Valid until the thread's next exception. */
SHARPIPC_API const char *ArgumentOutOfRangeException_get_ActualValue(const Exception *e);
/* AbandonedMutexException.MutexIndex: the index of the abandoned Mutex in WaitAny's array, -1
 * when the exception did not come from WaitAny (WaitOne, WaitAll) or is of another type. */
SHARPIPC_API int32_t AbandonedMutexException_get_MutexIndex(const Exception *e);
/* DecoderFallbackException.BytesUnknown: the invalid sequence a throwing encoding's decoder met
 * (*length its byte count), NULL (and 0) for another type; valid as long as e is. */
SHARPIPC_API const uint8_t *DecoderFallbackException_get_BytesUnknown(const Exception *e, int32_t *length);
/* DecoderFallbackException.Index: where those bytes start in the input of the decode that threw
 * (negative when they began in an earlier read's bytes, which the decoder kept); 0 for another type. */
SHARPIPC_API int32_t DecoderFallbackException_get_Index(const Exception *e);
/* EncoderFallbackException.CharUnknown and .Index: the UTF-16 unit a throwing encoding could not
 * encode (a lone surrogate) and its index; 0 for another type. */
SHARPIPC_API uint16_t EncoderFallbackException_get_CharUnknown(const Exception *e);
SHARPIPC_API int32_t EncoderFallbackException_get_Index(const Exception *e);
/* Exception.InnerException: the exception this one wraps (NetworkStream's IOException around its
 * SocketException, IPAddress_Parse's FormatException around a SocketException), or NULL; valid as
 * long as e is. */
SHARPIPC_API const Exception *Exception_get_InnerException(const Exception *e);
/* "TypeName: Message", as .NET's ToString() starts. Caller frees with String_Free. */
SHARPIPC_API char *Exception_ToString(const Exception *e);

/* ---------------------------------------------------------------- objects */

/* Does what the object's .NET Dispose does (close, flush) and releases the caller's reference.
 * Works on every sharpipc object; NULL is ignored, as `using (null)` is in C#. Returns false only
 * when the close itself failed (the exception says why); the reference is released either way. */
SHARPIPC_API bool Dispose(Object *obj);
/* Takes one more reference (for a second owner); each reference is released by one Dispose. */
SHARPIPC_API Object *Object_Retain(Object *obj);
/* The .NET type name of the object, e.g. "System.IO.MemoryStream" (static storage). */
SHARPIPC_API const char *Object_GetTypeName(const Object *obj);
/* Frees a string that sharpipc handed out. */
SHARPIPC_API void String_Free(char *s);
/* Frees an array that sharpipc handed out (MemoryStream_ToArray, BinaryReader_ReadBytes, an RPC
 * result, Array_CreateInstance); a String array's strings go with it. NULL is ignored. */
SHARPIPC_API void Array_Free(void *array);

/* T_Dispose(x) for every type T: the same as Dispose(x). (Stream, BinaryReader/Writer,
 * StreamReader/Writer, MemoryMappedFile and WaitHandle also export theirs as functions.) */
#ifdef SHARPIPC_HAVE_GENERIC
#  define SP_DISPOSE_(x) (Dispose)(SP_AS_Object(x))
#else
#  define SP_DISPOSE_(x) (Dispose)((Object *)(x))
#endif
#define MemoryStream_Dispose(x) SP_DISPOSE_(x)
#define FileStream_Dispose(x) SP_DISPOSE_(x)
#define UnmanagedMemoryStream_Dispose(x) SP_DISPOSE_(x)
#define TextWriter_Dispose(x) SP_DISPOSE_(x)
#define TextReader_Dispose(x) SP_DISPOSE_(x)
#define Encoding_Dispose(x) SP_DISPOSE_(x)
#define PipeStream_Dispose(x) SP_DISPOSE_(x)
#define NamedPipeServerStream_Dispose(x) SP_DISPOSE_(x)
#define NamedPipeClientStream_Dispose(x) SP_DISPOSE_(x)
#define AnonymousPipeServerStream_Dispose(x) SP_DISPOSE_(x)
#define AnonymousPipeClientStream_Dispose(x) SP_DISPOSE_(x)
#define MemoryMappedViewStream_Dispose(x) SP_DISPOSE_(x)
#define UnmanagedMemoryAccessor_Dispose(x) SP_DISPOSE_(x)
#define MemoryMappedViewAccessor_Dispose(x) SP_DISPOSE_(x)
#define IPAddress_Dispose(x) SP_DISPOSE_(x)
#define EndPoint_Dispose(x) SP_DISPOSE_(x)
#define IPEndPoint_Dispose(x) SP_DISPOSE_(x)
#define DnsEndPoint_Dispose(x) SP_DISPOSE_(x)
#define UnixDomainSocketEndPoint_Dispose(x) SP_DISPOSE_(x)
#define Socket_Dispose(x) SP_DISPOSE_(x)
#define NetworkStream_Dispose(x) SP_DISPOSE_(x)
#define TcpListener_Dispose(x) SP_DISPOSE_(x)
#define TcpClient_Dispose(x) SP_DISPOSE_(x)
#define UdpClient_Dispose(x) SP_DISPOSE_(x)
#define MulticastOption_Dispose(x) SP_DISPOSE_(x)
#define IPv6MulticastOption_Dispose(x) SP_DISPOSE_(x)
#define Mutex_Dispose(x) SP_DISPOSE_(x)
#define Semaphore_Dispose(x) SP_DISPOSE_(x)
#define EventWaitHandle_Dispose(x) SP_DISPOSE_(x)
#define RemoteObject_Dispose(x) SP_DISPOSE_(x)
#define CancellationTokenSource_Dispose(x) SP_DISPOSE_(x)

#ifdef SHARPIPC_HAVE_GENERIC
#  define Dispose(x) (Dispose)(SP_AS_Object(x))
#  define Object_Retain(x) (Object_Retain)(SP_AS_Object(x))
#  define Object_GetTypeName(x) (Object_GetTypeName)(SP_AS_Object(x))
#endif

/* ---------------------------------------------------------------- Half */

/* System.Half: IEEE 754 binary16, held as its bits. */
typedef struct Half {
    uint16_t bits;
} Half;

SHARPIPC_API Half Half_FromBits(uint16_t bits);
/* Round to nearest even, as (Half)x in .NET. */
SHARPIPC_API Half Half_FromSingle(float value);
SHARPIPC_API Half Half_FromDouble(double value);
SHARPIPC_API float Half_ToSingle(Half value);
SHARPIPC_API double Half_ToDouble(Half value);
SHARPIPC_API bool Half_IsNaN(Half value);
#define Half_Epsilon (Half_FromBits(0x0001))
#define Half_MaxValue (Half_FromBits(0x7BFF))
#define Half_MinValue (Half_FromBits(0xFBFF))
#define Half_PositiveInfinity (Half_FromBits(0x7C00))
#define Half_NegativeInfinity (Half_FromBits(0xFC00))
#define Half_NaN (Half_FromBits(0xFE00))

/* ---------------------------------------------------------------- Decimal */

/* System.Decimal as decimal.GetBits gives it: a 96-bit magnitude lo/mid/hi and flags (bit 31 the
 * sign, bits 16-23 the scale 0..28). This is also its layout in BinaryWriter output and in a
 * MemoryMappedViewAccessor. */
typedef struct Decimal {
    uint32_t lo, mid, hi, flags;
} Decimal;

/* new decimal(lo, mid, hi, isNegative, scale); a scale over 28 gives an
 * ArgumentOutOfRangeException and a zero Decimal. */
SHARPIPC_API Decimal Decimal_new(int32_t lo, int32_t mid, int32_t hi, bool isNegative, uint8_t scale);
SHARPIPC_API Decimal Decimal_FromInt64(int64_t value);
SHARPIPC_API Decimal Decimal_FromUInt64(uint64_t value);
/* (decimal)value: at most 15 significant digits, as .NET; NaN, infinity or out of range is an
 * OverflowException and a zero Decimal. */
SHARPIPC_API Decimal Decimal_FromDouble(double value);
SHARPIPC_API double Decimal_ToDouble(Decimal value);
SHARPIPC_API bool Decimal_IsNegative(Decimal value);
SHARPIPC_API uint8_t Decimal_get_Scale(Decimal value);
/* True when flags hold only a sign and a scale <= 28, the rule new decimal(int[]) enforces. */
SHARPIPC_API bool Decimal_IsValid(Decimal value);
/* Numeric equality: 1.0m equals 1.00m. */
SHARPIPC_API bool Decimal_Equals(Decimal a, Decimal b);
/* Invariant-culture text, e.g. "-1000.5", "79228162514264337593543950335". Free with String_Free. */
SHARPIPC_API char *Decimal_ToString(Decimal value);
/* Invariant-culture parse of [-+]digits[.digits]; a malformed text is a FormatException. */
SHARPIPC_API bool Decimal_TryParse(const char *text, Decimal *result);
SHARPIPC_API Decimal Decimal_Parse(const char *text);
#define Decimal_Zero (Decimal_new(0, 0, 0, false, 0))
#define Decimal_One (Decimal_new(1, 0, 0, false, 0))
#define Decimal_MinusOne (Decimal_new(1, 0, 0, true, 0))
#define Decimal_MaxValue (Decimal_new(-1, -1, -1, false, 0))
#define Decimal_MinValue (Decimal_new(-1, -1, -1, true, 0))

/* ---------------------------------------------------------------- TimeSpan */

/* System.TimeSpan: 100-nanosecond ticks (RPC-API.md's form). */
struct TimeSpan {
    int64_t ticks;
};
SHARPIPC_API TimeSpan TimeSpan_FromTicks(int64_t ticks);
/* TimeSpan.FromMilliseconds(double): rounded toward zero to a tick, as .NET 7 and later. */
SHARPIPC_API TimeSpan TimeSpan_FromMilliseconds(double value);
SHARPIPC_API int64_t TimeSpan_get_Ticks(TimeSpan value);

/* ================================================================ RPC value layer (RPC-API.md 2) */

/* ---------------------------------------------------------------- DateTime */

typedef enum DateTimeKind { DateTimeKind_Unspecified = 0, DateTimeKind_Utc = 1, DateTimeKind_Local = 2 } DateTimeKind;
/* System.DateTime as .NET holds it: ticks in bits 0-61, Kind in bits 62-63 (also MS-NRBF's layout). */
struct DateTime {
    uint64_t dateData;
};
/* new DateTime(ticks, kind): ticks over DateTime.MaxValue.Ticks (or negative) are an
 * ArgumentOutOfRangeException, a kind other than the three an ArgumentException; both give 0. */
SHARPIPC_API DateTime DateTime_new(int64_t ticks, DateTimeKind kind);
SHARPIPC_API int64_t DateTime_get_Ticks(DateTime value);
SHARPIPC_API DateTimeKind DateTime_get_Kind(DateTime value);
/* DateTime.MaxValue.Ticks */
#define DateTime_MaxTicks INT64_C(3155378975999999999)

/* ---------------------------------------------------------------- Variant */

typedef enum VariantType {
    VariantType_Empty = 0, /* no value: a void result; as an expected type, "whatever arrives" */
    VariantType_Null,      /* a null string, array or object */
    VariantType_Boolean,
    VariantType_Char,
    VariantType_SByte,
    VariantType_Byte,
    VariantType_Int16,
    VariantType_UInt16,
    VariantType_Int32,
    VariantType_UInt32,
    VariantType_Int64,
    VariantType_UInt64,
    VariantType_Single,
    VariantType_Double,
    VariantType_Decimal,
    VariantType_DateTime,
    VariantType_TimeSpan,
    VariantType_String,
    VariantType_Array,  /* T[], one dimension, T one of the above: elementType, length, asArray */
    VariantType_Object, /* a [Serializable] struct/class (Remoting) or a JSON object: objectType, asObject */
    VariantType_Json    /* JSON-RPC only: raw JSON text, for shapes the types above do not describe */
} VariantType;

/* One field of a [Serializable] struct: its .NET field name, its type (a scalar or String) and
 * where it lies in the C struct. */
struct SerializableField {
    const char *name;
    VariantType type;
    size_t offset;
};
/* The layout of a C struct that stands for a .NET [Serializable] type (SHARPIPC_SERIALIZABLE). */
struct SerializableType {
    const char *name; /* "Point, MyAssembly" */
    size_t size;      /* sizeof the C struct */
    int32_t fieldCount;
    const SerializableField *fields;
};

/* The expected type of a parameter or result (System.Reflection.ParameterInfo's part of it). */
struct ParameterInfo {
    const char *name;
    VariantType type;
    VariantType elementType;            /* Array */
    const SerializableType *objectType; /* Object */
};

struct Variant {
    VariantType type;
    VariantType elementType;            /* Array */
    int32_t length;                     /* Array: elements; String/Json: bytes (a String may hold U+0000) */
    const SerializableType *objectType; /* Object: its layout (an undeclared JSON object arrives as Json) */
    union {
        bool asBoolean;
        uint16_t asChar;
        int8_t asSByte;
        uint8_t asByte;
        int16_t asInt16;
        uint16_t asUInt16;
        int32_t asInt32;
        uint32_t asUInt32;
        int64_t asInt64;
        uint64_t asUInt64;
        float asSingle;
        double asDouble;
        Decimal asDecimal;
        DateTime asDateTime;
        TimeSpan asTimeSpan;
        const char *asString; /* String, Json: UTF-8 */
        const void *asArray;  /* Array: length elements of elementType (const char * for String) */
        void *asObject;       /* Object: the C struct objectType describes */
    } value;
};

/* Constructors: nothing is copied or allocated. */
static inline Variant Variant_Empty_(VariantType type)
{
    Variant v;
    memset(&v, 0, sizeof v);
    v.type = type;
    return v;
}
static inline Variant Variant_Null(void) { return Variant_Empty_(VariantType_Null); }
#define SP_VARIANT_SCALAR_(Name, ctype)                                                                                \
  static inline Variant Variant_From##Name(ctype x)                                                                    \
  {                                                                                                                    \
    Variant v = Variant_Empty_(VariantType_##Name);                                                                    \
    v.value.as##Name = x;                                                                                              \
    return v;                                                                                                          \
  }
/* clang-format off */
SP_VARIANT_SCALAR_(Boolean, bool) SP_VARIANT_SCALAR_(Char, uint16_t) SP_VARIANT_SCALAR_(SByte, int8_t)
SP_VARIANT_SCALAR_(Byte, uint8_t) SP_VARIANT_SCALAR_(Int16, int16_t) SP_VARIANT_SCALAR_(UInt16, uint16_t)
SP_VARIANT_SCALAR_(Int32, int32_t) SP_VARIANT_SCALAR_(UInt32, uint32_t) SP_VARIANT_SCALAR_(Int64, int64_t)
SP_VARIANT_SCALAR_(UInt64, uint64_t) SP_VARIANT_SCALAR_(Single, float) SP_VARIANT_SCALAR_(Double, double)
SP_VARIANT_SCALAR_(Decimal, Decimal) SP_VARIANT_SCALAR_(DateTime, DateTime) SP_VARIANT_SCALAR_(TimeSpan, TimeSpan)
/* clang-format on */
#undef SP_VARIANT_SCALAR_
    /* A string of byteLength UTF-8 bytes (it may hold U+0000); NULL gives Null. */
    static inline Variant Variant_FromStringWithLength(const char *s, int32_t byteLength)
{
    Variant v = Variant_Empty_(s ? VariantType_String : VariantType_Null);
    if (s) {
        v.length = byteLength;
        v.value.asString = s;
    }
    return v;
}
static inline Variant Variant_FromString(const char *s)
{
    return Variant_FromStringWithLength(s, s ? (int32_t)strlen(s) : 0);
}
/* items NULL: a null array. For String elements items is a const char *const *. */
static inline Variant Variant_FromArray(VariantType elementType, const void *items, int32_t length)
{
    Variant v = Variant_Empty_(items ? VariantType_Array : VariantType_Null);
    if (items) {
        v.elementType = elementType;
        v.length = length;
        v.value.asArray = items;
    }
    return v;
}
/* object NULL: null. */
static inline Variant Variant_FromObject(const SerializableType *type, void *object)
{
    Variant v = Variant_Empty_(object ? VariantType_Object : VariantType_Null);
    if (object) {
        v.objectType = type;
        v.value.asObject = object;
    }
    return v;
}
static inline Variant Variant_FromJson(const char *json)
{
    Variant v = Variant_Empty_(json ? VariantType_Json : VariantType_Null);
    if (json) {
        v.length = (int32_t)strlen(json);
        v.value.asString = json;
    }
    return v;
}

/* Conversions: what Convert.ToX(object) does, without parsing numbers out of strings. A wrong kind
 * (Empty included) is an InvalidCastException, out of range an OverflowException; the value is then
 * 0. Null converts to 0 (false, a zero DateTime), as Convert.ToX(null) does. Integer targets take
 * any integer, Boolean, Char, or an integral Single/Double/Decimal in range. */
SHARPIPC_API bool Variant_ToBoolean(Variant v);
SHARPIPC_API uint16_t Variant_ToChar(Variant v);
SHARPIPC_API int8_t Variant_ToSByte(Variant v);
SHARPIPC_API uint8_t Variant_ToByte(Variant v);
SHARPIPC_API int16_t Variant_ToInt16(Variant v);
SHARPIPC_API uint16_t Variant_ToUInt16(Variant v);
SHARPIPC_API int32_t Variant_ToInt32(Variant v);
SHARPIPC_API uint32_t Variant_ToUInt32(Variant v);
SHARPIPC_API int64_t Variant_ToInt64(Variant v);
SHARPIPC_API uint64_t Variant_ToUInt64(Variant v);
SHARPIPC_API float Variant_ToSingle(Variant v);
SHARPIPC_API double Variant_ToDouble(Variant v);
SHARPIPC_API Decimal Variant_ToDecimal(Variant v);
/* Also from an ISO 8601 String (JSON): yyyy-MM-ddTHH:mm:ss[.fffffff] then nothing (Unspecified),
 * Z (Utc) or +hh:mm/-hh:mm (converted to UTC, Kind Utc: docs/deviations.md). A malformed text is
 * a FormatException. */
SHARPIPC_API DateTime Variant_ToDateTime(Variant v);
/* Also from "[-][d.]hh:mm:ss[.fffffff]" (JSON); a malformed text is a FormatException. */
SHARPIPC_API TimeSpan Variant_ToTimeSpan(Variant v);
/* String or Json text, borrowed; NULL for Null (no exception). */
SHARPIPC_API const char *Variant_GetString(Variant v);
/* Frees what a *result* Variant was given (its string, array, struct and the struct's strings) and
 * sets it Empty. NULL is ignored. */
SHARPIPC_API void Variant_Clear(Variant *v);
/* A given copy of a struct (its String fields copied too): Variant_Clear frees it. */
SHARPIPC_API Variant Variant_CopyObject(const SerializableType *type, const void *object);

/* ---------------------------------------------------------------- strings and arrays */

/* string.Concat(a, b), NULL as ""; String_Free. */
SHARPIPC_API char *String_Concat(const char *a, const char *b);
/* A sharpipc copy (String_Free), e.g. of a literal a handler returns; NULL gives NULL. */
SHARPIPC_API char *String_Copy(const char *s);
/* Array.CreateInstance(elementType, length): zeroed, knows its length and element type; Array_Free.
 * elementType: a scalar type or String (then an array of char *, each given to the array). */
SHARPIPC_API void *Array_CreateInstance(VariantType elementType, int32_t length);
/* The length of any array sharpipc hands out; NULL is an ArgumentNullException (-1). */
SHARPIPC_API int32_t Array_get_Length(const void *array);
/* Its element type (VariantType_Byte for MemoryStream_ToArray's); NULL: ArgumentNullException, Empty. */
SHARPIPC_API VariantType Array_get_ElementType(const void *array);

/* ---------------------------------------------------------------- [Serializable] structs */

/* SHARPIPC_SERIALIZABLE(Point, "Point, MyAssembly", (Int32, X), (Int32, Y)) defines
 * static const SerializableType Point_Type; at most 16 fields, each a scalar token or String. */
#define SHARPIPC_SERIALIZABLE(T, dotnetName, ...)                                                                      \
  static const SerializableField T##_Fields_[] = {SP_SER_FOR_EACH_(SP_SER_FIELD_, T, __VA_ARGS__)};                    \
  static const SerializableType T##_Type = {dotnetName, sizeof(T),                                                     \
                                            (int32_t)(sizeof T##_Fields_ / sizeof T##_Fields_[0]), T##_Fields_};
#define SP_SER_FIELD_(T, pair) SP_SER_FIELD2_(T, SP_SER_UNPAREN_ pair)
#define SP_SER_UNPAREN_(a, b) a, b
#define SP_SER_FIELD2_(T, ...) SP_SER_FIELD3_(T, __VA_ARGS__)
#define SP_SER_FIELD3_(T, type, field) {#field, VariantType_##type, offsetof(T, field)},
/* A bounded FOR_EACH: F(T, x) for each of up to 16 arguments. */
#define SP_SER_FOR_EACH_(F, T, ...) SP_CAT(SP_SER_FE_, SP_NARGS16_(__VA_ARGS__))(F, T, __VA_ARGS__)
#define SP_NARGS16_(...) SP_ARG16_(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define SP_ARG16_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, N, ...) N
#define SP_SER_FE_1(F, T, x) F(T, x)
#define SP_SER_FE_2(F, T, x, ...) F(T, x) SP_SER_FE_1(F, T, __VA_ARGS__)
#define SP_SER_FE_3(F, T, x, ...) F(T, x) SP_SER_FE_2(F, T, __VA_ARGS__)
#define SP_SER_FE_4(F, T, x, ...) F(T, x) SP_SER_FE_3(F, T, __VA_ARGS__)
#define SP_SER_FE_5(F, T, x, ...) F(T, x) SP_SER_FE_4(F, T, __VA_ARGS__)
#define SP_SER_FE_6(F, T, x, ...) F(T, x) SP_SER_FE_5(F, T, __VA_ARGS__)
#define SP_SER_FE_7(F, T, x, ...) F(T, x) SP_SER_FE_6(F, T, __VA_ARGS__)
#define SP_SER_FE_8(F, T, x, ...) F(T, x) SP_SER_FE_7(F, T, __VA_ARGS__)
#define SP_SER_FE_9(F, T, x, ...) F(T, x) SP_SER_FE_8(F, T, __VA_ARGS__)
#define SP_SER_FE_10(F, T, x, ...) F(T, x) SP_SER_FE_9(F, T, __VA_ARGS__)
#define SP_SER_FE_11(F, T, x, ...) F(T, x) SP_SER_FE_10(F, T, __VA_ARGS__)
#define SP_SER_FE_12(F, T, x, ...) F(T, x) SP_SER_FE_11(F, T, __VA_ARGS__)
#define SP_SER_FE_13(F, T, x, ...) F(T, x) SP_SER_FE_12(F, T, __VA_ARGS__)
#define SP_SER_FE_14(F, T, x, ...) F(T, x) SP_SER_FE_13(F, T, __VA_ARGS__)
#define SP_SER_FE_15(F, T, x, ...) F(T, x) SP_SER_FE_14(F, T, __VA_ARGS__)
#define SP_SER_FE_16(F, T, x, ...) F(T, x) SP_SER_FE_15(F, T, __VA_ARGS__)

/* ---------------------------------------------------------------- remote exceptions */

/* The server's StackTraceString of an exception that came from a remote peer, else NULL. */
SHARPIPC_API const char *Exception_get_StackTrace(const Exception *e);
/* ================================================================ end of the RPC value layer */

SHARPIPC_END_DECLS

#endif
