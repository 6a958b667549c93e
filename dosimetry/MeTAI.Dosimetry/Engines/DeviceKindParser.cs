namespace MeTAI.Dosimetry.Engines;

/// <summary>Parses the CLI's <c>--device auto|cpu|cuda</c>.</summary>
public static class DeviceKindParser
{
    /// <summary>The device for <paramref name="text"/> (case-insensitive); throws with the accepted values otherwise.</summary>
    public static DeviceKind Parse(string? text) => (text ?? "auto").Trim().ToLowerInvariant() switch
    {
        "auto" or "" => DeviceKind.Auto,
        "cpu" => DeviceKind.Cpu,
        "cuda" or "gpu" => DeviceKind.Cuda,
        _ => throw new ArgumentException($"Unknown device '{text}': use auto, cpu or cuda.", nameof(text)),
    };
}
