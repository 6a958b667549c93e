using System.Globalization;
using MeTAI.Core.Contours;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Plans;
using ScottPlot;

namespace MeTAI.Planner.Output;

/// <summary>
/// The plan's pictures: <c>dvh.png</c> (cumulative DVH of every structure, dose in Gy) and <c>dose_axial.png</c> (the
/// axial slice through the isocentre: CT in grey, dose colour-wash above 10 % of the prescription, isodose lines at
/// 30/50/70/90/95/100/107 % and the structure outlines), drawn as the CT stores the slice — for a scanner's CT the room
/// seen from the foot of the couch: for head-first supine anterior up and the patient's left on the right (a
/// radiological view), for prone anterior down — with each edge labelled with its patient direction (R/L/A/P) and the
/// axes captioned from the geometry, never assuming HFS.
/// </summary>
public static class PlanPlots
{
    private static readonly Color[] Palette =
    [
        new(220, 30, 30), new(30, 120, 220), new(40, 170, 60), new(230, 150, 20), new(150, 60, 200), new(20, 170, 170), new(200, 80, 140), new(110, 110, 110),
        new(120, 70, 30), new(60, 60, 160),
    ];

    /// <summary>The isodose levels drawn, percent of the prescription.</summary>
    public static IReadOnlyList<double> IsodosePercents { get; } = [30, 50, 70, 90, 95, 100, 107];

    /// <summary>Writes the cumulative DVHs.</summary>
    public static void SaveDvh(IReadOnlyList<Dvh> dvhs, string title, string path, int width = 1000, int height = 650)
    {
        ArgumentNullException.ThrowIfNull(dvhs);
        using var plot = new Plot();
        for (int s = 0; s < dvhs.Count; s++)
        {
            Dvh d = dvhs[s];
            var x = new double[d.Cumulative.Length];
            for (int b = 0; b < x.Length; b++)
            {
                x[b] = d.DoseGy(b);
            }

            var line = plot.Add.ScatterLine(x, d.Cumulative);
            line.LineWidth = 2;
            line.Color = Palette[s % Palette.Length];
            line.LegendText = d.Name;
        }

        plot.Title(title);
        plot.XLabel("Dose (Gy)");
        plot.YLabel("Volume (%)");
        plot.Axes.SetLimitsY(0, 102);
        plot.Axes.SetLimitsX(0, dvhs.Count > 0 ? dvhs.Max(d => d.DoseGy(d.Cumulative.Length)) : 1);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, width, height);
    }

    /// <summary>Writes the axial dose picture through <paramref name="isocenterLps"/>.</summary>
    public static void SaveAxial(PlanCase plan, float[] doseGy, double prescriptionGy, Vec3 isocenterLps, string title, string path, int width = 1100, int height = 900)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(doseGy);
        GridGeometry g = plan.Geometry;
        int k = Math.Clamp((int)Math.Round(g.LpsToIndex(isocenterLps).Z), 0, g.SizeZ - 1);
        int nx = g.SizeX, ny = g.SizeY;
        var ct = new double[ny, nx];
        var dose = new double[ny, nx];
        var doseLines = new double[ny, nx];
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                int n = g.Index(i, j, k);
                ct[j, i] = plan.CtHu.Data[n];
                double d = doseGy[n];
                doseLines[j, i] = d;
                dose[j, i] = d >= 0.1 * prescriptionGy ? d : double.NaN;
            }
        }

        // The slice as the CT stores it (a scanner: the room seen from the foot of the couch), in plot coordinates
        // (u, −v) along its column and row directions; cell edges.
        var view = new ImagePlane(g.Direction.Column(0), g.Direction.Column(1));
        (double u0, double v0) = view.Plot(g.IndexToLps(-0.5, -0.5, k));
        (double u1, double v1) = view.Plot(g.IndexToLps(nx - 0.5, ny - 0.5, k));
        var rect = new CoordinateRect(u0, u1, v1, v0);
        using var plot = new Plot();
        var ctMap = plot.Add.Heatmap(ct);
        ctMap.Colormap = new ScottPlot.Colormaps.Grayscale();
        ctMap.ManualRange = new ScottPlot.Range(-300, 400);
        ctMap.Rectangle = rect;
        var doseMap = plot.Add.Heatmap(dose);
        doseMap.Colormap = new ScottPlot.Colormaps.Turbo();
        doseMap.ManualRange = new ScottPlot.Range(0, 1.1 * prescriptionGy);
        doseMap.NaNCellColor = Colors.Transparent;
        doseMap.Opacity = 0.45;
        doseMap.Rectangle = rect;
        plot.Add.ColorBar(doseMap).Label = "Dose (Gy)";

        AddIsodoseLines(plot, doseLines, prescriptionGy, g, k, view);
        AddOutlines(plot, plan, k, view);
        AddEdgeLetters(plot, rect, view);

        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"{title} — axial z = {g.IndexToLps(0, 0, k).Z:0.0} mm, {plan.Position.Code()} ({plan.Position.Describe()})"));
        plot.XLabel(PatientPositions.AxisCaption(view.Right, '→'));
        plot.YLabel(PatientPositions.AxisCaption(-view.Down, '↑'));
        plot.Axes.SetLimits(rect.Left, rect.Right, rect.Bottom, rect.Top);
        plot.Axes.SquareUnits();
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, width, height);
    }

    /// <summary>The patient direction of each image edge (R/L/A/P for an axial slice), from the geometry.</summary>
    private static void AddEdgeLetters(Plot plot, CoordinateRect rect, ImagePlane view)
    {
        (string left, string right, string top, string bottom) = PatientPositions.EdgeLetters(view.Right, view.Down);
        double midU = 0.5 * (rect.Left + rect.Right), midV = 0.5 * (rect.Bottom + rect.Top), inset = 0.03 * (rect.Right - rect.Left);
        foreach ((string text, double u, double v, Alignment a) in new[]
        {
            (left, rect.Left + inset, midV, Alignment.MiddleLeft), (right, rect.Right - inset, midV, Alignment.MiddleRight),
            (top, midU, rect.Top - inset, Alignment.UpperCenter), (bottom, midU, rect.Bottom + inset, Alignment.LowerCenter),
        })
        {
            var label = plot.Add.Text(text, u, v);
            label.LabelFontSize = 22;
            label.LabelBold = true;
            label.LabelFontColor = Colors.Yellow;
            label.LabelAlignment = a;
        }
    }

    /// <summary>An image plane: LPS directions of its columns (screen right) and rows (screen down); plots (u, −v).</summary>
    private readonly record struct ImagePlane(Vec3 Right, Vec3 Down)
    {
        public (double U, double V) Plot(Vec3 pointLps) => (Vec3.Dot(pointLps, Right), -Vec3.Dot(pointLps, Down));
    }

    /// <summary>The isodose lines of <see cref="IsodosePercents"/> on slice <paramref name="k"/>, each coloured as the dose wash colours its level.</summary>
    private static void AddIsodoseLines(Plot plot, double[,] doseLines, double prescriptionGy, GridGeometry g, int k, ImagePlane view)
    {
        for (int l = 0; l < IsodosePercents.Count; l++)
        {
            double level = IsodosePercents[l] / 100 * prescriptionGy;
            Color color = new ScottPlot.Colormaps.Turbo().GetColor(Math.Min(1, level / (1.1 * prescriptionGy)));
            bool first = true;
            foreach ((double x0, double y0, double x1, double y1) in IsodoseLines.Segments(doseLines, level))
            {
                (double u0, double v0) = view.Plot(g.IndexToLps(x0, y0, k));
                (double u1, double v1) = view.Plot(g.IndexToLps(x1, y1, k));
                var seg = plot.Add.Line(u0, v0, u1, v1);
                seg.LineWidth = 1.5f;
                seg.LineColor = color;
                if (first)
                {
                    seg.LegendText = string.Create(CultureInfo.InvariantCulture, $"{IsodosePercents[l]:0} % ({level:0.#} Gy)");
                    first = false;
                }
            }
        }
    }

    /// <summary>The outline of every structure but the body on slice <paramref name="k"/>: targets solid and thick, organs dashed.</summary>
    private static void AddOutlines(Plot plot, PlanCase plan, int k, ImagePlane view)
    {
        int s = 0;
        foreach (PlanStructure structure in plan.Structures)
        {
            if (structure.IsExternal)
            {
                continue;
            }

            Color color = Palette[s++ % Palette.Length];
            bool first = true;
            foreach (Contour contour in ContourTracer.TraceSlice(structure.Mask, k))
            {
                IReadOnlyList<Vec3> pts = contour.PointsLps;
                var xs = new double[pts.Count + 1];
                var ys = new double[pts.Count + 1];
                for (int p = 0; p <= pts.Count; p++)
                {
                    (xs[p], ys[p]) = view.Plot(pts[p % pts.Count]);
                }

                var outline = plot.Add.ScatterLine(xs, ys);
                outline.Color = color;
                outline.LineWidth = structure.IsTarget ? 2.5f : 1.5f;
                outline.LinePattern = structure.IsTarget ? LinePattern.Solid : LinePattern.Dashed;
                if (first)
                {
                    outline.LegendText = structure.Name;
                    first = false;
                }
            }
        }
    }
}
