/*
 * StreamJsonRpc: JSON-RPC 2.0 peers over any sharpipc Stream, wire-compatible with .NET's
 * StreamJsonRpc (JsonRpc with its default HeaderDelimitedMessageHandler and JsonMessageFormatter).
 * The contract is RPC-API.md section 5: names, ownership ("arguments are lent, results are given"),
 * errors and limits. Built only when sharpipc was configured with Jansson (SHARPIPC_HAVE_JSONRPC).
 *
 * A .NET method that exists only as MAsync is M here and blocks (InvokeAsync -> JsonRpc_Invoke).
 */
#ifndef SHARPIPC_STREAMJSONRPC_H
#define SHARPIPC_STREAMJSONRPC_H

#include "System.IO.h"
#include "System.Runtime.Remoting.h" /* the interface-list machinery of RPC-API.md 3 */
#include "System.Threading.h"
#include "System.h"

SHARPIPC_BEGIN_DECLS

/* JsonRpc and CommonErrorData are declared in types.h. */

/* new JsonRpc(stream): HeaderDelimited + JSON, not listening yet. The JsonRpc keeps its own
 * reference to the stream and disposes the stream when it is disposed, as .NET's does. */
SHARPIPC_API JsonRpc *JsonRpc_new(Stream *stream);
/* JsonRpc.Attach(stream): new + StartListening. */
SHARPIPC_API JsonRpc *JsonRpc_Attach(Stream *stream);
/* Starts the reader (and the dispatcher of inbound requests, one at a time, in order). */
SHARPIPC_API bool JsonRpc_StartListening(JsonRpc *rpc);

/* ---------------------------------------------------------------- calling (5.1) */
/* InvokeWithCancellationAsync(targetName, arguments, cancellationToken): positional "params".
 * returnParameter NULL: whatever arrives (Null, Boolean, Int64, Double, String, Json). *result is
 * given to the caller (Variant_Clear); result may be NULL to ignore it. */
SHARPIPC_API bool JsonRpc_InvokeWithCancellation(JsonRpc *rpc, const char *targetName, const Variant *arguments,
                                                 int32_t argumentCount, CancellationToken cancellationToken,
                                                 const ParameterInfo *returnParameter, Variant *result);
/* InvokeWithParameterObjectAsync: named "params", {names[i]: arguments[i]}. */
SHARPIPC_API bool JsonRpc_InvokeWithParameterObject(JsonRpc *rpc, const char *targetName, const char *const *names,
                                                    const Variant *arguments, int32_t argumentCount,
                                                    CancellationToken cancellationToken,
                                                    const ParameterInfo *returnParameter, Variant *result);
/* NotifyAsync(targetName, arguments): returns once sent. */
SHARPIPC_API bool JsonRpc_NotifyWithArguments(JsonRpc *rpc, const char *targetName, const Variant *arguments,
                                              int32_t argumentCount);
/* Per-call limit, ms (-1 = none, the default): the call then sends $/cancelRequest and fails at
 * once with TimeoutException. */
SHARPIPC_API bool JsonRpc_set_OutboundRequestTimeout(JsonRpc *rpc, int32_t milliseconds);
SHARPIPC_API int32_t JsonRpc_get_OutboundRequestTimeout(JsonRpc *rpc);
/* Set when the connection has ended (EOF, a framing error, Dispose); borrowed. */
SHARPIPC_API WaitHandle *JsonRpc_get_Completion(JsonRpc *rpc);
SHARPIPC_API bool JsonRpc_get_IsDisposed(JsonRpc *rpc);

/* C11: JsonRpc_Invoke(rpc, "Add", 2, 3) -> Variant (Empty on failure); JsonRpc_Notify -> bool.
 * Each argument becomes a Variant by its C type (int -> Int32, int64_t -> Int64, double, float,
 * bool, strings, Decimal, DateTime, TimeSpan, a Variant as it is). */
SHARPIPC_API Variant JsonRpc_InvokeArgs_(JsonRpc *rpc, const char *targetName, const Variant *arguments,
                                         int32_t argumentCount);
#ifdef SHARPIPC_HAVE_GENERIC
#  define SP_JRPC_VARIANT_(x)                                                                                          \
    _Generic((x),                                                                                                        \
      bool: Variant_FromBoolean,                                                                                       \
      int8_t: Variant_FromSByte,                                                                                       \
      uint8_t: Variant_FromByte,                                                                                       \
      int16_t: Variant_FromInt16,                                                                                      \
      uint16_t: Variant_FromUInt16,                                                                                    \
      int32_t: Variant_FromInt32,                                                                                      \
      uint32_t: Variant_FromUInt32,                                                                                    \
      long long: Variant_FromInt64,                                                                                    \
      long: Variant_FromInt64,                                                                                         \
      unsigned long long: Variant_FromUInt64,                                                                          \
      unsigned long: Variant_FromUInt64,                                                                               \
      float: Variant_FromSingle,                                                                                       \
      double: Variant_FromDouble,                                                                                      \
      Decimal: Variant_FromDecimal,                                                                                    \
      DateTime: Variant_FromDateTime,                                                                                  \
      TimeSpan: Variant_FromTimeSpan,                                                                                  \
      char *: Variant_FromString,                                                                                      \
      const char *: Variant_FromString,                                                                                \
      Variant: sp_jrpc_variant_id_)(x)
static inline Variant sp_jrpc_variant_id_(Variant v) { return v; }
#  define SP_JRPC_ARGS_1_(a) SP_JRPC_VARIANT_(a)
#  define SP_JRPC_ARGS_2_(a, ...) SP_JRPC_VARIANT_(a), SP_JRPC_ARGS_1_(__VA_ARGS__)
#  define SP_JRPC_ARGS_3_(a, ...) SP_JRPC_VARIANT_(a), SP_JRPC_ARGS_2_(__VA_ARGS__)
#  define SP_JRPC_ARGS_4_(a, ...) SP_JRPC_VARIANT_(a), SP_JRPC_ARGS_3_(__VA_ARGS__)
#  define SP_JRPC_ARGS_5_(a, ...) SP_JRPC_VARIANT_(a), SP_JRPC_ARGS_4_(__VA_ARGS__)
#  define SP_JRPC_ARGS_6_(a, ...) SP_JRPC_VARIANT_(a), SP_JRPC_ARGS_5_(__VA_ARGS__)
#  define SP_JRPC_ARGS_7_(a, ...) SP_JRPC_VARIANT_(a), SP_JRPC_ARGS_6_(__VA_ARGS__)
#  define SP_JRPC_ARGS_8_(a, ...) SP_JRPC_VARIANT_(a), SP_JRPC_ARGS_7_(__VA_ARGS__)
#  define SP_JRPC_INVOKE_0_(rpc, name) JsonRpc_InvokeArgs_((rpc), (name), NULL, 0)
#  define SP_JRPC_INVOKE_N_(rpc, name, ...)                                                                            \
    JsonRpc_InvokeArgs_((rpc), (name),                                                                                 \
                        (const Variant[]){SP_CAT(SP_JRPC_ARGS_, SP_CAT(SP_NARGS(__VA_ARGS__), _))(__VA_ARGS__)},       \
                        SP_NARGS(__VA_ARGS__))
#  define SP_JRPC_NOTIFY_0_(rpc, name) JsonRpc_NotifyWithArguments((rpc), (name), NULL, 0)
#  define SP_JRPC_NOTIFY_N_(rpc, name, ...)                                                                            \
    JsonRpc_NotifyWithArguments(                                                                                       \
        (rpc), (name), (const Variant[]){SP_CAT(SP_JRPC_ARGS_, SP_CAT(SP_NARGS(__VA_ARGS__), _))(__VA_ARGS__)},        \
        SP_NARGS(__VA_ARGS__))
#  define SP_JRPC_PICK_1 SP_JRPC_INVOKE_0_
#  define SP_JRPC_PICK_0 SP_JRPC_INVOKE_N_
#  define SP_JRPC_NPICK_1 SP_JRPC_NOTIFY_0_
#  define SP_JRPC_NPICK_0 SP_JRPC_NOTIFY_N_
#  define JsonRpc_Invoke(rpc, ...) SP_JRPC_DISPATCH_(SP_JRPC_PICK_, rpc, __VA_ARGS__)
#  define JsonRpc_Notify(rpc, ...) SP_JRPC_DISPATCH_(SP_JRPC_NPICK_, rpc, __VA_ARGS__)
/* one argument after rpc (the name alone) -> the _0_ form */
#  define SP_JRPC_DISPATCH_(P, rpc, ...) SP_CAT(P, SP_JRPC_IS1_(__VA_ARGS__))(rpc, __VA_ARGS__)
#  define SP_JRPC_IS1_(...) SP_ARG10_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1)
#endif

/* ---------------------------------------------------------------- errors (5.1) */
/* The members of .NET's RemoteRpcException on the pending exception (valid until the thread's next
 * sharpipc call). ErrorCode: -32000 ...; 0 when e is no RemoteRpcException with one. */
SHARPIPC_API int32_t RemoteRpcException_get_ErrorCode(const Exception *e);
/* The error's `data` as JSON text, or NULL. */
SHARPIPC_API const char *RemoteRpcException_get_ErrorData(const Exception *e);
/* `data` read as StreamJsonRpc's CommonErrorData {type, message, stack, code, inner}; NULL when
 * there is none or it has another shape. */
SHARPIPC_API const CommonErrorData *RemoteRpcException_get_DeserializedErrorData(const Exception *e);
SHARPIPC_API const char *CommonErrorData_get_TypeName(const CommonErrorData *d);
SHARPIPC_API const char *CommonErrorData_get_Message(const CommonErrorData *d);
SHARPIPC_API const char *CommonErrorData_get_StackTrace(const CommonErrorData *d);
SHARPIPC_API int32_t CommonErrorData_get_HResult(const CommonErrorData *d);
SHARPIPC_API const CommonErrorData *CommonErrorData_get_Inner(const CommonErrorData *d);

/* ---------------------------------------------------------------- serving (5.2) */
/* Runs on sharpipc's dispatch thread. args are lent (valid until it returns); *result starts
 * Empty: set it to a Variant whose strings and arrays sharpipc may free (String_Copy,
 * String_Concat, Array_CreateInstance, or anything sharpipc handed out). To throw, return false
 * with a pending exception (Exception_Throw, LocalRpcException_Throw, or one a sharpipc call left).
 * For a notification the result is ignored. cancellationToken is cancelled by $/cancelRequest for
 * this call (and, with CancelLocallyInvokedMethodsWhenConnectionIsClosed, when the connection
 * ends). */
typedef bool (*JsonRpcMethodHandler)(const Variant *args, int32_t argCount, Variant *result,
                                     CancellationToken cancellationToken, void *state);
/* Before StartListening (after it: InvalidOperationException, as .NET). */
SHARPIPC_API bool JsonRpc_AddLocalRpcMethod(JsonRpc *rpc, const char *rpcMethodName, JsonRpcMethodHandler handler,
                                            void *state);
SHARPIPC_API bool JsonRpc_set_CancelLocallyInvokedMethodsWhenConnectionIsClosed(JsonRpc *rpc, bool value);

/* Throwing from C code that .NET calls: sets the pending exception and returns false. */
SHARPIPC_API bool Exception_Throw(ExceptionType type, const char *message);
/* LocalRpcException(message) { ErrorCode = errorCode, ErrorData = errorDataJson (NULL: none) }:
 * the peer gets exactly this code and data. */
SHARPIPC_API bool LocalRpcException_Throw(const char *message, int32_t errorCode, const char *errorDataJson);

/* ---------------------------------------------------------------- typed proxy (5.3) */
/* SHARPIPC_JSONRPC_PROXY(T, LIST): typedef JsonRpc T, and one static inline T_Method per
 * METHOD/ONEWAY of LIST (RPC-API.md section 3's list, the one SHARPIPC_REMOTE_TYPE reads), with the
 * same C types: a METHOD is JsonRpc_InvokeWithCancellation (its (CancellationToken, name)
 * parameter, if any, is the call's token and is not sent), a ONEWAY is JsonRpc_NotifyWithArguments.
 * The machinery (tuples, type tokens, parameter lists) is System.Runtime.Remoting.h's. */
#define SHARPIPC_JSONRPC_PROXY(T, LIST)                                                                                \
  typedef JsonRpc T;                                                                                                   \
  SP_RT_AP0_(SP_JR_START_, T, LIST(SP_RT_METHOD_, SP_RT_ONEWAY_))
#define SP_JR_START_(T, empty, ...) SP_JR_FE_(T, __VA_ARGS__)
#define SP_JR_FE_(T, ...) SP_CAT(SP_JR_FE_, SP_RT_N64_(__VA_ARGS__))(T, __VA_ARGS__)
#define SP_JR_FE_1(T, x) SP_JR_MEMBER_(T, x)
#define SP_JR_FE_2(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_1(T, __VA_ARGS__)
#define SP_JR_FE_3(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_2(T, __VA_ARGS__)
#define SP_JR_FE_4(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_3(T, __VA_ARGS__)
#define SP_JR_FE_5(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_4(T, __VA_ARGS__)
#define SP_JR_FE_6(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_5(T, __VA_ARGS__)
#define SP_JR_FE_7(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_6(T, __VA_ARGS__)
#define SP_JR_FE_8(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_7(T, __VA_ARGS__)
#define SP_JR_FE_9(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_8(T, __VA_ARGS__)
#define SP_JR_FE_10(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_9(T, __VA_ARGS__)
#define SP_JR_FE_11(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_10(T, __VA_ARGS__)
#define SP_JR_FE_12(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_11(T, __VA_ARGS__)
#define SP_JR_FE_13(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_12(T, __VA_ARGS__)
#define SP_JR_FE_14(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_13(T, __VA_ARGS__)
#define SP_JR_FE_15(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_14(T, __VA_ARGS__)
#define SP_JR_FE_16(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_15(T, __VA_ARGS__)
#define SP_JR_FE_17(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_16(T, __VA_ARGS__)
#define SP_JR_FE_18(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_17(T, __VA_ARGS__)
#define SP_JR_FE_19(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_18(T, __VA_ARGS__)
#define SP_JR_FE_20(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_19(T, __VA_ARGS__)
#define SP_JR_FE_21(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_20(T, __VA_ARGS__)
#define SP_JR_FE_22(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_21(T, __VA_ARGS__)
#define SP_JR_FE_23(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_22(T, __VA_ARGS__)
#define SP_JR_FE_24(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_23(T, __VA_ARGS__)
#define SP_JR_FE_25(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_24(T, __VA_ARGS__)
#define SP_JR_FE_26(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_25(T, __VA_ARGS__)
#define SP_JR_FE_27(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_26(T, __VA_ARGS__)
#define SP_JR_FE_28(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_27(T, __VA_ARGS__)
#define SP_JR_FE_29(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_28(T, __VA_ARGS__)
#define SP_JR_FE_30(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_29(T, __VA_ARGS__)
#define SP_JR_FE_31(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_30(T, __VA_ARGS__)
#define SP_JR_FE_32(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_31(T, __VA_ARGS__)
#define SP_JR_FE_33(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_32(T, __VA_ARGS__)
#define SP_JR_FE_34(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_33(T, __VA_ARGS__)
#define SP_JR_FE_35(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_34(T, __VA_ARGS__)
#define SP_JR_FE_36(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_35(T, __VA_ARGS__)
#define SP_JR_FE_37(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_36(T, __VA_ARGS__)
#define SP_JR_FE_38(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_37(T, __VA_ARGS__)
#define SP_JR_FE_39(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_38(T, __VA_ARGS__)
#define SP_JR_FE_40(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_39(T, __VA_ARGS__)
#define SP_JR_FE_41(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_40(T, __VA_ARGS__)
#define SP_JR_FE_42(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_41(T, __VA_ARGS__)
#define SP_JR_FE_43(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_42(T, __VA_ARGS__)
#define SP_JR_FE_44(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_43(T, __VA_ARGS__)
#define SP_JR_FE_45(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_44(T, __VA_ARGS__)
#define SP_JR_FE_46(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_45(T, __VA_ARGS__)
#define SP_JR_FE_47(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_46(T, __VA_ARGS__)
#define SP_JR_FE_48(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_47(T, __VA_ARGS__)
#define SP_JR_FE_49(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_48(T, __VA_ARGS__)
#define SP_JR_FE_50(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_49(T, __VA_ARGS__)
#define SP_JR_FE_51(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_50(T, __VA_ARGS__)
#define SP_JR_FE_52(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_51(T, __VA_ARGS__)
#define SP_JR_FE_53(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_52(T, __VA_ARGS__)
#define SP_JR_FE_54(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_53(T, __VA_ARGS__)
#define SP_JR_FE_55(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_54(T, __VA_ARGS__)
#define SP_JR_FE_56(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_55(T, __VA_ARGS__)
#define SP_JR_FE_57(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_56(T, __VA_ARGS__)
#define SP_JR_FE_58(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_57(T, __VA_ARGS__)
#define SP_JR_FE_59(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_58(T, __VA_ARGS__)
#define SP_JR_FE_60(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_59(T, __VA_ARGS__)
#define SP_JR_FE_61(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_60(T, __VA_ARGS__)
#define SP_JR_FE_62(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_61(T, __VA_ARGS__)
#define SP_JR_FE_63(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_62(T, __VA_ARGS__)
#define SP_JR_FE_64(T, x, ...) SP_JR_MEMBER_(T, x) SP_JR_FE_63(T, __VA_ARGS__)
#define SP_JR_MEMBER_(T, tuple) SP_RT_AP1_(SP_JR_FN_, T, SP_RT_UNPAREN_ tuple)
#define SP_JR_FN_(T, K, R, N, ...) SP_RT_AP2_(SP_JR_FN2_, T, K, N, SP_RT_K_##R, __VA_ARGS__)
#define SP_JR_FN2_(T, K, N, RK, RV, RC, ...)                                                                           \
  static inline SP_RT_RT_##K##RK(RV, RC) T##_##N(T *self SP_RT_PARAMS_(SP_RT_PD_, __VA_ARGS__) SP_RT_RX_##K##RK)       \
  {                                                                                                                    \
    CancellationToken ct_ = CancellationToken_None;                                                                    \
    Variant args_[] = {SP_RT_PARAMS_(SP_RT_PA_, __VA_ARGS__) Variant_Null()};                                          \
    int32_t n_ = (int32_t)(sizeof args_ / sizeof args_[0]) - 1;                                                        \
    SP_RT_PARAMS_(SP_JR_PT_, __VA_ARGS__)                                                                              \
    SP_JR_CALL_##K(N, RK, RV, RC)                                                                                      \
  }
/* the (CancellationToken, name) parameter becomes the call's token */
#define SP_JR_PT_(ty, name) SP_RT_AP3_(SP_JR_PT2_, name, SP_RT_K_##ty)
#define SP_JR_PT2_(name, K, V, C) SP_JR_PT_##K(name)
#define SP_JR_PT_S(name)
#define SP_JR_PT_Z(name)
#define SP_JR_PT_A(name)
#define SP_JR_PT_T(name)
#define SP_JR_PT_X(name) ct_ = name;
#define SP_JR_CALL_O(N, RK, RV, RC)                                                                                    \
  (void)ct_;                                                                                                           \
  return JsonRpc_NotifyWithArguments(self, #N, args_, n_);
#define SP_JR_CALL_M(N, RK, RV, RC)                                                                                    \
  Variant r_;                                                                                                          \
  const ParameterInfo want_ = SP_RT_PI_##RK(RV);                                                                       \
  bool ok_ = JsonRpc_InvokeWithCancellation(self, #N, args_, n_, ct_, &want_, &r_);                                    \
  SP_RT_RET_##RK(RV, RC)

/* ---------------------------------------------------------------- typed target (5.4) */
/* One method of a typed target: what SHARPIPC_JSONRPC_TARGET generates and AddLocalRpcTarget
 * serves. parameters are the declared ones without the CancellationToken; adapter converts the
 * already-typed arguments to the C function's parameters and its result back. */
typedef struct JsonRpcTargetMethod {
    const char *name;
    bool isNotification; /* ONEWAY */
    int32_t parameterCount;
    const ParameterInfo *parameters;
    bool (*adapter)(void *self, const Variant *args, Variant *result, CancellationToken cancellationToken);
} JsonRpcTargetMethod;
struct JsonRpcTarget {
    int32_t methodCount;
    const JsonRpcTargetMethod *methods;
};
/* AddLocalRpcTarget(target): every method of the table, served with self; before StartListening.
 * Arguments are converted to the declared types (positional by index, named by the declared
 * parameter name); a count or type that does not fit is answered with -32602 (InvalidParams). */
SHARPIPC_API bool JsonRpc_AddLocalRpcTarget(JsonRpc *rpc, const JsonRpcTarget *target, void *self);

/* SHARPIPC_JSONRPC_TARGET(T, LIST): declares T_Method(void *self, params...) for the program to
 * define, one per member (results: String a sharpipc string, Array(E) an Array_CreateInstance
 * array, Struct(S) an S by value, Void a bool), and static const JsonRpcTarget T_Target. */
#define SHARPIPC_JSONRPC_TARGET(T, LIST)                                                                               \
  SP_RT_AP0_(SP_JT_START_, T, LIST(SP_RT_METHOD_, SP_RT_ONEWAY_))                                                      \
  static const JsonRpcTargetMethod T##_Methods_[] = {                                                                  \
      SP_RT_AP0_(SP_JT_TSTART_, T, LIST(SP_RT_METHOD_, SP_RT_ONEWAY_))};                                               \
  static const JsonRpcTarget T##_Target SP_RT_UNUSED_ = {(int32_t)(sizeof T##_Methods_ / sizeof T##_Methods_[0]),      \
                                                         T##_Methods_}
#define SP_JT_START_(T, empty, ...) SP_JT_FE_(T, __VA_ARGS__)
#define SP_JT_FE_(T, ...) SP_CAT(SP_JT_FE_, SP_RT_N64_(__VA_ARGS__))(T, __VA_ARGS__)
#define SP_JT_FE_1(T, x) SP_JT_MEMBER_(T, x)
#define SP_JT_FE_2(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_1(T, __VA_ARGS__)
#define SP_JT_FE_3(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_2(T, __VA_ARGS__)
#define SP_JT_FE_4(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_3(T, __VA_ARGS__)
#define SP_JT_FE_5(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_4(T, __VA_ARGS__)
#define SP_JT_FE_6(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_5(T, __VA_ARGS__)
#define SP_JT_FE_7(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_6(T, __VA_ARGS__)
#define SP_JT_FE_8(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_7(T, __VA_ARGS__)
#define SP_JT_FE_9(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_8(T, __VA_ARGS__)
#define SP_JT_FE_10(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_9(T, __VA_ARGS__)
#define SP_JT_FE_11(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_10(T, __VA_ARGS__)
#define SP_JT_FE_12(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_11(T, __VA_ARGS__)
#define SP_JT_FE_13(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_12(T, __VA_ARGS__)
#define SP_JT_FE_14(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_13(T, __VA_ARGS__)
#define SP_JT_FE_15(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_14(T, __VA_ARGS__)
#define SP_JT_FE_16(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_15(T, __VA_ARGS__)
#define SP_JT_FE_17(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_16(T, __VA_ARGS__)
#define SP_JT_FE_18(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_17(T, __VA_ARGS__)
#define SP_JT_FE_19(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_18(T, __VA_ARGS__)
#define SP_JT_FE_20(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_19(T, __VA_ARGS__)
#define SP_JT_FE_21(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_20(T, __VA_ARGS__)
#define SP_JT_FE_22(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_21(T, __VA_ARGS__)
#define SP_JT_FE_23(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_22(T, __VA_ARGS__)
#define SP_JT_FE_24(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_23(T, __VA_ARGS__)
#define SP_JT_FE_25(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_24(T, __VA_ARGS__)
#define SP_JT_FE_26(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_25(T, __VA_ARGS__)
#define SP_JT_FE_27(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_26(T, __VA_ARGS__)
#define SP_JT_FE_28(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_27(T, __VA_ARGS__)
#define SP_JT_FE_29(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_28(T, __VA_ARGS__)
#define SP_JT_FE_30(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_29(T, __VA_ARGS__)
#define SP_JT_FE_31(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_30(T, __VA_ARGS__)
#define SP_JT_FE_32(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_31(T, __VA_ARGS__)
#define SP_JT_FE_33(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_32(T, __VA_ARGS__)
#define SP_JT_FE_34(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_33(T, __VA_ARGS__)
#define SP_JT_FE_35(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_34(T, __VA_ARGS__)
#define SP_JT_FE_36(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_35(T, __VA_ARGS__)
#define SP_JT_FE_37(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_36(T, __VA_ARGS__)
#define SP_JT_FE_38(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_37(T, __VA_ARGS__)
#define SP_JT_FE_39(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_38(T, __VA_ARGS__)
#define SP_JT_FE_40(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_39(T, __VA_ARGS__)
#define SP_JT_FE_41(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_40(T, __VA_ARGS__)
#define SP_JT_FE_42(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_41(T, __VA_ARGS__)
#define SP_JT_FE_43(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_42(T, __VA_ARGS__)
#define SP_JT_FE_44(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_43(T, __VA_ARGS__)
#define SP_JT_FE_45(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_44(T, __VA_ARGS__)
#define SP_JT_FE_46(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_45(T, __VA_ARGS__)
#define SP_JT_FE_47(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_46(T, __VA_ARGS__)
#define SP_JT_FE_48(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_47(T, __VA_ARGS__)
#define SP_JT_FE_49(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_48(T, __VA_ARGS__)
#define SP_JT_FE_50(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_49(T, __VA_ARGS__)
#define SP_JT_FE_51(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_50(T, __VA_ARGS__)
#define SP_JT_FE_52(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_51(T, __VA_ARGS__)
#define SP_JT_FE_53(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_52(T, __VA_ARGS__)
#define SP_JT_FE_54(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_53(T, __VA_ARGS__)
#define SP_JT_FE_55(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_54(T, __VA_ARGS__)
#define SP_JT_FE_56(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_55(T, __VA_ARGS__)
#define SP_JT_FE_57(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_56(T, __VA_ARGS__)
#define SP_JT_FE_58(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_57(T, __VA_ARGS__)
#define SP_JT_FE_59(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_58(T, __VA_ARGS__)
#define SP_JT_FE_60(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_59(T, __VA_ARGS__)
#define SP_JT_FE_61(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_60(T, __VA_ARGS__)
#define SP_JT_FE_62(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_61(T, __VA_ARGS__)
#define SP_JT_FE_63(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_62(T, __VA_ARGS__)
#define SP_JT_FE_64(T, x, ...) SP_JT_MEMBER_(T, x) SP_JT_FE_63(T, __VA_ARGS__)
#define SP_JT_TSTART_(T, empty, ...) SP_JT_TE_(T, __VA_ARGS__)
#define SP_JT_TE_(T, ...) SP_CAT(SP_JT_TE_, SP_RT_N64_(__VA_ARGS__))(T, __VA_ARGS__)
#define SP_JT_TE_1(T, x) SP_JT_ENTRY_(T, x)
#define SP_JT_TE_2(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_1(T, __VA_ARGS__)
#define SP_JT_TE_3(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_2(T, __VA_ARGS__)
#define SP_JT_TE_4(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_3(T, __VA_ARGS__)
#define SP_JT_TE_5(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_4(T, __VA_ARGS__)
#define SP_JT_TE_6(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_5(T, __VA_ARGS__)
#define SP_JT_TE_7(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_6(T, __VA_ARGS__)
#define SP_JT_TE_8(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_7(T, __VA_ARGS__)
#define SP_JT_TE_9(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_8(T, __VA_ARGS__)
#define SP_JT_TE_10(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_9(T, __VA_ARGS__)
#define SP_JT_TE_11(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_10(T, __VA_ARGS__)
#define SP_JT_TE_12(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_11(T, __VA_ARGS__)
#define SP_JT_TE_13(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_12(T, __VA_ARGS__)
#define SP_JT_TE_14(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_13(T, __VA_ARGS__)
#define SP_JT_TE_15(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_14(T, __VA_ARGS__)
#define SP_JT_TE_16(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_15(T, __VA_ARGS__)
#define SP_JT_TE_17(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_16(T, __VA_ARGS__)
#define SP_JT_TE_18(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_17(T, __VA_ARGS__)
#define SP_JT_TE_19(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_18(T, __VA_ARGS__)
#define SP_JT_TE_20(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_19(T, __VA_ARGS__)
#define SP_JT_TE_21(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_20(T, __VA_ARGS__)
#define SP_JT_TE_22(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_21(T, __VA_ARGS__)
#define SP_JT_TE_23(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_22(T, __VA_ARGS__)
#define SP_JT_TE_24(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_23(T, __VA_ARGS__)
#define SP_JT_TE_25(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_24(T, __VA_ARGS__)
#define SP_JT_TE_26(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_25(T, __VA_ARGS__)
#define SP_JT_TE_27(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_26(T, __VA_ARGS__)
#define SP_JT_TE_28(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_27(T, __VA_ARGS__)
#define SP_JT_TE_29(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_28(T, __VA_ARGS__)
#define SP_JT_TE_30(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_29(T, __VA_ARGS__)
#define SP_JT_TE_31(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_30(T, __VA_ARGS__)
#define SP_JT_TE_32(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_31(T, __VA_ARGS__)
#define SP_JT_TE_33(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_32(T, __VA_ARGS__)
#define SP_JT_TE_34(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_33(T, __VA_ARGS__)
#define SP_JT_TE_35(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_34(T, __VA_ARGS__)
#define SP_JT_TE_36(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_35(T, __VA_ARGS__)
#define SP_JT_TE_37(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_36(T, __VA_ARGS__)
#define SP_JT_TE_38(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_37(T, __VA_ARGS__)
#define SP_JT_TE_39(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_38(T, __VA_ARGS__)
#define SP_JT_TE_40(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_39(T, __VA_ARGS__)
#define SP_JT_TE_41(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_40(T, __VA_ARGS__)
#define SP_JT_TE_42(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_41(T, __VA_ARGS__)
#define SP_JT_TE_43(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_42(T, __VA_ARGS__)
#define SP_JT_TE_44(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_43(T, __VA_ARGS__)
#define SP_JT_TE_45(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_44(T, __VA_ARGS__)
#define SP_JT_TE_46(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_45(T, __VA_ARGS__)
#define SP_JT_TE_47(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_46(T, __VA_ARGS__)
#define SP_JT_TE_48(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_47(T, __VA_ARGS__)
#define SP_JT_TE_49(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_48(T, __VA_ARGS__)
#define SP_JT_TE_50(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_49(T, __VA_ARGS__)
#define SP_JT_TE_51(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_50(T, __VA_ARGS__)
#define SP_JT_TE_52(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_51(T, __VA_ARGS__)
#define SP_JT_TE_53(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_52(T, __VA_ARGS__)
#define SP_JT_TE_54(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_53(T, __VA_ARGS__)
#define SP_JT_TE_55(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_54(T, __VA_ARGS__)
#define SP_JT_TE_56(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_55(T, __VA_ARGS__)
#define SP_JT_TE_57(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_56(T, __VA_ARGS__)
#define SP_JT_TE_58(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_57(T, __VA_ARGS__)
#define SP_JT_TE_59(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_58(T, __VA_ARGS__)
#define SP_JT_TE_60(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_59(T, __VA_ARGS__)
#define SP_JT_TE_61(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_60(T, __VA_ARGS__)
#define SP_JT_TE_62(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_61(T, __VA_ARGS__)
#define SP_JT_TE_63(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_62(T, __VA_ARGS__)
#define SP_JT_TE_64(T, x, ...) SP_JT_ENTRY_(T, x) SP_JT_TE_63(T, __VA_ARGS__)
/* the table entry of one member */
#define SP_JT_ENTRY_(T, tuple) SP_RT_AP1_(SP_JT_EN_, T, SP_RT_UNPAREN_ tuple)
#define SP_JT_EN_(T, K, R, N, ...)                                                                                     \
  {#N, SP_JT_ISNOTE_##K, (int32_t)(sizeof T##_##N##_Params_ / sizeof T##_##N##_Params_[0]) - 1, T##_##N##_Params_,     \
   T##_##N##_Adapter_},
#define SP_JT_ISNOTE_M false
#define SP_JT_ISNOTE_O true
/* one member: the prototype, the parameter table, the adapter */
#define SP_JT_MEMBER_(T, tuple) SP_RT_AP1_(SP_JT_FN_, T, SP_RT_UNPAREN_ tuple)
#define SP_JT_FN_(T, K, R, N, ...) SP_RT_AP2_(SP_JT_FN2_, T, K, N, SP_RT_K_##R, __VA_ARGS__)
#define SP_JT_FN2_(T, K, N, RK, RV, RC, ...)                                                                           \
  SP_RT_RT_##K##RK(RV, RC) T##_##N(void *self SP_RT_PARAMS_(SP_RT_PD_, __VA_ARGS__));                                  \
  static const ParameterInfo T##_##N##_Params_[] = {                                                                   \
      SP_RT_PARAMS_(SP_JT_PI_, __VA_ARGS__){NULL, VariantType_Empty, VariantType_Empty, NULL}};                        \
  static bool T##_##N##_Adapter_(void *self, const Variant *args_, Variant *result_, CancellationToken ct_)            \
  {                                                                                                                    \
    int32_t i_ = 0;                                                                                                    \
    (void)ct_;                                                                                                         \
    (void)args_;                                                                                                       \
    SP_RT_PARAMS_(SP_JT_LOCAL_, __VA_ARGS__)                                                                           \
    (void)i_;                                                                                                          \
    SP_JT_RES_##K##RK(RV, RC, T##_##N(self SP_RT_PARAMS_(SP_JT_ARG_, __VA_ARGS__))) if (Exception_get_Current())       \
    {                                                                                                                  \
      Variant_Clear(result_);                                                                                          \
      return false;                                                                                                    \
    }                                                                                                                  \
    return true;                                                                                                       \
  }
/* a parameter's ParameterInfo (none for the token) */
#define SP_JT_PI_(ty, name) SP_RT_AP3_(SP_JT_PI2_, name, SP_RT_K_##ty)
#define SP_JT_PI2_(name, K, V, C) SP_JT_PI_##K(name, V, C)
#define SP_JT_PI_S(name, V, C) {#name, VariantType_##V, VariantType_Empty, NULL},
#define SP_JT_PI_Z(name, V, C) {#name, VariantType_String, VariantType_Empty, NULL},
#define SP_JT_PI_A(name, V, C) {#name, VariantType_Array, VariantType_##V, NULL},
#define SP_JT_PI_T(name, V, C) {#name, VariantType_Object, VariantType_Empty, &V##_Type},
#define SP_JT_PI_X(name, V, C)
/* a parameter as a local of the adapter, from the converted argument */
#define SP_JT_LOCAL_(ty, name) SP_RT_AP3_(SP_JT_LOCAL2_, name, SP_RT_K_##ty)
#define SP_JT_LOCAL2_(name, K, V, C) SP_JT_LOCAL_##K(name, V, C)
#define SP_JT_LOCAL_S(name, V, C)                                                                                      \
  C name = args_[i_].value.as##V;                                                                                      \
  i_++;
#define SP_JT_LOCAL_Z(name, V, C)                                                                                      \
  const char *name = args_[i_].type == VariantType_String ? args_[i_].value.asString : NULL;                           \
  i_++;
#define SP_JT_LOCAL_A(name, V, C)                                                                                      \
  const C *name = args_[i_].type == VariantType_Array ? (const C *)args_[i_].value.asArray : NULL;                     \
  int32_t name##Length = args_[i_].type == VariantType_Array ? args_[i_].length : 0;                                   \
  i_++;
#define SP_JT_LOCAL_T(name, V, C)                                                                                      \
  V name;                                                                                                              \
  memset(&name, 0, sizeof name);                                                                                       \
  if (args_[i_].type == VariantType_Object && args_[i_].value.asObject)                                                \
    memcpy(&name, args_[i_].value.asObject, sizeof name);                                                              \
  i_++;
#define SP_JT_LOCAL_X(name, V, C) CancellationToken name = ct_;
/* the call's arguments */
#define SP_JT_ARG_(ty, name) SP_RT_AP3_(SP_JT_ARG2_, name, SP_RT_K_##ty)
#define SP_JT_ARG2_(name, K, V, C) SP_JT_ARG_##K(name)
#define SP_JT_ARG_S(name) , name
#define SP_JT_ARG_Z(name) , name
#define SP_JT_ARG_A(name) , name, name##Length
#define SP_JT_ARG_T(name) , name
#define SP_JT_ARG_X(name) , name
/* the result, given to sharpipc */
#define SP_JT_RES_MV(V, C, call) (void)(call);
#define SP_JT_RES_OV(V, C, call) (void)(call);
#define SP_JT_RES_MS(V, C, call)                                                                                       \
  C r_ = call;                                                                                                         \
  *result_ = Variant_From##V(r_);
#define SP_JT_RES_MZ(V, C, call)                                                                                       \
  char *r_ = call;                                                                                                     \
  *result_ = Variant_FromString(r_);
#define SP_JT_RES_MA(V, C, call)                                                                                       \
  C *r_ = call;                                                                                                        \
  *result_ = Variant_FromArray(VariantType_##V, r_, r_ ? Array_get_Length(r_) : 0);
#define SP_JT_RES_MT(V, C, call)                                                                                       \
  V r_ = call;                                                                                                         \
  *result_ = Variant_CopyObject(&V##_Type, &r_);

#define JsonRpc_Dispose(x) SP_DISPOSE_(x)

SHARPIPC_END_DECLS

#endif
