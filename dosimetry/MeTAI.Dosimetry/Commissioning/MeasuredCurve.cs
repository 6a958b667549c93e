namespace MeTAI.Dosimetry.Commissioning;

/// <summary>
/// One measured water-tank scan: its kind, field (jaw) size at the isocentre plane, SSD, the depth of a profile, and
/// (position, value) samples sorted by position (values in the file's unit; comparisons normalise them), with the file
/// and line it came from.
/// </summary>
public sealed record MeasuredCurve
{
    /// <summary>Depth dose or profile.</summary>
    public required CurveKind Kind { get; init; }

    /// <summary>Field size along X (crossline) at the isocentre plane, mm.</summary>
    public required double FieldXMm { get; init; }

    /// <summary>Field size along Y (inline) at the isocentre plane, mm.</summary>
    public required double FieldYMm { get; init; }

    /// <summary>Source–surface distance, mm.</summary>
    public required double SsdMm { get; init; }

    /// <summary>Depth of a profile, mm; null for a depth dose.</summary>
    public double? DepthMm { get; init; }

    /// <summary>Depths (depth dose) or off-axis positions (profiles), mm, strictly ascending.</summary>
    public required double[] PositionMm { get; init; }

    /// <summary>Measured value at each position (any unit; relative).</summary>
    public required double[] Value { get; init; }

    /// <summary>The detector as the file names it, or empty.</summary>
    public string Detector { get; init; } = "";

    /// <summary>File the scan came from.</summary>
    public required string File { get; init; }

    /// <summary>1-based line where the scan starts in <see cref="File"/>.</summary>
    public required int Line { get; init; }

    /// <summary>A short unique label such as <c>pdd-10x10</c> or <c>crossline-10x10-d100</c> (used for PNG names).</summary>
    public string Label => Kind switch
    {
        CurveKind.DepthDose => $"pdd-{Cm(FieldXMm)}x{Cm(FieldYMm)}-ssd{Cm(SsdMm)}",
        CurveKind.CrosslineProfile => $"crossline-{Cm(FieldXMm)}x{Cm(FieldYMm)}-ssd{Cm(SsdMm)}-d{DepthMm:0.#}mm",
        _ => $"inline-{Cm(FieldXMm)}x{Cm(FieldYMm)}-ssd{Cm(SsdMm)}-d{DepthMm:0.#}mm",
    };

    private static string Cm(double mm) => (mm / 10).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
