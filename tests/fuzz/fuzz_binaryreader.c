/* Feeds arbitrary bytes to BinaryReader: the first byte picks an encoding, each next byte the
 * next Read* call, the rest is the stream. Any crash, leak, hang or huge allocation is a bug;
 * exceptions are expected. */
#include <sharpipc.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const Encoding *encodings[] = {NULL,           Encoding_UTF8,  Encoding_Unicode, Encoding_BigEndianUnicode,
                                   Encoding_UTF32, Encoding_ASCII, Encoding_Latin1};
    const Encoding *enc = encodings[data[0] % 7];
    size_t nops = 1 + data[1] % 32;
    if (size < 2 + nops)
        return 0;
    const uint8_t *ops = data + 2;
    const uint8_t *payload = ops + nops;
    size_t payload_size = size - 2 - nops;
    uint8_t *copy = malloc(payload_size ? payload_size : 1);
    memcpy(copy, payload, payload_size);
    MemoryStream *ms = MemoryStream_new(copy, 0, (int32_t)payload_size, false);
    BinaryReader *r = BinaryReader_new(ms, enc, false);
    for (size_t i = 0; i < nops; i++) {
        switch (ops[i] % 20) {
        case 0: BinaryReader_ReadBoolean(r); break;
        case 1: BinaryReader_ReadByte(r); break;
        case 2: BinaryReader_ReadInt16(r); break;
        case 3: BinaryReader_ReadInt32(r); break;
        case 4: BinaryReader_ReadInt64(r); break;
        case 5: BinaryReader_ReadDouble(r); break;
        case 6: BinaryReader_ReadDecimal(r); break;
        case 7: BinaryReader_ReadHalf(r); break;
        case 8: BinaryReader_ReadChar(r); break;
        case 9: String_Free(BinaryReader_ReadString(r)); break;
        case 10: BinaryReader_Read7BitEncodedInt(r); break;
        case 11: BinaryReader_Read7BitEncodedInt64(r); break;
        case 12: {
            int32_t n = 0;
            Array_Free(BinaryReader_ReadBytes(r, ops[i], &n));
            break;
        }
        case 13: {
            int32_t n = 0;
            Array_Free(BinaryReader_ReadChars(r, ops[i] / 8, &n));
            break;
        }
        case 14: BinaryReader_PeekChar(r); break;
        case 15: BinaryReader_Read(r); break;
        case 16: {
            int32_t n = 0;
            String_Free(BinaryReader_ReadStringWithLength(r, &n));
            break;
        }
        case 17: Stream_Seek(ms, ops[i] % 8, SeekOrigin_Begin); break;
        case 18: BinaryReader_ReadSingle(r); break;
        default: BinaryReader_ReadUInt64(r); break;
        }
    }
    Dispose(r);
    Dispose(ms);
    free(copy);
    return 0;
}
