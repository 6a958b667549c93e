using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Dosimetry.Tests.Engines;

namespace MeTAI.Dosimetry.Tests.MonteCarlo;

/// <summary>
/// Density scaling: halving the density and doubling every length (phantom, voxels, field) leaves every path in g/cm²
/// the same, so each depth layer must receive the same energy per history. Checks that steps, voxel walking and
/// Woodcock tracking use mass thickness consistently across density.
/// </summary>
[Collection(MonteCarloTests.Name)]
public class DensityScalingTests(EngineFixture fixture)
{
    private static double[] LayerEnergy(DoseResult r, double densityGPerCm3)
    {
        GridGeometry g = r.Dose.Geometry;
        double massKg = densityGPerCm3 * g.VoxelVolumeCc * 1e-3;
        var e = new double[g.SizeY];
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    e[j] += r.Dose[i, j, k] * massKg; // J per history
                }
            }
        }

        return e;
    }

    [Theory]
    [InlineData(ParticleKind.Electron, 5.0)]
    [InlineData(ParticleKind.Photon, 2.0)]
    public void HalfDensityDoubleLengths_SameEnergyPerLayer(ParticleKind particle, double energyMeV)
    {
        DoseResult Run(double scale, double density)
        {
            VoxelPhantom phantom = VoxelPhantom.Box(new Vec3(80 * scale, 60 * scale, 80 * scale), 5 * scale, "water", density);
            var beam = new BeamSetup
            {
                Spectrum = EnergySpectrum.Monoenergetic(energyMeV),
                Aperture = Aperture.Field(40 * scale, 40 * scale),
                Geometry = new BeamGeometry(0, 0, 0, Vec3.Zero, 1000),
                Particle = particle,
                Parallel = true,
            };
            return fixture.Engine.Run(new DoseRequest { Phantom = phantom, Beam = beam, Histories = 60_000, Seed = 17 });
        }

        double[] a = LayerEnergy(Run(1, 1.0), 1.0);
        double[] b = LayerEnergy(Run(2, 0.5), 0.5);
        double total = a.Sum();
        Assert.True(total > 0);
        Assert.Equal(total, b.Sum(), total * 0.01);
        for (int j = 0; j < a.Length; j++)
        {
            // Same random numbers, same mass-thickness paths: layers agree far better than their statistics.
            Assert.True(Math.Abs(a[j] - b[j]) <= 0.01 * total, $"layer {j}: {a[j]:E4} vs {b[j]:E4} J/history");
        }
    }
}
