/* Feeds arbitrary bytes to the MS-NRTP frame reader (System.Runtime.Remoting's header parser), as
 * a hostile server would send them. Any crash, leak, hang or huge allocation is a bug;
 * exceptions are expected. */
#include "System.Runtime.Remoting/remoting.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct source {
    const uint8_t *p;
    size_t left;
} source;

static bool read_exactly(void *context, uint8_t *buffer, int32_t count)
{
    source *s = context;
    if ((size_t)count > s->left) {
        sp_throw_sr(ExceptionType_RemotingException, SR_Remoting_TcpTransportError, NULL);
        return false;
    }
    memcpy(buffer, s->p, (size_t)count);
    s->p += count;
    s->left -= (size_t)count;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    source s = {data, size};
    sp_nrtp_source src = {read_exactly, &s};
    sp_nrtp_frame f;
    /* a connection carries frame after frame */
    while (sp_nrtp_read_frame(&src, &f)) {
        sp_nrtp_frame_free(&f);
        if (f.content_length < 0 || (size_t)f.content_length > s.left)
            break;
        s.p += f.content_length;
        s.left -= (size_t)f.content_length;
    }
    Exception_Clear();
    return 0;
}
