/* Smoke test for the cmocka that scripts/build-mingw-dep.sh cmocka builds for
 * x86_64-w64-mingw32: two tests, one with a mocked function; under wine it must
 * print "[  PASSED  ] 2 test(s)." */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

static int read_sensor(void) { return (int)mock(); }

static void test_strings_and_ints(void **state)
{
    (void)state;
    assert_int_equal(2 + 2, 4);
    assert_string_equal("sharp"
                        "ipc",
                        "sharpipc");
    assert_memory_equal("abc", "abc", 3);
}

static void test_mock(void **state)
{
    (void)state;
    will_return(read_sensor, 42);
    assert_int_equal(read_sensor(), 42);
    assert_true(sizeof(void *) == 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_and_ints),
        cmocka_unit_test(test_mock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
