using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Dosimetry.Tests.Engines;

/// <summary>Beamlets on a resident phantom: a session reruns with only the source replaced, and gives what a fresh run gives.</summary>
[Collection(MonteCarloTests.Name)]
public class DoseSessionTests(EngineFixture fixture)
{
    [Fact]
    public void Session_BeamletsOneAtATime_MatchFreshRunsAndAddUp()
    {
        VoxelPhantom phantom = VoxelPhantom.Box(new Vec3(100, 100, 100), 5);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        BeamSetup left = model.CreateBeam(Aperture.Beamlet(-2.5, 0), Vec3.Zero);
        BeamSetup right = model.CreateBeam(Aperture.Beamlet(2.5, 0), Vec3.Zero);

        using DoseSession session = fixture.Engine.OpenSession(phantom);
        DoseResult a = session.Run(left, 40_000, seed: 8);
        DoseResult b = session.Run(right, 40_000, seed: 8);
        DoseResult fresh = fixture.Engine.Run(new DoseRequest { Phantom = phantom, Beam = right, Histories = 40_000, Seed = 8 });

        // The tally was reset between beamlets: the second run equals a fresh run bit for bit.
        Assert.Equal(fresh.Dose.Data, b.Dose.Data);
        // Mirror-image beamlets deposit their energy on opposite sides of x = 0.
        MeTAI.Core.Voxels.GridGeometry g = phantom.Geometry;
        double aLeft = 0, bLeft = 0;
        for (int n = 0; n < g.VoxelCount; n++)
        {
            int i = n % g.SizeX;
            if (i < g.SizeX / 2)
            {
                aLeft += a.Dose.Data[n];
                bLeft += b.Dose.Data[n];
            }
        }

        Assert.True(aLeft > 3 * bLeft);
        Assert.Throws<ArgumentException>(() => session.Run(new DoseRequest { Phantom = VoxelPhantom.Box(new Vec3(50, 50, 50), 5), Beam = left }));
    }
}
