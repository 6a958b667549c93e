using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Search;
using ScottPlot;

namespace MeTAI.Rehearsal.Output;

/// <summary>
/// <c>rehearsal.png</c>: the axial slice through the target with the ROI outlines, every candidate path (projected
/// onto the slice; grey infeasible, blue feasible) and the chosen one (thick green), the default path (dashed red) and
/// the deformed target of the chosen insertion. Anterior is up, the patient's right on the left (radiological view).
/// </summary>
public static class RehearsalPlot
{
    private static readonly Color[] Palette =
    [
        new(230, 180, 140), new(150, 70, 40), new(220, 40, 160), new(200, 30, 30), new(90, 90, 90), new(40, 120, 200), new(120, 60, 200),
    ];

    /// <summary>Renders the PNG file.</summary>
    public static void Save(RehearsalPlan plan, PatientAvatar avatar, string path, int width = 1200, int height = 900)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(avatar);
        using var plot = new Plot();
        GridGeometry g = avatar.Body.Geometry;
        int k = (int)Math.Round(g.LpsToIndex(plan.TargetLps).Z);
        k = Math.Clamp(k, 0, g.SizeZ - 1);
        for (int s = 0; s < avatar.Structures.Count; s++)
        {
            VoxelMask mask = avatar.Structures[s];
            (double[] xs, double[] ys) = Outline(mask, k);
            if (xs.Length == 0)
            {
                continue;
            }

            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledSquare, 2.5f, Palette[s % Palette.Length]);
            markers.LegendText = mask.Name;
        }

        foreach (RankedCandidate c in plan.Candidates)
        {
            if (c.Rank == 1 || c.IsDefaultEntry)
            {
                continue;
            }

            var line = plot.Add.Line(c.Result.EntryLps.X, c.Result.EntryLps.Y, plan.TargetLps.X, plan.TargetLps.Y);
            line.LineWidth = 1;
            line.LineColor = c.Feasible ? new Color(60, 110, 220, 170) : new Color(150, 150, 150, 150);
        }

        foreach (RankedCandidate c in plan.Candidates)
        {
            if (c.IsDefaultEntry && c.Rank != 1)
            {
                var line = plot.Add.Line(c.Result.EntryLps.X, c.Result.EntryLps.Y, plan.TargetLps.X, plan.TargetLps.Y);
                line.LineWidth = 2;
                line.LinePattern = LinePattern.Dashed;
                line.LineColor = new Color(220, 30, 30);
                line.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"default entry (clearance {c.Result.MinClearanceMm:0.0} mm)");
            }
        }

        InsertionResult best = plan.Chosen.Result;
        var chosen = plot.Add.Line(best.EntryLps.X, best.EntryLps.Y, plan.TargetLps.X, plan.TargetLps.Y);
        chosen.LineWidth = 4;
        chosen.LineColor = new Color(20, 170, 60);
        chosen.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"chosen (clearance {best.MinClearanceMm:0.0} mm, peak {best.PeakForceN:0.00} N)");
        var deformed = plot.Add.Marker(best.FinalTargetLps.X, best.FinalTargetLps.Y, MarkerShape.OpenCircle, 10, new Color(0, 0, 0));
        deformed.LegendText = "target, deformed at the end";

        Vec3 extent = g.ExtentMm;
        double z = g.IndexToLps(0, 0, k).Z;
        plot.Title(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{plan.CaseName}: {plan.Candidates.Count} candidates to {plan.TargetRoi}, axial slice z = {z:0.0} mm ({plan.Tets} tets)"));
        plot.XLabel("x (mm, LPS: patient left →)");
        plot.YLabel("y (mm, LPS: posterior ↓)");
        Vec3 lo = g.MinCornerLps;
        plot.Axes.SetLimits(lo.X, lo.X + extent.X, lo.Y + extent.Y, lo.Y);
        plot.Axes.SquareUnits();
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, width, height);
    }

    /// <summary>Centres of the boundary voxels of a mask on slice k, LPS x and y.</summary>
    private static (double[] Xs, double[] Ys) Outline(VoxelMask mask, int k)
    {
        GridGeometry g = mask.Geometry;
        var xs = new List<double>();
        var ys = new List<double>();
        for (int j = 0; j < g.SizeY; j++)
        {
            for (int i = 0; i < g.SizeX; i++)
            {
                if (!mask[i, j, k])
                {
                    continue;
                }

                bool edge = i == 0 || j == 0 || i == g.SizeX - 1 || j == g.SizeY - 1
                    || !mask[i - 1, j, k] || !mask[i + 1, j, k] || !mask[i, j - 1, k] || !mask[i, j + 1, k];
                if (edge)
                {
                    Vec3 p = g.IndexToLps(i, j, k);
                    xs.Add(p.X);
                    ys.Add(p.Y);
                }
            }
        }

        return ([.. xs], [.. ys]);
    }
}
