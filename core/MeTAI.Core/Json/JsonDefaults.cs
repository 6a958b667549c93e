using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeTAI.Core.Json;

/// <summary>
/// JSON settings shared by every file and printout the project writes for people and other tools (report.json,
/// summary.json, <c>--json</c> output): camelCase names, indented, nulls left out, invariant numbers, NaN and
/// infinities written as their names rather than failing.
/// </summary>
public static class JsonDefaults
{
    /// <summary>The shared options (read-only: make a copy with <c>new JsonSerializerOptions(JsonDefaults.Indented)</c> to change one).</summary>
    public static JsonSerializerOptions Indented { get; } = Create();

    /// <summary>Serialises <paramref name="value"/> with <see cref="Indented"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Indented);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
