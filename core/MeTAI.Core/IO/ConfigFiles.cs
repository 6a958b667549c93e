namespace MeTAI.Core.IO;

/// <summary>
/// The one way to find the project's <c>configs/</c> folder (beam models, materials, HU calibrations, protocols,
/// robots, avatars, HIL scenarios), searched in this order:
/// <list type="number">
/// <item><c>$METAI_HOME/configs</c> — the <c>metai</c> wrapper sets <c>METAI_HOME</c> to the checkout;</item>
/// <item>the first <c>configs/</c> in the program's folder or a folder above it (tests, a published build beside its configs);</item>
/// <item>the first <c>configs/</c> in the current folder or a folder above it.</item>
/// </list>
/// A folder counts as the project's <c>configs/</c> when it holds <c>materials/</c> (which every install needs: the
/// Monte Carlo cross sections are built from it).
/// </summary>
public static class ConfigFiles
{
    /// <summary>The environment variable naming the installation's root folder.</summary>
    public const string HomeVariable = "METAI_HOME";

    private const string Marker = "materials";

    /// <summary>The <c>configs</c> folder.</summary>
    /// <exception cref="DirectoryNotFoundException">None was found (the message says where it looked).</exception>
    public static string Directory() => TryDirectory() ?? throw new DirectoryNotFoundException(
        $"No configs/ folder (with {Marker}/) found: looked in ${HomeVariable}, above {AppContext.BaseDirectory} and above {System.IO.Directory.GetCurrentDirectory()}; set {HomeVariable} to the installation's root.");

    /// <summary>The <c>configs</c> folder, or null when none is found.</summary>
    public static string? TryDirectory()
    {
        if (Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } home && IsConfigs(Path.Combine(home, "configs")))
        {
            return Path.GetFullPath(Path.Combine(home, "configs"));
        }

        return Above(AppContext.BaseDirectory) ?? Above(System.IO.Directory.GetCurrentDirectory());
    }

    /// <summary>A path inside the <c>configs</c> folder, e.g. <c>PathOf("robots", "metai-arm6.json")</c> (not checked to exist).</summary>
    /// <exception cref="DirectoryNotFoundException">No configs folder was found.</exception>
    public static string PathOf(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return Path.Combine([Directory(), .. parts]);
    }

    /// <summary>An existing file inside the <c>configs</c> folder.</summary>
    /// <param name="what">What the file is, for the error ("avatar config", "beam model").</param>
    /// <param name="parts">Its path below <c>configs/</c>.</param>
    /// <exception cref="FileNotFoundException">No such file (the message names the path looked at).</exception>
    public static string Existing(string what, params string[] parts)
    {
        string path = PathOf(parts);
        return File.Exists(path) ? path : throw new FileNotFoundException($"No {what} at {path}.", path);
    }

    private static string? Above(string start)
    {
        for (string? dir = Path.GetFullPath(start); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "configs");
            if (IsConfigs(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsConfigs(string directory) => System.IO.Directory.Exists(Path.Combine(directory, Marker));
}
