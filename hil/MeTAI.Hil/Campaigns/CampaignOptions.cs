using MeTAI.Robotics.Control;
using MeTAI.Simulation;

namespace MeTAI.Hil.Campaigns;

/// <summary>How to run a fault campaign.</summary>
public sealed class CampaignOptions
{
    /// <summary>Randomized runs.</summary>
    public int Runs { get; init; } = 200;

    /// <summary>Campaign seed; run i uses <see cref="Campaign.RunSeed"/>(seed, i).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Workers, each with its own rig (broker, proxy, pty chain, controller, devices).</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>Robot file.</summary>
    public required string RobotPath { get; init; }

    /// <summary>Run the rigs as deployed (SCHED_FIFO loop, IO and hardware twins; <see cref="Runner.ScenarioRunOptions.Realtime"/>).</summary>
    public bool Realtime { get; init; }

    /// <summary>Folder where each run that breaks a safety assertion writes its report, trace and plots as it ran (one folder
    /// per run, <see cref="Runner.ScenarioRunOptions.FailureReportDirectory"/>); none: nothing written.</summary>
    public string? FailureReportDirectory { get; init; }

    /// <summary>Progress messages.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>An external broker (host, port) that knows <see cref="Users"/>; none: embedded brokers.</summary>
    public (string Host, int Port)? ExternalBroker { get; init; }

    /// <summary>Accounts for an external broker.</summary>
    public IReadOnlyList<RigUser>? Users { get; init; }

    /// <summary>Test-only: a controller with a safety function removed (to prove a campaign finds it).</summary>
    internal UnsafeTestOptions? Unsafe { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(RobotPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(Runs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Parallelism, 16);
    }
}
