using System.Text;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;

namespace MeTAI.Core.Trajectories;

/// <summary>
/// Reads and writes <see cref="Corridor"/> JSON, always in patient LPS millimetres:
/// <code>{ "points": [[x, y, z], …], "radiusMm": 3, "entryLps": [x, y, z], "targetLps": [x, y, z] }</code>
/// Unknown fields are ignored (so files may carry extra information). Errors name the file and the field.
/// </summary>
public static class CorridorJson
{
    /// <summary>The corridor as indented JSON text.</summary>
    /// <exception cref="InvalidOperationException">The corridor is not in <see cref="Corridor.PatientLpsMm"/>.</exception>
    public static string Serialize(Corridor corridor)
    {
        ArgumentNullException.ThrowIfNull(corridor);
        if (!corridor.IsPatientLps)
        {
            throw new InvalidOperationException($"Corridor JSON holds patient LPS mm; this corridor is in '{corridor.Frame}'.");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("points");
            writer.WriteStartArray();
            foreach (Vec3 p in corridor.PointsLps)
            {
                JsonFields.WriteVector(writer, p);
            }

            writer.WriteEndArray();
            writer.WriteNumber("radiusMm", corridor.RadiusMm);
            JsonFields.WriteVector(writer, "entryLps", corridor.EntryLps);
            JsonFields.WriteVector(writer, "targetLps", corridor.TargetLps);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Parses corridor JSON; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="TrajectoryFormatException">Bad JSON, a missing or mistyped field, or an invalid corridor.</exception>
    public static Corridor Parse(string json, string source = "corridor")
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument doc = JsonFields.Parse(json, source);
        JsonElement root = JsonFields.Object(doc.RootElement, source);
        JsonElement pointsElement = JsonFields.Array(JsonFields.Required(root, "points", "points", source), "points", source);
        var points = new Vec3[pointsElement.GetArrayLength()];
        for (int n = 0; n < points.Length; n++)
        {
            points[n] = JsonFields.Vector(pointsElement[n], $"points[{n}]", source);
        }

        double radius = JsonFields.Number(JsonFields.Required(root, "radiusMm", "radiusMm", source), "radiusMm", source);
        Vec3 entry = JsonFields.Vector(JsonFields.Required(root, "entryLps", "entryLps", source), "entryLps", source);
        Vec3 target = JsonFields.Vector(JsonFields.Required(root, "targetLps", "targetLps", source), "targetLps", source);
        try
        {
            return new Corridor(points, radius, entry, target);
        }
        catch (ArgumentException ex)
        {
            throw new TrajectoryFormatException(source, JsonFields.MessageOf(ex), ex);
        }
    }

    /// <summary>Loads a corridor file.</summary>
    /// <exception cref="TrajectoryFormatException">The file's content is not a valid corridor (message names file and field).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Corridor Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Writes a corridor file atomically (temporary file beside it, then rename).</summary>
    public static void Save(Corridor corridor, string path) => AtomicFile.WriteAllText(path, Serialize(corridor));
}
