using MeTAI.Planner.Beams;

namespace MeTAI.Planner.Sequencing;

/// <summary>
/// Step-and-shoot leaf sequencing by the sweep technique of Bortfeld, Kahler, Waldron &amp; Boyer (IJROBP 28:723,
/// 1994), the unidirectional decomposition also described by Siochi (IJROBP 43:671, 1999):
/// <list type="number">
/// <item>The beam's beamlet weights (MU per fraction) are resampled onto leaf rows (weighted by overlap in Y) and
/// rounded to integer levels of Δ = max(minimum segment MU, largest weight / levels).</item>
/// <item>Each leaf row's level profile n(x) is split into unit intervals: every rise of n by one at bin x opens an
/// interval there (left leaf), every fall closes one (right leaf); pairing the u-th opening with the u-th closing
/// gives intervals whose edges never move backwards — both leaves sweep in one direction, and the row receives its
/// profile with the fewest MU a unidirectional sweep allows (Σ of the rises).</item>
/// <item>Segment u opens, in every row, that row's u-th interval (rows with fewer close); consecutive equal segments
/// merge. Each segment gets Δ × its multiplicity MU, so no segment is below the minimum.</item>
/// </list>
/// Leaf positions fall on beamlet edges; jaws enclose all segments of the beam.
/// </summary>
public static class LeafSequencer
{
    /// <summary>Sequences beam <paramref name="grid"/> with weights <paramref name="weightsMuPerFraction"/> (one per beamlet of the grid).</summary>
    public static SequencedBeam Sequence(BeamletGrid grid, ReadOnlySpan<double> weightsMuPerFraction, MlcModel mlc, SequencingOptions options)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(mlc);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (weightsMuPerFraction.Length != grid.Count)
        {
            throw new ArgumentException($"Beam {grid.Beam.Name} has {grid.Count} beamlets but {weightsMuPerFraction.Length} weights.");
        }

        int ix0 = grid.Ix.Min(), ix1 = grid.Ix.Max();
        double[]?[] rowFluence = RowFluence(grid, weightsMuPerFraction, mlc, ix0, ix1 - ix0 + 1);
        double max = 0;
        foreach (double[]? r in rowFluence)
        {
            if (r is not null)
            {
                foreach (double v in r)
                {
                    max = Math.Max(max, v);
                }
            }
        }

        if (!(max > 0))
        {
            return new SequencedBeam(grid.Beam, mlc, 0, 0, 0, 0, []);
        }

        double step = Math.Max(options.MinSegmentMu, max / options.Levels);
        List<Segment> list = Segments(rowFluence, step, ix0, grid.WidthMm);
        (double x1, double x2, double y1, double y2) = Jaws(list, mlc);
        return new SequencedBeam(grid.Beam, mlc, x1, x2, y1, y2, list);
    }

    /// <summary>Leaf-row fluence: each leaf row takes the overlap-weighted mean of the beamlet rows it covers (null: a row no beamlet reaches).</summary>
    private static double[]?[] RowFluence(BeamletGrid grid, ReadOnlySpan<double> weightsMuPerFraction, MlcModel mlc, int ix0, int nx)
    {
        double h = grid.HeightMm;
        int pairs = mlc.Pairs;
        var rowFluence = new double[]?[pairs];
        for (int n = 0; n < grid.Count; n++)
        {
            double wt = weightsMuPerFraction[n];
            if (!(wt > 0))
            {
                continue;
            }

            double cy0 = grid.Iy[n] * h, cy1 = cy0 + h;
            for (int k = 0; k < pairs; k++)
            {
                double lo = Math.Max(cy0, mlc.Boundaries[k]), hi = Math.Min(cy1, mlc.Boundaries[k + 1]);
                if (hi <= lo)
                {
                    continue;
                }

                rowFluence[k] ??= new double[nx];
                rowFluence[k]![grid.Ix[n] - ix0] += wt * (hi - lo) / (mlc.Boundaries[k + 1] - mlc.Boundaries[k]);
            }
        }

        return rowFluence;
    }

    /// <summary>
    /// Segment u opens, in every row, that row's u-th unit interval (<see cref="Sweep"/>; rows with fewer park closed at
    /// the field edge, under the X1 jaw); consecutive equal segments merge, each worth <paramref name="step"/> MU.
    /// </summary>
    private static List<Segment> Segments(double[]?[] rowFluence, double step, int ix0, double widthMm)
    {
        int pairs = rowFluence.Length;
        var starts = new List<int>[pairs];
        var ends = new List<int>[pairs];
        int segments = 0;
        for (int k = 0; k < pairs; k++)
        {
            if (rowFluence[k] is not double[] row)
            {
                continue;
            }

            (starts[k], ends[k]) = Sweep(row, step);
            segments = Math.Max(segments, starts[k].Count);
        }

        double park = ix0 * widthMm;
        var list = new List<Segment>();
        for (int u = 0; u < segments; u++)
        {
            var a = new double[pairs];
            var b = new double[pairs];
            for (int k = 0; k < pairs; k++)
            {
                if (starts[k] is List<int> s && u < s.Count)
                {
                    a[k] = (ix0 + s[u]) * widthMm;
                    b[k] = (ix0 + ends[k][u]) * widthMm;
                }
                else
                {
                    a[k] = park;
                    b[k] = park;
                }
            }

            var seg = new Segment(a, b, step);
            if (list.Count > 0 && list[^1].SameShape(seg))
            {
                list[^1] = list[^1] with { MonitorUnits = list[^1].MonitorUnits + step };
            }
            else
            {
                list.Add(seg);
            }
        }

        return list;
    }

    /// <summary>
    /// The unit intervals of one row: level profile n(x) = round(row[x] / step); returns the opening and closing bin
    /// edges, both non-decreasing, one pair per MU step.
    /// </summary>
    public static (List<int> Starts, List<int> Ends) Sweep(ReadOnlySpan<double> row, double step)
    {
        var starts = new List<int>();
        var ends = new List<int>();
        int prev = 0;
        for (int x = 0; x <= row.Length; x++)
        {
            int cur = x < row.Length ? (int)Math.Round(row[x] / step, MidpointRounding.AwayFromZero) : 0;
            for (int c = prev; c < cur; c++)
            {
                starts.Add(x);
            }

            for (int c = cur; c < prev; c++)
            {
                ends.Add(x);
            }

            prev = cur;
        }

        return (starts, ends);
    }

    /// <summary>The fluence each beamlet of <paramref name="grid"/> receives from <paramref name="beam"/> (MU per fraction × open fraction of its area).</summary>
    public static double[] DeliveredWeights(BeamletGrid grid, SequencedBeam beam)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(beam);
        var result = new double[grid.Count];
        foreach (Segment s in beam.Segments)
        {
            double[] cov = Coverage(grid, beam, s);
            for (int n = 0; n < result.Length; n++)
            {
                result[n] += cov[n] * s.MonitorUnits;
            }
        }

        return result;
    }

    /// <summary>Fraction of each beamlet's area that segment <paramref name="s"/> leaves open (jaws applied).</summary>
    public static double[] Coverage(BeamletGrid grid, SequencedBeam beam, Segment s)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(beam);
        ArgumentNullException.ThrowIfNull(s);
        var cov = new double[grid.Count];
        double w = grid.WidthMm, h = grid.HeightMm, area = w * h;
        double[] bounds = beam.Mlc.Boundaries;
        for (int n = 0; n < grid.Count; n++)
        {
            double bx0 = grid.Ix[n] * w, bx1 = bx0 + w, by0 = grid.Iy[n] * h, by1 = by0 + h;
            double open = 0;
            for (int k = 0; k < bounds.Length - 1; k++)
            {
                double y0 = Math.Max(Math.Max(by0, bounds[k]), beam.JawY1Mm), y1 = Math.Min(Math.Min(by1, bounds[k + 1]), beam.JawY2Mm);
                if (y1 <= y0)
                {
                    continue;
                }

                double x0 = Math.Max(Math.Max(bx0, s.BankAMm[k]), beam.JawX1Mm), x1 = Math.Min(Math.Min(bx1, s.BankBMm[k]), beam.JawX2Mm);
                if (x1 > x0)
                {
                    open += (x1 - x0) * (y1 - y0);
                }
            }

            cov[n] = open / area;
        }

        return cov;
    }

    private static (double X1, double X2, double Y1, double Y2) Jaws(List<Segment> segments, MlcModel mlc)
    {
        double x1 = double.MaxValue, x2 = double.MinValue, y1 = double.MaxValue, y2 = double.MinValue;
        foreach (Segment s in segments)
        {
            for (int k = 0; k < mlc.Pairs; k++)
            {
                if (s.BankBMm[k] > s.BankAMm[k])
                {
                    x1 = Math.Min(x1, s.BankAMm[k]);
                    x2 = Math.Max(x2, s.BankBMm[k]);
                    y1 = Math.Min(y1, mlc.Boundaries[k]);
                    y2 = Math.Max(y2, mlc.Boundaries[k + 1]);
                }
            }
        }

        return x1 <= x2 ? (x1, x2, y1, y2) : (0, 0, 0, 0);
    }
}
