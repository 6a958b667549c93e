using ILGPU;
using ILGPU.Runtime;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Dosimetry.Tallies;

namespace MeTAI.Dosimetry.Engines;

public sealed partial class MonteCarloEngine
{
    /// <summary>MeV → J.</summary>
    private const double JoulePerMeV = 1.602176634e-13;

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

    /// <summary>Loads the phantom's materials, builds the physics tables and puts tables, phantom, stacks and tallies on the device.</summary>
    internal RunBuffers PrepareSession(VoxelPhantom phantom, PhysicsOptions physicsOptions, string? materialsDirectory)
    {
        GridGeometry g = phantom.Geometry;
        string dir = materialsDirectory ?? DosimetryPaths.MaterialsDirectory();
        IReadOnlyList<MaterialData> materials = LoadMaterials(dir, phantom.MaterialNames);
        PhysicsTables physics = new(materials, physicsOptions);
        var owned = new List<MemoryBuffer>();
        KernelTables tables = UploadTables(physics, MaxDensityPerMaterial(phantom, materials.Count), owned);
        KernelPhantom kernelPhantom = UploadPhantom(phantom, owned);
        MemoryBuffer1D<long, Stride1D.Dense> tally = _accelerator.Allocate1D<long>(g.VoxelCount);
        MemoryBuffer1D<long, Stride1D.Dense> counters = _accelerator.Allocate1D<long>(TransportKernel.CounterCount);
        owned.Add(tally);
        owned.Add(counters);
        tally.MemSetToZero();
        counters.MemSetToZero();
        return new RunBuffers
        {
            Owned = owned,
            Tables = tables,
            Phantom = kernelPhantom,
            Scratch = UploadScratch(tally, counters, owned),
            IndexCapacity = IndexCount,
            Tally = tally,
            Counters = counters,
            Physics = physics,
            Materials = materials,
            HostTally = new long[g.VoxelCount],
            HostCounters = new long[TransportKernel.CounterCount],
            GyPerFixedUnit = GyPerFixedUnit(phantom),
        };
    }

    /// <summary>Copies <paramref name="data"/> to a new device buffer that <paramref name="owner"/> disposes.</summary>
    private ArrayView<T> Upload<T>(List<MemoryBuffer> owner, T[] data)
        where T : unmanaged
    {
        MemoryBuffer1D<T, Stride1D.Dense> buffer = _accelerator.Allocate1D(data);
        owner.Add(buffer);
        return buffer.View;
    }

    /// <summary>The densest voxel of each material (the photon majorant covers only the densities present).</summary>
    private static double[] MaxDensityPerMaterial(VoxelPhantom phantom, int materialCount)
    {
        var maxRho = new double[materialCount];
        byte[] mats = phantom.Materials;
        float[] rho = phantom.DensitiesGPerCm3;
        for (int n = 0; n < mats.Length; n++)
        {
            maxRho[mats[n]] = Math.Max(maxRho[mats[n]], rho[n]);
        }

        return maxRho;
    }

    /// <summary>The photon and electron tables as the kernel's interleaved nodes, and the multiple-scattering table.</summary>
    private KernelTables UploadTables(PhysicsTables physics, double[] maxRho, List<MemoryBuffer> owned)
    {
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

        return new KernelTables
        {
            Photon = Upload(owned, photon),
            Majorant = Upload(owned, physics.BuildMajorant(maxRho)),
            Electron = Upload(owned, electron),
            MsA = Upload(owned, physics.MsA),
            LogMin = (float)physics.LogMin,
            InvLogStep = (float)physics.InvLogStep,
            MsLogMin = (float)physics.MsLogMin,
            MsInvLogStep = (float)physics.MsInvLogStep,
            GridSize = PhysicsTables.GridSize,
            MsGridSize = PhysicsTables.MsGridSize,
        };
    }

    /// <summary>The voxels (material, density) and the grid in centimetres.</summary>
    private KernelPhantom UploadPhantom(VoxelPhantom phantom, List<MemoryBuffer> owned)
    {
        GridGeometry g = phantom.Geometry;
        byte[] mats = phantom.Materials;
        float[] rho = phantom.DensitiesGPerCm3;
        var voxels = new VoxelRecord[mats.Length];
        for (int n = 0; n < voxels.Length; n++)
        {
            voxels[n] = new VoxelRecord { Density = rho[n], Material = mats[n] };
        }

        return new KernelPhantom
        {
            Voxels = Upload(owned, voxels),
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
    }

    /// <summary>
    /// The per-index particle stacks, laid out index-major on the CPU (each thread's stack contiguous) and depth-major
    /// on CUDA (neighbouring threads' slots contiguous, coalesced), with the tallies.
    /// </summary>
    private KernelScratch UploadScratch(MemoryBuffer1D<long, Stride1D.Dense> tally, MemoryBuffer1D<long, Stride1D.Dense> counters, List<MemoryBuffer> owned)
    {
        int slots = IndexCount * StackDepth;
        return new KernelScratch
        {
            Tally = tally.View,
            Counters = counters.View,
            X = Upload(owned, new float[slots]),
            Y = Upload(owned, new float[slots]),
            Z = Upload(owned, new float[slots]),
            U = Upload(owned, new float[slots]),
            V = Upload(owned, new float[slots]),
            W = Upload(owned, new float[slots]),
            E = Upload(owned, new float[slots]),
            Flags = Upload(owned, new int[slots]),
            Depth = StackDepth,
            IndexStride = IsCuda ? 1 : StackDepth,
            DepthStride = IsCuda ? IndexCount : 1,
        };
    }

    /// <summary>Gy per tally unit per voxel: 2⁻²⁴ MeV → J, over the voxel's mass.</summary>
    private static double[] GyPerFixedUnit(VoxelPhantom phantom)
    {
        GridGeometry g = phantom.Geometry;
        float[] rho = phantom.DensitiesGPerCm3;
        double volumeCm3 = g.VoxelVolumeCc;
        var gyPerUnit = new double[g.VoxelCount];
        for (int n = 0; n < gyPerUnit.Length; n++)
        {
            gyPerUnit[n] = JoulePerMeV / TransportKernel.FixedPerMeV / (rho[n] * volumeCm3 * 1e-3);
        }

        return gyPerUnit;
    }
}
