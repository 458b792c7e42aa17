#include "records.h"

#include <stdio.h>
#include <string.h>

const char *interop_dotnet, *interop_peer;
int interop_passed, interop_failed;

bool interop_fail(const char *scenario, const char *what)
{
    const Exception *e = Exception_get_Current();
    if (e)
        printf("FAIL %s: %s (%s: %s)\n", scenario, what, Exception_get_TypeName(e), Exception_get_Message(e));
    else
        printf("FAIL %s: %s\n", scenario, what);
    fflush(stdout);
    return false;
}

sp_child *interop_start_peer(const char *cmd, const char *a, const char *b)
{
    const char *argv[] = {interop_dotnet, interop_peer, cmd, a, b, NULL};
    return sp_process_start(argv);
}

bool interop_finish(const char *scenario, sp_child *child, bool ok)
{
    if (child) {
        int code = sp_child_wait(child, 120000);
        sp_child_free(child);
        if (code != 0) {
            printf("FAIL %s: the .NET peer exited with %d\n", scenario, code);
            ok = false;
        }
    }
    if (ok)
        printf("ok   %s\n", scenario);
    fflush(stdout);
    ok ? interop_passed++ : interop_failed++;
    return ok;
}

static void record_text(char *buf, size_t n, int i)
{
    if (i % 7 == 0)
        snprintf(buf, n, "record %d 안녕 👋", i);
    else
        snprintf(buf, n, "record %d", i);
}

/* (decimal)i / 100; .NET's division trims the scale, so the read side compares numerically. */
static Decimal hundredths(int i) { return Decimal_new(i, 0, 0, false, 2); }

bool interop_write_records(Stream *s, int count)
{
    BinaryWriter *w = BinaryWriter_new(s, NULL, true);
    char text[64];
    for (int i = 0; i < count; i++) {
        record_text(text, sizeof text, i);
        BinaryWriter_Write(w, (int32_t)i);
        BinaryWriter_Write(w, text);
        BinaryWriter_Write(w, i * 0.5);
        BinaryWriter_Write(w, hundredths(i));
    }
    bool ok = !Exception_get_Current();
    Dispose(w);
    return ok;
}

bool interop_read_records(Stream *s, int count)
{
    BinaryReader *r = BinaryReader_new(s, NULL, true);
    char text[64];
    bool ok = true;
    for (int i = 0; i < count && ok; i++) {
        record_text(text, sizeof text, i);
        ok = BinaryReader_ReadInt32(r) == i;
        char *got = BinaryReader_ReadString(r);
        ok = ok && got && strcmp(got, text) == 0;
        String_Free(got);
        ok = ok && BinaryReader_ReadDouble(r) == i * 0.5;
        ok = ok && Decimal_Equals(BinaryReader_ReadDecimal(r), hundredths(i));
        if (!ok)
            printf("  record %d differs\n", i);
    }
    Dispose(r);
    return ok;
}
