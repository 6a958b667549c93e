using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Dosimetry.Engines;

/// <summary>
/// A phantom and its physics tables resident on the device (<see cref="MonteCarloEngine.OpenSession"/>). Each
/// run replaces only the source tables and clears the tally, so many beams or beamlets (one per run,
/// for influence matrices) cost no phantom upload or table build.
/// </summary>
public sealed class DoseSession : IDisposable
{
    private readonly MonteCarloEngine _engine;
    private readonly MonteCarloEngine.RunBuffers _buffers;
    private bool _disposed;

    internal DoseSession(MonteCarloEngine engine, MonteCarloEngine.RunBuffers buffers, VoxelPhantom phantom, PhysicsOptions physics)
    {
        _engine = engine;
        _buffers = buffers;
        Phantom = phantom;
        Physics = physics;
    }

    /// <summary>The phantom on the device.</summary>
    public VoxelPhantom Phantom { get; }

    /// <summary>The transport parameters the tables were built with.</summary>
    public PhysicsOptions Physics { get; }

    /// <summary>Runs a request whose phantom and physics are this session's.</summary>
    public DoseResult Run(DoseRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (!ReferenceEquals(request.Phantom, Phantom) || request.Physics != Physics)
        {
            throw new ArgumentException("The request's phantom and physics must be the session's.", nameof(request));
        }

        return _engine.Execute(_buffers, request, progress, cancellationToken);
    }

    /// <summary>Runs <paramref name="histories"/> histories of <paramref name="beam"/> (e.g. one beamlet) on the session's phantom.</summary>
    public DoseResult Run(Beams.BeamSetup beam, long histories, ulong seed = 1, int batches = 10, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        Run(new DoseRequest { Phantom = Phantom, Beam = beam, Histories = histories, Seed = seed, Batches = batches, Physics = Physics }, progress, cancellationToken);

    /// <summary>
    /// A lean run for many small beams (beamlets of an influence matrix, MLC segments): <paramref name="histories"/>
    /// histories of <paramref name="beam"/> in as few launches as possible, one tally read, and the mean dose per voxel
    /// written into <paramref name="dose"/> (one value per voxel of the phantom; Gy for the beam's MU when the model is
    /// calibrated, else Gy per history). No batch statistics and no result grids are made, so the host side costs one
    /// pass over the voxels. Same seed and configuration give the same dose bit for bit.
    /// </summary>
    public DoseTallyResult RunDose(Beams.BeamSetup beam, long histories, ulong seed, Span<float> dose, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(beam);
        return _engine.ExecuteTally(_buffers, Phantom, Physics, beam, histories, seed, dose, cancellationToken);
    }

    /// <summary>
    /// A part of a batch as a unit of work (docs/cluster.md, §4.4): histories [<paramref name="firstHistory"/>,
    /// <paramref name="firstHistory"/> + <paramref name="count"/>) of <paramref name="request"/> (its phantom and physics
    /// the session's; its beam, seed and depth probe used), as the raw fixed-point tally per voxel
    /// (<paramref name="tally"/>, one per voxel) and the kernel's counters (<paramref name="counters"/>,
    /// <see cref="MonteCarlo.TransportKernel.CounterCount"/>). Ranges covering a batch sum to its tally exactly.
    /// </summary>
    public void RunTallyRange(DoseRequest request, long firstHistory, long count, long[] tally, long[] counters, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (!ReferenceEquals(request.Phantom, Phantom) || request.Physics != Physics)
        {
            throw new ArgumentException("The request's phantom and physics must be the session's.", nameof(request));
        }

        _engine.ExecuteRange(_buffers, request, firstHistory, count, tally, counters, cancellationToken);
    }

    internal MonteCarloEngine.RunBuffers Buffers => _buffers;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _buffers.Dispose();
    }
}
