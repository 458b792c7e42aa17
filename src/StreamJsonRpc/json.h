/*
 * Variant <-> JSON for StreamJsonRpc, as its JsonMessageFormatter (Newtonsoft.Json) writes and reads
 * the .NET types (RPC-API.md section 5.1), through Jansson: no JSON is parsed by hand here.
 */
#ifndef SHARPIPC_JSONRPC_JSON_H
#define SHARPIPC_JSONRPC_JSON_H

#include "core/internal.h"

#include <jansson.h>

/* JSON nesting StreamJsonRpc's Newtonsoft settings allow; deeper messages are refused before
 * Jansson (whose own limit is 2048, by recursion) sees them. */
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

/* The .NET forms of the types JSON has no number or string form for. */
size_t sp_jrpc_format_datetime(DateTime d, char *buffer, size_t size); /* "2024-02-28T23:59:59.1234567Z" */
size_t sp_jrpc_format_timespan(TimeSpan t, char *buffer, size_t size); /* "1.02:03:04.5000000" */
char *sp_jrpc_base64(const uint8_t *data, size_t length);              /* sp_malloc */
/* Decodes standard base64 (padding required, no white space) into an Array_CreateInstance(Byte). */
uint8_t *sp_jrpc_unbase64(const char *text, size_t length);

#endif
