using MeTAI.Core.IO;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Safety;
using ScottPlot;

namespace MeTAI.Hil.Reports;

/// <summary>PNG plots of a run (ScottPlot): joint traces, controller state over time, haptic → servo latency, beam log.</summary>
public static class HilPlots
{
    private const int Width = 1100;

    /// <summary>Commanded (dashed) and true (solid) joint angles over scenario time; injected faults shaded.</summary>
    public static void Joints(HilTrace t, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(t);
        var samples = t.Samples.Where(s => s.Ticks >= t.StartTicks && s.Ticks <= t.EndTicks).ToList();
        var plot = new Plot();
        ShadeFaults(plot, t);
        double[] xs = [.. samples.Select(s => t.Seconds(s.Ticks))];
        for (int j = 0; j < t.Robot.JointCount; j++)
        {
            int jj = j;
            Color color = plot.Add.Palette.GetColor(j);
            ScottPlot.Plottables.Scatter truth = plot.Add.ScatterLine(xs, samples.Select(s => s.TrueRad[jj]).ToArray());
            truth.Color = color;
            truth.LineWidth = 1.5f;
            truth.LegendText = $"{j + 1} {t.Robot.Joints[j].Name}";
            ScottPlot.Plottables.Scatter cmd = plot.Add.ScatterLine(xs, samples.Select(s => s.CommandRad[jj]).ToArray());
            cmd.Color = color.WithAlpha(0.6);
            cmd.LineWidth = 1;
            cmd.LinePattern = LinePattern.Dashed;
        }

        plot.Title(title);
        plot.XLabel("scenario time (s)");
        plot.YLabel("joint angle (rad): true (solid), commanded (dashed)");
        plot.ShowLegend(Alignment.UpperRight);
        AtomicFile.WriteVia(path, temp => plot.SavePng(temp, Width, 520));
    }

    /// <summary>Controller state over time (step plot) with the interlocks raised marked, faults shaded.</summary>
    public static void States(HilTrace t, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(t);
        SafetyState[] order =
        [
            SafetyState.Disabled, SafetyState.Powering, SafetyState.Enabled, SafetyState.Homing, SafetyState.Ready, SafetyState.Aligning,
            SafetyState.Following, SafetyState.Clutched, SafetyState.ExecutingTrajectory, SafetyState.Paused, SafetyState.Fault, SafetyState.EStop,
        ];
        double Y(SafetyState s) => Array.IndexOf(order, s);
        var xs = new List<double> { 0 };
        var ys = new List<double> { Y(t.StateAt(t.StartTicks)) };
        foreach (StateTransition tr in t.Transitions.Where(x => x.CycleTicks > t.StartTicks && x.CycleTicks <= t.EndTicks))
        {
            xs.Add(t.Seconds(tr.CycleTicks));
            ys.Add(Y(tr.To));
        }

        xs.Add(t.Seconds(t.EndTicks));
        ys.Add(ys[^1]);
        var plot = new Plot();
        ShadeFaults(plot, t);
        ScottPlot.Plottables.Scatter line = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LineWidth = 2;
        line.MarkerSize = 4;
        line.LegendText = "state";
        int k = 0;
        foreach (InterlockRaise r in t.Raises.Where(x => x.CycleTicks >= t.StartTicks && x.CycleTicks <= t.EndTicks))
        {
            double x = t.Seconds(r.CycleTicks);
            ScottPlot.Plottables.Text text = plot.Add.Text(r.Interlock.ToString(), x, order.Length + 0.2 - 0.6 * (k++ % 3));
            text.LabelFontSize = 10;
            text.LabelFontColor = Colors.DarkRed;
            plot.Add.VerticalLine(x, 1, Colors.Red.WithAlpha(0.4), LinePattern.Dotted);
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < order.Length; i++)
        {
            ticks.AddMajor(i, order[i].ToString());
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(-0.5, order.Length + 0.7);
        plot.Axes.SetLimitsX(0, Math.Max(0.1, t.Seconds(t.EndTicks)));
        plot.Title(title);
        plot.XLabel("scenario time (s); red dotted: interlock raised; shaded: injected fault");
        AtomicFile.WriteVia(path, temp => plot.SavePng(temp, Width, 420));
    }

    /// <summary>Histogram of haptic → servo latency (master sample sent → Sync Write on the bus, controller's measurement).</summary>
    public static void Latency(HilTrace t, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(t);
        IReadOnlyList<double> ms = t.LatencySamplesMs;
        var plot = new Plot();
        if (ms.Count > 0)
        {
            double max = Math.Max(1, ms[^1]);
            double bin = max / 40;
            var counts = new double[41];
            foreach (double v in ms)
            {
                counts[Math.Min(40, (int)(v / bin))]++;
            }

            double[] positions = [.. Enumerable.Range(0, 41).Select(i => (i + 0.5) * bin)];
            ScottPlot.Plottables.BarPlot bars = plot.Add.Bars(positions, counts);
            foreach (Bar b in bars.Bars)
            {
                b.Size = bin * 0.9;
            }

            (double p50, double p99, double pmax, long n) = t.HapticToServoMs;
            plot.Add.VerticalLine(p99, 1.5f, Colors.Red, LinePattern.Dashed).LegendText = $"p99 {p99:F2} ms";
            plot.Add.VerticalLine(p50, 1.5f, Colors.Green, LinePattern.Dashed).LegendText = $"p50 {p50:F2} ms";
            plot.ShowLegend(Alignment.UpperRight);
            plot.Title($"{title} ({n} samples, max {pmax:F2} ms)");
        }
        else
        {
            plot.Title(title + " (no master sample reached the bus)");
        }

        plot.XLabel("haptic → servo latency (ms)");
        plot.YLabel("samples");
        AtomicFile.WriteVia(path, temp => plot.SavePng(temp, Width, 380));
    }

    /// <summary>Beam on/off and patient displacement over time, beam-on intervals shaded.</summary>
    public static void Beam(HilTrace t, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(t);
        var samples = t.Samples.Where(s => s.Ticks >= t.StartTicks && s.Ticks <= t.EndTicks).ToList();
        var plot = new Plot();
        foreach (Simulation.Devices.BeamInterval b in t.Beams)
        {
            double x1 = t.Seconds(b.StartTicks), x2 = t.Seconds(b.EndTicks == 0 ? t.EndTicks : b.EndTicks);
            ScottPlot.Plottables.HorizontalSpan span = plot.Add.HorizontalSpan(x1, x2);
            span.FillStyle.Color = Colors.Gold.WithAlpha(0.35);
        }

        ShadeFaults(plot, t);
        double[] xs = [.. samples.Select(s => t.Seconds(s.Ticks))];
        ScottPlot.Plottables.Scatter patient = plot.Add.ScatterLine(xs, samples.Select(s => s.PatientMm.Length).ToArray());
        patient.LegendText = "patient displacement (mm)";
        patient.LineWidth = 1.5f;
        ScottPlot.Plottables.Scatter pose = plot.Add.ScatterLine(xs, samples.Select(s => PoseErrorMm(t, s)).ToArray());
        pose.LegendText = "tool to nearest planned beam pose (mm, capped at 10)";
        pose.LineWidth = 1.5f;
        plot.Title(title + " — gold: beam on; red: injected fault");
        plot.XLabel("scenario time (s)");
        plot.YLabel("mm");
        plot.Axes.SetLimitsY(0, 10.5);
        plot.ShowLegend(Alignment.UpperRight);
        AtomicFile.WriteVia(path, temp => plot.SavePng(temp, Width, 380));
    }

    private static double PoseErrorMm(HilTrace t, TraceSample s)
    {
        double best = 10;
        foreach (Core.Geometry.Pose p in t.BeamPoses.Values)
        {
            best = Math.Min(best, (s.ToolTrueM - p.Position).Length * 1000);
        }

        return best;
    }

    private static void ShadeFaults(Plot plot, HilTrace t)
    {
        foreach (FaultRecord f in t.Faults)
        {
            double x1 = t.Seconds(f.StartTicks);
            double x2 = f.EndTicks == 0 ? x1 + 0.01 : t.Seconds(f.EndTicks);
            ScottPlot.Plottables.HorizontalSpan span = plot.Add.HorizontalSpan(x1, x2);
            span.FillStyle.Color = Colors.Red.WithAlpha(0.12);
        }
    }
}
