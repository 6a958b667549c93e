using MeTAI.Core.IO;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;
using MeTAI.Planner.Beams;
using MeTAI.Robotics.Radiotherapy;

namespace MeTAI.Cli.Commands.Hil;

/// <summary>
/// HIL scenarios for callers at the composition root (<c>metai hil run</c>, <c>metai demo</c>): loads scenario files
/// (the bundled ones in <c>configs/hil</c> by name), reads the RTPLAN a radiotherapy scenario delivers (Hil cannot read
/// DICOM: the planner's <see cref="RtPlanBeams"/> reads it, mapped here to the HIL's <see cref="BeamPose"/>), and runs
/// them against the real controller over real transports into a report folder.
/// </summary>
public static class HilScenarios
{
    /// <summary>The bundled scenarios' folder, <c>configs/hil</c> (under METAI_HOME, else above the program).</summary>
    public static string BundledDirectory() => ConfigFiles.PathOf("hil");

    /// <summary>Names of the bundled scenarios (file names without <c>.yaml</c>), sorted.</summary>
    public static IReadOnlyList<string> BundledNames() =>
        [.. Directory.GetFiles(BundledDirectory(), "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    /// <summary>Loads a bundled scenario by name.</summary>
    /// <exception cref="ArgumentException">No bundled scenario of that name (the message lists them).</exception>
    public static Scenario LoadBundled(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string path = Path.Combine(BundledDirectory(), name + ".yaml");
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || !File.Exists(path))
        {
            throw new ArgumentException($"No bundled HIL scenario '{name}'; bundled: {string.Join(", ", BundledNames())}.", nameof(name));
        }

        return ScenarioFile.Load(path);
    }

    /// <summary>
    /// The plan a radiotherapy scenario delivers, read from <paramref name="rtPlanPath"/> when given, else from the RTPLAN
    /// the scenario names; null for a scenario without radiotherapy or with its beams listed inline and no plan given.
    /// </summary>
    public static IReadOnlyList<BeamPose>? PlanBeams(Scenario scenario, string? rtPlanPath = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Radiotherapy is not { } rt)
        {
            return null;
        }

        string? plan = rtPlanPath ?? rt.PlanPath;
        return plan is null ? null : [.. RtPlanBeams.TreatmentBeams(plan).Select(Pose)];
    }

    /// <summary>A plan's treatment beam as the pose the HIL delivery moves the arm to.</summary>
    public static BeamPose Pose(TreatmentBeam beam)
    {
        ArgumentNullException.ThrowIfNull(beam);
        PlanBeam b = beam.Beam;
        return new BeamPose(b.Number, b.Name, b.GantryDeg, b.CollimatorDeg, b.CouchDeg, b.IsocenterLps, beam.MonitorUnits);
    }

    /// <summary>The scenario with <paramref name="rtPlanPath"/> recorded as its plan (so the report names the file read).</summary>
    public static Scenario WithPlan(Scenario scenario, string? rtPlanPath)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return rtPlanPath is not null && scenario.Radiotherapy is { } rt
            ? scenario with { Radiotherapy = rt with { PlanPath = Path.GetFullPath(rtPlanPath) } }
            : scenario;
    }

    /// <summary>
    /// Runs one bundled scenario (e.g. <c>nominal-teleop</c>, <c>radiotherapy-delivery</c>) with the fault its file
    /// schedules against the real controller over real transports (embedded broker, pty servo chain, MQTT fault proxy),
    /// and writes <c>report.md</c>, <c>junit.xml</c> and the scenario's artefacts (plots, trace, beam log, audit log) into
    /// <paramref name="outputDirectory"/>.
    /// </summary>
    /// <param name="name">Bundled scenario name (<see cref="BundledNames"/>).</param>
    /// <param name="outputDirectory">Report folder (created); the scenario's artefacts go to a sub-folder named after it.</param>
    /// <param name="progress">Progress lines (optional).</param>
    /// <param name="rtPlanPath">For a radiotherapy scenario: the RTPLAN to deliver instead of the one the file names.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>Name, verdict, assertion counts, the faults as injected, report and JUnit paths, and for radiotherapy every
    /// beam-on interval with its pose.</returns>
    /// <exception cref="ArgumentException">Unknown name, or a plan the delivery cannot follow.</exception>
    public static async Task<ScenarioOutcome> RunBundledAsync(string name, string outputDirectory, Action<string>? progress = null,
        string? rtPlanPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        Scenario scenario = LoadBundled(name);
        ScenarioBatchResult r = await RunAsync([scenario], new HilRunSettings { ReportDirectory = outputDirectory, RtPlanPath = rtPlanPath, Progress = progress },
            cancellationToken).ConfigureAwait(false);
        return r.Outcomes[0];
    }

    /// <summary>Runs <paramref name="scenarios"/> into one report (<see cref="ScenarioBatch"/>), reading their plans first
    /// so a bad plan stops everything before any rig starts.</summary>
    /// <exception cref="ArgumentException"><see cref="HilRunSettings.RtPlanPath"/> given but no scenario delivers a plan, or a
    /// plan the delivery cannot follow.</exception>
    public static Task<ScenarioBatchResult> RunAsync(IReadOnlyList<Scenario> scenarios, HilRunSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RtPlanPath is not null && !scenarios.Any(s => s.Radiotherapy is not null))
        {
            throw new ArgumentException($"RTPLAN {settings.RtPlanPath} given, but none of the scenarios delivers a radiotherapy plan.");
        }

        var withPlans = scenarios.Select(s => WithPlan(s, settings.RtPlanPath)).ToList();
        // Keyed by name: ScenarioBatch rejects repeated names with a clear message, and hands over scenarios re-seeded.
        var beams = withPlans.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => PlanBeams(g.First()), StringComparer.Ordinal);
        return ScenarioBatch.RunAsync(withPlans, new ScenarioBatchOptions
        {
            ReportDirectory = settings.ReportDirectory,
            JUnitPath = settings.JUnitPath,
            ExternalBroker = settings.ExternalBroker,
            Users = settings.Users,
            Seed = settings.Seed,
            BeamsFor = s => beams.GetValueOrDefault(s.Name),
            Progress = settings.Progress,
            Header = settings.Header,
            Realtime = settings.Realtime,
            SpinMarginUs = settings.SpinMarginUs,
        }, cancellationToken);
    }
}
