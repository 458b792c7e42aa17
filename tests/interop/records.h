/* What the C programs of the interop lanes share: the .NET peer to start, scenario bookkeeping, and
 * the BinaryWriter records they exchange with the .NET peer (its Records.cs): record
 * i is Int32 i, a string (Korean and emoji on every seventh), Double i/2, Decimal i/100. */
#ifndef SP_INTEROP_RECORDS_H
#define SP_INTEROP_RECORDS_H

#include <sharpipc.h>

#include "sp_process.h"

/* The dotnet executable and Peer.dll (from argv), and the scenario counts. */
extern const char *interop_dotnet, *interop_peer;
extern int interop_passed, interop_failed;

/* Prints why a scenario failed (with the pending exception, if any); returns false. */
bool interop_fail(const char *scenario, const char *what);
/* Starts `dotnet Peer.dll cmd a b` (b may be NULL). */
sp_child *interop_start_peer(const char *cmd, const char *a, const char *b);
/* Waits for the peer (if any: it must exit 0), prints and counts the scenario; returns ok. */
bool interop_finish(const char *scenario, sp_child *child, bool ok);

/* Writes records 0..count-1 to s (which stays open). */
bool interop_write_records(Stream *s, int count);
/* Reads records 0..count-1 from s and checks each; prints the first that differs. */
bool interop_read_records(Stream *s, int count);

#endif
