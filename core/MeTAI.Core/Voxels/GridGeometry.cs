using MeTAI.Core.Geometry;

namespace MeTAI.Core.Voxels;

/// <summary>
/// Where a voxel grid sits in DICOM patient coordinates (LPS, millimetres). Voxel (i, j, k) has its centre at
/// <c>OriginLps + Direction · (i·Sx, j·Sy, k·Sz)</c>: <see cref="OriginLps"/> is the centre of voxel (0, 0, 0), the
/// columns of <see cref="Direction"/> are the unit LPS directions of the i (column), j (row) and k (slice) axes, as
/// DICOM's Image Orientation (Patient) and slice normal give them. Storage order is i fastest, then j, then k.
/// </summary>
public sealed record GridGeometry
{
    /// <summary>Creates a geometry and validates it (positive sizes and spacing, orthonormal directions).</summary>
    public GridGeometry(int sizeX, int sizeY, int sizeZ, Vec3 spacingMm, Vec3 originLps, Mat3? direction = null)
    {
        if (sizeX <= 0 || sizeY <= 0 || sizeZ <= 0)
        {
            throw new ArgumentException($"Grid size must be positive, got {sizeX}×{sizeY}×{sizeZ}.");
        }

        if (!(spacingMm.X > 0 && spacingMm.Y > 0 && spacingMm.Z > 0) || !spacingMm.IsFinite)
        {
            throw new ArgumentException($"Grid spacing must be positive and finite, got {spacingMm} mm.");
        }

        if (!originLps.IsFinite)
        {
            throw new ArgumentException($"Grid origin must be finite, got {originLps}.");
        }

        Mat3 dir = direction ?? Mat3.Identity;
        Mat3 gram = dir.Transposed() * dir;
        const double tol = 1e-4;
        if (Math.Abs(gram.M00 - 1) > tol || Math.Abs(gram.M11 - 1) > tol || Math.Abs(gram.M22 - 1) > tol
            || Math.Abs(gram.M01) > tol || Math.Abs(gram.M02) > tol || Math.Abs(gram.M12) > tol)
        {
            throw new ArgumentException("Grid direction cosines must be orthonormal.");
        }

        if ((long)sizeX * sizeY * sizeZ > int.MaxValue)
        {
            throw new ArgumentException($"Grid of {sizeX}×{sizeY}×{sizeZ} voxels is too large.");
        }

        SizeX = sizeX;
        SizeY = sizeY;
        SizeZ = sizeZ;
        SpacingMm = spacingMm;
        OriginLps = originLps;
        Direction = dir;
    }

    /// <summary>Number of columns (i axis).</summary>
    public int SizeX { get; }

    /// <summary>Number of rows (j axis).</summary>
    public int SizeY { get; }

    /// <summary>Number of slices (k axis).</summary>
    public int SizeZ { get; }

    /// <summary>Voxel spacing along i, j, k in millimetres.</summary>
    public Vec3 SpacingMm { get; }

    /// <summary>LPS position in millimetres of the centre of voxel (0, 0, 0).</summary>
    public Vec3 OriginLps { get; }

    /// <summary>Direction cosines; column n is the unit LPS direction of index axis n.</summary>
    public Mat3 Direction { get; }

    /// <summary>Total number of voxels.</summary>
    public int VoxelCount => SizeX * SizeY * SizeZ;

    /// <summary>Volume of one voxel in mm³.</summary>
    public double VoxelVolumeMm3 => SpacingMm.X * SpacingMm.Y * SpacingMm.Z;

    /// <summary>Volume of one voxel in cm³.</summary>
    public double VoxelVolumeCc => VoxelVolumeMm3 / 1000.0;

    /// <summary>True when the index axes are the LPS axes (identity direction cosines).</summary>
    public bool IsAxisAligned => Direction == Mat3.Identity;

    /// <summary>Linear storage index of voxel (i, j, k); i fastest.</summary>
    public int Index(int i, int j, int k) => i + SizeX * (j + SizeY * k);

    /// <summary>True when (i, j, k) lies inside the grid.</summary>
    public bool Contains(int i, int j, int k) =>
        (uint)i < (uint)SizeX && (uint)j < (uint)SizeY && (uint)k < (uint)SizeZ;

    /// <summary>The index → LPS transform (continuous indices to millimetres).</summary>
    public Transform IndexToLpsTransform =>
        new(Direction * new Mat3(SpacingMm.X, 0, 0, 0, SpacingMm.Y, 0, 0, 0, SpacingMm.Z), OriginLps);

    /// <summary>LPS position (mm) of a continuous index.</summary>
    public Vec3 IndexToLps(double i, double j, double k) =>
        OriginLps + Direction * new Vec3(i * SpacingMm.X, j * SpacingMm.Y, k * SpacingMm.Z);

    /// <summary>Continuous index of an LPS point (mm); voxel centres are at integer values.</summary>
    public Vec3 LpsToIndex(Vec3 pointLps)
    {
        Vec3 local = Direction.Transposed() * (pointLps - OriginLps);
        return new Vec3(local.X / SpacingMm.X, local.Y / SpacingMm.Y, local.Z / SpacingMm.Z);
    }

    /// <summary>Nearest voxel of an LPS point, or false when it falls outside the grid.</summary>
    public bool TryNearestVoxel(Vec3 pointLps, out int i, out int j, out int k)
    {
        Vec3 c = LpsToIndex(pointLps);
        i = (int)Math.Round(c.X);
        j = (int)Math.Round(c.Y);
        k = (int)Math.Round(c.Z);
        return Contains(i, j, k);
    }

    /// <summary>LPS corner of the grid's bounding box on the low-index side (voxel edge, not centre).</summary>
    public Vec3 MinCornerLps => IndexToLps(-0.5, -0.5, -0.5);

    /// <summary>Extent of the grid along i, j, k in mm (edge to edge).</summary>
    public Vec3 ExtentMm => new(SizeX * SpacingMm.X, SizeY * SpacingMm.Y, SizeZ * SpacingMm.Z);

    /// <summary>True when both grids have the same size, spacing, origin and directions (within 1 µm).</summary>
    public bool SameAs(GridGeometry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        const double tol = 1e-3;
        return SizeX == other.SizeX && SizeY == other.SizeY && SizeZ == other.SizeZ
            && (SpacingMm - other.SpacingMm).Length < tol && (OriginLps - other.OriginLps).Length < tol
            && Math.Abs(Direction.M00 - other.Direction.M00) < 1e-6 && Math.Abs(Direction.M11 - other.Direction.M11) < 1e-6
            && Math.Abs(Direction.M22 - other.Direction.M22) < 1e-6 && Math.Abs(Direction.M01 - other.Direction.M01) < 1e-6
            && Math.Abs(Direction.M02 - other.Direction.M02) < 1e-6 && Math.Abs(Direction.M12 - other.Direction.M12) < 1e-6
            && Math.Abs(Direction.M10 - other.Direction.M10) < 1e-6 && Math.Abs(Direction.M20 - other.Direction.M20) < 1e-6
            && Math.Abs(Direction.M21 - other.Direction.M21) < 1e-6;
    }

    /// <summary>An axis-aligned grid of <paramref name="extentMm"/> centred on <paramref name="centerLps"/>.</summary>
    public static GridGeometry Centered(Vec3 extentMm, double voxelMm, Vec3 centerLps)
    {
        if (!(voxelMm > 0))
        {
            throw new ArgumentException($"Voxel size must be positive, got {voxelMm} mm.", nameof(voxelMm));
        }

        int nx = Math.Max(1, (int)Math.Round(extentMm.X / voxelMm));
        int ny = Math.Max(1, (int)Math.Round(extentMm.Y / voxelMm));
        int nz = Math.Max(1, (int)Math.Round(extentMm.Z / voxelMm));
        var origin = new Vec3(
            centerLps.X - (nx - 1) * voxelMm / 2,
            centerLps.Y - (ny - 1) * voxelMm / 2,
            centerLps.Z - (nz - 1) * voxelMm / 2);
        return new GridGeometry(nx, ny, nz, new Vec3(voxelMm, voxelMm, voxelMm), origin);
    }
}
