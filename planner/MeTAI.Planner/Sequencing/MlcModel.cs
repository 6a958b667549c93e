namespace MeTAI.Planner.Sequencing;

/// <summary>
/// A multileaf collimator with leaves moving along X (MLCX): leaf pair k spans Y ∈ [<see cref="Boundaries"/>[k],
/// <see cref="Boundaries"/>[k + 1]] at the isocentre. The default is 80 pairs of 5 mm (±200 mm).
/// </summary>
public sealed class MlcModel
{
    /// <summary>An MLC with the given leaf boundaries (ascending, mm at the isocentre).</summary>
    public MlcModel(double[] boundaries)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        if (boundaries.Length < 2)
        {
            throw new ArgumentException("An MLC needs at least one leaf pair (two boundaries).", nameof(boundaries));
        }

        for (int k = 1; k < boundaries.Length; k++)
        {
            if (!(boundaries[k] > boundaries[k - 1]))
            {
                throw new ArgumentException("Leaf boundaries must increase.", nameof(boundaries));
            }
        }

        Boundaries = boundaries;
    }

    /// <summary>Leaf position boundaries, mm (pairs + 1 values).</summary>
    public double[] Boundaries { get; }

    /// <summary>Number of leaf pairs.</summary>
    public int Pairs => Boundaries.Length - 1;

    /// <summary><paramref name="pairs"/> leaves of <paramref name="leafWidthMm"/>, centred on Y = 0.</summary>
    public static MlcModel Uniform(double leafWidthMm = 5, int pairs = 80)
    {
        if (!(leafWidthMm > 0) || pairs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(leafWidthMm), "Leaf width must be positive and there must be at least one pair.");
        }

        var b = new double[pairs + 1];
        for (int k = 0; k <= pairs; k++)
        {
            b[k] = (k - pairs / 2.0) * leafWidthMm;
        }

        return new MlcModel(b);
    }
}
