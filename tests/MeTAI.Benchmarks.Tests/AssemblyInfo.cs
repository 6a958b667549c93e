// The benchmark tests run the controller on real transports and count the process's garbage collections (the no-GC
// region test); on a 2-core machine they must not run beside each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
