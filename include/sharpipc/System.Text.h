/* System.Text: the encodings the System.IO adapters speak. C strings are always UTF-8; an
 * Encoding says what the bytes on the stream are. Encodings are shared singletons: Dispose on
 * one is harmless and they are never freed. */
#ifndef SHARPIPC_SYSTEM_TEXT_H
#define SHARPIPC_SYSTEM_TEXT_H

#include "System.h"

SHARPIPC_BEGIN_DECLS

/* Encoding.UTF8: UTF-8 whose preamble is the BOM EF BB BF; invalid input becomes U+FFFD. */
SHARPIPC_API const Encoding *Encoding_get_UTF8(void);
/* Encoding.Unicode: UTF-16 little-endian, preamble FF FE. */
SHARPIPC_API const Encoding *Encoding_get_Unicode(void);
/* Encoding.BigEndianUnicode: UTF-16 big-endian, preamble FE FF. */
SHARPIPC_API const Encoding *Encoding_get_BigEndianUnicode(void);
/* Encoding.UTF32: UTF-32 little-endian, preamble FF FE 00 00. */
SHARPIPC_API const Encoding *Encoding_get_UTF32(void);
/* Encoding.ASCII: 7-bit; anything else encodes and decodes as '?'. */
SHARPIPC_API const Encoding *Encoding_get_ASCII(void);
/* Encoding.Latin1: ISO-8859-1; code points above U+00FF encode as '?'. */
SHARPIPC_API const Encoding *Encoding_get_Latin1(void);
/* new UTF8Encoding(encoderShouldEmitUTF8Identifier, throwOnInvalidBytes). StreamWriter's default
 * is UTF8Encoding_new(false, true). */
SHARPIPC_API const Encoding *UTF8Encoding_new(bool encoderShouldEmitUTF8Identifier, bool throwOnInvalidBytes);
/* "utf-8", "utf-16", "utf-16BE", "utf-32", "us-ascii", "iso-8859-1" (static storage). */
SHARPIPC_API const char *Encoding_get_WebName(const Encoding *encoding);
SHARPIPC_API int32_t Encoding_get_CodePage(const Encoding *encoding);
/* The preamble (BOM) bytes; returns their count (0..4) and copies them to bom[4] when not NULL. */
SHARPIPC_API int32_t Encoding_GetPreamble(const Encoding *encoding, uint8_t bom[4]);
/* Bytes that the UTF-8 text would take in this encoding (-1 on invalid input to a throwing one). */
SHARPIPC_API int32_t Encoding_GetByteCount(const Encoding *encoding, const char *utf8, int32_t length);

#define Encoding_UTF8 (Encoding_get_UTF8())
#define Encoding_Unicode (Encoding_get_Unicode())
#define Encoding_BigEndianUnicode (Encoding_get_BigEndianUnicode())
#define Encoding_UTF32 (Encoding_get_UTF32())
#define Encoding_ASCII (Encoding_get_ASCII())
#define Encoding_Latin1 (Encoding_get_Latin1())

SHARPIPC_END_DECLS

#endif
