using System.Globalization;

namespace MeTAI.Dosimetry.Commissioning;

/// <summary>Shared pieces of the tank-data readers: numbers with file/line errors and the checks every scan passes.</summary>
internal static class TankText
{
    public static string[] ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            throw new TankDataException(path, 0, "file not found");
        }

        return File.ReadAllLines(path);
    }

    public static double Number(string path, int line, string text, string what)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            throw new TankDataException(path, line, $"{what}: '{text.Trim()}' is not a number");
        }

        return v;
    }

    /// <summary>
    /// Checks the scan's conditions (field 1–400 mm, SSD 500–1500 mm, profile depth 0–400 mm) and samples (at least two,
    /// finite, non-negative, no repeated position), then returns it sorted by position (scans may run either way).
    /// </summary>
    public static MeasuredCurve Checked(MeasuredCurve c)
    {
        string f = c.File;
        int l = c.Line;
        if (!(c.FieldXMm >= 1 && c.FieldXMm <= 400 && c.FieldYMm >= 1 && c.FieldYMm <= 400))
        {
            throw new TankDataException(f, l, Inv($"field size {c.FieldXMm} x {c.FieldYMm} mm is outside 1–400 mm"));
        }

        if (!(c.SsdMm >= 500 && c.SsdMm <= 1500))
        {
            throw new TankDataException(f, l, Inv($"SSD {c.SsdMm} mm is outside 500–1500 mm (units are mm)"));
        }

        if (c.Kind != CurveKind.DepthDose && !(c.DepthMm is double d && d >= 0 && d <= 400))
        {
            throw new TankDataException(f, l, Inv($"profile depth {c.DepthMm} mm is missing or outside 0–400 mm"));
        }

        if (c.PositionMm.Length < 2)
        {
            throw new TankDataException(f, l, $"the scan has {c.PositionMm.Length} data points; at least 2 are needed");
        }

        int[] order = [.. Enumerable.Range(0, c.PositionMm.Length).OrderBy(i => c.PositionMm[i])];
        double[] x = [.. order.Select(i => c.PositionMm[i])];
        double[] v = [.. order.Select(i => c.Value[i])];
        for (int i = 0; i < x.Length; i++)
        {
            if (v[i] < 0)
            {
                throw new TankDataException(f, l, Inv($"negative value {v[i]} at position {x[i]} mm"));
            }

            if (i > 0 && x[i] == x[i - 1])
            {
                throw new TankDataException(f, l, Inv($"position {x[i]} mm appears twice"));
            }
        }

        if (c.Kind == CurveKind.DepthDose && x[0] < 0)
        {
            throw new TankDataException(f, l, Inv($"depth {x[0]} mm is above the water surface"));
        }

        if (v.Max() <= 0)
        {
            throw new TankDataException(f, l, "every value is zero");
        }

        return c with { PositionMm = x, Value = v };
    }

    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
