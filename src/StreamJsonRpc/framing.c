/* HeaderDelimitedMessageHandler's framing over any Stream (framing.h). */
#include "StreamJsonRpc/framing.h"
#include "StreamJsonRpc/json.h"

#include "System.IO/stream.h"

#include <stdio.h>
#include <string.h>

void sp_jrpc_reader_init(sp_jrpc_reader *r, Stream *stream, int32_t max_body)
{
    r->stream = stream;
    r->max_body = max_body > 0 ? max_body : SP_JRPC_MAX_BODY_DEFAULT;
    r->pos = r->end = 0;
}

/* Refills the buffer: >0 bytes now buffered, 0 at end of stream, -1 failed. */
static int32_t fill(sp_jrpc_reader *r)
{
    int32_t n = sp_stream_read(r->stream, r->buf, (int32_t)sizeof r->buf);
    if (n < 0)
        return -1;
    r->pos = 0;
    r->end = n;
    return n;
}

static void bad_header(enum sp_sr message) { sp_throw_sr(ExceptionType_BadRpcHeaderException, message, NULL); }

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

/* value[0..*len) trimmed of white space, as string.Trim() does for these ASCII values. */
static const char *trim(const char *value, size_t *len)
{
    size_t n = *len;
    while (n > 0 && is_space(value[0])) {
        value++;
        n--;
    }
    while (n > 0 && is_space(value[n - 1]))
        n--;
    *len = n;
    return value;
}

static bool ascii_iequal(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* Content-Length: a positive int32, digits only once trimmed (int.Parse of the invariant culture
 * would take a sign; a length with one is refused all the same). */
static bool parse_length(const char *value, size_t len, int32_t *out)
{
    if (len > SP_JRPC_MAX_CONTENT_LENGTH_CHARS) {
        bad_header(SR_HeaderValueTooLarge);
        return false;
    }
    value = trim(value, &len);
    if (len > 0 && value[0] == '+') {
        value++;
        len--;
    }
    int64_t n = 0;
    if (len == 0)
        goto bad;
    for (size_t i = 0; i < len; i++) {
        if (value[i] < '0' || value[i] > '9')
            goto bad;
        n = n * 10 + (value[i] - '0');
        if (n > INT32_MAX)
            goto bad;
    }
    if (n <= 0)
        goto bad;
    *out = (int32_t)n;
    return true;
bad:
    bad_header(SR_HeaderContentLengthNotParseable);
    return false;
}

/* Content-Type: only its charset matters; UTF-8 ("utf-8", or the legacy "utf8") is the only
 * encoding this side reads. */
static bool check_content_type(const char *value, size_t len)
{
    if (len > SP_JRPC_MAX_CONTENT_TYPE_CHARS) {
        bad_header(SR_HeaderValueTooLarge);
        return false;
    }
    const char *p = value, *end = value + len;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *stop = semi ? semi : end;
        size_t plen = (size_t)(stop - p);
        const char *param = trim(p, &plen);
        if (plen > 8 && ascii_iequal(param, 8, "charset=")) {
            size_t clen = plen - 8;
            const char *cs = trim(param + 8, &clen);
            if (clen >= 2 && cs[0] == '"' && cs[clen - 1] == '"') {
                cs++;
                clen -= 2;
            }
            if (!ascii_iequal(cs, clen, "utf-8") && !ascii_iequal(cs, clen, "utf8")) {
                sp_throwf_sr(ExceptionType_BadRpcHeaderException, NULL, SR_JsonRpc_UnsupportedCharset, (int)clen, cs);
                return false;
            }
        }
        p = stop + (semi ? 1 : 0);
    }
    return true;
}

/* Reads one header line without its CRLF into line (at most SP_JRPC_MAX_HEADER_LINE bytes).
 * 1: a line; 0: end of stream before its first byte; -1: failed. */
static int read_line(sp_jrpc_reader *r, char *line, size_t *len, bool first_of_message)
{
    size_t n = 0;
    bool saw_cr = false;
    for (;;) {
        if (r->pos == r->end) {
            int32_t got = fill(r);
            if (got < 0)
                return -1;
            if (got == 0) {
                if (n == 0 && !saw_cr && first_of_message)
                    return 0;
                sp_throw_end_of_stream();
                return -1;
            }
        }
        uint8_t c = r->buf[r->pos++];
        if (saw_cr) {
            if (c != '\n') {
                sp_throwf_sr(ExceptionType_BadRpcHeaderException, NULL, SR_UnexpectedTokenReadingHeader, "\\r");
                return -1;
            }
            *len = n;
            return 1;
        }
        if (c == '\r') {
            saw_cr = true;
            continue;
        }
        if (c == '\n') { /* a bare LF: StreamJsonRpc wants CRLF */
            sp_throwf_sr(ExceptionType_BadRpcHeaderException, NULL, SR_UnexpectedTokenReadingHeader, "\\n");
            return -1;
        }
        if (n == SP_JRPC_MAX_HEADER_LINE) {
            bad_header(SR_HeaderValueTooLarge);
            return -1;
        }
        line[n++] = (char)c;
    }
}

int sp_jrpc_read_message(sp_jrpc_reader *r, char **body, int32_t *length)
{
    *body = NULL;
    *length = 0;
    char line[SP_JRPC_MAX_HEADER_LINE];
    int32_t content_length = -1;
    size_t header_bytes = 0;
    for (bool first = true;; first = false) {
        size_t n = 0;
        int got = read_line(r, line, &n, first);
        if (got <= 0)
            return got;
        if (n == 0)
            break; /* the blank line that ends the headers */
        header_bytes += n + 2;
        if (header_bytes > SP_JRPC_MAX_HEADER_BLOCK) {
            bad_header(SR_HeaderValueTooLarge);
            return -1;
        }
        const char *colon = memchr(line, ':', n);
        if (!colon) {
            sp_throwf_sr(ExceptionType_BadRpcHeaderException, NULL, SR_UnexpectedTokenReadingHeader, "\\r");
            return -1;
        }
        size_t name_len = (size_t)(colon - line);
        const char *value = colon + 1;
        size_t value_len = n - name_len - 1;
        /* Header names are compared byte for byte, case-sensitively, as StreamJsonRpc does. */
        if (name_len == 14 && memcmp(line, "Content-Length", 14) == 0) {
            if (!parse_length(value, value_len, &content_length))
                return -1;
        } else if (name_len == 12 && memcmp(line, "Content-Type", 12) == 0) {
            if (!check_content_type(value, value_len))
                return -1;
        }
    }
    if (content_length < 0) {
        bad_header(SR_HeaderContentLengthNotParseable);
        return -1;
    }
    if (content_length > r->max_body) {
        sp_throwf_sr(ExceptionType_BadRpcHeaderException, NULL, SR_JsonRpc_MessageTooLarge, (int)content_length,
                     (int)r->max_body);
        return -1;
    }
    /* Grow with what arrives: start at 64 KiB at most and double, never past the declared size. */
    size_t want = (size_t)content_length;
    size_t capacity = want < 65536 ? want : 65536;
    uint8_t *data = sp_malloc(capacity + 1);
    if (!data)
        return -1;
    size_t have = 0;
    while (have < want) {
        if (r->pos == r->end && capacity - have >= sizeof r->buf) {
            /* A large body goes straight into its buffer, not 4 KiB a read through ours; never
             * past the message, as capacity is at most what it declared. */
            int32_t got = sp_stream_read(r->stream, data + have, (int32_t)(capacity - have));
            if (got <= 0) {
                if (got == 0)
                    sp_throw_end_of_stream();
                free(data);
                return -1;
            }
            have += (size_t)got;
            continue;
        }
        if (r->pos == r->end) {
            int32_t got = fill(r);
            if (got <= 0) {
                if (got == 0)
                    sp_throw_end_of_stream();
                free(data);
                return -1;
            }
        }
        if (have == capacity) {
            size_t next = capacity * 2 < want ? capacity * 2 : want;
            uint8_t *grown = sp_realloc(data, next + 1);
            if (!grown) {
                free(data);
                return -1;
            }
            data = grown;
            capacity = next;
        }
        size_t take = (size_t)(r->end - r->pos);
        if (take > capacity - have)
            take = capacity - have;
        memcpy(data + have, r->buf + r->pos, take);
        r->pos += (int32_t)take;
        have += take;
    }
    data[want] = 0;
    *body = (char *)data;
    *length = content_length;
    return 1;
}

bool sp_jrpc_write_message(Stream *stream, const char *body, int32_t length)
{
    char header[48];
    int h = snprintf(header, sizeof header, "Content-Length: %d\r\n\r\n", (int)length);
    size_t total = (size_t)h + (size_t)length;
    if (total > INT32_MAX) {
        sp_throw_out_of_memory();
        return false;
    }
    uint8_t *frame = sp_malloc(total);
    if (!frame)
        return false;
    memcpy(frame, header, (size_t)h);
    memcpy(frame + h, body, (size_t)length);
    bool ok = sp_stream_write(stream, frame, (int32_t)total);
    free(frame);
    return ok;
}

bool sp_jrpc_write_frame(Stream *stream, sp_buf *out)
{
    size_t length = out->length - SP_JRPC_HEADER_RESERVE;
    if (length > INT32_MAX - SP_JRPC_HEADER_RESERVE) {
        sp_throw_out_of_memory();
        return false;
    }
    char header[SP_JRPC_HEADER_RESERVE];
    int h = snprintf(header, sizeof header, "Content-Length: %d\r\n\r\n", (int)length);
    uint8_t *frame = out->data + SP_JRPC_HEADER_RESERVE - h;
    memcpy(frame, header, (size_t)h);
    return sp_stream_write(stream, frame, (int32_t)((size_t)h + length));
}
