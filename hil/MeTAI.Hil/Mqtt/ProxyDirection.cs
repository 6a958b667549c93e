namespace MeTAI.Hil.Mqtt;

/// <summary>Which way a packet travels through the <see cref="MqttFaultProxy"/>.</summary>
[Flags]
public enum ProxyDirection
{
    /// <summary>Client → broker (what a device publishes).</summary>
    ToBroker = 1,

    /// <summary>Broker → client (what a device receives).</summary>
    ToClient = 2,

    /// <summary>Both ways.</summary>
    Both = ToBroker | ToClient,
}
