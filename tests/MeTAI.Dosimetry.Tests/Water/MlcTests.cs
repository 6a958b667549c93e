using ILGPU.Runtime;
using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Tests.Engines;
using MeTAI.Dosimetry.Water;
using Xunit.Abstractions;

namespace MeTAI.Dosimetry.Tests.Water;

/// <summary>
/// Jaws and MLC that attenuate (docs/beam-model.md "MLC model"): the kernel's ray trace against the leaf geometry,
/// closed-leaf transmission, the dosimetric leaf gap and a picket fence, each against its geometric expectation
/// computed from <see cref="MlcGeometry"/> on the host.
/// </summary>
[Collection(MonteCarloTests.Name)]
public class MlcTests(EngineFixture fixture, ITestOutputHelper output)
{
    private static readonly BeamModel Model = TankModels.Full();
    private static readonly MlcGeometry Mlc = Model.Collimator!.Mlc!;

    private static CollimatorSettings Leaves(Func<int, (double A, double B)> gap, double jawMm = 100)
    {
        var a = new double[Mlc.Pairs];
        var b = new double[Mlc.Pairs];
        for (int k = 0; k < Mlc.Pairs; k++)
        {
            (a[k], b[k]) = gap(k);
        }

        return new CollimatorSettings { X1Mm = -jawMm / 2, X2Mm = jawMm / 2, Y1Mm = -jawMm / 2, Y2Mm = jawMm / 2, BankAMm = a, BankBMm = b };
    }

    /// <summary>Host expectation of the MLC fluence averaged over inline [−h, h] at crossline x.</summary>
    private static double ExpectedAt(CollimatorSettings s, double x, double halfInlineMm)
    {
        double sum = 0;
        int n = 0;
        for (double y = -halfInlineMm; y <= halfInlineMm; y += 0.05)
        {
            sum += Mlc.TransmissionAt(x, y, s.BankAMm!, s.BankBMm!);
            n++;
        }

        return sum / n;
    }

    [Fact]
    public void KernelRayTrace_MatchesTheLeafGeometry_ForAPickedFenceAndStaggeredLeaves()
    {
        // Picket: every pair open 2 mm at x = 10; staggered: even pairs open [0, 40], odd pairs [30, 60] (tongue and groove).
        CollimatorSettings picket = Leaves(_ => (9, 11)), staggered = Leaves(k => k % 2 == 0 ? (0, 40) : (30, 60));
        double worst = 0;
        foreach (CollimatorSettings s in new[] { picket, staggered })
        {
            var owned = new List<MemoryBuffer>();
            KernelCollimator c = fixture.Engine.BuildCollimator(Model.CreateBeam(s, new BeamGeometry(0, 0, 0, Vec3.Zero), 1), owned);
            try
            {
                // Off the band and tip edges by 0.03 mm: exactly on an edge float and double may pick different sides.
                for (double y = -11.97; y <= 12; y += 0.1)
                {
                    for (double x = -4.97; x <= 45; x += 0.1)
                    {
                        // A ray from the focal point through (x, y) at the isocentre plane (cm).
                        double kernel = TransportKernel.Transmission(c, 0, 0, 0, (float)(x / 10), (float)(y / 10), 100f);
                        double host = Mlc.TransmissionAt(x, y, s.BankAMm!, s.BankBMm!);
                        worst = Math.Max(worst, Math.Abs(kernel - host) / Math.Max(host, 1e-3));
                    }
                }
            }
            finally
            {
                owned.ForEach(m => m.Dispose());
            }
        }

        Assert.True(worst < 2e-3, $"kernel vs geometry, worst relative difference {worst}");
        // The geometric features themselves: closed leaf 1.5 %, interleaf band 2.5 %, tongue and groove (open leaf
        // beside a closed one) T^(s/2), and full transmission in the gaps.
        Assert.Equal(0.015, Mlc.TransmissionAt(-30, 2.5, picket.BankAMm!, picket.BankBMm!), 6);
        Assert.Equal(0.025, Mlc.TransmissionAt(-30, 0.2, picket.BankAMm!, picket.BankBMm!), 6);
        Assert.Equal(1.0, Mlc.TransmissionAt(10, 2.5, picket.BankAMm!, picket.BankBMm!), 6);
        double tg = Math.Pow(0.015, Mlc.InterleafScale / 2);
        Assert.Equal(tg, Mlc.TransmissionAt(5, 0.2, staggered.BankAMm!, staggered.BankBMm!), 6);
        Assert.InRange(tg, 0.1, 0.25);
    }

    private (double Mean, double Open) AxisRegionDose(CollimatorSettings leaves, long histories, ulong seed)
    {
        var options = new WaterTankOptions { CrosslineVoxelMm = 5, InlineVoxelMm = 5, DepthVoxelMm = 10, TankDepthMm = 80, LateralMarginMm = 10 };
        var tank = new WaterTankSimulator(Model, fixture.Engine, options);
        double Mean(WaterTankScan s)
        {
            double sum = 0;
            int n = 0;
            for (double x = -20; x <= 20; x += 5)
            {
                for (double y = -20; y <= 20; y += 5)
                {
                    sum += s.DoseAt(50, x, y);
                    n++;
                }
            }

            return sum / n;
        }

        double closed = Mean(tank.Simulate(new WaterTankField { Collimation = leaves }, histories, seed));
        double open = Mean(tank.Simulate(WaterTankField.Square(100), histories / 4, seed + 1));
        return (closed, open);
    }

    [Fact]
    public void ClosedLeaves_TransmitWhatTheLeafGeometrySays_WithinTheClinicalRange()
    {
        // All leaves closed with their meeting point under the X2 jaw (x = 80 mm): the field is covered by bank A.
        CollimatorSettings closed = Leaves(_ => (80, 80));
        (double dose, double open) = AxisRegionDose(closed, 8_000_000, 21);
        double ratio = dose / open;
        double expected = 0;
        int n = 0;
        for (double x = -20; x <= 20; x += 1)
        {
            expected += ExpectedAt(closed, x, 22.5);
            n++;
        }

        expected /= n;
        output.WriteLine($"closed-leaf dose / open dose at 5 cm (central 4 x 4 cm): {ratio:P2}; leaf geometry {expected:P2}");
        Assert.InRange(ratio, 0.012, 0.020);
        Assert.InRange(ratio, expected - 0.0015, expected + 0.0015);
    }

    [Fact]
    public void SlidingGaps_GiveTheDosimetricLeafGapOfTheRoundedEnds()
    {
        var options = new WaterTankOptions { CrosslineVoxelMm = 1, InlineVoxelMm = 10, DepthVoxelMm = 10, TankDepthMm = 60, LateralMarginMm = 10 };
        var tank = new WaterTankSimulator(Model, fixture.Engine, options);
        double Integral(CollimatorSettings s, ulong seed)
        {
            WaterTankScan scan = tank.Simulate(new WaterTankField { Collimation = s }, 6_000_000, seed);
            double sum = 0;
            for (double x = -60; x <= 60; x += 1)
            {
                sum += scan.DoseAt(50, x, 0);
            }

            return sum;
        }

        double i10 = Integral(Leaves(_ => (-5, 5)), 31), i20 = Integral(Leaves(_ => (-10, 10)), 32), ic = Integral(Leaves(_ => (80, 80)), 33);
        double slope = (i20 - i10) / 10;
        double dlg = (i10 - ic) / slope - 10;
        double geometric = Mlc.GeometricDlgMm();
        output.WriteLine($"DLG from the dose of 10 and 20 mm gaps: {dlg:F2} mm; geometric (rounded ends) {geometric:F2} mm");
        Assert.InRange(dlg, geometric - 0.4, geometric + 0.4);
    }
}
