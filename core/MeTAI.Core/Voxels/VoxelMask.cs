using MeTAI.Core.Geometry;

namespace MeTAI.Core.Voxels;

/// <summary>
/// A named binary region on a grid (an ROI: target, organ at risk, body). A voxel belongs to the mask when its
/// centre lies inside the structure. Storage is one byte per voxel (0 or 1), i fastest.
/// </summary>
public sealed class VoxelMask
{
    /// <summary>An empty mask.</summary>
    public VoxelMask(string name, GridGeometry geometry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(geometry);
        Name = name;
        Geometry = geometry;
        Voxels = new byte[geometry.VoxelCount];
    }

    /// <summary>A mask over existing voxels (not copied; values other than 0 count as inside).</summary>
    public VoxelMask(string name, GridGeometry geometry, byte[] voxels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(voxels);
        if (voxels.Length != geometry.VoxelCount)
        {
            throw new ArgumentException($"Mask '{name}' has {voxels.Length} voxels but the grid has {geometry.VoxelCount}.", nameof(voxels));
        }

        Name = name;
        Geometry = geometry;
        Voxels = voxels;
    }

    /// <summary>ROI name.</summary>
    public string Name { get; }

    /// <summary>The grid the mask lives on.</summary>
    public GridGeometry Geometry { get; }

    /// <summary>One byte per voxel: non-zero means inside.</summary>
    public byte[] Voxels { get; }

    /// <summary>Whether voxel (i, j, k) is inside.</summary>
    public bool this[int i, int j, int k]
    {
        get => Voxels[Geometry.Index(i, j, k)] != 0;
        set => Voxels[Geometry.Index(i, j, k)] = value ? (byte)1 : (byte)0;
    }

    /// <summary>Number of voxels inside.</summary>
    public int Count
    {
        get
        {
            int n = 0;
            foreach (byte b in Voxels)
            {
                n += b != 0 ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>Volume inside in cm³ (voxel count × voxel volume).</summary>
    public double VolumeCc => Count * Geometry.VoxelVolumeCc;

    /// <summary>True when no voxel is inside.</summary>
    public bool IsEmpty => !Voxels.AsSpan().ContainsAnyExcept((byte)0);

    /// <summary>Centroid of the voxels inside, in LPS mm; throws for an empty mask.</summary>
    public Vec3 CentroidLps()
    {
        double si = 0, sj = 0, sk = 0;
        long n = 0;
        GridGeometry g = Geometry;
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                int row = g.Index(0, j, k);
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (Voxels[row + i] != 0)
                    {
                        si += i;
                        sj += j;
                        sk += k;
                        n++;
                    }
                }
            }
        }

        if (n == 0)
        {
            throw new InvalidOperationException($"Mask '{Name}' is empty; it has no centroid.");
        }

        return g.IndexToLps(si / n, sj / n, sk / n);
    }

    /// <summary>Index bounds (inclusive) of the voxels inside, or false for an empty mask.</summary>
    public bool TryGetBounds(out (int I, int J, int K) min, out (int I, int J, int K) max)
    {
        GridGeometry g = Geometry;
        int i0 = int.MaxValue, j0 = int.MaxValue, k0 = int.MaxValue, i1 = -1, j1 = -1, k1 = -1;
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                int row = g.Index(0, j, k);
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (Voxels[row + i] == 0)
                    {
                        continue;
                    }

                    i0 = Math.Min(i0, i);
                    j0 = Math.Min(j0, j);
                    k0 = Math.Min(k0, k);
                    i1 = Math.Max(i1, i);
                    j1 = Math.Max(j1, j);
                    k1 = Math.Max(k1, k);
                }
            }
        }

        min = (i0, j0, k0);
        max = (i1, j1, k1);
        return i1 >= 0;
    }

    /// <summary>A copy under another name.</summary>
    public VoxelMask Clone(string? name = null) => new(name ?? Name, Geometry, (byte[])Voxels.Clone());

    /// <summary>Voxels in this mask or in <paramref name="other"/>.</summary>
    public VoxelMask Union(VoxelMask other, string? name = null) => Combine(other, name, static (a, b) => a | b);

    /// <summary>Voxels in both masks.</summary>
    public VoxelMask Intersect(VoxelMask other, string? name = null) => Combine(other, name, static (a, b) => a & b);

    /// <summary>Voxels in this mask and not in <paramref name="other"/>.</summary>
    public VoxelMask Subtract(VoxelMask other, string? name = null) => Combine(other, name, static (a, b) => a & ~b & 1);

    private VoxelMask Combine(VoxelMask other, string? name, Func<int, int, int> op)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Geometry.SameAs(other.Geometry))
        {
            throw new ArgumentException($"Masks '{Name}' and '{other.Name}' are on different grids.", nameof(other));
        }

        var result = new byte[Voxels.Length];
        for (int n = 0; n < result.Length; n++)
        {
            result[n] = (byte)(op(Voxels[n] != 0 ? 1 : 0, other.Voxels[n] != 0 ? 1 : 0) & 1);
        }

        return new VoxelMask(name ?? Name, Geometry, result);
    }

    /// <summary>
    /// Grows the mask by <paramref name="marginMm"/> (an isotropic margin, e.g. CTV → PTV): a voxel joins when it lies
    /// within the margin of a voxel inside. Uses an exact Euclidean ellipsoidal structuring element on the grid.
    /// </summary>
    public VoxelMask Expand(double marginMm, string? name = null)
    {
        if (marginMm < 0 || !double.IsFinite(marginMm))
        {
            throw new ArgumentOutOfRangeException(nameof(marginMm), marginMm, "Margin must be a non-negative finite number of mm.");
        }

        GridGeometry g = Geometry;
        int ri = (int)Math.Floor(marginMm / g.SpacingMm.X), rj = (int)Math.Floor(marginMm / g.SpacingMm.Y), rk = (int)Math.Floor(marginMm / g.SpacingMm.Z);
        var offsets = new List<(int Di, int Dj, int Dk)>();
        for (int dk = -rk; dk <= rk; dk++)
        {
            for (int dj = -rj; dj <= rj; dj++)
            {
                for (int di = -ri; di <= ri; di++)
                {
                    double x = di * g.SpacingMm.X, y = dj * g.SpacingMm.Y, z = dk * g.SpacingMm.Z;
                    if (x * x + y * y + z * z <= marginMm * marginMm + 1e-9)
                    {
                        offsets.Add((di, dj, dk));
                    }
                }
            }
        }

        var result = new byte[Voxels.Length];
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (Voxels[g.Index(i, j, k)] == 0)
                    {
                        continue;
                    }

                    foreach ((int di, int dj, int dk) in offsets)
                    {
                        int a = i + di, b = j + dj, c = k + dk;
                        if (g.Contains(a, b, c))
                        {
                            result[g.Index(a, b, c)] = 1;
                        }
                    }
                }
            }
        }

        return new VoxelMask(name ?? Name, g, result);
    }
}
