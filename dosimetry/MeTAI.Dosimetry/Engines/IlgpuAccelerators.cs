using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace MeTAI.Dosimetry.Engines;

/// <summary>Opens the ILGPU accelerator a <see cref="DeviceKind"/> asks for: the first CUDA device, else ILGPU's CPU accelerator.</summary>
public static class IlgpuAccelerators
{
    /// <summary>
    /// The accelerator for <paramref name="device"/> in <paramref name="context"/>: <see cref="DeviceKind.Auto"/> takes CUDA
    /// when present and the CPU otherwise; <see cref="DeviceKind.Cuda"/> throws (naming <paramref name="purpose"/>) when
    /// no CUDA device exists. The caller owns (and on failure disposes) the context.
    /// </summary>
    public static Accelerator Open(Context context, DeviceKind device, string purpose)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (device != DeviceKind.Cpu)
        {
            foreach (Device d in context)
            {
                if (d.AcceleratorType == AcceleratorType.Cuda)
                {
                    return d.CreateAccelerator(context);
                }
            }

            if (device == DeviceKind.Cuda)
            {
                throw new InvalidOperationException($"No CUDA device is available for {purpose} (use --device cpu or auto).");
            }
        }

        return context.CreateCPUAccelerator(0);
    }
}
