using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Dosimetry.Tests.Engines;

namespace MeTAI.Dosimetry.Tests.MonteCarlo;

/// <summary>Same seed and configuration ⇒ bit-identical dose (integer tallies, Philox stream per history).</summary>
[Collection(MonteCarloTests.Name)]
public class DeterminismTests(EngineFixture fixture)
{
    private static DoseRequest Request(ulong seed)
    {
        VoxelPhantom phantom = SlabPhantom.Create([new Slab(30, "water", 1.0), new Slab(30, "lung", 0.26), new Slab(40, "water", 1.0)], 80, 5);
        BeamSetup beam = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point")).CreateBeam(Aperture.Field(40, 40), Vec3.Zero);
        return new DoseRequest { Phantom = phantom, Beam = beam, Histories = 60_000, Seed = seed };
    }

    [Fact]
    public void Run_SameSeedTwice_BitIdenticalDose()
    {
        DoseResult a = fixture.Engine.Run(Request(99));
        DoseResult b = fixture.Engine.Run(Request(99));
        Assert.True(a.MaxDose > 0);
        Assert.Equal(a.Dose.Data, b.Dose.Data);
        Assert.Equal(a.RelativeUncertainty.Data, b.RelativeUncertainty.Data);
    }

    [Fact]
    public void Run_DifferentChunking_BitIdenticalDose()
    {
        DoseResult a = fixture.Engine.Run(Request(7));
        int saved = fixture.Engine.HistoriesPerIndex;
        try
        {
            // Histories move to other kernel indices and threads; their random streams and integer tallies do not change.
            fixture.Engine.HistoriesPerIndex = 97;
            DoseResult b = fixture.Engine.Run(Request(7));
            Assert.Equal(a.Dose.Data, b.Dose.Data);
        }
        finally
        {
            fixture.Engine.HistoriesPerIndex = saved;
        }
    }

    [Fact]
    public void Run_DifferentSeed_DifferentDose()
    {
        DoseResult a = fixture.Engine.Run(Request(1));
        DoseResult b = fixture.Engine.Run(Request(2));
        Assert.NotEqual(a.Dose.Data, b.Dose.Data);
    }
}
