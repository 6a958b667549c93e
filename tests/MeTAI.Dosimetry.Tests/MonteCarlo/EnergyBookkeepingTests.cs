using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Dosimetry.Tests.Engines;

namespace MeTAI.Dosimetry.Tests.MonteCarlo;

/// <summary>Deposited + escaping energy must equal the energy that entered the grid (within 0.1 %).</summary>
[Collection(MonteCarloTests.Name)]
public class EnergyBookkeepingTests(EngineFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DepositedPlusEscaped_EqualsIncident(bool heterogeneous)
    {
        VoxelPhantom phantom = heterogeneous
            ? SlabPhantom.Create([new Slab(30, "water", 1.0), new Slab(40, "lung", 0.26), new Slab(20, "cortical-bone", 1.85), new Slab(30, "titanium", 4.5), new Slab(30, "water", 1.0)], 100, 5)
            : VoxelPhantom.Box(new Vec3(100, 150, 100), 5);
        // 6 MeV photons make pairs (positrons, annihilation) as well as Compton and photoelectric events.
        var beam = new BeamSetup
        {
            Spectrum = heterogeneous ? EnergySpectrum.Monoenergetic(6) : BeamModel.Load(DosimetryPaths.BeamFile("6MV-point")).Spectrum,
            Aperture = Aperture.Field(50, 50),
            Geometry = new BeamGeometry(0, 0, 0, Vec3.Zero, 1000),
        };
        DoseResult r = fixture.Engine.Run(new DoseRequest { Phantom = phantom, Beam = beam, Histories = 100_000, Seed = 5 });

        Assert.True(r.IncidentEnergyMeV > 0);
        output.WriteLine($"incident {r.IncidentEnergyMeV:F1} MeV, deposited {r.DepositedEnergyMeV:F1}, escaped {r.EscapedEnergyMeV:F1}, relative imbalance {(r.DepositedEnergyMeV + r.EscapedEnergyMeV) / r.IncidentEnergyMeV - 1:E2}");
        double balance = (r.DepositedEnergyMeV + r.EscapedEnergyMeV) / r.IncidentEnergyMeV - 1;
        Assert.True(Math.Abs(balance) < 1e-3, $"energy balance off by {balance:E2}");
        Assert.True(r.DepositedEnergyMeV > 0.05 * r.IncidentEnergyMeV);
        Assert.Equal(0, r.StackOverflows);
    }
}
