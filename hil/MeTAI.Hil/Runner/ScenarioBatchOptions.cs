using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Simulation;

namespace MeTAI.Hil.Runner;

/// <summary>How to run a list of scenarios into one report (<see cref="ScenarioBatch"/>).</summary>
public sealed class ScenarioBatchOptions
{
    /// <summary>Report folder: <c>report.md</c> here, each scenario's artefacts (plots, trace, beam log, audit log) in a
    /// sub-folder named after it.</summary>
    public required string ReportDirectory { get; init; }

    /// <summary>JUnit XML file; none: <c>junit.xml</c> in <see cref="ReportDirectory"/>.</summary>
    public string? JUnitPath { get; init; }

    /// <summary>An external broker (host, port) that knows <see cref="Users"/>; none: an embedded broker per scenario.</summary>
    public (string Host, int Port)? ExternalBroker { get; init; }

    /// <summary>Accounts for an external broker (controller, master, operator, observer).</summary>
    public IReadOnlyList<RigUser>? Users { get; init; }

    /// <summary>
    /// The plan beams of a radiotherapy scenario (Hil cannot read DICOM: the caller reads the RTPLAN the scenario names, or
    /// one it chooses, and returns its beams); none or null: the scenario's inline beams.
    /// </summary>
    public Func<Scenario, IReadOnlyList<BeamPose>?>? BeamsFor { get; init; }

    /// <summary>Replaces every scenario's seed (the seed of its random draws: MQTT loss, encoder noise); none: the files' own.</summary>
    public int? Seed { get; init; }

    /// <summary>Run each rig as deployed, at SCHED_FIFO (<see cref="ScenarioRunOptions.Realtime"/>).</summary>
    public bool Realtime { get; init; }

    /// <summary>Spin margin (µs) of the controller loop and the master's publisher (<see cref="ScenarioRunOptions.SpinMarginUs"/>);
    /// none: their default.</summary>
    public double? SpinMarginUs { get; init; }

    /// <summary>Write PNG plots.</summary>
    public bool Plots { get; init; } = true;

    /// <summary>Progress lines (one when a scenario starts, its runner's messages, one with its verdict).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Extra text under the report's title (e.g. the command that produced it).</summary>
    public string? Header { get; init; }

    /// <summary>The JUnit path in effect.</summary>
    public string ResolvedJUnitPath => Path.GetFullPath(JUnitPath ?? Path.Combine(ReportDirectory, "junit.xml"));
}
