using MeTAI.Benchmarks;

return BenchApp.Run(args);
