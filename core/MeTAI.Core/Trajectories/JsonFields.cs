using System.Globalization;
using System.Text.Json;
using MeTAI.Core.Geometry;

namespace MeTAI.Core.Trajectories;

/// <summary>Reads typed fields out of a <see cref="JsonElement"/> with errors that name the source and the field path.</summary>
internal static class JsonFields
{
    public static JsonDocument Parse(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new TrajectoryFormatException(source, $"not valid JSON ({ex.Message})", ex);
        }
    }

    public static JsonElement Object(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TrajectoryFormatException(source, $"the top level must be a JSON object, got {root.ValueKind}.");
        }

        return root;
    }

    public static JsonElement Required(JsonElement obj, string name, string path, string source)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new TrajectoryFormatException(source, $"missing field '{path}'.");
        }

        return value;
    }

    public static double Number(JsonElement element, string path, string source)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out double value) || !double.IsFinite(value))
        {
            throw new TrajectoryFormatException(source, $"field '{path}' must be a finite number, got {Describe(element)}.");
        }

        return value;
    }

    public static Vec3 Vector(JsonElement element, string path, string source)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 3)
        {
            throw new TrajectoryFormatException(source, $"field '{path}' must be an array of 3 numbers [x, y, z], got {Describe(element)}.");
        }

        return new Vec3(
            Number(element[0], path + "[0]", source),
            Number(element[1], path + "[1]", source),
            Number(element[2], path + "[2]", source));
    }

    public static JsonElement Array(JsonElement element, string path, string source)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new TrajectoryFormatException(source, $"field '{path}' must be an array, got {Describe(element)}.");
        }

        return element;
    }

    public static void WriteVector(Utf8JsonWriter writer, string name, Vec3 v)
    {
        writer.WritePropertyName(name);
        WriteVector(writer, v);
    }

    public static void WriteVector(Utf8JsonWriter writer, Vec3 v)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(v.X);
        writer.WriteNumberValue(v.Y);
        writer.WriteNumberValue(v.Z);
        writer.WriteEndArray();
    }

    /// <summary>An argument exception's message without the " (Parameter 'x')" suffix.</summary>
    public static string MessageOf(ArgumentException ex) =>
        ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.String => element.GetRawText(),
        JsonValueKind.Array => string.Create(CultureInfo.InvariantCulture, $"an array of {element.GetArrayLength()}"),
        _ => element.ValueKind.ToString().ToLowerInvariant(),
    };
}
