using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Training;

/// <summary>
/// Scores a training attempt from its samples: whether and when the tip reached the target, the path length, the
/// clearance to the vessel, the peak restoring force, the corridor violations and the smoothness (dimensionless jerk).
/// Pure and allocation-free: the same samples always give the same score. docs/service.md (Training mode) has the
/// metrics and the formula.
/// </summary>
public static class TrainingScorer
{
    /// <summary>Rate of the uniform grid the jerk is computed on (Hz).</summary>
    public const double ResampleHz = 100;

    /// <summary>Dimensionless jerk of the minimum-jerk point-to-point profile (Hogan &amp; Sternad 2009): the smoothest score.</summary>
    public const double MinimumJerkDimensionlessJerk = 720;

    /// <summary>Decades of dimensionless jerk above <see cref="MinimumJerkDimensionlessJerk"/> over which the smoothness part falls from 1 to 0.</summary>
    public const double JerkDecades = 3;

    /// <summary>Clearance to the vessel's surface that earns the whole clearance part (mm).</summary>
    public const double SafeClearanceMm = 5;

    /// <summary>Restoring force at which the force part is 0 (N): the controller's default cap (TeleopOptions.MaxForceN).</summary>
    public const double ReferenceForceN = 5;

    /// <summary>
    /// Scores an attempt. <paramref name="samples"/> must be in time order (at least one); <paramref name="task"/> must be
    /// placed in the samples' frame (<see cref="TrainingTask.PlacedAt"/>); <paramref name="corridorViolations"/> is the
    /// number of CorridorViolation raises the recorder counted.
    /// <para>
    /// The score (0–100) is 0 when the target was not reached, else
    /// <c>100 · (0.20·S_time + 0.15·S_path + 0.25·S_clearance + 0.15·S_force + 0.15·S_corridor + 0.10·S_smooth)</c>, rounded
    /// to 0.1, each part in [0, 1]:
    /// S_time = 1 − timeS / timeLimitS;
    /// S_path = (straight distance from the first tip to the tolerance sphere) / pathLength (1 when both are 0);
    /// S_clearance = minClearanceMm / <see cref="SafeClearanceMm"/> (0 when the tip entered the vessel);
    /// S_force = 1 − peakForceN / <see cref="ReferenceForceN"/>;
    /// S_corridor = 1 / (1 + corridorViolations);
    /// S_smooth = 1 − log10(DJ / 720) / <see cref="JerkDecades"/> (1 for DJ ≤ 720 or no movement);
    /// each clamped to [0, 1].
    /// </para>
    /// </summary>
    /// <exception cref="ArgumentException">No samples, a sample out of time order, or a value that is not finite.</exception>
    public static TrainingScore Score(TrainingTask task, ReadOnlySpan<TrainingSample> samples, int corridorViolations)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfNegative(corridorViolations);
        if (samples.IsEmpty)
        {
            throw new ArgumentException("An attempt needs at least one sample.", nameof(samples));
        }

        Vec3 targetM = task.TargetM;
        double toleranceM = task.ToleranceMm / 1000;
        TrainingCapsule vesselM = task.VesselM;
        int end = samples.Length - 1;
        bool reached = false;
        double minClearanceM = double.PositiveInfinity, peakForceN = 0, outsideS = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            TrainingSample s = samples[i];
            if (!double.IsFinite(s.TimeS) || !s.TipM.IsFinite || !double.IsFinite(s.ForceN) || (i > 0 && s.TimeS < samples[i - 1].TimeS))
            {
                throw new ArgumentException($"Sample {i} is out of time order or not finite ({s}).", nameof(samples));
            }

            if (!reached && Vec3.Distance(s.TipM, targetM) <= toleranceM)
            {
                reached = true;
                end = i;
            }

            minClearanceM = Math.Min(minClearanceM, vesselM.SurfaceDistance(s.TipM));
            peakForceN = Math.Max(peakForceN, Math.Abs(s.ForceN));
            if (i > 0 && !s.InCorridor)
            {
                outsideS += s.TimeS - samples[i - 1].TimeS;
            }
        }

        ReadOnlySpan<TrainingSample> scored = samples[..(end + 1)];
        double timeS = scored[^1].TimeS - scored[0].TimeS;
        double pathMm = PathLengthM(scored) * 1000;
        double jerk = DimensionlessJerk(scored);
        double straightMm = Math.Max(Vec3.Distance(samples[0].TipM, targetM) * 1000 - task.ToleranceMm, 0);
        double minClearanceMm = minClearanceM * 1000;
        double points = reached ? Points(task, timeS, pathMm, straightMm, minClearanceMm, peakForceN, corridorViolations, jerk) : 0;
        return new TrainingScore
        {
            Reached = reached,
            TimeS = timeS,
            PathLengthMm = pathMm,
            MinClearanceMm = minClearanceMm,
            PeakForceN = peakForceN,
            CorridorViolations = corridorViolations,
            DimensionlessJerk = jerk,
            OutsideCorridorS = outsideS,
            Samples = samples.Length,
            Score = Math.Round(points, 1, MidpointRounding.AwayFromZero),
        };
    }

    /// <summary>Length of the polyline through the samples' tips (m).</summary>
    public static double PathLengthM(ReadOnlySpan<TrainingSample> samples)
    {
        double length = 0;
        for (int i = 1; i < samples.Length; i++)
        {
            length += Vec3.Distance(samples[i].TipM, samples[i - 1].TipM);
        }

        return length;
    }

    /// <summary>
    /// Dimensionless jerk (Hogan N, Sternad D. "Sensitivity of smoothness measures to movement duration, amplitude, and
    /// arrests." J Mot Behav 2009;41(6):529–534): <c>DJ = (T⁵ / L²) · ∫₀ᵀ |d³x/dt³|² dt</c>.
    /// <para>
    /// Scheme: the tip is resampled by linear interpolation onto the uniform grid t₀ + j·h, h = 1 / <see cref="ResampleHz"/>,
    /// up to the last sample (a last fraction of a step is dropped); T = (grid points − 1)·h and L is the length of the
    /// resampled polyline. The jerk is the third difference (x[j] − 3x[j−1] + 3x[j−2] − x[j−3]) / h³, second-order
    /// accurate at the middle of its four points, so each value stands for one grid interval; the integral sums
    /// |jerk|²·h over those intervals, and the first and last intervals, which no centred difference reaches, take the
    /// jerk extrapolated linearly from the two nearest differences (the nearest one alone with only four points). On a
    /// minimum-jerk move sampled at 100 Hz this gives 720 to within 0.1 % (TrainingScorerTests).
    /// Returns 0 when fewer than four grid points span the samples or the tip did not move (L = 0): no movement, no jerk.
    /// </para>
    /// Streams the grid through a four-point window: no allocation.
    /// </summary>
    public static double DimensionlessJerk(ReadOnlySpan<TrainingSample> samples)
    {
        if (samples.Length < 2)
        {
            return 0;
        }

        const double h = 1 / ResampleHz;
        double t0 = samples[0].TimeS;
        double duration = samples[^1].TimeS - t0;
        int points = (int)Math.Floor(duration * ResampleHz + 1e-6) + 1;
        if (points < 4)
        {
            return 0;
        }

        int k = 0;
        Vec3 p0 = default, p1 = default, p2 = default;
        Vec3 firstJerk = default, secondJerk = default, lastJerk = default, beforeLastJerk = default;
        double sum = 0, lengthM = 0;
        int differences = 0;
        for (int j = 0; j < points; j++)
        {
            Vec3 p = Interpolate(samples, t0 + j * h, ref k);
            if (j > 0)
            {
                lengthM += Vec3.Distance(p, p2);
            }

            if (j >= 3)
            {
                Vec3 jerk = (p - 3 * p2 + 3 * p1 - p0) / (h * h * h);
                sum += jerk.LengthSquared;
                if (differences == 0)
                {
                    firstJerk = jerk;
                }
                else if (differences == 1)
                {
                    secondJerk = jerk;
                }

                beforeLastJerk = lastJerk;
                lastJerk = jerk;
                differences++;
            }

            p0 = p1;
            p1 = p2;
            p2 = p;
        }

        if (!(lengthM > 0))
        {
            return 0;
        }

        // The first and last grid intervals, half a step beyond the outermost differences' centres.
        Vec3 startJerk = differences >= 2 ? 2 * firstJerk - secondJerk : firstJerk;
        Vec3 endJerk = differences >= 2 ? 2 * lastJerk - beforeLastJerk : lastJerk;
        double integral = (sum + startJerk.LengthSquared + endJerk.LengthSquared) * h;
        double durationS = (points - 1) * h;
        double dj = Math.Pow(durationS, 5) / (lengthM * lengthM) * integral;

        // A path of a few nanometres could overflow: report the largest finite value (JSON has no infinity).
        return double.IsFinite(dj) ? dj : double.MaxValue;
    }

    // The tip at time t by linear interpolation; k walks forward through the samples (t only grows).
    private static Vec3 Interpolate(ReadOnlySpan<TrainingSample> samples, double t, ref int k)
    {
        while (k < samples.Length - 2 && samples[k + 1].TimeS <= t)
        {
            k++;
        }

        TrainingSample a = samples[k];
        TrainingSample b = samples[k + 1];
        double span = b.TimeS - a.TimeS;
        if (!(span > 0))
        {
            return t >= b.TimeS ? b.TipM : a.TipM;
        }

        return Vec3.Lerp(a.TipM, b.TipM, Math.Clamp((t - a.TimeS) / span, 0, 1));
    }

    private static double Points(TrainingTask task, double timeS, double pathMm, double straightMm, double minClearanceMm, double peakForceN,
        int corridorViolations, double jerk)
    {
        double time = Unit(1 - timeS / task.TimeLimitS);
        double path = pathMm > 0 ? Unit(straightMm / pathMm) : (straightMm > 0 ? 0 : 1);
        double clearance = Unit(minClearanceMm / SafeClearanceMm);
        double force = Unit(1 - peakForceN / ReferenceForceN);
        double corridor = 1.0 / (1 + corridorViolations);
        double smooth = jerk > MinimumJerkDimensionlessJerk ? Unit(1 - Math.Log10(jerk / MinimumJerkDimensionlessJerk) / JerkDecades) : 1;
        return 100 * (0.20 * time + 0.15 * path + 0.25 * clearance + 0.15 * force + 0.15 * corridor + 0.10 * smooth);
    }

    private static double Unit(double x) => double.IsNaN(x) ? 0 : Math.Clamp(x, 0, 1);
}
