/* Decimal from every angle the input can reach: raw bits (any scale and flags, valid or not),
 * text (Decimal_TryParse), and the binary form (BinaryWriter/BinaryReader, the accessor). For a
 * valid value, ToString -> Parse -> ToString is the identity and the binary round trips are
 * exact; an invalid value is refused everywhere with an exception, never printed or trusted. */
#include <sharpipc.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        abort();
}

static uint32_t u32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void round_trips(Decimal d)
{
    char *text = Decimal_ToString(d);
    check(text != NULL);
    Decimal back;
    check(Decimal_TryParse(text, &back));
    check(Decimal_Equals(d, back));
    char *again = Decimal_ToString(back);
    check(again && strcmp(text, again) == 0);
    String_Free(again);
    String_Free(text);

    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    check(BinaryWriter_WriteDecimal(w, d));
    Stream_set_Position(ms, 0);
    BinaryReader *r = BinaryReader_new(ms);
    Decimal read = BinaryReader_ReadDecimal(r);
    check(Exception_get_Current() == NULL && memcmp(&read, &d, sizeof d) == 0);
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 16) {
        /* raw bits, as BinaryReader.ReadDecimal would see them: lo, mid, hi, flags */
        uint8_t bytes[16];
        memcpy(bytes, data, 16);
        MemoryStream *ms = MemoryStream_new(bytes, 0, 16, false);
        BinaryReader *r = BinaryReader_new(ms);
        Decimal d = BinaryReader_ReadDecimal(r);
        bool valid = Exception_get_Current() == NULL;
        uint32_t flags = u32(data + 12);
        bool flags_valid = (flags & 0x7F00FFFFu) == 0 && ((flags >> 16) & 0xFF) <= 28;
        check(valid == flags_valid);
        Dispose(r);
        Dispose(ms);
        if (valid) {
            check(Decimal_IsValid(d));
            round_trips(d);
        }
        /* the constructor: scale > 28 is ArgumentOutOfRangeException, and the value is not used */
        uint8_t scale = data[14];
        Decimal c =
            Decimal_new((int32_t)u32(data), (int32_t)u32(data + 4), (int32_t)u32(data + 8), data[15] & 1, scale);
        if (Exception_get_Current() == NULL) {
            check(scale <= 28 && Decimal_IsValid(c));
            round_trips(c);
        } else {
            check(scale > 28);
            char *t = Decimal_ToString(c); /* whatever came back is never printed if invalid */
            check(t == NULL || Decimal_IsValid(c));
            String_Free(t);
        }
    }
    /* text */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    Decimal p;
    if (Decimal_TryParse(text, &p)) {
        check(Decimal_IsValid(p));
        round_trips(p);
    }
    free(text);
    return 0;
}
