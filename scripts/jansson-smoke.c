/* Smoke test for the Jansson that `scripts/build-mingw-dep.sh jansson` builds for
 * x86_64-w64-mingw32: parse and write back the largest int64 (JSON-RPC ids and Int64 arguments
 * must stay exact); under wine it must print "jansson ok 9223372036854775807". */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    json_error_t error;
    json_t *v = json_loads("{\"id\":9223372036854775807}", 0, &error);
    if (!v)
        return 1;
    json_int_t id = json_integer_value(json_object_get(v, "id"));
    char *text = json_dumps(v, JSON_COMPACT);
    int ok = text && strcmp(text, "{\"id\":9223372036854775807}") == 0 && sizeof(json_int_t) == 8;
    printf("jansson %s %lld\n", ok ? "ok" : "BAD", (long long)id);
    free(text);
    json_decref(v);
    return ok ? 0 : 1;
}
