/*
 * Linux only: the futex system calls that the POSIX synchronization objects (posix/sync_posix.c)
 * block on. Other POSIX systems have no equivalent that works across processes on a word in
 * shared memory, so there the named objects report ENOSYS.
 */
#ifndef SHARPIPC_FUTEX_LINUX_H
#define SHARPIPC_FUTEX_LINUX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* Sleeps while *word == expected, until the absolute CLOCK_MONOTONIC deadline (NULL: none).
 * is_private: the word is in this process's private memory (FUTEX_PRIVATE_FLAG).
 * Returns 0 (woken), EAGAIN (the word differed), EINTR or ETIMEDOUT. */
int sp_linux_futex_wait(_Atomic uint32_t *word, uint32_t expected, const struct timespec *deadline, bool is_private);
/* Wakes up to count sleepers on word. */
void sp_linux_futex_wake(_Atomic uint32_t *word, int count, bool is_private);

/* One word of a multiple wait. */
typedef struct sp_linux_futex_word {
    _Atomic uint32_t *word;
    bool is_private;
} sp_linux_futex_word;
/* Whether the kernel has futex_waitv (Linux 5.16). */
bool sp_linux_have_futex_waitv(void);
/* Sleeps until one of the n (<= 128) words is woken while it is 0, or the absolute CLOCK_MONOTONIC
 * deadline (NULL: none). Returns 0, EAGAIN (a word was not 0), EINTR or ETIMEDOUT. */
int sp_linux_futex_wait_any(const sp_linux_futex_word *words, int32_t n, const struct timespec *deadline);

#endif
