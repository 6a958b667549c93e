using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.MonteCarlo;
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
    public void RunTallyRange_RangesOnOtherSessions_SumExactlyToTheRunsBatches()
    {
        // A run's histories [0, 60 000) in 10 batches, and the same histories as ranges of other sizes, out of order, on
        // two other sessions (as cluster units would run them): the integer tallies and counters add up exactly.
        DoseRequest request = Request(5);
        DoseResult run = fixture.Engine.Run(request);
        using DoseSession first = fixture.Engine.OpenSession(request.Phantom, request.Physics);
        using DoseSession second = fixture.Engine.OpenSession(request.Phantom, request.Physics);
        int voxels = request.Phantom.Geometry.VoxelCount;
        var tally = new long[voxels];
        var counters = new long[TransportKernel.CounterCount];
        var sum = new long[voxels];
        var counterSum = new long[TransportKernel.CounterCount];
        long maxDepth = 0;
        foreach ((long from, long count, DoseSession session) in new[] { (40_000L, 20_000L, first), (0L, 25_000L, second), (25_000L, 15_000L, first) })
        {
            session.RunTallyRange(request, from, count, tally, counters);
            for (int n = 0; n < voxels; n++)
            {
                sum[n] += tally[n];
            }

            for (int c = 0; c < counters.Length; c++)
            {
                counterSum[c] += counters[c];
            }

            maxDepth = Math.Max(maxDepth, counters[TransportKernel.CounterMaxPrimaryDepth]);
        }

        Assert.Equal(run.DepositedEnergyMeV * TransportKernel.FixedPerMeV, sum.Sum(), 0);
        Assert.Equal(run.IncidentEnergyMeV * TransportKernel.FixedPerMeV, counterSum[TransportKernel.CounterIncident], 0);
        Assert.Equal(run.EnteredPrimaries, counterSum[TransportKernel.CounterEntered]);
        Assert.Equal(run.MaxPrimaryElectronDepthMm, maxDepth / 1e4 * 10, 12);

        // And per voxel: one range over everything equals the three.
        using DoseSession third = fixture.Engine.OpenSession(request.Phantom, request.Physics);
        third.RunTallyRange(request, 0, 60_000, tally, counters);
        Assert.Equal(sum, tally);
    }

    [Fact]
    public void Run_DifferentSeed_DifferentDose()
    {
        DoseResult a = fixture.Engine.Run(Request(1));
        DoseResult b = fixture.Engine.Run(Request(2));
        Assert.NotEqual(a.Dose.Data, b.Dose.Data);
    }
}
