using System.Globalization;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Tallies;
using MeTAI.TestUtilities;

namespace MeTAI.Dosimetry.Tests.Analysis;

/// <summary>
/// The stopping rule on synthetic batch streams, where the true σ of every run is known: batches of n histories from
/// voxels whose per-history dose has mean μ and standard deviation s, so the mean of N histories has relative σ
/// s/(μ√N) exactly. The batch dose is drawn as μ + s/√n·z (z standard normal), which is what the central limit
/// theorem makes of a Monte Carlo batch.
/// </summary>
public class UncertaintyStoppingRuleTests
{
    private const double Mu = 1.0, S = 1.0; // per-history relative σ of 100 %

    private static double TrueSigma(long histories) => S / (Mu * Math.Sqrt(histories));

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Runs the rule on a stream of single-voxel batches; returns the stop, histories and the estimate at the stop.</summary>
    private static (StopReason Stop, long Histories, int Batches, double Sigma) RunStream(UncertaintyTarget target, Random rng, int voxels = 1)
    {
        var stats = new BatchStatistics(voxels);
        var scale = Enumerable.Repeat(1.0, voxels).ToArray();
        var rho = Enumerable.Repeat(1f, voxels).ToArray();
        var roi = Enumerable.Repeat((byte)1, voxels).ToArray();
        var batch = new double[voxels];
        long histories = 0;
        int batches = 0;
        double sigma = 0;
        while (true)
        {
            long n = UncertaintyStoppingRule.NextBatchHistories(target, batches, histories, sigma);
            for (int v = 0; v < voxels; v++)
            {
                batch[v] = Mu + S / Math.Sqrt(n) * Gaussian(rng);
            }

            stats.AddBatch(batch, n);
            histories += n;
            batches++;
            sigma = stats.MeanRelativeUncertainty(scale, rho, 0.05, roi);
            StopReason stop = UncertaintyStoppingRule.Decide(target, batches, histories, sigma);
            if (stop != StopReason.Continue)
            {
                return (stop, histories, batches, sigma);
            }
        }
    }

    [Fact]
    public void LuckyEarlyBatches_EstimateBelowTarget_RuleGoesOn()
    {
        // Ten pilot batches of 1 000 histories: the true σ of their mean is 1/√10 000 = 1 %. The stream is lucky: the
        // batches agree far better than they should (their spread is 0.7 of the true one), so σ̂ reads 0.7 %.
        var target = new UncertaintyTarget { RelativeUncertainty = 0.009, PilotHistories = 10_000, MaxHistories = 10_000_000 };
        double[] z = [1.2, -0.9, 0.4, -1.1, 0.8, -0.3, 1.0, -1.3, 0.2, 0.0];
        double mz = z.Average(), sz = Math.Sqrt(z.Sum(v => (v - mz) * (v - mz)) / (z.Length - 1));
        var stats = new BatchStatistics(1);
        foreach (double v in z)
        {
            // Rescaled so the ten batches' sample spread is exactly 0.7 of the true batch σ.
            stats.AddBatch([Mu + 0.7 * S / Math.Sqrt(1000) * (v - mz) / sz], 1000);
        }

        double sigmaHat = stats.MeanRelativeUncertainty([1.0], [1f], 0.05, [1]);
        Assert.InRange(sigmaHat, 0.0069, 0.0071);
        Assert.True(TrueSigma(10_000) > target.RelativeUncertainty);
        // A rule on σ̂ alone would stop here, at 1 % true σ against a 0.9 % target …
        Assert.True(sigmaHat <= target.RelativeUncertainty);
        // … the confidence bound (×1.64 at 9 degrees of freedom, 95 %) does not.
        Assert.Equal(StopReason.Continue, UncertaintyStoppingRule.Decide(target, 10, 10_000, sigmaHat));
        Assert.InRange(UncertaintyStoppingRule.UpperBound(sigmaHat, 10, 0.95), 0.0113, 0.0117);
    }

    [Fact]
    public void RandomStreams_StopBelowTargetAtTheStatedConfidence()
    {
        // 2 000 independent single-voxel runs (the worst case: one voxel's σ̂, nothing averaged) to a 1 % target.
        var target = new UncertaintyTarget { RelativeUncertainty = 0.01, PilotHistories = 2_000, MaxHistories = 100_000_000 };
        var rng = new Random(23);
        int above = 0, runs = 2000;
        var used = new List<long>();
        for (int k = 0; k < runs; k++)
        {
            (StopReason stop, long histories, int batches, _) = RunStream(target, rng);
            Assert.Equal(StopReason.TargetReached, stop);
            Assert.True(batches >= 10);
            above += TrueSigma(histories) > target.RelativeUncertainty ? 1 : 0;
            used.Add(histories);
        }

        // The rule is a 95 % upper bound at every check, and it checks many times: stopping with the true σ above the
        // target must stay rare — at most the 5 % the confidence states.
        Assert.True(above <= 0.05 * runs, $"{above} of {runs} runs stopped with the true σ above the target");
        // It is not wildly wasteful either: the median run uses at most 2× the 10 000 histories the target needs.
        used.Sort();
        Assert.InRange(used[runs / 2], 10_000, 20_000);
    }

    [Fact]
    public void ManyVoxels_StopsAtTheTargetWithinItsBound()
    {
        // 500 voxels: the region's mean σ̂ scatters little, so the run stops close to the bound's prediction.
        var target = new UncertaintyTarget { RelativeUncertainty = 0.01, PilotHistories = 2_000, MaxHistories = 100_000_000 };
        (StopReason stop, long histories, int batches, double sigma) = RunStream(target, new Random(5), voxels: 500);
        Assert.Equal(StopReason.TargetReached, stop);
        Assert.True(TrueSigma(histories) <= target.RelativeUncertainty, $"true σ {TrueSigma(histories):P3} at {histories} histories");
        Assert.True(UncertaintyStoppingRule.UpperBound(sigma, batches, 0.95) <= 0.01);
        Assert.InRange(histories, 10_000, 20_000);
    }

    [Fact]
    public void Cap_ReachedBeforeTheTarget_StopsAtTheCapAndSaysSo()
    {
        // 0.1 % needs 10⁶ histories; the cap is 50 000.
        var target = new UncertaintyTarget { RelativeUncertainty = 0.001, PilotHistories = 2_000, MaxHistories = 50_000 };
        (StopReason stop, long histories, _, double sigma) = RunStream(target, new Random(7));
        Assert.Equal(StopReason.HistoryCap, stop);
        Assert.Equal(50_000, histories);
        Assert.True(sigma > target.RelativeUncertainty);
    }

    [Fact]
    public void UnequalBatches_MeanAndSigmaAreTheHistoryWeightedOnes()
    {
        // Two batch sizes: the weighted mean is Σn·d/N and the estimate has B − 1 degrees of freedom.
        var stats = new BatchStatistics(1);
        (double D, long N)[] batches = [(1.0, 100), (1.2, 100), (0.9, 300), (1.1, 500)];
        foreach ((double d, long n) in batches)
        {
            stats.AddBatch([d], n);
        }

        double total = batches.Sum(b => b.N), mean = batches.Sum(b => b.N * b.D) / total;
        double var = batches.Sum(b => b.N * (b.D - mean) * (b.D - mean)) / total / (batches.Length - 1);
        Assert.Equal(mean, stats.Mean(0), 12);
        Assert.Equal(Math.Sqrt(var) / mean, stats.RelativeUncertainty(0), 12);
    }

    [Fact]
    public void RuleAndRegionStatistic_AllocateNothing()
    {
        var target = new UncertaintyTarget { RelativeUncertainty = 0.01 };
        var stats = new BatchStatistics(10_000);
        var scale = new double[10_000];
        var rho = new float[10_000];
        var dose = new double[10_000];
        Array.Fill(scale, 1.0);
        Array.Fill(rho, 1f);
        for (int b = 0; b < 3; b++)
        {
            for (int v = 0; v < dose.Length; v++)
            {
                dose[v] = 1 + 0.01 * ((v * 7 + b * 13) % 5);
            }

            stats.AddBatch(dose, 1000);
        }

        double s = stats.MeanRelativeUncertainty(scale, rho, 0.05);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10; k++)
        {
            stats.AddBatch(dose, 2000);
            s = stats.MeanRelativeUncertainty(scale, rho, 0.05);
            _ = UncertaintyStoppingRule.NextBatchHistories(target, 12, 30_000, s);
            _ = UncertaintyStoppingRule.Decide(target, 12, 30_000, s);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [ToolFact("scipy")]
    public void ChiSquareQuantile_AgreesWithScipy()
    {
        // The bound's factor comes from the Wilson–Hilferty χ² quantile; scipy's exact quantile is the reference.
        int[] dofs = [9, 14, 19, 29, 39, 59, 99];
        string script = "import scipy.stats as s\nfor k in [" + string.Join(",", dofs) + "]:\n  print(repr(s.chi2.ppf(0.05, k)), repr(s.norm.ppf(0.05)))";
        ProcessOutput r = OutsideTools.Run(OutsideTools.Python, "-c", script);
        Assert.Equal(0, r.ExitCode);
        string[] lines = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(dofs.Length, lines.Length);
        for (int i = 0; i < dofs.Length; i++)
        {
            string[] parts = lines[i].Split(' ');
            double chi = double.Parse(parts[0], CultureInfo.InvariantCulture), z = double.Parse(parts[1], CultureInfo.InvariantCulture);
            Assert.Equal(z, UncertaintyStoppingRule.NormalQuantile(0.05), 8);
            double ours = UncertaintyStoppingRule.ChiSquareQuantile(0.05, dofs[i]);
            Assert.True(Math.Abs(ours / chi - 1) < 0.005, $"χ²₀.₀₅({dofs[i]}): {ours} vs scipy {chi}");
        }
    }
}
