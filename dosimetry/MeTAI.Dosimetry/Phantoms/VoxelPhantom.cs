using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.Phantoms;

/// <summary>
/// What the Monte Carlo transports through: per voxel a material index (into <see cref="MaterialNames"/>) and a mass
/// density in g/cm³, on a <see cref="GridGeometry"/> in LPS mm. Built from a CT (via an <see cref="HuCalibration"/>)
/// or directly for phantoms.
/// </summary>
public sealed class VoxelPhantom
{
    /// <summary>A phantom from per-voxel material indices and densities (not copied).</summary>
    public VoxelPhantom(GridGeometry geometry, IReadOnlyList<string> materialNames, byte[] materials, float[] densitiesGPerCm3)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(materialNames);
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(densitiesGPerCm3);
        if (materials.Length != geometry.VoxelCount || densitiesGPerCm3.Length != geometry.VoxelCount)
        {
            throw new ArgumentException("Material and density arrays must have one value per voxel.");
        }

        foreach (byte m in materials)
        {
            if (m >= materialNames.Count)
            {
                throw new ArgumentException($"Material index {m} has no name (only {materialNames.Count} materials).");
            }
        }

        foreach (float d in densitiesGPerCm3)
        {
            if (!(d > 0) || !float.IsFinite(d))
            {
                throw new ArgumentException("Densities must be positive and finite.");
            }
        }

        Geometry = geometry;
        MaterialNames = materialNames;
        Materials = materials;
        DensitiesGPerCm3 = densitiesGPerCm3;
    }

    /// <summary>Grid in LPS mm.</summary>
    public GridGeometry Geometry { get; }

    /// <summary>Material names by index.</summary>
    public IReadOnlyList<string> MaterialNames { get; }

    /// <summary>Material index per voxel.</summary>
    public byte[] Materials { get; }

    /// <summary>Mass density per voxel, g/cm³.</summary>
    public float[] DensitiesGPerCm3 { get; }

    /// <summary>A phantom from a CT in HU through a calibration.</summary>
    public static VoxelPhantom FromCt(VoxelGrid<short> ctHu, HuCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(ctHu);
        ArgumentNullException.ThrowIfNull(calibration);
        (byte[] m, float[] d) = calibration.MapGrid(ctHu);
        return new VoxelPhantom(ctHu.Geometry, calibration.MaterialNames, m, d);
    }

    /// <summary>
    /// A box of one material: <paramref name="extentMm"/> edge lengths, cubic voxels of <paramref name="voxelMm"/>, with
    /// its entrance face (the face at LPS y = <paramref name="surfaceYLps"/>, anterior) centred on x = z = 0.
    /// </summary>
    public static VoxelPhantom Box(Vec3 extentMm, double voxelMm, string material = "water", double densityGPerCm3 = 1.0, double surfaceYLps = 0)
    {
        GridGeometry g = GridGeometry.Centered(extentMm, voxelMm, new Vec3(0, surfaceYLps + extentMm.Y / 2, 0));
        var m = new byte[g.VoxelCount];
        var d = new float[g.VoxelCount];
        Array.Fill(d, (float)densityGPerCm3);
        return new VoxelPhantom(g, [material], m, d);
    }
}
