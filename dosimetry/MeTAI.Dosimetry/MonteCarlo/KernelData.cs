// Kernel parameters are plain structs of fields: ILGPU passes them by value to the device as they are.
#pragma warning disable CA1051
using ILGPU;

namespace MeTAI.Dosimetry.MonteCarlo;

/// <summary>Photon data of one material at one grid node (one load brings all four).</summary>
public struct PhotonNode
{
    /// <summary>Total μ/ρ, cm²/g.</summary>
    public float Mu;

    /// <summary>Cumulative coherent fraction.</summary>
    public float FracCoherent;

    /// <summary>Cumulative coherent + incoherent fraction.</summary>
    public float FracIncoherent;

    /// <summary>Cumulative coherent + incoherent + photoelectric fraction.</summary>
    public float FracPhoto;
}

/// <summary>Electron data of one material at one grid node (one load brings all of them).</summary>
public struct ElectronNode
{
    /// <summary>Restricted stopping power, MeV cm²/g.</summary>
    public float StoppingPower;

    /// <summary>Majorant of the hard cross section over a step, cm²/g.</summary>
    public float HardSigmaMax;

    /// <summary>Step limit, g/cm².</summary>
    public float MaxStep;

    /// <summary>First transport cross section, cm²/g.</summary>
    public float TransportSigma;

    /// <summary>CSDA range, g/cm².</summary>
    public float CsdaRange;

    /// <summary>Hard Møller cross section, cm²/g.</summary>
    public float MollerSigma;

    /// <summary>Hard bremsstrahlung cross section, cm²/g.</summary>
    public float BremsSigma;

    /// <summary>Padding to 32 bytes.</summary>
    public float Reserved;
}

/// <summary>One voxel: density and material in one 8-byte record.</summary>
public struct VoxelRecord
{
    /// <summary>Mass density, g/cm³.</summary>
    public float Density;

    /// <summary>Material index.</summary>
    public int Material;
}

/// <summary>
/// Device views of the <see cref="PhysicsTables"/> plus the photon majorant. Per-node records (array of small
/// structs) because one view access costs far more on ILGPU's CPU accelerator than the loads it brings.
/// </summary>
public struct KernelTables
{
    /// <summary>Photon records, [material · N + node].</summary>
    public ArrayView<PhotonNode> Photon;

    /// <summary>Photon majorant, 1/cm, [node].</summary>
    public ArrayView<float> Majorant;

    /// <summary>Electron records, [material · N + node].</summary>
    public ArrayView<ElectronNode> Electron;

    /// <summary>Wentzel A over ln G1.</summary>
    public ArrayView<float> MsA;

    /// <summary>ln of the lowest grid energy.</summary>
    public float LogMin;

    /// <summary>Nodes per unit ln E.</summary>
    public float InvLogStep;

    /// <summary>ln of the lowest tabulated G1.</summary>
    public float MsLogMin;

    /// <summary>Nodes per unit ln G1.</summary>
    public float MsInvLogStep;

    /// <summary>Nodes of the energy grid.</summary>
    public int GridSize;

    /// <summary>Nodes of the MS table.</summary>
    public int MsGridSize;
}

/// <summary>The voxel phantom on the device: grid-local frame with its corner at the origin, cm.</summary>
public struct KernelPhantom
{
    /// <summary>Density and material per voxel.</summary>
    public ArrayView<VoxelRecord> Voxels;

    /// <summary>Voxel counts.</summary>
    public int Nx, Ny, Nz;

    /// <summary>Voxel sizes, cm.</summary>
    public float Dx, Dy, Dz;

    /// <summary>Inverse voxel sizes, 1/cm (multiplications instead of divisions in the hot path).</summary>
    public float InvDx, InvDy, InvDz;
}

/// <summary>The source on the device: spectrum and aperture alias tables, geometry in the grid-local frame (cm).</summary>
public struct KernelSource
{
    /// <summary>Spectrum alias acceptance per bin.</summary>
    public ArrayView<float> SpecProb;

    /// <summary>Spectrum alias per bin.</summary>
    public ArrayView<int> SpecAlias;

    /// <summary>Bin lower edge, MeV.</summary>
    public ArrayView<float> SpecLo;

    /// <summary>Bin upper edge, MeV.</summary>
    public ArrayView<float> SpecHi;

    /// <summary>Aperture rectangle alias acceptance.</summary>
    public ArrayView<float> RectProb;

    /// <summary>Aperture rectangle alias.</summary>
    public ArrayView<int> RectAlias;

    /// <summary>Rectangle corner and size in the isocentre plane, cm: x0, y0, width, height.</summary>
    public ArrayView<float> RectX0, RectY0, RectW, RectH;

    /// <summary>Number of spectrum bins and of rectangles.</summary>
    public int SpecBins, Rects;

    /// <summary>Source position (point source), cm.</summary>
    public float Sx, Sy, Sz;

    /// <summary>Isocentre, cm.</summary>
    public float Ix, Iy, Iz;

    /// <summary>Central axis (source → isocentre), unit.</summary>
    public float Ax, Ay, Az;

    /// <summary>Beam-limiting-device X axis, unit.</summary>
    public float Ux, Uy, Uz;

    /// <summary>Beam-limiting-device Y axis, unit.</summary>
    public float Vx, Vy, Vz;

    /// <summary>0 photons, 1 electrons.</summary>
    public int Particle;

    /// <summary>1 for a parallel beam (directions along the axis), 0 for a point source.</summary>
    public int Parallel;

    /// <summary>Virtual sources (docs/beam-model.md).</summary>
    public KernelVirtualSource Virtual;

    /// <summary>Jaws and MLC that attenuate.</summary>
    public KernelCollimator Collimator;
}

/// <summary>The virtual sources on the device (cm, beam frame: distances below the target).</summary>
public struct KernelVirtualSource
{
    /// <summary>Sampling plane below the target and the SAD, cm; PlaneScale = SamplingPlane / Sad.</summary>
    public float SamplingPlane, Sad, PlaneScale;

    /// <summary>Cumulative probabilities: focal; focal + extra-focal.</summary>
    public float PFocal, PFocalOrExtra;

    /// <summary>Focal spot σ per axis, cm.</summary>
    public float SpotSigmaX, SpotSigmaY;

    /// <summary>Off-axis softening per cm at the isocentre plane.</summary>
    public float SofteningPerCm;

    /// <summary>Off-axis radii (cm, isocentre plane) and fluence relative to its maximum.</summary>
    public ArrayView<float> HornRadius, HornRelative;

    /// <summary>Entries of the horn table (1: flat).</summary>
    public int HornCount;

    /// <summary>Extra-focal plane (cm below the target), σ (cm) and energy scale.</summary>
    public float ExtraZ, ExtraSigma, ExtraScale;

    /// <summary>Electron plane (cm below the target), σ (cm), mean energy (MeV), 1 − exp(−Emax/mean).</summary>
    public float ElectronZ, ElectronSigma, ElectronMean, ElectronNorm;
}

/// <summary>Jaws and MLC on the device: positions projected to the isocentre plane (cm), planes below the target (cm).</summary>
public struct KernelCollimator
{
    /// <summary>1 when the jaws and leaves attenuate.</summary>
    public int Active;

    /// <summary>Jaw planes, cm below the target, and the SAD, cm.</summary>
    public float JawZx, JawZy, Sad;

    /// <summary>Jaw opening, cm at the isocentre plane.</summary>
    public float X1, X2, Y1, Y2;

    /// <summary>Jaw transmission.</summary>
    public float JawT;

    /// <summary>Leaf pairs (0: no MLC).</summary>
    public int Pairs;

    /// <summary>Leaf plane, cm below the target; leaf-plane cm per isocentre-plane cm.</summary>
    public float MlcZ, ToLeaf;

    /// <summary>Leaf boundaries (pairs + 1) and the banks' positions (pairs each), cm at the isocentre plane.</summary>
    public ArrayView<float> Boundaries, BankA, BankB;

    /// <summary>Attenuation 1/cm, leaf height cm, end radius cm, half the tongue-and-groove band (cm, isocentre plane), band scale.</summary>
    public float Mu, Height, EndRadius, HalfBand, BandScale;

    /// <summary>History weights of rays sampled in the open and the covered area: focal source, other sources.</summary>
    public float WeightOpenFocal, WeightCoveredFocal, WeightOpenFlat, WeightCoveredFlat;
}

/// <summary>Device buffers written by the kernel: the energy tally, counters and the per-index particle stacks.</summary>
public struct KernelScratch
{
    /// <summary>Deposited energy per voxel in units of 2⁻²⁴ MeV.</summary>
    public ArrayView<long> Tally;

    /// <summary>Counters, see <see cref="TransportKernel"/> constants.</summary>
    public ArrayView<long> Counters;

    /// <summary>Particle stack, one block of <see cref="Depth"/> entries per kernel index.</summary>
    public ArrayView<float> X, Y, Z, U, V, W, E;

    /// <summary>Particle flags on the stack.</summary>
    public ArrayView<int> Flags;

    /// <summary>Stack depth per kernel index.</summary>
    public int Depth;

    /// <summary>
    /// Element of entry (index, level) = index · IndexStride + level · DepthStride. CPU: each index owns a contiguous
    /// block (no false sharing between cores); CUDA: level-major, so neighbouring threads touch neighbouring words.
    /// </summary>
    public int IndexStride, DepthStride;
}

/// <summary>Per-launch scalars.</summary>
public struct KernelRun
{
    /// <summary>Random seed (Philox key).</summary>
    public ulong Seed;

    /// <summary>Global index of the first history of this launch.</summary>
    public long FirstHistory;

    /// <summary>Histories in this launch.</summary>
    public long Histories;

    /// <summary>Histories each kernel index simulates (the last may do fewer).</summary>
    public int HistoriesPerIndex;

    /// <summary>Electron cut-off, MeV.</summary>
    public float ElectronCut;

    /// <summary>Photon cut-off, MeV.</summary>
    public float PhotonCut;

    /// <summary>Range rejection applies below this energy, MeV (0: off).</summary>
    public float RangeRejectionBelow;

    /// <summary>Møller threshold, MeV.</summary>
    public float MollerThreshold;

    /// <summary>Bremsstrahlung threshold, MeV.</summary>
    public float BremsThreshold;

    /// <summary>Depth along the beam axis (cm) beyond which primary electrons are counted (0: off).</summary>
    public float DepthProbeCm;
}
