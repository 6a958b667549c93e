using System.Net;

namespace MeTAI.Robotics.Transport;

/// <summary>Options of the <see cref="EmbeddedBroker"/>; validated once.</summary>
public sealed class EmbeddedBrokerOptions
{
    /// <summary>Robot whose topics the ACL covers.</summary>
    public required string Robot { get; init; }

    /// <summary>Accounts; anyone else (and anonymous clients) is refused.</summary>
    public required IReadOnlyList<MqttUser> Users { get; init; }

    /// <summary>Bind address (default loopback only).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port (0: pick a free one).</summary>
    public int Port { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Robot);
        ArgumentNullException.ThrowIfNull(Users);
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        if (Users.Select(u => u.Name).Distinct(StringComparer.Ordinal).Count() != Users.Count)
        {
            throw new ArgumentException("User names must be unique.");
        }
    }
}
