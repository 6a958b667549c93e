using System.Text.Json;
using MeTAI.Core.Json;

namespace MeTAI.Cli.Commands;

/// <summary>JSON for everything the CLI prints or writes: the project's shared settings (<see cref="JsonDefaults"/>).</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options => JsonDefaults.Indented;

    public static string Serialize<T>(T value) => JsonDefaults.Serialize(value);
}
