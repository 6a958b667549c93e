using System.Globalization;
using MeTAI.Core.IO;
using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>The report's pictures (ScottPlot, PNG): each measured curve with the model's, and the output factors.</summary>
public static class CommissioningPlots
{
    /// <summary>Measured points (markers) and model curve (line), both normalised, with the curve's gamma and figures in the title.</summary>
    public static void Curve(string path, CurveComparisonResult c, ComparisonOptions criteria)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(criteria);
        var plot = new ScottPlot.Plot();
        ScottPlot.Plottables.Scatter model = plot.Add.Scatter(c.ModelPositionMm, c.ModelPercent);
        model.LegendText = "model (Monte Carlo)";
        model.MarkerSize = 0;
        model.LineWidth = 2;
        ScottPlot.Plottables.Scatter measured = plot.Add.Scatter(c.Measured.PositionMm, c.MeasuredPercent);
        measured.LegendText = "measured: " + Path.GetFileName(c.Measured.File);
        measured.LineWidth = 0;
        measured.MarkerSize = 5;
        string extra = c.Measured.Kind == CurveKind.DepthDose
            ? string.Create(CultureInfo.InvariantCulture, $"max dev. beyond dmax {c.MaxDeviationPercent:0.00} %")
            : string.Create(CultureInfo.InvariantCulture, $"penumbra {c.PenumbraMeasuredMm:0.0}/{c.PenumbraModelMm:0.0} mm");
        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"{c.Measured.Label}: gamma {100 * criteria.DoseTolerance:0.#} %/{criteria.DtaMm:0.#} mm pass {100 * c.GammaPassRate:0.0} %, {extra}"));
        plot.XLabel(c.Measured.Kind == CurveKind.DepthDose ? "depth (mm)" : "off-axis position (mm)");
        plot.YLabel(c.Measured.Kind == CurveKind.DepthDose ? "dose (% of maximum)" : "dose (% of central axis)");
        if (c.Measured.Kind != CurveKind.DepthDose)
        {
            double lo = c.Measured.PositionMm[0], hi = c.Measured.PositionMm[^1];
            plot.Axes.SetLimitsX(lo - 5, hi + 5);
        }

        plot.ShowLegend();
        AtomicFile.WriteVia(path, tmp => plot.SavePng(tmp, 900, 550));
    }

    /// <summary>Output factors against the side of the equivalent square (4XY / 2(X + Y)), measured and model.</summary>
    public static void OutputFactors(string path, IReadOnlyList<OutputFactorComparison> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        double[] side = [.. factors.Select(f => 2 * f.FieldXMm * f.FieldYMm / (f.FieldXMm + f.FieldYMm) / 10)];
        var plot = new ScottPlot.Plot();
        ScottPlot.Plottables.Scatter m = plot.Add.Scatter(side, [.. factors.Select(f => f.Measured)]);
        m.LegendText = "measured";
        m.LineWidth = 0;
        m.MarkerSize = 7;
        ScottPlot.Plottables.Scatter e = plot.Add.Scatter(side, [.. factors.Select(f => f.Model)]);
        e.LegendText = "model";
        e.LineWidth = 0;
        e.MarkerSize = 7;
        e.MarkerShape = ScottPlot.MarkerShape.OpenCircle;
        plot.Title("Output factors (relative to 10 x 10 cm2)");
        plot.XLabel("equivalent square side (cm)");
        plot.YLabel("output factor");
        plot.ShowLegend();
        AtomicFile.WriteVia(path, tmp => plot.SavePng(tmp, 900, 550));
    }
}
