/* Feeds arbitrary bytes to StreamReader: the first byte picks encoding, BOM detection and buffer
 * size, the second the mix of ReadLine / Read / Peek / ReadChars / ReadToEnd. Every decoded
 * string must be valid UTF-8 (checked), whatever the input. */
#include <sharpipc.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8(const char *s, int32_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    for (int32_t i = 0; i < n;) {
        int len = p[i] < 0x80             ? 1
                  : (p[i] & 0xE0) == 0xC0 ? 2
                  : (p[i] & 0xF0) == 0xE0 ? 3
                  : (p[i] & 0xF8) == 0xF0 ? 4
                                          : 0;
        if (len == 0 || i + len > n)
            abort();
        for (int k = 1; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                abort();
        i += len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const Encoding *encodings[] = {NULL,           Encoding_UTF8,  Encoding_Unicode, Encoding_BigEndianUnicode,
                                   Encoding_UTF32, Encoding_ASCII, Encoding_Latin1,  UTF8Encoding_new(false, true)};
    const Encoding *enc = encodings[data[0] & 7];
    bool detect = (data[0] & 8) != 0;
    int32_t buffer = 128 + (data[0] >> 4);
    uint8_t mode = data[1];
    uint8_t *copy = malloc(size - 2 ? size - 2 : 1);
    memcpy(copy, data + 2, size - 2);
    MemoryStream *ms = MemoryStream_new(copy, 0, (int32_t)(size - 2), false);
    StreamReader *r = StreamReader_new(ms, enc, detect, buffer, false);
    for (int step = 0; step < 64; step++) {
        int32_t n = 0;
        char *s = NULL;
        switch ((mode >> (step % 4 * 2)) & 3) {
        case 0: s = StreamReader_ReadLineWithLength(r, &n); break;
        case 1:
            StreamReader_Read(r);
            StreamReader_Peek(r);
            break;
        case 2: {
            char chunk[7];
            StreamReader_ReadChars(r, chunk, 0, (int32_t)sizeof chunk);
            break;
        }
        default:
            if (step > 32)
                s = StreamReader_ReadToEndWithLength(r, &n);
            break;
        }
        if (s) {
            check_utf8(s, n);
            String_Free(s);
        }
        if (StreamReader_get_EndOfStream(r))
            break;
    }
    Dispose(r);
    Dispose(ms);
    free(copy);
    return 0;
}
