/*
 * sharpipc's own, the Windows twin of test_unload.c: a program may LoadLibrary the DLL, use it on
 * a thread and FreeLibrary it while that thread still runs. The small-block cache
 * (src/core/smallblock.h) leaves an FLS callback in the DLL for each thread that kept a block; had
 * the DLL gone, the thread's end would call into unmapped code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "unload_use.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef struct {
    HMODULE lib;
    HANDLE freed, closed;
    char text[8];
} unload_job;

static unload_fn lookup(void *lib, const char *name)
{
    return (unload_fn)(uintptr_t)GetProcAddress((HMODULE)lib, name);
}

static DWORD WINAPI worker(LPVOID arg)
{
    unload_job *j = arg;
    unload_use_library(lookup, j->lib, j->text, sizeof j->text);
    SetEvent(j->freed);
    WaitForSingleObject(j->closed, INFINITE);
    return 0; /* the thread ends after the FreeLibrary */
}

static void Unload_ThreadEndsAfterFreeLibrary(void **state)
{
    (void)state;
    unload_job j = {LoadLibraryA(SP_SHARPIPC_DLL), CreateEventA(NULL, TRUE, FALSE, NULL),
                    CreateEventA(NULL, TRUE, FALSE, NULL), ""};
    if (!j.lib)
        fail_msg("LoadLibrary %s: error %lu", SP_SHARPIPC_DLL, (unsigned long)GetLastError());
    assert_non_null(j.freed);
    assert_non_null(j.closed);
    HANDLE t = CreateThread(NULL, 0, worker, &j, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(j.freed, INFINITE), WAIT_OBJECT_0);
    assert_string_equal(j.text, "abc");
    assert_true(FreeLibrary(j.lib));
    SetEvent(j.closed);
    assert_int_equal(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
    DWORD code = 1;
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, 0);
    CloseHandle(t);
    CloseHandle(j.freed);
    CloseHandle(j.closed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(Unload_ThreadEndsAfterFreeLibrary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
