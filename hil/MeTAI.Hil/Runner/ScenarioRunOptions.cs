using MeTAI.Robotics.Control;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Simulation;

namespace MeTAI.Hil.Runner;

/// <summary>How to run a scenario.</summary>
public sealed record ScenarioRunOptions
{
    /// <summary>Folder for this scenario's artefacts (plots, trace CSV, beam log, audit log); none: nothing written.</summary>
    public string? ReportDirectory { get; init; }

    /// <summary>
    /// Folder under which a run that breaks a safety assertion writes its report (<c>report.md</c>, trace, events and
    /// plots, in a folder named after the scenario) when <see cref="ReportDirectory"/> is not set: a campaign's run on a
    /// reused rig cannot always be replayed on a fresh one, so its own trace is the evidence. None: nothing written.
    /// </summary>
    public string? FailureReportDirectory { get; init; }

    /// <summary>Write PNG plots into the report folder.</summary>
    public bool Plots { get; init; } = true;

    /// <summary>An external broker (host, port) that knows <see cref="Users"/>; none: the embedded broker.</summary>
    public (string Host, int Port)? ExternalBroker { get; init; }

    /// <summary>Accounts for an external broker.</summary>
    public IReadOnlyList<RigUser>? Users { get; init; }

    /// <summary>Plan beams (the CLI reads the scenario's RTPLAN and passes them); overrides the scenario's inline beams.</summary>
    public IReadOnlyList<BeamPose>? Beams { get; init; }

    /// <summary>Progress messages.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Keep the trace in the result (tests; reports need it while they are written).</summary>
    public bool KeepTrace { get; init; } = true;

    /// <summary>
    /// Spin margin (µs) of the controller loop and the haptic master's publisher, when not their default 200 µs. A
    /// campaign uses less: timing precision within a millisecond is not what it tests, and each spinning thread costs a
    /// fifth of a core, which several rigs on a small machine cannot spare.
    /// </summary>
    public double? SpinMarginUs { get; init; }

    /// <summary>
    /// Run the rig as deployed: the controller's loop and servo IO threads and the hardware twins at SCHED_FIFO, the
    /// process at nice −10 (<see cref="MeTAI.Simulation.SimulatedRigOptions.Realtime"/>). Off by default: on the shared
    /// 2-core machine it did not measurably reduce spurious stops (docs/safety.md, "Defaults on a shared machine").
    /// </summary>
    public bool Realtime { get; init; }

    /// <summary>Test-only: build the controller with one safety function removed (negative tests).</summary>
    internal UnsafeTestOptions? Unsafe { get; init; }
}
