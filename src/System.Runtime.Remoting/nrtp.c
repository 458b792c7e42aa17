/* MS-NRTP (the TcpChannel frame): ".NET" 1.0, operation, distribution, ContentLength, then header
 * records ended by token 0 (RPC.md 1). The reader takes nothing on trust: every CountedString is
 * capped before it is read, the header count is capped, and unknown tokens are skipped only by
 * their declared format. */
#include "System.Runtime.Remoting/remoting.h"


enum {
    H_END = 0,
    H_CUSTOM = 1,
    H_STATUS_CODE = 2,
    H_STATUS_PHRASE = 3,
    H_REQUEST_URI = 4,
    H_CLOSE = 5,
    H_CONTENT_TYPE = 6
};
enum { F_VOID = 0, F_COUNTED_STRING = 1, F_BYTE = 2, F_UINT16 = 3, F_INT32 = 4 };

static bool put_counted_string(sp_buf *out, const char *s)
{
    size_t n = strlen(s);
    uint8_t head[5] = {1 /* UTF-8 */};
    sp_put_u32(head + 1, (uint32_t)n);
    return sp_buf_append(out, head, 5) && sp_buf_append(out, s, n);
}

bool sp_nrtp_write_request(sp_buf *out, bool one_way, const char *uri, int32_t content_length)
{
    uint8_t head[14] = {'.', 'N', 'E', 'T', 1, 0};
    sp_put_u16(head + 6, one_way ? SP_NRTP_ONEWAY : SP_NRTP_REQUEST);
    sp_put_u16(head + 8, 0); /* NotChunked */
    sp_put_u32(head + 10, (uint32_t)content_length);
    static const uint8_t uri_head[] = {H_REQUEST_URI, 0, F_COUNTED_STRING};
    static const uint8_t type_head[] = {H_CONTENT_TYPE, 0, F_COUNTED_STRING};
    static const uint8_t end[] = {H_END, 0};
    return sp_buf_append(out, head, sizeof head) && sp_buf_append(out, uri_head, 3) && put_counted_string(out, uri) &&
           sp_buf_append(out, type_head, 3) && put_counted_string(out, "application/octet-stream") &&
           sp_buf_append(out, end, 2);
}

static void bad_frame(void) { sp_throw_sr(ExceptionType_RemotingException, SR_Remoting_UnknownResponse, NULL); }

static bool read_exactly(sp_nrtp_source *s, uint8_t *p, int32_t n)
{
    return n == 0 || s->read_exactly(s->context, p, n);
}

/* A CountedString: encoding byte (0 UTF-16LE, 1 UTF-8), int32 length, the bytes; kept (as UTF-8
 * when it was UTF-8, else dropped) only when keep is given. */
static bool read_counted_string(sp_nrtp_source *s, char **keep)
{
    uint8_t head[5];
    if (!read_exactly(s, head, 5))
        return false;
    int32_t n = (int32_t)sp_get_u32(head + 1);
    if (head[0] > 1 || n < 0 || n > SP_NRTP_MAX_COUNTED_STRING) {
        bad_frame();
        return false;
    }
    char *text = sp_malloc((size_t)n + 1);
    if (!text)
        return false;
    if (!read_exactly(s, (uint8_t *)text, n)) {
        free(text);
        return false;
    }
    text[n] = 0;
    if (keep && head[0] == 1 && !*keep)
        *keep = text;
    else
        free(text);
    return true;
}

bool sp_nrtp_read_frame(sp_nrtp_source *s, sp_nrtp_frame *f)
{
    memset(f, 0, sizeof *f);
    f->status_code = -1;
    uint8_t head[10];
    if (!read_exactly(s, head, 10))
        return false;
    if (memcmp(head, ".NET", 4) != 0 || head[4] != 1 || head[5] != 0) {
        bad_frame();
        return false;
    }
    f->operation = sp_get_u16(head + 6);
    f->distribution = sp_get_u16(head + 8);
    if (f->operation > SP_NRTP_REPLY || f->distribution != 0) {
        bad_frame();
        return false;
    }
    uint8_t len[4];
    if (!read_exactly(s, len, 4))
        return false;
    f->content_length = (int32_t)sp_get_u32(len);
    for (int headers = 0;; headers++) {
        if (headers > SP_NRTP_MAX_HEADERS) {
            bad_frame();
            goto fail;
        }
        uint8_t tok[2];
        if (!read_exactly(s, tok, 2))
            goto fail;
        uint16_t token = sp_get_u16(tok);
        if (token == H_END)
            return true;
        if (token == H_CUSTOM) { /* name and value, no format byte */
            if (!read_counted_string(s, NULL) || !read_counted_string(s, NULL))
                goto fail;
            continue;
        }
        uint8_t format;
        if (!read_exactly(s, &format, 1))
            goto fail;
        switch (format) {
        case F_VOID:
            if (token == H_CLOSE)
                f->close_connection = true;
            break;
        case F_COUNTED_STRING:
            if (!read_counted_string(s, token == H_STATUS_PHRASE ? &f->status_phrase : NULL))
                goto fail;
            break;
        case F_BYTE: {
            uint8_t b;
            if (!read_exactly(s, &b, 1))
                goto fail;
            break;
        }
        case F_UINT16: {
            uint8_t v[2];
            if (!read_exactly(s, v, 2))
                goto fail;
            if (token == H_STATUS_CODE)
                f->status_code = sp_get_u16(v);
            break;
        }
        case F_INT32: {
            uint8_t v[4];
            if (!read_exactly(s, v, 4))
                goto fail;
            break;
        }
        default: bad_frame(); goto fail;
        }
    }
fail:
    sp_nrtp_frame_free(f);
    return false;
}

void sp_nrtp_frame_free(sp_nrtp_frame *f)
{
    free(f->status_phrase);
    f->status_phrase = NULL;
}
