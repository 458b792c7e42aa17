/* CancellationTokenSource / CancellationToken (RPC-API.md 6). The state is one atomic flag and a
 * deadline; the WaitHandle is a manual-reset EventWaitHandle made on first use, set by Cancel.
 * sharpipc runs no timer thread, so a CancelAfter deadline takes effect when it is observed: by
 * IsCancellationRequested, get_WaitHandle, or a sharpipc wait that bounds itself with
 * sp_cancellation_remaining_ms. */
#include "core/internal.h"

#include "platform/platform.h"

struct CancellationTokenSource {
    Object base;
    atomic_bool canceled;
    atomic_llong deadline_ms; /* sp_os_now_ms() at which CancelAfter cancels; 0: none */
    _Atomic(EventWaitHandle *) event;
};

static bool cts_close(Object *o)
{
    CancellationTokenSource *c = (CancellationTokenSource *)o;
    EventWaitHandle *e = atomic_exchange(&c->event, NULL);
    if (e)
        sp_object_release((Object *)e);
    return true;
}

const sp_type sp_type_CancellationTokenSource = {"System.Threading.CancellationTokenSource", &sp_type_Object, cts_close,
                                                 NULL};

static CancellationTokenSource *check_cts(CancellationTokenSource *c, bool open)
{
    if (open)
        return (CancellationTokenSource *)sp_check_open(c, &sp_type_CancellationTokenSource, "cts", NULL);
    return (CancellationTokenSource *)sp_check_type(c, &sp_type_CancellationTokenSource, "cts");
}

static void signal(CancellationTokenSource *c)
{
    EventWaitHandle *e = atomic_load(&c->event);
    if (e) {
        bool pending = sp_failed();
        EventWaitHandle_Set(e);
        if (!pending)
            sp_clear();
    }
}

static void cancel(CancellationTokenSource *c)
{
    if (!atomic_exchange(&c->canceled, true))
        signal(c);
}

/* Also fires a CancelAfter whose time has come. */
static bool is_canceled(CancellationTokenSource *c)
{
    if (atomic_load(&c->canceled))
        return true;
    long long d = atomic_load(&c->deadline_ms);
    if (d && sp_os_now_ms() >= d) {
        cancel(c);
        return true;
    }
    return false;
}

int32_t sp_cancellation_remaining_ms(CancellationToken token)
{
    CancellationTokenSource *c = token.source;
    if (!c)
        return -1;
    if (is_canceled(c))
        return 0;
    long long d = atomic_load(&c->deadline_ms);
    if (!d)
        return -1;
    long long left = d - sp_os_now_ms();
    return left <= 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int32_t)left;
}

#undef CancellationTokenSource_new

CancellationTokenSource *CancellationTokenSource_new(void)
{
    CancellationTokenSource *c = sp_object_new(sizeof *c, &sp_type_CancellationTokenSource);
    if (!c)
        return NULL;
    atomic_init(&c->canceled, false);
    atomic_init(&c->deadline_ms, 0);
    atomic_init(&c->event, NULL);
    sp_clear();
    return c;
}

static bool set_delay(CancellationTokenSource *c, int32_t ms)
{
    if (ms < -1) {
        sp_throw_out_of_range("millisecondsDelay", sp_sr(SR_ArgumentOutOfRange_NeedNonNegOrNegative1));
        return false;
    }
    if (ms == -1) {
        atomic_store(&c->deadline_ms, 0);
    } else {
        long long d = sp_os_now_ms() + ms;
        atomic_store(&c->deadline_ms, d ? d : 1);
        if (ms == 0)
            cancel(c);
    }
    return true;
}

CancellationTokenSource *CancellationTokenSource_new_ex(int32_t millisecondsDelay)
{
    if (millisecondsDelay < -1) {
        sp_throw_out_of_range("millisecondsDelay", sp_sr(SR_ArgumentOutOfRange_NeedNonNegOrNegative1));
        return NULL;
    }
    CancellationTokenSource *c = CancellationTokenSource_new();
    if (c && !set_delay(c, millisecondsDelay)) {
        sp_object_release((Object *)c);
        return NULL;
    }
    return c;
}

bool CancellationTokenSource_Cancel(CancellationTokenSource *cts)
{
    if (!check_cts(cts, true))
        return false;
    sp_clear();
    cancel(cts);
    return true;
}

bool CancellationTokenSource_CancelAfter(CancellationTokenSource *cts, int32_t millisecondsDelay)
{
    if (!check_cts(cts, true))
        return false;
    if (!set_delay(cts, millisecondsDelay))
        return false;
    sp_clear();
    return true;
}

bool CancellationTokenSource_get_IsCancellationRequested(CancellationTokenSource *cts)
{
    if (!check_cts(cts, false))
        return false;
    sp_clear();
    return is_canceled(cts);
}

CancellationToken CancellationTokenSource_get_Token(CancellationTokenSource *cts)
{
    CancellationToken t = {NULL};
    if (!check_cts(cts, true))
        return t;
    sp_clear();
    t.source = cts;
    return t;
}

bool CancellationToken_get_IsCancellationRequested(CancellationToken token)
{
    sp_clear();
    return token.source && is_canceled(token.source);
}

bool CancellationToken_get_CanBeCanceled(CancellationToken token)
{
    sp_clear();
    return token.source != NULL;
}

bool CancellationToken_ThrowIfCancellationRequested(CancellationToken token)
{
    if (CancellationToken_get_IsCancellationRequested(token)) {
        sp_throw_sr(ExceptionType_OperationCanceledException, SR_OperationCanceled, NULL);
        return false;
    }
    return true;
}

CancellationToken CancellationToken_get_None(void)
{
    CancellationToken t = {NULL};
    return t;
}

/* None's handle: one never-set event for the process, made on first use and kept. */
static _Atomic(EventWaitHandle *) never_set;

WaitHandle *CancellationToken_get_WaitHandle(CancellationToken token)
{
    CancellationTokenSource *c = token.source;
    if (!c) {
        EventWaitHandle *e = atomic_load(&never_set);
        if (!e) {
            EventWaitHandle *made = EventWaitHandle_new(false, EventResetMode_ManualReset);
            if (!made)
                return NULL;
            EventWaitHandle *expected = NULL;
            if (!atomic_compare_exchange_strong(&never_set, &expected, made)) {
                sp_object_release((Object *)made);
                made = expected;
            }
            e = made;
        }
        sp_clear();
        return (WaitHandle *)e;
    }
    if (!check_cts(c, true))
        return NULL;
    EventWaitHandle *e = atomic_load(&c->event);
    if (!e) {
        EventWaitHandle *made = EventWaitHandle_new(false, EventResetMode_ManualReset);
        if (!made)
            return NULL;
        EventWaitHandle *expected = NULL;
        if (atomic_compare_exchange_strong(&c->event, &expected, made))
            e = made;
        else {
            sp_object_release((Object *)made);
            e = expected;
        }
    }
    /* a Cancel that ran before the handle existed set nothing: set it now */
    if (is_canceled(c))
        EventWaitHandle_Set(e);
    sp_clear();
    return (WaitHandle *)e;
}
