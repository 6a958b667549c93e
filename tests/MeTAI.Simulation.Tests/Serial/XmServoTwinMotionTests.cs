using System.Buffers.Binary;
using System.Diagnostics;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation.Tests.Serial;

/// <summary>
/// The servo twin's motion: it follows its goal at its Profile Velocity whatever order the threads that touch it
/// stamp their times in. Time is synthetic (ticks ahead of the clock), so the test is exact and not timing-sensitive.
/// </summary>
public class XmServoTwinMotionTests
{
    // Callers stamp 'now' before taking the twin's lock, so another thread may already have advanced it past that
    // moment. Such a stale stamp once counted as a stop (velocity zeroed): under load, with the bus thread and the HIL
    // trace sampler interleaving, every joint crawled at the acceleration limit's pace and the controller faulted on
    // tracking error with nothing jammed (bundled radiotherapy-delivery, 2026-12-07).
    [Fact]
    public void StaleTimestampsBetweenUpdates_DoNotSlowTheServo_ItCruisesAtItsProfileVelocity()
    {
        var options = new ServoTwinOptions { Id = 1, InitialPositionCounts = 0 };
        var twin = new XmServoTwin(options, 1030, 38);
        uint profile = XmControlTable.ProfileVelocityFor(2.0);
        double cruiseCountsPerS = profile * XmControlTable.ProfileVelocityUnitRpm / 60.0 * XmControlTable.CountsPerRevolution;
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, profile);
        Assert.Equal(0, twin.Write(XmControlTable.ProfileVelocity, word));
        Assert.Equal(0, twin.Write(XmControlTable.TorqueEnable, [1]));
        BinaryPrimitives.WriteInt32LittleEndian(word, 1_000_000);
        Assert.Equal(0, twin.Write(XmControlTable.GoalPosition, word));

        // 300 ms in 1 ms steps, each followed by a stamp 0.5 ms old (another thread that took the lock late).
        long ms = Stopwatch.Frequency / 1000;
        long t0 = Stopwatch.GetTimestamp() + 1000 * ms;
        twin.CheckWatchdog(t0); // a second after the goal: long since at its cruise speed
        double start = twin.TruePositionCounts; // a real-time read: the clock lies behind the stamps, nothing advances
        for (int k = 1; k <= 300; k++)
        {
            twin.CheckWatchdog(t0 + k * ms);
            twin.CheckWatchdog(t0 + k * ms - ms / 2);
        }

        double travelled = twin.TruePositionCounts - start;

        // 300 ms at the profile velocity, within 1 % (a stale stamp that stopped the servo left it at a few percent).
        double ideal = cruiseCountsPerS * 0.3;
        Assert.InRange(travelled, 0.99 * ideal, 1.01 * ideal);
    }
}
