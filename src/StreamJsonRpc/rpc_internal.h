/* What the StreamJsonRpc files share: StreamJsonRpc's error codes (JsonRpcErrorCode.cs) and the
 * RemoteRpcException / LocalRpcException data that rides with the thread's pending exception. */
#ifndef SHARPIPC_JSONRPC_INTERNAL_H
#define SHARPIPC_JSONRPC_INTERNAL_H

#include "core/internal.h"

#include <jansson.h>

#define JSONRPC_PARSE_ERROR (-32700)
#define JSONRPC_INVALID_REQUEST (-32600)
#define JSONRPC_METHOD_NOT_FOUND (-32601)
#define JSONRPC_INVALID_PARAMS (-32602)
#define JSONRPC_INTERNAL_ERROR (-32603)
#define JSONRPC_INVOCATION_ERROR (-32000)
#define JSONRPC_NO_MARSHALED_OBJECT_FOUND (-32001)
#define JSONRPC_RESPONSE_SERIALIZATION_FAILURE (-32003)
#define JSONRPC_INVOCATION_ERROR_WITH_EXCEPTION (-32004)
#define JSONRPC_REQUEST_CANCELED (-32800)

/* Raises type (a RemoteRpcException) with message, and keeps code and data (may be NULL) for
 * RemoteRpcException_get_*. */
void sp_jrpc_throw_remote(ExceptionType type, const char *message, int32_t code, const json_t *data);
/* Is the pending exception a LocalRpcException_Throw? Then its code and data (JSON text or NULL). */
bool sp_jrpc_local_exception(int32_t *code, const char **data);

#endif
