/* CancellationTokenSource / CancellationToken (RPC-API.md 6). The state is one atomic flag and a
 * deadline; the WaitHandle is a manual-reset EventWaitHandle made on first use, set by Cancel.
 * CancelAfter arms one process-wide timer thread (.NET's TimerQueue: one thread for every source),
 * which cancels the source when its time comes, so the WaitHandle is set even if nobody looks.
 * The thread runs while a source is armed and ends a second after the last one fired or was
 * disarmed (no thread is left behind at exit for leak checkers to see). */
#include "core/internal.h"

#include "core/thread.h"
#include "platform/platform.h"

struct CancellationTokenSource {
    Object base;
    atomic_bool canceled;
    atomic_llong deadline_ms; /* sp_clock_ms() at which CancelAfter cancels; 0: none */
    _Atomic(EventWaitHandle *) event;
    /* the timer queue's, under its lock */
    bool armed;
    CancellationTokenSource *timer_next;
};

static void cancel(CancellationTokenSource *c);

/* ---- the timer: armed sources in a list, one thread waiting for the earliest deadline */

typedef struct timer_queue {
    sp_lock *lock;
    sp_cond *cond;
    CancellationTokenSource *head;
    bool running;
} timer_queue;

static _Atomic(timer_queue *) the_queue;

/* Made once, kept for the process (a lock and a condition variable). NULL: exception pending. */
static timer_queue *queue(void)
{
    timer_queue *q = atomic_load(&the_queue);
    if (q)
        return q;
    q = sp_malloc(sizeof *q);
    if (!q)
        return NULL;
    q->head = NULL;
    q->running = false;
    q->lock = sp_lock_new();
    q->cond = q->lock ? sp_cond_new() : NULL;
    if (!q->cond) {
        if (q->lock)
            sp_lock_free(q->lock);
        free(q);
        return NULL;
    }
    timer_queue *expected = NULL;
    if (!atomic_compare_exchange_strong(&the_queue, &expected, q)) {
        sp_cond_free(q->cond);
        sp_lock_free(q->lock);
        free(q);
        q = expected;
    }
    return q;
}

/* With q->lock held. */
static void unlink_armed(timer_queue *q, CancellationTokenSource *c)
{
    if (!c->armed)
        return;
    for (CancellationTokenSource **pp = &q->head; *pp; pp = &(*pp)->timer_next)
        if (*pp == c) {
            *pp = c->timer_next;
            break;
        }
    c->armed = false;
    c->timer_next = NULL;
}

/* The timer thread. A source fires with the queue's lock held, so a Dispose (which unlinks under
 * the same lock) either comes first and the source never fires, or waits until it has fired. */
static void timer_main(void *arg)
{
    timer_queue *q = arg;
    sp_lock_enter(q->lock);
    int64_t idle_since = -1;
    for (;;) {
        int64_t now = sp_clock_ms();
        CancellationTokenSource *first = NULL;
        for (CancellationTokenSource *c = q->head; c; c = c->timer_next)
            if (!first || atomic_load(&c->deadline_ms) < atomic_load(&first->deadline_ms))
                first = c;
        if (!first) {
            if (idle_since < 0)
                idle_since = now;
            if (now - idle_since >= 1000)
                break;
            sp_cond_wait(q->cond, q->lock, (int32_t)(1000 - (now - idle_since)));
            continue;
        }
        idle_since = -1;
        int64_t due = atomic_load(&first->deadline_ms);
        if (due > now) {
            int64_t wait = due - now;
            sp_cond_wait(q->cond, q->lock, wait > INT32_MAX ? INT32_MAX : (int32_t)wait);
            continue;
        }
        unlink_armed(q, first);
        cancel(first);
    }
    q->running = false;
    sp_lock_exit(q->lock);
}

/* Arms (ms >= 0) or disarms (-1) c's timer: re-arming replaces the deadline. */
static bool arm(CancellationTokenSource *c, int32_t ms)
{
    timer_queue *q = queue();
    if (!q)
        return false;
    bool ok = true;
    sp_lock_enter(q->lock);
    if (sp_object_is_closed(&c->base)) {
        /* a Dispose on another thread since the caller's check: its unlink may be done, and a
         * source armed now would stay in the list after it is freed */
        sp_lock_exit(q->lock);
        sp_check_open(c, c->base.type, "cts", NULL); /* its ObjectDisposedException */
        return false;
    }
    if (ms < 0) {
        unlink_armed(q, c);
        atomic_store(&c->deadline_ms, 0);
    } else if (!atomic_load(&c->canceled)) {
        atomic_store(&c->deadline_ms, sp_clock_ms() + ms);
        if (!c->armed) {
            c->armed = true;
            c->timer_next = q->head;
            q->head = c;
        }
        if (!q->running) {
            sp_task *t = sp_task_start(timer_main, q);
            if (t) {
                q->running = true;
                sp_task_detach(t);
            } else {
                unlink_armed(q, c);
                atomic_store(&c->deadline_ms, 0);
                ok = false;
            }
        }
        sp_cond_broadcast(q->cond);
    }
    sp_lock_exit(q->lock);
    return ok;
}

static bool cts_close(Object *o)
{
    CancellationTokenSource *c = (CancellationTokenSource *)o;
    /* Dispose stops the timer; a queue exists if the source was ever armed */
    timer_queue *q = atomic_load(&the_queue);
    if (q) {
        sp_lock_enter(q->lock);
        unlink_armed(q, c);
        sp_lock_exit(q->lock);
    }
    /* The WaitHandle is disposed (its waiters end as a Dispose ends them) but its memory stays the
     * source's until the source goes: a Cancel on another thread that holds the source may have
     * read it and be about to Set it (ObjectDisposedException then, which Cancel drops). */
    EventWaitHandle *e = atomic_load(&c->event);
    if (e)
        sp_object_close((Object *)e);
    return true;
}

static void cts_destroy(Object *o)
{
    EventWaitHandle *e = atomic_exchange(&((CancellationTokenSource *)o)->event, NULL);
    if (e)
        sp_object_release((Object *)e);
}

const sp_type sp_type_CancellationTokenSource = {"System.Threading.CancellationTokenSource", &sp_type_Object, cts_close,
                                                 cts_destroy};

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

static bool is_canceled(CancellationTokenSource *c) { return atomic_load(&c->canceled); }

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
    long long left = d - sp_clock_ms();
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
    c->armed = false;
    c->timer_next = NULL;
    sp_clear();
    return c;
}

static bool check_delay(int32_t ms)
{
    if (ms < -1) {
        sp_throw_out_of_range("millisecondsDelay", sp_sr(SR_ArgumentOutOfRange_NeedNonNegOrNegative1));
        return false;
    }
    return true;
}

/* new CancellationTokenSource(millisecondsDelay): 0 is cancelled at once (as .NET's constructor),
 * -1 never, anything else through the timer. */
CancellationTokenSource *CancellationTokenSource_new_ex(int32_t millisecondsDelay)
{
    if (!check_delay(millisecondsDelay))
        return NULL;
    CancellationTokenSource *c = CancellationTokenSource_new();
    if (!c)
        return NULL;
    if (millisecondsDelay == 0)
        atomic_store(&c->canceled, true);
    else if (millisecondsDelay > 0 && !arm(c, millisecondsDelay)) {
        sp_object_release((Object *)c);
        return NULL;
    }
    sp_clear();
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
    if (!check_cts(cts, true) || !check_delay(millisecondsDelay))
        return false;
    /* .NET: nothing to do once cancelled; else the timer fires even for 0 (on its own thread) */
    if (!atomic_load(&cts->canceled) && !arm(cts, millisecondsDelay))
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
        if (atomic_compare_exchange_strong(&c->event, &expected, made)) {
            e = made;
            /* a Dispose since the check above may have closed the source before it saw this
             * handle (both sequentially consistent: it sees the handle, or this sees it closed) */
            if (sp_object_is_closed(&c->base))
                sp_object_close((Object *)e);
        } else {
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
