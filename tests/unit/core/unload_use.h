/* test_unload.c / test_unload_win32.c: what the thread does with the library it loaded. */
#ifndef SP_TEST_UNLOAD_USE_H
#define SP_TEST_UNLOAD_USE_H

#include <sharpipc.h>

#include <stdio.h>

/* An exported function of the loaded library, by name (dlsym, GetProcAddress), or NULL. */
typedef void (*unload_fn)(void);
typedef unload_fn (*unload_lookup)(void *lib, const char *name);

/* Reads a short string through the loaded library's own exported calls and frees it: the block
 * stays in this thread's cache, whose thread-exit hook is then set. The text read goes to text. */
static void unload_use_library(unload_lookup lookup, void *lib, char *text, size_t size)
{
    static uint8_t bytes[] = {3, 'a', 'b', 'c'};
    MemoryStream *(*ms_new)(void *, int32_t, int32_t, bool, bool) =
        (MemoryStream * (*)(void *, int32_t, int32_t, bool, bool)) lookup(lib, "MemoryStream_newFromBuffer");
    BinaryReader *(*br_new)(Stream *) = (BinaryReader * (*)(Stream *)) lookup(lib, "BinaryReader_new");
    char *(*read_string)(BinaryReader *) = (char *(*)(BinaryReader *))lookup(lib, "BinaryReader_ReadString");
    void (*string_free)(char *) = (void (*)(char *))lookup(lib, "String_Free");
    bool (*dispose)(Object *) = (bool (*)(Object *))lookup(lib, "Dispose");
    if (!(ms_new && br_new && read_string && string_free && dispose))
        return;
    MemoryStream *ms = ms_new(bytes, 0, (int32_t)sizeof bytes, false, false);
    BinaryReader *r = ms ? br_new((Stream *)ms) : NULL;
    char *s = r ? read_string(r) : NULL;
    if (s)
        snprintf(text, size, "%s", s);
    string_free(s);
    dispose((Object *)r);
    dispose((Object *)ms);
}

#endif
