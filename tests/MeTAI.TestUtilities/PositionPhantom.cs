namespace MeTAI.TestUtilities;

/// <summary>
/// One asymmetric phantom written as a CT series and RT Structure Set by pydicom (the outside writer,
/// <c>Tools/position_case.py</c>) for a patient lying in any DICOM Patient Position, with the image orientation and
/// positions a CT scanner writes for that position: the same physical phantom, a different voxel order. In patient
/// coordinates (LPS, mm): a water body |x| ≤ 100, |y| ≤ 80, |z| ≤ 40; a dense insert (ROI Bone, 1000 HU) on the
/// patient's right, posterior only (x −80…−50, y 20…60); a target (ROI PTV) on the patient's left, anterior
/// (x 20…60, y −40…0, |z| ≤ 20). The named points below are where tests read the dose.
/// </summary>
public static class PositionPhantom
{
    /// <summary>Every Patient Position the phantom is written in.</summary>
    public static IReadOnlyList<string> Positions { get; } = ["HFS", "HFP", "FFS", "FFP", "HFDR", "HFDL", "FFDR", "FFDL"];

    /// <summary><see cref="Positions"/> as xunit theory data, one position per case.</summary>
    public static TheoryData<string> EveryPosition => [.. Positions];

    /// <summary>Centre of the target (patient's left, anterior), LPS mm.</summary>
    public static (double X, double Y, double Z) TargetCentre { get; } = (40, -20, 0);

    /// <summary>Inside the body near the patient's left surface, level with the target, LPS mm.</summary>
    public static (double X, double Y, double Z) LeftSide { get; } = (85, -20, 0);

    /// <summary>The mirror image of <see cref="LeftSide"/>: near the patient's right surface, LPS mm.</summary>
    public static (double X, double Y, double Z) RightSide { get; } = (-85, -20, 0);

    /// <summary>Inside the body near the anterior surface, in line with the target, LPS mm.</summary>
    public static (double X, double Y, double Z) AnteriorSide { get; } = (40, -65, 0);

    /// <summary>Inside the body near the posterior surface, in line with the target, LPS mm.</summary>
    public static (double X, double Y, double Z) PosteriorSide { get; } = (40, 65, 0);

    /// <summary>Inside the dense insert (right, posterior), LPS mm.</summary>
    public static (double X, double Y, double Z) InBone { get; } = (-65, 40, 0);

    /// <summary>
    /// Writes the phantom for <paramref name="position"/> into <paramref name="directory"/> (<c>ct/</c> and
    /// <c>rtstruct.dcm</c>) at <paramref name="voxelMm"/>; <paramref name="flags"/> may add <c>--mixed</c> (the last slice
    /// in another position) or <c>--no-position</c> (no Patient Position). Returns the directory.
    /// </summary>
    public static string Write(string position, string directory, double voxelMm = 10, params string[] flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        string script = Path.Combine(AppContext.BaseDirectory, "Tools", "position_case.py");
        ProcessOutput r = OutsideTools.Run(OutsideTools.Python,
            [script, position, directory, "--voxel", voxelMm.ToString(System.Globalization.CultureInfo.InvariantCulture), .. flags]);
        Assert.True(r.ExitCode == 0, $"position_case.py {position} failed: {r.Output}");
        return directory;
    }
}
