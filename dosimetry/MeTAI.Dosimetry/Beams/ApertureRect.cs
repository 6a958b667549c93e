namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// One open rectangle of an aperture in the isocentre plane, in the IEC beam-limiting-device frame (mm): X along
/// the X jaws, Y along the Y jaws/leaf travel normal. <see cref="Weight"/> is the relative fluence (per unit area).
/// </summary>
public readonly record struct ApertureRect(double X0Mm, double X1Mm, double Y0Mm, double Y1Mm, double Weight = 1.0)
{
    /// <summary>Area in mm².</summary>
    public double AreaMm2 => Math.Max(0, X1Mm - X0Mm) * Math.Max(0, Y1Mm - Y0Mm);
}
