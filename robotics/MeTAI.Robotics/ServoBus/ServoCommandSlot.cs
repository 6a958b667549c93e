using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.ServoBus;

/// <summary>
/// The gate's sink in production: goal positions handed from the control loop to the servo IO thread through a
/// sequence lock (single writer: the loop). Torque off does not wait here: it goes to
/// <see cref="ITorqueOffWriter.TorqueOffNow"/>, which the IO thread serves before any other traffic.
/// </summary>
public sealed class ServoCommandSlot : IServoCommandSink
{
    private readonly int[] _goals;
    private readonly ITorqueOffWriter _torqueOff;
    private long _version;
    private bool _motion;
    private CommandStamp _stamp;

    /// <summary>Creates the slot for <paramref name="count"/> servos.</summary>
    public ServoCommandSlot(int count, ITorqueOffWriter torqueOff)
    {
        ArgumentNullException.ThrowIfNull(torqueOff);
        _goals = new int[count];
        _torqueOff = torqueOff;
    }

    /// <summary>Number of complete writes so far.</summary>
    public long Version => Volatile.Read(ref _version) / 2;

    /// <inheritdoc />
    public void WriteGoals(ReadOnlySpan<int> goalCounts, bool motion, in CommandStamp stamp)
    {
        long v = _version;
        Volatile.Write(ref _version, v + 1);
        Interlocked.MemoryBarrier();
        goalCounts.CopyTo(_goals);
        _motion = motion;
        _stamp = stamp;
        Interlocked.MemoryBarrier();
        Volatile.Write(ref _version, v + 2);
    }

    /// <inheritdoc />
    public void TorqueOffNow() => _torqueOff.TorqueOffNow();

    /// <summary>Reader (IO thread): copies the latest goals; returns their version.</summary>
    public long Read(Span<int> goals, out bool motion, out CommandStamp stamp)
    {
        var spin = default(SpinWait);
        while (true)
        {
            long v1 = Volatile.Read(ref _version);
            if ((v1 & 1) == 0)
            {
                _goals.CopyTo(goals);
                motion = _motion;
                stamp = _stamp;
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
