#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sharpipc.h>

/* sharpipc's own: the library links and works (a BinaryWriter/BinaryReader round trip over a MemoryStream, its wire
   bytes, and EndOfStreamException past the end); the BinaryWriter/BinaryReader ports are in System.IO/test_binary.c */
static void binary_roundtrip(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    BinaryWriter *w = BinaryWriter_new(ms);
    assert_true(BinaryWriter_Write(w, "héllo"));
    assert_true(BinaryWriter_Write(w, (int32_t)42));
    int32_t n = 0;
    uint8_t *bytes = MemoryStream_ToArray(ms, &n);
    assert_int_equal(n, 11);
    assert_memory_equal(bytes, "\x06h\xc3\xa9llo\x2a\0\0\0", 11);
    Array_Free(bytes);
    Stream_set_Position(ms, 0);
    BinaryReader *r = BinaryReader_new(ms);
    char *s = BinaryReader_ReadString(r);
    assert_string_equal(s, "héllo");
    String_Free(s);
    assert_int_equal(BinaryReader_ReadInt32(r), 42);
    BinaryReader_ReadInt32(r);
    assert_true(Exception_Is(Exception_get_Current(), ExceptionType_EndOfStreamException));
    Dispose(r);
    Dispose(w);
    Dispose(ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(binary_roundtrip)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
