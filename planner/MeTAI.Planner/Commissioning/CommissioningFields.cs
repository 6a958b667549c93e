using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// The jaw fields a data set needs runs for: one per distinct (X, Y, SSD) among its scans and output factors (plus the
/// 10 × 10 cm² reference of each output-factor table), each run deep enough for every depth asked of it.
/// </summary>
public static class CommissioningFields
{
    /// <summary>Every field of <paramref name="data"/>, in a stable order.</summary>
    public static IReadOnlyList<FieldCondition> All(BeamDataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var need = new List<(double X, double Y, double Ssd, double Depth)>();
        foreach (MeasuredCurve c in data.Curves)
        {
            need.Add((c.FieldXMm, c.FieldYMm, c.SsdMm, c.Kind == CurveKind.DepthDose ? c.PositionMm[^1] : c.DepthMm!.Value));
        }

        foreach (OutputFactorTable t in data.OutputFactors)
        {
            need.Add((100, 100, t.SsdMm, t.DepthMm));
            need.AddRange(t.Factors.Select(f => (f.FieldXMm, f.FieldYMm, t.SsdMm, t.DepthMm)));
        }

        return [.. need.GroupBy(n => (n.X, n.Y, n.Ssd))
            .OrderBy(g => g.Key.Ssd).ThenBy(g => g.Key.X).ThenBy(g => g.Key.Y)
            .Select(g => new FieldCondition(g.Key.X, g.Key.Y, g.Key.Ssd, Math.Max(50, Math.Ceiling(g.Max(n => n.Depth) / 10) * 10 + 10)))];
    }

    /// <summary>The field of a scan.</summary>
    public static FieldCondition Of(MeasuredCurve c, BeamDataSet data)
    {
        ArgumentNullException.ThrowIfNull(c);
        return Find(data, c.FieldXMm, c.FieldYMm, c.SsdMm);
    }

    /// <summary>The field of an output factor of <paramref name="table"/>.</summary>
    public static FieldCondition Of(OutputFactor f, OutputFactorTable table, BeamDataSet data)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(table);
        return Find(data, f.FieldXMm, f.FieldYMm, table.SsdMm);
    }

    /// <summary>The 10 × 10 cm² reference field of <paramref name="table"/>.</summary>
    public static FieldCondition Reference(OutputFactorTable table, BeamDataSet data)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Find(data, 100, 100, table.SsdMm);
    }

    private static FieldCondition Find(BeamDataSet data, double x, double y, double ssd) =>
        All(data).First(f => f.FieldXMm == x && f.FieldYMm == y && f.SsdMm == ssd);
}
