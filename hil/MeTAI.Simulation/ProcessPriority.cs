using System.Globalization;
using System.Runtime.InteropServices;

namespace MeTAI.Simulation;

/// <summary>
/// Raises the nice value of every thread of this process (and so of the threads they create later, which inherit it):
/// the MQTT broker, clients and fault proxy of a rig run on .NET's thread pool, whose threads cannot be given a
/// real-time class one by one. On a shared, loaded machine they waited behind other processes long enough to trip the
/// 30 ms heartbeat watchdog with no fault injected; at nice −10 the kernel's fair scheduler gives each of them about
/// nine times the share of a normal thread, yet never starves the other processes (unlike a real-time class).
/// Linux with CAP_SYS_NICE; elsewhere (or without the right) nothing changes.
/// </summary>
public static partial class ProcessPriority
{
    private static int _raised;

    /// <summary>The nice value <see cref="RaiseOnce"/> asks for.</summary>
    public const int Nice = -10;

    /// <summary>Threads reniced by the call that did it (0 before, or when not possible).</summary>
    public static int ThreadsRaised { get; private set; }

    /// <summary>Renices every thread of the process to <see cref="Nice"/>, once per process; returns the threads changed.</summary>
    public static int RaiseOnce()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _raised, 1) == 1)
        {
            return ThreadsRaised;
        }

        int changed = 0;
        try
        {
            foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out int tid)
                    && SetPriority(0, (uint)tid, Nice) == 0)
                {
                    changed++;
                }
            }
        }
        catch (IOException)
        {
            // /proc not readable: leave the scheduling as it is.
        }

        ThreadsRaised = changed;
        return changed;
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, uint who, int prio);
}
