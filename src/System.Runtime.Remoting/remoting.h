/* System.Runtime.Remoting's wire layer, private to the library (and its tests and fuzz targets):
 * MS-NRTP frames over a Stream and MS-NRBF MethodCall/MethodReturn bodies in memory. Portable: it
 * sees Stream only. The facts are /work/shared/notes/RPC.md's. */
#ifndef SHARPIPC_REMOTING_H
#define SHARPIPC_REMOTING_H

#include "core/internal.h"

/* RPC-API.md 4's limits, checked before anything is allocated. */
#define SP_NRTP_MAX_CONTENT_LENGTH (16 * 1024 * 1024)
#define SP_NRTP_MAX_COUNTED_STRING (64 * 1024)
#define SP_NRTP_MAX_HEADERS 64
#define SP_NRBF_MAX_DEPTH 64
#define SP_NRBF_MAX_OBJECTS 100000
/* The longest string[] a reply may return: its C form (one pointer an element) is made at its
 * declared length, and ObjectNullMultiple fills any number of elements in five bytes, so the bytes
 * received do not bound it as they bound a primitive array (8 MiB of pointers at most). */
#define SP_NRBF_MAX_ARRAY_LENGTH (1 << 20)

/* ---------------------------------------------------------------- MS-NRTP */

enum { SP_NRTP_REQUEST = 0, SP_NRTP_ONEWAY = 1, SP_NRTP_REPLY = 2 };

typedef struct sp_nrtp_frame {
    uint16_t operation;
    uint16_t distribution;  /* 0 NotChunked; chunked content is refused */
    int32_t content_length; /* as sent; the caller checks it for its case */
    int32_t status_code;    /* -1 when absent */
    char *status_phrase;    /* NULL when absent */
    bool close_connection;
} sp_nrtp_frame;

/* Appends the preamble and headers of a request whose body has content_length bytes:
 * op 0 or 1, NotChunked, RequestUri = uri, ContentType application/octet-stream, EndHeaders. */
bool sp_nrtp_write_request(sp_buf *out, bool one_way, const char *uri, int32_t content_length);
/* Where a frame is read from: exactly n bytes or false with an exception (a socket with a deadline,
 * a buffer in the fuzz target). */
typedef struct sp_nrtp_source {
    bool (*read_exactly)(void *context, uint8_t *buffer, int32_t count);
    void *context;
} sp_nrtp_source;
/* Reads a frame's preamble and headers. A malformed frame is a RemotingException "Unknown
 * response message from server"; the source's own failure stays as it raised it (the caller maps
 * it). Returns false with the exception; the frame is then empty. */
bool sp_nrtp_read_frame(sp_nrtp_source *source, sp_nrtp_frame *frame);
void sp_nrtp_frame_free(sp_nrtp_frame *frame);

/* ---------------------------------------------------------------- MS-NRBF */

/* A MethodCall body (header, record 21, the args array when needed, MessageEnd). Arguments are
 * lent. ArgumentException for a value the v1 wire cannot carry. */
bool sp_nrbf_write_call(sp_buf *out, const char *method, const char *type_name, const Variant *args, int32_t count);
/* Reads a MethodReturn body (all `length` bytes, MessageEnd last) into *result, converted to
 * `expected` (NULL: what arrives). The server's exception becomes the pending exception
 * (sp_exception_set_remote); malformed input is a SerializationException; a value of the wrong
 * kind an InvalidCastException "Return value has an invalid type". */
bool sp_nrbf_read_return(const uint8_t *body, size_t length, const ParameterInfo *expected, Variant *result);

/* Closes every idle pooled connection (tests). */
void sp_remoting_pool_clear(void);

#endif
