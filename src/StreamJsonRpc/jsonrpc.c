/*
 * StreamJsonRpc's JsonRpc over a sharpipc Stream (RPC-API.md section 5).
 *
 * Threads: a reader reads message after message; a response completes its pending outbound call,
 * $/cancelRequest cancels the matching inbound call at once, and every other request or
 * notification goes to the dispatcher, which runs them one at a time, in order (StreamJsonRpc's
 * default), so a handler may make outbound calls (the reader keeps reading their responses).
 * Outbound calls block only their caller. One lock guards the state, one condition variable wakes
 * callers and the dispatcher; writes go through a second lock, one message at a time.
 */
#include "StreamJsonRpc/framing.h"
#include "StreamJsonRpc/json.h"
#include "StreamJsonRpc/rpc_internal.h"

#include "System.IO/stream.h"
#include "System.Text/text.h"
#include "core/handle.h"
#include "core/thread.h"

#include <stdio.h>
#include <stdlib.h>

/* Is the JSON string j exactly name? Compared whole: a NUL (\u0000) on the wire ends a C string
 * early, and "$/cancelRequest\u0000x" is no cancellation. */
static bool is_name(const json_t *j, const char *name)
{
    const char *s = json_string_value(j);
    return s && strlen(s) == json_string_length(j) && strcmp(s, name) == 0;
}

typedef struct pending_call {
    struct pending_call *next;
    int64_t id;
    bool done;
    json_t *response;      /* the whole response message; NULL when the connection ended */
    EventWaitHandle *wake; /* a call with a token waits on it and the token's handle at once */
} pending_call;

typedef struct inbound {
    struct inbound *next;
    json_t *message;              /* the request or notification */
    json_t *id;                   /* NULL for a notification */
    CancellationTokenSource *cts; /* cancelled by $/cancelRequest */
    bool started;
} inbound;

typedef struct local_method {
    char *name;
    JsonRpcMethodHandler handler; /* AddLocalRpcMethod */
    void *state;
    const JsonRpcTargetMethod *typed; /* AddLocalRpcTarget: its table entry, with state as self */
} local_method;

struct JsonRpc {
    Object base;
    Stream *stream; /* our own reference */
    sp_lock *lock;
    sp_cond *cond;
    sp_lock *write_lock;
    bool listening;
    bool ended;    /* the connection is over: no new calls, every pending one failed */
    bool stopping; /* Dispose: the dispatcher leaves */
    int64_t last_id;
    int32_t outbound_timeout;
    bool cancel_on_close;
    pending_call *pending;
    inbound *queue_head, *queue_tail;
    inbound *running; /* the one the dispatcher runs */
    local_method *methods;
    int32_t method_count;
    sp_task *reader, *dispatcher;
    EventWaitHandle *completion;
    sp_jrpc_reader rd;
};

static bool jsonrpc_close(Object *self);
static void jsonrpc_destroy(Object *self);
static const sp_type sp_type_JsonRpc = {"StreamJsonRpc.JsonRpc", &sp_type_Object, jsonrpc_close, jsonrpc_destroy};

static JsonRpc *check(JsonRpc *rpc) { return (JsonRpc *)sp_check_open(rpc, &sp_type_JsonRpc, "rpc", NULL); }

/* ---------------------------------------------------------------- construction */

JsonRpc *JsonRpc_new(Stream *stream)
{
    if (!sp_stream_check_open(stream, "stream"))
        return NULL;
    if (!sp_stream_can_read(stream)) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_StreamMustBeReadable, "stream");
        return NULL;
    }
    if (!sp_stream_can_write(stream)) {
        sp_throw_sr(ExceptionType_ArgumentException, SR_StreamMustBeWriteable, "stream");
        return NULL;
    }
    JsonRpc *rpc = sp_object_new(sizeof *rpc, &sp_type_JsonRpc);
    if (!rpc)
        return NULL;
    rpc->outbound_timeout = -1;
    rpc->last_id = 1; /* StreamJsonRpc pre-increments from 1: the first id is 2 */
    rpc->lock = sp_lock_new();
    rpc->cond = rpc->lock ? sp_cond_new() : NULL;
    rpc->write_lock = rpc->cond ? sp_lock_new() : NULL;
    rpc->completion = rpc->write_lock ? EventWaitHandle_new(false, EventResetMode_ManualReset) : NULL;
    if (!rpc->completion) {
        sp_object_release(&rpc->base);
        return NULL;
    }
    sp_object_retain(&stream->base);
    rpc->stream = stream;
    sp_jrpc_reader_init(&rpc->rd, stream, SP_JRPC_MAX_BODY_DEFAULT);
    sp_clear();
    return rpc;
}

JsonRpc *JsonRpc_Attach(Stream *stream)
{
    JsonRpc *rpc = JsonRpc_new(stream);
    if (rpc && !JsonRpc_StartListening(rpc)) {
        sp_object_release(&rpc->base);
        return NULL;
    }
    return rpc;
}

/* ---------------------------------------------------------------- writing */

static bool send_json(JsonRpc *rpc, json_t *message)
{
    /* Written straight into the frame (json.h): no json_dumps string, no copy behind a header. */
    sp_buf out = {0};
    bool ok = sp_jrpc_out_begin(&out) && sp_jrpc_out_json(&out, message);
    if (!ok) {
        if (!sp_failed())
            sp_throw_out_of_memory();
    } else {
        sp_lock_enter(rpc->write_lock);
        ok = sp_jrpc_write_frame(rpc->stream, &out);
        sp_lock_exit(rpc->write_lock);
    }
    sp_buf_free(&out);
    return ok;
}

static json_t *envelope(void)
{
    json_t *m = json_object();
    if (m && json_object_set_new(m, "jsonrpc", json_string("2.0")) != 0) {
        json_decref(m);
        m = NULL;
    }
    if (!m)
        sp_throw_out_of_memory();
    return m;
}

static void send_cancel(JsonRpc *rpc, int64_t id)
{
    json_t *m = envelope();
    if (!m)
        return;
    json_t *params = json_object();
    json_object_set_new(params, "id", json_integer(id));
    json_object_set_new(m, "method", json_string("$/cancelRequest"));
    json_object_set_new(m, "params", params);
    send_json(rpc, m);
    json_decref(m);
}

/* $/cancelRequest goes out on a thread of its own: a peer that reads nothing (a pipe whose writes
 * then block) must not hold up the call that gives up on it. The thread keeps the JsonRpc alive;
 * Dispose closes the stream, which ends a write that would wait for good. */
typedef struct cancel_job {
    JsonRpc *rpc;
    int64_t id;
} cancel_job;

static void cancel_main(void *arg)
{
    cancel_job *job = arg;
    send_cancel(job->rpc, job->id);
    sp_clear();
    sp_object_release(&job->rpc->base);
    free(job);
}

static void send_cancel_async(JsonRpc *rpc, int64_t id)
{
    cancel_job *job = malloc(sizeof *job);
    if (!job)
        return;
    job->rpc = rpc;
    job->id = id;
    sp_object_retain(&rpc->base);
    sp_task *t = sp_task_start(cancel_main, job);
    if (!t) {
        sp_object_release(&rpc->base);
        free(job);
        sp_clear();
        return;
    }
    sp_task_detach(t);
}

/* ---------------------------------------------------------------- the connection ends */

/* With the lock held: the call has its answer (or never will), and its caller wakes. */
static void finish_locked(pending_call *p)
{
    p->done = true;
    if (p->wake)
        EventWaitHandle_Set(p->wake);
}

/* With the lock held: fail every pending call, wake everyone, cancel running handlers if asked. */
static void end_locked(JsonRpc *rpc)
{
    if (rpc->ended)
        return;
    rpc->ended = true;
    for (pending_call *p = rpc->pending; p; p = p->next)
        finish_locked(p);
    if (rpc->cancel_on_close) {
        if (rpc->running && rpc->running->cts)
            CancellationTokenSource_Cancel(rpc->running->cts);
        for (inbound *q = rpc->queue_head; q; q = q->next)
            if (q->cts)
                CancellationTokenSource_Cancel(q->cts);
    }
    sp_cond_broadcast(rpc->cond);
    EventWaitHandle_Set(rpc->completion);
}

/* ---------------------------------------------------------------- the reader */

static bool id_equals(const json_t *a, const json_t *b) { return json_equal((json_t *)a, (json_t *)b) != 0; }

static void on_cancel_request(JsonRpc *rpc, const json_t *params)
{
    const json_t *id = json_is_object(params) ? json_object_get(params, "id") : NULL;
    if (!id && json_is_array(params))
        id = json_array_get(params, 0);
    if (!id)
        return;
    sp_lock_enter(rpc->lock);
    inbound *hit = NULL;
    if (rpc->running && rpc->running->id && id_equals(rpc->running->id, id))
        hit = rpc->running;
    for (inbound *q = rpc->queue_head; !hit && q; q = q->next)
        if (q->id && id_equals(q->id, id))
            hit = q;
    if (hit && hit->cts)
        CancellationTokenSource_Cancel(hit->cts);
    sp_lock_exit(rpc->lock);
}

static bool is_white(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* long.TryParse(s) (NumberStyles.Integer, invariant culture): white space around, one sign, the
 * digits, in range; .NET's parser also ignores NULs at the very end. */
static bool parse_long(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    while (i < n && is_white(s[i]))
        i++;
    bool negative = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        negative = s[i++] == '-';
    size_t first = i;
    uint64_t v = 0, limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        unsigned digit = (unsigned)(s[i] - '0');
        if (v > (limit - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    if (i == first)
        return false;
    while (i < n && is_white(s[i]))
        i++;
    while (i < n && s[i] == 0)
        i++;
    if (i != n)
        return false;
    *out = negative ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static void on_response(JsonRpc *rpc, json_t *message, const json_t *id)
{
    /* Our ids are integers. A string id that parses as one answers it: StreamJsonRpc's formatter
     * turns it into that number when it has sent no string id of its own (NormalizeId), as this
     * side never does; any other string answers nothing of ours. */
    int64_t n;
    if (json_is_integer(id))
        n = (int64_t)json_integer_value(id);
    else if (!json_is_string(id) || !parse_long(json_string_value(id), json_string_length(id), &n))
        return;
    sp_lock_enter(rpc->lock);
    for (pending_call *p = rpc->pending; p; p = p->next) {
        if (p->id == n && !p->done) {
            p->response = json_incref(message);
            finish_locked(p);
            sp_cond_broadcast(rpc->cond);
            break;
        }
    }
    sp_lock_exit(rpc->lock);
}

static bool enqueue(JsonRpc *rpc, json_t *message, json_t *id)
{
    inbound *q = calloc(1, sizeof *q);
    if (!q)
        return false;
    q->message = json_incref(message);
    q->id = id ? json_incref(id) : NULL;
    if (id) {
        q->cts = CancellationTokenSource_new();
        sp_clear();
    }
    sp_lock_enter(rpc->lock);
    if (rpc->queue_tail)
        rpc->queue_tail->next = q;
    else
        rpc->queue_head = q;
    rpc->queue_tail = q;
    sp_cond_broadcast(rpc->cond);
    sp_lock_exit(rpc->lock);
    return true;
}

/* double.ToString(CultureInfo.InvariantCulture) as .NET Core 3.0+ writes it: the shortest text
 * that reads back as d, fixed for decimal exponents -4..16 (1e16 is "10000000000000000"), else
 * "1E+17" / "2.5E-05" (observed with .NET 10). */
static void dotnet_double(double d, char *out, size_t size)
{
    char e[48];
    for (int precision = 0; precision <= 17; precision++) {
        snprintf(e, sizeof e, "%.*e", precision, d);
        if (strtod(e, NULL) == d)
            break;
    }
    const char *p = e;
    bool negative = *p == '-';
    if (negative)
        p++;
    char digits[24];
    size_t n = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && n < sizeof digits - 1)
            digits[n++] = *p;
    digits[n] = 0;
    int exponent = *p == 'e' ? atoi(p + 1) : 0;
    while (n > 1 && digits[n - 1] == '0') /* "%.*e" may pad: .NET keeps no trailing zero */
        digits[--n] = 0;
    size_t o = 0;
    char buf[64];
    if (negative)
        buf[o++] = '-';
    if (exponent > -5 && exponent < 17) {
        if (exponent < 0) {
            buf[o++] = '0';
            buf[o++] = '.';
            for (int z = -1; z > exponent; z--)
                buf[o++] = '0';
            memcpy(buf + o, digits, n);
            o += n;
        } else {
            for (int i = 0; i <= exponent; i++)
                buf[o++] = (size_t)i < n ? digits[i] : '0';
            if (n > (size_t)exponent + 1) {
                buf[o++] = '.';
                memcpy(buf + o, digits + exponent + 1, n - (size_t)exponent - 1);
                o += n - (size_t)exponent - 1;
            }
        }
        buf[o] = 0;
    } else {
        buf[o++] = digits[0];
        if (n > 1) {
            buf[o++] = '.';
            memcpy(buf + o, digits + 1, n - 1);
            o += n - 1;
        }
        snprintf(buf + o, sizeof buf - o, "E%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
    }
    snprintf(out, size, "%s", buf);
}

/* A method name that is a JSON number or boolean, as the name StreamJsonRpc looks up: its
 * formatter reads "method" with Newtonsoft's Value<string>, which converts a scalar with the
 * invariant culture (5 -> "5", 2.5 -> "2.5", true -> "True"); it answers -32601 "No method by the
 * name '5' is found." (observed with StreamJsonRpc 2.26.150). NULL for the rest: an array or an
 * object (InvalidCastException) or null ("Method must be set") ends its connection. */
static json_t *method_as_text(const json_t *method)
{
    char text[64];
    if (json_is_integer(method))
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(method));
    else if (json_is_real(method))
        dotnet_double(json_real_value(method), text, sizeof text);
    else if (json_is_boolean(method))
        snprintf(text, sizeof text, "%s", json_is_true(method) ? "True" : "False");
    else
        return NULL;
    return json_string(text);
}

/* What a message is to StreamJsonRpc 2.26 (JsonMessageFormatter.Deserialize for protocol 2.0,
 * then JsonRpc.HandleRpcAsync; each case below also observed against StreamJsonRpc 2.26.150):
 * a request (it has "method"), a response (no "method"; "result", else "error"), or one after which
 * it drops the connection (JsonRpcDisconnectedEventArgs ParseError or StreamError): no answer is
 * written, the stream is disposed, pending calls fail with ConnectionLostException. It drops:
 *  - a "jsonrpc" member that is not the string "2.0" ("\"jsonrpc\" property must be set to \"2.0\""):
 *    missing, null, a number (2, 2.0: Value<string> makes "2"), "1.0", "2", "2.00", " 2.0",
 *    "2.0\u0000", an array or an object; with duplicate members the last one counts (Newtonsoft's
 *    default, as Jansson's), so the check applies to what was parsed, not to the text;
 *  - an "id" that is not an integer, a string or null (RequestId's converter refuses 7.5, true, {});
 *  - a request whose "method" is null, an array or an object (method_as_text);
 *  - a message with none of "method", "result", "error" ("Unrecognized JSON-RPC 2.0 message");
 *  - a response without "id" ("\"id\" property missing."), or with "id": null (no request has it:
 *    "A response was received without a request having been sent.").
 * A request with "id": null is a request all the same: StreamJsonRpc answers it with "id": null. */
enum message_kind { MESSAGE_DROP, MESSAGE_REQUEST, MESSAGE_RESPONSE };

static enum message_kind classify(json_t *message)
{
    if (!json_is_object(message) || !is_name(json_object_get(message, "jsonrpc"), "2.0"))
        return MESSAGE_DROP;
    const json_t *id = json_object_get(message, "id");
    if (id && !json_is_integer(id) && !json_is_string(id) && !json_is_null(id))
        return MESSAGE_DROP;
    json_t *method = json_object_get(message, "method");
    if (method) {
        if (!json_is_string(method)) {
            json_t *text = method_as_text(method);
            if (!text || json_object_set_new(message, "method", text) != 0)
                return MESSAGE_DROP;
        }
        return MESSAGE_REQUEST;
    }
    if (!json_object_get(message, "result") && !json_object_get(message, "error"))
        return MESSAGE_DROP;
    return id && !json_is_null(id) ? MESSAGE_RESPONSE : MESSAGE_DROP;
}

/* One pass of the replacement below: writes to out unless it is NULL; returns the length. */
static size_t replace_pass(const uint8_t *s, size_t length, uint8_t *out)
{
    size_t i = 0, o = 0;
    while (i < length) {
        uint8_t b = s[i];
        if (b < 0x80) {
            if (out)
                out[o] = b;
            o++;
            i++;
            continue;
        }
        size_t need = 0;
        uint8_t lo = 0x80, hi = 0xBF; /* the range of the second byte */
        if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            lo = b == 0xE0 ? 0xA0 : 0x80;
            hi = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            lo = b == 0xF0 ? 0x90 : 0x80;
            hi = b == 0xF4 ? 0x8F : 0xBF;
        }
        size_t k = 1;
        while (k <= need && i + k < length && s[i + k] >= (k == 1 ? lo : 0x80) && s[i + k] <= (k == 1 ? hi : 0xBF))
            k++;
        bool whole = need && k == need + 1;
        if (out)
            memcpy(out + o, whole ? s + i : (const uint8_t *)"\xEF\xBF\xBD", whole ? k : 3);
        o += whole ? k : 3;
        i += k;
    }
    return o;
}

/* The body as StreamJsonRpc reads it: its formatter decodes UTF-8 with .NET's replacement
 * fallback, so each maximal invalid subsequence (Unicode's "best practice": a lead byte with the
 * continuation bytes that were still possible) becomes one U+FFFD, and the message is served
 * (observed with StreamJsonRpc 2.26.150: an id "x\xff\xfe" is answered as "x\uFFFD\uFFFD",
 * "\xed\xa0\x80" as three, "\xe2\x82y" as "\uFFFDy"). Jansson refuses invalid UTF-8 outright, which
 * would end the connection instead. Sized by a first pass over the bytes that did arrive (at most
 * 3 a byte). NULL with OutOfMemoryException. */
static char *replace_invalid_utf8(const char *text, size_t length, size_t *out_length)
{
    size_t n = replace_pass((const uint8_t *)text, length, NULL);
    uint8_t *out = sp_malloc(n + 1);
    if (!out)
        return NULL;
    replace_pass((const uint8_t *)text, length, out);
    out[n] = 0;
    *out_length = n;
    return (char *)out;
}

static void reader_main(void *arg)
{
    JsonRpc *rpc = arg;
    bool violated = false; /* the peer broke the protocol: StreamJsonRpc disposes the stream */
    for (;;) {
        char *body = NULL;
        int32_t length = 0;
        int got = sp_jrpc_read_message(&rpc->rd, &body, &length);
        if (got <= 0) {
            violated = got < 0 && Exception_Is(Exception_get_Current(), ExceptionType_BadRpcHeaderException);
            break;
        }
        size_t text_length = (size_t)length;
        if (!sp_jrpc_utf8_valid(body, text_length)) {
            char *replaced = replace_invalid_utf8(body, text_length, &text_length);
            free(body);
            if (!replaced)
                break; /* out of memory: the connection ends as on a failed read */
            body = replaced;
        }
        json_error_t error;
        bool too_deep;
        json_t *message = sp_jrpc_json_load(body, text_length, JSON_ALLOW_NUL, &too_deep, &error);
        free(body);
        enum message_kind kind = message ? classify(message) : MESSAGE_DROP;
        if (kind == MESSAGE_DROP) {
            json_decref(message);
            violated = true; /* not JSON, or not JSON-RPC 2.0 as StreamJsonRpc reads it */
            break;
        }
        json_t *id = json_object_get(message, "id");
        bool ok = true;
        if (kind == MESSAGE_REQUEST) {
            const json_t *method = json_object_get(message, "method");
            if (is_name(method, "$/cancelRequest") && (!id || json_is_null(id)))
                on_cancel_request(rpc, json_object_get(message, "params"));
            else
                ok = enqueue(rpc, message, id);
        } else {
            on_response(rpc, message, id);
        }
        json_decref(message);
        if (!ok)
            break;
    }
    sp_clear();
    sp_lock_enter(rpc->lock);
    end_locked(rpc);
    sp_lock_exit(rpc->lock);
    /* After the pending calls have failed: the peer sees the end of the stream, as it does when
     * StreamJsonRpc disconnects (JsonRpcDisconnectedShutdownAsync disposes the message handler). */
    if (violated) {
        sp_object_close(&rpc->stream->base);
        sp_clear();
    }
}

/* ---------------------------------------------------------------- the dispatcher */

static const local_method *find_method(JsonRpc *rpc, const char *name)
{
    for (int32_t i = 0; i < rpc->method_count; i++)
        if (strcmp(rpc->methods[i].name, name) == 0)
            return &rpc->methods[i];
    return NULL;
}

/* A text as a JSON string, which must be valid UTF-8: text that is not (a handler's own bytes, a
 * text cut short) goes as its longest valid prefix, never dropped (json_string's NULL). */
static json_t *json_text(const char *text)
{
    size_t units = 0;
    text = text ? text : "";
    return json_stringn_nocheck(text, sp_utf8_valid_prefix((const uint8_t *)text, strlen(text), &units));
}

/* JSON-RPC's error object (its message is required). */
static json_t *error_object(int32_t code, const char *message, json_t *data)
{
    json_t *e = json_object();
    json_object_set_new(e, "code", json_integer(code));
    json_object_set_new(e, "message", json_text(message));
    if (data)
        json_object_set_new(e, "data", data);
    return e;
}

/* The error StreamJsonRpc sends for the handler's pending exception. */
static json_t *error_for_exception(CancellationToken ct)
{
    const Exception *e = Exception_get_Current();
    if (!e)
        return error_object(JSONRPC_INTERNAL_ERROR, "The handler failed without an exception.", NULL);
    int32_t local_code;
    const char *local_data;
    if (sp_jrpc_local_exception(&local_code, &local_data)) {
        json_t *data = NULL;
        if (local_data) {
            json_error_t error;
            data = json_loads(local_data, JSON_DECODE_ANY, &error);
        }
        return error_object(local_code, Exception_get_Message(e), data);
    }
    if (Exception_Is(e, ExceptionType_OperationCanceledException) && CancellationToken_get_IsCancellationRequested(ct))
        return error_object(JSONRPC_REQUEST_CANCELED, sp_sr(SR_TaskWasCancelled), NULL);
    json_t *data = json_object();
    json_object_set_new(data, "type", json_text(Exception_get_TypeName(e)));
    json_object_set_new(data, "message", json_text(Exception_get_Message(e)));
    json_object_set_new(data, "stack", json_null());
    json_object_set_new(data, "code", json_integer(Exception_get_HResult(e)));
    return error_object(JSONRPC_INVOCATION_ERROR, Exception_get_Message(e), data);
}

/* A typed target's method: the arguments converted to the declared types (positional by index,
 * named by name); a mismatch is -32602 as StreamJsonRpc answers it. Returns the reply (NULL for a
 * notification). */
static json_t *reply_with(json_t *id, const char *member, json_t *value)
{
    if (!id) {
        json_decref(value);
        return NULL;
    }
    json_t *reply = envelope();
    json_object_set_new(reply, "id", json_incref(id));
    json_object_set_new(reply, member, value);
    return reply;
}

static json_t *dispatch_typed(const local_method *m, inbound *q, const json_t *params, CancellationToken ct)
{
    const JsonRpcTargetMethod *t = m->typed;
    int32_t n = t->parameterCount;
    size_t given = json_is_array(params)    ? json_array_size(params)
                   : json_is_object(params) ? json_object_size(params)
                                            : 0;
    Variant *args = calloc((size_t)n + 1, sizeof *args);
    if (!args)
        return reply_with(q->id, "error", error_object(JSONRPC_INTERNAL_ERROR, "Out of memory.", NULL));
    int32_t made = 0;
    bool fits = given == (size_t)n && (n == 0 || json_is_array(params) || json_is_object(params));
    for (; fits && made < n; made++) {
        const json_t *a = json_is_array(params) ? json_array_get(params, (size_t)made)
                                                : json_object_get(params, t->parameters[made].name);
        if (!a || !sp_jrpc_from_json(a, &t->parameters[made], &args[made])) {
            fits = false;
            break;
        }
    }
    json_t *reply;
    if (!fits) {
        char text[512];
        snprintf(text, sizeof text, sp_sr(SR_JsonRpc_ParamsMismatch), t->name);
        reply = reply_with(q->id, "error", error_object(JSONRPC_INVALID_PARAMS, text, NULL));
    } else {
        Variant result = Variant_Null();
        result.type = VariantType_Empty;
        sp_clear();
        bool ok = t->adapter(m->state, args, &result, ct);
        if (ok) {
            json_t *value = result.type == VariantType_Empty ? json_null() : sp_jrpc_to_json(&result);
            reply = value ? reply_with(q->id, "result", value)
                          : reply_with(q->id, "error",
                                       error_object(JSONRPC_RESPONSE_SERIALIZATION_FAILURE,
                                                    Exception_get_Message(Exception_get_Current()), NULL));
        } else {
            if (!sp_failed())
                sp_throw(ExceptionType_Exception, NULL, NULL);
            reply = reply_with(q->id, "error", error_for_exception(ct));
        }
        Variant_Clear(&result);
    }
    for (int32_t i = 0; i < made; i++)
        Variant_Clear(&args[i]);
    free(args);
    return reply;
}

static void dispatch(JsonRpc *rpc, inbound *q)
{
    const json_t *method = json_object_get(q->message, "method");
    const char *name = json_string_value(method);
    const json_t *params = json_object_get(q->message, "params");
    json_t *reply = NULL;
    /* Compared whole: the wire may carry a NUL (\u0000), after which the C name would be a shorter
     * one (another method). No registered name holds a NUL: not found (-32601), as StreamJsonRpc. */
    const local_method *m = strlen(name) == json_string_length(method) ? find_method(rpc, name) : NULL;
    CancellationToken ct = q->cts ? CancellationTokenSource_get_Token(q->cts) : CancellationToken_get_None();
    if (!m) {
        if (q->id) {
            char text[512];
            snprintf(text, sizeof text, sp_sr(SR_RpcMethodNameNotFound), name);
            reply = error_object(JSONRPC_METHOD_NOT_FOUND, text, NULL);
        }
    } else if (m->typed) {
        reply = dispatch_typed(m, q, params, ct);
    } else {
        /* Arguments as JSON gives them (RPC-API.md 5.2), positional or named in the order sent. */
        size_t n = json_is_array(params)    ? json_array_size(params)
                   : json_is_object(params) ? json_object_size(params)
                                            : 0;
        Variant *args = n ? calloc(n, sizeof *args) : NULL;
        bool ok = !n || args;
        size_t made = 0;
        if (json_is_array(params)) {
            for (; ok && made < n; made++)
                ok = sp_jrpc_from_json(json_array_get(params, made), NULL, &args[made]);
        } else if (json_is_object(params)) {
            const char *key;
            json_t *value;
            json_object_foreach((json_t *)params, key, value)
            {
                if (!ok || made == n)
                    break;
                ok = sp_jrpc_from_json(value, NULL, &args[made]);
                if (ok)
                    made++;
            }
        }
        Variant result = Variant_Null();
        result.type = VariantType_Empty;
        if (ok) {
            sp_clear();
            ok = m->handler(args, (int32_t)made, &result, ct, m->state);
            if (!ok && !sp_failed())
                sp_throw(ExceptionType_Exception, NULL, NULL);
        }
        if (q->id) {
            if (ok) {
                json_t *value = result.type == VariantType_Empty ? json_null() : sp_jrpc_to_json(&result);
                if (value) {
                    reply = envelope();
                    json_object_set_new(reply, "id", json_incref(q->id));
                    json_object_set_new(reply, "result", value);
                } else {
                    reply = envelope();
                    json_object_set_new(reply, "id", json_incref(q->id));
                    json_object_set_new(reply, "error",
                                        error_object(JSONRPC_RESPONSE_SERIALIZATION_FAILURE,
                                                     Exception_get_Message(Exception_get_Current()), NULL));
                }
            } else {
                reply = envelope();
                json_object_set_new(reply, "id", json_incref(q->id));
                json_object_set_new(reply, "error", error_for_exception(ct));
            }
        }
        Variant_Clear(&result);
        for (size_t i = 0; i < made; i++)
            Variant_Clear(&args[i]);
        free(args);
    }
    if (reply && !json_object_get(reply, "jsonrpc")) { /* the method-not-found error */
        json_t *full = envelope();
        json_object_set_new(full, "id", json_incref(q->id));
        json_object_set_new(full, "error", reply);
        reply = full;
    }
    if (reply) {
        sp_clear();
        send_json(rpc, reply);
        json_decref(reply);
    }
    sp_clear();
}

static void free_inbound(inbound *q)
{
    json_decref(q->message);
    json_decref(q->id);
    if (q->cts)
        Dispose(q->cts);
    free(q);
}

static void dispatcher_main(void *arg)
{
    JsonRpc *rpc = arg;
    sp_lock_enter(rpc->lock);
    for (;;) {
        while (!rpc->queue_head && !rpc->stopping && !rpc->ended)
            sp_cond_wait(rpc->cond, rpc->lock, -1);
        inbound *q = rpc->queue_head;
        if (!q || rpc->stopping)
            break;
        rpc->queue_head = q->next;
        if (!rpc->queue_head)
            rpc->queue_tail = NULL;
        rpc->running = q;
        sp_lock_exit(rpc->lock);
        dispatch(rpc, q);
        sp_lock_enter(rpc->lock);
        rpc->running = NULL;
        free_inbound(q);
    }
    sp_lock_exit(rpc->lock);
    sp_clear();
    /* The dispatcher's own reference (StartListening): a handler still running when the JsonRpc is
     * disposed keeps the object alive, and Dispose does not wait for it (as .NET's does not). */
    sp_object_release(&rpc->base);
}

bool JsonRpc_StartListening(JsonRpc *rpc)
{
    if (!check(rpc))
        return false;
    sp_lock_enter(rpc->lock);
    bool already = rpc->listening;
    rpc->listening = true;
    sp_lock_exit(rpc->lock);
    if (already) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_InvalidAfterListenHasStarted, NULL);
        return false;
    }
    sp_object_retain(&rpc->base); /* the dispatcher's, released when it ends */
    rpc->dispatcher = sp_task_start(dispatcher_main, rpc);
    if (!rpc->dispatcher) {
        sp_object_release(&rpc->base);
        return false;
    }
    rpc->reader = sp_task_start(reader_main, rpc);
    if (!rpc->reader)
        return false;
    sp_clear();
    return true;
}

/* ---------------------------------------------------------------- calling */

static bool check_call(JsonRpc *rpc, const char *targetName, const Variant *arguments, int32_t argumentCount)
{
    if (!targetName) {
        sp_throw_null("targetName");
        return false;
    }
    if (argumentCount < 0) {
        sp_throw_need_nonneg("argumentCount");
        return false;
    }
    if (argumentCount > 0 && !arguments) {
        sp_throw_null("arguments");
        return false;
    }
    if (!rpc->listening) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_MustBeListening, NULL);
        return false;
    }
    return true;
}

static json_t *build_params(const char *const *names, const Variant *arguments, int32_t n)
{
    json_t *params = names ? json_object() : json_array();
    if (!params) {
        sp_throw_out_of_memory();
        return NULL;
    }
    for (int32_t i = 0; i < n; i++) {
        if (names && !names[i]) {
            json_decref(params);
            sp_throw_null("names");
            return NULL;
        }
        json_t *v = sp_jrpc_to_json(&arguments[i]);
        if (!v) {
            json_decref(params);
            return NULL;
        }
        if (names)
            json_object_set_new(params, names[i], v);
        else
            json_array_append_new(params, v);
    }
    return params;
}

/* Turns a response into the result or the exception RPC-API.md 5.1 maps it to. A response with
 * both is its result, as StreamJsonRpc's formatter reads "result" before "error". */
static bool complete(json_t *response, const ParameterInfo *returnParameter, Variant *result)
{
    const json_t *error = json_object_get(response, "result") ? NULL : json_object_get(response, "error");
    if (error) {
        const json_t *code = json_object_get(error, "code");
        const json_t *message = json_object_get(error, "message");
        const json_t *data = json_object_get(error, "data");
        int32_t c = json_is_integer(code) ? (int32_t)json_integer_value(code) : 0;
        const char *text = json_is_string(message) ? json_string_value(message) : "";
        if (c == JSONRPC_REQUEST_CANCELED) {
            sp_throw(ExceptionType_OperationCanceledException, text, NULL);
            return false;
        }
        ExceptionType type = c == JSONRPC_METHOD_NOT_FOUND || c == JSONRPC_INVALID_PARAMS
                                 ? ExceptionType_RemoteMethodNotFoundException
                             : c == JSONRPC_RESPONSE_SERIALIZATION_FAILURE ? ExceptionType_RemoteSerializationException
                                                                           : ExceptionType_RemoteInvocationException;
        sp_jrpc_throw_remote(type, text, c, data);
        return false;
    }
    const json_t *value = json_object_get(response, "result");
    Variant v;
    if (!sp_jrpc_from_json(value ? value : json_null(), returnParameter, &v))
        return false;
    if (result)
        *result = v;
    else
        Variant_Clear(&v);
    sp_clear();
    return true;
}

static bool invoke(JsonRpc *rpc, const char *targetName, const char *const *names, const Variant *arguments,
                   int32_t argumentCount, CancellationToken ct, const ParameterInfo *returnParameter, Variant *result)
{
    if (result) {
        *result = Variant_Null();
        result->type = VariantType_Empty;
    }
    if (!sp_call_enter(&rpc->base, NULL, NULL))
        return false;
    bool ok = false;
    json_t *params = NULL, *message = NULL;
    pending_call call = {0};
    EventWaitHandle *wake = NULL; /* call.wake, disposed once the call has left the list */
    if (!check_call(rpc, targetName, arguments, argumentCount))
        goto out;
    if (CancellationToken_get_IsCancellationRequested(ct)) { /* .NET: throws before sending */
        sp_throw_sr(ExceptionType_OperationCanceledException, SR_OperationCanceled, NULL);
        goto out;
    }
    params = build_params(names, arguments, argumentCount);
    if (!params)
        goto out;
    message = envelope();
    if (!message)
        goto out;
    if (ct.source && CancellationToken_get_CanBeCanceled(ct) &&
        !(wake = EventWaitHandle_new(false, EventResetMode_ManualReset)))
        goto out;
    sp_lock_enter(rpc->lock);
    if (rpc->ended) {
        sp_lock_exit(rpc->lock);
        if (wake)
            Dispose(wake);
        wake = NULL;
        sp_throw_sr(ExceptionType_ConnectionLostException, SR_ConnectionDropped, NULL);
        goto out;
    }
    call.wake = wake;
    call.id = ++rpc->last_id;
    call.next = rpc->pending;
    rpc->pending = &call;
    int32_t timeout = rpc->outbound_timeout;
    sp_lock_exit(rpc->lock);

    json_object_set_new(message, "id", json_integer(call.id));
    json_object_set_new(message, "method", json_string(targetName));
    json_object_set_new(message, "params", params);
    params = NULL;
    bool sent = send_json(rpc, message);

    bool timed_out = false, cancel_sent = false;
    int64_t start = sp_clock_ms();
    sp_lock_enter(rpc->lock);
    while (sent && !call.done) {
        int32_t slice = -1;
        if (timeout >= 0) {
            int64_t elapsed = sp_clock_ms() - start;
            if (elapsed >= timeout) {
                timed_out = true;
                break;
            }
            slice = (int32_t)(timeout - elapsed);
        }
        if (call.wake && !cancel_sent) {
            /* Woken by the answer (finish_locked sets call.wake) or by the token's Cancel. */
            WaitHandle *handles[2] = {(WaitHandle *)call.wake, CancellationToken_get_WaitHandle(ct)};
            sp_lock_exit(rpc->lock);
            int32_t r = handles[1] ? WaitHandle_WaitAny(handles, 2, slice) : -1;
            sp_lock_enter(rpc->lock);
            if (r < 0) { /* no wait on two handles here (Linux before 5.16): poll the token instead */
                sp_clear();
                call.wake = NULL; /* still ours to dispose: kept in wake */
            }
        } else {
            /* Without a wake handle, a token is polled in short slices while it may fire. */
            if (ct.source && !cancel_sent && (slice < 0 || slice > 20))
                slice = 20;
            sp_cond_wait(rpc->cond, rpc->lock, slice);
        }
        if (!call.done && !cancel_sent && ct.source && CancellationToken_get_IsCancellationRequested(ct)) {
            cancel_sent = true; /* .NET: the call goes on until the server answers */
            sp_lock_exit(rpc->lock);
            send_cancel_async(rpc, call.id);
            sp_lock_enter(rpc->lock);
        }
    }
    for (pending_call **pp = &rpc->pending; *pp; pp = &(*pp)->next)
        if (*pp == &call) {
            *pp = call.next;
            break;
        }
    sp_lock_exit(rpc->lock);
    if (wake) /* nobody sets it now; disposed before the call's own exception is raised */
        Dispose(wake);
    wake = NULL;
    if (!sent) {
        /* A failed write ends the call: the connection is then not usable anyway. */
        sp_throw_sr(ExceptionType_ConnectionLostException, SR_ConnectionDropped, NULL);
    } else if (timed_out) {
        send_cancel_async(rpc, call.id);
        sp_throw_sr(ExceptionType_TimeoutException, SR_Arg_TimeoutException, NULL);
    } else if (!call.response) {
        sp_throw_sr(ExceptionType_ConnectionLostException, SR_ConnectionDropped, NULL);
    } else {
        ok = complete(call.response, returnParameter, result);
    }
    json_decref(call.response);
out:
    json_decref(params);
    json_decref(message);
    sp_call_leave(&rpc->base, NULL);
    return ok;
}

bool JsonRpc_InvokeWithCancellation(JsonRpc *rpc, const char *targetName, const Variant *arguments,
                                    int32_t argumentCount, CancellationToken cancellationToken,
                                    const ParameterInfo *returnParameter, Variant *result)
{
    if (!check(rpc))
        return false;
    return invoke(rpc, targetName, NULL, arguments, argumentCount, cancellationToken, returnParameter, result);
}

bool JsonRpc_InvokeWithParameterObject(JsonRpc *rpc, const char *targetName, const char *const *names,
                                       const Variant *arguments, int32_t argumentCount,
                                       CancellationToken cancellationToken, const ParameterInfo *returnParameter,
                                       Variant *result)
{
    if (!check(rpc))
        return false;
    if (argumentCount > 0 && !names) {
        sp_throw_null("names");
        return false;
    }
    static const char *const no_names[1] = {NULL};
    return invoke(rpc, targetName, names ? names : no_names, arguments, argumentCount, cancellationToken,
                  returnParameter, result);
}

Variant JsonRpc_InvokeArgs_(JsonRpc *rpc, const char *targetName, const Variant *arguments, int32_t argumentCount)
{
    Variant v;
    if (!JsonRpc_InvokeWithCancellation(rpc, targetName, arguments, argumentCount, CancellationToken_get_None(), NULL,
                                        &v)) {
        v = Variant_Null();
        v.type = VariantType_Empty;
    }
    return v;
}

bool JsonRpc_NotifyWithArguments(JsonRpc *rpc, const char *targetName, const Variant *arguments, int32_t argumentCount)
{
    if (!check(rpc))
        return false;
    if (!sp_call_enter(&rpc->base, NULL, NULL))
        return false;
    bool ok = false;
    json_t *params = NULL, *message = NULL;
    if (!check_call(rpc, targetName, arguments, argumentCount))
        goto out;
    if (rpc->ended) {
        sp_throw_sr(ExceptionType_ConnectionLostException, SR_ConnectionDropped, NULL);
        goto out;
    }
    params = build_params(NULL, arguments, argumentCount);
    if (!params || !(message = envelope()))
        goto out;
    json_object_set_new(message, "method", json_string(targetName));
    json_object_set_new(message, "params", params);
    params = NULL;
    ok = send_json(rpc, message);
    if (!ok) {
        sp_throw_sr(ExceptionType_ConnectionLostException, SR_ConnectionDropped, NULL);
    } else
        sp_clear();
out:
    json_decref(params);
    json_decref(message);
    sp_call_leave(&rpc->base, NULL);
    return ok;
}

/* ---------------------------------------------------------------- properties, serving */

bool JsonRpc_set_OutboundRequestTimeout(JsonRpc *rpc, int32_t milliseconds)
{
    if (!check(rpc))
        return false;
    if (milliseconds < -1) {
        sp_throw_out_of_range("milliseconds", NULL);
        return false;
    }
    rpc->outbound_timeout = milliseconds;
    sp_clear();
    return true;
}

int32_t JsonRpc_get_OutboundRequestTimeout(JsonRpc *rpc)
{
    if (!check(rpc))
        return 0;
    sp_clear();
    return rpc->outbound_timeout;
}

WaitHandle *JsonRpc_get_Completion(JsonRpc *rpc)
{
    if (!sp_check_type(rpc, &sp_type_JsonRpc, "rpc"))
        return NULL;
    sp_clear();
    return (WaitHandle *)rpc->completion;
}

bool JsonRpc_get_IsDisposed(JsonRpc *rpc)
{
    if (!sp_check_type(rpc, &sp_type_JsonRpc, "rpc"))
        return false;
    sp_clear();
    return sp_object_is_closed(&rpc->base);
}

bool JsonRpc_set_CancelLocallyInvokedMethodsWhenConnectionIsClosed(JsonRpc *rpc, bool value)
{
    if (!check(rpc))
        return false;
    if (rpc->listening) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_MustNotBeListening, NULL);
        return false;
    }
    rpc->cancel_on_close = value;
    sp_clear();
    return true;
}

static bool add_method(JsonRpc *rpc, const char *name, JsonRpcMethodHandler handler, void *state,
                       const JsonRpcTargetMethod *typed)
{
    if (rpc->listening) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_MustNotBeListening, NULL);
        return false;
    }
    if (find_method(rpc, name)) {
        sp_throw_sr(ExceptionType_InvalidOperationException, SR_ConflictMethodSignatureAlreadyRegistered, NULL);
        return false;
    }
    local_method *grown = sp_realloc(rpc->methods, sizeof *grown * (size_t)(rpc->method_count + 1));
    if (!grown)
        return false;
    rpc->methods = grown;
    char *copy = sp_strdup(name);
    if (!copy)
        return false;
    rpc->methods[rpc->method_count++] = (local_method){copy, handler, state, typed};
    return true;
}

bool JsonRpc_AddLocalRpcTarget(JsonRpc *rpc, const JsonRpcTarget *target, void *self)
{
    if (!check(rpc))
        return false;
    if (!target) {
        sp_throw_null("target");
        return false;
    }
    for (int32_t i = 0; i < target->methodCount; i++)
        if (!add_method(rpc, target->methods[i].name, NULL, self, &target->methods[i]))
            return false;
    sp_clear();
    return true;
}

bool JsonRpc_AddLocalRpcMethod(JsonRpc *rpc, const char *rpcMethodName, JsonRpcMethodHandler handler, void *state)
{
    if (!check(rpc))
        return false;
    if (!rpcMethodName) {
        sp_throw_null("rpcMethodName");
        return false;
    }
    if (!handler) {
        sp_throw_null("handler");
        return false;
    }
    if (!add_method(rpc, rpcMethodName, handler, state, NULL))
        return false;
    sp_clear();
    return true;
}

/* ---------------------------------------------------------------- Dispose */

static bool jsonrpc_close(Object *self)
{
    JsonRpc *rpc = (JsonRpc *)self;
    if (rpc->lock) {
        sp_lock_enter(rpc->lock);
        rpc->stopping = true;
        end_locked(rpc);
        sp_lock_exit(rpc->lock);
    }
    /* Closing the stream wakes the reader blocked in a read (the stream's own rule). */
    bool ok = true;
    if (rpc->stream)
        ok = sp_object_close(&rpc->stream->base);
    if (rpc->reader && !sp_task_is_current(rpc->reader)) {
        sp_task_join(rpc->reader);
        rpc->reader = NULL;
    }
    /* The dispatcher leaves once its handler (if any) returns; it holds its own reference. */
    if (rpc->dispatcher) {
        sp_task_detach(rpc->dispatcher);
        rpc->dispatcher = NULL;
    }
    /* The stream itself (our reference) goes with the object: a handler still running may try to
     * answer, and finds it closed. */
    return ok;
}

static void jsonrpc_destroy(Object *self)
{
    JsonRpc *rpc = (JsonRpc *)self;
    if (rpc->stream)
        sp_object_release(&rpc->stream->base);
    while (rpc->queue_head) {
        inbound *q = rpc->queue_head;
        rpc->queue_head = q->next;
        free_inbound(q);
    }
    for (int32_t i = 0; i < rpc->method_count; i++)
        free(rpc->methods[i].name);
    free(rpc->methods);
    if (rpc->completion)
        Dispose(rpc->completion);
    sp_cond_free(rpc->cond);
    sp_lock_free(rpc->lock);
    sp_lock_free(rpc->write_lock);
}
