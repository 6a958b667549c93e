using System.Text.Json;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// Reads an avatar config (<c>configs/avatars/NAME.json</c>). Every numeric tissue field needs an entry in the tissue's
/// <c>sources</c> saying where the value comes from. Errors name the file and the field, e.g.
/// <c>configs/avatars/x.json: tissues[1].poissonRatio must be a number.</c>
/// </summary>
public static class AvatarConfigLoader
{
    /// <summary>Numeric tissue fields; each must have a source.</summary>
    public static readonly IReadOnlyList<string> TissueFields =
        ["youngsModulusKPa", "poissonRatio", "densityKgM3", "punctureForceN", "cuttingForceN", "frictionNPerMm"];

    /// <summary>Loads and validates a config file.</summary>
    /// <exception cref="FormatException">The file is not a valid config; the message names the file and field.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static AvatarConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates config JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="FormatException">The text is not a valid config.</exception>
    public static AvatarConfig Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON ({ex.Message})", ex);
        }

        using (doc)
        {
            var r = new Reader(source);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw r.Error("the top level must be a JSON object.");
            }

            JsonElement tissuesElement = r.Array(root, "tissues", "tissues");
            var tissues = new List<TissueParameters>();
            for (int n = 0; n < tissuesElement.GetArrayLength(); n++)
            {
                tissues.Add(ReadTissue(r, tissuesElement[n], $"tissues[{n}]"));
            }

            var structures = new List<AvatarStructure>();
            if (r.OptionalArray(root, "structures", "structures") is JsonElement structuresElement)
            {
                for (int n = 0; n < structuresElement.GetArrayLength(); n++)
                {
                    JsonElement s = r.Object(structuresElement[n], $"structures[{n}]");
                    structures.Add(new AvatarStructure(r.String(s, "roi", $"structures[{n}].roi"), r.String(s, "tissue", $"structures[{n}].tissue")));
                }
            }

            var config = new AvatarConfig
            {
                Name = r.String(root, "name", "name"),
                Description = r.OptionalString(root, "description", "description") ?? string.Empty,
                Structures = structures,
                RoiRules = ReadRoiRules(r, root),
                HuTissues = ReadHuTissues(r, root),
                Tissues = tissues,
                CellMm = r.OptionalNumber(root, "cellMm", "cellMm") ?? 12,
                CouchBandMm = r.OptionalNumber(root, "couchBandMm", "couchBandMm") ?? 15,
                FixTruncationPlanes = r.OptionalBool(root, "fixTruncationPlanes", "fixTruncationPlanes") ?? true,
            };
            try
            {
                config.Validate();
            }
            catch (ArgumentException ex)
            {
                throw r.Error(ex.Message);
            }

            return config;
        }
    }

    private static List<RoiTissueRule> ReadRoiRules(Reader r, JsonElement root)
    {
        var rules = new List<RoiTissueRule>();
        if (r.OptionalArray(root, "roiRules", "roiRules") is not JsonElement array)
        {
            return rules;
        }

        for (int n = 0; n < array.GetArrayLength(); n++)
        {
            string path = $"roiRules[{n}]";
            JsonElement e = r.Object(array[n], path);
            rules.Add(new RoiTissueRule(
                r.String(e, "tissue", path + ".tissue"), r.Strings(e, "types", path + ".types"), r.Strings(e, "names", path + ".names"),
                r.OptionalBool(e, "body", path + ".body") ?? false));
        }

        return rules;
    }

    private static List<HuTissueRange> ReadHuTissues(Reader r, JsonElement root)
    {
        var ranges = new List<HuTissueRange>();
        if (r.OptionalArray(root, "huTissues", "huTissues") is not JsonElement array)
        {
            return ranges;
        }

        for (int n = 0; n < array.GetArrayLength(); n++)
        {
            string path = $"huTissues[{n}]";
            JsonElement e = r.Object(array[n], path);
            ranges.Add(new HuTissueRange(
                r.String(e, "tissue", path + ".tissue"), r.Number(e, "minHu", path + ".minHu"), r.Number(e, "maxHu", path + ".maxHu"), r.String(e, "source", path + ".source")));
        }

        return ranges;
    }

    private static TissueParameters ReadTissue(Reader r, JsonElement element, string path)
    {
        JsonElement t = r.Object(element, path);
        JsonElement sourcesElement = r.Object(r.Required(t, "sources", path + ".sources"), path + ".sources");
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string field in TissueFields)
        {
            string text = r.String(sourcesElement, field, $"{path}.sources.{field}");
            if (string.IsNullOrWhiteSpace(text))
            {
                throw r.Error($"{path}.sources.{field} must say where the value comes from (a citation or \"typical value\").");
            }

            sources[field] = text;
        }

        return new TissueParameters
        {
            Name = r.String(t, "name", path + ".name"),
            YoungsModulusKPa = r.Number(t, "youngsModulusKPa", path + ".youngsModulusKPa"),
            PoissonRatio = r.Number(t, "poissonRatio", path + ".poissonRatio"),
            DensityKgM3 = r.Number(t, "densityKgM3", path + ".densityKgM3"),
            PunctureForceN = r.Number(t, "punctureForceN", path + ".punctureForceN"),
            CuttingForceN = r.Number(t, "cuttingForceN", path + ".cuttingForceN"),
            FrictionNPerMm = r.Number(t, "frictionNPerMm", path + ".frictionNPerMm"),
            Fixed = r.OptionalBool(t, "fixed", path + ".fixed") ?? false,
            Sources = sources,
        };
    }

    private readonly struct Reader(string source)
    {
        public FormatException Error(string problem) => new($"{source}: {problem}");

        public JsonElement Required(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                throw Error($"missing field '{path}'.");
            }

            return value;
        }

        public JsonElement Object(JsonElement element, string path) =>
            element.ValueKind == JsonValueKind.Object ? element : throw Error($"{path} must be an object.");

        public JsonElement Array(JsonElement obj, string name, string path)
        {
            JsonElement value = Required(obj, name, path);
            return value.ValueKind == JsonValueKind.Array ? value : throw Error($"{path} must be an array.");
        }

        public JsonElement? OptionalArray(JsonElement obj, string name, string path) =>
            obj.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? Array(obj, name, path) : null;

        /// <summary>An optional array of non-empty strings (empty when absent).</summary>
        public List<string> Strings(JsonElement obj, string name, string path)
        {
            var list = new List<string>();
            if (OptionalArray(obj, name, path) is JsonElement array)
            {
                for (int n = 0; n < array.GetArrayLength(); n++)
                {
                    JsonElement e = array[n];
                    list.Add(e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(e.GetString()) ? e.GetString()! : throw Error($"{path}[{n}] must be a non-empty string."));
                }
            }

            return list;
        }

        public string String(JsonElement obj, string name, string path)
        {
            JsonElement value = Required(obj, name, path);
            return value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
                ? value.GetString()!
                : throw Error($"{path} must be a non-empty string.");
        }

        public string? OptionalString(JsonElement obj, string name, string path) =>
            obj.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? String(obj, name, path) : null;

        public double Number(JsonElement obj, string name, string path)
        {
            JsonElement value = Required(obj, name, path);
            return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) && double.IsFinite(d)
                ? d
                : throw Error($"{path} must be a number.");
        }

        public double? OptionalNumber(JsonElement obj, string name, string path) =>
            obj.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? Number(obj, name, path) : null;

        public bool? OptionalBool(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error($"{path} must be true or false."),
            };
        }
    }
}
