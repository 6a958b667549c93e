using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.MonteCarlo;

namespace MeTAI.Dosimetry.Tests.MonteCarlo;

/// <summary>
/// The CUDA path without a GPU: ILGPU's PTX back end compiles the transport kernel for Ampere/Hopper-class devices
/// (no managed objects, no recursion, nothing the device cannot run). Running it needs a CUDA machine.
/// </summary>
public class CudaCompileTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(90)]
    public void TransportKernel_CompilesToPtx(int sm)
    {
        using Context context = Context.Create(b => b.Default().EnableAlgorithms());
        CudaArchitecture arch = sm == 90 ? CudaArchitecture.SM_90 : CudaArchitecture.SM_80;
        CudaInstructionSet isa = CudaInstructionSet.ISA_80;
        var backend = new PTXBackend(context, new CudaCapabilityContext(arch), arch, isa, null);
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(typeof(TransportKernel).GetMethod(nameof(TransportKernel.Kernel))!);
        var kernel = (PTXCompiledKernel)backend.Compile(entry, default(KernelSpecialization));
        Assert.Contains(".entry", kernel.PTXAssembly, StringComparison.Ordinal);
        Assert.Contains("red.add.u64", kernel.PTXAssembly, StringComparison.Ordinal); // the 64-bit integer tally adds
    }

    [Fact]
    public void CudaDevice_WhenAbsent_ReportsUnavailable()
    {
        bool cuda = MonteCarloEngine.IsDeviceAvailable(DeviceKind.Cuda);
        if (!cuda)
        {
            Assert.Throws<InvalidOperationException>(() => new MonteCarloEngine(DeviceKind.Cuda));
        }

        Assert.True(MonteCarloEngine.IsDeviceAvailable(DeviceKind.Cpu));
    }
}
