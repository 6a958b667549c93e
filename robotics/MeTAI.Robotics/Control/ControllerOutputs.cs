using MeTAI.Core.Geometry;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Control;

/// <summary>
/// What the loop shows the outside each cycle (force feedback, state, joints, tool), through a sequence lock so the
/// publisher thread reads a consistent copy without ever blocking the loop. Preallocated.
/// </summary>
public sealed class ControllerOutputs
{
    private readonly double[] _commandRad;
    private readonly double[] _measuredRad;
    private long _version;
    private Vec3 _forceMasterN;
    private bool _fixtureActive;
    private SafetyState _state;
    private Interlocks _interlocks;
    private long _cycle;
    private Vec3 _toolM;
    private readonly SeqLockValue<BeamPermit> _beam = new();

    /// <summary>Creates outputs for <paramref name="joints"/> joints.</summary>
    public ControllerOutputs(int joints)
    {
        _commandRad = new double[joints];
        _measuredRad = new double[joints];
    }

    /// <summary>Joints.</summary>
    public int JointCount => _commandRad.Length;

    /// <summary>Loop: publishes this cycle's outputs.</summary>
    public void Publish(long cycle, SafetyState state, Interlocks interlocks, Vec3 forceMasterN, bool fixtureActive,
        ReadOnlySpan<double> commandRad, ReadOnlySpan<double> measuredRad, Vec3 toolM)
    {
        long v = _version;
        Volatile.Write(ref _version, v + 1);
        Interlocked.MemoryBarrier();
        _cycle = cycle;
        _state = state;
        _interlocks = interlocks;
        _forceMasterN = forceMasterN;
        _fixtureActive = fixtureActive;
        commandRad.CopyTo(_commandRad);
        measuredRad.CopyTo(_measuredRad);
        _toolM = toolM;
        Interlocked.MemoryBarrier();
        Volatile.Write(ref _version, v + 2);
    }

    /// <summary>Loop: publishes the beam permit (only with a beam gate).</summary>
    public void PublishBeam(in BeamPermit permit) => _beam.Write(permit);

    /// <summary>Reader: the last beam permit; false without a beam gate.</summary>
    public bool TryReadBeam(out BeamPermit permit) => _beam.TryRead(out permit);

    /// <summary>Reader: a consistent copy.</summary>
    public ControllerSnapshot Read(Span<double> commandRad, Span<double> measuredRad)
    {
        var spin = default(SpinWait);
        while (true)
        {
            long v1 = Volatile.Read(ref _version);
            if ((v1 & 1) == 0)
            {
                var s = new ControllerSnapshot(_cycle, _state, _interlocks, _forceMasterN, _fixtureActive, _toolM);
                _commandRad.CopyTo(commandRad);
                _measuredRad.CopyTo(measuredRad);
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == v1)
                {
                    return s;
                }
            }

            spin.SpinOnce(-1);
        }
    }
}
