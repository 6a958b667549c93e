using System.Globalization;
using MeTAI.Cli.Commands.Hil;
using MeTAI.Hil.Runner;

namespace MeTAI.Cli.Commands.Demo;

/// <summary>
/// The test engineer's part of the demo: two bundled HIL scenarios against the real controller over real transports,
/// each with the one fault its file schedules — nominal teleoperation (a burst of corrupted servo replies) and
/// radiotherapy delivery of the plan the demo just wrote (a patient-motion spike during a beam).
/// </summary>
internal static class DemoHil
{
    /// <summary>Runs the bundled scenario <paramref name="name"/> into <paramref name="directory"/>.</summary>
    public static DemoPart Run(string name, string title, string directory, string? rtPlanPath, Action<string> progress, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ScenarioOutcome o = HilScenarios.RunBundledAsync(name, directory, progress, rtPlanPath, cancellationToken).GetAwaiter().GetResult();
        var inv = CultureInfo.InvariantCulture;
        string beams = o.BeamOn.Count == 0
            ? string.Empty
            : string.Create(inv, $", {o.BeamOn.Count} beam-on interval{(o.BeamOn.Count == 1 ? string.Empty : "s")} ({o.BeamOn.Sum(b => b.Mu):0} MU)");
        string figures = string.Create(inv,
            $"{o.AssertionsPassed}/{o.AssertionsTotal} assertions, {o.Violations} violations, fault: {string.Join("; ", o.FaultsInjected)}{beams}{(o.Error is null ? string.Empty : ", error: " + o.Error)}");
        var files = new List<string> { Path.GetFileName(o.ReportPath), Path.GetFileName(o.JUnitPath) };
        files.AddRange(o.Plots.Select(p => Path.GetRelativePath(directory, p)));
        return new DemoPart
        {
            Name = title,
            Passed = o.Passed,
            SafetyCritical = true,
            Figures = figures,
            Directory = directory,
            Files = files,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }
}
