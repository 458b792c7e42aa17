// The result lines every twin writes (bench_common.h describes them), from Stopwatch samples:
// compiled into the .NET twins (<Compile Include> in each .csproj) and, with mcs, into the Mono
// roles of rpc_bench (bench/mono/RemotingBench.cs), so it keeps to what mcs compiles (C# 6).
using System;
using System.Diagnostics;
using System.Globalization;

namespace SharpIpc.Bench
{
    internal static class BenchResults
    {
        public static long Ns(long ticks)
        {
            return (long)(ticks * (1e9 / Stopwatch.Frequency));
        }

        // Nearest-rank percentile of sorted samples, as bench_common.c's.
        private static long Percentile(long[] sorted, double p)
        {
            long rank = (long)(p / 100.0 * sorted.Length + 0.999999);
            rank = Math.Min(Math.Max(rank, 1), sorted.Length);
            return sorted[rank - 1];
        }

        // Sorts the samples (Stopwatch ticks) and gives "TAG SIZE ITERS MEDIAN P99 MEAN MIN\n".
        public static string LatencyLine(string tag, int size, long[] samples)
        {
            double sum = 0;
            foreach (long t in samples)
                sum += t;
            Array.Sort(samples);
            long iters = samples.Length;
            return string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3} {4} {5} {6}\n", tag, size, iters,
                                 Ns(Percentile(samples, 50)), Ns(Percentile(samples, 99)), Ns((long)(sum / iters)),
                                 Ns(samples[0]));
        }

        // rpc_bench's two lines for one call: the latency line and "tput ITERS 0 ELAPSED_NS\n" for the
        // timed calls back to back (elapsedTicks).
        public static string CallLines(string tag, int size, long[] samples, long elapsedTicks)
        {
            return LatencyLine(tag, size, samples) +
                   string.Format(CultureInfo.InvariantCulture, "tput {0} 0 {1}\n", samples.Length, Ns(elapsedTicks));
        }
    }
}
