/* Threads and in-process locks on POSIX (platform_thread.h). */
#include "platform/platform_thread.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct sp_os_thread {
    pthread_t id;
};

/* What the new thread runs, owned (and freed) by the thread itself: t may be freed by a detach
 * before the thread has even started. */
typedef struct start_block {
    void (*fn)(void *);
    void *arg;
} start_block;

struct sp_os_lock {
    pthread_mutex_t mutex;
};

struct sp_os_cond {
    pthread_cond_t cond;
};

struct sp_os_exit_slot {
    pthread_key_t key;
};

static void *trampoline(void *p)
{
    start_block b = *(start_block *)p;
    free(p);
    b.fn(b.arg);
    return NULL;
}

int32_t sp_os_thread_start(void (*fn)(void *), void *arg, sp_os_thread **out)
{
    sp_os_thread *t = malloc(sizeof *t);
    start_block *b = malloc(sizeof *b);
    if (!t || !b) {
        free(t);
        free(b);
        return ENOMEM;
    }
    b->fn = fn;
    b->arg = arg;
    int rc = pthread_create(&t->id, NULL, trampoline, b);
    if (rc != 0) {
        free(t);
        free(b);
        return rc;
    }
    *out = t;
    return 0;
}

void sp_os_thread_join(sp_os_thread *t)
{
    pthread_join(t->id, NULL);
    free(t);
}

void sp_os_thread_detach(sp_os_thread *t)
{
    pthread_detach(t->id);
    free(t);
}

bool sp_os_thread_is_current(const sp_os_thread *t) { return pthread_equal(t->id, pthread_self()) != 0; }

int32_t sp_os_lock_new(sp_os_lock **out)
{
    sp_os_lock *l = malloc(sizeof *l);
    if (!l)
        return ENOMEM;
    int rc = pthread_mutex_init(&l->mutex, NULL);
    if (rc != 0) {
        free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void sp_os_lock_free(sp_os_lock *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->mutex);
    free(l);
}

void sp_os_lock_enter(sp_os_lock *l) { pthread_mutex_lock(&l->mutex); }
void sp_os_lock_exit(sp_os_lock *l) { pthread_mutex_unlock(&l->mutex); }

int32_t sp_os_cond_new(sp_os_cond **out)
{
    sp_os_cond *c = malloc(sizeof *c);
    if (!c)
        return ENOMEM;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
#if !defined(__APPLE__)
    /* Timeouts are intervals: a wall-clock step must not stretch or cut them. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
#endif
    int rc = pthread_cond_init(&c->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) {
        free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void sp_os_cond_free(sp_os_cond *c)
{
    if (!c)
        return;
    pthread_cond_destroy(&c->cond);
    free(c);
}

bool sp_os_cond_wait(sp_os_cond *c, sp_os_lock *l, int32_t milliseconds)
{
    if (milliseconds < 0) {
        pthread_cond_wait(&c->cond, &l->mutex);
        return true;
    }
    struct timespec ts;
#if defined(__APPLE__)
    clock_gettime(CLOCK_REALTIME, &ts);
#else
    clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
    ts.tv_sec += milliseconds / 1000;
    ts.tv_nsec += (long)(milliseconds % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return pthread_cond_timedwait(&c->cond, &l->mutex, &ts) != ETIMEDOUT;
}

void sp_os_cond_broadcast(sp_os_cond *c) { pthread_cond_broadcast(&c->cond); }

int32_t sp_os_exit_slot_new(void (*at_exit)(void *value), sp_os_exit_slot **out)
{
    sp_os_exit_slot *slot = malloc(sizeof *slot);
    if (!slot)
        return ENOMEM;
    int rc = pthread_key_create(&slot->key, at_exit);
    if (rc != 0) {
        free(slot);
        return rc;
    }
    *out = slot;
    return 0;
}

void sp_os_exit_slot_free(sp_os_exit_slot *slot)
{
    if (!slot)
        return;
    pthread_key_delete(slot->key);
    free(slot);
}

int32_t sp_os_exit_slot_set(sp_os_exit_slot *slot, void *value) { return pthread_setspecific(slot->key, value); }
