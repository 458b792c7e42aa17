/*
 * The data of StreamJsonRpc's exceptions (RemoteRpcException.ErrorCode/ErrorData/
 * DeserializedErrorData, LocalRpcException.ErrorCode/ErrorData): the pending exception itself has
 * fixed fields (core/exception.c), so this rides beside it in thread-local storage, set whenever
 * this module raises one of those types. Only this module raises them, so the data belongs to the
 * pending exception exactly when that exception is of one of those types.
 */
#include "StreamJsonRpc/rpc_internal.h"

#include <stdio.h>

#define MAX_DEPTH 4 /* CommonErrorData.Inner levels kept */

/* Fixed buffers, as the pending exception's own: raising never allocates, and a thread that ends
 * leaves nothing behind. Longer texts are cut (at a UTF-8 boundary is not guaranteed: data only). */
struct CommonErrorData {
    char type_name[256];
    char message[1024];
    char stack[2048];
    bool has_type, has_message, has_stack;
    int32_t hresult;
    struct CommonErrorData *inner;
};

static _Thread_local struct {
    bool remote; /* a RemoteRpcException's data */
    bool local;  /* a LocalRpcException's */
    int32_t code;
    bool has_data;
    char data[8192]; /* JSON text; NULL through the getter when it did not fit */
    bool has_common;
    CommonErrorData common[MAX_DEPTH];
} tls;

static void reset(void)
{
    tls.remote = tls.local = tls.has_data = tls.has_common = false;
    tls.code = 0;
    for (int i = 0; i < MAX_DEPTH; i++) {
        tls.common[i].has_type = tls.common[i].has_message = tls.common[i].has_stack = false;
        tls.common[i].inner = NULL;
        tls.common[i].hresult = 0;
    }
}

static bool copy_string(const json_t *j, char *buffer, size_t size)
{
    if (!json_is_string(j))
        return false;
    snprintf(buffer, size, "%s", json_string_value(j));
    sp_utf8_trim_cut(buffer);
    return true;
}

static void set_data(const char *text)
{
    size_t n = text ? strlen(text) : 0;
    tls.has_data = text && n < sizeof tls.data;
    if (tls.has_data)
        memcpy(tls.data, text, n + 1);
}

/* CommonErrorData: {"type","message","stack","code","inner"}; needs at least type or message. */
static bool read_common(const json_t *data)
{
    int n = 0;
    for (const json_t *d = data; json_is_object(d) && n < MAX_DEPTH; d = json_object_get(d, "inner"), n++) {
        const json_t *type = json_object_get(d, "type"), *message = json_object_get(d, "message");
        if (!json_is_string(type) && !json_is_string(message))
            break;
        CommonErrorData *c = &tls.common[n];
        c->has_type = copy_string(type, c->type_name, sizeof c->type_name);
        c->has_message = copy_string(message, c->message, sizeof c->message);
        c->has_stack = copy_string(json_object_get(d, "stack"), c->stack, sizeof c->stack);
        const json_t *code = json_object_get(d, "code");
        c->hresult = json_is_integer(code) ? (int32_t)json_integer_value(code) : 0;
        if (n > 0)
            tls.common[n - 1].inner = c;
    }
    return n > 0;
}

void sp_jrpc_throw_remote(ExceptionType type, const char *message, int32_t code, const json_t *data)
{
    sp_throw(type, message, NULL);
    reset();
    tls.remote = true;
    tls.code = code;
    if (data) {
        char *text = json_dumps(data, JSON_COMPACT | JSON_ENCODE_ANY);
        set_data(text);
        free(text);
        tls.has_common = read_common(data);
    }
}

static bool is_remote(const Exception *e)
{
    return e && tls.remote && Exception_Is(e, ExceptionType_RemoteRpcException);
}

int32_t RemoteRpcException_get_ErrorCode(const Exception *e) { return is_remote(e) ? tls.code : 0; }

const char *RemoteRpcException_get_ErrorData(const Exception *e)
{
    return is_remote(e) && tls.has_data ? tls.data : NULL;
}

const CommonErrorData *RemoteRpcException_get_DeserializedErrorData(const Exception *e)
{
    return is_remote(e) && tls.has_common ? &tls.common[0] : NULL;
}

const char *CommonErrorData_get_TypeName(const CommonErrorData *d) { return d && d->has_type ? d->type_name : NULL; }
const char *CommonErrorData_get_Message(const CommonErrorData *d) { return d && d->has_message ? d->message : NULL; }
const char *CommonErrorData_get_StackTrace(const CommonErrorData *d) { return d && d->has_stack ? d->stack : NULL; }
int32_t CommonErrorData_get_HResult(const CommonErrorData *d) { return d ? d->hresult : 0; }
const CommonErrorData *CommonErrorData_get_Inner(const CommonErrorData *d) { return d ? d->inner : NULL; }

bool LocalRpcException_Throw(const char *message, int32_t errorCode, const char *errorDataJson)
{
    sp_throw(ExceptionType_LocalRpcException, message, NULL);
    reset();
    tls.local = true;
    tls.code = errorCode;
    set_data(errorDataJson);
    return false;
}

bool sp_jrpc_local_exception(int32_t *code, const char **data)
{
    const Exception *e = Exception_get_Current();
    if (!e || !tls.local || Exception_get_Type(e) != ExceptionType_LocalRpcException)
        return false;
    *code = tls.code;
    *data = tls.has_data ? tls.data : NULL;
    return true;
}

bool Exception_Throw(ExceptionType type, const char *message)
{
    sp_throw(type, message, NULL);
    return false;
}
