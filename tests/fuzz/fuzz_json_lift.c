/* The JSON text fast paths of src/StreamJsonRpc/jsontext.c against Jansson itself, on every input:
 *  - the lifted parse (long plain strings kept out of Jansson's way and put back) must give
 *    exactly json_loadb's result: the same acceptance, an equal value (strings byte for byte), the
 *    same object key order, the same error code;
 *  - the writer must write byte for byte what json_dumps(JSON_COMPACT | JSON_ENCODE_ANY) writes;
 *  - its UTF-8 check must accept exactly what json_stringn accepts.
 * The first input byte picks the lift threshold (1..64, so that short inputs lift too) and
 * whether JSON_DECODE_ANY is on; the rest is the text. Anything else aborts. */
#include <sharpipc.h>
#include <stdlib.h>
#include <string.h>

#include "StreamJsonRpc/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* json_equal, and the key order too (json_equal ignores it; the writer keeps it). */
static bool same(const json_t *a, const json_t *b)
{
    if (!json_equal((json_t *)a, (json_t *)b))
        return false;
    if (json_is_array(a)) {
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same(json_array_get(a, i), json_array_get(b, i)))
                return false;
    } else if (json_is_object(a)) {
        void *x = json_object_iter((json_t *)a), *y = json_object_iter((json_t *)b);
        for (; x && y; x = json_object_iter_next((json_t *)a, x), y = json_object_iter_next((json_t *)b, y)) {
            if (json_object_iter_key_len(x) != json_object_iter_key_len(y) ||
                memcmp(json_object_iter_key(x), json_object_iter_key(y), json_object_iter_key_len(x)) != 0 ||
                !same(json_object_iter_value(x), json_object_iter_value(y)))
                return false;
        }
        if (x || y)
            return false;
    }
    return true;
}

static void check_writer(const json_t *j)
{
    char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!want)
        abort();
    sp_buf out = {0};
    if (!sp_jrpc_out_begin(&out) || !sp_jrpc_out_json(&out, j))
        abort();
    size_t n = out.length - SP_JRPC_HEADER_RESERVE;
    if (n != strlen(want) || memcmp(out.data + SP_JRPC_HEADER_RESERVE, want, n) != 0)
        abort();
    sp_buf_free(&out);
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t min_lift = (size_t)(data[0] & 63) + 1;
    size_t flags = JSON_ALLOW_NUL | ((data[0] & 64) ? JSON_DECODE_ANY : 0);
    const char *text = (const char *)data + 1;
    size_t length = size - 1;

    json_t *s = json_stringn(text, length);
    if ((s != NULL) != sp_jrpc_utf8_valid(text, length))
        abort();
    json_decref(s);

    bool too_deep = false;
    json_error_t e1, e2;
    json_t *lifted = sp_jrpc_json_load_ex(text, length, flags, min_lift, &too_deep, &e1);
    if (too_deep) {
        if (lifted || sp_jrpc_json_depth(text, length, SP_JRPC_MAX_DEPTH) <= SP_JRPC_MAX_DEPTH)
            abort();
        return 0;
    }
    json_t *plain = json_loadb(text, length, flags, &e2);
    if ((lifted != NULL) != (plain != NULL))
        abort();
    if (plain) {
        if (!same(lifted, plain))
            abort();
        check_writer(plain);
    } else if (json_error_code(&e1) != json_error_code(&e2)) {
        abort();
    }
    json_decref(lifted);
    json_decref(plain);
    Exception_Clear();
    return 0;
}
