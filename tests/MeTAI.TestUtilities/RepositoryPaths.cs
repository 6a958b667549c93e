namespace MeTAI.TestUtilities;

/// <summary>Where the checkout is, seen from a test's binaries.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the folder above the test binaries that holds MeTAI.Intervention.sln.</summary>
    public static string Root()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "MeTAI.Intervention.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Repository root (MeTAI.Intervention.sln) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A path below <c>configs/</c>, e.g. <c>Config("robots", "metai-arm6.json")</c>.</summary>
    public static string Config(params string[] parts) => Path.Combine([Root(), "configs", .. parts]);

    /// <summary>A fresh empty folder under the system's temporary folder, named after <paramref name="name"/>.</summary>
    public static string TempDir(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
