using MeTAI.Planner.Beams;

namespace MeTAI.Planner.Optimization;

/// <summary>
/// A fluence-smoothness term on the beamlet weights themselves: R(w) = λ/P · Σ over neighbouring beamlet pairs (j, k)
/// of the same beam ((wⱼ − wₖ)/s)², with P the number of pairs and s a weight scale (the mean starting weight).
/// It discourages the beamlet-to-beamlet ripples that fit Monte Carlo noise in the influence matrix rather than the
/// patient (Jeraj &amp; Keall 1999), and it lowers MU and segment counts; commercial optimisers expose the same control
/// as a "smoothing" priority.
/// </summary>
public sealed class FluenceSmoothing
{
    private readonly int[] _a;
    private readonly int[] _b;
    private readonly double _c;

    /// <summary>Pairs of horizontally and vertically adjacent beamlets of each grid (columns in grid order), strength λ, scale s.</summary>
    public FluenceSmoothing(IReadOnlyList<BeamletGrid> grids, double lambda, double scale)
    {
        ArgumentNullException.ThrowIfNull(grids);
        if (!(lambda >= 0) || !(scale > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), "Smoothing needs λ ≥ 0 and a positive scale.");
        }

        var a = new List<int>();
        var b = new List<int>();
        int offset = 0;
        foreach (BeamletGrid g in grids)
        {
            var index = new Dictionary<(int, int), int>(g.Count);
            for (int n = 0; n < g.Count; n++)
            {
                index[(g.Ix[n], g.Iy[n])] = n;
            }

            for (int n = 0; n < g.Count; n++)
            {
                if (index.TryGetValue((g.Ix[n] + 1, g.Iy[n]), out int right))
                {
                    a.Add(offset + n);
                    b.Add(offset + right);
                }

                if (index.TryGetValue((g.Ix[n], g.Iy[n] + 1), out int up))
                {
                    a.Add(offset + n);
                    b.Add(offset + up);
                }
            }

            offset += g.Count;
        }

        _a = [.. a];
        _b = [.. b];
        Lambda = lambda;
        _c = _a.Length > 0 ? lambda / (_a.Length * scale * scale) : 0;
    }

    /// <summary>λ.</summary>
    public double Lambda { get; }

    /// <summary>Neighbour pairs.</summary>
    public int Pairs => _a.Length;

    /// <summary>Adds ∇R into <paramref name="gradient"/>; returns R(<paramref name="x"/>).</summary>
    public double AddValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double r = 0;
        for (int p = 0; p < _a.Length; p++)
        {
            double d = x[_a[p]] - x[_b[p]];
            r += d * d;
            gradient[_a[p]] += 2 * _c * d;
            gradient[_b[p]] -= 2 * _c * d;
        }

        return _c * r;
    }

    /// <summary>Adds the diagonal of ∇²R into <paramref name="diagonal"/>.</summary>
    public void AddCurvature(Span<double> diagonal)
    {
        for (int p = 0; p < _a.Length; p++)
        {
            diagonal[_a[p]] += 2 * _c;
            diagonal[_b[p]] += 2 * _c;
        }
    }
}
