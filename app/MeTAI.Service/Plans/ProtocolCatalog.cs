using System.Text.Json;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Service.Plans;

/// <summary>
/// The protocols in <c>configs/protocols/*.json</c> (found like the beam models: <c>METAI_HOME</c>, then the folders
/// above the program). Files are read when listed, so a protocol added to the folder shows up without a restart.
/// </summary>
public sealed class ProtocolCatalog
{
    private readonly string? _directory;

    /// <summary>Uses <paramref name="directory"/>, or <c>configs/protocols</c> when null.</summary>
    public ProtocolCatalog(string? directory = null)
    {
        if (directory is not null)
        {
            _directory = directory;
            return;
        }

        try
        {
            _directory = System.IO.Path.Combine(DosimetryPaths.ConfigsDirectory(), "protocols");
        }
        catch (DirectoryNotFoundException)
        {
            _directory = null;
        }
    }

    /// <summary>The folder searched (null when no configs folder was found).</summary>
    public string? Directory => _directory;

    /// <summary>Protocol names, sorted.</summary>
    public IReadOnlyList<string> Names() =>
        _directory is not null && System.IO.Directory.Exists(_directory)
            ? [.. System.IO.Directory.EnumerateFiles(_directory, "*.json").Select(p => System.IO.Path.GetFileNameWithoutExtension(p)!).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Every protocol that parses (a broken file is left out of the list; <see cref="Get"/> names its error).</summary>
    public IReadOnlyList<ProtocolInfo> All()
    {
        var list = new List<ProtocolInfo>();
        foreach (string name in Names())
        {
            try
            {
                list.Add(Get(name)!);
            }
            catch (FormatException)
            {
                // Listed by name only in Get's error.
            }
        }

        return list;
    }

    /// <summary>The protocol called <paramref name="name"/>, or null when there is no such file.</summary>
    /// <exception cref="FormatException">The file is not a valid protocol (file and field named).</exception>
    public ProtocolInfo? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_directory is null || name.Length == 0 || name.AsSpan().IndexOfAny("/\\.") >= 0)
        {
            return null;
        }

        string path = System.IO.Path.Combine(_directory, name + ".json");
        return File.Exists(path) ? Parse(File.ReadAllText(path), name, path) : null;
    }

    /// <summary>Parses protocol JSON.</summary>
    /// <exception cref="FormatException">A required field is missing or of the wrong kind.</exception>
    public static ProtocolInfo Parse(string json, string name, string path)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            JsonElement root = doc.RootElement;
            JsonElement rx = root.GetProperty("prescription");
            string target = rx.GetProperty("target").GetString() ?? throw new FormatException("prescription.target is empty");
            var rings = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("rings", out JsonElement ringList))
            {
                foreach (JsonElement r in ringList.EnumerateArray())
                {
                    rings.Add(r.GetProperty("name").GetString() ?? string.Empty);
                }
            }

            var required = new List<string> { target };
            var goals = new List<ProtocolGoal>();
            if (root.TryGetProperty("goals", out JsonElement goalList))
            {
                foreach (JsonElement g in goalList.EnumerateArray())
                {
                    goals.Add(new ProtocolGoal(
                        g.GetProperty("structure").GetString()!,
                        g.GetProperty("metric").GetString()!,
                        g.GetProperty("comparison").GetString()!,
                        g.GetProperty("value").GetDouble(),
                        g.TryGetProperty("unit", out JsonElement u) ? u.GetString() ?? "Gy" : "Gy",
                        g.TryGetProperty("priority", out JsonElement p) ? p.GetInt32() : 1));
                    required.Add(goals[^1].Structure);
                }
            }

            if (root.TryGetProperty("objectives", out JsonElement objectives))
            {
                foreach (JsonElement o in objectives.EnumerateArray())
                {
                    required.Add(o.GetProperty("structure").GetString()!);
                }
            }

            int count = 5;
            double start = 0;
            var gantry = new List<double>();
            if (root.TryGetProperty("beams", out JsonElement beams))
            {
                count = beams.TryGetProperty("count", out JsonElement c) ? c.GetInt32() : count;
                start = beams.TryGetProperty("startDeg", out JsonElement s) ? s.GetDouble() : 0;
                if (beams.TryGetProperty("gantryDeg", out JsonElement ga))
                {
                    gantry.AddRange(ga.EnumerateArray().Select(a => a.GetDouble()));
                }
            }

            (string, string, double)? normalization = null;
            if (root.TryGetProperty("normalization", out JsonElement n))
            {
                normalization = (n.GetProperty("structure").GetString()!, n.GetProperty("metric").GetString()!, n.GetProperty("percent").GetDouble());
            }

            return new ProtocolInfo
            {
                Name = name,
                Path = path,
                Description = root.TryGetProperty("description", out JsonElement d) ? d.GetString() ?? string.Empty : string.Empty,
                Target = target,
                DoseGy = rx.GetProperty("doseGy").GetDouble(),
                Fractions = rx.TryGetProperty("fractions", out JsonElement f) ? f.GetInt32() : 1,
                BeamCount = count,
                StartGantryDeg = start,
                GantryDeg = gantry,
                Goals = goals,
                Normalization = normalization,
                RequiredStructures = [.. required.Where(r => !rings.Contains(r)).Distinct(StringComparer.OrdinalIgnoreCase)],
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"{path}: not a valid protocol ({ex.Message}).", ex);
        }
    }
}
