using System.Globalization;

namespace MeTAI.Core.Phantoms;

/// <summary>A display colour, 8 bits per channel (as DICOM's ROI Display Color holds it).</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    /// <summary>The colour as DICOM writes ROI Display Color: <c>R\G\B</c>.</summary>
    public string ToDicomString() => string.Create(CultureInfo.InvariantCulture, $"{R}\\{G}\\{B}");
}
