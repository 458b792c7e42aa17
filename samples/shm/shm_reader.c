/*
 * Reads what shm_writer (or any .NET process with the seed) put in the named map.
 *   shm_reader [MapName]
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L /* nanosleep */
#endif
#include <sharpipc.h>
#include <stdio.h>
#ifdef _WIN32
#  include <windows.h>
#  define sleep_ms(ms) Sleep(ms)
#else
#  include <time.h>
static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}
#endif

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "SharedMemory";
    /* var mmf = MemoryMappedFile.OpenExisting("SharedMemory"); (the writer may start later) */
    MemoryMappedFile *mmf = NULL;
    for (int tries = 0; tries < 500 && !(mmf = MemoryMappedFile_OpenExisting(name)); tries++)
        sleep_ms(10);
    if (!mmf) {
        fprintf(stderr, "reader: %s\n", Exception_get_Message(Exception_get_Current()));
        return 1;
    }
    MemoryMappedViewStream *stream = MemoryMappedFile_CreateViewStream(mmf);
    BinaryReader *reader = BinaryReader_new(stream);
    char *text = BinaryReader_ReadString(reader);
    printf("C reader: read \"%s\" from map '%s'\n", text ? text : "?", name);
    String_Free(text);
    MemoryMappedViewAccessor *flag = MemoryMappedFile_CreateViewAccessor(mmf);
    MemoryMappedViewAccessor_WriteByte(flag, 9999, 1);
    Dispose(flag);
    Dispose(reader);
    Dispose(stream);
    Dispose(mmf);
    return 0;
}
