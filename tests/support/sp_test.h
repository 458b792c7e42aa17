/*
 * Helpers shared by the cmocka unit tests (not a test itself: CMake builds only test_*.c).
 *
 *  - EXPECT_EXC(type)           the call just made failed with exactly this exception type
 *  - EXPECT_EXC_MSG(type, msg)  ... and exactly this Message
 *  - EXPECT_PARAM(name)         the pending exception's ParamName (NULL: none)
 *  - EXPECT_NO_EXC()            no exception is pending
 *  - EXPECT_FALLBACK(bytes, i)  a DecoderFallbackException for these bytes at Index i
 *  (SP_TEST_SOFT=1: Message/ParamName mismatches are reported, not fatal; see sp_soft_)
 *  - ASSERT_I64 / ASSERT_BYTES  value checks that print both sides
 *  - sp_temp_name               a file name unique to this process, in the current directory
 *  - sp_full_path               what Path.GetFullPath gives for such a name
 */
#ifndef SP_TEST_H
#define SP_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _WIN32
#  include <direct.h>
#  include <process.h>
#  define sp_getpid() ((int)_getpid())
#  define sp_getcwd(b, n) _getcwd(b, (int)(n))
#  define sp_mkdir(p) _mkdir(p)
#  define sp_rmdir(p) _rmdir(p)
#  define SP_SEP "\\"
#else
#  include <sys/stat.h>
#  include <unistd.h>
#  define sp_getpid() ((int)getpid())
#  define sp_getcwd(b, n) getcwd(b, n)
#  define sp_mkdir(p) mkdir(p, 0777)
#  define sp_rmdir(p) rmdir(p)
#  define SP_SEP "/"
#endif

#include <sharpipc.h>

#define SP_EXC_NAME_(type, base, dotnet_name, hresult, message) #type,
static const char *const sp_exc_names[] = {"None", SHARPIPC_EXCEPTION_TYPES(SP_EXC_NAME_)};
#undef SP_EXC_NAME_

static inline const char *sp_exc_name(ExceptionType t)
{
    if ((int)t < 0 || (size_t)t >= sizeof sp_exc_names / sizeof sp_exc_names[0])
        return "?";
    return sp_exc_names[t];
}

/* SP_TEST_SOFT=1 in the environment: a wrong Message or ParamName is printed ("SOFT:") but does not
 * stop the test, so one run lists every such deviation. A wrong exception type always fails. */
static inline bool sp_soft_(void)
{
    static int soft = -1;
    if (soft < 0) {
        const char *v = getenv("SP_TEST_SOFT");
        soft = v && *v && *v != '0';
    }
    return soft != 0;
}

static inline void sp_expect_exc_(ExceptionType t, const char *msg, const char *what, const char *file, int line)
{
    const Exception *e = Exception_get_Current();
    if (!e) {
        print_error("%s:%d: [%s] expected %s, but no exception is pending\n", file, line, what, sp_exc_name(t));
        _fail(file, line);
        return;
    }
    if (Exception_get_Type(e) != t) {
        print_error("%s:%d: [%s] expected %s, got %s: \"%s\"\n", file, line, what, sp_exc_name(t),
                    sp_exc_name(Exception_get_Type(e)), Exception_get_Message(e));
        _fail(file, line);
        return;
    }
    if (msg && strcmp(msg, Exception_get_Message(e)) != 0) {
        print_error("%s%s:%d: [%s] %s message\n  expected \"%s\"\n  actual   \"%s\"\n", sp_soft_() ? "SOFT: " : "",
                    file, line, what, sp_exc_name(t), msg, Exception_get_Message(e));
        if (!sp_soft_())
            _fail(file, line);
    }
}

static inline void sp_expect_no_exc_(const char *what, const char *file, int line)
{
    const Exception *e = Exception_get_Current();
    if (e) {
        print_error("%s:%d: [%s] expected no exception, got %s: \"%s\"\n", file, line, what,
                    sp_exc_name(Exception_get_Type(e)), Exception_get_Message(e));
        _fail(file, line);
    }
}

static inline void sp_expect_param_(const char *param, const char *file, int line)
{
    const Exception *e = Exception_get_Current();
    const char *actual = e ? Exception_get_ParamName(e) : NULL;
    if ((param == NULL) != (actual == NULL) || (param && strcmp(param, actual) != 0)) {
        print_error("%s%s:%d: ParamName expected %s%s%s, got %s%s%s\n", sp_soft_() ? "SOFT: " : "", file, line,
                    param ? "'" : "", param ? param : "NULL", param ? "'" : "", actual ? "'" : "",
                    actual ? actual : "NULL", actual ? "'" : "");
        if (!sp_soft_())
            _fail(file, line);
    }
}

/* A throwing encoding's DecoderFallbackException for exactly `bytes` (BytesUnknown, a C string of
 * them) at `index`; its Message is checked by the tests that spell it out. */
static inline void sp_expect_fallback_(const char *bytes, int32_t index, const char *what, const char *file, int line)
{
    sp_expect_exc_(ExceptionType_DecoderFallbackException, NULL, what, file, line);
    const Exception *e = Exception_get_Current();
    int32_t n = 0;
    const uint8_t *got = DecoderFallbackException_get_BytesUnknown(e, &n);
    if (n != (int32_t)strlen(bytes) || memcmp(got, bytes, (size_t)n) != 0 ||
        DecoderFallbackException_get_Index(e) != index) {
        print_error("%s:%d: [%s] expected %d bytes at index %d, got \"%s\" (%d bytes, Index %d)\n", file, line, what,
                    (int)strlen(bytes), (int)index, Exception_get_Message(e), (int)n,
                    (int)DecoderFallbackException_get_Index(e));
        _fail(file, line);
    }
}

#define EXPECT_EXC(t) sp_expect_exc_(ExceptionType_##t, NULL, #t, __FILE__, __LINE__)
#define EXPECT_FALLBACK(bytes, index) sp_expect_fallback_(bytes, index, "DecoderFallbackException", __FILE__, __LINE__)
#define EXPECT_FALLBACK_AT(bytes, index, label) sp_expect_fallback_(bytes, index, label, __FILE__, __LINE__)
#define EXPECT_EXC_MSG(t, m) sp_expect_exc_(ExceptionType_##t, m, #t, __FILE__, __LINE__)
/* The same with a label, for checks made in a loop or a table. */
#define EXPECT_EXC_AT(t, label) sp_expect_exc_(ExceptionType_##t, NULL, label, __FILE__, __LINE__)
#define EXPECT_NO_EXC() sp_expect_no_exc_("", __FILE__, __LINE__)
#define EXPECT_NO_EXC_AT(label) sp_expect_no_exc_(label, __FILE__, __LINE__)
#define EXPECT_PARAM(p) sp_expect_param_(p, __FILE__, __LINE__)

static inline void sp_assert_i64_(int64_t a, int64_t b, const char *ea, const char *eb, const char *file, int line)
{
    if (a != b) {
        print_error("%s:%d: %s == %s failed: %" PRId64 " != %" PRId64 "\n", file, line, ea, eb, a, b);
        _fail(file, line);
    }
}
#define ASSERT_I64(a, b) sp_assert_i64_((int64_t)(a), (int64_t)(b), #a, #b, __FILE__, __LINE__)

static inline void sp_assert_u64_(uint64_t a, uint64_t b, const char *ea, const char *eb, const char *file, int line)
{
    if (a != b) {
        print_error("%s:%d: %s == %s failed: 0x%" PRIx64 " != 0x%" PRIx64 "\n", file, line, ea, eb, a, b);
        _fail(file, line);
    }
}
#define ASSERT_U64(a, b) sp_assert_u64_((uint64_t)(a), (uint64_t)(b), #a, #b, __FILE__, __LINE__)

static inline void sp_dump_(const char *label, const uint8_t *p, size_t n)
{
    print_error("  %s (%lu):", label, (unsigned long)n);
    for (size_t i = 0; i < n && i < 64; i++)
        print_error(" %02X", p[i]);
    print_error(n > 64 ? " ...\n" : "\n");
}

static inline void sp_assert_bytes_(const void *actual, size_t actual_len, const void *expected, size_t expected_len,
                                    const char *file, int line)
{
    if (actual_len != expected_len || (expected_len && memcmp(actual, expected, expected_len) != 0)) {
        print_error("%s:%d: byte mismatch\n", file, line);
        sp_dump_("expected", expected, expected_len);
        sp_dump_("actual  ", actual ? actual : (const void *)"", actual ? actual_len : 0);
        if (actual_len == expected_len)
            for (size_t i = 0; i < expected_len; i++)
                if (((const uint8_t *)actual)[i] != ((const uint8_t *)expected)[i]) {
                    print_error("  first difference at %lu\n", (unsigned long)i);
                    break;
                }
        _fail(file, line);
    }
}
#define ASSERT_BYTES(a, alen, e, elen) sp_assert_bytes_(a, (size_t)(alen), e, (size_t)(elen), __FILE__, __LINE__)

/* Asserts that a MemoryStream holds exactly these bytes. */
static inline void sp_assert_ms_(MemoryStream *ms, const void *expected, size_t n, const char *file, int line)
{
    int32_t len = -1;
    uint8_t *bytes = MemoryStream_ToArray(ms, &len);
    if (!bytes) {
        print_error("%s:%d: ToArray failed\n", file, line);
        _fail(file, line);
        return;
    }
    sp_assert_bytes_(bytes, (size_t)len, expected, n, file, line);
    Array_Free(bytes);
}
#define ASSERT_MS(ms, e, n) sp_assert_ms_(ms, e, (size_t)(n), __FILE__, __LINE__)
/* A string literal's bytes, without the terminating NUL. */
#define ASSERT_MS_LIT(ms, lit) sp_assert_ms_(ms, lit, sizeof(lit) - 1, __FILE__, __LINE__)

/* A MemoryStream holding these bytes, positioned at 0. */
static inline MemoryStream *sp_ms_with(const void *bytes, size_t n)
{
    MemoryStream *ms = MemoryStream_new();
    assert_non_null(ms);
    if (n)
        assert_true(Stream_Write(ms, bytes, 0, (int32_t)n));
    assert_true(Stream_set_Position(ms, 0));
    return ms;
}
#define SP_MS_LIT(lit) sp_ms_with(lit, sizeof(lit) - 1)

/* Every temp name handed out, so the group teardown can remove what a failed test left behind. */
static char *sp_temp_names[1024];
static int sp_temp_count;

/* "sp_<tag>_<pid>_<n>.tmp": unique per process and call, relative to the current directory. */
static inline const char *sp_temp_name(char buf[128], const char *tag)
{
    static int counter;
    snprintf(buf, 128, "sp_%s_%d_%d.tmp", tag, sp_getpid(), ++counter);
    if (sp_temp_count < (int)(sizeof sp_temp_names / sizeof sp_temp_names[0])) {
        size_t n = strlen(buf) + 1;
        sp_temp_names[sp_temp_count] = malloc(n);
        if (sp_temp_names[sp_temp_count])
            memcpy(sp_temp_names[sp_temp_count++], buf, n);
    }
    return buf;
}

/* Group teardown: removes every temp file (plain remove(), not the library under test). */
static inline int sp_remove_temp_files(void **state)
{
    (void)state;
    for (int i = 0; i < sp_temp_count; i++) {
        remove(sp_temp_names[i]);
        free(sp_temp_names[i]);
    }
    sp_temp_count = 0;
    return 0;
}

/* The full path .NET reports for a relative name: the current directory, a separator, the name. */
static inline const char *sp_full_path(char buf[1024], const char *name)
{
    char cwd[900];
    if (!sp_getcwd(cwd, sizeof cwd))
        cwd[0] = 0;
    size_t n = strlen(cwd);
    if (n > 0 && (cwd[n - 1] == '/' || cwd[n - 1] == '\\'))
        cwd[n - 1] = 0;
    snprintf(buf, 1024, "%s" SP_SEP "%s", cwd, name);
    return buf;
}

/* Writes bytes to a file with the library itself (FileMode.Create). */
static inline void sp_write_file(const char *path, const void *bytes, size_t n)
{
    FileStream *fs = FileStream_new(path, FileMode_Create);
    assert_non_null(fs);
    if (n)
        assert_true(Stream_Write(fs, bytes, 0, (int32_t)n));
    assert_true(Dispose(fs));
}

/* The whole file, read with the library (FileShare.ReadWrite so an open writer does not block). */
static inline uint8_t *sp_read_file(const char *path, int32_t *length)
{
    FileStream *fs = FileStream_new_ex(path, FileMode_Open, FileAccess_Read, FileShare_ReadWrite, 0, FileOptions_None);
    assert_non_null(fs);
    int64_t len = Stream_get_Length(fs);
    assert_true(len >= 0);
    uint8_t *data = malloc((size_t)len + 1);
    assert_non_null(data);
    if (len)
        assert_true(Stream_ReadExactly(fs, data, 0, (int32_t)len));
    assert_true(Dispose(fs));
    *length = (int32_t)len;
    return data;
}

static inline double sp_now_seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

/* Is this CI (CI=true, as .ci/run sets)? */
static inline bool sp_on_ci(void)
{
    const char *v = getenv("CI");
    return v && strcmp(v, "true") == 0;
}

/* A scenario this machine lacks (no IPv6, not root, no mount namespace, no futex_waitv): the test
 * is skipped, where cmocka says [  SKIPPED ] and ctest still counts a pass; so on CI, whose
 * machines have every one of them, it fails instead (a skip there must never look like a pass).
 * What a platform never has (a POSIX scenario under Windows) is compiled out, not required. Under
 * valgrind (its lane sets SHARPIPC_VALGRIND) it skips: memcheck's mount wrapper refuses the
 * private /dev/shm the second-user scenarios make, which every other lane runs. */
#define SP_REQUIRE(available, what)                                                                                    \
  do {                                                                                                                 \
    if (!(available)) {                                                                                                \
      if (sp_on_ci() && !getenv("SHARPIPC_VALGRIND"))                                                                  \
        fail_msg("required on CI, missing here: %s", what);                                                            \
      print_message("skipped, missing here: %s\n", what);                                                              \
      skip();                                                                                                          \
    }                                                                                                                  \
  } while (0)

/* SP_REQUIRE with one exemption: where `exempt` holds (a platform that genuinely lacks what the
 * test needs, such as wine, which refuses AF_UNIX sockets) the test skips on CI too, and says why.
 * The caller names the platform and the reason in a comment; anywhere else it is SP_REQUIRE. */
#define SP_REQUIRE_UNLESS(available, exempt, what, why)                                                                \
  do {                                                                                                                 \
    if (!(available)) {                                                                                                \
      if (exempt) {                                                                                                    \
        print_message("skipped, missing here: %s (exempt on this platform: %s)\n", what, why);                         \
        skip();                                                                                                        \
      }                                                                                                                \
      SP_REQUIRE(false, what);                                                                                         \
    }                                                                                                                  \
  } while (0)

#endif
