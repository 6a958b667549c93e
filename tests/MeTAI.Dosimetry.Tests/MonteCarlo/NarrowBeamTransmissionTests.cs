using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Dosimetry.Tests.Engines;

namespace MeTAI.Dosimetry.Tests.MonteCarlo;

/// <summary>
/// Narrow-beam geometry: a pencil of monoenergetic photons through 20 cm of one material; the fraction that crosses
/// without any interaction is exp(−μ/ρ·ρ·L), so −ln(T)/(ρL) must reproduce NIST XCOM μ/ρ (REFERENCE.md, with coherent).
/// </summary>
[Collection(MonteCarloTests.Name)]
public class NarrowBeamTransmissionTests(EngineFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("water", 1.0, 1, 0.07072)]
    [InlineData("water", 1.0, 2, 0.04942)]
    [InlineData("water", 1.0, 6, 0.02770)]
    [InlineData("lung", 0.26, 1, 0.07013)]
    [InlineData("lung", 0.26, 2, 0.04900)]
    [InlineData("lung", 0.26, 6, 0.02746)]
    [InlineData("cortical-bone", 1.85, 1, 0.06566)]
    [InlineData("cortical-bone", 1.85, 2, 0.04607)]
    [InlineData("cortical-bone", 1.85, 6, 0.02734)]
    public void UnscatteredFraction_20cmSlab_ReproducesNistMuOverRho(string material, double density, double energyMeV, double nistMuRho)
    {
        const double thicknessMm = 200;
        VoxelPhantom phantom = VoxelPhantom.Box(new Vec3(20, thicknessMm, 20), 10, material, density);
        var beam = new BeamSetup
        {
            Spectrum = EnergySpectrum.Monoenergetic(energyMeV),
            Aperture = Aperture.Field(0.01, 0.01),
            Geometry = new BeamGeometry(0, 0, 0, new Vec3(0, 100, 0), 1000),
            Parallel = true,
        };
        var request = new DoseRequest
        {
            Phantom = phantom,
            Beam = beam,
            Histories = 400_000,
            Seed = 11,
            // Photons only: charged particles deposit in place (transmission does not depend on them).
            Physics = new PhysicsOptions { ElectronCutoffMeV = 19 },
        };

        DoseResult r = fixture.Engine.Run(request);

        Assert.Equal(r.Histories, r.EnteredPrimaries);
        double t = (double)r.UnscatteredPrimaries / r.EnteredPrimaries;
        double muRho = -Math.Log(t) / (density * thicknessMm / 10);
        double sigma = Math.Sqrt((1 - t) / (t * r.EnteredPrimaries)) / (density * thicknessMm / 10) / muRho;
        output.WriteLine($"{material} {energyMeV} MeV: fitted μ/ρ {muRho:F5} cm²/g vs NIST {nistMuRho} ({100 * (muRho / nistMuRho - 1):+0.00;-0.00} %, σ {100 * sigma:F2} %)");
        Assert.True(Math.Abs(muRho / nistMuRho - 1) < 0.01, $"{material} {energyMeV} MeV: fitted μ/ρ {muRho:F5} vs NIST {nistMuRho} ({100 * (muRho / nistMuRho - 1):F2} %, σ {100 * sigma:F2} %)");
    }
}
