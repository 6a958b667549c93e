namespace MeTAI.Cli.Commands.Demo;

/// <summary>What one part of the demo produced: a verdict, its headline figures and the files it wrote.</summary>
internal sealed record DemoPart
{
    /// <summary>Short name shown in the summary table ("Plan prostate", "Rehearse liver-needle", …).</summary>
    public required string Name { get; init; }

    /// <summary>True when the part did what it promised (goals met, feasible path, scenario passed).</summary>
    public required bool Passed { get; init; }

    /// <summary>True for parts whose failure fails the demo (the HIL scenarios); plan goals and rehearsal feasibility are findings.</summary>
    public bool SafetyCritical { get; init; }

    /// <summary>One line of headline figures for the summary table.</summary>
    public required string Figures { get; init; }

    /// <summary>Directory the part wrote into.</summary>
    public required string Directory { get; init; }

    /// <summary>Files (relative to <see cref="Directory"/>; a trailing '/' names a directory) the part wrote.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Wall-clock seconds the part took.</summary>
    public double Seconds { get; init; }

    /// <summary>Listed files that are not on disk (empty when everything the part lists exists).</summary>
    public IReadOnlyList<string> MissingFiles() =>
        [.. Files.Where(f => f.EndsWith('/')
            ? !System.IO.Directory.Exists(Path.Combine(Directory, f.TrimEnd('/')))
            : !File.Exists(Path.Combine(Directory, f)))];
}
