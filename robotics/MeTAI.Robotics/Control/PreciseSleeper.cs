using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MeTAI.Robotics.Control;

/// <summary>
/// Waits for absolute Stopwatch deadlines: sleeps with <c>clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)</c> until a
/// margin before the deadline, then spins. On Linux Stopwatch ticks are CLOCK_MONOTONIC nanoseconds, so deadlines
/// need no conversion. Elsewhere it falls back to <see cref="Thread.Sleep(int)"/> for whole milliseconds, then spins.
/// (<c>PeriodicTimer</c> and plain <c>Thread.Sleep(1)</c> are far too coarse for 1 kHz: REFERENCE.md.)
/// </summary>
public static partial class PreciseSleeper
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsTime = 1;
    private const int PrSetTimerSlack = 29;
    private static readonly bool NanoClock = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>Sleeps then spins until <paramref name="deadlineTicks"/>; <paramref name="spinMarginTicks"/> before it, sleeping stops.</summary>
    public static void SleepUntil(long deadlineTicks, long spinMarginTicks)
    {
        long sleepUntil = deadlineTicks - spinMarginTicks;
        if (Stopwatch.GetTimestamp() < sleepUntil)
        {
            if (NanoClock)
            {
                var ts = new Timespec { Seconds = sleepUntil / 1_000_000_000, Nanoseconds = sleepUntil % 1_000_000_000 };
                while (ClockNanosleep(ClockMonotonic, TimerAbsTime, in ts, IntPtr.Zero) == 4)
                {
                    // EINTR: sleep again to the same absolute time.
                }
            }
            else
            {
                long ms = (sleepUntil - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (ms >= 1)
                {
                    Thread.Sleep((int)ms);
                }
            }
        }

        while (Stopwatch.GetTimestamp() < deadlineTicks)
        {
            Thread.SpinWait(10);
        }
    }

    /// <summary>Asks for 1 ns timer slack on the calling thread (Linux; default slack is 50 µs). Returns success.</summary>
    public static bool SetMinimalTimerSlack() => OperatingSystem.IsLinux() && Prctl(PrSetTimerSlack, 1, 0, 0, 0) == 0;

    /// <summary>Tries SCHED_FIFO at <paramref name="priority"/> for the calling thread (needs CAP_SYS_NICE). Returns success.</summary>
    public static bool TrySetRealtimePriority(int priority = 80)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var param = new SchedParam { Priority = priority };
        return SchedSetScheduler(0, 1, in param) == 0;
    }

    /// <summary>
    /// Pins the calling thread to CPU <paramref name="cpu"/> (Linux <c>sched_setaffinity</c>, CPUs 0–63). Returns success.
    /// For measuring threads that must stay on one CPU (the HIL stall witness: one per CPU); the controller's own threads
    /// are not pinned.
    /// </summary>
    public static bool TryPinToCpu(int cpu)
    {
        if (!OperatingSystem.IsLinux() || cpu is < 0 or > 63)
        {
            return false;
        }

        ulong mask = 1UL << cpu;
        return SchedSetAffinity(0, (nuint)sizeof(ulong), in mask) == 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clockId, int flags, in Timespec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SchedSetScheduler(int pid, int policy, in SchedParam param);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static partial int SchedSetAffinity(int pid, nuint size, in ulong mask);
}
