namespace MeTAI.Benchmarks.Control;

/// <summary><c>metai bench teleop --json</c>: console-protocol input → servo goal latency through the broker over WebSockets.</summary>
public sealed record TeleopBenchResult
{
    /// <summary>Steps measured (a step whose goals never settled or never changed is left out; with none, every latency reads 0 and the command exits 1).</summary>
    public required int Samples { get; init; }

    /// <summary>From just before the stepped pose is published to the servo twin's receipt of the first changed goal write (ms).</summary>
    public required LatencySummary LatencyMs { get; init; }

    /// <summary>Poses the console client published.</summary>
    public required long PosesSent { get; init; }

    /// <summary>Heartbeats the console client published.</summary>
    public required long HeartbeatsSent { get; init; }

    /// <summary>Times following was interrupted (a hold on a loaded machine) and brought back.</summary>
    public required int Interruptions { get; init; }

    /// <summary>The path measured.</summary>
    public required string Transport { get; init; }
}

/// <summary>Latency percentiles (ms).</summary>
/// <param name="P50">Median.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest.</param>
public sealed record LatencySummary(double P50, double P99, double Max);
