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

#include <sharpipc.h>

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

static void *worker(void *arg)
{
    unload_job *j = arg;
    static uint8_t bytes[] = {3, 'a', 'b', 'c'};
    MemoryStream *(*ms_new)(void *, int32_t, int32_t, bool, bool) =
        (MemoryStream * (*)(void *, int32_t, int32_t, bool, bool)) dlsym(j->lib, "MemoryStream_newFromBuffer");
    BinaryReader *(*br_new)(Stream *) = (BinaryReader * (*)(Stream *)) dlsym(j->lib, "BinaryReader_new");
    char *(*read_string)(BinaryReader *) = (char *(*)(BinaryReader *))dlsym(j->lib, "BinaryReader_ReadString");
    void (*string_free)(char *) = (void (*)(char *))dlsym(j->lib, "String_Free");
    bool (*dispose)(Object *) = (bool (*)(Object *))dlsym(j->lib, "Dispose");
    if (ms_new && br_new && read_string && string_free && dispose) {
        MemoryStream *ms = ms_new(bytes, 0, (int32_t)sizeof bytes, false, false);
        BinaryReader *r = ms ? br_new((Stream *)ms) : NULL;
        char *s = r ? read_string(r) : NULL;
        if (s)
            snprintf(j->text, sizeof j->text, "%s", s);
        string_free(s); /* kept by this thread's cache: its exit hook is set */
        dispose((Object *)r);
        dispose((Object *)ms);
    }
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
