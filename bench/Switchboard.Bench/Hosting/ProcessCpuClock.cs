using System.Runtime.InteropServices;

namespace Switchboard.Bench.Hosting;

/// <summary>
/// CPU time (user + system, all threads, exited ones included) of one process, to the nanosecond, from the kernel's
/// per-process CPU clock. <c>/proc/&lt;pid&gt;/stat</c>, which <see cref="ProcessCpu"/> reads, counts in 10 ms ticks:
/// too coarse for a block of a few hundred requests at tens of microseconds each.
/// </summary>
internal static class ProcessCpuClock
{
    /// <summary>Falls back to <see cref="ProcessCpu.TreeTime"/> where the clock cannot be read.</summary>
    public static TimeSpan Time(int pid) =>
        clock_gettime(ProcessClock(pid), out var time) == 0
            ? TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100)
            : ProcessCpu.TreeTime(pid);

    /// <summary>What glibc's <c>clock_getcpuclockid</c> computes: <c>MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)</c>.</summary>
    private static int ProcessClock(int pid) => (~pid << 3) | 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // DllImport rather than LibraryImport, which would need the project to allow unsafe code; the struct is blittable.
    [DllImport("libc")]
    private static extern int clock_gettime(int clockId, out Timespec time);
}
