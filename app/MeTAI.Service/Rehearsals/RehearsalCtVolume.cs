using System.IO.MemoryMappedFiles;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Core.Json;
using MeTAI.Core.Voxels;

namespace MeTAI.Service.Rehearsals;

/// <summary>
/// The rehearsal's CT, kept for the scene's movable slice planes (docs/scene.md, <c>ctVolume</c>): windowed to 8 bits
/// (<see cref="RehearsalScene.WindowHu"/>) and sampled every n-th voxel so that no side exceeds
/// <see cref="MaxSide"/> (at most 16.7 MB; a 512 × 512 × 200 CT becomes 256 × 256 × 200, 13 MB), written once as
/// <see cref="FileName"/> beside its geometry (<see cref="GeometryFileName"/>). <c>GET /api/rehearsals/{id}/ct</c> cuts
/// one plane of it per request (<see cref="Slice"/>), so the page fetches a few kB per slider move rather than the CT.
/// </summary>
public static class RehearsalCtVolume
{
    /// <summary>The volume: uint8, i fastest, then j, then k.</summary>
    public const string FileName = "ct-volume.bin";

    /// <summary>Its geometry (the scene's <c>ctVolume</c> object).</summary>
    public const string GeometryFileName = "ct-volume.json";

    /// <summary>Largest side of the stored volume, voxels.</summary>
    public const int MaxSide = 256;

    /// <summary>The plane orientations, by the CT grid axis they hold fixed: axial k, coronal j, sagittal i.</summary>
    public static readonly IReadOnlyList<string> Axes = ["axial", "coronal", "sagittal"];

    /// <summary>Writes the volume of <paramref name="ct"/> into <paramref name="directory"/>; returns its geometry (with the target's plane indices).</summary>
    public static CtVolumeInfo Write(VoxelGrid<short> ct, Vec3 targetLps, string directory)
    {
        ArgumentNullException.ThrowIfNull(ct);
        GridGeometry g = ct.Geometry;
        int sxy = Math.Max(1, (Math.Max(g.SizeX, g.SizeY) + MaxSide - 1) / MaxSide), sz = Math.Max(1, (g.SizeZ + MaxSide - 1) / MaxSide);
        int nx = ((g.SizeX - 1) / sxy) + 1, ny = ((g.SizeY - 1) / sxy) + 1, nz = ((g.SizeZ - 1) / sz) + 1;
        byte[] voxels = new byte[nx * ny * nz];
        (double low, double high) = RehearsalScene.WindowHu;
        for (int k = 0; k < nz; k++)
        {
            for (int j = 0; j < ny; j++)
            {
                for (int i = 0; i < nx; i++)
                {
                    double hu = ct[i * sxy, j * sxy, k * sz];
                    voxels[i + (nx * (j + (ny * k)))] = (byte)Math.Clamp(Math.Round(255 * (hu - low) / (high - low)), 0, 255);
                }
            }
        }

        Vec3 origin = g.IndexToLps(0, 0, 0);
        Vec3 target = g.LpsToIndex(targetLps);
        var info = new CtVolumeInfo
        {
            Size = [nx, ny, nz],
            StrideVoxels = [sxy, sxy, sz],
            WindowHu = [low, high],
            OriginLps = Round(origin),
            StepILps = Round(g.IndexToLps(sxy, 0, 0) - origin, 5),
            StepJLps = Round(g.IndexToLps(0, sxy, 0) - origin, 5),
            StepKLps = Round(g.IndexToLps(0, 0, sz) - origin, 5),
            TargetIndex = [Clamp(target.X / sxy, nx), Clamp(target.Y / sxy, ny), Clamp(target.Z / sz, nz)],
        };
        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), voxels);
        AtomicFile.WriteAllText(Path.Combine(directory, GeometryFileName), JsonSerializer.Serialize(info, JsonDefaults.Indented) + "\n");
        return info;
    }

    /// <summary>Reads the geometry written by <see cref="Write"/>, or null when the rehearsal has none (made before the volume was kept).</summary>
    public static CtVolumeInfo? ReadInfo(string directory)
    {
        string path = Path.Combine(directory, GeometryFileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<CtVolumeInfo>(File.ReadAllText(path), JsonDefaults.Indented) : null;
    }

    /// <summary>
    /// Plane <paramref name="index"/> of orientation <paramref name="axis"/> (<see cref="Axes"/>): axial = k, pixel (x, y) =
    /// voxel (x, y, k); coronal = j, pixel (x, y) = voxel (x, j, y); sagittal = i, pixel (x, y) = voxel (i, x, y). The
    /// corners are the outer corners of the first pixel, of the end of its first row and of the end of its first column.
    /// </summary>
    public static object Slice(string directory, CtVolumeInfo info, string axis, int index)
    {
        ArgumentNullException.ThrowIfNull(info);
        int nx = info.Size[0], ny = info.Size[1], nz = info.Size[2];
        (int width, int height) = axis switch
        {
            "axial" => (nx, ny),
            "coronal" => (nx, nz),
            "sagittal" => (ny, nz),
            _ => throw new ArgumentException($"axis must be one of {string.Join(", ", Axes)}.", nameof(axis)),
        };
        if (index < 0 || index >= PlaneCount(info, axis))
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be 0–{PlaneCount(info, axis) - 1}.");
        }

        byte[] pixels = new byte[width * height];
        using (var map = MemoryMappedFile.CreateFromFile(Path.Combine(directory, FileName), FileMode.Open, null, 0, MemoryMappedFileAccess.Read))
        using (MemoryMappedViewAccessor view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read))
        {
            for (int y = 0; y < height; y++)
            {
                if (axis == "sagittal")
                {
                    for (int x = 0; x < width; x++)
                    {
                        pixels[(y * width) + x] = view.ReadByte(index + ((long)nx * (x + ((long)ny * y))));
                    }
                }
                else
                {
                    long row = axis == "axial" ? (long)nx * (y + ((long)ny * index)) : (long)nx * (index + ((long)ny * y));
                    view.ReadArray(row, pixels, y * width, width);
                }
            }
        }

        Vec3 P(double i, double j, double k) => Lps(info, i, j, k);
        const double h = 0.5;
        (Vec3 o, Vec3 r, Vec3 c) = axis switch
        {
            "axial" => (P(-h, -h, index), P(nx - h, -h, index), P(-h, ny - h, index)),
            "coronal" => (P(-h, index, -h), P(nx - h, index, -h), P(-h, index, nz - h)),
            _ => (P(index, -h, -h), P(index, ny - h, -h), P(index, -h, nz - h)),
        };
        return new
        {
            name = "ct:" + axis,
            axis,
            index,
            count = PlaneCount(info, axis),
            width,
            height,
            windowHu = info.WindowHu,
            originLps = Round(o),
            rowEndLps = Round(r),
            columnEndLps = Round(c),
            pixelsBase64 = Convert.ToBase64String(pixels),
        };
    }

    /// <summary>How many planes of orientation <paramref name="axis"/> the volume has.</summary>
    public static int PlaneCount(CtVolumeInfo info, string axis)
    {
        ArgumentNullException.ThrowIfNull(info);
        return axis switch { "axial" => info.Size[2], "coronal" => info.Size[1], _ => info.Size[0] };
    }

    /// <summary>The LPS position of volume voxel (i, j, k) (its centre; fractional indices interpolate).</summary>
    public static Vec3 Lps(CtVolumeInfo info, double i, double j, double k)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Vec3.FromSpan(info.OriginLps) + (Vec3.FromSpan(info.StepILps) * i) + (Vec3.FromSpan(info.StepJLps) * j) + (Vec3.FromSpan(info.StepKLps) * k);
    }

    private static int Clamp(double index, int count) => Math.Clamp((int)Math.Round(index), 0, count - 1);

    private static double[] Round(Vec3 p, int digits = 3) => [Math.Round(p.X, digits), Math.Round(p.Y, digits), Math.Round(p.Z, digits)];
}
