using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Planner.Beams;

/// <summary>
/// The beamlets of one beam (matRad's ray positions in <c>stf</c>): cells of <see cref="WidthMm"/> ×
/// <see cref="HeightMm"/> on a lattice in the isocentre plane (beam-limiting-device frame) whose edges fall on
/// multiples of the cell size, so that beamlet rows line up with MLC leaf pairs of the same width. A cell is used when
/// the divergent projection of a target voxel centre, widened by the margin, touches it. Cells are stored row by row
/// (Y, then X) in struct-of-arrays form.
/// </summary>
public sealed class BeamletGrid
{
    private BeamletGrid(PlanBeam beam, double widthMm, double heightMm, int[] ix, int[] iy)
    {
        Beam = beam;
        WidthMm = widthMm;
        HeightMm = heightMm;
        Ix = ix;
        Iy = iy;
    }

    /// <summary>The beam.</summary>
    public PlanBeam Beam { get; }

    /// <summary>Beamlet size along X (leaf travel), mm at the isocentre.</summary>
    public double WidthMm { get; }

    /// <summary>Beamlet size along Y (across leaves), mm at the isocentre.</summary>
    public double HeightMm { get; }

    /// <summary>Lattice column of each beamlet: it spans X ∈ [Ix·W, (Ix + 1)·W).</summary>
    public int[] Ix { get; }

    /// <summary>Lattice row of each beamlet: it spans Y ∈ [Iy·H, (Iy + 1)·H).</summary>
    public int[] Iy { get; }

    /// <summary>Number of beamlets.</summary>
    public int Count => Ix.Length;

    /// <summary>Centre of beamlet <paramref name="n"/> in the isocentre plane, mm.</summary>
    public (double XMm, double YMm) Center(int n) => ((Ix[n] + 0.5) * WidthMm, (Iy[n] + 0.5) * HeightMm);

    /// <summary>A grid from explicit lattice cells (sorted by row, then column).</summary>
    public static BeamletGrid FromCells(PlanBeam beam, double widthMm, double heightMm, IReadOnlyList<(int Ix, int Iy)> cells)
    {
        ArgumentNullException.ThrowIfNull(beam);
        ArgumentNullException.ThrowIfNull(cells);
        if (!(widthMm > 0) || !(heightMm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(widthMm), "Beamlet sizes must be positive.");
        }

        var sorted = cells.Distinct().OrderBy(c => c.Iy).ThenBy(c => c.Ix).ToArray();
        return new BeamletGrid(beam, widthMm, heightMm, [.. sorted.Select(c => c.Ix)], [.. sorted.Select(c => c.Iy)]);
    }

    /// <summary>
    /// The cells that cover <paramref name="target"/> seen from the source of <paramref name="beam"/> (divergent
    /// projection onto the isocentre plane), widened by <paramref name="marginMm"/> in the plane.
    /// </summary>
    public static BeamletGrid Cover(PlanBeam beam, double sadMm, VoxelMask target, double beamletMm, double marginMm)
    {
        ArgumentNullException.ThrowIfNull(beam);
        ArgumentNullException.ThrowIfNull(target);
        if (!(beamletMm > 0) || marginMm < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(beamletMm), "Beamlet size must be positive and the margin non-negative.");
        }

        BeamGeometry geo = beam.Geometry(sadMm);
        GridGeometry g = target.Geometry;
        var cells = new HashSet<(int, int)>();
        byte[] vox = target.Voxels;
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (vox[g.Index(i, j, k)] == 0)
                    {
                        continue;
                    }

                    (double x, double y) = Project(geo, g.IndexToLps(i, j, k));
                    int i0 = (int)Math.Floor((x - marginMm) / beamletMm), i1 = (int)Math.Floor((x + marginMm) / beamletMm);
                    int j0 = (int)Math.Floor((y - marginMm) / beamletMm), j1 = (int)Math.Floor((y + marginMm) / beamletMm);
                    for (int b = j0; b <= j1; b++)
                    {
                        for (int a = i0; a <= i1; a++)
                        {
                            cells.Add((a, b));
                        }
                    }
                }
            }
        }

        if (cells.Count == 0)
        {
            throw new ArgumentException($"Target '{target.Name}' is empty: no beamlets for beam {beam.Name}.", nameof(target));
        }

        return FromCells(beam, beamletMm, beamletMm, [.. cells]);
    }

    /// <summary>
    /// Divergent projection of <paramref name="pointLps"/> from the source onto the isocentre plane, in the
    /// beam-limiting-device frame (mm).
    /// </summary>
    public static (double XMm, double YMm) Project(BeamGeometry geo, Vec3 pointLps)
    {
        ArgumentNullException.ThrowIfNull(geo);
        Vec3 v = pointLps - geo.SourceLps;
        double along = Vec3.Dot(v, geo.BeamAxisLps);
        double scale = geo.SadMm / along;
        return (Vec3.Dot(v, geo.BldXLps) * scale, Vec3.Dot(v, geo.BldYLps) * scale);
    }
}
