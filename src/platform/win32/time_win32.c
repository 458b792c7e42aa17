/* Clocks and wakers on Windows: a waker is a manual-reset event, and a flag beside it that a call
 * reads without a system call (as POSIX's, time_posix.c). */
#include "platform/platform.h"

#include <stdatomic.h>

#include <winsock2.h> /* before windows.h, for sys_win32.h's Winsock rows */
#include <windows.h>

#include "sys_win32.h"
#include "util_win32.h"

int64_t sp_os_now_ms(void) { return (int64_t)GetTickCount64(); }

struct sp_os_waker {
    HANDLE event;
    atomic_bool signalled; /* set before the event, and never cleared, as the event */
};

int32_t sp_os_waker_new(sp_os_waker **waker)
{
    sp_os_waker *w = malloc(sizeof *w);
    if (!w)
        return ERROR_NOT_ENOUGH_MEMORY;
    w->event = SP_SYS(CreateEventW)(NULL, TRUE, FALSE, NULL);
    if (!w->event) {
        DWORD err = GetLastError();
        free(w);
        return (int32_t)err;
    }
    atomic_init(&w->signalled, false);
    *waker = w;
    return 0;
}

void sp_os_waker_signal(sp_os_waker *w)
{
    atomic_store(&w->signalled, true);
    SetEvent(w->event);
}

bool sp_win32_waker_signalled(struct sp_os_waker *w) { return w && atomic_load(&w->signalled); }

bool sp_os_waker_sleep(sp_os_waker *w, int32_t milliseconds)
{
    return WaitForSingleObject(w->event, milliseconds < 0 ? INFINITE : (DWORD)milliseconds) == WAIT_OBJECT_0;
}

void *sp_win32_waker_event(sp_os_waker *w) { return w->event; }

void sp_os_waker_free(sp_os_waker *w)
{
    if (!w)
        return;
    SP_SYS(CloseHandle)(w->event);
    free(w);
}
