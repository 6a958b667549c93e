using System.Runtime.CompilerServices;

namespace MeTAI.Service.Tests;

/// <summary>
/// The service runs inside the test host, next to test classes that block thread-pool threads while they wait for
/// plans. With the default minimum (one thread per core: two here) a request can wait for the pool to inject threads
/// at about one a second; the browser test's form post once waited out its 90 s that way on a loaded 2-core machine.
/// The controller's host raises its minimum the same way (ControllerHost.StartAsync).
/// </summary>
internal static class TestThreadPool
{
    [ModuleInitializer]
    internal static void RaiseMinimum()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
