using MeTAI.Core.Phantoms;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Plans;

namespace MeTAI.Planner.Tests.Plans;

/// <summary>
/// Progress and cancellation of <see cref="PlanPipeline"/> on a coarse, low-statistics prostate (10 mm voxels, 3 beams,
/// 300 histories per beamlet): the stages arrive in order, the fractions only rise and end at 1, the influence stage
/// counts every beamlet, and a cancellation during the beamlets stops the run.
/// </summary>
public class PlanProgressTests
{
    private static readonly PlanSettings Quick = new()
    {
        BeamCount = 3,
        HistoriesPerBeamlet = 300,
        FinalHistories = 200_000,
        Device = DeviceKind.Cpu,
    };

    private static (PlanCase Case, Protocol Protocol) Prostate() =>
        (PlanCase.FromPhantom(PhantomLibrary.Build("prostate", 10)), ProtocolLoader.Load(TestData.Protocol("prostate")));

    [Fact]
    public void Run_ReportsEveryStageInOrder_FractionsRisingTo1()
    {
        (PlanCase c, Protocol p) = Prostate();
        var reports = new List<PlanStageProgress>();
        PlanResult r = PlanPipeline.Run(c, p, Quick, null, new SynchronousProgress(reports.Add));

        PlanStage[] stages = [.. reports.Select(x => x.Stage).Distinct()];
        Assert.Equal(Enum.GetValues<PlanStage>(), stages);
        for (int n = 1; n < reports.Count; n++)
        {
            Assert.True(reports[n].Stage >= reports[n - 1].Stage, $"stage went back at report {n}: {reports[n - 1]} → {reports[n]}");
            Assert.True(reports[n].Fraction >= reports[n - 1].Fraction, $"fraction went back at report {n}: {reports[n - 1]} → {reports[n]}");
        }

        Assert.All(reports, x => Assert.InRange(x.StageFraction, 0, 1));
        Assert.Equal(0, reports[0].Fraction);
        Assert.Equal(1, reports[^1].Fraction, 9);
        Assert.Equal("done", reports[^1].Detail);

        // One report per beamlet, the last naming them all; the Monte Carlo stages hold most of the bar.
        int beamlets = r.Grids.Sum(g => g.Count);
        Assert.Equal(beamlets, r.Influence.Columns);
        Assert.Contains(reports, x => x.Stage == PlanStage.Influence && x.Detail == $"beamlet {beamlets}/{beamlets}");
        Assert.True(reports.Count(x => x.Stage == PlanStage.Influence) >= beamlets);
        double influenceStart = reports.First(x => x.Stage == PlanStage.Influence).Fraction;
        double influenceEnd = reports.Last(x => x.Stage == PlanStage.Influence).Fraction;
        double finalStart = reports.First(x => x.Stage == PlanStage.FinalDose).Fraction;
        double finalEnd = reports.Last(x => x.Stage == PlanStage.FinalDose).Fraction;
        Assert.InRange(influenceEnd - influenceStart + finalEnd - finalStart, 0.8, 0.9 + 1e-9);
    }

    [Fact]
    public void Run_CancelledDuringTheBeamlets_Throws()
    {
        (PlanCase c, Protocol p) = Prostate();
        using var cts = new CancellationTokenSource();
        var reports = new List<PlanStageProgress>();
        var progress = new SynchronousProgress(x =>
        {
            reports.Add(x);
            if (x.Stage == PlanStage.Influence && x.StageFraction > 0.1)
            {
                cts.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => PlanPipeline.Run(c, p, Quick, null, progress, cts.Token));
        Assert.DoesNotContain(reports, x => x.Stage > PlanStage.Influence);
        Assert.True(reports.Last().StageFraction < 0.5, $"stopped late: {reports.Last()}");
    }

    // Progress<T> posts to the thread pool; these tests want every report, in order, before Run returns.
    private sealed class SynchronousProgress(Action<PlanStageProgress> report) : IProgress<PlanStageProgress>
    {
        public void Report(PlanStageProgress value) => report(value);
    }
}
