using ILGPU;
using ILGPU.Runtime;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.MonteCarlo;

namespace MeTAI.Dosimetry.Engines;

/// <summary>
/// The ILGPU Monte Carlo dose engine: the same <see cref="TransportKernel"/> on the CPU accelerator or a CUDA device.
/// Create once and reuse: the context, accelerator and compiled kernel are kept; each run allocates its device buffers
/// once and then launches without allocating per batch.
/// </summary>
public sealed partial class MonteCarloEngine : IDoseEngine, IDisposable
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, KernelTables, KernelPhantom, KernelSource, KernelScratch, KernelRun> _kernel;
    private readonly Dictionary<string, MaterialData> _materialCache = new();
    private bool _disposed;

    /// <summary>Opens the accelerator for <paramref name="device"/> and compiles the kernel.</summary>
    public MonteCarloEngine(DeviceKind device = DeviceKind.Auto)
    {
        _context = Context.Create(b => b.Default().EnableAlgorithms());
        try
        {
            _accelerator = IlgpuAccelerators.Open(_context, device, "the Monte Carlo transport kernel");
        }
        catch
        {
            _context.Dispose();
            throw;
        }

        IsCuda = _accelerator.AcceleratorType == AcceleratorType.Cuda;
        _kernel = _accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelTables, KernelPhantom, KernelSource, KernelScratch, KernelRun>(TransportKernel.Kernel);
        // CPU: a few indices per hardware thread, each simulating a long chunk, so ILGPU's per-index cost vanishes.
        // CUDA: many indices with short chunks to fill the device.
        IndexCount = IsCuda ? 1 << 18 : Math.Max(4, Environment.ProcessorCount * 4);
        HistoriesPerIndex = IsCuda ? 4 : 1024;
    }

    /// <inheritdoc />
    public string Name => "MonteCarlo (ILGPU, " + DeviceName + ")";

    /// <inheritdoc />
    public bool IsAvailable => !_disposed;

    /// <summary>The accelerator's name.</summary>
    public string DeviceName => _accelerator.AcceleratorType + ": " + _accelerator.Name;

    /// <summary>True when running on CUDA.</summary>
    public bool IsCuda { get; }

    /// <summary>Kernel indices per launch.</summary>
    public int IndexCount { get; set; }

    /// <summary>Histories per kernel index per launch.</summary>
    public int HistoriesPerIndex { get; set; }

    /// <summary>Per-index particle stack depth.</summary>
    public int StackDepth { get; set; } = 64;

    /// <summary>True when a device of this kind can be opened here.</summary>
    public static bool IsDeviceAvailable(DeviceKind device)
    {
        if (device is DeviceKind.Auto or DeviceKind.Cpu)
        {
            return true;
        }

        using Context context = Context.Create(b => b.Default());
        foreach (Device d in context)
        {
            if (d.AcceleratorType == AcceleratorType.Cuda)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Loads (and caches) the materials a phantom names from <paramref name="directory"/>.</summary>
    public IReadOnlyList<MaterialData> LoadMaterials(string directory, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = new List<MaterialData>(names.Count);
        foreach (string n in names)
        {
            string key = Path.GetFullPath(Path.Combine(directory, n + ".json"));
            if (!_materialCache.TryGetValue(key, out MaterialData? m))
            {
                m = MaterialLibrary.LoadFile(key);
                _materialCache[key] = m;
            }

            list.Add(m);
        }

        return list;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _accelerator.Dispose();
        _context.Dispose();
    }

}
