using System.Globalization;

namespace MeTAI.Dicom.Rt;

/// <summary>An ROI display colour (ROI Display Color, 3006,002A): red, green, blue, each 0–255.</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct RtColor(byte R, byte G, byte B)
{
    /// <summary>Text form <c>R\G\B</c>, as DICOM writes it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{R}\\{G}\\{B}");
}
