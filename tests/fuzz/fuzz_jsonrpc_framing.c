/* StreamJsonRpc's header-delimited framing (src/StreamJsonRpc/framing.c) and what the reader does
 * with each body (the depth check and string lift, Jansson, the conversion to a Variant) on
 * untrusted bytes: every message read must have the declared length, every failure must be an
 * exception, and no size from the input may be allocated before it arrived (libFuzzer's
 * -malloc_limit_mb catches that: the input can declare 16 MiB in a few bytes). */
#include <sharpipc.h>
#include <stdlib.h>
#include <string.h>

#include "StreamJsonRpc/framing.h"
#include "StreamJsonRpc/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INT32_MAX)
        return 0;
    MemoryStream *ms = MemoryStream_newFromBuffer((void *)data, 0, (int32_t)size, false, false);
    if (!ms)
        abort();
    sp_jrpc_reader r;
    sp_jrpc_reader_init(&r, (Stream *)ms, 1 << 20);
    for (int i = 0; i < 64; i++) {
        char *body = NULL;
        int32_t length = -1;
        int got = sp_jrpc_read_message(&r, &body, &length);
        if (got < 0 && !Exception_get_Current())
            abort();
        if (got <= 0)
            break;
        if (length <= 0 || length > (1 << 20) || body[length] != 0)
            abort();
        json_error_t error;
        bool too_deep;
        json_t *j = sp_jrpc_json_load(body, (size_t)length, JSON_DECODE_ANY | JSON_ALLOW_NUL, &too_deep, &error);
        if (j) {
            Variant v;
            if (sp_jrpc_from_json(j, NULL, &v))
                Variant_Clear(&v);
            json_decref(j);
        }
        free(body);
    }
    Exception_Clear();
    Dispose(ms);
    return 0;
}
