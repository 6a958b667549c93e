using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Tallies;

namespace MeTAI.Dosimetry.Engines;

public sealed partial class MonteCarloEngine
{
    /// <summary>MeV → J.</summary>
    private const double JoulePerMeV = 1.602176634e-13;

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
    public DoseSession OpenSession(MeTAI.Dosimetry.Phantoms.VoxelPhantom phantom, PhysicsOptions? physics = null, string? materialsDirectory = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(phantom);
        physics ??= new PhysicsOptions();
        physics.Validate();
        return new DoseSession(this, PrepareSession(phantom, physics, materialsDirectory), phantom, physics);
    }

    /// <summary>Device buffers and host arrays of a session, allocated once; the source is replaced per run.</summary>
    internal sealed class RunBuffers : IDisposable
    {
        public required List<MemoryBuffer> Owned { get; init; }
        public List<MemoryBuffer> SourceOwned { get; } = [];
        public required KernelTables Tables { get; init; }
        public required KernelPhantom Phantom { get; init; }
        public KernelSource Source { get; set; }
        public required KernelScratch Scratch { get; init; }
        public required int IndexCapacity { get; init; }
        public required MemoryBuffer1D<long, Stride1D.Dense> Tally { get; init; }
        public required MemoryBuffer1D<long, Stride1D.Dense> Counters { get; init; }
        public required PhysicsTables Physics { get; init; }
        public required IReadOnlyList<MaterialData> Materials { get; init; }
        public BatchStatistics Statistics { get; set; } = new(0);
        public required long[] HostTally { get; init; }
        public required long[] HostCounters { get; init; }
        public required double[] GyPerFixedUnit { get; init; }

        public void Dispose()
        {
            foreach (MemoryBuffer b in SourceOwned)
            {
                b.Dispose();
            }

            foreach (MemoryBuffer b in Owned)
            {
                b.Dispose();
            }
        }
    }

    /// <summary>Replaces the source tables of <paramref name="b"/> with those of <paramref name="beam"/>.</summary>
    internal void SetSource(RunBuffers b, BeamSetup beam, GridGeometry g)
    {
        foreach (MemoryBuffer old in b.SourceOwned)
        {
            old.Dispose();
        }

        b.SourceOwned.Clear();
        ArrayView<T> Up<T>(T[] data)
            where T : unmanaged
        {
            MemoryBuffer1D<T, Stride1D.Dense> buf = _accelerator.Allocate1D(data);
            b.SourceOwned.Add(buf);
            return buf.View;
        }

        b.Source = BuildSource(beam, g, Up, Up);
    }

    internal RunBuffers PrepareSession(MeTAI.Dosimetry.Phantoms.VoxelPhantom phantomIn, PhysicsOptions physicsOptions, string? materialsDirectory)
    {
        GridGeometry g = phantomIn.Geometry;
        string dir = materialsDirectory ?? DosimetryPaths.MaterialsDirectory();
        IReadOnlyList<MaterialData> materials = LoadMaterials(dir, phantomIn.MaterialNames);
        PhysicsTables physics = new(materials, physicsOptions);
        var owned = new List<MemoryBuffer>();
        ArrayView<T> Up<T>(T[] data)
            where T : unmanaged
        {
            MemoryBuffer1D<T, Stride1D.Dense> b = _accelerator.Allocate1D(data);
            owned.Add(b);
            return b.View;
        }

        // Majorant over the densities actually present.
        var maxRho = new double[materials.Count];
        byte[] mats = phantomIn.Materials;
        float[] rho = phantomIn.DensitiesGPerCm3;
        for (int n = 0; n < mats.Length; n++)
        {
            maxRho[mats[n]] = Math.Max(maxRho[mats[n]], rho[n]);
        }

        int nodes = physics.PhotonMu.Length;
        var photon = new PhotonNode[nodes];
        var electron = new ElectronNode[nodes];
        for (int k = 0; k < nodes; k++)
        {
            photon[k] = new PhotonNode
            {
                Mu = physics.PhotonMu[k],
                FracCoherent = physics.PhotonFracCoherent[k],
                FracIncoherent = physics.PhotonFracIncoherent[k],
                FracPhoto = physics.PhotonFracPhoto[k],
            };
            electron[k] = new ElectronNode
            {
                StoppingPower = physics.StoppingPower[k],
                HardSigmaMax = physics.HardSigmaMax[k],
                MaxStep = physics.MaxStep[k],
                TransportSigma = physics.TransportSigma[k],
                CsdaRange = physics.CsdaRange[k],
                MollerSigma = physics.MollerSigma[k],
                BremsSigma = physics.BremsSigma[k],
            };
        }

        var voxels = new VoxelRecord[mats.Length];
        for (int n = 0; n < voxels.Length; n++)
        {
            voxels[n] = new VoxelRecord { Density = rho[n], Material = mats[n] };
        }

        var tables = new KernelTables
        {
            Photon = Up(photon),
            Majorant = Up(physics.BuildMajorant(maxRho)),
            Electron = Up(electron),
            MsA = Up(physics.MsA),
            LogMin = (float)physics.LogMin,
            InvLogStep = (float)physics.InvLogStep,
            MsLogMin = (float)physics.MsLogMin,
            MsInvLogStep = (float)physics.MsInvLogStep,
            GridSize = PhysicsTables.GridSize,
            MsGridSize = PhysicsTables.MsGridSize,
        };
        var phantom = new KernelPhantom
        {
            Voxels = Up(voxels),
            Nx = g.SizeX,
            Ny = g.SizeY,
            Nz = g.SizeZ,
            Dx = (float)(g.SpacingMm.X / 10),
            Dy = (float)(g.SpacingMm.Y / 10),
            Dz = (float)(g.SpacingMm.Z / 10),
            InvDx = (float)(10 / g.SpacingMm.X),
            InvDy = (float)(10 / g.SpacingMm.Y),
            InvDz = (float)(10 / g.SpacingMm.Z),
        };

        int slots = IndexCount * StackDepth;
        MemoryBuffer1D<long, Stride1D.Dense> tally = _accelerator.Allocate1D<long>(g.VoxelCount);
        MemoryBuffer1D<long, Stride1D.Dense> counters = _accelerator.Allocate1D<long>(TransportKernel.CounterCount);
        owned.Add(tally);
        owned.Add(counters);
        tally.MemSetToZero();
        counters.MemSetToZero();
        var scratch = new KernelScratch
        {
            Tally = tally.View,
            Counters = counters.View,
            X = Up(new float[slots]),
            Y = Up(new float[slots]),
            Z = Up(new float[slots]),
            U = Up(new float[slots]),
            V = Up(new float[slots]),
            W = Up(new float[slots]),
            E = Up(new float[slots]),
            Flags = Up(new int[slots]),
            Depth = StackDepth,
            IndexStride = IsCuda ? 1 : StackDepth,
            DepthStride = IsCuda ? IndexCount : 1,
        };

        // Gy per tally unit per voxel: 2⁻²⁴ MeV → J, over the voxel's mass.
        double volumeCm3 = g.VoxelVolumeCc;
        var gyPerUnit = new double[g.VoxelCount];
        for (int n = 0; n < gyPerUnit.Length; n++)
        {
            gyPerUnit[n] = JoulePerMeV / TransportKernel.FixedPerMeV / (rho[n] * volumeCm3 * 1e-3);
        }

        return new RunBuffers
        {
            Owned = owned,
            Tables = tables,
            Phantom = phantom,
            Scratch = scratch,
            IndexCapacity = IndexCount,
            Tally = tally,
            Counters = counters,
            Physics = physics,
            Materials = materials,
            HostTally = new long[g.VoxelCount],
            HostCounters = new long[TransportKernel.CounterCount],
            GyPerFixedUnit = gyPerUnit,
        };
    }

    internal DoseResult Execute(RunBuffers b, DoseRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
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
        var kr = new KernelRun
        {
            Seed = request.Seed,
            ElectronCut = (float)request.Physics.ElectronCutoffMeV,
            PhotonCut = (float)request.Physics.PhotonCutoffMeV,
            RangeRejectionBelow = (float)request.Physics.RangeRejectionBelowMeV,
            MollerThreshold = (float)request.Physics.MollerThresholdMeV,
            BremsThreshold = (float)request.Physics.BremsstrahlungThresholdMeV,
            DepthProbeCm = (float)(request.DepthProbeMm / 10),
        };

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
        DoseResult result = BuildResult(b, request, perBatch * request.Batches, sw.Elapsed.TotalSeconds, deposited);
        result.ProcessCpuSeconds = cpuSeconds;
        return result;
    }

    /// <summary>One batch: launches its histories, reads the tally into the preallocated host array, clears it.</summary>
    internal void RunBatch(RunBuffers b, ref KernelRun kr, int batch, long perBatch, long perLaunch, ref long launches, long totalLaunches, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        long start = batch * perBatch;
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
            progress?.Report((double)launches / totalLaunches);
        }

        b.Tally.View.CopyToCPU(b.HostTally);
        b.Tally.MemSetToZero();
    }

    private DoseResult BuildResult(RunBuffers b, DoseRequest request, long histories, double seconds, long deposited)
    {
        GridGeometry g = request.Phantom.Geometry;
        double? perMu = request.Beam.HistoriesPerMu;
        double scale = perMu is double h ? h * request.Beam.MonitorUnits : 1.0;
        var dose = new VoxelGrid<float>(g);
        var unc = new VoxelGrid<float>(g);
        double[] toWater = request.DoseToWater ? DoseToWaterFactors(b.Materials, request.MaterialsDirectory) : [];
        float[] rho = request.Phantom.DensitiesGPerCm3;
        double[] perVoxel = new double[g.VoxelCount];
        BatchStatistics st = b.Statistics;
        double max = 0;
        for (int n = 0; n < g.VoxelCount; n++)
        {
            double f = scale * (request.DoseToWater ? toWater[request.Phantom.Materials[n]] : 1.0);
            perVoxel[n] = f;
            double mean = st.Mean(n);
            dose.Data[n] = (float)(mean * f);
            unc.Data[n] = (float)st.RelativeUncertainty(n);
            if (rho[n] >= MinReportDensityGPerCm3)
            {
                max = Math.Max(max, mean * f);
            }
        }

        double sum = 0;
        int count = 0;
        for (int n = 0; n < g.VoxelCount; n++)
        {
            if (dose.Data[n] > 0.5 * max && rho[n] >= MinReportDensityGPerCm3)
            {
                sum += unc.Data[n];
                count++;
            }
        }

        List<float[]>? batches = null;
        if (request.KeepBatchDoses)
        {
            batches = new List<float[]>(request.Batches);
            for (int k = 0; k < request.Batches; k++)
            {
                double[] src = st.BatchDose(k);
                var arr = new float[src.Length];
                for (int n = 0; n < arr.Length; n++)
                {
                    arr[n] = (float)(src[n] * perVoxel[n]);
                }

                batches.Add(arr);
            }
        }

        long[] c = b.HostCounters;
        (DepthDoseCurve? axis, DoseProfile? profile) = CentralAxisSummary(request.Beam.Geometry, g, dose.Data, rho);
        return new DoseResult
        {
            Dose = dose,
            DoseUnit = perMu is null ? "Gy/history" : "Gy",
            IsDoseToWater = request.DoseToWater,
            RelativeUncertainty = unc,
            BatchDoses = batches,
            Histories = histories,
            Batches = request.Batches,
            Seconds = seconds,
            MeanRelUncertaintyAbove50 = count > 0 ? sum / count : 0,
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

    /// <summary>
    /// Voxels lighter than this (air around a patient) are left out of the maximum dose and of the D &gt; 50 % Dmax
    /// uncertainty: a single electron in a voxel of air gives it a dose of the order of the tissue maximum.
    /// </summary>
    public const double MinReportDensityGPerCm3 = 0.05;

    /// <summary>
    /// PDD along the central axis and a lateral profile at 100 mm depth (the summary a report shows first). Depth is
    /// measured from the surface: where the axis first meets a voxel of at least 0.5 g/cm³ when
    /// <paramref name="densityGPerCm3"/> is given (a CT with air around the patient), else where it enters the grid.
    /// </summary>
    public static (DepthDoseCurve? Axis, DoseProfile? Profile) CentralAxisSummary(BeamGeometry beam, GridGeometry g, float[] dose, float[]? densityGPerCm3 = null)
    {
        ArgumentNullException.ThrowIfNull(beam);
        ArgumentNullException.ThrowIfNull(g);
        Vec3? entry = Analysis.DoseSampling.EntryPoint(g, beam.SourceLps, beam.BeamAxisLps);
        if (entry is not Vec3 e)
        {
            return (null, null);
        }

        if (densityGPerCm3 is not null)
        {
            double fine = 0.25 * Math.Min(g.SpacingMm.X, Math.Min(g.SpacingMm.Y, g.SpacingMm.Z));
            for (double d = 0; d < 5000; d += fine)
            {
                Vec3 q = e + beam.BeamAxisLps * d;
                if (!g.TryNearestVoxel(q, out int i, out int j, out int k))
                {
                    break;
                }

                if (densityGPerCm3[g.Index(i, j, k)] >= 0.5)
                {
                    // The surface lies within the last sampling interval: take its middle (error ≤ 1/8 voxel).
                    e = d > 0 ? q - beam.BeamAxisLps * (0.5 * fine) : e;
                    break;
                }
            }
        }

        Vec3 exitProbe = e;
        double step = Math.Min(g.SpacingMm.X, Math.Min(g.SpacingMm.Y, g.SpacingMm.Z));
        double length = 0;
        while (length < 5000)
        {
            exitProbe = e + beam.BeamAxisLps * (length + step);
            Vec3 c = g.LpsToIndex(exitProbe);
            if (c.X < -0.5 || c.Y < -0.5 || c.Z < -0.5 || c.X > g.SizeX - 0.5 || c.Y > g.SizeY - 0.5 || c.Z > g.SizeZ - 0.5)
            {
                break;
            }

            length += step;
        }

        if (length < 3 * step)
        {
            return (null, null);
        }

        DepthDoseCurve axis = DepthDoseCurve.Sample(g, dose, e, beam.BeamAxisLps, step, length);
        DoseProfile? profile = null;
        if (length > 100)
        {
            profile = DoseProfile.Sample(g, dose, e + beam.BeamAxisLps * 100, beam.BldXLps, 0.5 * Math.Max(g.ExtentMm.X, g.ExtentMm.Z), step / 2);
        }

        return (axis, profile);
    }

    /// <summary>
    /// Dose-to-water factor per material: ratio of unrestricted mass collision stopping powers water/medium averaged
    /// (logarithmically) over 0.2–3 MeV, the electron energies that carry most MV dose (docs/monte-carlo.md).
    /// </summary>
    public static double[] DoseToWaterFactors(IReadOnlyList<MaterialData> materials, string? materialsDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(materials);
        string dir = materialsDirectory ?? DosimetryPaths.MaterialsDirectory();
        MaterialData water = MaterialLibrary.LoadFile(Path.Combine(dir, "water.json"));
        var f = new double[materials.Count];
        for (int m = 0; m < materials.Count; m++)
        {
            double acc = 0;
            const int n = 16;
            for (int i = 0; i < n; i++)
            {
                double e = 0.2 * Math.Pow(3 / 0.2, (i + 0.5) / n);
                acc += MaterialData.Interpolate(water.ElectronEnergyMeV, water.CollisionMeVCm2PerG, e)
                    / MaterialData.Interpolate(materials[m].ElectronEnergyMeV, materials[m].CollisionMeVCm2PerG, e);
            }

            f[m] = acc / n;
        }

        return f;
    }

    private static KernelSource BuildSource(BeamSetup beam, GridGeometry g, Func<float[], ArrayView<float>> upF, Func<int[], ArrayView<int>> upI)
    {
        // Grid-local frame: index axes, origin at the outer corner of voxel (0,0,0), centimetres.
        Mat3 toLocal = g.Direction.Transposed();
        Vec3 corner = g.OriginLps - g.Direction * (g.SpacingMm * 0.5);
        Vec3 P(Vec3 lps) => toLocal * (lps - corner) / 10.0;
        Vec3 D(Vec3 dir) => toLocal * dir;

        EnergySpectrum sp = beam.Spectrum;
        int nb = sp.Probabilities.Length;
        var lo = new float[nb];
        var hi = new float[nb];
        var prob = new float[nb];
        for (int i = 0; i < nb; i++)
        {
            lo[i] = (float)sp.EdgesMeV[i];
            hi[i] = (float)sp.EdgesMeV[i + 1];
            prob[i] = (float)sp.AliasProbability[i];
        }

        IReadOnlyList<ApertureRect> rects = beam.Aperture.Rectangles;
        var w = new double[rects.Count];
        double total = 0;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = rects[i].AreaMm2 * rects[i].Weight;
            total += w[i];
        }

        for (int i = 0; i < w.Length; i++)
        {
            w[i] /= total;
        }

        var aliasSpectrum = new EnergySpectrum(Enumerable.Range(0, w.Length + 1).Select(i => (double)i).ToArray(), w);
        var rx = new float[rects.Count];
        var ry = new float[rects.Count];
        var rw = new float[rects.Count];
        var rh = new float[rects.Count];
        var rp = new float[rects.Count];
        for (int i = 0; i < rects.Count; i++)
        {
            rx[i] = (float)(rects[i].X0Mm / 10);
            ry[i] = (float)(rects[i].Y0Mm / 10);
            rw[i] = (float)((rects[i].X1Mm - rects[i].X0Mm) / 10);
            rh[i] = (float)((rects[i].Y1Mm - rects[i].Y0Mm) / 10);
            rp[i] = (float)aliasSpectrum.AliasProbability[i];
        }

        BeamGeometry geo = beam.Geometry;
        Vec3 s = P(geo.SourceLps), iso = P(geo.IsocenterLps), a = D(geo.BeamAxisLps), u = D(geo.BldXLps), v = D(geo.BldYLps);
        return new KernelSource
        {
            SpecProb = upF(prob),
            SpecAlias = upI(sp.AliasIndex),
            SpecLo = upF(lo),
            SpecHi = upF(hi),
            SpecBins = nb,
            RectProb = upF(rp),
            RectAlias = upI(aliasSpectrum.AliasIndex),
            RectX0 = upF(rx),
            RectY0 = upF(ry),
            RectW = upF(rw),
            RectH = upF(rh),
            Rects = rects.Count,
            Sx = (float)s.X,
            Sy = (float)s.Y,
            Sz = (float)s.Z,
            Ix = (float)iso.X,
            Iy = (float)iso.Y,
            Iz = (float)iso.Z,
            Ax = (float)a.X,
            Ay = (float)a.Y,
            Az = (float)a.Z,
            Ux = (float)u.X,
            Uy = (float)u.Y,
            Uz = (float)u.Z,
            Vx = (float)v.X,
            Vy = (float)v.Y,
            Vz = (float)v.Z,
            Particle = (int)beam.Particle,
            Parallel = beam.Parallel ? 1 : 0,
        };
    }
}
