/* IPAddress and IPEndPoint parsing (hnet): any bytes either parse or are refused with
 * FormatException / false, never a crash; a parsed address's ToString parses back to an equal
 * address and formats to the same text (the round trip .NET's IPAddressParsing tests check). */
#include <sharpipc.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 512)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    IPAddress *a = IPAddress_Parse(s);
    if (a) {
        char *text = IPAddress_ToString(a);
        check(text != NULL);
        IPAddress *b = NULL;
        check(IPAddress_TryParse(text, &b));
        check(IPAddress_Equals(a, b));
        char *again = IPAddress_ToString(b);
        check(again && strcmp(text, again) == 0);
        String_Free(again);
        String_Free(text);
        Dispose(b);
        Dispose(a);
    } else {
        check(Exception_Is(Exception_get_Current(), ExceptionType_FormatException));
    }
    IPEndPoint *e = NULL;
    if (IPEndPoint_TryParse(s, &e)) {
        char *text = IPEndPoint_ToString(e);
        check(text != NULL);
        IPEndPoint *f = IPEndPoint_Parse(text);
        check(f && IPEndPoint_Equals(e, f));
        String_Free(text);
        Dispose(f);
        Dispose(e);
    }
    UnixDomainSocketEndPoint *u = UnixDomainSocketEndPoint_newWithLength(s, (int32_t)size);
    if (u) {
        char *text = UnixDomainSocketEndPoint_ToString(u);
        check(text != NULL);
        String_Free(text);
        Dispose(u);
    }
    free(s);
    return 0;
}
