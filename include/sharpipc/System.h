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
/* Exception.InnerException: the exception this one wraps (NetworkStream's IOException around its
 * SocketException), or NULL; valid as long as e is. */
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
/* Frees a byte array that sharpipc handed out (MemoryStream_ToArray, BinaryReader_ReadBytes). */
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
#define Mutex_Dispose(x) SP_DISPOSE_(x)
#define Semaphore_Dispose(x) SP_DISPOSE_(x)
#define EventWaitHandle_Dispose(x) SP_DISPOSE_(x)
#define RemoteObject_Dispose(x) SP_DISPOSE_(x)

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
typedef struct TimeSpan {
    int64_t ticks;
} TimeSpan;
SHARPIPC_API TimeSpan TimeSpan_FromTicks(int64_t ticks);
/* TimeSpan.FromMilliseconds(double): rounded toward zero to a tick, as .NET 7 and later. */
SHARPIPC_API TimeSpan TimeSpan_FromMilliseconds(double value);
SHARPIPC_API int64_t TimeSpan_get_Ticks(TimeSpan value);

SHARPIPC_END_DECLS

#endif
