using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Plans;
using MeTAI.Service.Plans;

namespace MeTAI.Service.Tests.Plans;

/// <summary>
/// The planner runner on its own (no HTTP): the progress it reports follows the pipeline's stages and only rises, the
/// request's settings reach the planner and the rest are its defaults, and a cancellation stops it during the beamlets.
/// </summary>
public class PlannerRunnerTests
{
    private static PlanJobRequest Quick(string protocolsDirectory) => new()
    {
        Case = "prostate",
        CaseName = "prostate",
        Protocol = "prostate",
        ProtocolPath = Path.Combine(protocolsDirectory, "prostate.json"),
        Beams = 3,
        VoxelMm = 10,
        BeamletHistories = 300,
        Histories = 200_000,
    };

    private static string ProtocolsDirectory() => new ProtocolCatalog().Directory ?? throw new InvalidOperationException("configs/protocols not found");

    [Fact]
    public async Task Run_ReportsStagesInOrder_RisingTo1_AndWritesThePlannersFiles()
    {
        string dir = Path.Combine(ServiceFactory.NewDataDirectory(), "out");
        Directory.CreateDirectory(dir);
        var reports = new List<PlanProgress>();
        PlanOutcome outcome = await new PlannerRunner(DeviceKind.Cpu).RunAsync(Quick(ProtocolsDirectory()), dir, new Recorder(reports.Add), CancellationToken.None);

        for (int n = 1; n < reports.Count; n++)
        {
            Assert.True(reports[n].Fraction >= reports[n - 1].Fraction, $"progress went back: {reports[n - 1]} → {reports[n]}");
        }

        string[] phases = [.. reports.Select(r => r.Phase).Distinct()];
        Assert.Equal(["loading the case", "preparing", "influence matrix", "optimisation", "sequencing", "final dose", "evaluation", "writing DICOM, plots and report.json", "done"], phases);
        Assert.All(reports.Where(r => r.Phase is not ("writing DICOM, plots and report.json" or "done")), r => Assert.True(r.Fraction <= PlannerRunner.PlanningShare));
        Assert.Equal(1, reports[^1].Fraction);
        Assert.Contains(reports, r => r.Phase == "influence matrix" && r.Detail is { } d && d.StartsWith("beamlet ", StringComparison.Ordinal));

        foreach (string file in outcome.Files)
        {
            Assert.True(file.EndsWith('/') ? Directory.Exists(Path.Combine(dir, file)) : File.Exists(Path.Combine(dir, file)), file);
        }

        Assert.Equal(7, outcome.Goals.Count);
        Assert.Equal(3, outcome.Beams);
        Assert.Equal(75.6, outcome.PrescriptionGy, 9);
    }

    [Fact]
    public void Settings_TakeTheRequestsValues_ElseThePlannersDefaults()
    {
        var defaults = new PlanSettings();
        PlanSettings quick = PlannerRunner.Settings(Quick("protocols"), DeviceKind.Cpu);
        Assert.Equal(3, quick.BeamCount);
        Assert.Equal(300, quick.HistoriesPerBeamlet);
        Assert.Equal(200_000, quick.FinalHistories);
        Assert.Equal(DeviceKind.Cpu, quick.Device);

        PlanSettings plain = PlannerRunner.Settings(new PlanJobRequest { Case = "prostate", CaseName = "prostate", Protocol = "prostate", ProtocolPath = "p.json" }, DeviceKind.Auto);
        Assert.Null(plain.BeamCount);
        Assert.Equal(defaults.HistoriesPerBeamlet, plain.HistoriesPerBeamlet);
        Assert.Equal(defaults.FinalHistories, plain.FinalHistories);
        Assert.Equal(defaults.Seed, plain.Seed);
    }

    [Fact]
    public void Settings_NoHistories_FinalDoseToTheDefaultUncertainty()
    {
        PlanSettings plain = PlannerRunner.Settings(new PlanJobRequest { Case = "prostate", CaseName = "prostate", Protocol = "prostate", ProtocolPath = "p.json" }, DeviceKind.Auto);
        Assert.Equal(PlanSettings.DefaultFinalUncertaintyPercent, plain.FinalUncertaintyPercent);
        Assert.Equal(1, plain.FinalTarget()!.RelativeUncertainty * 100, 9);
        Assert.Null(PlannerRunner.Settings(Quick("protocols"), DeviceKind.Cpu).FinalUncertaintyPercent);
    }

    [Fact]
    public async Task Run_CancelledDuringTheBeamlets_StopsThere()
    {
        string dir = Path.Combine(ServiceFactory.NewDataDirectory(), "out");
        Directory.CreateDirectory(dir);
        using var cts = new CancellationTokenSource();
        var reports = new List<PlanProgress>();
        var progress = new Recorder(r =>
        {
            reports.Add(r);
            if (r.Phase == "influence matrix")
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new PlannerRunner(DeviceKind.Cpu).RunAsync(Quick(ProtocolsDirectory()), dir, progress, cts.Token));
        Assert.DoesNotContain(reports, r => r.Phase is "optimisation" or "final dose" or "done");
        Assert.False(File.Exists(Path.Combine(dir, "rtplan.dcm")));
    }

    // Records every report on the runner's thread, in order.
    private sealed class Recorder(Action<PlanProgress> record) : IProgress<PlanProgress>
    {
        public void Report(PlanProgress value) => record(value);
    }
}
