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

#define JsonRpc_Dispose(x) SP_DISPOSE_(x)

SHARPIPC_END_DECLS

#endif
