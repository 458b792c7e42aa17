/*
 * CancellationTokenSource / CancellationToken, ported from dotnet/runtime
 * src/libraries/System.Threading.Tasks/tests/CancellationTokenTests.cs.
 */
#include "sp_test.h"

#include "core/internal.h"
#include "platform/platform.h"

/* CancellationTokenTests.cs: CancellationTokenEquality's and CanBeCanceled's rows for None: never
 * cancelled, cannot be, its WaitHandle never set */
static void CancellationTokenTests_CancellationTokenNone(void **state)
{
    (void)state;
    CancellationToken none = CancellationToken_None;
    assert_false(CancellationToken_get_IsCancellationRequested(none));
    assert_false(CancellationToken_get_CanBeCanceled(none));
    WaitHandle *h = CancellationToken_get_WaitHandle(none);
    assert_non_null(h);
    assert_false(WaitHandle_WaitOne(h, 0));
    assert_true(CancellationToken_ThrowIfCancellationRequested(none));
    EXPECT_NO_EXC();
}

/* CancellationTokenTests.cs: CancellationTokenWaitHandle_SignalAfterWait (and
 * sharpipc's own second half: a handle made after the Cancel is set too) */
static void CancellationTokenTests_CancellationTokenWaitHandle_SignalAfterWait(void **state)
{
    (void)state;
    CancellationTokenSource *cts = CancellationTokenSource_new();
    assert_non_null(cts);
    CancellationToken t = CancellationTokenSource_get_Token(cts);
    assert_true(CancellationToken_get_CanBeCanceled(t));
    WaitHandle *h = CancellationToken_get_WaitHandle(t);
    assert_false(WaitHandle_WaitOne(h, 0));
    assert_true(CancellationTokenSource_Cancel(cts));
    assert_true(CancellationToken_get_IsCancellationRequested(t));
    assert_true(WaitHandle_WaitOne(h, 0));
    assert_false(CancellationToken_ThrowIfCancellationRequested(t));
    EXPECT_EXC_MSG(OperationCanceledException, "The operation was canceled.");
    Dispose(cts);

    cts = CancellationTokenSource_new();
    CancellationTokenSource_Cancel(cts);
    t = CancellationTokenSource_get_Token(cts);
    assert_true(WaitHandle_WaitOne(CancellationToken_get_WaitHandle(t), 0));
    Dispose(cts);
}

/* CancellationTokenTests.cs: CancelAfter_* : the deadline cancels; -1 undoes it; < -1 throws */
static void CancellationTokenTests_CancelAfter(void **state)
{
    (void)state;
    CancellationTokenSource *cts = CancellationTokenSource_new(50);
    assert_non_null(cts);
    CancellationToken t = CancellationTokenSource_get_Token(cts);
    assert_false(CancellationToken_get_IsCancellationRequested(t));
    int32_t left = sp_cancellation_remaining_ms(t);
    assert_true(left > 0 && left <= 50);
    int64_t start = sp_os_now_ms();
    while (!CancellationToken_get_IsCancellationRequested(t))
        assert_true(sp_os_now_ms() - start < 5000);
    assert_true(sp_os_now_ms() - start >= 40);
    ASSERT_I64(sp_cancellation_remaining_ms(t), 0);
    Dispose(cts);

    cts = CancellationTokenSource_new();
    assert_true(CancellationTokenSource_CancelAfter(cts, 10));
    assert_true(CancellationTokenSource_CancelAfter(cts, -1));
    ASSERT_I64(sp_cancellation_remaining_ms(CancellationTokenSource_get_Token(cts)), -1);
    assert_false(CancellationTokenSource_CancelAfter(cts, -2));
    EXPECT_EXC(ArgumentOutOfRangeException);
    EXPECT_PARAM("millisecondsDelay");
    assert_true(CancellationTokenSource_CancelAfter(cts, 0));
    assert_true(CancellationTokenSource_get_IsCancellationRequested(cts));
    Dispose(cts);
    assert_null(CancellationTokenSource_new(-2));
    EXPECT_EXC(ArgumentOutOfRangeException);
}

/* CancellationTokenTests.cs: TokenSourceDispose: a disposed source refuses Cancel and Token */
static void CancellationTokenTests_TokenSourceDispose(void **state)
{
    (void)state;
    CancellationTokenSource *cts = CancellationTokenSource_new();
    Object_Retain(cts);
    Dispose(cts);
    assert_false(CancellationTokenSource_Cancel(cts));
    EXPECT_EXC(ObjectDisposedException);
    assert_null(CancellationTokenSource_get_Token(cts).source);
    EXPECT_EXC(ObjectDisposedException);
    assert_false(CancellationTokenSource_get_IsCancellationRequested(cts));
    EXPECT_NO_EXC();
    Dispose(cts);
    assert_false(CancellationTokenSource_Cancel(NULL));
    EXPECT_EXC(ArgumentNullException);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(CancellationTokenTests_CancellationTokenNone),
        cmocka_unit_test(CancellationTokenTests_CancellationTokenWaitHandle_SignalAfterWait),
        cmocka_unit_test(CancellationTokenTests_CancelAfter),
        cmocka_unit_test(CancellationTokenTests_TokenSourceDispose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
