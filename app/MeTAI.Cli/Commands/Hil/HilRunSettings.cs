using MeTAI.Simulation;

namespace MeTAI.Cli.Commands.Hil;

/// <summary>Settings of <see cref="HilScenarios.RunAsync"/>.</summary>
public sealed class HilRunSettings
{
    /// <summary>Report folder.</summary>
    public required string ReportDirectory { get; init; }

    /// <summary>JUnit file (default <c>junit.xml</c> in the report folder).</summary>
    public string? JUnitPath { get; init; }

    /// <summary>RTPLAN delivered by every radiotherapy scenario instead of the one its file names.</summary>
    public string? RtPlanPath { get; init; }

    /// <summary>External broker; none: embedded.</summary>
    public (string Host, int Port)? ExternalBroker { get; init; }

    /// <summary>Accounts on the external broker.</summary>
    public IReadOnlyList<RigUser>? Users { get; init; }

    /// <summary>Seed replacing every scenario's own.</summary>
    public int? Seed { get; init; }

    /// <summary>Progress lines.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Each rig as deployed, at SCHED_FIFO (a campaign's <c>--rt</c>, kept by its replay).</summary>
    public bool Realtime { get; init; }

    /// <summary>Spin margin (µs) of the loop and the master's publisher; none: their default (a replay uses the campaign's).</summary>
    public double? SpinMarginUs { get; init; }

    /// <summary>Text under the report's title.</summary>
    public string? Header { get; init; }
}
