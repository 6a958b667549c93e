namespace MeTAI.Planner.Evaluation;

/// <summary>
/// A dose–volume histogram of one structure on bins of <see cref="BinGy"/>: <see cref="Differential"/>[b] is the
/// percentage of the volume with dose in [b·Δ, (b+1)·Δ); <see cref="Cumulative"/>[b] the percentage with dose ≥ b·Δ
/// (so Cumulative[0] = 100).
/// </summary>
public sealed class Dvh
{
    private Dvh(string name, double binGy, double[] differential, double[] cumulative, double volumeCc)
    {
        Name = name;
        BinGy = binGy;
        Differential = differential;
        Cumulative = cumulative;
        VolumeCc = volumeCc;
    }

    /// <summary>Structure name.</summary>
    public string Name { get; }

    /// <summary>Bin width, Gy.</summary>
    public double BinGy { get; }

    /// <summary>Percent of volume per bin.</summary>
    public double[] Differential { get; }

    /// <summary>Percent of volume at or above each bin's lower edge.</summary>
    public double[] Cumulative { get; }

    /// <summary>Structure volume, cm³.</summary>
    public double VolumeCc { get; }

    /// <summary>Lower edge of bin <paramref name="b"/>, Gy.</summary>
    public double DoseGy(int b) => b * BinGy;

    /// <summary>The DVH of <paramref name="dose"/> with bins of <paramref name="binGy"/> up to at least its maximum.</summary>
    public static Dvh From(StructureDose dose, double binGy)
    {
        ArgumentNullException.ThrowIfNull(dose);
        if (!(binGy > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(binGy), binGy, "Bin width must be positive.");
        }

        int bins = (int)Math.Floor(dose.MaxGy / binGy) + 2;
        var diff = new double[bins];
        double per = dose.Count > 0 ? 100.0 / dose.Count : 0;
        foreach (float d in dose.Descending)
        {
            int b = Math.Clamp((int)Math.Floor(Math.Max(0, d) / binGy), 0, bins - 1);
            diff[b] += per;
        }

        var cum = new double[bins];
        double acc = 0;
        for (int b = bins - 1; b >= 0; b--)
        {
            acc += diff[b];
            cum[b] = acc;
        }

        return new Dvh(dose.Name, binGy, diff, cum, dose.VolumeCc);
    }
}
