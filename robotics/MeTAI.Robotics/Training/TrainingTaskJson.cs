using System.Globalization;
using System.Text.Json;
using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Training;

/// <summary>
/// Reads training tasks from <c>configs/training/*.json</c>:
/// <code>
/// { "id": "reach-target", "name": "Reach the target", "description": "…",
///   "targetMm": [x, y, z], "toleranceMm": 3,
///   "vessel": { "aMm": [x, y, z], "bMm": [x, y, z], "radiusMm": 3 },
///   "timeLimitS": 60 }
/// </code>
/// Positions are millimetres relative to the simulated arm's home tool tip, along the robot base frame's axes. A bad
/// file is a <see cref="FormatException"/> whose message starts with the file and names the field.
/// </summary>
public static class TrainingTaskJson
{
    /// <summary>The folder under <c>configs/</c> that holds the tasks.</summary>
    public const string Folder = "training";

    private static readonly string[] Fields = ["id", "name", "description", "targetMm", "toleranceMm", "vessel", "timeLimitS"];
    private static readonly string[] VesselFields = ["aMm", "bMm", "radiusMm"];
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Loads one task file.</summary>
    /// <exception cref="FormatException">Bad JSON or a missing or invalid field (the message names the file and the field).</exception>
    public static TrainingTask Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Every <c>*.json</c> task in <paramref name="directory"/>, in file-name order; ids must be unique.</summary>
    /// <exception cref="FormatException">A bad file, or an id used twice.</exception>
    public static IReadOnlyList<TrainingTask> LoadAll(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string[] files = Directory.GetFiles(directory, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        var tasks = new List<TrainingTask>(files.Length);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            TrainingTask task = Load(file);
            if (!seen.TryAdd(task.Id, file))
            {
                throw Error(file, "id", $"'{task.Id}' is already the id of {seen[task.Id]}");
            }

            tasks.Add(task);
        }

        return tasks;
    }

    /// <summary>Parses a task; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="FormatException">Bad JSON or a missing or invalid field (the message names the source and the field).</exception>
    public static TrainingTask Parse(string json, string source = "training task")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON ({ex.Message})", ex);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source}: the top level must be a JSON object, got {root.ValueKind}.");
            }

            CheckFields(root, Fields, "", source);
            string id = Text(root, "id", source);
            if (!IsValidId(id))
            {
                throw Error(source, "id", $"'{id}' must be 1-64 lower-case letters, digits and '-', starting with a letter or digit");
            }

            Vec3 target = Vector(root, "targetMm", "targetMm", source);
            double tolerance = Number(root, "toleranceMm", "toleranceMm", source, 0, 50);
            if (!root.TryGetProperty("vessel", out JsonElement vessel) || vessel.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, "vessel", "is missing or not an object {aMm, bMm, radiusMm}");
            }

            CheckFields(vessel, VesselFields, "vessel.", source);
            var capsule = new TrainingCapsule(Vector(vessel, "aMm", "vessel.aMm", source), Vector(vessel, "bMm", "vessel.bMm", source),
                Number(vessel, "radiusMm", "vessel.radiusMm", source, 0, 50));
            if (target.Length <= tolerance)
            {
                throw Error(source, "targetMm", $"lies within toleranceMm ({tolerance} mm) of the start (the home tool tip)");
            }

            if (capsule.SurfaceDistance(target) <= tolerance)
            {
                throw Error(source, "vessel", "reaches the target: the target and its tolerance must lie outside the vessel");
            }

            if (capsule.SurfaceDistance(Vec3.Zero) <= 0)
            {
                throw Error(source, "vessel", "encloses the start (the home tool tip, [0, 0, 0])");
            }

            return new TrainingTask
            {
                Id = id,
                Name = Text(root, "name", source),
                Description = root.TryGetProperty("description", out JsonElement d) ? TextOf(d, "description", source) : "",
                TargetMm = target,
                ToleranceMm = tolerance,
                VesselMm = capsule,
                TimeLimitS = Number(root, "timeLimitS", "timeLimitS", source, 0, 3600),
            };
        }
    }

    /// <summary>True when <paramref name="id"/> is 1–64 lower-case ASCII letters, digits and '-', not starting with '-'.</summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64 || id[0] == '-')
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckFields(JsonElement obj, string[] known, string prefix, string source)
    {
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            if (Array.IndexOf(known, p.Name) < 0)
            {
                throw Error(source, prefix + p.Name, $"is not a field here (fields: {string.Join(", ", known)})");
            }
        }
    }

    private static string Text(JsonElement obj, string name, string source)
    {
        if (!obj.TryGetProperty(name, out JsonElement e))
        {
            throw Error(source, name, "is missing");
        }

        string text = TextOf(e, name, source);
        return text.Trim().Length > 0 ? text : throw Error(source, name, "must not be empty");
    }

    private static string TextOf(JsonElement e, string field, string source) =>
        e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : throw Error(source, field, $"must be a string, got {e.ValueKind}");

    // A number in (min, max].
    private static double Number(JsonElement obj, string name, string field, string source, double min, double max)
    {
        if (!obj.TryGetProperty(name, out JsonElement e))
        {
            throw Error(source, field, "is missing");
        }

        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v) || !double.IsFinite(v))
        {
            throw Error(source, field, $"must be a finite number, got {Describe(e)}");
        }

        return v > min && v <= max ? v : throw Error(source, field, string.Create(CultureInfo.InvariantCulture, $"must be above {min} and at most {max}, got {v}"));
    }

    private static Vec3 Vector(JsonElement obj, string name, string field, string source)
    {
        if (!obj.TryGetProperty(name, out JsonElement e))
        {
            throw Error(source, field, "is missing");
        }

        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 3)
        {
            throw Error(source, field, $"must be an array of 3 numbers [x, y, z] (mm), got {Describe(e)}");
        }

        return new Vec3(Component(e, 0, field, source), Component(e, 1, field, source), Component(e, 2, field, source));
    }

    private static double Component(JsonElement array, int index, string field, string source)
    {
        JsonElement e = array[index];
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v) || !double.IsFinite(v))
        {
            throw Error(source, string.Create(CultureInfo.InvariantCulture, $"{field}[{index}]"), $"must be a finite number, got {Describe(e)}");
        }

        return v;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.String => e.GetRawText(),
        JsonValueKind.Array => string.Create(CultureInfo.InvariantCulture, $"an array of {e.GetArrayLength()}"),
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };

    private static FormatException Error(string source, string field, string problem) => new($"{source}: field '{field}' {problem}.");
}
