/* The per-thread cache of small blocks (smallblock.h): registration, the thread-exit hook, and the
 * ASan / memcheck poisoning of kept blocks. */
#include "core/smallblock.h"

#include "platform/platform_thread.h"

#include <stdatomic.h>

#if defined(__SANITIZE_ADDRESS__)
#  define SP_SMALL_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define SP_SMALL_ASAN 1
#  endif
#endif
#ifdef SP_SMALL_ASAN
#  include <sanitizer/asan_interface.h>
#elif defined(__has_include)
#  if __has_include(<valgrind/memcheck.h>)
#    include <valgrind/memcheck.h>
#    define SP_SMALL_MEMCHECK 1
#  endif
#endif

_Thread_local sp_small_cache sp_small_ SP_FAST_TLS;

static _Atomic(sp_os_exit_slot *) exit_slot;
static _Atomic int64_t freed_at_exit;

/* Is a checker watching the heap? ASan: always, it is compiled in. memcheck: asked once; its
 * MAKE_MEM_NOACCESS request answers -1 where the native run (and callgrind) answer 0. */
static bool poisoning(void)
{
#if defined(SP_SMALL_ASAN)
    return true;
#elif defined(SP_SMALL_MEMCHECK)
    static _Atomic int memcheck = -1;
    int m = atomic_load_explicit(&memcheck, memory_order_relaxed);
    if (m < 0) {
        char probe;
        m = (long)VALGRIND_MAKE_MEM_NOACCESS(&probe, 0) == -1L;
        atomic_store_explicit(&memcheck, m, memory_order_relaxed);
    }
    return m != 0;
#else
    return false;
#endif
}

/* Marks n bytes at p as what no one may touch (a kept block past its link, a block's bytes past
 * what was asked for), or as usable but not yet written, as malloc's bytes are. */
static void mark(void *p, size_t n, bool usable)
{
#if defined(SP_SMALL_ASAN)
    if (usable)
        ASAN_UNPOISON_MEMORY_REGION(p, n);
    else
        ASAN_POISON_MEMORY_REGION(p, n);
#elif defined(SP_SMALL_MEMCHECK)
    if (usable)
        (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n);
    else
        (void)VALGRIND_MAKE_MEM_NOACCESS(p, n);
#else
    (void)p, (void)n, (void)usable;
#endif
}
#define hide(p, n) mark(p, n, false)
#define show(p, n) mark(p, n, true)

/* The thread is ending: its blocks go back to malloc, and any block freed on it from here on
 * (by a later thread-exit callback) goes to free() at once.
 *
 * Only the calling thread's own cache is touched. On POSIX the value is always that (a pthread
 * key's destructor runs on the thread that set it). On Windows the slot is an FLS index, and FLS
 * belongs to the fiber, not the thread, while the cache is the thread's (_Thread_local): the value
 * names the cache of the thread the fiber was on when it first kept a block, and the callback runs
 * wherever the fiber ends. So:
 * - DeleteFiber of that fiber on its own thread: the callback runs there, on a thread that goes
 *   on. Freeing the lists and going DEAD is safe (the thread is the only user of its cache); the
 *   thread just keeps nothing from then on (a missed cache, not a leak).
 * - The fiber deleted on another thread, or ending a thread it moved to (fibers may be switched
 *   to on any thread): the value is another thread's cache, in use right now or in freed TLS.
 *   Freeing its lists here would race its owner (a double free) or write freed memory, so the
 *   callback leaves it alone (the pointer is compared, never read). Then the owner's lists are not
 *   freed when it ends, as its current fiber's FLS holds no value: at most SP_SMALL_KEEP blocks a
 *   class (~16 KiB) stay allocated, only for a program that moves or deletes fibers across
 *   threads, which it must do explicitly. Freeing them would need a per-thread hook that fibers
 *   do not move (a TLS callback in the PE image), which the seam does not have.
 * - A thread that never converts to fibers has one fiber: FLS is then per thread, as on POSIX. */
static void at_thread_exit(void *value)
{
    sp_small_cache *c = value;
    if (c != &sp_small_)
        return;
    int64_t n = 0;
    for (unsigned cls = 0; cls < SP_SMALL_CLASSES; cls++) {
        void *b = c->head[cls];
        while (b) {
            void *next = *(void **)b;
            if (c->state & SP_SMALL_CHECKED)
                show(b, sp_small_size(cls));
            free(b);
            b = next;
            n++;
        }
        c->head[cls] = NULL;
        c->count[cls] = 0;
    }
    c->state = SP_SMALL_DEAD;
    atomic_fetch_add(&freed_at_exit, n);
}

/* The first block this thread keeps: its lists must be freed when it ends, so the exit hook (one
 * slot for the process, made by the first thread to get here) is set first; without it the
 * thread keeps nothing. */
static void enlist(sp_small_cache *c)
{
    sp_os_exit_slot *slot = atomic_load(&exit_slot);
    if (!slot) {
        sp_os_exit_slot *mine = NULL;
        if (sp_os_exit_slot_new(at_thread_exit, &mine) == 0) {
            if (atomic_compare_exchange_strong(&exit_slot, &slot, mine))
                slot = mine;
            else
                sp_os_exit_slot_free(mine); /* another thread's won; slot holds it now */
        } else if (!(slot = atomic_load(&exit_slot))) {
            /* Ours could not be made, and no thread's is there yet: Windows has a few trampolines
             * (SP_EXIT_SLOTS) and threads racing here each hold one until their CAS, so a fifth
             * racer fails while the winner is still on its way. Going DEAD would leave this
             * thread uncached for good over a race it lost; staying NEW tries again at its next
             * free (which takes free() meanwhile). A slot that can never be made costs a failed
             * attempt per free of that thread, never a leak. */
            return;
        }
    }
    if (slot && sp_os_exit_slot_set(slot, c) == 0)
        c->state = (uint8_t)(SP_SMALL_LIVE | (poisoning() ? SP_SMALL_CHECKED : 0));
    else
        c->state = SP_SMALL_DEAD;
}

#ifdef SHARPIPC_FAULT_INJECTION
static _Atomic long slow_calls, fail_from;
static _Atomic int fail_left;

void sp_small_fail(int nth, int times)
{
    atomic_store(&fail_left, nth > 0 ? times : 0);
    atomic_store(&fail_from, nth > 0 && times != 0 ? atomic_load(&slow_calls) + nth : 0);
}

static bool injected_failure(void)
{
    long call = atomic_fetch_add(&slow_calls, 1) + 1, from = atomic_load(&fail_from);
    if (from == 0 || call < from)
        return false;
    int left = atomic_load(&fail_left);
    while (left != 0) {
        if (left < 0 || atomic_compare_exchange_weak(&fail_left, &left, left - 1))
            return true;
    }
    return false;
}
#endif

void *sp_small_alloc_slow(unsigned cls, size_t used)
{
#ifdef SHARPIPC_FAULT_INJECTION
    if (injected_failure())
        return NULL;
#endif
    sp_small_cache *c = &sp_small_;
    size_t size = sp_small_size(cls);
    void *b = c->head[cls];
    if (b && (c->state & SP_SMALL_LIVE)) { /* a CHECKED thread's block */
        c->head[cls] = *(void **)b;
        c->count[cls]--;
        show(b, used);
        if (used < sizeof(void *))
            hide((uint8_t *)b + used, sizeof(void *) - used); /* the link's bytes past `used` */
        return b;
    }
    b = malloc(size);
    if (b && poisoning())
        hide((uint8_t *)b + used, size - used);
    return b;
}

void sp_small_free_slow(void *block, unsigned cls)
{
    sp_small_cache *c = &sp_small_;
    size_t size = sp_small_size(cls);
    if (c->state == SP_SMALL_NEW)
        enlist(c);
    bool checked = poisoning();
    if ((c->state & SP_SMALL_LIVE) && c->count[cls] < SP_SMALL_KEEP) {
        if (checked)
            show(block, sizeof(void *));
        *(void **)block = c->head[cls];
        c->head[cls] = block;
        c->count[cls]++;
        if (checked)
            hide((uint8_t *)block + sizeof(void *), size - sizeof(void *));
        return;
    }
    if (checked)
        show(block, size);
    free(block);
}

int32_t sp_small_kept(unsigned cls) { return sp_small_.count[cls]; }

int64_t sp_small_freed_at_exit(void) { return atomic_load(&freed_at_exit); }
