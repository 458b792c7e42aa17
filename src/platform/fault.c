/* The rules of platform_fault.h, shared by the POSIX and Win32 syscall tables. */
#include "platform/platform_fault.h"

#ifdef SHARPIPC_FAULT_INJECTION

#  include <stdatomic.h>
#  include <string.h>

/* Provided by the OS's table (posix/sys_posix.c, win32/sys_win32.c). */
extern const char *const sp_fault_names[];
extern const int sp_fault_count;
/* The slot behind entry id (what sp_fault_set_syscall replaces) and the OS's own function. */
void sp_fault_slot(int id, sp_fault_fn **slot, sp_fault_fn *original);
/* The EINTR of this OS (0 where calls are not interrupted). */
extern const int32_t sp_fault_eintr;

#  define SP_FAULT_MAX 64

typedef struct rule {
    atomic_long calls;
    atomic_long fail_from; /* the call number from which calls fail; 0: none */
    atomic_int fail_left;  /* failures left; -1 forever */
    atomic_int fail_error;
    atomic_long short_from;
    atomic_int short_left;
    atomic_size_t short_limit;
} rule;

static rule rules[SP_FAULT_MAX];

static int id_of(const char *name)
{
    for (int i = 0; i < sp_fault_count && i < SP_FAULT_MAX; i++)
        if (strcmp(sp_fault_names[i], name) == 0)
            return i;
    return -1;
}

const char *sp_fault_syscall_name(int i) { return i >= 0 && i < sp_fault_count ? sp_fault_names[i] : NULL; }

bool sp_fault_fail(const char *name, int nth, int32_t error, int times)
{
    int id = id_of(name);
    if (id < 0 || nth < 1 || times == 0)
        return false;
    rule *r = &rules[id];
    atomic_store(&r->fail_error, error);
    atomic_store(&r->fail_left, times);
    atomic_store(&r->fail_from, atomic_load(&r->calls) + nth);
    return true;
}

bool sp_fault_interrupt(const char *name, int times) { return sp_fault_fail(name, 1, sp_fault_eintr, times); }

bool sp_fault_short(const char *name, int nth, size_t limit, int times)
{
    int id = id_of(name);
    if (id < 0 || nth < 1 || times == 0)
        return false;
    rule *r = &rules[id];
    atomic_store(&r->short_limit, limit);
    atomic_store(&r->short_left, times);
    atomic_store(&r->short_from, atomic_load(&r->calls) + nth);
    return true;
}

long sp_fault_calls(const char *name)
{
    int id = id_of(name);
    return id < 0 ? -1 : atomic_load(&rules[id].calls);
}

void sp_fault_reset(void)
{
    for (int i = 0; i < sp_fault_count && i < SP_FAULT_MAX; i++) {
        rule *r = &rules[i];
        atomic_store(&r->fail_from, 0);
        atomic_store(&r->fail_left, 0);
        atomic_store(&r->short_from, 0);
        atomic_store(&r->short_left, 0);
        atomic_store(&r->calls, 0);
        sp_fault_fn *slot, original;
        sp_fault_slot(i, &slot, &original);
        *slot = original;
    }
}

bool sp_fault_set_syscall(const char *name, sp_fault_fn fn)
{
    int id = id_of(name);
    if (id < 0)
        return false;
    sp_fault_fn *slot, original;
    sp_fault_slot(id, &slot, &original);
    *slot = fn ? fn : original;
    return true;
}

sp_fault_fn sp_fault_get_syscall(const char *name)
{
    int id = id_of(name);
    if (id < 0)
        return NULL;
    sp_fault_fn *slot, original;
    sp_fault_slot(id, &slot, &original);
    return *slot;
}

/* Takes one from a counter that is positive (a budget) or -1 (forever); false when it is spent. */
static bool take(atomic_int *left)
{
    int n = atomic_load(left);
    while (n != 0) {
        if (n < 0)
            return true;
        if (atomic_compare_exchange_weak(left, &n, n - 1))
            return true;
    }
    return false;
}

int32_t sp_fault_enter(int id, size_t *count)
{
    if (id < 0 || id >= SP_FAULT_MAX)
        return 0;
    rule *r = &rules[id];
    long call = atomic_fetch_add(&r->calls, 1) + 1;
    long from = atomic_load(&r->fail_from);
    if (from && call >= from && take(&r->fail_left))
        return atomic_load(&r->fail_error);
    from = atomic_load(&r->short_from);
    if (count && from && call >= from && take(&r->short_left)) {
        size_t limit = atomic_load(&r->short_limit);
        if (*count > limit)
            *count = limit;
    }
    return 0;
}

#else
typedef int sp_fault_unused; /* ISO C wants a translation unit to declare something */
#endif
