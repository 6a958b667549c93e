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
        catch (Exception ex) when (IsExpected(ex))
        {
            stderr.WriteLine($"metai: {ex.Message}");
            return 1;
        }
    }

    /// <summary>As <see cref="Guard"/> for a verb that runs asynchronously (so that Ctrl+C and SIGTERM reach its token).</summary>
    public static async Task<int> GuardAsync(TextWriter stderr, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            await stderr.WriteLineAsync($"metai: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static bool IsExpected(Exception ex) => ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException
        or FormatException or KeyNotFoundException or MeTAI.Dicom.DicomFormatException or System.Text.Json.JsonException;
}
