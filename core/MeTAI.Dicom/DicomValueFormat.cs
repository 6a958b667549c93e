using System.Globalization;

namespace MeTAI.Dicom;

/// <summary>Text formats of numeric string VRs: DS (≤ 16 bytes) and IS (≤ 12 bytes), PS3.5 §6.2.</summary>
public static class DicomValueFormat
{
    /// <summary>
    /// The most precise decimal string of at most 16 characters for <paramref name="value"/> (round-trip when it fits,
    /// else fewer significant digits, switching to exponent form for very large or small magnitudes).
    /// </summary>
    /// <exception cref="ArgumentException">For NaN or infinity, which DS cannot hold.</exception>
    public static string FormatDS(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"Decimal String cannot hold {value}.", nameof(value));
        }

        if (value == 0)
        {
            return "0";
        }

        string r = value.ToString("R", CultureInfo.InvariantCulture);
        if (r.Length <= 16)
        {
            return r;
        }

        for (int digits = 15; digits >= 1; digits--)
        {
            string g = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            // Rounding up near ±double.MaxValue can leave the finite range ("1.797693135E+308" reads back as ∞).
            if (g.Length <= 16 && double.IsFinite(double.Parse(g, NumberStyles.Float, CultureInfo.InvariantCulture)))
            {
                return g;
            }
        }

        return value.ToString("0.#####E+0", CultureInfo.InvariantCulture);
    }

    /// <summary>Integer String text.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the IS range −2³¹ … 2³¹−1.</exception>
    public static string FormatIS(long value)
    {
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Integer String holds 32-bit signed integers.");
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Parses one DS value (leading/trailing spaces allowed).</summary>
    public static bool TryParseDS(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses one IS value (leading/trailing spaces allowed; a sign allowed).</summary>
    public static bool TryParseIS(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value);
}
