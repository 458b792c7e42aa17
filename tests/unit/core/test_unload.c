/*
 * sharpipc's own: a program may dlopen the shared library, use it on a thread and dlclose it
 * while that thread still runs. The small-block cache (src/core/smallblock.h) leaves a pthread key
 * destructor in the library for each thread that kept a block; had the library gone, the thread's
 * end would call into unmapped code. Its initial-exec thread-locals (core/internal.h) need room in
 * the static TLS block that glibc keeps for dlopen, asked for here by re-running the test with
 * GLIBC_TUNABLES when the caller did not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "unload_use.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#define TUNABLE "glibc.rtld.optional_static_tls=65536"

typedef struct {
    void *lib;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int phase; /* 1: the worker freed its string; 2: the library is closed */
    char text[8];
} unload_job;

static unload_fn lookup(void *lib, const char *name) { return (unload_fn)dlsym(lib, name); }

static void *worker(void *arg)
{
    unload_job *j = arg;
    unload_use_library(lookup, j->lib, j->text, sizeof j->text);
    pthread_mutex_lock(&j->lock);
    j->phase = 1;
    pthread_cond_broadcast(&j->cond);
    while (j->phase != 2)
        pthread_cond_wait(&j->cond, &j->lock);
    pthread_mutex_unlock(&j->lock);
    return NULL; /* the thread ends after the dlclose */
}

static void Unload_ThreadEndsAfterDlclose(void **state)
{
    (void)state;
    unload_job j = {dlopen(SP_SHARPIPC_SO, RTLD_NOW | RTLD_LOCAL), PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                    0, ""};
    if (!j.lib)
        fail_msg("dlopen: %s", dlerror());
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, worker, &j), 0);
    pthread_mutex_lock(&j.lock);
    while (j.phase != 1)
        pthread_cond_wait(&j.cond, &j.lock);
    pthread_mutex_unlock(&j.lock);
    assert_string_equal(j.text, "abc");
    assert_int_equal(dlclose(j.lib), 0);
    pthread_mutex_lock(&j.lock);
    j.phase = 2;
    pthread_cond_broadcast(&j.cond);
    pthread_mutex_unlock(&j.lock);
    assert_int_equal(pthread_join(t, NULL), 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (!tunables || !strstr(tunables, "optional_static_tls")) {
        setenv("GLIBC_TUNABLES", TUNABLE, 1);
        execv(argv[0], argv); /* (not /proc/self/exe: under valgrind that is the tool) */
        fprintf(stderr, "test_unload: cannot re-run itself with GLIBC_TUNABLES\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(Unload_ThreadEndsAfterDlclose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
