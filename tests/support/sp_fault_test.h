/*
 * Test support for the fault-injection tests (tests/unit/platform/test_fault*.c): the reset every
 * test starts with, the OS's text for a code (what .NET puts in an IOException made from it), and
 * the open-descriptor count that proves an error path leaked nothing.
 */
#ifndef SP_FAULT_TEST_H
#define SP_FAULT_TEST_H

#include "sp_test.h"

#include "platform/platform.h"
#include "platform/platform_fault.h"

#if defined(__linux__)
#  include <dirent.h>
#endif

static int reset(void **state)
{
    (void)state;
    sp_fault_reset();
    return 0;
}

static inline const char *os_text(int code)
{
    static char text[256];
    sp_os_error_text(code, text, sizeof text);
    return text;
}

/* Open descriptors of this process (Linux: /proc/self/fd), -1 where unknown. */
static inline int open_fds(void)
{
#ifdef __linux__
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
#else
    return -1;
#endif
}

#define ASSERT_NO_FD_LEAK(before)                                                                                      \
  do {                                                                                                                 \
    int after_ = open_fds();                                                                                           \
    if ((before) >= 0)                                                                                                 \
      ASSERT_I64(after_, before);                                                                                      \
  } while (0)

#endif
