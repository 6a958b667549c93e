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

        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new MaterialDataException(path, "(file)", "not valid JSON: " + ex.Message);
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
}
