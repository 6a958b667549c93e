using System.Text.Json;
using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.Beams;

/// <summary>Small helpers for reading beam JSON files with errors that name the file and field.</summary>
internal static class BeamFiles
{
    public static JsonDocument Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new MaterialDataException(path, "(file)", "file not found");
        }

        return Parse(path, File.ReadAllText(path));
    }

    /// <summary>Beam JSON text from <paramref name="source"/> (a file, or what the text came with); errors name the source.</summary>
    public static JsonDocument Parse(string source, string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new MaterialDataException(source, "(file)", "not valid JSON: " + ex.Message);
        }
    }

    public static double[] Array(string path, JsonElement parent, string key)
    {
        if (!parent.TryGetProperty(key, out JsonElement a) || a.ValueKind != JsonValueKind.Array)
        {
            throw new MaterialDataException(path, key, "missing or not an array");
        }

        var v = new double[a.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in a.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !double.IsFinite(e.GetDouble()))
            {
                throw new MaterialDataException(path, $"{key}[{i}]", "not a finite number");
            }

            v[i++] = e.GetDouble();
        }

        return v;
    }

    public static double Number(string path, JsonElement parent, string key)
    {
        if (!parent.TryGetProperty(key, out JsonElement e) || e.ValueKind != JsonValueKind.Number)
        {
            throw new MaterialDataException(path, key, "missing or not a number");
        }

        return e.GetDouble();
    }

    /// <summary>An optional object member (null when absent); anything but an object is an error naming <paramref name="field"/>.</summary>
    public static JsonElement? OptionalObject(string path, JsonElement parent, string key, string field)
    {
        if (!parent.TryGetProperty(key, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new MaterialDataException(path, field, "not an object");
        }

        return e;
    }

    /// <summary>A required number in [<paramref name="min"/>, <paramref name="max"/>]; errors name the full field path.</summary>
    public static double Ranged(string path, JsonElement parent, string prefix, string key, double min, double max, string unit)
    {
        string field = prefix.Length == 0 ? key : prefix + "." + key;
        if (!parent.TryGetProperty(key, out JsonElement e) || e.ValueKind != JsonValueKind.Number || !double.IsFinite(e.GetDouble()))
        {
            throw new MaterialDataException(path, field, "missing or not a number");
        }

        double v = e.GetDouble();
        if (v < min || v > max)
        {
            throw new MaterialDataException(path, field, FormattableString.Invariant($"{v} is outside the allowed range {min}–{max} {unit}"));
        }

        return v;
    }

    /// <summary>An optional number in range, or <paramref name="fallback"/> when absent.</summary>
    public static double RangedOr(string path, JsonElement parent, string prefix, string key, double min, double max, string unit, double fallback) =>
        parent.TryGetProperty(key, out _) ? Ranged(path, parent, prefix, key, min, max, unit) : fallback;

    /// <summary>A required array of finite numbers named by its full field path.</summary>
    public static double[] ArrayAt(string path, JsonElement parent, string prefix, string key)
    {
        string field = prefix.Length == 0 ? key : prefix + "." + key;
        if (!parent.TryGetProperty(key, out JsonElement a) || a.ValueKind != JsonValueKind.Array)
        {
            throw new MaterialDataException(path, field, "missing or not an array");
        }

        var v = new double[a.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in a.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !double.IsFinite(e.GetDouble()))
            {
                throw new MaterialDataException(path, $"{field}[{i}]", "not a finite number");
            }

            v[i++] = e.GetDouble();
        }

        return v;
    }
}
