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

/* Moves a given Object result's struct into dest (its strings now dest's) and frees the rest;
 * v becomes Empty. A Null result leaves dest alone. (sharpipc's own: the typed proxies' helper.) */
SHARPIPC_API void Variant_MoveObject(Variant *v, void *dest);

/* ---------------------------------------------------------------- SHARPIPC_REMOTE_TYPE (RPC-API.md 3) */

/* SHARPIPC_REMOTE_TYPE(T, "Name, Assembly", LIST): typedef RemoteObject T, T_TypeName, and one
 * static inline T_Method per METHOD/ONEWAY of LIST (at most 64 members, 8 parameters each). The
 * list is expanded with two generators that turn each member into a tuple with a leading comma,
 * so the list never mentions T; a bounded FOR_EACH then walks the tuples with T. Each type token
 * maps by pasting (SP_RT_K_##token) to KIND, .NET name, C type. Plain C11. */
#define SHARPIPC_REMOTE_TYPE(T, dotnetName, LIST)                                                                      \
  typedef RemoteObject T;                                                                                              \
  static const char T##_TypeName[] SP_RT_UNUSED_ = dotnetName;                                                         \
  SP_RT_AP0_(SP_RT_START_, T, LIST(SP_RT_METHOD_, SP_RT_ONEWAY_))
#if defined(__GNUC__)
#  define SP_RT_UNUSED_ __attribute__((unused))
#else
#  define SP_RT_UNUSED_
#endif
#define SP_RT_METHOD_(...) , (M, __VA_ARGS__, )
#define SP_RT_ONEWAY_(...) , (O, Void, __VA_ARGS__, )
/* one apply macro per level: a macro is not expanded again inside its own expansion */
#define SP_RT_AP0_(m, ...) m(__VA_ARGS__)
#define SP_RT_AP1_(m, ...) m(__VA_ARGS__)
#define SP_RT_AP2_(m, ...) m(__VA_ARGS__)
#define SP_RT_AP3_(m, ...) m(__VA_ARGS__)
#define SP_RT_START_(T, empty, ...) SP_RT_FE_(T, __VA_ARGS__)
#define SP_RT_FE_(T, ...) SP_CAT(SP_RT_FE_, SP_RT_N64_(__VA_ARGS__))(T, __VA_ARGS__)
#define SP_RT_N64_(...)                                                                                                \
  SP_RT_ARG64_(__VA_ARGS__, 64, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43,    \
               42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, \
               16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define SP_RT_ARG64_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21,   \
                     _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, _33, _34, _35, _36, _37, _38, _39, _40,    \
                     _41, _42, _43, _44, _45, _46, _47, _48, _49, _50, _51, _52, _53, _54, _55, _56, _57, _58, _59,    \
                     _60, _61, _62, _63, _64, n, ...)                                                                  \
  n
#define SP_RT_FE_1(T, x) SP_RT_MEMBER_(T, x)
#define SP_RT_FE_2(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_1(T, __VA_ARGS__)
#define SP_RT_FE_3(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_2(T, __VA_ARGS__)
#define SP_RT_FE_4(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_3(T, __VA_ARGS__)
#define SP_RT_FE_5(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_4(T, __VA_ARGS__)
#define SP_RT_FE_6(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_5(T, __VA_ARGS__)
#define SP_RT_FE_7(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_6(T, __VA_ARGS__)
#define SP_RT_FE_8(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_7(T, __VA_ARGS__)
#define SP_RT_FE_9(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_8(T, __VA_ARGS__)
#define SP_RT_FE_10(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_9(T, __VA_ARGS__)
#define SP_RT_FE_11(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_10(T, __VA_ARGS__)
#define SP_RT_FE_12(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_11(T, __VA_ARGS__)
#define SP_RT_FE_13(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_12(T, __VA_ARGS__)
#define SP_RT_FE_14(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_13(T, __VA_ARGS__)
#define SP_RT_FE_15(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_14(T, __VA_ARGS__)
#define SP_RT_FE_16(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_15(T, __VA_ARGS__)
#define SP_RT_FE_17(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_16(T, __VA_ARGS__)
#define SP_RT_FE_18(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_17(T, __VA_ARGS__)
#define SP_RT_FE_19(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_18(T, __VA_ARGS__)
#define SP_RT_FE_20(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_19(T, __VA_ARGS__)
#define SP_RT_FE_21(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_20(T, __VA_ARGS__)
#define SP_RT_FE_22(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_21(T, __VA_ARGS__)
#define SP_RT_FE_23(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_22(T, __VA_ARGS__)
#define SP_RT_FE_24(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_23(T, __VA_ARGS__)
#define SP_RT_FE_25(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_24(T, __VA_ARGS__)
#define SP_RT_FE_26(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_25(T, __VA_ARGS__)
#define SP_RT_FE_27(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_26(T, __VA_ARGS__)
#define SP_RT_FE_28(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_27(T, __VA_ARGS__)
#define SP_RT_FE_29(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_28(T, __VA_ARGS__)
#define SP_RT_FE_30(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_29(T, __VA_ARGS__)
#define SP_RT_FE_31(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_30(T, __VA_ARGS__)
#define SP_RT_FE_32(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_31(T, __VA_ARGS__)
#define SP_RT_FE_33(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_32(T, __VA_ARGS__)
#define SP_RT_FE_34(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_33(T, __VA_ARGS__)
#define SP_RT_FE_35(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_34(T, __VA_ARGS__)
#define SP_RT_FE_36(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_35(T, __VA_ARGS__)
#define SP_RT_FE_37(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_36(T, __VA_ARGS__)
#define SP_RT_FE_38(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_37(T, __VA_ARGS__)
#define SP_RT_FE_39(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_38(T, __VA_ARGS__)
#define SP_RT_FE_40(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_39(T, __VA_ARGS__)
#define SP_RT_FE_41(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_40(T, __VA_ARGS__)
#define SP_RT_FE_42(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_41(T, __VA_ARGS__)
#define SP_RT_FE_43(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_42(T, __VA_ARGS__)
#define SP_RT_FE_44(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_43(T, __VA_ARGS__)
#define SP_RT_FE_45(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_44(T, __VA_ARGS__)
#define SP_RT_FE_46(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_45(T, __VA_ARGS__)
#define SP_RT_FE_47(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_46(T, __VA_ARGS__)
#define SP_RT_FE_48(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_47(T, __VA_ARGS__)
#define SP_RT_FE_49(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_48(T, __VA_ARGS__)
#define SP_RT_FE_50(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_49(T, __VA_ARGS__)
#define SP_RT_FE_51(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_50(T, __VA_ARGS__)
#define SP_RT_FE_52(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_51(T, __VA_ARGS__)
#define SP_RT_FE_53(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_52(T, __VA_ARGS__)
#define SP_RT_FE_54(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_53(T, __VA_ARGS__)
#define SP_RT_FE_55(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_54(T, __VA_ARGS__)
#define SP_RT_FE_56(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_55(T, __VA_ARGS__)
#define SP_RT_FE_57(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_56(T, __VA_ARGS__)
#define SP_RT_FE_58(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_57(T, __VA_ARGS__)
#define SP_RT_FE_59(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_58(T, __VA_ARGS__)
#define SP_RT_FE_60(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_59(T, __VA_ARGS__)
#define SP_RT_FE_61(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_60(T, __VA_ARGS__)
#define SP_RT_FE_62(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_61(T, __VA_ARGS__)
#define SP_RT_FE_63(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_62(T, __VA_ARGS__)
#define SP_RT_FE_64(T, x, ...) SP_RT_MEMBER_(T, x) SP_RT_FE_63(T, __VA_ARGS__)
/* one member: (M|O, R, Name, params..., <empty>) */
#define SP_RT_MEMBER_(T, tuple) SP_RT_AP1_(SP_RT_FN_, T, SP_RT_UNPAREN_ tuple)
#define SP_RT_UNPAREN_(...) __VA_ARGS__
#define SP_RT_FN_(T, K, R, N, ...) SP_RT_AP2_(SP_RT_FN2_, T, K, N, SP_RT_K_##R, __VA_ARGS__)
#define SP_RT_FN2_(T, K, N, RK, RV, RC, ...)                                                                           \
  static inline SP_RT_RT_##K##RK(RV, RC) T##_##N(T *self SP_RT_PARAMS_(SP_RT_PD_, __VA_ARGS__) SP_RT_RX_##K##RK)       \
  {                                                                                                                    \
    Variant args_[] = {SP_RT_PARAMS_(SP_RT_PA_, __VA_ARGS__) Variant_Null()};                                          \
    int32_t n_ = (int32_t)(sizeof args_ / sizeof args_[0]) - 1;                                                        \
    SP_RT_CALL_##K(N, RK, RV, RC)                                                                                      \
  }
/* the parameters: (Type, name) each, then the empty last item */
#define SP_RT_PARAMS_(F, ...) SP_CAT(SP_RT_P_, SP_RT_NP_(__VA_ARGS__))(F, __VA_ARGS__)
/* SP_RT_P_k: k items, the last one the empty end (so 8 parameters are SP_RT_P_9) */
#define SP_RT_NP_(...) SP_ARG10_(__VA_ARGS__, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define SP_RT_P_1(F, ...)
#define SP_RT_P_2(F, x, ...) F x SP_RT_P_1(F, __VA_ARGS__)
#define SP_RT_P_3(F, x, ...) F x SP_RT_P_2(F, __VA_ARGS__)
#define SP_RT_P_4(F, x, ...) F x SP_RT_P_3(F, __VA_ARGS__)
#define SP_RT_P_5(F, x, ...) F x SP_RT_P_4(F, __VA_ARGS__)
#define SP_RT_P_6(F, x, ...) F x SP_RT_P_5(F, __VA_ARGS__)
#define SP_RT_P_7(F, x, ...) F x SP_RT_P_6(F, __VA_ARGS__)
#define SP_RT_P_8(F, x, ...) F x SP_RT_P_7(F, __VA_ARGS__)
#define SP_RT_P_9(F, x, ...) F x SP_RT_P_8(F, __VA_ARGS__)
/* a parameter's declaration and its Variant */
#define SP_RT_PD_(ty, name) SP_RT_AP3_(SP_RT_PD2_, name, SP_RT_K_##ty)
#define SP_RT_PD2_(name, K, V, C) SP_RT_PD_##K(name, V, C)
#define SP_RT_PA_(ty, name) SP_RT_AP3_(SP_RT_PA2_, name, SP_RT_K_##ty)
#define SP_RT_PA2_(name, K, V, C) SP_RT_PA_##K(name, V, C)
#define SP_RT_PD_S(name, V, C) , C name
#define SP_RT_PA_S(name, V, C) Variant_From##V(name),
#define SP_RT_PD_Z(name, V, C) , const char *name
#define SP_RT_PA_Z(name, V, C) Variant_FromString(name),
#define SP_RT_PD_A(name, V, C) , const C *name, int32_t name##Length
#define SP_RT_PA_A(name, V, C) Variant_FromArray(VariantType_##V, name, name##Length),
#define SP_RT_PD_T(name, V, C) , V name
#define SP_RT_PA_T(name, V, C) Variant_FromObject(&V##_Type, &name),
#define SP_RT_PD_X(name, V, C) , CancellationToken name
#define SP_RT_PA_X(name, V, C) /* not sent (RPC-API.md 3) */
/* the type tokens: KIND (V void, S scalar, Z string, A array, T struct, X token), .NET name, C type */
#define SP_RT_K_Void V, Void, bool
#define SP_RT_K_Boolean S, Boolean, bool
#define SP_RT_K_Char S, Char, uint16_t
#define SP_RT_K_SByte S, SByte, int8_t
#define SP_RT_K_Byte S, Byte, uint8_t
#define SP_RT_K_Int16 S, Int16, int16_t
#define SP_RT_K_UInt16 S, UInt16, uint16_t
#define SP_RT_K_Int32 S, Int32, int32_t
#define SP_RT_K_UInt32 S, UInt32, uint32_t
#define SP_RT_K_Int64 S, Int64, int64_t
#define SP_RT_K_UInt64 S, UInt64, uint64_t
#define SP_RT_K_Single S, Single, float
#define SP_RT_K_Double S, Double, double
#define SP_RT_K_Decimal S, Decimal, Decimal
#define SP_RT_K_DateTime S, DateTime, DateTime
#define SP_RT_K_TimeSpan S, TimeSpan, TimeSpan
#define SP_RT_K_String Z, String, char *
#define SP_RT_K_CancellationToken X, CancellationToken, CancellationToken
#define SP_RT_K_Array(E) A, E, SP_RT_C_##E
#define SP_RT_K_Struct(S) T, S, S
#define SP_RT_C_Boolean bool
#define SP_RT_C_Char uint16_t
#define SP_RT_C_SByte int8_t
#define SP_RT_C_Byte uint8_t
#define SP_RT_C_Int16 int16_t
#define SP_RT_C_UInt16 uint16_t
#define SP_RT_C_Int32 int32_t
#define SP_RT_C_UInt32 uint32_t
#define SP_RT_C_Int64 int64_t
#define SP_RT_C_UInt64 uint64_t
#define SP_RT_C_Single float
#define SP_RT_C_Double double
#define SP_RT_C_Decimal Decimal
#define SP_RT_C_DateTime DateTime
#define SP_RT_C_TimeSpan TimeSpan
#define SP_RT_C_String char *
/* result types (method kind M or O, then the result's KIND) and the array's length parameter */
#define SP_RT_RT_MV(V, C) bool
#define SP_RT_RT_MS(V, C) C
#define SP_RT_RT_MZ(V, C) char *
#define SP_RT_RT_MA(V, C) C *
#define SP_RT_RT_MT(V, C) V
#define SP_RT_RT_OV(V, C) bool
#define SP_RT_RX_MV
#define SP_RT_RX_MS
#define SP_RT_RX_MZ
#define SP_RT_RX_MA , int32_t *length
#define SP_RT_RX_MT
#define SP_RT_RX_OV
/* the call and its result */
#define SP_RT_CALL_O(N, RK, RV, RC) return RemoteObject_InvokeOneWay(self, #N, args_, n_);
#define SP_RT_CALL_M(N, RK, RV, RC)                                                                                    \
  Variant r_;                                                                                                          \
  const ParameterInfo want_ = SP_RT_PI_##RK(RV);                                                                       \
  bool ok_ = RemoteObject_InvokeMethod(self, #N, args_, n_, &want_, &r_);                                              \
  SP_RT_RET_##RK(RV, RC)
#define SP_RT_PI_V(V)                                                                                                  \
  {                                                                                                                    \
    "return", VariantType_Empty, VariantType_Empty, NULL                                                               \
  }
#define SP_RT_PI_S(V)                                                                                                  \
  {                                                                                                                    \
    "return", VariantType_##V, VariantType_Empty, NULL                                                                 \
  }
#define SP_RT_PI_Z(V)                                                                                                  \
  {                                                                                                                    \
    "return", VariantType_String, VariantType_Empty, NULL                                                              \
  }
#define SP_RT_PI_A(V)                                                                                                  \
  {                                                                                                                    \
    "return", VariantType_Array, VariantType_##V, NULL                                                                 \
  }
#define SP_RT_PI_T(V)                                                                                                  \
  {                                                                                                                    \
    "return", VariantType_Object, VariantType_Empty, &V##_Type                                                         \
  }
#define SP_RT_RET_V(V, C)                                                                                              \
  Variant_Clear(&r_);                                                                                                  \
  return ok_;
#define SP_RT_RET_S(V, C)                                                                                              \
  C out_;                                                                                                              \
  memset(&out_, 0, sizeof out_);                                                                                       \
  if (ok_)                                                                                                             \
    memcpy(&out_, &r_.value, sizeof out_);                                                                             \
  return out_;
#define SP_RT_RET_Z(V, C) return ok_ && r_.type == VariantType_String ? (char *)(uintptr_t)r_.value.asString : NULL;
#define SP_RT_RET_A(V, C)                                                                                              \
  bool some_ = ok_ && r_.type == VariantType_Array;                                                                    \
  if (length)                                                                                                          \
    *length = some_ ? r_.length : 0;                                                                                   \
  return some_ ? (C *)(uintptr_t)r_.value.asArray : NULL;
#define SP_RT_RET_T(V, C)                                                                                              \
  V out_;                                                                                                              \
  memset(&out_, 0, sizeof out_);                                                                                       \
  if (ok_)                                                                                                             \
    Variant_MoveObject(&r_, &out_);                                                                                    \
  return out_;

SHARPIPC_END_DECLS

#endif
