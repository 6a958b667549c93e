using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Core.Voxels;
using ScottPlot;

namespace MeTAI.Service.Plans;

/// <summary>
/// The second check's picture: the gamma map on the axial slice of the plan's dose grid through the isocentre (ScottPlot,
/// PNG), γ from 0 to 2 in the Turbo colour map, voxels not analysed (below the threshold) left blank, axes in LPS mm
/// with posterior down.
/// </summary>
public static class GammaPlot
{
    /// <summary>Writes the picture of <paramref name="gamma"/> (0 where not analysed) to <paramref name="path"/>.</summary>
    public static void Save(string path, VoxelGrid<float> gamma, Vec3 isocenterLps, string title)
    {
        ArgumentNullException.ThrowIfNull(gamma);
        GridGeometry g = gamma.Geometry;
        if (!g.TryNearestVoxel(isocenterLps, out _, out _, out int k))
        {
            k = g.SizeZ / 2;
        }

        int nx = g.SizeX, ny = g.SizeY;
        var values = new double[ny, nx];
        var alpha = new byte[ny, nx];
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                values[j, i] = gamma[i, j, k];
                alpha[j, i] = gamma[i, j, k] > 0 ? (byte)255 : (byte)0;
            }
        }

        Vec3 lo = g.IndexToLps(-0.5, -0.5, k), hi = g.IndexToLps(nx - 0.5, ny - 0.5, k);
        var plot = new Plot();
        ScottPlot.Plottables.Heatmap map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Turbo();
        map.Extent = new CoordinateRect(lo.X, hi.X, lo.Y, hi.Y);
        map.ManualRange = new ScottPlot.Range(0, 2);
        map.AlphaMap = alpha;
        plot.Add.ColorBar(map).Label = "γ (≤ 1 passes)";
        plot.Title(title);
        plot.XLabel("x (mm, LPS: patient left →)");
        plot.YLabel("y (mm, LPS: posterior ↓)");
        plot.Axes.SetLimits(lo.X, hi.X, hi.Y, lo.Y);
        plot.Axes.SquareUnits();
        AtomicFile.WriteVia(path, temp => plot.SavePng(temp, 900, 800));
    }
}
