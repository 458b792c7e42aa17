/*
 * System.Runtime.Remoting: a .NET Remoting client over the TCP channel (MS-NRTP + MS-NRBF), for
 * .NET Framework and Mono servers. RPC-API.md sections 3 and 4 are the contract.
 *
 *     RemoteObject *o = Activator_GetObject("MyRemoteObject, MyAssembly", "tcp://localhost:8085/MyRemoteObjectName");
 *     Variant r = RemoteObject_Invoke(o, "Add", 2, 3);      // r.value.asInt32 == 5
 *     Dispose(o);
 *
 * or, with the interface declared once (SHARPIPC_REMOTE_TYPE), MyRemoteObject_Add(o, 2, 3).
 */
#ifndef SHARPIPC_SYSTEM_RUNTIME_REMOTING_H
#define SHARPIPC_SYSTEM_RUNTIME_REMOTING_H

#include "System.h"

SHARPIPC_BEGIN_DECLS

/* Activator.GetObject(type, url): a proxy; no I/O yet (the first call connects). url:
 * tcp://host:port/ObjectUri; another scheme is a RemotingException. Dispose. */
SHARPIPC_API RemoteObject *Activator_GetObject(const char *typeName, const char *url);

/* A call: the arguments are lent; *result (a given Variant: Variant_Clear) is the return value
 * converted to returnParameter (NULL: whatever arrives). False with the exception: the server's
 * own (Exception_get_TypeName is its class), or a transport/serialization failure. */
SHARPIPC_API bool RemoteObject_InvokeMethod(RemoteObject *obj, const char *methodName, const Variant *args,
                                            int32_t argCount, const ParameterInfo *returnParameter, Variant *result);
/* A [OneWay] call (MS-NRTP OneWayRequest): returns once sent; no reply is read. */
SHARPIPC_API bool RemoteObject_InvokeOneWay(RemoteObject *obj, const char *methodName, const Variant *args,
                                            int32_t argCount);
SHARPIPC_API const char *RemoteObject_get_TypeName(RemoteObject *obj);
SHARPIPC_API char *RemoteObject_get_Url(RemoteObject *obj); /* String_Free */
/* Per-call limit on connect + send + receive, ms; -1 (the default) is infinite. */
SHARPIPC_API bool RemoteObject_set_Timeout(RemoteObject *obj, int32_t millisecondsTimeout);
SHARPIPC_API int32_t RemoteObject_get_Timeout(RemoteObject *obj);

/* ---------------------------------------------------------------- RemoteObject_Invoke (C11) */

/* The Variant of one C argument: int -> Int32, int64_t -> Int64, double, float, bool, strings,
 * Decimal, DateTime, TimeSpan, and a Variant as it is. */
static inline Variant SP_RV_Variant_(Variant v) { return v; }
static inline Variant SP_RV_Int_(int v) { return Variant_FromInt32(v); }
static inline Variant SP_RV_UInt_(unsigned v) { return Variant_FromUInt32(v); }
static inline Variant SP_RV_Long_(long v)
{
    return sizeof(long) == 8 ? Variant_FromInt64(v) : Variant_FromInt32((int32_t)v);
}
static inline Variant SP_RV_LongLong_(long long v) { return Variant_FromInt64(v); }
static inline Variant SP_RV_ULongLong_(unsigned long long v) { return Variant_FromUInt64(v); }
static inline Variant SP_RV_ULong_(unsigned long v)
{
    return sizeof(long) == 8 ? Variant_FromUInt64(v) : Variant_FromUInt32((uint32_t)v);
}
static inline Variant SP_RV_Short_(short v) { return Variant_FromInt16(v); }
static inline Variant SP_RV_UShort_(unsigned short v) { return Variant_FromUInt16(v); }
static inline Variant SP_RV_SChar_(signed char v) { return Variant_FromSByte(v); }
static inline Variant SP_RV_UChar_(unsigned char v) { return Variant_FromByte(v); }
static inline Variant SP_RV_String_(const char *v) { return Variant_FromString(v); }

#ifdef SHARPIPC_HAVE_GENERIC
#  define SP_RV_(x)                                                                                                    \
    _Generic((x),                                                                                                      \
        Variant: SP_RV_Variant_,                                                                                       \
        bool: Variant_FromBoolean,                                                                                     \
        signed char: SP_RV_SChar_,                                                                                     \
        unsigned char: SP_RV_UChar_,                                                                                   \
        short: SP_RV_Short_,                                                                                           \
        unsigned short: SP_RV_UShort_,                                                                                 \
        int: SP_RV_Int_,                                                                                               \
        unsigned: SP_RV_UInt_,                                                                                         \
        long: SP_RV_Long_,                                                                                             \
        unsigned long: SP_RV_ULong_,                                                                                   \
        long long: SP_RV_LongLong_,                                                                                    \
        unsigned long long: SP_RV_ULongLong_,                                                                          \
        float: Variant_FromSingle,                                                                                     \
        double: Variant_FromDouble,                                                                                    \
        char *: SP_RV_String_,                                                                                         \
        const char *: SP_RV_String_,                                                                                   \
        Decimal: Variant_FromDecimal,                                                                                  \
        DateTime: Variant_FromDateTime,                                                                                \
        TimeSpan: Variant_FromTimeSpan)(x)
#endif

/* The result, Empty on failure (the exception says why). */
static inline Variant SP_RemoteObject_Invoke_(RemoteObject *obj, const char *methodName, const Variant *args,
                                              int32_t argCount)
{
    Variant result;
    memset(&result, 0, sizeof result);
    RemoteObject_InvokeMethod(obj, methodName, args, argCount, NULL, &result);
    return result;
}

#ifdef SHARPIPC_HAVE_GENERIC
#  define RemoteObject_Invoke(...) SP_OVERLOAD(SP_RO_INVOKE_, __VA_ARGS__)
#  define SP_RO_INVOKE___2(o, m) SP_RemoteObject_Invoke_((RemoteObject *)(o), m, NULL, 0)
#  define SP_RO_INVOKE_ARGS_(o, m, ...)                                                                                \
    SP_RemoteObject_Invoke_((RemoteObject *)(o), m, (const Variant[]){__VA_ARGS__},                                    \
                            (int32_t)(sizeof((const Variant[]){__VA_ARGS__}) / sizeof(Variant)))
#  define SP_RO_INVOKE___3(o, m, a) SP_RO_INVOKE_ARGS_(o, m, SP_RV_(a))
#  define SP_RO_INVOKE___4(o, m, a, b) SP_RO_INVOKE_ARGS_(o, m, SP_RV_(a), SP_RV_(b))
#  define SP_RO_INVOKE___5(o, m, a, b, c) SP_RO_INVOKE_ARGS_(o, m, SP_RV_(a), SP_RV_(b), SP_RV_(c))
#  define SP_RO_INVOKE___6(o, m, a, b, c, d) SP_RO_INVOKE_ARGS_(o, m, SP_RV_(a), SP_RV_(b), SP_RV_(c), SP_RV_(d))
#  define SP_RO_INVOKE___7(o, m, a, b, c, d, e)                                                                        \
    SP_RO_INVOKE_ARGS_(o, m, SP_RV_(a), SP_RV_(b), SP_RV_(c), SP_RV_(d), SP_RV_(e))
#  define SP_RO_INVOKE___8(o, m, a, b, c, d, e, f)                                                                     \
    SP_RO_INVOKE_ARGS_(o, m, SP_RV_(a), SP_RV_(b), SP_RV_(c), SP_RV_(d), SP_RV_(e), SP_RV_(f))
#  define SP_RO_INVOKE___9(o, m, a, b, c, d, e, f, g)                                                                  \
    SP_RO_INVOKE_ARGS_(o, m, SP_RV_(a), SP_RV_(b), SP_RV_(c), SP_RV_(d), SP_RV_(e), SP_RV_(f), SP_RV_(g))
#  define SP_RO_INVOKE___10(o, m, a, b, c, d, e, f, g, h)                                                              \
    SP_RO_INVOKE_ARGS_(o, m, SP_RV_(a), SP_RV_(b), SP_RV_(c), SP_RV_(d), SP_RV_(e), SP_RV_(f), SP_RV_(g), SP_RV_(h))
#endif

SHARPIPC_END_DECLS

#endif
