/*
 * sharpipc's own (no .NET counterpart: the GC does this there): the per-thread cache of small
 * blocks behind the strings and arrays the readers return (src/core/smallblock.h), and the
 * seam's thread-exit slot it rests on (sp_os_exit_slot, platform_thread.h). Each case runs on
 * threads of its own, whose caches start empty; the threads only record, the main thread asserts
 * (cmocka's asserts belong to it).
 */
#include "sp_test.h"

#include "core/smallblock.h"
#include "core/thread.h"
#include "System.Net/netobjects.h"
#include "System.Text/text.h"

#define N (3 * SP_SMALL_KEEP)

static void run_on_thread(void (*fn)(void *), void *arg)
{
    sp_task *t = sp_task_start(fn, arg);
    assert_non_null(t);
    sp_task_join(t);
}

/* ---------------------------------------------------------------- the seam's exit slot */

typedef struct {
    int calls;
    void *value;
    int32_t set_rc;
} exit_record;

static void record_exit(void *value)
{
    exit_record *r = value;
    r->calls++;
    r->value = value;
}

static sp_os_exit_slot *test_slot;

static void set_slot(void *arg)
{
    exit_record *r = arg;
    r->set_rc = sp_os_exit_slot_set(test_slot, arg);
}
static void set_then_clear_slot(void *arg)
{
    sp_os_exit_slot_set(test_slot, arg);
    sp_os_exit_slot_set(test_slot, NULL);
}

/* at_exit(value) runs once when a thread that set a value ends, not for one whose value is NULL. */
static void ExitSlot_RunsAtThreadEnd(void **state)
{
    (void)state;
    ASSERT_I64(sp_os_exit_slot_new(record_exit, &test_slot), 0);
    exit_record r = {0, NULL, -1};
    run_on_thread(set_slot, &r);
    ASSERT_I64(r.set_rc, 0);
    ASSERT_I64(r.calls, 1);
    assert_ptr_equal(r.value, &r);
    exit_record cleared = {0, NULL, 0};
    run_on_thread(set_then_clear_slot, &cleared);
    ASSERT_I64(cleared.calls, 0);
    sp_os_exit_slot_free(test_slot);
}

/* ---------------------------------------------------------------- the cache */

typedef struct {
    char *strings[N];
    uint8_t *arrays[N];
    int32_t kept_before, kept_after, kept_arrays;
    bool reused, contents_ok;
} cache_record;

static const char text21[] = "twenty-one bytes long";

/* N strings of 21 bytes and N byte arrays of 16 (one class: 32 bytes) freed on the thread that made
 * them: it keeps SP_SMALL_KEEP and hands the rest to free(); the last block it kept is the next
 * handed out. */
static void alloc_and_free(void *arg)
{
    cache_record *r = arg;
    r->kept_before = sp_small_kept(0);
    for (int i = 0; i < N; i++)
        r->strings[i] = sp_string_new(text21, 21);
    for (int i = 0; i < N; i++)
        String_Free(r->strings[i]);
    r->kept_after = sp_small_kept(0);
    char *again = sp_string_new(text21, 21);
    r->reused = again == r->strings[SP_SMALL_KEEP - 1]; /* the last one kept */
    r->contents_ok = again && strcmp(again, text21) == 0;
    String_Free(again);
    for (int i = 0; i < N; i++)
        r->arrays[i] = sp_array_from(VariantType_Byte, text21, 16);
    for (int i = 0; i < N; i++)
        Array_Free(r->arrays[i]);
    r->kept_arrays = sp_small_kept(0);
}

static void SmallBlock_KeepsAtMostTheBound(void **state)
{
    (void)state;
    cache_record r;
    memset(&r, 0, sizeof r);
    run_on_thread(alloc_and_free, &r);
    ASSERT_I64(r.kept_before, 0);
    ASSERT_I64(r.kept_after, SP_SMALL_KEEP);
    assert_true(r.reused);
    assert_true(r.contents_ok);
    ASSERT_I64(r.kept_arrays, SP_SMALL_KEEP);
}

static void make_blocks(void *arg)
{
    cache_record *r = arg;
    for (int i = 0; i < N; i++) {
        r->strings[i] = sp_string_new(text21, 21);
        r->arrays[i] = sp_array_from(VariantType_Byte, text21, 16);
    }
}

static void free_blocks(void *arg)
{
    cache_record *r = arg;
    r->kept_before = sp_small_kept(0);
    r->contents_ok = true;
    for (int i = 0; i < N; i++) {
        r->contents_ok &= r->strings[i] && strcmp(r->strings[i], text21) == 0;
        r->contents_ok &= r->arrays[i] && Array_get_Length(r->arrays[i]) == 16 && !memcmp(r->arrays[i], text21, 16);
        String_Free(r->strings[i]);
        Array_Free(r->arrays[i]);
    }
    r->kept_after = sp_small_kept(0);
}

/* Blocks made on one thread and freed on another join the freeing thread's cache, up to its bound
 * (the rest go to free()); the thread that made them kept none. valgrind and ASan check that
 * every one of them is freed once, by the end of both threads. */
static void SmallBlock_FreedOnAnotherThread(void **state)
{
    (void)state;
    cache_record r;
    memset(&r, 0, sizeof r);
    int64_t at_exit_before = sp_small_freed_at_exit();
    run_on_thread(make_blocks, &r);
    ASSERT_I64(sp_small_freed_at_exit(), at_exit_before); /* the maker had kept nothing */
    run_on_thread(free_blocks, &r);
    assert_true(r.contents_ok);
    ASSERT_I64(r.kept_before, 0);
    ASSERT_I64(r.kept_after, SP_SMALL_KEEP);
    ASSERT_I64(sp_small_freed_at_exit(), at_exit_before + SP_SMALL_KEEP); /* the freer's, when it ended */
}

typedef struct {
    int32_t kept[SP_SMALL_CLASSES];
} exit_cache_record;

/* One block of each class, and a class filled to its bound. */
static void keep_some(void *arg)
{
    exit_cache_record *r = arg;
    for (unsigned cls = 0; cls < SP_SMALL_CLASSES; cls++) {
        size_t length = sp_small_size(cls) - 2; /* the largest string of the class */
        char text[SP_SMALL_MAX];
        memset(text, 'x', length);
        String_Free(sp_string_new(text, length));
    }
    char *s[SP_SMALL_KEEP];
    for (int i = 0; i < SP_SMALL_KEEP; i++)
        s[i] = sp_string_new(text21, 21);
    for (int i = 0; i < SP_SMALL_KEEP; i++)
        String_Free(s[i]);
    for (unsigned cls = 0; cls < SP_SMALL_CLASSES; cls++)
        r->kept[cls] = sp_small_kept(cls);
}

/* A thread's cached blocks are freed when it ends (valgrind's lane sees none of them leak). */
static void SmallBlock_FreedWhenTheThreadEnds(void **state)
{
    (void)state;
    exit_cache_record r;
    memset(&r, 0, sizeof r);
    int64_t before = sp_small_freed_at_exit();
    run_on_thread(keep_some, &r);
    ASSERT_I64(r.kept[0], SP_SMALL_KEEP);
    int64_t kept = 0;
    for (unsigned cls = 0; cls < SP_SMALL_CLASSES; cls++) {
        if (cls > 0)
            ASSERT_I64(r.kept[cls], 1);
        kept += r.kept[cls];
    }
    ASSERT_I64(sp_small_freed_at_exit(), before + kept);
}

/* The classes, and the odd address that marks a small string; longer strings and arrays are
 * malloc's, and sp_array_resize moves an array into and out of a small block keeping its
 * elements. */
static void SmallBlock_ClassesAndResize(void **state)
{
    (void)state;
    ASSERT_I64(sp_small_class(1), 0);
    ASSERT_I64(sp_small_class(32), 0);
    ASSERT_I64(sp_small_class(33), 1);
    ASSERT_I64(sp_small_class(128), 2);
    ASSERT_I64(sp_small_class(129), 3);
    ASSERT_I64(sp_small_class(SP_SMALL_MAX), SP_SMALL_CLASSES - 1);
    ASSERT_I64(sp_small_size(SP_SMALL_CLASSES - 1), SP_SMALL_MAX);

    char big[SP_SMALL_MAX];
    memset(big, 'y', sizeof big);
    char *small = sp_string_new(big, SP_SMALL_MAX - 2), *large = sp_string_new(big, SP_SMALL_MAX - 1);
    ASSERT_I64((uintptr_t)small & 1, 1);
    ASSERT_I64((uintptr_t)large & 1, 0);
    ASSERT_I64(strlen(small), SP_SMALL_MAX - 2);
    ASSERT_I64(strlen(large), SP_SMALL_MAX - 1);
    String_Free(small);
    String_Free(large);

    int32_t *a = sp_array_new(VariantType_Int32, 4);
    assert_non_null(a);
    for (int32_t i = 0; i < 4; i++)
        a[i] = i * 7;
    a = sp_array_resize(a, 1000); /* 4 KiB: malloc's */
    assert_non_null(a);
    ASSERT_I64(Array_get_Length(a), 1000);
    a[999] = 5;
    a = sp_array_resize(a, 3); /* back into a small block */
    assert_non_null(a);
    ASSERT_I64(Array_get_Length(a), 3);
    ASSERT_I64(a[0], 0);
    ASSERT_I64(a[2], 14);
    a = sp_array_resize(a, 100); /* a larger small class */
    assert_non_null(a);
    ASSERT_I64(a[1], 7);
    Array_Free(a);

    /* A String array frees its small strings with it. */
    char **strings = sp_array_new(VariantType_String, 2);
    assert_non_null(strings);
    strings[0] = sp_string_new(text21, 21);
    strings[1] = String_Copy(text21); /* malloc's */
    Array_Free(strings);
}

/* ---------------------------------------------------------------- objects */

/* The class an object of `size` bytes takes its block from. */
#define OBJECT_CLASS(size) sp_small_class(size)

typedef struct {
    IPEndPoint *endpoints[N];
    IPAddress *addresses[N];
    Object *big[4];
    int32_t kept_after_make, kept_before, kept_after;
    bool made;
} object_record;

static void make_objects(void *arg)
{
    object_record *r = arg;
    r->made = true;
    for (int i = 0; i < N; i++) {
        uint8_t bytes[4] = {10, 0, 0, (uint8_t)i};
        r->addresses[i] = sp_ipaddress_make(AddressFamily_InterNetwork, bytes, 0);
        r->endpoints[i] = IPEndPoint_new(r->addresses[i], 1000 + i);
        r->made &= r->addresses[i] && r->endpoints[i];
    }
    for (int i = 0; i < 4; i++) { /* past the biggest class: calloc's */
        r->big[i] = sp_object_new(SP_SMALL_MAX + 8, &sp_type_Object);
        r->made &= r->big[i] != NULL;
    }
    r->kept_after_make = sp_small_kept(OBJECT_CLASS(sizeof(IPEndPoint)));
}

static void dispose_objects(void *arg)
{
    object_record *r = arg;
    r->kept_before = sp_small_kept(OBJECT_CLASS(sizeof(IPEndPoint)));
    for (int i = 0; i < N; i++) {
        r->made &= IPEndPoint_get_Port(r->endpoints[i]) == 1000 + i;
        Dispose((Object *)r->addresses[i]); /* the endpoint's reference keeps it */
        Dispose((Object *)r->endpoints[i]);
    }
    for (int i = 0; i < 4; i++)
        Dispose(r->big[i]);
    r->kept_after = sp_small_kept(OBJECT_CLASS(sizeof(IPEndPoint)));
}

/* Objects are small blocks too (up to SP_SMALL_MAX bytes; bigger ones calloc's): made on one
 * thread and disposed on another, they join the disposing thread's cache up to its bound, and
 * valgrind and ASan see each freed once. */
static void Object_FreedOnAnotherThread(void **state)
{
    (void)state;
    _Static_assert(sizeof(IPEndPoint) <= SP_SMALL_MAX && sizeof(IPAddress) <= SP_SMALL_MAX, "small objects");
    ASSERT_I64(OBJECT_CLASS(sizeof(IPEndPoint)), OBJECT_CLASS(sizeof(IPAddress))); /* one class for both */
    object_record r;
    memset(&r, 0, sizeof r);
    run_on_thread(make_objects, &r);
    assert_true(r.made);
    ASSERT_I64(r.kept_after_make, 0);
    run_on_thread(dispose_objects, &r);
    assert_true(r.made);
    ASSERT_I64(r.kept_before, 0);
    ASSERT_I64(r.kept_after, SP_SMALL_KEEP);
}

typedef struct {
    void *first, *last;
    bool same, ok;
    int32_t kept_min, kept_max;
} loop_record;

static void endpoint_loop(void *arg)
{
    loop_record *r = arg;
    unsigned cls = OBJECT_CLASS(sizeof(IPEndPoint));
    r->same = r->ok = true;
    r->kept_min = INT32_MAX;
    for (int i = 0; i < 10000; i++) {
        IPEndPoint *e = IPEndPoint_new(IPAddress_Any, 0);
        r->ok &= e != NULL;
        if (i == 0)
            r->first = e;
        else if (i > 1)
            r->same &= e == r->last;
        r->last = e;
        r->ok &= Dispose((Object *)e);
        int32_t kept = sp_small_kept(cls);
        if (kept < r->kept_min)
            r->kept_min = kept;
        if (kept > r->kept_max)
            r->kept_max = kept;
    }
}

/* new IPEndPoint + Dispose in a loop (what a ReceiveFrom loop into a fresh endpoint does): one
 * block, taken and given back each time; nothing grows. */
static void Object_EndPointLoop_NoGrowth(void **state)
{
    (void)state;
    loop_record r;
    memset(&r, 0, sizeof r);
    run_on_thread(endpoint_loop, &r);
    assert_true(r.ok);
    assert_true(r.same);
    ASSERT_I64(r.kept_min, 1);
    ASSERT_I64(r.kept_max, 1);
}

#ifdef SHARPIPC_FAULT_INJECTION
typedef struct {
    IPEndPoint *failed, *made;
    ExceptionType e;
    bool made_ok;
} oom_object_record;

static void endpoint_oom(void *arg)
{
    oom_object_record *r = arg;
    sp_small_fail(1, 1);
    r->failed = IPEndPoint_new(IPAddress_Loopback, 5);
    const Exception *e = Exception_get_Current();
    r->e = e ? Exception_get_Type(e) : (ExceptionType)-1;
    r->made = IPEndPoint_new(IPAddress_Loopback, 6);
    r->made_ok = r->made && IPEndPoint_get_Port(r->made) == 6;
    sp_small_fail(0, 0);
    Dispose((Object *)r->made);
}

/* An object that cannot be allocated: NULL and OutOfMemoryException, as calloc's failing was. */
static void Object_OutOfMemory_Throws(void **state)
{
    (void)state;
    oom_object_record r;
    memset(&r, 0, sizeof r);
    run_on_thread(endpoint_oom, &r);
    assert_null(r.failed);
    ASSERT_I64(r.e, ExceptionType_OutOfMemoryException);
    assert_true(r.made_ok);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ExitSlot_RunsAtThreadEnd),        cmocka_unit_test(SmallBlock_KeepsAtMostTheBound),
        cmocka_unit_test(SmallBlock_FreedOnAnotherThread), cmocka_unit_test(SmallBlock_FreedWhenTheThreadEnds),
        cmocka_unit_test(SmallBlock_ClassesAndResize),     cmocka_unit_test(Object_FreedOnAnotherThread),
        cmocka_unit_test(Object_EndPointLoop_NoGrowth),
#ifdef SHARPIPC_FAULT_INJECTION
        cmocka_unit_test(Object_OutOfMemory_Throws),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
