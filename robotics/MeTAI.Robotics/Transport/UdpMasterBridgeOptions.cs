using System.Net;

namespace MeTAI.Robotics.Transport;

/// <summary>Options of the <see cref="UdpMasterBridge"/>; validated once.</summary>
public sealed class UdpMasterBridgeOptions
{
    /// <summary>Where the bridge receives the device's datagrams (port 0: pick a free one).</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>The controller's broker, as the master's account.</summary>
    public required MqttEndpoint Broker { get; init; }

    /// <summary>Robot name (the topics' <c>{robot}</c>).</summary>
    public required string Robot { get; init; }

    /// <summary>The master ID the device publishes as (its broker user name).</summary>
    public required string MasterId { get; init; }

    /// <summary>Heartbeat period while the device is alive (ms; docs/mqtt-topics.md: 10).</summary>
    public double HeartbeatPeriodMs { get; init; } = 10;

    /// <summary>The device counts as alive while its last valid pose is at most this old (ms).</summary>
    public double DeviceSilenceMs { get; init; } = 20;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Listen);
        ArgumentNullException.ThrowIfNull(Broker);
        ArgumentException.ThrowIfNullOrWhiteSpace(Robot);
        if (!MasterToken.IsValidMasterId(MasterId))
        {
            throw new ArgumentException($"Master ID '{MasterId}' is not 1-64 letters, digits, '-', '_' or '.'.");
        }

        if (!(HeartbeatPeriodMs is >= 1 and <= 30) || !(DeviceSilenceMs >= HeartbeatPeriodMs && DeviceSilenceMs <= 30))
        {
            throw new ArgumentException("HeartbeatPeriodMs must be 1-30 and DeviceSilenceMs between it and 30 (the controller's watchdog).");
        }
    }
}
