namespace MeTAI.Cli.Commands;

/// <summary>Turns expected failures (bad files, bad arguments) into one clear line on stderr and exit code 1.</summary>
internal static class CommandErrors
{
    /// <summary>Runs <paramref name="body"/>; known errors print "metai: message" and give 1.</summary>
    public static int Guard(TextWriter stderr, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException
            or FormatException or KeyNotFoundException or MeTAI.Dicom.DicomFormatException or System.Text.Json.JsonException)
        {
            stderr.WriteLine($"metai: {ex.Message}");
            return 1;
        }
    }
}
