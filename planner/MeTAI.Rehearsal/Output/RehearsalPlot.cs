using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Search;
using ScottPlot;

namespace MeTAI.Rehearsal.Output;

/// <summary>
/// <c>rehearsal.png</c>: the axial slice through the target with the ROI outlines, every candidate path (projected
/// onto the slice; grey infeasible, blue feasible) and the chosen one (thick green), the default path (dashed red) and
/// the deformed target of the chosen insertion. Drawn as the case's image grid stores the slice — for a scanner's CT
/// the room seen from the foot of the couch (head-first supine: anterior up, the patient's right on the left; prone:
/// anterior down) — with each edge labelled with its patient direction (R/L/A/P) from the geometry and the patient
/// position in the title.
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
        Vec3 right = g.Direction.Column(0), down = g.Direction.Column(1);
        (double U, double V) P(Vec3 p) => (Vec3.Dot(p, right), -Vec3.Dot(p, down));
        for (int s = 0; s < avatar.Structures.Count; s++)
        {
            VoxelMask mask = avatar.Structures[s];
            (double[] xs, double[] ys) = Outline(mask, k, right, down);
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

            var line = plot.Add.Line(P(c.Result.EntryLps).U, P(c.Result.EntryLps).V, P(plan.TargetLps).U, P(plan.TargetLps).V);
            line.LineWidth = 1;
            line.LineColor = c.Feasible ? new Color(60, 110, 220, 170) : new Color(150, 150, 150, 150);
        }

        foreach (RankedCandidate c in plan.Candidates)
        {
            if (c.IsDefaultEntry && c.Rank != 1)
            {
                var line = plot.Add.Line(P(c.Result.EntryLps).U, P(c.Result.EntryLps).V, P(plan.TargetLps).U, P(plan.TargetLps).V);
                line.LineWidth = 2;
                line.LinePattern = LinePattern.Dashed;
                line.LineColor = new Color(220, 30, 30);
                line.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"default entry (clearance {c.Result.MinClearanceMm:0.0} mm)");
            }
        }

        InsertionResult best = plan.Chosen.Result;
        var chosen = plot.Add.Line(P(best.EntryLps).U, P(best.EntryLps).V, P(plan.TargetLps).U, P(plan.TargetLps).V);
        chosen.LineWidth = 4;
        chosen.LineColor = new Color(20, 170, 60);
        chosen.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"chosen (clearance {best.MinClearanceMm:0.0} mm, peak {best.PeakForceN:0.00} N)");
        var deformed = plot.Add.Marker(P(best.FinalTargetLps).U, P(best.FinalTargetLps).V, MarkerShape.OpenCircle, 10, new Color(0, 0, 0));
        deformed.LegendText = "target, deformed at the end";

        double z = g.IndexToLps(0, 0, k).Z;
        plot.Title(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{plan.CaseName} ({plan.Position.Code()}): {plan.Candidates.Count} candidates to {plan.TargetRoi}, axial slice z = {z:0.0} mm ({plan.Tets} tets)"));
        plot.XLabel(PatientPositions.AxisCaption(right, '→'));
        plot.YLabel(PatientPositions.AxisCaption(-down, '↑'));
        (double u0, double v0) = P(g.IndexToLps(-0.5, -0.5, k));
        (double u1, double v1) = P(g.IndexToLps(g.SizeX - 0.5, g.SizeY - 0.5, k));
        plot.Axes.SetLimits(u0, u1, v1, v0);
        plot.Axes.SquareUnits();
        (string left, string rightLetter, string top, string bottom) = PatientPositions.EdgeLetters(right, down);
        double inset = 0.03 * (u1 - u0);
        plot.Add.Text(left, u0 + inset, 0.5 * (v0 + v1)).LabelAlignment = Alignment.MiddleLeft;
        plot.Add.Text(rightLetter, u1 - inset, 0.5 * (v0 + v1)).LabelAlignment = Alignment.MiddleRight;
        plot.Add.Text(top, 0.5 * (u0 + u1), v0 - inset).LabelAlignment = Alignment.UpperCenter;
        plot.Add.Text(bottom, 0.5 * (u0 + u1), v1 + inset).LabelAlignment = Alignment.LowerCenter;
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, width, height);
    }

    /// <summary>Centres of the boundary voxels of a mask on slice k, in plot coordinates (along <paramref name="right"/>, against <paramref name="down"/>).</summary>
    private static (double[] Xs, double[] Ys) Outline(VoxelMask mask, int k, Vec3 right, Vec3 down)
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
                    xs.Add(Vec3.Dot(p, right));
                    ys.Add(-Vec3.Dot(p, down));
                }
            }
        }

        return ([.. xs], [.. ys]);
    }
}
