using MeTAI.Core.IO;

namespace MeTAI.Dosimetry.Engines;

/// <summary>Where the dose engine's configuration lives inside the project's <c>configs/</c> folder (found by <see cref="ConfigFiles"/>).</summary>
public static class DosimetryPaths
{
    /// <summary>The materials directory.</summary>
    public static string MaterialsDirectory() => ConfigFiles.PathOf("materials");

    /// <summary>A beam model file, e.g. <c>6MV-point</c>.</summary>
    public static string BeamFile(string name) => ConfigFiles.PathOf("beams", name + ".json");

    /// <summary>A HU calibration file, e.g. <c>default</c>.</summary>
    public static string HuCalibrationFile(string name = "default") => ConfigFiles.PathOf("hu-calibration", name + ".json");
}
