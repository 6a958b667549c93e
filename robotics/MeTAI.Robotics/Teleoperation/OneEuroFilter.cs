using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Teleoperation;

/// <summary>
/// One-Euro filter (Casiez, Roussel and Vogel, CHI 2012) on a 3-D position: a low-pass whose cut-off rises with speed,
/// so slow hand tremor is smoothed while deliberate fast motion keeps little lag. Allocation-free.
/// </summary>
public sealed class OneEuroFilter
{
    private readonly double _minCutoffHz;
    private readonly double _beta;
    private readonly double _derivativeCutoffHz;
    private Vec3 _x;
    private Vec3 _dx;
    private bool _primed;

    /// <summary>Creates a filter.</summary>
    /// <param name="minCutoffHz">Cut-off at rest (lower: more smoothing of tremor, 8–12 Hz physiological tremor lies above it).</param>
    /// <param name="beta">Speed coefficient (higher: less lag during fast motion).</param>
    /// <param name="derivativeCutoffHz">Cut-off of the speed estimate.</param>
    public OneEuroFilter(double minCutoffHz = 1.0, double beta = 20.0, double derivativeCutoffHz = 1.0)
    {
        if (!(minCutoffHz > 0) || !(beta >= 0) || !(derivativeCutoffHz > 0))
        {
            throw new ArgumentException("One-Euro filter: cut-offs must be positive and beta non-negative.");
        }

        _minCutoffHz = minCutoffHz;
        _beta = beta;
        _derivativeCutoffHz = derivativeCutoffHz;
    }

    /// <summary>Forgets the state; the next sample passes unfiltered.</summary>
    public void Reset() => _primed = false;

    /// <summary>Filters one sample taken <paramref name="dtS"/> seconds after the previous one.</summary>
    public Vec3 Filter(Vec3 x, double dtS)
    {
        if (!_primed || !(dtS > 0))
        {
            _x = x;
            _dx = Vec3.Zero;
            _primed = true;
            return x;
        }

        Vec3 rawDx = (x - _x) / dtS;
        _dx = Vec3.Lerp(_dx, rawDx, Alpha(_derivativeCutoffHz, dtS));
        double cutoff = _minCutoffHz + _beta * _dx.Length;
        _x = Vec3.Lerp(_x, x, Alpha(cutoff, dtS));
        return _x;
    }

    private static double Alpha(double cutoffHz, double dtS)
    {
        double tau = 1.0 / (2 * Math.PI * cutoffHz);
        return 1.0 / (1.0 + tau / dtS);
    }
}
