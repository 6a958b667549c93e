using System.Globalization;
using System.Text;

namespace MeTAI.Service.Training;

/// <summary>
/// Training scores as CSV (RFC 4180: CRLF line ends, a field with a comma, a quote or a line break quoted, quotes
/// doubled), invariant culture: one row per finished attempt under <see cref="Header"/>.
/// </summary>
public static class TrainingCsv
{
    /// <summary>The header row, exactly.</summary>
    public const string Header = "utc,user,task,attempt,reached,timeS,pathLengthMm,minClearanceMm,peakForceN,corridorViolations,dimensionlessJerk,score";

    /// <summary>
    /// The CSV of <paramref name="attempts"/>, oldest first: <c>utc</c> is when the attempt started (ISO 8601, UTC, to
    /// the second), numbers are rounded to 3 decimals (the score to 1), <c>reached</c> is true or false.
    /// </summary>
    public static string Write(IEnumerable<TrainingAttemptRecord> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        var csv = new StringBuilder(Header.Length + 2 + 128);
        csv.Append(Header).Append("\r\n");
        foreach (TrainingAttemptRecord a in attempts)
        {
            Field(csv, a.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',');
            Field(csv, a.User).Append(',');
            Field(csv, a.Task).Append(',');
            Field(csv, a.Id).Append(',');
            csv.Append(a.Score.Reached ? "true" : "false").Append(',');
            Number(csv, a.Score.TimeS, 3).Append(',');
            Number(csv, a.Score.PathLengthMm, 3).Append(',');
            Number(csv, a.Score.MinClearanceMm, 3).Append(',');
            Number(csv, a.Score.PeakForceN, 3).Append(',');
            csv.Append(a.Score.CorridorViolations.ToString(CultureInfo.InvariantCulture)).Append(',');
            Number(csv, a.Score.DimensionlessJerk, 3).Append(',');
            Number(csv, a.Score.Score, 1).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>A field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (char c in text)
        {
            if (c is ',' or '"' or '\r' or '\n')
            {
                return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            }
        }

        return text;
    }

    private static StringBuilder Field(StringBuilder csv, string text) => csv.Append(Quote(text));

    // Rounded, and "0" rather than "-0" for a value that rounds to zero from below.
    private static StringBuilder Number(StringBuilder csv, double value, int decimals) =>
        csv.Append((Math.Round(value, decimals, MidpointRounding.AwayFromZero) + 0.0).ToString(decimals == 1 ? "0.#" : "0.###", CultureInfo.InvariantCulture));
}
