namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// What the collimation lets through, as weighted rectangles in the isocentre plane (IEC beam-limiting-device frame,
/// mm). Jaws are one rectangle; an MLC aperture is one rectangle per open leaf pair (clipped by the jaws); a fluence
/// map is one rectangle per beamlet with its weight. Each history is tagged with the index of the rectangle it came
/// through (its beamlet).
/// </summary>
public sealed class Aperture
{
    /// <summary>An aperture from rectangles (at least one with positive weighted area).</summary>
    public Aperture(IReadOnlyList<ApertureRect> rectangles)
    {
        ArgumentNullException.ThrowIfNull(rectangles);
        double total = 0;
        foreach (ApertureRect r in rectangles)
        {
            if (!(r.Weight >= 0) || !double.IsFinite(r.X0Mm + r.X1Mm + r.Y0Mm + r.Y1Mm))
            {
                throw new ArgumentException("Aperture rectangles need finite coordinates and non-negative weights.");
            }

            total += r.AreaMm2 * r.Weight;
        }

        if (!(total > 0))
        {
            throw new ArgumentException("The aperture is closed (no open area with positive weight).");
        }

        Rectangles = rectangles;
    }

    /// <summary>The open rectangles (beamlets).</summary>
    public IReadOnlyList<ApertureRect> Rectangles { get; }

    /// <summary>Rectangular jaws: X from <paramref name="x1Mm"/> to <paramref name="x2Mm"/>, Y from <paramref name="y1Mm"/> to <paramref name="y2Mm"/> (X1, Y1 negative on the IEC side).</summary>
    public static Aperture Jaws(double x1Mm, double x2Mm, double y1Mm, double y2Mm) => new([new ApertureRect(x1Mm, x2Mm, y1Mm, y2Mm)]);

    /// <summary>A symmetric square or rectangular field of <paramref name="widthMm"/> × <paramref name="heightMm"/> at the isocentre.</summary>
    public static Aperture Field(double widthMm, double heightMm) => Jaws(-widthMm / 2, widthMm / 2, -heightMm / 2, heightMm / 2);

    /// <summary>
    /// An MLC aperture: leaf pair k spans Y in [<paramref name="leafBoundariesMm"/>[k], [k+1]] and is open in X from
    /// <paramref name="bankAMm"/>[k] to <paramref name="bankBMm"/>[k]; everything is clipped by the jaws.
    /// </summary>
    public static Aperture Mlc(double[] leafBoundariesMm, double[] bankAMm, double[] bankBMm, double x1Mm, double x2Mm, double y1Mm, double y2Mm)
    {
        ArgumentNullException.ThrowIfNull(leafBoundariesMm);
        ArgumentNullException.ThrowIfNull(bankAMm);
        ArgumentNullException.ThrowIfNull(bankBMm);
        if (bankAMm.Length != leafBoundariesMm.Length - 1 || bankBMm.Length != bankAMm.Length)
        {
            throw new ArgumentException("MLC needs n + 1 leaf boundaries and n positions per bank.");
        }

        var rects = new List<ApertureRect>();
        for (int k = 0; k < bankAMm.Length; k++)
        {
            double y0 = Math.Max(leafBoundariesMm[k], y1Mm), yb = Math.Min(leafBoundariesMm[k + 1], y2Mm);
            double x0 = Math.Max(bankAMm[k], x1Mm), xb = Math.Min(bankBMm[k], x2Mm);
            if (yb > y0 && xb > x0)
            {
                rects.Add(new ApertureRect(x0, xb, y0, yb));
            }
        }

        return new Aperture(rects);
    }

    /// <summary>
    /// A fluence map: <paramref name="nx"/> × <paramref name="ny"/> beamlets of <paramref name="beamletXMm"/> ×
    /// <paramref name="beamletYMm"/> whose lower-left corner is at (<paramref name="x0Mm"/>, <paramref name="y0Mm"/>);
    /// <paramref name="weights"/>[i + nx·j] is the relative fluence of beamlet (i, j). Beamlet index = i + nx·j only
    /// when every weight is positive (zero-weight beamlets are dropped).
    /// </summary>
    public static Aperture FluenceMap(double x0Mm, double y0Mm, double beamletXMm, double beamletYMm, int nx, int ny, double[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != nx * ny)
        {
            throw new ArgumentException($"Fluence map needs {nx * ny} weights, got {weights.Length}.", nameof(weights));
        }

        var rects = new List<ApertureRect>();
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                double w = weights[i + nx * j];
                if (w > 0)
                {
                    rects.Add(new ApertureRect(x0Mm + i * beamletXMm, x0Mm + (i + 1) * beamletXMm, y0Mm + j * beamletYMm, y0Mm + (j + 1) * beamletYMm, w));
                }
            }
        }

        return new Aperture(rects);
    }

    /// <summary>A single beamlet of <paramref name="sizeXMm"/> × <paramref name="sizeYMm"/> centred at (<paramref name="centerXMm"/>, <paramref name="centerYMm"/>).</summary>
    public static Aperture Beamlet(double centerXMm, double centerYMm, double sizeXMm = 5, double sizeYMm = 5) =>
        Jaws(centerXMm - sizeXMm / 2, centerXMm + sizeXMm / 2, centerYMm - sizeYMm / 2, centerYMm + sizeYMm / 2);
}
