using System.Text.Json;

namespace MeTAI.Service.Controller;

/// <summary><c>GET /api/controller/state</c>: the latest state, interlocks and loop statistics, and the catalogues the page draws.</summary>
public sealed record ControllerStatus
{
    /// <summary>none, sim or mqtt.</summary>
    public required string Mode { get; init; }

    /// <summary>True while the service's MQTT client is connected.</summary>
    public required bool Connected { get; init; }

    /// <summary>Robot name.</summary>
    public string? Robot { get; init; }

    /// <summary>Supervisor state (null before the first message).</summary>
    public string? State { get; init; }

    /// <summary>Active interlocks by name.</summary>
    public IReadOnlyList<string> Interlocks { get; init; } = [];

    /// <summary>Control cycle of the last message.</summary>
    public long? Cycle { get; init; }

    /// <summary>Loop statistics from the last telemetry (cycles, overruns, jitterP99Us, jitterMaxUs, stepP99Us, gcPauseMs).</summary>
    public JsonElement? Loop { get; init; }

    /// <summary>Serial bus statistics from the last telemetry.</summary>
    public JsonElement? Bus { get; init; }

    /// <summary>When the last message arrived (UTC).</summary>
    public DateTime? LastMessageUtc { get; init; }

    /// <summary>Why there is no data, when there is none.</summary>
    public string? Note { get; init; }

    /// <summary>Every supervisor state, in declaration order.</summary>
    public required IReadOnlyList<string> States { get; init; }

    /// <summary>Every interlock with its reaction.</summary>
    public required IReadOnlyList<InterlockInfo> InterlockCatalog { get; init; }
}

/// <summary>An interlock and its reaction.</summary>
/// <param name="Name">Interlock name.</param>
/// <param name="Reaction">Hold, FaultTorqueOff or EStopTorqueOff.</param>
public sealed record InterlockInfo(string Name, string Reaction);
