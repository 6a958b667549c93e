using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeTAI.Hil.Scenarios;

/// <summary>
/// A YAML mapping with its file and field path, for reading scenario files with errors that say where: typed getters
/// (numbers with ranges, enums with the allowed values, vectors), and a check that rejects unknown keys (typos).
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private YamlMap(YamlMappingNode node, string file, string path)
    {
        _node = node;
        File = file;
        Path = path;
    }

    public string File { get; }

    public string Path { get; }

    public Mark Start => _node.Start;

    /// <summary>Parses <paramref name="text"/>; the root must be a mapping.</summary>
    public static YamlMap Parse(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ScenarioFormatException(file, ex.Start.Line, ex.Start.Column, "", "not valid YAML: " + ex.Message);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ScenarioFormatException(file, 1, 1, "", "expected one YAML document whose top level is a mapping (name:, duration:, …)");
        }

        return new YamlMap(root, file, "");
    }

    private string FieldPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    public ScenarioFormatException Error(string key, string message)
    {
        YamlNode? value = Find(key);
        Mark m = value?.Start ?? _node.Start;
        return new ScenarioFormatException(File, m.Line, m.Column, FieldPath(key), message);
    }

    public ScenarioFormatException Error(string message) => new(File, _node.Start.Line, _node.Start.Column, Path, message);

    private YamlNode? Find(string key)
    {
        foreach (KeyValuePair<YamlNode, YamlNode> kv in _node.Children)
        {
            if (kv.Key is YamlScalarNode k && k.Value == key)
            {
                return kv.Value;
            }
        }

        return null;
    }

    public bool Has(string key) => Find(key) is not null;

    private YamlNode? Get(string key)
    {
        _seen.Add(key);
        return Find(key);
    }

    /// <summary>Throws for a key that was never asked for (a typo or an unsupported field).</summary>
    public void RejectUnknownKeys()
    {
        foreach (KeyValuePair<YamlNode, YamlNode> kv in _node.Children)
        {
            string key = (kv.Key as YamlScalarNode)?.Value ?? "?";
            if (!_seen.Contains(key))
            {
                throw new ScenarioFormatException(File, kv.Key.Start.Line, kv.Key.Start.Column, FieldPath(key),
                    $"unknown field (known here: {string.Join(", ", _seen.Order(StringComparer.Ordinal))})");
            }
        }
    }

    public IReadOnlyList<string> Keys => [.. _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "")];

    public string? String(string key, bool required = false)
    {
        YamlNode? n = Get(key);
        if (n is null)
        {
            return required ? throw Error($"required field '{FieldPath(key)}' is missing") : null;
        }

        return n is YamlScalarNode s && s.Value is { Length: > 0 } v ? v : throw Error(key, "expected a text value");
    }

    public double? Number(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool required = false)
    {
        string? text = String(key, required);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            throw Error(key, $"'{text}' is not a number");
        }

        if (v < min || v > max)
        {
            throw Error(key, FormattableString.Invariant($"{v} is out of range [{min}, {max}]"));
        }

        return v;
    }

    public int? Integer(string key, int min = int.MinValue, int max = int.MaxValue, bool required = false)
    {
        string? text = String(key, required);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
        {
            throw Error(key, $"'{text}' is not an integer");
        }

        return v < min || v > max ? throw Error(key, $"{v} is out of range [{min}, {max}]") : v;
    }

    public bool? Bool(string key)
    {
        string? text = String(key);
        return text switch
        {
            null => null,
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(key, $"'{text}' is not true or false"),
        };
    }

    public T? Enum<T>(string key, bool required = false)
        where T : struct, System.Enum
    {
        string? text = String(key, required);
        if (text is null)
        {
            return null;
        }

        return System.Enum.TryParse(text, ignoreCase: true, out T v) && System.Enum.IsDefined(v)
            ? v
            : throw Error(key, $"'{text}' is not one of: {string.Join(", ", System.Enum.GetNames<T>().Select(Camel))}");
    }

    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    public double[]? Numbers(string key, int count = -1)
    {
        YamlNode? n = Get(key);
        if (n is null)
        {
            return null;
        }

        if (n is not YamlSequenceNode seq || (count >= 0 && seq.Children.Count != count))
        {
            throw Error(key, count >= 0 ? $"expected a list of {count} numbers" : "expected a list of numbers");
        }

        var values = new double[seq.Children.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (seq.Children[i] is not YamlScalarNode s || !double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new ScenarioFormatException(File, seq.Children[i].Start.Line, seq.Children[i].Start.Column, $"{FieldPath(key)}[{i}]", "not a number");
            }
        }

        return values;
    }

    public IReadOnlyList<string>? Strings(string key)
    {
        YamlNode? n = Get(key);
        return n switch
        {
            null => null,
            YamlScalarNode s when s.Value is { Length: > 0 } v => [v],
            YamlSequenceNode seq => [.. seq.Children.Select((c, i) => c is YamlScalarNode s && s.Value is { Length: > 0 } v ? v
                : throw new ScenarioFormatException(File, c.Start.Line, c.Start.Column, $"{FieldPath(key)}[{i}]", "expected a text value"))],
            _ => throw Error(key, "expected a text value or a list of them"),
        };
    }

    public YamlMap? Map(string key, bool required = false)
    {
        YamlNode? n = Get(key);
        if (n is null)
        {
            return required ? throw Error($"required field '{FieldPath(key)}' is missing") : null;
        }

        return n is YamlMappingNode m ? new YamlMap(m, File, FieldPath(key)) : throw Error(key, "expected a mapping (key: value lines)");
    }

    public IReadOnlyList<YamlMap> List(string key)
    {
        YamlNode? n = Get(key);
        if (n is null)
        {
            return [];
        }

        if (n is not YamlSequenceNode seq)
        {
            throw Error(key, "expected a list (lines starting with '- ')");
        }

        var list = new List<YamlMap>(seq.Children.Count);
        for (int i = 0; i < seq.Children.Count; i++)
        {
            list.Add(seq.Children[i] is YamlMappingNode m ? new YamlMap(m, File, $"{FieldPath(key)}[{i}]")
                : throw new ScenarioFormatException(File, seq.Children[i].Start.Line, seq.Children[i].Start.Column, $"{FieldPath(key)}[{i}]", "expected a mapping"));
        }

        return list;
    }
}
