/*
 * SafeMemoryMappedFileHandle and SafeMemoryMappedViewHandle (a SafeBuffer): ported from
 * dotnet/runtime src/libraries/System.IO.MemoryMappedFiles/tests (MemoryMappedViewAccessor.Tests.cs
 * InvalidAfterDisposal and AllReadWriteMethods, MemoryMappedViewStream.Tests.cs
 * HandleClosedOnDisposal, MemoryMappedFilesTestsBase.cs ValidateMemoryMappedFile /
 * ValidateMemoryMappedViewAccessor / ValidateMemoryMappedViewStream / PopulateWithRandomData),
 * with sharpipc's own checks of the facts of MemoryMappedView.{Unix,Windows}.cs and
 * SafeMemoryMappedFileHandle.Unix.cs where no .NET test looks (ByteLength of a view at an
 * offset, closing a map's handle).
 *
 * A .NET test keeps using an object after Dispose (the GC keeps it); in C that takes a second
 * reference first (Object_Retain), released at the end.
 */
#include "sp_test.h"
#include "sp_process.h"

#ifdef _WIN32
#  include <windows.h>
#else
#  include <unistd.h>
#endif

#define MSG_ACCESSOR_CLOSED "Cannot access a closed accessor.\nObject name: 'UnmanagedMemoryAccessor'."
#define MSG_STREAM_CLOSED "Cannot access a closed Stream."
#define MSG_MAP_DISPOSED                                                                                               \
  "Cannot access a disposed object.\nObject name: 'Microsoft.Win32.SafeHandles.SafeMemoryMappedFileHandle'."

/* MemoryMappedFilesTestBase.CreateSampleMaps: an anonymous map, a new file's map and a named map
 * (a kernel object on Windows, sharpipc's /dev/shm object elsewhere). */
typedef struct {
    MemoryMappedFile *m[3];
    const char *what[3];
    int n;
} sample_maps;

static void create_sample_maps(sample_maps *s, int64_t capacity, MemoryMappedFileAccess access)
{
    char path[128];
    s->n = 0;
    s->what[s->n] = "CreateNew(null)";
    s->m[s->n++] = MemoryMappedFile_CreateNew(NULL, capacity, access);
    s->what[s->n] = "CreateFromFile(CreateNew)";
    s->m[s->n++] =
        MemoryMappedFile_CreateFromFile(sp_temp_name(path, "mmsh"), FileMode_CreateNew, NULL, capacity, access);
    s->what[s->n] = "CreateNew(name)";
    s->m[s->n++] = MemoryMappedFile_CreateNew(sp_unique_name("spmmsh"), capacity, access);
    for (int i = 0; i < s->n; i++) {
        if (!s->m[i])
            print_error("sample map %s failed: %s\n", s->what[i],
                        Exception_get_Current() ? Exception_get_Message(Exception_get_Current()) : "?");
        assert_non_null(s->m[i]);
    }
}

static void dispose_sample_maps(sample_maps *s)
{
    for (int i = 0; i < s->n; i++)
        assert_true(Dispose(s->m[i]));
    s->n = 0;
}

static int64_t page_size(void)
{
#ifdef _WIN32
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwPageSize;
#else
    return sysconf(_SC_PAGESIZE);
#endif
}

/* MemoryMappedFilesTestBase.ValidateMemoryMappedFile's handle checks, and
 * ValidateMemoryMappedViewAccessor / ValidateMemoryMappedViewStream's (NotNull, Same). */
static void MemoryMappedFilesTestBase_ValidateMemoryMappedFile_Handles(void **state)
{
    (void)state;
    sample_maps s;
    create_sample_maps(&s, 4096, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        SafeMemoryMappedFileHandle *h = MemoryMappedFile_get_SafeMemoryMappedFileHandle(s.m[i]);
        assert_non_null(h);
        assert_ptr_equal(h, MemoryMappedFile_get_SafeMemoryMappedFileHandle(s.m[i]));
        assert_false(SafeHandle_get_IsClosed(h));
        assert_false(SafeHandle_get_IsInvalid(h));
        EXPECT_NO_EXC();
        assert_string_equal(Object_GetTypeName(h), "Microsoft.Win32.SafeHandles.SafeMemoryMappedFileHandle");

        MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(s.m[i], 0, 4096);
        assert_non_null(a);
        SafeMemoryMappedViewHandle *va = MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(a);
        assert_non_null(va);
        assert_ptr_equal(va, MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(a));
        assert_false(SafeHandle_get_IsInvalid(va));
        assert_string_equal(Object_GetTypeName(va), "Microsoft.Win32.SafeHandles.SafeMemoryMappedViewHandle");
        MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i], 0, 4096);
        assert_non_null(v);
        SafeMemoryMappedViewHandle *vs = MemoryMappedViewStream_get_SafeMemoryMappedViewHandle(v);
        assert_non_null(vs);
        assert_ptr_equal(vs, MemoryMappedViewStream_get_SafeMemoryMappedViewHandle(v));
        assert_ptr_not_equal(va, vs); /* each view its own */
        EXPECT_NO_EXC();
        Dispose(v);
        Dispose(a);
    }
    dispose_sample_maps(&s);
}

/* MemoryMappedFilesTestBase.PopulateWithRandomData: writing ByteLength bytes of a whole view (at
 * offset 0, ByteLength is its Capacity) through the accessor. */
static void MemoryMappedFilesTestBase_PopulateWithRandomData(void **state)
{
    (void)state;
    sample_maps s;
    create_sample_maps(&s, 8192, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(s.m[i]);
        assert_non_null(acc);
        int length = (int)SafeBuffer_get_ByteLength(MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(acc));
        EXPECT_NO_EXC();
        ASSERT_I64(length, MemoryMappedViewAccessor_get_Capacity(acc));
        uint32_t r = 42;
        for (int j = 0; j < length; j++) {
            r = r * 1103515245u + 12345u;
            assert_true(MemoryMappedViewAccessor_WriteByte(acc, j, (uint8_t)(r >> 16)));
        }
        Dispose(acc);
    }
    dispose_sample_maps(&s);
}

/* MemoryMappedViewAccessorTests.AllReadWriteMethods, the part that checks PointerOffset through
 * the handle's pointer (AcquirePointer is DangerousGetHandle's address here), with
 * ByteLength = PointerOffset + Capacity (MemoryMappedView.*.cs: Initialize(size + extraMemNeeded)). */
typedef struct {
    int map_size, offset, size;
} rw_case;

static const rw_case rw_cases[] = {
    {8192, 0, 8192},  {8192, 8100, 92}, {8192, 0, 20},      {8192, 1, 8191},
    {8192, 17, 8175}, {8192, 17, 20},   {70000, 69900, 16},
};

static void MemoryMappedViewAccessorTests_AllReadWriteMethods_PointerOffset(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof rw_cases / sizeof rw_cases[0]; c++) {
        const rw_case *k = &rw_cases[c];
        sample_maps s;
        create_sample_maps(&s, k->map_size, MemoryMappedFileAccess_ReadWrite);
        for (int i = 0; i < s.n; i++) {
            MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(s.m[i], k->offset, k->size);
            assert_non_null(acc);
            SafeMemoryMappedViewHandle *h = MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(acc);
            int64_t po = MemoryMappedViewAccessor_get_PointerOffset(acc);
            ASSERT_U64(SafeBuffer_get_ByteLength(h), (uint64_t)(po + MemoryMappedViewAccessor_get_Capacity(acc)));
            uint8_t *ptr = (uint8_t *)SafeHandle_DangerousGetHandle(h);
            assert_non_null(ptr);
            for (int j = 0; j < k->size; j++) {
                assert_true(MemoryMappedViewAccessor_WriteByte(acc, j, (uint8_t)(j * 7 + 3)));
                ASSERT_I64(MemoryMappedViewAccessor_ReadByte(acc, j), ptr[po + j]);
                ptr[po + j] = (uint8_t)j;
                ASSERT_I64(MemoryMappedViewAccessor_ReadByte(acc, j), (uint8_t)j);
            }
            /* the stream view of the same range sees the same */
            MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i], k->offset, k->size);
            assert_non_null(v);
            SafeMemoryMappedViewHandle *vh = MemoryMappedViewStream_get_SafeMemoryMappedViewHandle(v);
            int64_t vpo = MemoryMappedViewStream_get_PointerOffset(v);
            ASSERT_U64(SafeBuffer_get_ByteLength(vh), (uint64_t)(vpo + UnmanagedMemoryStream_get_Capacity(v)));
            ASSERT_I64(((uint8_t *)SafeHandle_DangerousGetHandle(vh))[vpo + k->size - 1], (uint8_t)(k->size - 1));
            Dispose(v);
            Dispose(acc);
        }
        dispose_sample_maps(&s);
    }
}

/* sharpipc's own, from MemoryMappedView.Unix.cs: a view of size 0 at the map's end has PointerOffset
 * and ByteLength 0 on Unix; on Windows the view spans the rest of its region, and ByteLength is
 * still PointerOffset + Capacity. */
static void zero_size_view_byte_length(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    assert_non_null(m);
    MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(m, 4096, 0);
    assert_non_null(v);
    SafeMemoryMappedViewHandle *h = MemoryMappedViewStream_get_SafeMemoryMappedViewHandle(v);
    uint64_t n = SafeBuffer_get_ByteLength(h);
    EXPECT_NO_EXC();
    ASSERT_U64(n, (uint64_t)(MemoryMappedViewStream_get_PointerOffset(v) + UnmanagedMemoryStream_get_Capacity(v)));
#ifndef _WIN32
    ASSERT_U64(n, 0);
#endif
    Dispose(v);
    Dispose(m);
}

/* MemoryMappedViewAccessorTests.InvalidAfterDisposal */
static void MemoryMappedViewAccessorTests_InvalidAfterDisposal(void **state)
{
    (void)state;
    sample_maps s;
    create_sample_maps(&s, 4096, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(s.m[i]);
        assert_non_null(acc);
        Object_Retain(acc); /* the test uses it after Dispose */
        SafeMemoryMappedViewHandle *handle = MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(acc);
        uint64_t length = SafeBuffer_get_ByteLength(handle);

        assert_false(SafeHandle_get_IsClosed(handle));
        assert_true(Dispose(acc));
        assert_true(SafeHandle_get_IsClosed(handle));

        MemoryMappedViewAccessor_ReadByte(acc, 0);
        EXPECT_EXC(ObjectDisposedException);
        assert_false(MemoryMappedViewAccessor_WriteByte(acc, 0, 0));
        EXPECT_EXC(ObjectDisposedException);
        assert_false(MemoryMappedViewAccessor_Flush(acc));
        EXPECT_EXC(ObjectDisposedException);

        /* sharpipc's own: the property still answers (.NET's is a field), closed; ByteLength too */
        assert_ptr_equal(handle, MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(acc));
        ASSERT_U64(SafeBuffer_get_ByteLength(handle), length);
        EXPECT_NO_EXC();
        Dispose(acc);
    }
    dispose_sample_maps(&s);
}

/* MemoryMappedViewStreamTests.HandleClosedOnDisposal; and the handle asked for only after the
 * Dispose is a closed one (.NET makes it with the view). */
static void MemoryMappedViewStreamTests_HandleClosedOnDisposal(void **state)
{
    (void)state;
    sample_maps s;
    create_sample_maps(&s, 4096, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(s.m[i]);
        assert_non_null(v);
        Object_Retain(v);
        SafeMemoryMappedViewHandle *handle = MemoryMappedViewStream_get_SafeMemoryMappedViewHandle(v);
        assert_false(SafeHandle_get_IsClosed(handle));
        assert_true(Dispose(v));
        assert_true(SafeHandle_get_IsClosed(handle));
        Dispose(v);

        MemoryMappedViewStream *late = MemoryMappedFile_CreateViewStream(s.m[i]);
        assert_non_null(late);
        Object_Retain(late);
        assert_true(Dispose(late));
        handle = MemoryMappedViewStream_get_SafeMemoryMappedViewHandle(late);
        assert_non_null(handle);
        assert_true(SafeHandle_get_IsClosed(handle));
        EXPECT_NO_EXC();
        Dispose(late);
    }
    dispose_sample_maps(&s);
}

/* sharpipc's own (.NET: SafeBuffer.AcquirePointer on a closed handle is ObjectDisposedException):
 * closing a view's handle closes the view; its memory stays until the view object goes. */
static void closing_a_view_handle_closes_the_view(void **state)
{
    (void)state;
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    assert_non_null(m);
    MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(m);
    MemoryMappedViewStream *v = MemoryMappedFile_CreateViewStream(m);
    assert_non_null(acc);
    assert_non_null(v);
    assert_true(MemoryMappedViewAccessor_WriteInt32(acc, 0, 42));
    assert_true(SafeHandle_Close(MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(acc)));
    MemoryMappedViewAccessor_ReadInt32(acc, 0);
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_ACCESSOR_CLOSED);
    assert_false(MemoryMappedViewAccessor_get_CanRead(acc));
    assert_true(SafeHandle_Close(MemoryMappedViewStream_get_SafeMemoryMappedViewHandle(v)));
    assert_true(Stream_ReadByte(v) < 0);
    EXPECT_EXC_MSG(ObjectDisposedException, MSG_STREAM_CLOSED);
    assert_true(Dispose(acc));
    assert_true(Dispose(v));
    EXPECT_NO_EXC();
    /* the map is untouched: a new view reads what the first wrote */
    MemoryMappedViewAccessor *again = MemoryMappedFile_CreateViewAccessor(m);
    assert_non_null(again);
    ASSERT_I64(MemoryMappedViewAccessor_ReadInt32(again, 0), 42);
    Dispose(again);
    Dispose(m);
}

/* sharpipc's own: a map's Dispose closes its handle (MemoryMappedFile.Dispose disposes _handle). */
static void map_dispose_closes_its_handle(void **state)
{
    (void)state;
    sample_maps s;
    create_sample_maps(&s, 4096, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        SafeMemoryMappedFileHandle *h =
            (SafeMemoryMappedFileHandle *)Object_Retain(MemoryMappedFile_get_SafeMemoryMappedFileHandle(s.m[i]));
        assert_non_null(h);
        assert_true(Dispose(s.m[i]));
        assert_true(SafeHandle_get_IsClosed(h));
        assert_false(SafeHandle_get_IsInvalid(h));
        EXPECT_NO_EXC();
        assert_true(SafeHandle_Dispose(h));
    }
    s.n = 0;
    /* and one first asked for after the Dispose is closed */
    MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
    Object_Retain(m);
    assert_true(Dispose(m));
    SafeMemoryMappedFileHandle *late = MemoryMappedFile_get_SafeMemoryMappedFileHandle(m);
    assert_non_null(late);
    assert_true(SafeHandle_get_IsClosed(late));
    Dispose(m);
}

/* sharpipc's own, from SafeMemoryMappedFileHandle.Unix.cs (Dispose disposes the FileStream the map
 * owns) and MemoryMappedView.Unix.cs (a closed handle: ObjectDisposedException for a new view):
 * closing a map's handle closes the map; views made before stay usable (UseAfterMMFDisposal). */
static void closing_a_map_handle_closes_the_map(void **state)
{
    (void)state;
    sample_maps s;
    create_sample_maps(&s, 8192, MemoryMappedFileAccess_ReadWrite);
    for (int i = 0; i < s.n; i++) {
        MemoryMappedViewAccessor *acc = MemoryMappedFile_CreateViewAccessor(s.m[i]);
        assert_non_null(acc);
        assert_true(SafeHandle_Close(MemoryMappedFile_get_SafeMemoryMappedFileHandle(s.m[i])));
        EXPECT_NO_EXC();
        assert_true(SafeHandle_get_IsClosed(MemoryMappedFile_get_SafeMemoryMappedFileHandle(s.m[i])));
        assert_null(MemoryMappedFile_CreateViewAccessor(s.m[i]));
        EXPECT_EXC_MSG(ObjectDisposedException, MSG_MAP_DISPOSED);
        assert_null(MemoryMappedFile_CreateViewStream(s.m[i]));
        EXPECT_EXC(ObjectDisposedException);
        /* the view made before still works */
        assert_true(MemoryMappedViewAccessor_WriteInt64(acc, 8184, 7));
        ASSERT_I64(MemoryMappedViewAccessor_ReadInt64(acc, 8184), 7);
        assert_true(Dispose(acc));
        assert_true(Dispose(s.m[i])); /* Dispose after the handle closed: harmless */
        EXPECT_NO_EXC();
    }
    s.n = 0;
}

/* sharpipc's own: handles asked for and closed on two threads while the owner is disposed: no
 * crash, no leak, no use after free (ASan, valgrind). */
typedef struct race {
    MemoryMappedFile *m;
    MemoryMappedViewAccessor *a;
} race;

static void race_worker(void *arg)
{
    race *r = arg;
    for (int i = 0; i < 50; i++) {
        SafeMemoryMappedFileHandle *h = MemoryMappedFile_get_SafeMemoryMappedFileHandle(r->m);
        SafeMemoryMappedViewHandle *vh = MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(r->a);
        assert_non_null(h);
        assert_non_null(vh);
        if (i == 25) {
            SafeHandle_Close(h);
            SafeHandle_Close(vh);
        }
        (void)SafeBuffer_get_ByteLength(vh);
        (void)SafeHandle_get_IsClosed(h);
    }
}

static void handles_race_with_their_owners(void **state)
{
    (void)state;
    for (int round = 0; round < 30; round++) {
        MemoryMappedFile *m = MemoryMappedFile_CreateNew(NULL, 4096);
        assert_non_null(m);
        MemoryMappedViewAccessor *a = MemoryMappedFile_CreateViewAccessor(m);
        assert_non_null(a);
        Object_Retain(m);
        Object_Retain(a);
        race r = {m, a};
        sp_thread *t1 = sp_thread_start(race_worker, &r);
        sp_thread *t2 = sp_thread_start(race_worker, &r);
        Dispose(a);
        Dispose(m);
        sp_thread_join(t1);
        sp_thread_join(t2);
        assert_true(SafeHandle_get_IsClosed(MemoryMappedFile_get_SafeMemoryMappedFileHandle(m)));
        assert_true(SafeHandle_get_IsClosed(MemoryMappedViewAccessor_get_SafeMemoryMappedViewHandle(a)));
        Dispose(a);
        Dispose(m);
        Exception_Clear();
    }
    (void)page_size;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(MemoryMappedFilesTestBase_ValidateMemoryMappedFile_Handles),
        cmocka_unit_test(MemoryMappedFilesTestBase_PopulateWithRandomData),
        cmocka_unit_test(MemoryMappedViewAccessorTests_AllReadWriteMethods_PointerOffset),
        cmocka_unit_test(zero_size_view_byte_length),
        cmocka_unit_test(MemoryMappedViewAccessorTests_InvalidAfterDisposal),
        cmocka_unit_test(MemoryMappedViewStreamTests_HandleClosedOnDisposal),
        cmocka_unit_test(closing_a_view_handle_closes_the_view),
        cmocka_unit_test(map_dispose_closes_its_handle),
        cmocka_unit_test(closing_a_map_handle_closes_the_map),
        cmocka_unit_test(handles_race_with_their_owners),
    };
    return cmocka_run_group_tests(tests, NULL, sp_remove_temp_files);
}
