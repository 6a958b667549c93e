namespace MeTAI.Dosimetry.Engines;

/// <summary>Finds the repository's <c>configs/</c> folder (METAI_HOME, then the folders above the program).</summary>
public static class DosimetryPaths
{
    /// <summary>The <c>configs</c> directory; throws when none is found.</summary>
    public static string ConfigsDirectory()
    {
        string? home = Environment.GetEnvironmentVariable("METAI_HOME");
        if (!string.IsNullOrEmpty(home) && Directory.Exists(Path.Combine(home, "configs", "materials")))
        {
            return Path.Combine(home, "configs");
        }

        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (Directory.Exists(Path.Combine(dir, "configs", "materials")))
            {
                return Path.Combine(dir, "configs");
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new DirectoryNotFoundException("configs/materials not found above " + AppContext.BaseDirectory + " (set METAI_HOME).");
    }

    /// <summary>The materials directory.</summary>
    public static string MaterialsDirectory() => Path.Combine(ConfigsDirectory(), "materials");

    /// <summary>A beam model file, e.g. <c>6MV-mohan</c>.</summary>
    public static string BeamFile(string name) => Path.Combine(ConfigsDirectory(), "beams", name + ".json");

    /// <summary>A HU calibration file, e.g. <c>default</c>.</summary>
    public static string HuCalibrationFile(string name = "default") => Path.Combine(ConfigsDirectory(), "hu-calibration", name + ".json");
}
