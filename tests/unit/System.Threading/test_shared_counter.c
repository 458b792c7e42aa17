/*
 * Issue 4's proof of named Mutex + named map together: two processes increment one counter in a
 * named map under a named Mutex, a million times each (SHARPIPC_COUNTER_ITERATIONS overrides, for
 * valgrind), and no update is lost. Then a holder killed while it owns the mutex: the waiter is
 * told the mutex was abandoned, owns it, and the counter is intact.
 */
#include "sp_test.h"
#include "sp_process.h"

static int iterations(void)
{
    const char *env = getenv("SHARPIPC_COUNTER_ITERATIONS");
    return env && atoi(env) > 0 ? atoi(env) : 1000000;
}

/* argv: map name, mutex name, iterations */
static int role_incrementer(int argc, char **argv)
{
    if (argc < 3)
        return 10;
    MemoryMappedFile *mmf = MemoryMappedFile_OpenExisting(argv[0]);
    Mutex *mutex = Mutex_OpenExisting(argv[1]);
    if (!mmf || !mutex)
        return 11;
    MemoryMappedViewAccessor *view = MemoryMappedFile_CreateViewAccessor(mmf);
    int n = atoi(argv[2]);
    for (int i = 0; i < n; i++) {
        if (!Mutex_WaitOne(mutex))
            return 12;
        int64_t v = MemoryMappedViewAccessor_ReadInt64(view, 0);
        MemoryMappedViewAccessor_WriteInt64(view, 0, v + 1);
        if (!Mutex_ReleaseMutex(mutex))
            return 13;
    }
    Dispose(view);
    Dispose(mutex);
    Dispose(mmf);
    return 0;
}

/* Takes the mutex, says so in the map, and waits to be killed while holding it. */
static int role_holder(int argc, char **argv)
{
    if (argc < 2)
        return 20;
    MemoryMappedFile *mmf = MemoryMappedFile_OpenExisting(argv[0]);
    Mutex *mutex = Mutex_OpenExisting(argv[1]);
    if (!mmf || !mutex || !Mutex_WaitOne(mutex))
        return 21;
    MemoryMappedViewAccessor *view = MemoryMappedFile_CreateViewAccessor(mmf);
    MemoryMappedViewAccessor_WriteInt32(view, 8, 1); /* "I hold it" */
    sp_sleep_ms(60000);
    return 22;
}

/* sharpipc's own: two processes increment one counter in a named map under a named Mutex, and no update is lost
   (cf. System.Threading/tests/MutexTests.cs: MutualExclusionTest, which uses threads) */
static void two_processes_count_without_losing_updates(void **state)
{
    (void)state;
    const char *map = sp_unique_name("sp_counter_map");
    const char *mutex_name = sp_unique_name("sp_counter_mutex");
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(map, 4096);
    assert_non_null(mmf);
    bool created = false;
    Mutex *mutex = Mutex_new(false, mutex_name, &created);
    assert_non_null(mutex);
    assert_true(created);
    char count[16];
    snprintf(count, sizeof count, "%d", iterations());
    const char *args[3] = {map, mutex_name, count};
    sp_child *a = sp_child_start("incrementer", args, 3);
    sp_child *b = sp_child_start("incrementer", args, 3);
    assert_int_equal(sp_child_wait(a, 600000), 0);
    assert_int_equal(sp_child_wait(b, 600000), 0);
    sp_child_free(a);
    sp_child_free(b);
    MemoryMappedViewAccessor *view = MemoryMappedFile_CreateViewAccessor(mmf);
    ASSERT_I64(MemoryMappedViewAccessor_ReadInt64(view, 0), 2 * (int64_t)iterations());
    Dispose(view);
    Dispose(mutex);
    Dispose(mmf);
}

/* sharpipc's own: a process killed while it owns the named Mutex guarding the map: the waiter gets
   AbandonedMutexException, owns the mutex, and the counter is intact (cf. System.Threading/tests/MutexTests.cs: AbandonExisting) */
static void killed_holder_abandons_the_mutex(void **state)
{
    (void)state;
    const char *map = sp_unique_name("sp_abandon_map");
    const char *mutex_name = sp_unique_name("sp_abandon_mutex");
    MemoryMappedFile *mmf = MemoryMappedFile_CreateNew(map, 4096);
    Mutex *mutex = Mutex_new(false, mutex_name);
    assert_non_null(mmf);
    assert_non_null(mutex);
    MemoryMappedViewAccessor *view = MemoryMappedFile_CreateViewAccessor(mmf);
    const char *args[2] = {map, mutex_name};
    sp_child *holder = sp_child_start("holder", args, 2);
    for (int i = 0; i < 2000 && MemoryMappedViewAccessor_ReadInt32(view, 8) != 1; i++)
        sp_sleep_ms(5);
    assert_int_equal(MemoryMappedViewAccessor_ReadInt32(view, 8), 1);
    assert_false(Mutex_WaitOne(mutex, 50)); /* held elsewhere: a timeout, no exception */
    EXPECT_NO_EXC();
    sp_child_kill(holder);
    sp_child_free(holder);
    assert_false(Mutex_WaitOne(mutex, 10000));
    EXPECT_EXC_MSG(AbandonedMutexException, "The wait completed due to an abandoned mutex.");
    /* the abandoned mutex is ours now */
    assert_true(Mutex_ReleaseMutex(mutex));
    assert_true(Mutex_WaitOne(mutex, 1000));
    assert_true(Mutex_ReleaseMutex(mutex));
    Dispose(view);
    Dispose(mutex);
    Dispose(mmf);
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"incrementer", "holder"};
    static const sp_child_role roles[] = {role_incrementer, role_holder};
    int child = sp_child_main(argc, argv, names, roles, 2);
    if (child >= 0)
        return child;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_processes_count_without_losing_updates),
        cmocka_unit_test(killed_holder_abandons_the_mutex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
