using System;
using System.Threading;
using System.Threading.Tasks;
using StreamJsonRpc;

namespace SharpIpc.JsonRpcPeer;

/// <summary>A [Serializable]-style struct: Newtonsoft writes its public fields as {"X":..,"Y":..}.</summary>
public struct Point
{
    public int X;
    public int Y;
}

/// <summary>
/// The method set both sides serve (RPC-API.md section 3's example interface), so the same checks
/// run against the .NET server and against the C server: every argument and result kind, a method
/// that throws, a slow method that honours $/cancelRequest, a method that calls the client back,
/// a notification in each direction, and a call counter.
/// </summary>
public sealed class Service
{
    private int calls;
    private int lastFired;

    public JsonRpc? Rpc { get; set; }

    public void MyMethod() => Interlocked.Increment(ref this.calls);

    public int Add(int a, int b)
    {
        Interlocked.Increment(ref this.calls);
        return a + b;
    }

    public string? Echo(string? s) => s;

    public long Big(long x) => x;

    public ulong BigU(ulong x) => x;

    public double Scale(double x, double factor) => x * factor;

    public bool Not(bool b) => !b;

    public byte[]? Reverse(byte[]? data)
    {
        if (data is null)
        {
            return null;
        }

        byte[] r = (byte[])data.Clone();
        Array.Reverse(r);
        return r;
    }

    public int[] Squares(int n)
    {
        int[] r = new int[n];
        for (int i = 0; i < n; i++)
        {
            r[i] = i * i;
        }

        return r;
    }

    public string[] Split(string s) => s.Split(',');

    public DateTime NextDay(DateTime d) => d.AddDays(1);

    public TimeSpan Twice(TimeSpan t) => t + t;

    public decimal AddCent(decimal m) => m + 0.01m;

    public Point Move(Point p, int dx, int dy) => new Point { X = p.X + dx, Y = p.Y + dy };

    public void Fail() => throw new InvalidOperationException("boom");

    public async Task<int> Slow(int ms, CancellationToken cancellationToken)
    {
        await Task.Delay(ms, cancellationToken).ConfigureAwait(false);
        return ms;
    }

    /// <summary>Calls the client's ClientAdd while this request is still pending.</summary>
    public async Task<int> CallBack(int a, int b) =>
        await this.Rpc!.InvokeAsync<int>("ClientAdd", a, b).ConfigureAwait(false);

    /// <summary>The notification a client sends; LastFired tells what arrived.</summary>
    public void Fire(int x) => Volatile.Write(ref this.lastFired, x);

    public int LastFired() => Volatile.Read(ref this.lastFired);

    /// <summary>Sends the client a "Notified" notification before it answers.</summary>
    public async Task<int> NotifyMe(int x)
    {
        await this.Rpc!.NotifyAsync("Notified", x).ConfigureAwait(false);
        return x;
    }

    public int Calls() => Volatile.Read(ref this.calls);

    public string? Nothing() => null;
}
