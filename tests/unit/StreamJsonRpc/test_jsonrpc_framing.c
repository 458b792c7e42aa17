/*
 * StreamJsonRpc's HeaderDelimitedMessageHandler framing (src/StreamJsonRpc/framing.c), against the
 * facts of notes/RPC.md section 5 and StreamJsonRpc's HeaderDelimitedMessageHandlerTests
 * (test/StreamJsonRpc.Tests/HeaderDelimitedMessageHandlerTests.cs: the reader wants CRLF, exact
 * header names, a Content-Length it can parse; the writer writes Content-Length only). The limits
 * (line, block, 16 MiB, growth with what arrives) are sharpipc's own. So are the JSON text paths
 * (src/StreamJsonRpc/jsontext.c), held here to Jansson's own results on fixed texts, as
 * tests/fuzz/fuzz_json_lift.c holds them on every input.
 */
#include "sp_test.h"

#include "StreamJsonRpc/framing.h"
#include "StreamJsonRpc/json.h"

/* A MemoryStream holding text (length n), read from the start. */
static MemoryStream *stream_of(const char *text, size_t n)
{
    MemoryStream *ms = MemoryStream_new();
    assert_non_null(ms);
    if (n)
        assert_true(Stream_Write(ms, (const uint8_t *)text, 0, (int32_t)n));
    assert_true(Stream_Seek(ms, 0, SeekOrigin_Begin) == 0);
    return ms;
}

/* Reads one message from text: the result of sp_jrpc_read_message, and the body. */
static int read_one(const char *text, size_t n, char **body, int32_t *length, int32_t max_body)
{
    MemoryStream *ms = stream_of(text, n);
    sp_jrpc_reader r;
    sp_jrpc_reader_init(&r, (Stream *)ms, max_body);
    int got = sp_jrpc_read_message(&r, body, length);
    /* keep the exception across the Dispose */
    ExceptionType t = got < 0 ? Exception_get_Type(Exception_get_Current()) : ExceptionType_None;
    char msg[1024] = "";
    if (got < 0)
        snprintf(msg, sizeof msg, "%s", Exception_get_Message(Exception_get_Current()));
    Dispose(ms);
    if (got < 0)
        sp_throw(t, msg, NULL);
    return got;
}

#define S(text) text, sizeof(text) - 1

/* HeaderDelimitedMessageHandlerTests: the writer's bytes for a message */
static void HeaderDelimited_WriteMessage_ContentLengthOnly(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    const char *body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Add\",\"params\":[2,3]}";
    assert_true(sp_jrpc_write_message((Stream *)ms, body, (int32_t)strlen(body)));
    int32_t n = 0;
    uint8_t *bytes = MemoryStream_ToArray(ms, &n);
    const char *want = "Content-Length: 54\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Add\",\"params\":[2,3]}";
    assert_int_equal(n, (int32_t)strlen(want));
    assert_memory_equal(bytes, want, strlen(want));
    Array_Free(bytes);
    Dispose(ms);
}

/* sharpipc's own: what the writer writes, the reader reads back, message after message */
static void HeaderDelimited_RoundTrip_SeveralMessages(void **state)
{
    (void)state;
    MemoryStream *ms = MemoryStream_new();
    const char *bodies[] = {"{}", "{\"a\":\"\xc3\xa9\"}", "[1,2,3]"};
    for (int i = 0; i < 3; i++)
        assert_true(sp_jrpc_write_message((Stream *)ms, bodies[i], (int32_t)strlen(bodies[i])));
    assert_true(Stream_Seek(ms, 0, SeekOrigin_Begin) == 0);
    sp_jrpc_reader r;
    sp_jrpc_reader_init(&r, (Stream *)ms, 0);
    for (int i = 0; i < 3; i++) {
        char *body = NULL;
        int32_t length = 0;
        assert_int_equal(sp_jrpc_read_message(&r, &body, &length), 1);
        assert_int_equal(length, (int32_t)strlen(bodies[i]));
        assert_string_equal(body, bodies[i]);
        free(body);
    }
    char *body = NULL;
    int32_t length = 0;
    assert_int_equal(sp_jrpc_read_message(&r, &body, &length), 0); /* a clean end between messages */
    assert_null(body);
    Dispose(ms);
}

/* The reader's rules: each input and what it gives ([Theory]-style table). */
typedef struct read_case {
    const char *name;
    const char *text;
    size_t length;
    int result;              /* 1 message, 0 clean end, -1 exception */
    ExceptionType exception; /* for -1 */
    const char *body;        /* for 1 */
} read_case;

#define CASE_OK(n, t, b)                                                                                               \
  {                                                                                                                    \
    n, S(t), 1, ExceptionType_None, b                                                                                  \
  }
#define CASE_ERR(n, t, e)                                                                                              \
  {                                                                                                                    \
    n, S(t), -1, ExceptionType_##e, NULL                                                                               \
  }

static const read_case read_cases[] = {
    CASE_OK("plain", "Content-Length: 2\r\n\r\n{}", "{}"),
    CASE_OK("value trimmed", "Content-Length:   2  \r\n\r\n{}", "{}"),
    CASE_OK("no space", "Content-Length:2\r\n\r\n{}", "{}"),
    CASE_OK("content type utf-8",
            "Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}", "{}"),
    CASE_OK("content type utf8 (legacy)",
            "Content-Type: application/jsonrpc; charset=utf8\r\nContent-Length: 2\r\n\r\n{}", "{}"),
    CASE_OK("unknown header ignored", "X-Other: yes\r\nContent-Length: 2\r\n\r\n{}", "{}"),
    CASE_OK("lower-case name is another header", "content-length: 9\r\nContent-Length: 2\r\n\r\n{}", "{}"),
    {"empty stream", "", 0, 0, ExceptionType_None, NULL},
    CASE_ERR("bare LF", "Content-Length: 2\n\n{}", BadRpcHeaderException),
    CASE_ERR("CR without LF", "Content-Length: 2\r\r\n{}", BadRpcHeaderException),
    CASE_ERR("no Content-Length", "Content-Type: application/jsonrpc; charset=utf-8\r\n\r\n{}", BadRpcHeaderException),
    CASE_ERR("only lower-case name", "content-length: 2\r\n\r\n{}", BadRpcHeaderException),
    CASE_ERR("length not a number", "Content-Length: two\r\n\r\n{}", BadRpcHeaderException),
    CASE_ERR("negative length", "Content-Length: -2\r\n\r\n{}", BadRpcHeaderException),
    CASE_ERR("zero length", "Content-Length: 0\r\n\r\n", BadRpcHeaderException),
    CASE_ERR("length over int32", "Content-Length: 2147483648\r\n\r\n{}", BadRpcHeaderException),
    CASE_ERR("length value over 20 chars", "Content-Length: 000000000000000000002\r\n\r\n{}", BadRpcHeaderException),
    CASE_ERR("int32 max declared", "Content-Length: 2147483647\r\n\r\n{}", BadRpcHeaderException),
    CASE_ERR("over 16 MiB declared", "Content-Length: 16777217\r\n\r\n{}", BadRpcHeaderException),
    CASE_ERR("charset utf-16", "Content-Length: 2\r\nContent-Type: application/jsonrpc; charset=utf-16\r\n\r\n{}",
             BadRpcHeaderException),
    CASE_ERR("line without colon", "Garbage\r\n\r\n{}", BadRpcHeaderException),
    CASE_ERR("end inside the header", "Content-Length: 2\r\n", EndOfStreamException),
    CASE_ERR("end inside a line", "Content-Len", EndOfStreamException),
    CASE_ERR("truncated body", "Content-Length: 10\r\n\r\n{}", EndOfStreamException),
    CASE_ERR("16 MiB declared, 2 bytes sent", "Content-Length: 16777216\r\n\r\n{}", EndOfStreamException),
};

static void HeaderDelimited_Read_Cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof read_cases / sizeof read_cases[0]; i++) {
        const read_case *c = &read_cases[i];
        char *body = NULL;
        int32_t length = -1;
        Exception_Clear();
        int got = read_one(c->text, c->length, &body, &length, 0);
        if (got != c->result)
            fail_msg("%s: result %d, expected %d (%s)", c->name, got, c->result,
                     got < 0 ? Exception_get_Message(Exception_get_Current()) : "");
        if (c->result < 0) {
            ExceptionType t = Exception_get_Type(Exception_get_Current());
            if (t != c->exception)
                fail_msg("%s: %s, expected %s", c->name, sp_exc_name(t), sp_exc_name(c->exception));
        }
        if (c->result == 1) {
            assert_string_equal(body, c->body);
            assert_int_equal(length, (int32_t)strlen(c->body));
        }
        free(body);
    }
}

/* sharpipc's own: a header line over 1 KiB and a header block over 64 KiB are refused */
static void HeaderDelimited_Read_HeaderLimits(void **state)
{
    (void)state;
    char *line = malloc(2100);
    memcpy(line, "X-Long: ", 8);
    memset(line + 8, 'a', 2000);
    memcpy(line + 2008, "\r\n\r\n", 5);
    char *body = NULL;
    int32_t length = 0;
    assert_int_equal(read_one(line, strlen(line), &body, &length, 0), -1);
    EXPECT_EXC_MSG(BadRpcHeaderException, "The size of the message header exceeds the maximum supported size.");
    free(line);

    size_t n = 100 * 1000;
    char *many = malloc(n + 64);
    size_t used = 0;
    while (used + 12 < n) {
        memcpy(many + used, "X-A: aaaaa\r\n", 12);
        used += 12;
    }
    memcpy(many + used, "\r\n", 3);
    assert_int_equal(read_one(many, used + 2, &body, &length, 0), -1);
    EXPECT_EXC(BadRpcHeaderException);
    free(many);
}

/* A reader of ms from its start. */
static void rewind_reader(MemoryStream *ms, sp_jrpc_reader *r)
{
    assert_true(Stream_Seek(ms, 0, SeekOrigin_Begin) == 0);
    sp_jrpc_reader_init(r, (Stream *)ms, 0);
}

/* The next message is want[0..n). */
static void expect_message(sp_jrpc_reader *r, const char *want, size_t n)
{
    char *body = NULL;
    int32_t length = 0;
    assert_int_equal(sp_jrpc_read_message(r, &body, &length), 1);
    assert_int_equal(length, (int32_t)n);
    assert_memory_equal(body, want, n);
    free(body);
}

/* sharpipc's own: the lifted parse gives json_loadb's result (acceptance, value, error code) */
static void JsonText_LiftedParse_IsJanssonsParse(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"Echo\",\"params\":[\"abcdefghijklmnopqrstuvwxyz\"]}",
        "{\"a\":\"first value\",\"a\":\"second value\"}",      /* a duplicate key: the last wins */
        "{\"a long key, never lifted\":\"and a long value\"}", /* keys stay */
        "[\"\\u0000123\",\"a long plain string\"]",            /* a \u0000 of its own: parsed as it came */
        "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 text\", \"with \\n an escape\"]",
        "[\"valid\", \"invalid \xed\xa0\x80 surrogate\"]", /* Jansson's error, not ours */
        "[\"valid\", \"a control \x01 character\"]",
        "{\"metho[\"abcded\":\"Echo\"}", /* a key not followed by ':' */
        "[\"unterminated string",
        "\"a top-level string\"",
        "[\"a\" \"b string\"]",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (size_t any = 0; any < 2; any++) {
            size_t flags = JSON_ALLOW_NUL | (any ? JSON_DECODE_ANY : 0);
            size_t n = strlen(texts[i]);
            json_error_t e1, e2;
            bool too_deep = true;
            json_t *lifted = sp_jrpc_json_load_ex(texts[i], n, flags, 1, &too_deep, &e1);
            json_t *plain = json_loadb(texts[i], n, flags, &e2);
            assert_false(too_deep);
            if ((lifted != NULL) != (plain != NULL))
                fail_msg("text %d: lifted %s, json_loadb %s", (int)i, lifted ? "ok" : e1.text, plain ? "ok" : e2.text);
            if (plain)
                assert_true(json_equal(lifted, plain));
            else
                assert_int_equal(json_error_code(&e1), json_error_code(&e2));
            json_decref(lifted);
            json_decref(plain);
        }
    }
    /* deeper than 64: refused before Jansson */
    char deep[200];
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    json_error_t e;
    bool too_deep = false;
    assert_null(sp_jrpc_json_load(deep, 130, JSON_ALLOW_NUL, &too_deep, &e));
    assert_true(too_deep);
}

/* sharpipc's own: the writer writes json_dumps(JSON_COMPACT)'s bytes */
static void JsonText_Writer_IsJsonDumps(void **state)
{
    (void)state;
    static const char text[] = "q\" b\\ /\b\f\n\r\t\x01\x1f\x7f caf\xc3\xa9 \xf0\x9f\x98\x80\0z";
    json_t *j =
        json_pack("{s:s,s:I,s:I,s:[f,f,f,f,f,f,f],s:s#,s:{s:b,s:n,s:[]}}", "jsonrpc", "2.0", "min",
                  (json_int_t)INT64_MIN, "max", (json_int_t)INT64_MAX, "reals", 0.1, 1.0, -0.0, 1e300, 5e-324,
                  123456789.125, -2.5e-7, "text", text, (int)(sizeof text - 1), "o", "t", 1, "nothing", "empty");
    assert_non_null(j);
    char *want = json_dumps(j, JSON_COMPACT);
    sp_buf out = {0};
    assert_true(sp_jrpc_out_begin(&out));
    assert_true(sp_jrpc_out_json(&out, j));
    size_t n = out.length - SP_JRPC_HEADER_RESERVE;
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out.data + SP_JRPC_HEADER_RESERVE, want, n);

    /* and framed: the header in front, one message the reader reads back */
    MemoryStream *ms = MemoryStream_new();
    assert_true(sp_jrpc_write_frame((Stream *)ms, &out));
    sp_jrpc_reader r;
    rewind_reader(ms, &r);
    expect_message(&r, want, n);
    Dispose(ms);
    sp_buf_free(&out);
    free(want);
    json_decref(j);
}

/* sharpipc's own: a 200 KB body (read straight into its buffer, past the 64 KiB first size) */
static void HeaderDelimited_RoundTrip_LargeBody(void **state)
{
    (void)state;
    size_t n = 200 * 1000;
    char *body = malloc(n);
    for (size_t i = 0; i < n; i++)
        body[i] = (char)('a' + i % 26);
    MemoryStream *ms = MemoryStream_new();
    assert_true(sp_jrpc_write_message((Stream *)ms, body, (int32_t)n));
    assert_true(sp_jrpc_write_message((Stream *)ms, "{}", 2));
    sp_jrpc_reader r;
    rewind_reader(ms, &r);
    expect_message(&r, body, n);
    expect_message(&r, "{}", 2);
    Dispose(ms);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(HeaderDelimited_WriteMessage_ContentLengthOnly),
        cmocka_unit_test(HeaderDelimited_RoundTrip_SeveralMessages),
        cmocka_unit_test(HeaderDelimited_Read_Cases),
        cmocka_unit_test(HeaderDelimited_Read_HeaderLimits),
        cmocka_unit_test(HeaderDelimited_RoundTrip_LargeBody),
        cmocka_unit_test(JsonText_LiftedParse_IsJanssonsParse),
        cmocka_unit_test(JsonText_Writer_IsJsonDumps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
