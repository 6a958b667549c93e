namespace MeTAI.Robotics.ServoBus;

/// <summary>
/// Latest servo readings, written by the servo IO thread and read by the control loop through a sequence lock
/// (single writer, no lock on the hot path; the reader retries on a torn read). Preallocated.
/// </summary>
public sealed class ServoFeedback
{
    private readonly int[] _present;
    private readonly byte[] _hardwareError;
    private long _version;
    private long _timestampTicks;
    private long _requestTicks;
    private long _goalCycleFrom;
    private long _goalCycleTo;
    private int _statusErrorOr;
    private int _missing;
    private bool _watchdogTripped;

    /// <summary>Creates the slot for <paramref name="count"/> servos.</summary>
    public ServoFeedback(int count)
    {
        _present = new int[count];
        _hardwareError = new byte[count];
    }

    /// <summary>Number of servos.</summary>
    public int Count => _present.Length;

    /// <summary>Writer: publishes a complete reading.</summary>
    public void Publish(ReadOnlySpan<int> present, ReadOnlySpan<byte> hardwareError, int statusErrorOr, int missing, bool watchdogTripped, long timestampTicks, long requestTicks = 0, long goalCycleFrom = -1, long goalCycleTo = -1)
    {
        long v = _version;
        Volatile.Write(ref _version, v + 1);
        Interlocked.MemoryBarrier();
        present.CopyTo(_present);
        hardwareError.CopyTo(_hardwareError);
        _statusErrorOr = statusErrorOr;
        _missing = missing;
        _watchdogTripped = watchdogTripped;
        _timestampTicks = timestampTicks;
        _requestTicks = requestTicks == 0 ? timestampTicks : requestTicks;
        _goalCycleFrom = goalCycleFrom;
        _goalCycleTo = goalCycleTo;
        Interlocked.MemoryBarrier();
        Volatile.Write(ref _version, v + 2);
    }

    /// <summary>Stopwatch ticks when the request of the latest reading was sent (the servos sampled between this and the reply).</summary>
    public long RequestTicks => Volatile.Read(ref _requestTicks);

    /// <summary>
    /// Loop cycles of the goals the servos were driven by when this reading was taken: from the goal sent before the
    /// last one to the last one sent before the request (−1: unknown).
    /// </summary>
    public (long From, long To) GoalCycles => (Volatile.Read(ref _goalCycleFrom), Volatile.Read(ref _goalCycleTo));

    /// <summary>Reader: copies the latest complete reading; returns its version (0: nothing yet).</summary>
    public long Read(Span<int> present, Span<byte> hardwareError, out int statusErrorOr, out int missing, out bool watchdogTripped, out long timestampTicks, out long requestTicks)
    {
        var spin = default(SpinWait);
        while (true)
        {
            long v1 = Volatile.Read(ref _version);
            if ((v1 & 1) == 0)
            {
                _present.CopyTo(present);
                _hardwareError.CopyTo(hardwareError);
                statusErrorOr = _statusErrorOr;
                missing = _missing;
                watchdogTripped = _watchdogTripped;
                timestampTicks = _timestampTicks;
                requestTicks = _requestTicks;
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == v1)
                {
                    return v1 / 2;
                }
            }

            spin.SpinOnce(-1);
        }
    }
}
