/* Writes and reads back a record with the installed library; exits 0 when the bytes are .NET's. */
#include <sharpipc.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *writer = BinaryWriter_new(ms);
    BinaryWriter_Write(writer, "héllo");
    int32_t n = 0;
    uint8_t *bytes = MemoryStream_ToArray(ms, &n);
    int ok = n == 7 && memcmp(bytes, "\x06h\xc3\xa9llo", 7) == 0;
    Array_Free(bytes);
    Dispose(writer);
    Dispose(ms);
    printf("sharpipc %s: %s\n", SHARPIPC_VERSION_STRING, ok ? "ok" : "WRONG BYTES");
    return ok ? 0 : 1;
}
