namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// Where the jaws and leaves of one beam (segment) stand, in mm at the isocentre plane in the beam-limiting-device
/// frame: jaws X1 &lt; X2, Y1 &lt; Y2; leaves of pair k from bank A (X1 side) <see cref="BankAMm"/>[k] to bank B
/// <see cref="BankBMm"/>[k] (equal positions: a closed pair). No leaves: the MLC is retracted.
/// </summary>
public sealed record CollimatorSettings
{
    /// <summary>X1 jaw, mm.</summary>
    public required double X1Mm { get; init; }

    /// <summary>X2 jaw, mm.</summary>
    public required double X2Mm { get; init; }

    /// <summary>Y1 jaw, mm.</summary>
    public required double Y1Mm { get; init; }

    /// <summary>Y2 jaw, mm.</summary>
    public required double Y2Mm { get; init; }

    /// <summary>Bank A leaf positions (one per pair), or null with the MLC retracted.</summary>
    public IReadOnlyList<double>? BankAMm { get; init; }

    /// <summary>Bank B leaf positions (one per pair), or null with the MLC retracted.</summary>
    public IReadOnlyList<double>? BankBMm { get; init; }

    /// <summary>A symmetric jaw field of <paramref name="xMm"/> × <paramref name="yMm"/>, leaves retracted.</summary>
    public static CollimatorSettings JawField(double xMm, double yMm) => new() { X1Mm = -xMm / 2, X2Mm = xMm / 2, Y1Mm = -yMm / 2, Y2Mm = yMm / 2 };

    /// <summary>Equivalent square of the jaw field (2XY / (X + Y)), mm.</summary>
    public double EquivalentSquareMm
    {
        get
        {
            double x = X2Mm - X1Mm, y = Y2Mm - Y1Mm;
            return x + y > 0 ? 2 * x * y / (x + y) : 0;
        }
    }

    /// <summary>Checks the jaws and, when given, that there is one leaf position per pair of <paramref name="mlc"/> with A ≤ B.</summary>
    public void Validate(MlcGeometry? mlc)
    {
        if (!(X2Mm > X1Mm) || !(Y2Mm > Y1Mm) || !double.IsFinite(X1Mm + X2Mm + Y1Mm + Y2Mm))
        {
            throw new ArgumentException(FormattableString.Invariant($"Jaws X {X1Mm}…{X2Mm} mm, Y {Y1Mm}…{Y2Mm} mm do not open a field."));
        }

        if (BankAMm is null && BankBMm is null)
        {
            return;
        }

        if (mlc is null)
        {
            throw new ArgumentException("Leaf positions were given but the beam model has no MLC.");
        }

        if (BankAMm is null || BankBMm is null || BankAMm.Count != mlc.Pairs || BankBMm.Count != mlc.Pairs)
        {
            throw new ArgumentException($"The beam model's MLC has {mlc.Pairs} leaf pairs; give that many positions for both banks.");
        }

        for (int k = 0; k < mlc.Pairs; k++)
        {
            if (!(BankAMm[k] <= BankBMm[k]))
            {
                throw new ArgumentException(FormattableString.Invariant($"Leaf pair {k + 1}: bank A {BankAMm[k]} mm is beyond bank B {BankBMm[k]} mm."));
            }
        }
    }
}
