using System.Text;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;

namespace MeTAI.Core.Trajectories;

/// <summary>
/// Reads and writes <see cref="Trajectory"/> JSON, always in patient LPS millimetres:
/// <code>{ "samples": [ { "tSeconds": 0, "tipLps": [x, y, z], "direction": [dx, dy, dz] }, … ] }</code>
/// Unknown fields are ignored. Errors name the file and the field (e.g. <c>samples[3].tSeconds</c>).
/// </summary>
public static class TrajectoryJson
{
    /// <summary>The trajectory as indented JSON text.</summary>
    /// <exception cref="InvalidOperationException">The trajectory is not in <see cref="Corridor.PatientLpsMm"/>.</exception>
    public static string Serialize(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        if (trajectory.Frame != Corridor.PatientLpsMm)
        {
            throw new InvalidOperationException($"Trajectory JSON holds patient LPS mm; this trajectory is in '{trajectory.Frame}'.");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("samples");
            writer.WriteStartArray();
            foreach (TrajectorySample s in trajectory.Samples)
            {
                writer.WriteStartObject();
                writer.WriteNumber("tSeconds", s.TSeconds);
                JsonFields.WriteVector(writer, "tipLps", s.TipLps);
                JsonFields.WriteVector(writer, "direction", s.Direction);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Parses trajectory JSON; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="TrajectoryFormatException">Bad JSON, a missing or mistyped field, or an invalid trajectory.</exception>
    public static Trajectory Parse(string json, string source = "trajectory")
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument doc = JsonFields.Parse(json, source);
        JsonElement root = JsonFields.Object(doc.RootElement, source);
        JsonElement array = JsonFields.Array(JsonFields.Required(root, "samples", "samples", source), "samples", source);
        var samples = new TrajectorySample[array.GetArrayLength()];
        for (int n = 0; n < samples.Length; n++)
        {
            string path = $"samples[{n}]";
            JsonElement item = array[n];
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new TrajectoryFormatException(source, $"field '{path}' must be an object, got {JsonFields.Describe(item)}.");
            }

            double t = JsonFields.Number(JsonFields.Required(item, "tSeconds", path + ".tSeconds", source), path + ".tSeconds", source);
            Vec3 tip = JsonFields.Vector(JsonFields.Required(item, "tipLps", path + ".tipLps", source), path + ".tipLps", source);
            Vec3 dir = JsonFields.Vector(JsonFields.Required(item, "direction", path + ".direction", source), path + ".direction", source);
            samples[n] = new TrajectorySample(t, tip, dir);
        }

        try
        {
            return new Trajectory(samples);
        }
        catch (ArgumentException ex)
        {
            throw new TrajectoryFormatException(source, JsonFields.MessageOf(ex), ex);
        }
    }

    /// <summary>Loads a trajectory file.</summary>
    /// <exception cref="TrajectoryFormatException">The content is not a valid trajectory (message names file and field).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Trajectory Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Writes a trajectory file atomically (temporary file beside it, then rename).</summary>
    public static void Save(Trajectory trajectory, string path) => AtomicFile.WriteAllText(path, Serialize(trajectory));
}
