using System.Globalization;

namespace MeTAI.Cli.Commands;

/// <summary>Finds repository files (avatar configs) and parses list options.</summary>
internal static class CaseFiles
{
    /// <summary>
    /// <c>configs/avatars/NAME.json</c> under <c>METAI_HOME</c> (set by the <c>metai</c> wrapper), else the first
    /// directory holding it above the current directory or the program.
    /// </summary>
    public static string AvatarConfigPath(string caseName)
    {
        string relative = Path.Combine("configs", "avatars", caseName + ".json");
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("METAI_HOME") is { Length: > 0 } home)
        {
            roots.Add(home);
        }

        roots.Add(Directory.GetCurrentDirectory());
        roots.Add(AppContext.BaseDirectory);
        foreach (string root in roots)
        {
            for (string? dir = Path.GetFullPath(root); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                string candidate = Path.Combine(dir, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"No avatar config {relative} found (looked under METAI_HOME, the current directory and the program's directory); pass --avatar-config.");
    }

    /// <summary>Parses "1,2,3" into positive integers.</summary>
    public static int[] ParseInts(string text, string option)
    {
        string[] parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int n = 0; n < parts.Length; n++)
        {
            if (!int.TryParse(parts[n], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[n]) || values[n] <= 0)
            {
                throw new ArgumentException($"{option}: '{parts[n]}' is not a positive whole number.");
            }
        }

        if (values.Length == 0)
        {
            throw new ArgumentException($"{option}: give at least one value.");
        }

        return values;
    }

    /// <summary>Splits "A,B" into names (none for an empty text).</summary>
    public static string[] ParseNames(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
