using System.Diagnostics;
using ILGPU.Runtime;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.MonteCarlo;

namespace MeTAI.Dosimetry.Engines;

public sealed partial class MonteCarloEngine
{
    /// <summary>
    /// One lean run for many small beams (beamlets of an influence matrix): the histories go out in as few launches as
    /// the session's stacks allow, the tally is read once, and the mean dose is written into <paramref name="dose"/>
    /// without batch statistics or result grids, so a run costs its transport plus one tally copy.
    /// </summary>
    internal DoseTallyResult ExecuteTally(RunBuffers b, Phantoms.VoxelPhantom phantom, PhysicsOptions physics, BeamSetup beam, long histories, ulong seed, Span<float> dose, CancellationToken cancellationToken)
    {
        GridGeometry grid = phantom.Geometry;
        if (dose.Length != grid.VoxelCount)
        {
            throw new ArgumentException($"The dose buffer needs {grid.VoxelCount} values, has {dose.Length}.", nameof(dose));
        }

        if (histories < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(histories), histories, "Need at least one history.");
        }

        if (beam.Spectrum.MaxEnergyMeV > physics.MaxEnergyMeV)
        {
            throw new ArgumentException($"Beam energy {beam.Spectrum.MaxEnergyMeV} MeV exceeds the tables' {physics.MaxEnergyMeV} MeV.");
        }

        SetSource(b, beam, grid);
        b.Tally.MemSetToZero();
        b.Counters.MemSetToZero();
        int capacity = Math.Min(IndexCount, b.IndexCapacity);
        // Spread the histories over every index of one launch (a beamlet is small); cap the chunk so a launch of a
        // large run stays short (CUDA watchdogs, cancellation).
        long perIndex = Math.Clamp((histories + capacity - 1) / capacity, 1, Math.Max(HistoriesPerIndex, 4096));
        long perLaunch = perIndex * capacity;
        var kr = new KernelRun
        {
            Seed = seed,
            ElectronCut = (float)physics.ElectronCutoffMeV,
            PhotonCut = (float)physics.PhotonCutoffMeV,
            RangeRejectionBelow = (float)physics.RangeRejectionBelowMeV,
            MollerThreshold = (float)physics.MollerThresholdMeV,
            BremsThreshold = (float)physics.BremsstrahlungThresholdMeV,
            HistoriesPerIndex = (int)perIndex,
        };
        var sw = Stopwatch.StartNew();
        for (long done = 0; done < histories; done += perLaunch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long n = Math.Min(perLaunch, histories - done);
            kr.FirstHistory = done;
            kr.Histories = n;
            int indices = (int)((n + perIndex - 1) / perIndex);
            _kernel(indices, b.Tables, b.Phantom, b.Source, b.Scratch, kr);
            _accelerator.Synchronize();
        }

        b.Tally.View.CopyToCPU(b.HostTally);
        sw.Stop();
        double? perMu = beam.HistoriesPerMu;
        double scale = (perMu is double h ? h * beam.MonitorUnits : 1.0) / histories;
        long[] tally = b.HostTally;
        double[] gy = b.GyPerFixedUnit;
        long deposited = 0;
        for (int n = 0; n < tally.Length; n++)
        {
            long t = tally[n];
            deposited += t;
            dose[n] = t == 0 ? 0f : (float)(t * gy[n] * scale);
        }

        return new DoseTallyResult(histories, sw.Elapsed.TotalSeconds, deposited / TransportKernel.FixedPerMeV, perMu is null ? "Gy/history" : "Gy");
    }
}
