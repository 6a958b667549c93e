using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using ScottPlot;

namespace MeTAI.Planner.Output;

/// <summary>Dose pictures of a Monte Carlo calculation (ScottPlot, PNG); a plan's own pictures are <see cref="PlanPlots"/>.</summary>
public static class DosePlots
{
    /// <summary>
    /// The axial slice through the isocentre: CT in grey, dose as a colour wash (Turbo, transparent below 5 % of the
    /// maximum), isodose lines every 10 %, axes in LPS mm with posterior down.
    /// </summary>
    public static void CentralPlane(string path, VoxelGrid<short> ctHu, VoxelGrid<float> doseGy, BeamGeometry beam, string title)
    {
        ArgumentNullException.ThrowIfNull(ctHu);
        ArgumentNullException.ThrowIfNull(doseGy);
        ArgumentNullException.ThrowIfNull(beam);
        GridGeometry g = doseGy.Geometry;
        if (!g.TryNearestVoxel(beam.IsocenterLps, out _, out _, out int k))
        {
            k = g.SizeZ / 2;
        }

        int nx = g.SizeX, ny = g.SizeY;
        var ct = new double[ny, nx];
        var dose = new double[ny, nx];
        double max = 0;
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                dose[j, i] = doseGy[i, j, k];
                max = Math.Max(max, dose[j, i]);
                ct[j, i] = ctHu.Geometry.SameAs(g) ? Math.Clamp(ctHu[i, j, k], (short)-1000, (short)1500) : 0;
            }
        }

        var alpha = new byte[ny, nx];
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                alpha[j, i] = dose[j, i] > 0.05 * max ? (byte)170 : (byte)0;
            }
        }

        Vec3 lo = g.IndexToLps(-0.5, -0.5, k), hi = g.IndexToLps(nx - 0.5, ny - 0.5, k);
        var extent = new CoordinateRect(lo.X, hi.X, lo.Y, hi.Y);
        var plot = new Plot();
        ScottPlot.Plottables.Heatmap ctMap = plot.Add.Heatmap(ct);
        ctMap.Colormap = new ScottPlot.Colormaps.Grayscale();
        ctMap.Extent = extent;
        ctMap.ManualRange = new ScottPlot.Range(-1000, 1500);
        ScottPlot.Plottables.Heatmap doseMap = plot.Add.Heatmap(dose);
        doseMap.Colormap = new ScottPlot.Colormaps.Turbo();
        doseMap.Extent = extent;
        doseMap.AlphaMap = alpha;
        plot.Add.ColorBar(doseMap).Label = "dose (Gy)";

        if (max > 0)
        {
            var points = new Coordinates3d[ny, nx];
            for (int j = 0; j < ny; j++)
            {
                for (int i = 0; i < nx; i++)
                {
                    Vec3 p = g.IndexToLps(i, j, k);
                    points[j, i] = new Coordinates3d(p.X, p.Y, 100 * dose[j, i] / max);
                }
            }

            // Isodose lines every 10 % of the maximum.
            ScottPlot.Plottables.ContourLines lines = plot.Add.ContourLines(points, 9);
            lines.Colormap = null;
            lines.LineColor = Colors.White;
            lines.LabelStyle.IsVisible = false;
        }

        plot.Title(title);
        plot.XLabel("x (mm, LPS: patient left →)");
        plot.YLabel("y (mm, LPS: posterior ↓)");
        plot.Axes.SetLimits(lo.X, hi.X, hi.Y, lo.Y);
        plot.Axes.SquareUnits();
        AtomicFile.WriteVia(path, temp => plot.SavePng(temp, 900, 800));
    }
}
