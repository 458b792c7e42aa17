/* The BinaryWriter records the interop lanes exchange with the .NET peer (its Records.cs): record
 * i is Int32 i, a string (Korean and emoji on every seventh), Double i/2, Decimal i/100. */
#ifndef SP_INTEROP_RECORDS_H
#define SP_INTEROP_RECORDS_H

#include <sharpipc.h>

/* Writes records 0..count-1 to s (which stays open). */
bool interop_write_records(Stream *s, int count);
/* Reads records 0..count-1 from s and checks each; prints the first that differs. */
bool interop_read_records(Stream *s, int count);

#endif
