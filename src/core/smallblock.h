/*
 * A per-thread cache of small heap blocks, for the strings, arrays and objects the library hands
 * out by the million (ReadString, ReadLine, ReadBytes, ReceiveFrom's sender): .NET bump-allocates
 * those and collects later, where malloc + free cost ~125 instructions a string. A freed block
 * goes onto the freeing thread's list for its size class and the next allocation of that class on
 * that thread takes it back, a few instructions each way. An object of up to SP_SMALL_MAX bytes
 * (sp_object_new) records its class in its header (Object.block); being a malloc block, it may
 * still be given to free() (a constructor's failure path), only not kept.
 *
 * - Every block is a malloc block of its class's size, so any thread may free any block: it joins
 *   the freeing thread's list, or goes to free() when that list is full (SP_SMALL_KEEP blocks a
 *   class, so a thread keeps at most ~16 KiB however the blocks travel between threads).
 * - A thread's lists are freed when it ends (sp_os_exit_slot, registered on the first block the
 *   thread keeps); from then on the thread's blocks go straight to malloc and free.
 * - Under AddressSanitizer, and under valgrind's memcheck (found at run time, so the same build
 *   runs natively at full speed and under callgrind unchanged), a kept block is poisoned past its
 *   first word (the list link) and a block handed out is addressable for the bytes asked for
 *   only: use after free, and overflow into the rest of the class, are reported as they would be
 *   with malloc. Leaks are too: a block the program lost is on no list.
 */
#ifndef SHARPIPC_CORE_SMALLBLOCK_H
#define SHARPIPC_CORE_SMALLBLOCK_H

#include "core/internal.h"

/* Classes of 32, 64, 128, 256 and 512 bytes. The cache's layout is public (sharpipc/inline.h):
 * ReadBytes and Array_Free of a short byte array use it inline on ELF. */
#define SP_SMALL_CLASSES SP_SMALL_CLASSES_
#define SP_SMALL_MAX 512
#define SP_SMALL_KEEP SP_SMALL_KEEP_

enum {
    SP_SMALL_NEW = 0,               /* the thread has kept nothing yet (its exit hook is not set) */
    SP_SMALL_LIVE = SP_SMALL_LIVE_, /* lists in use, freed when the thread ends */
    SP_SMALL_DEAD = 2,              /* the thread is ending, or its hook could not be set: malloc and free only */
    SP_SMALL_CHECKED = 4,           /* with LIVE: memcheck is watching, poison what is kept */
};

/* head[cls]: the first kept block of the class, each block's first word linking to the next. */
typedef sp_small_cache_ sp_small_cache;

extern _Thread_local sp_small_cache sp_small_ SP_FAST_TLS;

static inline size_t sp_small_size(unsigned cls) { return (size_t)32 << cls; }

/* The class of a block of `bytes` (1..SP_SMALL_MAX). */
static inline unsigned sp_small_class(size_t bytes)
{
    static const uint8_t by_32[16] = {0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4};
    return by_32[(bytes - 1) >> 5];
}

/* The rest of the work: the first block a thread keeps, full lists, and ASan/memcheck (whose
 * threads never take the inline paths: their state is LIVE | CHECKED). */
void *sp_small_alloc_slow(unsigned cls, size_t used);
void sp_small_free_slow(void *block, unsigned cls);

/* A kept block of class cls, or NULL when the thread has none to give at once (no call: a
 * caller's fast path that takes NULL to its slow path saves no registers for it). */
static inline void *sp_small_take(unsigned cls)
{
    void *b = sp_small_.head[cls];
    if (b && sp_small_.state == SP_SMALL_LIVE) {
        sp_small_.head[cls] = *(void **)b;
        sp_small_.count[cls]--;
        return b;
    }
    return NULL;
}

/* A block of class cls whose first `used` bytes the caller will use (the rest is poisoned under
 * ASan/memcheck). NULL, with no exception, when there is no memory. */
static inline void *sp_small_alloc(unsigned cls, size_t used)
{
    void *b = sp_small_take(cls);
    return b ? b : sp_small_alloc_slow(cls, used);
}

static inline void sp_small_free(void *block, unsigned cls)
{
    if (sp_small_.state == SP_SMALL_LIVE && sp_small_.count[cls] < SP_SMALL_KEEP) {
        *(void **)block = sp_small_.head[cls];
        sp_small_.head[cls] = block;
        sp_small_.count[cls]++;
        return;
    }
    sp_small_free_slow(block, cls);
}

/* Tests: blocks the calling thread keeps in class cls, and blocks freed by ended threads. */
int32_t sp_small_kept(unsigned cls);
int64_t sp_small_freed_at_exit(void);

#ifdef SHARPIPC_FAULT_INJECTION
/* Tests (the fault-injection build): the nth call of sp_small_alloc_slow from now, on any thread,
 * and `times` calls in all (-1: every one), return NULL as malloc does when memory is out; 0, 0
 * drops the rule. A thread that has kept no block yet takes every block through that call, so a
 * test that runs on a thread of its own fails exactly the allocation it aims at. */
void sp_small_fail(int nth, int times);
#endif

/* ---------------------------------------------------------------- objects from the small-block cache */

/* sp_object_new with a block the thread keeps taken inline: the size is the caller's constant, so
 * the clearing is a few stores; anything else (no block kept, a checker watching, a big object)
 * takes the call. */
static inline void *sp_object_new_inline_(size_t size, const sp_type *type)
{
    if (size <= SP_SMALL_MAX) {
        unsigned cls = sp_small_class(size);
        void *memory = sp_small_take(cls);
        if (memory)
            return sp_object_setup(memory, size, type, (uint8_t)(cls + 1));
    }
    return (sp_object_new)(size, type);
}
#define sp_object_new(size, type) sp_object_new_inline_(size, type)

#endif
