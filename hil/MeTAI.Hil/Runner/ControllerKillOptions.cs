using System.Diagnostics;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.ServoBus;

namespace MeTAI.Hil.Runner;

/// <summary>What a <see cref="ControllerKillRun"/> starts and when it kills.</summary>
public sealed class ControllerKillOptions
{
    /// <summary>The arm (the servo chain twin gets its servo IDs; the master twin its home orientation).</summary>
    public required RobotModel Robot { get; init; }

    /// <summary>The robot file the controller process loads (<c>--robot</c>): the same arm as <see cref="Robot"/>.</summary>
    public required string RobotPath { get; init; }

    /// <summary>
    /// How to start the controller process, given the arguments of its <c>control</c> verb (<c>control --robot … --serial
    /// … --port 0 --users … --audit …</c>): e.g. <c>dotnet metai.dll</c> followed by them. The run redirects its output.
    /// </summary>
    public required Func<IReadOnlyList<string>, ProcessStartInfo> StartController { get; init; }

    /// <summary>How long the arm follows the master's motion before the kill (s).</summary>
    public double MotionBeforeKillS { get; init; } = 0.6;

    /// <summary>How long after servo power went off the run watches for motion (s).</summary>
    public double StillWindowS { get; init; } = 0.5;

    /// <summary>
    /// The stated time within which servo power is off after the last feed (ms): the controller's T_relay,
    /// <see cref="ServoIoOptions.RelayOffMs"/> at its default — what <c>metai control</c> runs with.
    /// </summary>
    public double StatedRelayOffMs { get; init; } = new ServoIoOptions().RelayOffMs;

    /// <summary>Attempts to bring the controller to Following and moving (load on a shared machine may trip an interlock on the way).</summary>
    public int Attempts { get; init; } = 20;

    /// <summary>
    /// Schedule the twins that stand for separate hardware (the servo chain with its relay board, the haptic master's
    /// publisher) with SCHED_FIFO, as the campaign's <c>--rt</c> does (<see cref="MeTAI.Simulation.SimulatedRigOptions.Realtime"/>):
    /// real servos and a real haptic device run on processors of their own. The controller process is not raised (it runs
    /// as <c>metai control</c> ships, without <c>--rt</c>). Needs CAP_SYS_NICE; falls back silently.
    /// </summary>
    public bool RealtimeTwins { get; init; } = true;

    /// <summary>Seed of the servo twins' draws.</summary>
    public int Seed { get; init; } = 1;
}
