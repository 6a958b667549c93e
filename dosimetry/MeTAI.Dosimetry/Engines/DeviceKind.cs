namespace MeTAI.Dosimetry.Engines;

/// <summary>Which accelerator runs the kernels (<c>--device auto|cpu|cuda</c>).</summary>
public enum DeviceKind
{
    /// <summary>CUDA when a device is present, else the CPU accelerator.</summary>
    Auto = 0,

    /// <summary>ILGPU's CPU accelerator (all cores).</summary>
    Cpu = 1,

    /// <summary>The first CUDA device.</summary>
    Cuda = 2,
}
