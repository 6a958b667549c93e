using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;

namespace MeTAI.Robotics.Tests.Control;

/// <summary>An in-memory servo chain for ControlCore tests: goals written by the gate move the "servos" at once.</summary>
internal sealed class FakeServos : IServoPower, IServoCommandSink
{
    private readonly int[] _positions;

    public FakeServos(int[] initial)
    {
        _positions = (int[])initial.Clone();
        Feedback = new ServoFeedback(initial.Length);
    }

    public ServoFeedback Feedback { get; }

    public PowerUpStatus PowerUp { get; private set; }

    public ReadOnlySpan<int> PowerUpPositions => _positions;

    public string PowerUpFailure => "";

    public int TorqueOffs { get; private set; }

    public long MotionWrites { get; private set; }

    public bool Stuck { get; set; }

    /// <summary>Moves a joint's measured position (a servo running away, or a limit overrun).</summary>
    public void Teleport(int joint, int counts)
    {
        _positions[joint] = counts;
        Stuck = true;
    }

    public void RequestPowerUp() => PowerUp = PowerUpStatus.Ready;

    public void AcknowledgePowerUp() => PowerUp = PowerUpStatus.Idle;

    public void WriteGoals(ReadOnlySpan<int> goalCounts, bool motion, in CommandStamp stamp)
    {
        if (!Stuck)
        {
            goalCounts.CopyTo(_positions);
        }

        if (motion)
        {
            MotionWrites++;
        }

        _lastCycle = stamp.Cycle;
    }

    private long _lastCycle;

    public void TorqueOffNow() => TorqueOffs++;

    /// <summary>Publishes the present positions as a fresh reading (call before each step).</summary>
    public void Publish(long ticks) => Feedback.Publish(_positions, _noErrors, 0, 0, false, ticks, ticks, _lastCycle, _lastCycle);

    private readonly byte[] _noErrors = new byte[6];
}
