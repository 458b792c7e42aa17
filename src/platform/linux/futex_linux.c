/* Linux only: futex(2) and futex_waitv(2), called through syscall(2) (glibc wraps neither). */
#include "futex_linux.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

int sp_linux_futex_wait(_Atomic uint32_t *word, uint32_t expected, const struct timespec *deadline, bool is_private)
{
    /* FUTEX_WAIT_BITSET takes an absolute deadline, so a retry after EINTR does not stretch it. */
    long r = syscall(SYS_futex, word, FUTEX_WAIT_BITSET | (is_private ? FUTEX_PRIVATE_FLAG : 0), expected, deadline,
                     NULL, FUTEX_BITSET_MATCH_ANY);
    return r == 0 ? 0 : errno;
}

void sp_linux_futex_wake(_Atomic uint32_t *word, int count, bool is_private)
{
    syscall(SYS_futex, word, FUTEX_WAKE | (is_private ? FUTEX_PRIVATE_FLAG : 0), count, NULL, NULL, 0);
}

/* The kernel's struct futex_waitv, spelled out: older kernel headers lack it. */
struct sp_futex_waitv {
    uint64_t val;
    uint64_t uaddr;
    uint32_t flags;
    uint32_t reserved;
};
#define SP_FUTEX2_SIZE_U32 0x02u
#define SP_FUTEX2_PRIVATE 128u
#ifndef SYS_futex_waitv
#  define SYS_futex_waitv 449
#endif

bool sp_linux_have_futex_waitv(void)
{
    /* An empty call is EINVAL where the call exists, ENOSYS elsewhere. */
    static atomic_int known = -1;
    int k = atomic_load(&known);
    if (k < 0) {
        long r = syscall(SYS_futex_waitv, NULL, 0, 0, NULL, CLOCK_MONOTONIC);
        k = !(r < 0 && errno == ENOSYS);
        atomic_store(&known, k);
    }
    return k != 0;
}

int sp_linux_futex_wait_any(const sp_linux_futex_word *words, int32_t n, const struct timespec *deadline)
{
    struct sp_futex_waitv w[128];
    if (n < 1 || n > 128)
        return EINVAL;
    for (int32_t i = 0; i < n; i++) {
        w[i].val = 0;
        w[i].uaddr = (uint64_t)(uintptr_t)words[i].word;
        w[i].flags = SP_FUTEX2_SIZE_U32 | (words[i].is_private ? SP_FUTEX2_PRIVATE : 0u);
        w[i].reserved = 0;
    }
    long r = syscall(SYS_futex_waitv, w, (unsigned)n, 0, deadline, CLOCK_MONOTONIC);
    return r < 0 ? errno : 0;
}
