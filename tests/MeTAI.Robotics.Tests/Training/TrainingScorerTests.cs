using MeTAI.Core.Geometry;
using MeTAI.Robotics.Training;

namespace MeTAI.Robotics.Tests.Training;

/// <summary>
/// The training scorer against figures known in closed form: the dimensionless jerk of a minimum-jerk move (720),
/// the length of a polyline and of a helix, distances to a capsule, peak force, reached or not and the time to the target.
/// </summary>
public class TrainingScorerTests
{
    // Reach 40 mm along +x; a vessel 12 mm beside the path (surface 9 mm away), 3 mm radius.
    private static readonly TrainingTask Reach = new()
    {
        Id = "test",
        Name = "Test",
        TargetMm = new Vec3(40, 0, 0),
        ToleranceMm = 3,
        VesselMm = new TrainingCapsule(new Vec3(5, 12, 0), new Vec3(35, 12, 0), 3),
        TimeLimitS = 60,
    };

    // x(τ) = L(10τ³ − 15τ⁴ + 6τ⁵), τ = t / T, along a unit direction, sampled at 100 Hz from t = 0 to T inclusive.
    private static TrainingSample[] MinimumJerk(double durationS, double lengthM, Vec3 direction, double holdS = 0)
    {
        int moving = (int)Math.Round(durationS * 100);
        int total = moving + (int)Math.Round(holdS * 100) + 1;
        var samples = new TrainingSample[total];
        for (int i = 0; i < total; i++)
        {
            double t = i / 100.0;
            double tau = Math.Min(t / durationS, 1);
            double x = lengthM * (10 * Math.Pow(tau, 3) - 15 * Math.Pow(tau, 4) + 6 * Math.Pow(tau, 5));
            samples[i] = new TrainingSample(t, direction * x, 0, true);
        }

        return samples;
    }

    [Theory]
    [InlineData(1.0, 0.04)]
    [InlineData(2.5, 0.10)]
    [InlineData(4.0, 0.02)]
    public void DimensionlessJerk_MinimumJerkMove_Is720(double durationS, double lengthM)
    {
        Vec3 direction = new Vec3(1, 2, 2) / 3;
        double dj = TrainingScorer.DimensionlessJerk(MinimumJerk(durationS, lengthM, direction));

        // 720 is the published value for the minimum-jerk profile, whatever its duration and amplitude.
        Assert.InRange(dj, 720 * 0.98, 720 * 1.02);
        Assert.InRange(dj, 720 * 0.999, 720 * 1.001); // the scheme's own accuracy (its XML doc)
    }

    [Fact]
    public void DimensionlessJerk_NoisyPath_IsLargerThanTheSmoothOne()
    {
        TrainingSample[] smooth = MinimumJerk(2, 0.04, Vec3.UnitX);
        var random = new Random(7);
        var noisy = new TrainingSample[smooth.Length];
        for (int i = 0; i < smooth.Length; i++)
        {
            // ±0.1 mm of uniform noise on each axis: a shaky hand.
            var noise = new Vec3(random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5) * 0.0002;
            noisy[i] = smooth[i] with { TipM = smooth[i].TipM + noise };
        }

        double smoothDj = TrainingScorer.DimensionlessJerk(smooth);
        double noisyDj = TrainingScorer.DimensionlessJerk(noisy);
        Assert.True(noisyDj > 10 * smoothDj, $"noisy DJ {noisyDj} vs smooth {smoothDj}");
    }

    [Fact]
    public void DimensionlessJerk_NoMovementOrTooShort_IsZero()
    {
        TrainingSample[] still = [.. Enumerable.Range(0, 50).Select(i => new TrainingSample(i / 100.0, new Vec3(0.1, 0.2, 0.3), 0, true))];
        Assert.Equal(0.0, TrainingScorer.DimensionlessJerk(still));
        Assert.Equal(0.0, TrainingScorer.DimensionlessJerk(MinimumJerk(0.02, 0.01, Vec3.UnitX)));
        Assert.Equal(0.0, TrainingScorer.DimensionlessJerk([new TrainingSample(0, Vec3.Zero, 0, true)]));
    }

    [Fact]
    public void PathLengthM_Polyline_IsTheSumOfItsSides()
    {
        TrainingSample[] square =
        [
            new(0, new Vec3(0, 0, 0), 0, true),
            new(1, new Vec3(0.01, 0, 0), 0, true),
            new(2, new Vec3(0.01, 0.02, 0), 0, true),
            new(3, new Vec3(0, 0.02, 0), 0, true),
            new(4, new Vec3(0, 0.02, 0.005), 0, true),
        ];
        Assert.Equal(0.045, TrainingScorer.PathLengthM(square), 12);
    }

    [Fact]
    public void PathLengthM_Helix_IsItsArcLength()
    {
        // Radius 10 mm, 5 mm pitch, 3 turns, 1000 samples a turn: arc length 3·√((2π·10)² + 5²) mm.
        const double r = 0.01, pitch = 0.005;
        const int turns = 3, perTurn = 1000;
        var samples = new TrainingSample[turns * perTurn + 1];
        for (int i = 0; i < samples.Length; i++)
        {
            double a = 2 * Math.PI * i / perTurn;
            samples[i] = new TrainingSample(i * 0.001, new Vec3(r * Math.Cos(a), r * Math.Sin(a), pitch * a / (2 * Math.PI)), 0, true);
        }

        double expected = turns * Math.Sqrt(Math.Pow(2 * Math.PI * r, 2) + pitch * pitch);
        Assert.InRange(TrainingScorer.PathLengthM(samples), expected * (1 - 1e-5), expected);
    }

    [Fact]
    public void SurfaceDistance_Capsule_KnownDistances_InsideNegative()
    {
        var capsule = new TrainingCapsule(new Vec3(0, 0, 0), new Vec3(0.1, 0, 0), 0.003);
        Assert.Equal(0.009, capsule.SurfaceDistance(new Vec3(0.05, 0.012, 0)), 12);      // beside the segment
        Assert.Equal(0.047, capsule.SurfaceDistance(new Vec3(0.13, 0.04, 0)), 12);       // beyond the end cap: 30-40-50
        Assert.Equal(0.0, capsule.SurfaceDistance(new Vec3(-0.003, 0, 0)), 12);          // on the other cap
        Assert.Equal(-0.002, capsule.SurfaceDistance(new Vec3(0.05, 0, 0.001)), 12);     // inside
        Assert.Equal(-0.003, capsule.SurfaceDistance(new Vec3(0.02, 0, 0)), 12);         // on the axis
        var sphere = new TrainingCapsule(new Vec3(1, 1, 1), new Vec3(1, 1, 1), 0.002);
        Assert.Equal(0.008, sphere.SurfaceDistance(new Vec3(1, 1, 1.01)), 12);
    }

    [Fact]
    public void Score_MinClearance_IsToTheVesselSurface_NegativeInside()
    {
        // Straight along the path: 9 mm from the surface. Through the vessel's axis: 3 mm inside.
        TrainingSample[] beside = [new(0, Vec3.Zero, 0, true), new(1, new Vec3(0.02, 0, 0), 0, true)];
        Assert.Equal(9, TrainingScorer.Score(Reach, beside, 0).MinClearanceMm, 9);
        TrainingSample[] through = [new(0, Vec3.Zero, 0, true), new(1, new Vec3(0.02, 0.012, 0), 0, true), new(2, new Vec3(0.04, 0, 0), 0, true)];
        TrainingScore hit = TrainingScorer.Score(Reach, through, 0);
        Assert.Equal(-3, hit.MinClearanceMm, 9);
        Assert.True(hit.Reached);
    }

    [Fact]
    public void Score_PeakForce_IsTheLargestForceOfTheAttempt()
    {
        TrainingSample[] samples =
        [
            new(0, Vec3.Zero, 0.5, true),
            new(0.01, new Vec3(0.001, 0, 0), 2.25, false),
            new(0.02, new Vec3(0.002, 0, 0), 1.0, true),
        ];
        TrainingScore score = TrainingScorer.Score(Reach, samples, 1);
        Assert.Equal(2.25, score.PeakForceN);
        Assert.Equal(1, score.CorridorViolations);
        Assert.Equal(0.01, score.OutsideCorridorS, 12);
        Assert.Equal(3, score.Samples);
    }

    [Fact]
    public void Score_Reached_TimeAndPathAreToTheFirstSampleAtTheTarget()
    {
        // 12 mm/s along +x: the tip is within 3 mm of the target (x ≥ 37 mm) from t = 3.0833 s, so at the sample 3.09 s.
        TrainingSample[] samples = [.. Enumerable.Range(0, 501).Select(i => new TrainingSample(i / 100.0, new Vec3(0.012 * i / 100.0, 0, 0), 0, true))];
        TrainingScore score = TrainingScorer.Score(Reach, samples, 0);
        Assert.True(score.Reached);
        Assert.Equal(3.09, score.TimeS, 9);
        Assert.Equal(37.08, score.PathLengthMm, 6);
        Assert.Equal(501, score.Samples);
        Assert.InRange(score.Score, 0.1, 100);
    }

    [Fact]
    public void Score_NotReached_TimeIsTheWholeAttempt_AndTheScoreIsZero()
    {
        // Stops at 30 mm, 7 mm short of the tolerance sphere.
        TrainingSample[] samples = [.. Enumerable.Range(0, 301).Select(i => new TrainingSample(1 + i / 100.0, new Vec3(Math.Min(0.0001 * i, 0.03), 0, 0), 0, true))];
        TrainingScore score = TrainingScorer.Score(Reach, samples, 0);
        Assert.False(score.Reached);
        Assert.Equal(3.0, score.TimeS, 9);
        Assert.Equal(30, score.PathLengthMm, 6);
        Assert.Equal(0.0, score.Score);
    }

    [Fact]
    public void Score_SmoothSafeReach_ScoresHigh_AndEachFaultCostsPoints()
    {
        TrainingSample[] smooth = MinimumJerk(2, 0.04, Vec3.UnitX, holdS: 1);
        TrainingScore good = TrainingScorer.Score(Reach, smooth, 0);
        Assert.True(good.Reached);
        Assert.InRange(good.Score, 95, 100);

        // Violations, force and a path through the vessel each cost points.
        Assert.True(TrainingScorer.Score(Reach, smooth, 2).Score < good.Score);
        TrainingSample[] pushed = [.. smooth.Select(s => s with { ForceN = 4 })];
        Assert.True(TrainingScorer.Score(Reach, pushed, 0).Score < good.Score);
        TrainingSample[] through = [.. smooth.Select(s => s with { TipM = s.TipM + new Vec3(0, 0.012 * Math.Sin(Math.PI * s.TipM.X / 0.04), 0) })];
        TrainingScore hit = TrainingScorer.Score(Reach, through, 0);
        Assert.True(hit.MinClearanceMm < 0);
        Assert.True(hit.Score < good.Score);
    }

    [Fact]
    public void Score_BadSamples_Throw()
    {
        Assert.Throws<ArgumentException>(() => TrainingScorer.Score(Reach, [], 0));
        TrainingSample[] backwards = [new(1, Vec3.Zero, 0, true), new(0.5, Vec3.Zero, 0, true)];
        Assert.Contains("Sample 1", Assert.Throws<ArgumentException>(() => TrainingScorer.Score(Reach, backwards, 0)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingScorer.Score(Reach, [new(0, Vec3.Zero, 0, true)], -1));
    }

    [Fact]
    public void PlacedAt_MovesTargetAndVesselIntoTheBaseFrameInMetres()
    {
        TrainingTask placed = Reach.PlacedAt(new Vec3(0.2, 0, 0.3));
        Assert.Equal(0.24, placed.TargetM.X, 12);
        Assert.Equal(0.3, placed.TargetM.Z, 12);
        Assert.Equal(0.003, placed.VesselM.Radius, 12);
        Assert.Equal(0.205, placed.VesselM.A.X, 12);
        Assert.Equal(0.012, placed.VesselM.A.Y, 12);
    }
}
