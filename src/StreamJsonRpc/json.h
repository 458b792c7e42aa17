/*
 * Variant <-> JSON for StreamJsonRpc, as its JsonMessageFormatter (Newtonsoft.Json) writes and reads
 * the .NET types (RPC-API.md section 5.1), through Jansson: no JSON is parsed by hand here.
 */
#ifndef SHARPIPC_JSONRPC_JSON_H
#define SHARPIPC_JSONRPC_JSON_H

#include "core/internal.h"

#include <jansson.h>

/* sharpipc's own bound on JSON nesting, not StreamJsonRpc's: 2.26.150 served a request whose
 * params were 1000 levels deep (a probe in session 13). 64 keeps the recursion of Jansson (whose
 * own limit is 2048) and of the converters here short; a deeper message ends the connection
 * before Jansson sees it (docs/rpc.md). */
#define SP_JRPC_MAX_DEPTH 64

/* A new reference for v, or NULL with the exception pending (ArgumentException for a value JSON
 * cannot carry: Empty, invalid UTF-8, an unknown type). */
json_t *sp_jrpc_to_json(const Variant *v);

/* j converted to the declared type (info NULL or Empty: "whatever arrives": Null, Boolean, Int64,
 * Double, String, or Json text for arrays and objects). *out is given: its strings, arrays and
 * objects are sharpipc allocations (Variant_Clear). False with InvalidCastException /
 * OverflowException / FormatException, *out Empty. */
bool sp_jrpc_from_json(const json_t *j, const ParameterInfo *info, Variant *out);

/* Deepest nesting of [ and { in the text (strings skipped), stopping once it passes limit. */
int sp_jrpc_json_depth(const char *text, size_t length, int limit);

/* json_loadb(text, length, flags, error) for a message, after the depth check (*too_deep and
 * NULL when it nests more than SP_JRPC_MAX_DEPTH). With JSON_ALLOW_NUL in flags, string values of
 * at least min_lift bytes that need no decoding (no backslash, no control character, valid UTF-8;
 * not keys) are replaced by short placeholders before Jansson sees the text and put back into its
 * tree after it accepted it: the same acceptance, value and error code as json_loadb's
 * (tests/fuzz/fuzz_json_lift.c holds it to that), without Jansson's per-byte cost on them. */
json_t *sp_jrpc_json_load_ex(const char *text, size_t length, size_t flags, size_t min_lift, bool *too_deep,
                             json_error_t *error);
#define SP_JRPC_MIN_LIFT 64
json_t *sp_jrpc_json_load(const char *text, size_t length, size_t flags, bool *too_deep, json_error_t *error);

/* An outgoing message (an sp_buf), written straight into its frame: SP_JRPC_HEADER_RESERVE bytes are kept in
 * front of the body for the Content-Length header (framing.h, sp_jrpc_write_frame). The text is
 * byte for byte what json_dumps(JSON_COMPACT) writes: strings escaped as Jansson escapes them,
 * integers exact, reals with 17 significant digits. Every function: false with
 * OutOfMemoryException, or for a value Jansson could not write. */
#define SP_JRPC_HEADER_RESERVE 32  /* "Content-Length: 2147483647\r\n\r\n" is 30 */
bool sp_jrpc_out_begin(sp_buf *o); /* empties it and reserves the header */
bool sp_jrpc_out_json(sp_buf *o, const json_t *j);
bool sp_jrpc_out_string(sp_buf *o, const char *s, size_t n); /* s: valid UTF-8 */

/* s[0..n) is valid UTF-8 (the check Jansson's json_stringn makes, 16 bytes a step). */
bool sp_jrpc_utf8_valid(const char *s, size_t n);

/* The .NET forms of the types JSON has no number or string form for. */
size_t sp_jrpc_format_datetime(DateTime d, char *buffer, size_t size); /* "2024-02-28T23:59:59.1234567Z" */
size_t sp_jrpc_format_timespan(TimeSpan t, char *buffer, size_t size); /* "1.02:03:04.5000000" */
char *sp_jrpc_base64(const uint8_t *data, size_t length);              /* sp_malloc */
/* Decodes standard base64 (padding required, no white space) into an Array_CreateInstance(Byte). */
uint8_t *sp_jrpc_unbase64(const char *text, size_t length);

#endif
