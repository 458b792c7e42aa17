/* core/thread.h: the seam's threads and locks, with .NET's exceptions. */
#include "core/thread.h"

#include "platform/platform.h"

int64_t sp_clock_ms(void) { return sp_os_now_ms(); }

static void fail(int32_t code) { sp_throw_native(ExceptionType_SystemException, sp_sr(SR_Arg_SystemException), code); }

sp_task *sp_task_start(void (*fn)(void *), void *arg)
{
    sp_os_thread *t = NULL;
    int32_t code = sp_os_thread_start(fn, arg, &t);
    if (code != 0) {
        fail(code);
        return NULL;
    }
    return t;
}

sp_lock *sp_lock_new(void)
{
    sp_os_lock *l = NULL;
    int32_t code = sp_os_lock_new(&l);
    if (code != 0) {
        fail(code);
        return NULL;
    }
    return l;
}

sp_cond *sp_cond_new(void)
{
    sp_os_cond *c = NULL;
    int32_t code = sp_os_cond_new(&c);
    if (code != 0) {
        fail(code);
        return NULL;
    }
    return c;
}
