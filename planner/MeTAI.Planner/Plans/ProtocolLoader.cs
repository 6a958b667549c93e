using System.Text.Json;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Optimization.Objectives;

namespace MeTAI.Planner.Plans;

/// <summary>
/// Reads protocol JSON files (format in docs/planning.md) and checks them against a case. Errors name the file and
/// the field; a protocol naming a structure the case lacks lists the structures the case has.
/// </summary>
public static class ProtocolLoader
{
    /// <summary>The protocol files in <paramref name="directory"/> (names without .json).</summary>
    public static IReadOnlyList<string> Available(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory, "*.json").Select(p => System.IO.Path.GetFileNameWithoutExtension(p)!).Order(StringComparer.Ordinal)] : [];

    /// <summary>Loads a protocol file.</summary>
    /// <exception cref="FileNotFoundException">No such file (the message lists the protocols next to it).</exception>
    /// <exception cref="ArgumentException">A field is missing or wrong (file and field named).</exception>
    public static Protocol Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            string dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
            IReadOnlyList<string> there = Available(dir);
            throw new FileNotFoundException($"Protocol file {path} does not exist{(there.Count > 0 ? $"; protocols in {dir}: {string.Join(", ", there)}" : string.Empty)}.", path);
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Parse(doc.RootElement, path);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{path}: not valid JSON ({ex.Message}).", ex);
        }
    }

    /// <summary>Parses a protocol from JSON text (<paramref name="source"/> names it in errors).</summary>
    public static Protocol Parse(string json, string source = "protocol")
    {
        using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return Parse(doc.RootElement, source);
    }

    /// <summary>
    /// Checks that every structure the protocol names exists in <paramref name="plan"/> (rings are made from the case's
    /// structures, so their own names count once made).
    /// </summary>
    /// <exception cref="KeyNotFoundException">A structure is missing; the message lists the case's structures.</exception>
    public static void CheckStructures(Protocol protocol, PlanCase plan)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(plan);
        var ringNames = new HashSet<string>(protocol.Rings.Select(r => r.Name), StringComparer.OrdinalIgnoreCase);
        var missing = protocol.ReferencedStructures().Where(s => !ringNames.Contains(s) && !plan.TryGetStructure(s, out _)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count > 0)
        {
            throw new KeyNotFoundException(
                $"Protocol '{protocol.Name}'{(protocol.Path.Length > 0 ? $" ({protocol.Path})" : string.Empty)} names structure{(missing.Count > 1 ? "s" : string.Empty)} " +
                $"{string.Join(", ", missing.Select(m => $"'{m}'"))} that case '{plan.Name}' does not have. Structures: {plan.StructureNames()}.");
        }
    }

    private static Protocol Parse(JsonElement root, string src)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error(src, "(root)", "must be an object");
        }

        // A misspelt field ("priorty") must not silently fall back to a default.
        KnownFields(root, src, string.Empty, "name", "description", "prescription", "beams", "rings", "objectives", "goals", "normalization", "sequencing");
        Prescription prescription = ParsePrescription(root, src);
        BeamsSection beams = ParseBeams(root, src);
        List<RingSpec> rings = ParseRings(root, src);
        List<ObjectiveSpec> objectives = ParseObjectives(root, src, prescription);
        List<GoalSpec> goals = ParseGoals(root, src);
        NormalizationSpec? norm = ParseNormalization(root, src);
        (int levels, double minMu) = ParseSequencing(root, src);
        return new Protocol
        {
            Name = root.TryGetProperty("name", out JsonElement nm) && nm.ValueKind == JsonValueKind.String ? nm.GetString()! : System.IO.Path.GetFileNameWithoutExtension(src),
            Path = File.Exists(src) ? System.IO.Path.GetFullPath(src) : string.Empty,
            Description = root.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : string.Empty,
            Prescription = prescription,
            BeamCount = beams.Count,
            StartGantryDeg = beams.StartDeg,
            GantryDeg = beams.GantryDeg,
            BeamletMm = beams.BeamletMm,
            BeamletMarginMm = beams.MarginMm,
            Rings = rings,
            Objectives = objectives,
            Goals = goals,
            Normalization = norm,
            SequencingLevels = levels,
            MinSegmentMu = minMu,
        };
    }

    private static Prescription ParsePrescription(JsonElement root, string src)
    {
        JsonElement rx = Required(root, "prescription", src, JsonValueKind.Object);
        KnownFields(rx, src, "prescription.", "target", "doseGy", "fractions");
        var prescription = new Prescription(String(rx, "target", src, "prescription.target"), Number(rx, "doseGy", src, "prescription.doseGy"),
            (int)Number(rx, "fractions", src, "prescription.fractions"));
        try
        {
            prescription.Validate();
        }
        catch (ArgumentException ex)
        {
            throw Error(src, "prescription", ex.Message);
        }

        return prescription;
    }

    /// <summary>The <c>beams</c> section: 7 equi-spaced beams from 0°, 5 mm beamlets with a 5 mm margin unless it says otherwise.</summary>
    private readonly record struct BeamsSection(int Count, double StartDeg, List<double> GantryDeg, double BeamletMm, double MarginMm);

    private static BeamsSection ParseBeams(JsonElement root, string src)
    {
        int beamCount = 7;
        double start = 0, beamletMm = 5, marginMm = 5;
        var gantry = new List<double>();
        if (root.TryGetProperty("beams", out JsonElement beams))
        {
            KnownFields(beams, src, "beams.", "count", "startDeg", "gantryDeg", "beamletMm", "marginMm");
            if (beams.TryGetProperty("count", out _))
            {
                beamCount = (int)Number(beams, "count", src, "beams.count");
            }

            if (beams.TryGetProperty("startDeg", out _))
            {
                start = Number(beams, "startDeg", src, "beams.startDeg");
            }

            if (beams.TryGetProperty("gantryDeg", out JsonElement ga))
            {
                if (ga.ValueKind != JsonValueKind.Array)
                {
                    throw Error(src, "beams.gantryDeg", "must be a list of angles");
                }

                foreach (JsonElement a in ga.EnumerateArray())
                {
                    gantry.Add(a.ValueKind == JsonValueKind.Number ? a.GetDouble() : throw Error(src, "beams.gantryDeg", "angles must be numbers"));
                }
            }

            if (beams.TryGetProperty("beamletMm", out _))
            {
                beamletMm = Number(beams, "beamletMm", src, "beams.beamletMm");
            }

            if (beams.TryGetProperty("marginMm", out _))
            {
                marginMm = Number(beams, "marginMm", src, "beams.marginMm");
            }
        }

        if (beamCount < 1 || beamCount > 99 || !(beamletMm > 0) || marginMm < 0)
        {
            throw Error(src, "beams", "count must be 1–99, beamletMm positive, marginMm non-negative");
        }

        return new BeamsSection(beamCount, start, gantry, beamletMm, marginMm);
    }

    private static List<RingSpec> ParseRings(JsonElement root, string src)
    {
        var rings = new List<RingSpec>();
        if (root.TryGetProperty("rings", out JsonElement ringList))
        {
            int n = 0;
            foreach (JsonElement r in Array(ringList, src, "rings"))
            {
                string f = $"rings[{n++}]";
                KnownFields(r, src, f + ".", "name", "around", "innerMm", "outerMm");
                rings.Add(new RingSpec(String(r, "name", src, f + ".name"), String(r, "around", src, f + ".around"),
                    Number(r, "innerMm", src, f + ".innerMm"), Number(r, "outerMm", src, f + ".outerMm")));
            }
        }

        return rings;
    }

    private static List<ObjectiveSpec> ParseObjectives(JsonElement root, string src, Prescription prescription)
    {
        var objectives = new List<ObjectiveSpec>();
        int k = 0;
        foreach (JsonElement o in Array(Required(root, "objectives", src, JsonValueKind.Array), src, "objectives"))
        {
            objectives.Add(ParseObjective(o, src, $"objectives[{k++}]", prescription));
        }

        if (objectives.Count == 0)
        {
            throw Error(src, "objectives", "needs at least one objective");
        }

        return objectives;
    }

    private static ObjectiveSpec ParseObjective(JsonElement o, string src, string f, Prescription prescription)
    {
        KnownFields(o, src, f + ".", "structure", "type", "dosePercent", "doseGy", "weight", "priority", "volumePercent", "exponent");
        string type = String(o, "type", src, f + ".type");
        if (!ObjectiveSpec.Types.Contains(type))
        {
            throw Error(src, f + ".type", $"'{type}' is not an objective type ({string.Join(", ", ObjectiveSpec.Types)})");
        }

        double dose = o.TryGetProperty("dosePercent", out _)
            ? Number(o, "dosePercent", src, f + ".dosePercent") / 100 * prescription.DoseGy
            : Number(o, "doseGy", src, f + ".doseGy (or dosePercent)");
        var spec = new ObjectiveSpec
        {
            Structure = String(o, "structure", src, f + ".structure"),
            Type = type,
            DoseGy = dose,
            Weight = Number(o, "weight", src, f + ".weight"),
            Priority = o.TryGetProperty("priority", out _) ? (int)Number(o, "priority", src, f + ".priority") : 2,
            VolumePercent = o.TryGetProperty("volumePercent", out _) ? Number(o, "volumePercent", src, f + ".volumePercent") : null,
            Exponent = o.TryGetProperty("exponent", out _) ? Number(o, "exponent", src, f + ".exponent") : null,
        };
        if (type is "minDvh" or "maxDvh" && spec.VolumePercent is null)
        {
            throw Error(src, f + ".volumePercent", $"is required for {type}");
        }

        if (type is "minEud" or "maxEud" && spec.Exponent is null)
        {
            throw Error(src, f + ".exponent", $"is required for {type}");
        }

        return spec;
    }

    private static List<GoalSpec> ParseGoals(JsonElement root, string src)
    {
        var goals = new List<GoalSpec>();
        if (!root.TryGetProperty("goals", out JsonElement goalList))
        {
            return goals;
        }

        int n = 0;
        foreach (JsonElement g in Array(goalList, src, "goals"))
        {
            string f = $"goals[{n++}]";
            KnownFields(g, src, f + ".", "structure", "metric", "comparison", "value", "unit", "priority");
            var goal = new GoalSpec
            {
                Structure = String(g, "structure", src, f + ".structure"),
                Metric = String(g, "metric", src, f + ".metric"),
                Comparison = String(g, "comparison", src, f + ".comparison"),
                Value = Number(g, "value", src, f + ".value"),
                Unit = g.TryGetProperty("unit", out _) ? String(g, "unit", src, f + ".unit") : "Gy",
                Priority = g.TryGetProperty("priority", out _) ? (int)Number(g, "priority", src, f + ".priority") : 1,
            };
            try
            {
                goal.Validate();
            }
            catch (ArgumentException ex)
            {
                throw Error(src, f, ex.Message);
            }

            goals.Add(goal);
        }

        return goals;
    }

    private static NormalizationSpec? ParseNormalization(JsonElement root, string src)
    {
        if (!root.TryGetProperty("normalization", out JsonElement nz) || nz.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        KnownFields(nz, src, "normalization.", "structure", "metric", "percent");
        var norm = new NormalizationSpec(String(nz, "structure", src, "normalization.structure"), String(nz, "metric", src, "normalization.metric"),
            Number(nz, "percent", src, "normalization.percent"));
        try
        {
            _ = DoseMetrics.Parse(norm.Metric);
        }
        catch (ArgumentException ex)
        {
            throw Error(src, "normalization.metric", ex.Message);
        }

        return norm;
    }

    private static (int Levels, double MinSegmentMu) ParseSequencing(JsonElement root, string src)
    {
        int levels = 10;
        double minMu = 2;
        if (root.TryGetProperty("sequencing", out JsonElement seq))
        {
            KnownFields(seq, src, "sequencing.", "levels", "minSegmentMu");
            if (seq.TryGetProperty("levels", out _))
            {
                levels = (int)Number(seq, "levels", src, "sequencing.levels");
            }

            if (seq.TryGetProperty("minSegmentMu", out _))
            {
                minMu = Number(seq, "minSegmentMu", src, "sequencing.minSegmentMu");
            }
        }

        if (levels < 1 || minMu < 0)
        {
            throw Error(src, "sequencing", "levels must be ≥ 1 and minSegmentMu ≥ 0");
        }

        return (levels, minMu);
    }

    private static void KnownFields(JsonElement e, string src, string prefix, params string[] known)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Error(src, prefix.Length == 0 ? "(root)" : prefix.TrimEnd('.'), "must be an object");
        }

        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (!known.Contains(p.Name, StringComparer.Ordinal))
            {
                throw Error(src, prefix + p.Name, $"is not a known field (known here: {string.Join(", ", known)})");
            }
        }
    }

    private static JsonElement Required(JsonElement e, string name, string src, JsonValueKind kind)
    {
        if (!e.TryGetProperty(name, out JsonElement v))
        {
            throw Error(src, name, "is missing");
        }

        if (v.ValueKind != kind)
        {
            throw Error(src, name, $"must be {(kind == JsonValueKind.Array ? "a list" : "an object")}");
        }

        return v;
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement e, string src, string field) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw Error(src, field, "must be a list");

    private static string String(JsonElement e, string name, string src, string field) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()!
            : throw Error(src, field, "must be a non-empty string");

    private static double Number(JsonElement e, string name, string src, string field) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble())
            ? v.GetDouble()
            : throw Error(src, field, "must be a number");

    private static ArgumentException Error(string src, string field, string message) => new($"{src}: {field} {message}.");
}
