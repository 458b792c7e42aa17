/* Threads and in-process locks on Windows (platform_thread.h). */
#include "platform/platform_thread.h"

#include <windows.h>
#include <process.h>
#include <stdlib.h>

struct sp_os_thread {
    HANDLE handle;
    DWORD id;
};

/* What the new thread runs, owned (and freed) by the thread itself, as on POSIX. */
typedef struct start_block {
    void (*fn)(void *);
    void *arg;
} start_block;

struct sp_os_lock {
    SRWLOCK lock;
};

struct sp_os_cond {
    CONDITION_VARIABLE cond;
};

struct sp_os_exit_slot {
    DWORD index;
    int table; /* its entry in exit_callbacks */
};

static unsigned __stdcall trampoline(void *p)
{
    start_block b = *(start_block *)p;
    free(p);
    b.fn(b.arg);
    return 0;
}

int32_t sp_os_thread_start(void (*fn)(void *), void *arg, sp_os_thread **out)
{
    sp_os_thread *t = malloc(sizeof *t);
    start_block *b = malloc(sizeof *b);
    if (!t || !b) {
        free(t);
        free(b);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    b->fn = fn;
    b->arg = arg;
    unsigned id = 0;
    /* Suspended until the id is stored: the thread may ask sp_os_thread_is_current at once. */
    uintptr_t h = _beginthreadex(NULL, 0, trampoline, b, CREATE_SUSPENDED, &id);
    if (h == 0) {
        DWORD err = GetLastError();
        free(t);
        free(b);
        return err ? (int32_t)err : ERROR_NOT_ENOUGH_MEMORY;
    }
    t->handle = (HANDLE)h;
    t->id = id;
    *out = t;
    ResumeThread(t->handle);
    return 0;
}

void sp_os_thread_join(sp_os_thread *t)
{
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
    free(t);
}

void sp_os_thread_detach(sp_os_thread *t)
{
    CloseHandle(t->handle);
    free(t);
}

bool sp_os_thread_is_current(const sp_os_thread *t) { return t->id == GetCurrentThreadId(); }

int32_t sp_os_lock_new(sp_os_lock **out)
{
    sp_os_lock *l = malloc(sizeof *l);
    if (!l)
        return ERROR_NOT_ENOUGH_MEMORY;
    InitializeSRWLock(&l->lock);
    *out = l;
    return 0;
}

void sp_os_lock_free(sp_os_lock *l) { free(l); }
void sp_os_lock_enter(sp_os_lock *l) { AcquireSRWLockExclusive(&l->lock); }
void sp_os_lock_exit(sp_os_lock *l) { ReleaseSRWLockExclusive(&l->lock); }

int32_t sp_os_cond_new(sp_os_cond **out)
{
    sp_os_cond *c = malloc(sizeof *c);
    if (!c)
        return ERROR_NOT_ENOUGH_MEMORY;
    InitializeConditionVariable(&c->cond);
    *out = c;
    return 0;
}

void sp_os_cond_free(sp_os_cond *c) { free(c); }

bool sp_os_cond_wait(sp_os_cond *c, sp_os_lock *l, int32_t milliseconds)
{
    if (SleepConditionVariableSRW(&c->cond, &l->lock, milliseconds < 0 ? INFINITE : (DWORD)milliseconds, 0))
        return true;
    return GetLastError() != ERROR_TIMEOUT;
}

void sp_os_cond_broadcast(sp_os_cond *c) { WakeAllConditionVariable(&c->cond); }

/* An FLS callback is NTAPI and gets the value alone, so each slot has a trampoline of its own that
 * knows its callback: a few slots are all a process needs (the library uses one). */
#define SP_EXIT_SLOTS 4
static void (*volatile exit_callbacks[SP_EXIT_SLOTS])(void *);
#define SP_EXIT_TRAMPOLINE(i)                                                                                          \
  static VOID NTAPI exit_trampoline_##i(PVOID value)                                                                   \
  {                                                                                                                    \
    void (*fn)(void *) = exit_callbacks[i];                                                                            \
    if (fn && value)                                                                                                   \
      fn(value);                                                                                                       \
  }
SP_EXIT_TRAMPOLINE(0)
SP_EXIT_TRAMPOLINE(1)
SP_EXIT_TRAMPOLINE(2)
SP_EXIT_TRAMPOLINE(3)
static const PFLS_CALLBACK_FUNCTION exit_trampolines[SP_EXIT_SLOTS] = {exit_trampoline_0, exit_trampoline_1,
                                                                       exit_trampoline_2, exit_trampoline_3};

int32_t sp_os_exit_slot_new(void (*at_exit)(void *value), sp_os_exit_slot **out)
{
    sp_os_exit_slot *slot = malloc(sizeof *slot);
    if (!slot)
        return ERROR_NOT_ENOUGH_MEMORY;
    int table = -1;
    for (int i = 0; i < SP_EXIT_SLOTS && table < 0; i++)
        if (InterlockedCompareExchangePointer((PVOID volatile *)&exit_callbacks[i], (PVOID)at_exit, NULL) == NULL)
            table = i;
    if (table < 0) {
        free(slot);
        return ERROR_NO_SYSTEM_RESOURCES;
    }
    /* The callback runs in this module at every thread's end, FreeLibrary or not: pinned. */
    HMODULE self;
    DWORD index = FLS_OUT_OF_INDEXES;
    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                           (LPCWSTR)(uintptr_t)exit_trampolines[table], &self))
        index = FlsAlloc(exit_trampolines[table]);
    if (index == FLS_OUT_OF_INDEXES) {
        DWORD err = GetLastError();
        exit_callbacks[table] = NULL;
        free(slot);
        return err ? (int32_t)err : ERROR_NO_SYSTEM_RESOURCES;
    }
    slot->index = index;
    slot->table = table;
    *out = slot;
    return 0;
}

void sp_os_exit_slot_free(sp_os_exit_slot *slot)
{
    if (!slot)
        return;
    FlsFree(slot->index);
    exit_callbacks[slot->table] = NULL;
    free(slot);
}

int32_t sp_os_exit_slot_set(sp_os_exit_slot *slot, void *value)
{
    return FlsSetValue(slot->index, value) ? 0 : (int32_t)GetLastError();
}
