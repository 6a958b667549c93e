namespace MeTAI.Dosimetry.Tests.Validation;

/// <summary>PNG plots for docs/validation.md (ScottPlot).</summary>
internal static class Plots
{
    public static void DepthDose(string path, string title, double[] x, IReadOnlyList<(string Label, double[] Y)> series, string xLabel = "depth (mm)", string yLabel = "relative dose (%)")
    {
        var plot = new ScottPlot.Plot();
        foreach ((string label, double[] y) in series)
        {
            ScottPlot.Plottables.Scatter s = plot.Add.Scatter(x, y);
            s.LegendText = label;
            s.MarkerSize = 3;
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend();
        plot.SavePng(path, 900, 550);
    }
}
