namespace MeTAI.Service.Plans;

/// <summary>What a runner produced: the files (relative to the job's output directory) and the clinical goals.</summary>
public sealed record PlanOutcome
{
    /// <summary>Files and folders written, relative to the output directory (e.g. <c>ct/</c>, <c>rtplan.dcm</c>).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Goals evaluated on the final dose (report.json <c>goals</c>).</summary>
    public required IReadOnlyList<GoalOutcome> Goals { get; init; }

    /// <summary>Prescription dose, Gy (whole course).</summary>
    public double PrescriptionGy { get; init; }

    /// <summary>Prescription target.</summary>
    public string? Target { get; init; }

    /// <summary>Number of beams planned.</summary>
    public int Beams { get; init; }

    /// <summary>One line on the plan: beams, segments, MU, beamlets, final-dose histories and device, goals met, time.</summary>
    public string? Summary { get; init; }

    /// <summary>True when every goal passed.</summary>
    public bool AllGoalsPassed => Goals.All(g => g.Passed);
}
