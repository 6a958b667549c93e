using MeTAI.Core.IO;
using MeTAI.Planner.Plans;

namespace MeTAI.Service.Plans;

/// <summary>
/// The protocols in <c>configs/protocols/*.json</c> (found like the beam models: <c>METAI_HOME</c>, then the folders
/// above the program), read by the planner's <see cref="ProtocolLoader"/>. Files are read when asked for, so a
/// protocol added to the folder shows up without a restart.
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
            _directory = ConfigFiles.PathOf("protocols");
        }
        catch (DirectoryNotFoundException)
        {
            _directory = null;
        }
    }

    /// <summary>The folder searched (null when no configs folder was found).</summary>
    public string? Directory => _directory;

    /// <summary>Protocol names, sorted.</summary>
    public IReadOnlyList<string> Names() => _directory is null ? [] : ProtocolLoader.Available(_directory);

    /// <summary>Every protocol that loads (a broken file is left out of the list; <see cref="Get"/> names its error).</summary>
    public IReadOnlyList<Protocol> All()
    {
        var list = new List<Protocol>();
        foreach (string name in Names())
        {
            try
            {
                list.Add(Get(name)!);
            }
            catch (ArgumentException)
            {
                // Listed by name only in Get's error.
            }
        }

        return list;
    }

    /// <summary>
    /// The protocol in <c>NAME.json</c>, or null when there is no such file. Its <see cref="Protocol.Name"/> is the file
    /// name, which the API lists and requests use (the planner's report keeps the name written in the file).
    /// </summary>
    /// <exception cref="ArgumentException">The file is not a valid protocol (file and field named).</exception>
    public Protocol? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_directory is null || name.Length == 0 || name.AsSpan().IndexOfAny("/\\.") >= 0)
        {
            return null;
        }

        string path = Path.Combine(_directory, name + ".json");
        return File.Exists(path) ? ProtocolLoader.Load(path) with { Name = name } : null;
    }

    /// <summary>
    /// Structures <paramref name="protocol"/> needs a case to have: those its prescription, objectives, goals and
    /// normalisation name, less the rings it builds itself.
    /// </summary>
    public static IReadOnlyList<string> RequiredStructures(Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var rings = new HashSet<string>(protocol.Rings.Select(r => r.Name), StringComparer.OrdinalIgnoreCase);
        return [.. protocol.ReferencedStructures().Where(s => !rings.Contains(s)).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
