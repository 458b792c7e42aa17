/*
 * StreamJsonRpc's HeaderDelimitedMessageHandler, as it reads and writes the wire (notes/RPC.md
 * section 5): "Content-Length: N\r\n", an optional "Content-Type: ...; charset=utf-8\r\n", other
 * headers ignored, a blank "\r\n", then N bytes of UTF-8 JSON. Portable: it sees only a Stream.
 *
 * Every limit is checked before anything is allocated: a header line is at most 1 KiB, the header
 * block at most 64 KiB, the Content-Length value at most 20 characters (StreamJsonRpc's own limit)
 * and at most max_body bytes; and the body buffer grows with the bytes that really arrive, so a
 * declared 16 MiB that never comes costs what came, not 16 MiB.
 */
#ifndef SHARPIPC_JSONRPC_FRAMING_H
#define SHARPIPC_JSONRPC_FRAMING_H

#include "core/internal.h"

#define SP_JRPC_MAX_BODY_DEFAULT (16 * 1024 * 1024)
#define SP_JRPC_MAX_HEADER_LINE 1024
#define SP_JRPC_MAX_HEADER_BLOCK (64 * 1024)
#define SP_JRPC_MAX_CONTENT_LENGTH_CHARS 20 /* StreamJsonRpc's MaxHeaderElementSize for the value */
#define SP_JRPC_MAX_CONTENT_TYPE_CHARS 200

typedef struct sp_jrpc_reader {
    Stream *stream;    /* borrowed */
    int32_t max_body;  /* > 0 */
    int32_t pos, end;  /* the unread bytes are buf[pos..end) */
    uint8_t buf[4096]; /* reads are buffered: a header is parsed without a call per byte */
} sp_jrpc_reader;

void sp_jrpc_reader_init(sp_jrpc_reader *r, Stream *stream, int32_t max_body);

/* Reads one message. 1: *body is a NUL-terminated sp_malloc'd copy of its *length bytes (free
 * it); 0: the stream ended exactly between two messages (a clean disconnect); -1: failed, with
 * the exception pending (BadRpcHeaderException for a header StreamJsonRpc would refuse or one
 * over a limit, EndOfStreamException when the stream ends inside a message, or the stream's own). */
int sp_jrpc_read_message(sp_jrpc_reader *r, char **body, int32_t *length);

/* Writes one message as StreamJsonRpc does: Content-Length only (UTF-8 JSON needs no
 * Content-Type), in a single Stream write. */
bool sp_jrpc_write_message(Stream *stream, const char *body, int32_t length);

/* The same for a body written by sp_jrpc_out_* after sp_jrpc_out_begin (json.h): the header goes
 * into the space reserved in front of it, and the frame out in one write, without a copy. */
bool sp_jrpc_write_frame(Stream *stream, sp_buf *out);

#endif
