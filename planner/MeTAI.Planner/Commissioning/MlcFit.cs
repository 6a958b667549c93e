using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// The MLC stage of the commissioning, without Monte Carlo: the leaf geometry's own transmission model (the one the
/// transport kernel ray-traces, <see cref="MlcGeometry.TransmissionAt"/>) is solved for the measured values. First the
/// leaf-body transmission T by bisection (in ln T) so that the closed-leaf transmission averaged over leaf bodies and
/// interleaf bands (<see cref="ClosedTransmission"/>) equals the measured one, the interleaf transmission following
/// with the base file's ratio ln T_i / ln T; then the leaf-end radius R by bisection so that
/// <see cref="MlcGeometry.GeometricDlgMm"/> equals the measured DLG (the DLG falls monotonically as R grows; R within
/// the schema's 10–2000 mm).
/// </summary>
public static class MlcFit
{
    /// <summary>Lowest and highest leaf-end radius the schema allows, mm.</summary>
    public const double MinRadiusMm = 10, MaxRadiusMm = 2000;

    /// <summary>Closed-leaf transmission of <paramref name="mlc"/>: leaves closed under the X2 jaw (x = 80 mm), mean over x, y ∈ [−20, 20] mm at the isocentre plane.</summary>
    public static double ClosedTransmission(MlcGeometry mlc, double sadMm = 1000)
    {
        ArgumentNullException.ThrowIfNull(mlc);
        double[] closed = [.. Enumerable.Repeat(80.0, mlc.Pairs)];
        double sum = 0;
        int n = 0;
        for (double y = -20; y <= 20; y += 0.1)
        {
            for (double x = -20; x <= 20; x += 4)
            {
                sum += mlc.TransmissionAt(x, y, closed, closed, sadMm);
                n++;
            }
        }

        return sum / n;
    }

    /// <summary>Solves <paramref name="mlc"/> for <paramref name="measured"/>.</summary>
    public static MlcFitResult Fit(MlcGeometry mlc, MlcMeasurement measured, double sadMm = 1000)
    {
        ArgumentNullException.ThrowIfNull(mlc);
        ArgumentNullException.ThrowIfNull(measured);
        double scale = mlc.InterleafScale;
        MlcGeometry WithT(double t) => mlc with { Transmission = t, InterleafTransmission = Math.Min(0.2, Math.Pow(t, scale)) };
        double lo = Math.Log(0.001), hi = Math.Log(0.1);
        double target = measured.TransmissionFraction;
        if (target <= ClosedTransmission(WithT(0.001), sadMm) || target >= ClosedTransmission(WithT(0.1), sadMm))
        {
            throw new ArgumentException($"{measured.File}: closed-leaf transmission {100 * target:0.###} % is outside what leaf transmissions 0.1–10 % give with this leaf geometry.");
        }

        for (int i = 0; i < 60; i++)
        {
            double mid = 0.5 * (lo + hi);
            (lo, hi) = ClosedTransmission(WithT(Math.Exp(mid)), sadMm) < target ? (mid, hi) : (lo, mid);
        }

        MlcGeometry g = WithT(Math.Exp(0.5 * (lo + hi)));
        (double r, string? limit) = Radius(g, measured.DlgMm, sadMm);
        g = g with { LeafEndRadiusMm = r };
        return new MlcFitResult
        {
            LeafTransmission = g.Transmission, InterleafTransmission = g.InterleafTransmission, LeafEndRadiusMm = r,
            ClosedTransmission = ClosedTransmission(g, sadMm), DlgMm = g.GeometricDlgMm(sadMm), DlgLimit = limit,
        };
    }

    private static (double RadiusMm, string? Limit) Radius(MlcGeometry g, double dlgMm, double sadMm)
    {
        double Dlg(double r) => (g with { LeafEndRadiusMm = r }).GeometricDlgMm(sadMm);
        double atMin = Dlg(MinRadiusMm), atMax = Dlg(MaxRadiusMm);
        if (dlgMm >= atMin)
        {
            return (MinRadiusMm, $"the measured DLG {dlgMm:0.00} mm is above the {atMin:0.00} mm of the smallest radius ({MinRadiusMm} mm)");
        }

        if (dlgMm <= atMax)
        {
            return (MaxRadiusMm, $"the measured DLG {dlgMm:0.00} mm is below the {atMax:0.00} mm of the largest radius ({MaxRadiusMm} mm)");
        }

        double lo = Math.Log(MinRadiusMm), hi = Math.Log(MaxRadiusMm);
        for (int i = 0; i < 50; i++)
        {
            double mid = 0.5 * (lo + hi);
            (lo, hi) = Dlg(Math.Exp(mid)) > dlgMm ? (mid, hi) : (lo, mid);
        }

        return (Math.Exp(0.5 * (lo + hi)), null);
    }
}
