using System.Diagnostics;
using ILGPU.Runtime;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Dosimetry.Tallies;

namespace MeTAI.Dosimetry.Engines;

public sealed partial class MonteCarloEngine
{
    /// <inheritdoc />
    public DoseResult Run(DoseRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        using DoseSession session = OpenSession(request.Phantom, request.Physics, request.MaterialsDirectory);
        return session.Run(request, progress, cancellationToken);
    }

    /// <summary>
    /// Uploads a phantom and its physics tables once; the session then runs any number of beams or beamlets on it,
    /// re-uploading only the small source tables (the fast reset issue 4 needs for influence matrices).
    /// </summary>
    public DoseSession OpenSession(VoxelPhantom phantom, PhysicsOptions? physics = null, string? materialsDirectory = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(phantom);
        physics ??= new PhysicsOptions();
        physics.Validate();
        return new DoseSession(this, PrepareSession(phantom, physics, materialsDirectory), phantom, physics);
    }

    internal DoseResult Execute(RunBuffers b, DoseRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (request.Uncertainty is not null)
        {
            return ExecuteToTarget(b, request, progress, cancellationToken);
        }

        GridGeometry grid = request.Phantom.Geometry;
        SetSource(b, request.Beam, grid);
        b.Statistics = new BatchStatistics(grid.VoxelCount, request.KeepBatchDoses ? request.Batches : 0);
        b.Tally.MemSetToZero();
        b.Counters.MemSetToZero();
        long perBatch = request.Histories / request.Batches;
        // The stacks were sized for the index count at session start; never launch more indices than that.
        long perLaunch = (long)Math.Min(IndexCount, b.IndexCapacity) * HistoriesPerIndex;
        long launchesPerBatch = (perBatch + perLaunch - 1) / perLaunch;
        long totalLaunches = launchesPerBatch * request.Batches;
        KernelRun kr = NewKernelRun(request);

        long deposited = 0;
        long launches = 0;
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int batch = 0; batch < request.Batches; batch++)
        {
            RunBatch(b, ref kr, batch, perBatch, perLaunch, ref launches, totalLaunches, progress, cancellationToken);
            deposited += b.Statistics.AddBatch(b.HostTally, b.GyPerFixedUnit, perBatch);
        }

        sw.Stop();
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        b.Counters.View.CopyToCPU(b.HostCounters);
        DoseResult result = BuildResult(b, request, perBatch * request.Batches, request.Batches, sw.Elapsed.TotalSeconds, deposited);
        result.ProcessCpuSeconds = cpuSeconds;
        return result;
    }

    private static KernelRun NewKernelRun(DoseRequest request) => new()
    {
        Seed = request.Seed,
        ElectronCut = (float)request.Physics.ElectronCutoffMeV,
        PhotonCut = (float)request.Physics.PhotonCutoffMeV,
        RangeRejectionBelow = (float)request.Physics.RangeRejectionBelowMeV,
        MollerThreshold = (float)request.Physics.MollerThresholdMeV,
        BremsThreshold = (float)request.Physics.BremsstrahlungThresholdMeV,
        DepthProbeCm = (float)(request.DepthProbeMm / 10),
    };

    /// <summary>One batch: launches its histories, reads the tally into the preallocated host array, clears it.</summary>
    internal void RunBatch(RunBuffers b, ref KernelRun kr, int batch, long perBatch, long perLaunch, ref long launches, long totalLaunches, IProgress<double>? progress, CancellationToken cancellationToken) =>
        RunBatchFrom(b, ref kr, batch * perBatch, perBatch, perLaunch, ref launches, totalLaunches, progress, cancellationToken);

    /// <summary>One batch of <paramref name="perBatch"/> histories numbered from <paramref name="start"/> (batches of any size).</summary>
    internal void RunBatchFrom(RunBuffers b, ref KernelRun kr, long start, long perBatch, long perLaunch, ref long launches, long totalLaunches, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        for (long done = 0; done < perBatch; done += perLaunch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long n = Math.Min(perLaunch, perBatch - done);
            kr.FirstHistory = start + done;
            kr.Histories = n;
            kr.HistoriesPerIndex = HistoriesPerIndex;
            int indices = (int)((n + HistoriesPerIndex - 1) / HistoriesPerIndex);
            _kernel(indices, b.Tables, b.Phantom, b.Source, b.Scratch, kr);
            _accelerator.Synchronize();
            launches++;
            progress?.Report(Math.Min(1, (double)launches / totalLaunches));
        }

        b.Tally.View.CopyToCPU(b.HostTally);
        b.Tally.MemSetToZero();
    }

    private DoseResult BuildResult(RunBuffers b, DoseRequest request, long histories, int batches, double seconds, long deposited, TargetOutcome? outcome = null)
    {
        GridGeometry g = request.Phantom.Geometry;
        double? perMu = request.Beam.HistoriesPerMu;
        double[] perVoxel = DoseScalePerVoxel(b, request);
        float[] rho = request.Phantom.DensitiesGPerCm3;
        (VoxelGrid<float> dose, VoxelGrid<float> unc, double max) = DoseGrids(b.Statistics, perVoxel, rho, g);
        long[] c = b.HostCounters;
        (DepthDoseCurve? axis, DoseProfile? profile) = CentralAxisSummary(request.Beam.Geometry, g, dose.Data, rho);
        return new DoseResult
        {
            Dose = dose,
            DoseUnit = perMu is null ? "Gy/history" : "Gy",
            IsDoseToWater = request.DoseToWater,
            RelativeUncertainty = unc,
            BatchDoses = request.KeepBatchDoses ? BatchDoses(b.Statistics, request.Batches, perVoxel) : null,
            Histories = histories,
            Batches = batches,
            Seconds = seconds,
            Target = request.Uncertainty,
            Stop = outcome?.Stop,
            StoppingUncertainty = outcome?.Sigma,
            StoppingUpperBound = outcome?.UpperBound,
            MeanRelUncertaintyAbove50 = MeanUncertaintyAbove50(dose.Data, unc.Data, rho, max),
            DeviceName = DeviceName,
            MaxDose = max,
            IncidentEnergyMeV = c[TransportKernel.CounterIncident] / TransportKernel.FixedPerMeV,
            EscapedEnergyMeV = c[TransportKernel.CounterEscaped] / TransportKernel.FixedPerMeV,
            DepositedEnergyMeV = deposited / TransportKernel.FixedPerMeV,
            UnscatteredPrimaries = c[TransportKernel.CounterUnscattered],
            EnteredPrimaries = c[TransportKernel.CounterEntered],
            MaxPrimaryElectronDepthMm = c[TransportKernel.CounterMaxPrimaryDepth] / 1e4 * 10,
            StackOverflows = c[TransportKernel.CounterStackOverflow],
            PrimariesBeyondDepthProbe = c[TransportKernel.CounterBeyondDepthProbe],
            HistoriesPerMu = perMu,
            CentralAxis = axis,
            LateralProfile = profile,
        };
    }

    /// <summary>Per voxel, the factor from mean dose per history to the reported dose: the beam's MU calibration and, if asked, dose to water.</summary>
    private static double[] DoseScalePerVoxel(RunBuffers b, DoseRequest request)
    {
        double? perMu = request.Beam.HistoriesPerMu;
        double scale = perMu is double h ? h * request.Beam.MonitorUnits : 1.0;
        double[] toWater = request.DoseToWater ? DoseToWaterFactors(b.Materials, request.MaterialsDirectory) : [];
        byte[] materials = request.Phantom.Materials;
        var perVoxel = new double[materials.Length];
        for (int n = 0; n < perVoxel.Length; n++)
        {
            perVoxel[n] = scale * (request.DoseToWater ? toWater[materials[n]] : 1.0);
        }

        return perVoxel;
    }

    /// <summary>The mean dose and its relative uncertainty per voxel, and the maximum dose over voxels dense enough to report.</summary>
    private static (VoxelGrid<float> Dose, VoxelGrid<float> Uncertainty, double Max) DoseGrids(BatchStatistics st, double[] perVoxel, float[] rho, GridGeometry g)
    {
        var dose = new VoxelGrid<float>(g);
        var unc = new VoxelGrid<float>(g);
        double max = 0;
        for (int n = 0; n < g.VoxelCount; n++)
        {
            double mean = st.Mean(n);
            dose.Data[n] = (float)(mean * perVoxel[n]);
            unc.Data[n] = (float)st.RelativeUncertainty(n);
            if (rho[n] >= MinReportDensityGPerCm3)
            {
                max = Math.Max(max, mean * perVoxel[n]);
            }
        }

        return (dose, unc, max);
    }

    /// <summary>Mean relative uncertainty over the reported voxels above 50 % of the maximum dose (0 when there are none).</summary>
    private static double MeanUncertaintyAbove50(float[] dose, float[] unc, float[] rho, double max)
    {
        double sum = 0;
        int count = 0;
        for (int n = 0; n < dose.Length; n++)
        {
            if (dose[n] > 0.5 * max && rho[n] >= MinReportDensityGPerCm3)
            {
                sum += unc[n];
                count++;
            }
        }

        return count > 0 ? sum / count : 0;
    }

    /// <summary>Each batch's dose, scaled like the mean.</summary>
    private static List<float[]> BatchDoses(BatchStatistics st, int batches, double[] perVoxel)
    {
        var doses = new List<float[]>(batches);
        for (int k = 0; k < batches; k++)
        {
            double[] src = st.BatchDose(k);
            var arr = new float[src.Length];
            for (int n = 0; n < arr.Length; n++)
            {
                arr[n] = (float)(src[n] * perVoxel[n]);
            }

            doses.Add(arr);
        }

        return doses;
    }
}
