using System.Globalization;
using MeTAI.Core.Geometry;

namespace MeTAI.Core.Trajectories;

/// <summary>
/// A time-parameterised instrument path: samples of tip position and insertion direction at strictly increasing
/// times. Between samples the tip moves linearly and the direction is interpolated and renormalised; before the first
/// sample and after the last one the end samples hold. Built by the rehearsal, loaded by the controller
/// (<see cref="TrajectoryJson"/>). Queries do not allocate.
/// </summary>
public sealed class Trajectory
{
    private readonly TrajectorySample[] _samples;

    /// <summary>Creates a trajectory in patient LPS millimetres and validates it.</summary>
    /// <param name="samples">At least two samples, times strictly increasing, all values finite, directions non-zero
    /// (they are stored normalised).</param>
    /// <exception cref="ArgumentException">A sample breaks a rule; the message names its index and field.</exception>
    public Trajectory(IEnumerable<TrajectorySample> samples)
        : this(samples, Corridor.PatientLpsMm)
    {
    }

    /// <summary>Creates a trajectory in a named frame (see <see cref="Frame"/>) and validates it.</summary>
    public Trajectory(IEnumerable<TrajectorySample> samples, string frame)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentException.ThrowIfNullOrWhiteSpace(frame);
        TrajectorySample[] list = [.. samples];
        if (list.Length < 2)
        {
            throw new ArgumentException($"A trajectory needs at least 2 samples, got {list.Length}.", nameof(samples));
        }

        for (int n = 0; n < list.Length; n++)
        {
            TrajectorySample s = list[n];
            if (!double.IsFinite(s.TSeconds))
            {
                throw new ArgumentException(Invariant($"samples[{n}].tSeconds must be finite, got {s.TSeconds}."), nameof(samples));
            }

            if (n > 0 && !(s.TSeconds > list[n - 1].TSeconds))
            {
                throw new ArgumentException(
                    Invariant($"samples[{n}].tSeconds ({s.TSeconds} s) must be greater than samples[{n - 1}].tSeconds ({list[n - 1].TSeconds} s)."),
                    nameof(samples));
            }

            if (!s.TipLps.IsFinite)
            {
                throw new ArgumentException($"samples[{n}].tipLps must be finite, got {s.TipLps}.", nameof(samples));
            }

            double length = s.Direction.Length;
            if (!s.Direction.IsFinite || !(length > 1e-12))
            {
                throw new ArgumentException($"samples[{n}].direction must be a finite non-zero vector, got {s.Direction}.", nameof(samples));
            }

            list[n] = s with { Direction = s.Direction / length };
        }

        _samples = list;
        Frame = frame;
    }

    /// <summary>The samples, in time order, directions unit length.</summary>
    public ReadOnlySpan<TrajectorySample> Samples => _samples;

    /// <summary>Number of samples.</summary>
    public int Count => _samples.Length;

    /// <summary>Frame and unit of the positions: <see cref="Corridor.PatientLpsMm"/> unless <see cref="Transformed"/> said otherwise.</summary>
    public string Frame { get; }

    /// <summary>Time of the first sample in seconds.</summary>
    public double StartSeconds => _samples[0].TSeconds;

    /// <summary>Time of the last sample in seconds.</summary>
    public double EndSeconds => _samples[^1].TSeconds;

    /// <summary>Duration in seconds.</summary>
    public double DurationSeconds => EndSeconds - StartSeconds;

    /// <summary>Length of the tip path (sum of straight pieces between samples), in the frame's length unit.</summary>
    public double PathLength
    {
        get
        {
            double sum = 0;
            for (int n = 1; n < _samples.Length; n++)
            {
                sum += Vec3.Distance(_samples[n - 1].TipLps, _samples[n].TipLps);
            }

            return sum;
        }
    }

    /// <summary>
    /// The state at <paramref name="tSeconds"/>: tip interpolated linearly, direction interpolated linearly and
    /// renormalised (when two consecutive directions are opposite, the earlier one holds up to the later sample).
    /// Times outside the trajectory clamp to its ends. Does not allocate.
    /// </summary>
    public TrajectorySample At(double tSeconds)
    {
        if (double.IsNaN(tSeconds))
        {
            throw new ArgumentException("Time must not be NaN.", nameof(tSeconds));
        }

        TrajectorySample[] s = _samples;
        if (tSeconds <= s[0].TSeconds)
        {
            return s[0] with { TSeconds = tSeconds };
        }

        if (tSeconds >= s[^1].TSeconds)
        {
            return s[^1] with { TSeconds = tSeconds };
        }

        // Binary search for the last sample at or before t.
        int lo = 0, hi = s.Length - 1;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >>> 1;
            if (s[mid].TSeconds <= tSeconds)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        TrajectorySample a = s[lo], b = s[hi];
        double u = (tSeconds - a.TSeconds) / (b.TSeconds - a.TSeconds);
        Vec3 tip = Vec3.Lerp(a.TipLps, b.TipLps, u);
        Vec3 dir = Vec3.Lerp(a.Direction, b.Direction, u);
        double length = dir.Length;
        dir = length > 1e-9 ? dir / length : a.Direction;
        return new TrajectorySample(tSeconds, tip, dir);
    }

    /// <summary>
    /// A copy mapped into another frame, e.g. the robot base after registration. Positions go through
    /// <paramref name="transform"/>, directions through its linear part and are renormalised. The robot works in
    /// metres: a registration whose linear part is <c>R·0.001</c> carries the mm → m change, and the copy's
    /// positions are then in metres (name the frame accordingly, e.g. <c>"robot base m"</c>).
    /// </summary>
    /// <param name="transform">Patient → target frame map (rigid, or rigid times a uniform scale).</param>
    /// <param name="frame">Name of the target frame and unit.</param>
    public Trajectory Transformed(Transform transform, string frame)
    {
        Corridor.UniformScaleOf(transform);
        var mapped = new TrajectorySample[_samples.Length];
        for (int n = 0; n < mapped.Length; n++)
        {
            TrajectorySample s = _samples[n];
            mapped[n] = new TrajectorySample(s.TSeconds, transform.Apply(s.TipLps), transform.ApplyVector(s.Direction));
        }

        return new Trajectory(mapped, frame);
    }

    /// <summary>
    /// A straight insertion from <paramref name="startLps"/> to <paramref name="endLps"/> at constant speed, sampled
    /// every <paramref name="sampleSpacingMm"/> (plus the end point).
    /// </summary>
    public static Trajectory Straight(Vec3 startLps, Vec3 endLps, double speedMmPerS, double sampleSpacingMm, double startSeconds = 0)
    {
        if (!(speedMmPerS > 0) || !double.IsFinite(speedMmPerS))
        {
            throw new ArgumentOutOfRangeException(nameof(speedMmPerS), speedMmPerS, "Speed must be positive and finite.");
        }

        if (!(sampleSpacingMm > 0) || !double.IsFinite(sampleSpacingMm))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleSpacingMm), sampleSpacingMm, "Sample spacing must be positive and finite.");
        }

        double lengthMm = Vec3.Distance(startLps, endLps);
        if (!(lengthMm > 0))
        {
            throw new ArgumentException("Start and end of a straight trajectory must differ.", nameof(endLps));
        }

        Vec3 dir = (endLps - startLps) / lengthMm;
        int pieces = Math.Max(1, (int)Math.Ceiling(lengthMm / sampleSpacingMm - 1e-9));
        var samples = new TrajectorySample[pieces + 1];
        for (int n = 0; n <= pieces; n++)
        {
            double s = n == pieces ? lengthMm : n * lengthMm / pieces;
            samples[n] = new TrajectorySample(startSeconds + s / speedMmPerS, startLps + dir * s, dir);
        }

        return new Trajectory(samples);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
