using System.Globalization;
using MeTAI.Hil.Reports;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;

namespace MeTAI.Hil.Runner;

/// <summary>
/// Runs scenarios one after the other, each on a rig of its own (real controller, pty servo chain, broker, MQTT fault
/// proxy, device twins), and writes one <c>report.md</c> (summary table first, then each scenario with its plots) and one
/// JUnit XML file for them all. <c>metai hil run</c> and the demo call it.
/// </summary>
public static class ScenarioBatch
{
    /// <summary>Runs <paramref name="scenarios"/> and writes the report and the JUnit file.</summary>
    /// <exception cref="ArgumentException">No scenarios, or two with the same name (their artefact folders would collide).</exception>
    public static async Task<ScenarioBatchResult> RunAsync(IReadOnlyList<Scenario> scenarios, ScenarioBatchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ReportDirectory);
        if (scenarios.Count == 0)
        {
            throw new ArgumentException("No scenarios to run.", nameof(scenarios));
        }

        var twice = scenarios.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"Two scenarios are named '{twice.Key}' ({string.Join(", ", twice.Select(s => s.Source))}); names must differ, each gets a report folder of its own.", nameof(scenarios));
        }

        string dir = Path.GetFullPath(options.ReportDirectory);
        Directory.CreateDirectory(dir);
        var results = new List<ScenarioResult>();
        for (int i = 0; i < scenarios.Count; i++)
        {
            Scenario s = options.Seed is int seed ? scenarios[i] with { Seed = seed } : scenarios[i];
            string tag = string.Create(CultureInfo.InvariantCulture, $"[{i + 1}/{scenarios.Count}]");
            options.Progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"{tag} {s.Name}: {s.DurationS:0.###} s scenario, {s.Faults.Count} fault(s), {s.Assertions.Count} assertion(s), seed {s.Seed}"));
            ScenarioResult r = await ScenarioRunner.RunAsync(s, new ScenarioRunOptions
            {
                ReportDirectory = Path.Combine(dir, s.Name),
                Plots = options.Plots,
                ExternalBroker = options.ExternalBroker,
                Users = options.Users,
                Beams = options.BeamsFor?.Invoke(s),
                Log = options.Progress is { } progress ? m => progress($"{tag} {m}") : null,
                Realtime = options.Realtime,
                SpinMarginUs = options.SpinMarginUs,
            }, cancellationToken).ConfigureAwait(false);
            results.Add(r);
            options.Progress?.Invoke($"{tag} {Verdict(r)}");
        }

        string report = HilReport.Write(results, dir, options.Header);
        string junit = options.ResolvedJUnitPath;
        JUnitWriter.Write(results, junit);
        var outcomes = results.Select(r => Outcome(r, Path.Combine(dir, r.Scenario.Name), report, junit)).ToList();
        return new ScenarioBatchResult { Outcomes = outcomes, Results = [.. results.Select(WithoutTrace)], ReportPath = report, JUnitPath = junit };
    }

    /// <summary>"PASS name: 9/9 assertions, 1 fault, 0 safety violations, 7.2 s" (or FAIL / ERROR with the reason).</summary>
    public static string Verdict(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int ok = result.Assertions.Count(a => a.Passed);
        string head = result.Passed ? "PASS" : result.Error is not null ? "ERROR" : "FAIL";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{head} {result.Scenario.Name}: {ok}/{result.Assertions.Count} assertions, {result.FaultsInjected} fault(s), {result.Violations} safety violation(s), {result.WallSeconds:F1} s");
        if (result.Error is not null)
        {
            text += " — " + result.Error;
        }

        foreach (AssertionResult a in result.Assertions.Where(a => !a.Passed))
        {
            text += $"\n    {(a.Exercised ? "failed" : "not exercised")}: {a.Id}{(a.Safety ? " [safety]" : "")} — {a.Detail}";
        }

        return text;
    }

    /// <summary>The outcome of one run whose artefacts are in <paramref name="scenarioDirectory"/>.</summary>
    public static ScenarioOutcome Outcome(ScenarioResult result, string scenarioDirectory, string reportPath, string junitPath)
    {
        ArgumentNullException.ThrowIfNull(result);
        HilTrace? t = result.Trace;
        IReadOnlyList<string> faults = t is null
            ? []
            : [.. t.Faults.OrderBy(f => f.StartTicks).Select(f => f.EndTicks == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{f.Id}: {f.Description} (at {t.Seconds(f.StartTicks):F3} s)")
                : string.Create(CultureInfo.InvariantCulture, $"{f.Id}: {f.Description} ({t.Seconds(f.StartTicks):F3}–{t.Seconds(f.EndTicks):F3} s)"))];
        return new ScenarioOutcome
        {
            Name = result.Scenario.Name,
            Passed = result.Passed,
            AssertionsTotal = result.Assertions.Count,
            AssertionsPassed = result.Assertions.Count(a => a.Passed),
            AssertionsNotExercised = result.Assertions.Count(a => !a.Exercised),
            Violations = result.Violations,
            FaultsInjected = faults,
            Error = result.Error,
            WallSeconds = result.WallSeconds,
            ScenarioDirectory = scenarioDirectory,
            Plots = result.Plots,
            ReportPath = reportPath,
            JUnitPath = junitPath,
            BeamOn = t is not null && t.BeamPoses.Count > 0 ? ScenarioArtefacts.BeamOnRecords(t) : [],
        };
    }

    private static ScenarioResult WithoutTrace(ScenarioResult r) => new()
    {
        Scenario = r.Scenario,
        Error = r.Error,
        WallSeconds = r.WallSeconds,
        Assertions = r.Assertions,
        FaultsInjected = r.FaultsInjected,
        ReportDirectory = r.ReportDirectory,
        Plots = r.Plots,
        Artefacts = r.Artefacts,
        SetupAttempts = r.SetupAttempts,
        UnsafeOptions = r.UnsafeOptions,
    };
}
