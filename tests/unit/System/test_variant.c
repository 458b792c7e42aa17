/*
 * The RPC value layer (RPC-API.md 2): DateTime, Variant and its conversions, arrays that know their
 * length, String_Concat/Copy and [Serializable] layouts. Conversions port the tables of
 * dotnet/runtime src/libraries/System.Runtime/tests/System.Runtime.Extensions.Tests/System/
 * Convert.To*.cs (FromObject rows: Convert.ToX(object)); DateTime rows port
 * src/libraries/System.Runtime/tests/System.Runtime.Tests/System/DateTimeTests.cs.
 */
#include "sp_test.h"

#include "core/internal.h"

#include <float.h>
#include <math.h>

/* ---------------------------------------------------------------- DateTime */

/* DateTimeTests.cs: Ctor_Long_DateTimeKind, Ctor_InvalidTicks_ThrowsArgumentOutOfRangeException,
 * Ctor_InvalidDateTimeKind_ThrowsArgumentException */
static void DateTimeTests_Ctor_Long_DateTimeKind(void **state)
{
    (void)state;
    DateTime d = DateTime_new(999999999999999999, DateTimeKind_Utc);
    EXPECT_NO_EXC();
    ASSERT_I64(DateTime_get_Ticks(d), 999999999999999999);
    ASSERT_I64(DateTime_get_Kind(d), DateTimeKind_Utc);
    /* .NET's own layout: Kind in bits 62-63 */
    ASSERT_U64(d.dateData, 999999999999999999ull | (1ull << 62));
    d = DateTime_new(DateTime_MaxTicks, DateTimeKind_Local);
    ASSERT_I64(DateTime_get_Ticks(d), 3155378975999999999);
    ASSERT_I64(DateTime_get_Kind(d), DateTimeKind_Local);

    d = DateTime_new(-1, DateTimeKind_Utc);
    EXPECT_EXC_MSG(ArgumentOutOfRangeException,
                   "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks. (Parameter 'ticks')");
    ASSERT_U64(d.dateData, 0);
    DateTime_new(DateTime_MaxTicks + 1, DateTimeKind_Utc);
    EXPECT_EXC(ArgumentOutOfRangeException);
    DateTime_new(0, (DateTimeKind)3);
    EXPECT_EXC_MSG(ArgumentException, "Invalid DateTimeKind value. (Parameter 'kind')");
}

/* sharpipc's own: the ISO 8601 and TimeSpan texts the JSON side exchanges */
static void Variant_DateTimeAndTimeSpanText(void **state)
{
    (void)state;
    /* new DateTime(2024, 2, 28, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234567).Ticks */
    const int64_t ticks = 638447615991234567;
    DateTime d = Variant_ToDateTime(Variant_FromString("2024-02-28T23:59:59.1234567Z"));
    EXPECT_NO_EXC();
    ASSERT_I64(DateTime_get_Ticks(d), ticks);
    ASSERT_I64(DateTime_get_Kind(d), DateTimeKind_Utc);
    char text[64];
    sp_datetime_format_iso(d, text, sizeof text, false);
    assert_string_equal(text, "2024-02-28T23:59:59.1234567Z");
    d = Variant_ToDateTime(Variant_FromString("2024-02-28T23:59:59"));
    ASSERT_I64(DateTime_get_Ticks(d), ticks - 1234567);
    ASSERT_I64(DateTime_get_Kind(d), DateTimeKind_Unspecified);
    sp_datetime_format_iso(d, text, sizeof text, true);
    assert_string_equal(text, "2024-02-28T23:59:59");
    d = Variant_ToDateTime(Variant_FromString("2024-02-29T01:59:59.1234567+02:00"));
    ASSERT_I64(DateTime_get_Ticks(d), ticks);
    sp_datetime_format_iso(DateTime_new(0, DateTimeKind_Unspecified), text, sizeof text, false);
    assert_string_equal(text, "0001-01-01T00:00:00.0000000");
    sp_datetime_format_iso(DateTime_new(DateTime_MaxTicks, DateTimeKind_Utc), text, sizeof text, false);
    assert_string_equal(text, "9999-12-31T23:59:59.9999999Z");
    const char *bad[] = {"2023-02-29T00:00:00", "2024-13-01", "x", "2024-02-28T24:00:00", "2024-02-28T23:59:59.Z", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = Variant_ToDateTime(Variant_FromString(bad[i]));
        EXPECT_EXC_AT(FormatException, bad[i]);
        ASSERT_U64(d.dateData, 0);
    }
    EXPECT_EXC_MSG(FormatException, "String '' was not recognized as a valid DateTime.");

    struct {
        int64_t ticks;
        const char *text;
    } spans[] = {{0, "00:00:00"},
                 {37835000000, "01:03:03.5000000"},
                 {(2 * 3600 + 4 * 60 + 7) * 10000000ll, "02:04:07"},
                 {-(864000000000ll + 1), "-1.00:00:00.0000001"},
                 {INT64_MAX, "10675199.02:48:05.4775807"},
                 {INT64_MIN, "-10675199.02:48:05.4775808"}};
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
        sp_timespan_format(TimeSpan_FromTicks(spans[i].ticks), text, sizeof text);
        assert_string_equal(text, spans[i].text);
        if (spans[i].ticks != INT64_MIN) {
            TimeSpan t = Variant_ToTimeSpan(Variant_FromString(spans[i].text));
            EXPECT_NO_EXC_AT(spans[i].text);
            ASSERT_I64(t.ticks, spans[i].ticks);
        }
    }
    ASSERT_I64(Variant_ToTimeSpan(Variant_FromString("5")).ticks, 5 * 864000000000ll);
    ASSERT_I64(Variant_ToTimeSpan(Variant_FromString("1:02")).ticks, 3720 * 10000000ll);
    Variant_ToTimeSpan(Variant_FromString("25:00:00"));
    EXPECT_EXC_MSG(FormatException, "String '25:00:00' was not recognized as a valid TimeSpan.");
}

/* ---------------------------------------------------------------- conversions */

/* Convert.ToInt32.cs (FromObject), Convert.ToInt64.cs, Convert.ToByte.cs, Convert.ToUInt64.cs: the
 * values of every integer kind in and out of range */
static void ConvertToInt32Tests_FromObject(void **state)
{
    (void)state;
    ASSERT_I64(Variant_ToInt32(Variant_FromBoolean(true)), 1);
    ASSERT_I64(Variant_ToInt32(Variant_FromChar('A')), 65);
    ASSERT_I64(Variant_ToInt32(Variant_FromSByte(-128)), -128);
    ASSERT_I64(Variant_ToInt32(Variant_FromUInt32(2147483647u)), INT32_MAX);
    ASSERT_I64(Variant_ToInt32(Variant_FromInt64(INT32_MIN)), INT32_MIN);
    ASSERT_I64(Variant_ToInt32(Variant_FromDouble(-100.0)), -100);
    ASSERT_I64(Variant_ToInt32(Variant_FromDecimal(Decimal_new(12300, 0, 0, true, 2))), -123);
    ASSERT_I64(Variant_ToInt32(Variant_Null()), 0); /* Convert.ToInt32((object)null) */
    EXPECT_NO_EXC();

    Variant over[] = {Variant_FromUInt32(2147483648u),  Variant_FromInt64(INT64_MIN),
                      Variant_FromDouble(2147483648.0), Variant_FromUInt64(UINT64_MAX),
                      Variant_FromDouble(INFINITY),     Variant_FromDecimal(Decimal_MaxValue)};
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        ASSERT_I64(Variant_ToInt32(over[i]), 0);
        EXPECT_EXC_MSG(OverflowException, "Value was either too large or too small for an Int32.");
    }
    Variant wrong[] = {Variant_FromString("1"), Variant_FromDateTime(DateTime_new(1, DateTimeKind_Utc)),
                       Variant_FromDouble(1.5), Variant_FromDouble(NAN),
                       Variant_FromDecimal(Decimal_new(15, 0, 0, false, 1))};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        ASSERT_I64(Variant_ToInt32(wrong[i]), 0);
        EXPECT_EXC(InvalidCastException);
    }
    Variant_ToInt32(Variant_FromDateTime(DateTime_new(1, DateTimeKind_Utc)));
    EXPECT_EXC_MSG(InvalidCastException, "Invalid cast from 'DateTime' to 'Int32'.");
    Variant empty;
    memset(&empty, 0, sizeof empty);
    Variant_ToInt32(empty);
    EXPECT_EXC_MSG(InvalidCastException, "Specified cast is not valid.");

    ASSERT_I64(Variant_ToInt64(Variant_FromUInt64(9223372036854775807ull)), INT64_MAX);
    Variant_ToInt64(Variant_FromUInt64(9223372036854775808ull));
    EXPECT_EXC_MSG(OverflowException, "Value was either too large or too small for an Int64.");
    ASSERT_U64(Variant_ToUInt64(Variant_FromUInt64(UINT64_MAX)), UINT64_MAX);
    ASSERT_U64(Variant_ToUInt64(Variant_FromDouble(18446744073709549568.0)), 18446744073709549568ull);
    Variant_ToUInt64(Variant_FromInt32(-1));
    EXPECT_EXC_MSG(OverflowException, "Value was either too large or too small for a UInt64.");
    ASSERT_I64(Variant_ToByte(Variant_FromInt32(255)), 255);
    Variant_ToByte(Variant_FromInt32(256));
    EXPECT_EXC_MSG(OverflowException, "Value was either too large or too small for an unsigned byte.");
    Variant_ToSByte(Variant_FromInt32(-129));
    EXPECT_EXC_MSG(OverflowException, "Value was either too large or too small for a signed byte.");
    ASSERT_I64(Variant_ToInt16(Variant_FromInt32(-32768)), -32768);
    Variant_ToUInt16(Variant_FromInt32(65536));
    EXPECT_EXC_MSG(OverflowException, "Value was either too large or too small for a UInt16.");
    ASSERT_I64(Variant_ToUInt32(Variant_FromDouble(-0.0)), 0);
    EXPECT_NO_EXC();
    /* Convert.ToChar(bool) and (double) are invalid casts */
    Variant_ToChar(Variant_FromBoolean(true));
    EXPECT_EXC_MSG(InvalidCastException, "Invalid cast from 'Boolean' to 'Char'.");
    ASSERT_I64(Variant_ToChar(Variant_FromInt32(0x263A)), 0x263A);
    Variant_ToChar(Variant_FromInt32(-1));
    EXPECT_EXC_MSG(OverflowException, "Value was either too large or too small for a character.");
}

/* Convert.ToBoolean.cs, Convert.ToDouble.cs, Convert.ToDecimal.cs (FromObject) */
static void ConvertToDoubleTests_FromObject(void **state)
{
    (void)state;
    assert_true(Variant_ToBoolean(Variant_FromInt32(-5)));
    assert_false(Variant_ToBoolean(Variant_FromDouble(0.0)));
    assert_true(Variant_ToBoolean(Variant_FromDecimal(Decimal_One)));
    EXPECT_NO_EXC();
    Variant_ToBoolean(Variant_FromChar('a'));
    EXPECT_EXC_MSG(InvalidCastException, "Invalid cast from 'Char' to 'Boolean'.");
    Variant_ToBoolean(Variant_FromString("true"));
    EXPECT_EXC(InvalidCastException);

    assert_true(Variant_ToDouble(Variant_FromInt64(-9007199254740993ll)) == -9007199254740992.0);
    assert_true(Variant_ToDouble(Variant_FromSingle(1.5f)) == 1.5);
    assert_true(Variant_ToDouble(Variant_FromDecimal(Decimal_new(6375, 0, 0, true, 3))) == -6.375);
    assert_true(Variant_ToDouble(Variant_FromBoolean(true)) == 1.0);
    assert_true(Variant_ToSingle(Variant_FromDouble(DBL_MAX)) == INFINITY);
    EXPECT_NO_EXC();
    Variant_ToDouble(Variant_FromChar('a'));
    EXPECT_EXC_MSG(InvalidCastException, "Invalid cast from 'Char' to 'Double'.");

    Decimal m = Variant_ToDecimal(Variant_FromInt64(INT64_MIN));
    EXPECT_NO_EXC();
    char *s = Decimal_ToString(m);
    assert_string_equal(s, "-9223372036854775808");
    String_Free(s);
    m = Variant_ToDecimal(Variant_FromUInt64(UINT64_MAX));
    s = Decimal_ToString(m);
    assert_string_equal(s, "18446744073709551615");
    String_Free(s);
    Variant_ToDecimal(Variant_FromDouble(1e30));
    EXPECT_EXC_MSG(OverflowException, "Value was either too large or too small for a Decimal.");
    Variant_ToDecimal(Variant_FromDateTime(DateTime_new(0, DateTimeKind_Utc)));
    EXPECT_EXC_MSG(InvalidCastException, "Invalid cast from 'DateTime' to 'Decimal'.");
}

/* sharpipc's own: strings, Null and Empty */
static void Variant_Strings(void **state)
{
    (void)state;
    Variant v = Variant_FromString("h\xC3\xA9");
    ASSERT_I64(v.type, VariantType_String);
    ASSERT_I64(v.length, 3);
    assert_string_equal(Variant_GetString(v), "h\xC3\xA9");
    v = Variant_FromStringWithLength("a\0b", 3);
    ASSERT_I64(v.length, 3);
    assert_memory_equal(Variant_GetString(v), "a\0b", 3);
    ASSERT_I64(Variant_FromString(NULL).type, VariantType_Null);
    assert_null(Variant_GetString(Variant_Null()));
    EXPECT_NO_EXC();
    assert_null(Variant_GetString(Variant_FromInt32(1)));
    EXPECT_EXC_MSG(InvalidCastException, "Invalid cast from 'Int32' to 'String'.");
    ASSERT_I64(Variant_FromArray(VariantType_Int32, NULL, 0).type, VariantType_Null);
    ASSERT_I64(Variant_FromObject(NULL, NULL).type, VariantType_Null);
    v = Variant_FromJson("{\"a\":1}");
    ASSERT_I64(v.type, VariantType_Json);
    assert_string_equal(Variant_GetString(v), "{\"a\":1}");

    char *c = String_Concat("ab", NULL);
    assert_string_equal(c, "ab");
    String_Free(c);
    c = String_Concat(NULL, NULL);
    assert_string_equal(c, "");
    String_Free(c);
    c = String_Copy("lit");
    assert_string_equal(c, "lit");
    /* a result Variant owns it: Variant_Clear frees it and leaves Empty */
    v = Variant_FromString(c);
    Variant_Clear(&v);
    ASSERT_I64(v.type, VariantType_Empty);
    assert_null(String_Copy(NULL));
    EXPECT_NO_EXC();
    Variant_Clear(NULL);
}

/* ---------------------------------------------------------------- arrays */

/* sharpipc's own (Array.CreateInstance, Array.Length): every array sharpipc hands out knows its
 * length and element type */
static void Array_CreateInstance_Length(void **state)
{
    (void)state;
    int32_t *a = Array_CreateInstance(VariantType_Int32, 5);
    EXPECT_NO_EXC();
    assert_non_null(a);
    ASSERT_I64(Array_get_Length(a), 5);
    ASSERT_I64(Array_get_ElementType(a), VariantType_Int32);
    for (int i = 0; i < 5; i++)
        ASSERT_I64(a[i], 0);
    Array_Free(a);
    double *e = Array_CreateInstance(VariantType_Double, 0);
    assert_non_null(e); /* an empty array is not a null one */
    ASSERT_I64(Array_get_Length(e), 0);
    Array_Free(e);
    /* a String array frees its strings */
    char **s = Array_CreateInstance(VariantType_String, 2);
    s[0] = String_Copy("one");
    s[1] = String_Concat("t", "wo");
    Variant v = Variant_FromArray(VariantType_String, s, 2);
    Variant_Clear(&v);
    Array_Free(NULL);

    assert_null(Array_CreateInstance(VariantType_Int32, -1));
    EXPECT_EXC(ArgumentOutOfRangeException);
    assert_null(Array_CreateInstance(VariantType_Empty, 1));
    EXPECT_EXC_MSG(ArgumentException, "Type must be a type provided by the runtime. (Parameter 'elementType')");
    ASSERT_I64(Array_get_Length(NULL), -1);
    EXPECT_EXC(ArgumentNullException);

    /* the arrays the stream classes hand out are such arrays too */
    MemoryStream *ms = MemoryStream_new();
    uint8_t bytes[] = {1, 2, 3};
    Stream_Write(ms, bytes, 0, 3);
    int32_t n = 0;
    uint8_t *copy = MemoryStream_ToArray(ms, &n);
    ASSERT_I64(Array_get_Length(copy), 3);
    ASSERT_I64(Array_get_ElementType(copy), VariantType_Byte);
    Array_Free(copy);
    Stream_set_Position(ms, 0);
    BinaryReader *r = BinaryReader_new(ms, NULL, true);
    uint8_t *read = BinaryReader_ReadBytes(r, 1000, &n);
    ASSERT_I64(n, 3);
    ASSERT_I64(Array_get_Length(read), 3);
    Array_Free(read);
    Stream_set_Position(ms, 0);
    uint16_t *chars = BinaryReader_ReadChars(r, 1000, &n);
    ASSERT_I64(Array_get_Length(chars), n);
    ASSERT_I64(Array_get_ElementType(chars), VariantType_Char);
    Array_Free(chars);
    Dispose(r);
    Dispose(ms);
}

/* ---------------------------------------------------------------- [Serializable] */

typedef struct Point {
    int32_t X;
    int32_t Y;
} Point;
SHARPIPC_SERIALIZABLE(Point, "Point, MyAssembly", (Int32, X), (Int32, Y))

typedef struct Person {
    char *Name;
    double Height;
    bool Active;
} Person;
SHARPIPC_SERIALIZABLE(Person, "Ns.Person, Lib", (String, Name), (Double, Height), (Boolean, Active))

/* sharpipc's own: the layout SHARPIPC_SERIALIZABLE writes, and a given copy */
static void Serializable_Layout(void **state)
{
    (void)state;
    assert_string_equal(Point_Type.name, "Point, MyAssembly");
    ASSERT_I64(Point_Type.size, sizeof(Point));
    ASSERT_I64(Point_Type.fieldCount, 2);
    assert_string_equal(Point_Type.fields[1].name, "Y");
    ASSERT_I64(Point_Type.fields[1].type, VariantType_Int32);
    ASSERT_I64(Point_Type.fields[1].offset, offsetof(Point, Y));
    ASSERT_I64(Person_Type.fieldCount, 3);
    ASSERT_I64(Person_Type.fields[0].type, VariantType_String);
    ASSERT_I64(Person_Type.fields[2].offset, offsetof(Person, Active));

    char name[] = "Ada";
    Person p = {name, 1.7, true};
    Variant v = Variant_CopyObject(&Person_Type, &p);
    EXPECT_NO_EXC();
    ASSERT_I64(v.type, VariantType_Object);
    assert_ptr_equal(v.objectType, &Person_Type);
    Person *q = v.value.asObject;
    assert_ptr_not_equal(q->Name, name);
    assert_string_equal(q->Name, "Ada");
    assert_true(q->Height == 1.7 && q->Active);
    Variant_Clear(&v); /* frees the copy and its string */
    ASSERT_I64(Variant_CopyObject(&Person_Type, NULL).type, VariantType_Null);
    Point pt = {1, 2};
    v = Variant_FromObject(&Point_Type, &pt);
    ASSERT_I64(v.type, VariantType_Object);
    assert_ptr_equal(v.value.asObject, &pt);
}

/* sharpipc's own: the new exception types sit where RPC-API.md 7 puts them */
static void Exception_RpcTypes(void **state)
{
    (void)state;
    sp_throw(ExceptionType_RemoteMethodNotFoundException, NULL, NULL);
    const Exception *e = Exception_get_Current();
    assert_true(Exception_Is(e, ExceptionType_RemoteRpcException));
    assert_false(Exception_Is(e, ExceptionType_SystemException));
    assert_string_equal(Exception_get_TypeName(e), "StreamJsonRpc.RemoteMethodNotFoundException");
    assert_string_equal(Exception_get_Message(e),
                        "Exception of type 'StreamJsonRpc.RemoteMethodNotFoundException' was thrown.");
    sp_throw(ExceptionType_ConnectionLostException, NULL, NULL);
    assert_string_equal(Exception_get_Message(Exception_get_Current()),
                        "The JSON-RPC connection with the remote party was lost before the request could complete.");
    sp_throw(ExceptionType_SerializationException, NULL, NULL);
    assert_true(Exception_Is(Exception_get_Current(), ExceptionType_SystemException));
    ASSERT_I64(Exception_get_HResult(Exception_get_Current()), (int32_t)0x8013150C);
    sp_throw(ExceptionType_InvalidCastException, NULL, NULL);
    ASSERT_I64(Exception_get_HResult(Exception_get_Current()), (int32_t)0x80004002);
    assert_string_equal(Exception_get_TypeName(Exception_get_Current()), "System.InvalidCastException");
    assert_null(Exception_get_StackTrace(Exception_get_Current()));
    Exception_Clear();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(DateTimeTests_Ctor_Long_DateTimeKind),
        cmocka_unit_test(Variant_DateTimeAndTimeSpanText),
        cmocka_unit_test(ConvertToInt32Tests_FromObject),
        cmocka_unit_test(ConvertToDoubleTests_FromObject),
        cmocka_unit_test(Variant_Strings),
        cmocka_unit_test(Array_CreateInstance_Length),
        cmocka_unit_test(Serializable_Layout),
        cmocka_unit_test(Exception_RpcTypes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
