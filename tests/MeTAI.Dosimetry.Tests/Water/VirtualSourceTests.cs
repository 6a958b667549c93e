using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Tests.Engines;
using MeTAI.Dosimetry.Water;
using Xunit.Abstractions;

namespace MeTAI.Dosimetry.Tests.Water;

/// <summary>
/// The virtual source model's effects in a water tank, each isolated by switching one sub-source on or off and
/// compared with its geometric expectation (docs/beam-model.md).
/// </summary>
[Collection(MonteCarloTests.Name)]
public class VirtualSourceTests(EngineFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// 80–20 % width of the field edge at <paramref name="depthMm"/>: the crossline profile averaged over inline
    /// −20…20 mm and over both edges (mirrored), relative to its mean over the central ±10 mm.
    /// </summary>
    private static double Penumbra8020(WaterTankScan s, double depthMm)
    {
        var x = new List<double>();
        var v = new List<double>();
        for (double p = 0; p <= 45; p += 0.25)
        {
            double sum = 0;
            for (double y = -20; y <= 20; y += 10)
            {
                sum += s.DoseAt(depthMm, p, y) + s.DoseAt(depthMm, -p, y);
            }

            x.Add(p);
            v.Add(sum);
        }

        double c = v.Where((_, i) => x[i] <= 10).Average();
        return Crossing(x, v, 0.2 * c) - Crossing(x, v, 0.8 * c);
    }

    // The last downward crossing of the level (outermost), by linear interpolation.
    private static double Crossing(List<double> x, List<double> v, double level)
    {
        for (int i = x.Count - 2; i >= 0; i--)
        {
            if (v[i] >= level && v[i + 1] < level)
            {
                return x[i] + (v[i] - level) / (v[i] - v[i + 1]) * (x[i + 1] - x[i]);
            }
        }

        return double.NaN;
    }

    /// <summary>Mean dose over the central 5 × 5 voxels (10 mm) at a depth.</summary>
    private static double Central(WaterTankScan s, double depthMm)
    {
        double sum = 0;
        for (double x = -20; x <= 20; x += 10)
        {
            for (double y = -20; y <= 20; y += 10)
            {
                sum += s.DoseAt(depthMm, x, y);
            }
        }

        return sum / 25;
    }

    [Fact]
    public void FocalSpot_WidensThePenumbra_AsItsProjectionThroughTheJaws()
    {
        var options = new WaterTankOptions { CrosslineVoxelMm = 0.5, InlineVoxelMm = 10, DepthVoxelMm = 10, TankDepthMm = 40, LateralMarginMm = 15 };
        double Pen(double fwhm)
        {
            var tank = new WaterTankSimulator(TankModels.FocalOnly(fwhm), fixture.Engine, options);
            WaterTankScan s = tank.Simulate(WaterTankField.Jaws(60, 60), 4_000_000, seed: 11);
            return Penumbra8020(s, 15);
        }

        double point = Pen(0), wide = Pen(4);
        // A Gaussian spot of FWHM f blurs the X-jaw edge at the isocentre by σ = f/2.3548 · (SAD − z_x)/z_x; its
        // 80–20 % width is 1.683 σ, added in quadrature to the point-source penumbra.
        double sigma = 4 / 2.3548 * (1000 - 406) / 406.0;
        double expected = Math.Sqrt(point * point + Math.Pow(1.683 * sigma, 2));
        output.WriteLine($"80-20 penumbra at 15 mm: point {point:F2} mm, 4 mm spot {wide:F2} mm, expected {expected:F2} mm");
        Assert.True(wide > point + 1.0, $"{wide} vs {point}");
        Assert.InRange(wide, expected - 0.8, expected + 0.8);
    }

    [Fact]
    public void ExtraFocalSource_MakesScRiseWithFieldSize_AsTheVisibleFractionOfItsGaussian()
    {
        var options = new WaterTankOptions { CrosslineVoxelMm = 5, InlineVoxelMm = 5, DepthVoxelMm = 10, TankDepthMm = 80, LateralMarginMm = 10 };
        double AxisDose(BeamModel m, double side, long histories)
        {
            var tank = new WaterTankSimulator(m, fixture.Engine, options);
            WaterTankScan s = tank.Simulate(WaterTankField.Square(side), histories, seed: 5);
            double half = Math.Min(side / 2 - 10, 20), sum = 0;
            int n = 0;
            for (double x = -half; x <= half + 1e-9; x += 5)
            {
                for (double y = -half; y <= half + 1e-9; y += 5)
                {
                    sum += s.DoseAt(50, x, y);
                    n++;
                }
            }

            return sum / n;
        }

        const double w = 0.3;
        BeamModel focal = TankModels.FocalOnly(), extra = TankModels.WithExtraFocal(w);
        double r3 = AxisDose(extra, 30, 1_500_000) / AxisDose(focal, 30, 1_500_000);
        double r20 = AxisDose(extra, 200, 6_000_000) / AxisDose(focal, 200, 6_000_000);
        // Fraction of the extra-focal Gaussian (σ = 30/2.3548 mm at 130 mm) an axis point at the isocentre sees through
        // the jaws: the jaw edges project onto the source plane at a·z_j/SAD·(SAD − z_s)/(SAD − z_j).
        static double Visible(double half)
        {
            double sigma = 30 / 2.3548;
            double hy = half * 0.318 * (1000 - 130) / (1000 - 318.0), hx = half * 0.406 * (1000 - 130) / (1000 - 406.0);
            return Erf(hy / (sigma * Math.Sqrt(2))) * Erf(hx / (sigma * Math.Sqrt(2)));
        }

        double v3 = Visible(15), v20 = Visible(100);
        output.WriteLine($"dose ratio with/without extra-focal: 3x3 {r3:F4}, 20x20 {r20:F4}; visible fraction 3x3 {v3:F3}, 20x20 {v20:F3}");
        Assert.True(r20 > r3 + 0.1, $"Sc must rise with field size: {r3} vs {r20}");
        // The ratio of the excesses follows the visible fractions (the softer extra-focal photons deposit a similar dose per photon in both).
        Assert.InRange((r3 - 1) / (r20 - 1), v3 / v20 - 0.1, v3 / v20 + 0.1);
    }

    [Fact]
    public void ElectronContamination_RaisesTheBuildUp_AndLeavesTheDepthsBeyondTheElectronRange()
    {
        var options = new WaterTankOptions { CrosslineVoxelMm = 10, InlineVoxelMm = 10, DepthVoxelMm = 2, TankDepthMm = 100, LateralMarginMm = 10 };
        WaterTankScan Scan(BeamModel m) => new WaterTankSimulator(m, fixture.Engine, options).Simulate(WaterTankField.Square(100), 3_000_000, seed: 9);

        WaterTankScan none = Scan(TankModels.FocalOnly()), with = Scan(TankModels.WithElectrons(0.01));
        double surface = Central(with, 1) / Central(none, 1), deep = Central(with, 60) / Central(none, 60);
        output.WriteLine($"dose ratio with/without contamination (central 5 x 5 cm): 1 mm {surface:F3}, 60 mm {deep:F3}");
        Assert.True(surface > 1.15, $"surface dose ratio {surface}");
        Assert.InRange(deep, 0.97, 1.03);
    }

    private static double Erf(double x)
    {
        // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
        double t = 1 / (1 + 0.3275911 * Math.Abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return x >= 0 ? y : -y;
    }
}
