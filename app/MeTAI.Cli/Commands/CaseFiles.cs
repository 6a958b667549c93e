using System.Globalization;
using MeTAI.Core.IO;

namespace MeTAI.Cli.Commands;

/// <summary>Finds avatar configs and parses list options.</summary>
internal static class CaseFiles
{
    /// <summary><c>configs/avatars/NAME.json</c> (<see cref="ConfigFiles"/>); pass <c>--avatar-config</c> for another.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static string AvatarConfigPath(string caseName) => ConfigFiles.Existing("avatar config for " + caseName + " (pass --avatar-config)", "avatars", caseName + ".json");

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
