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

    /// <summary>
    /// Key of the short-lived master credentials (<see cref="MasterToken"/>, <see cref="MasterTokenKey"/>): when set, a
    /// client whose password is such a token, signed with this key for its user name and unexpired, is admitted as a
    /// master of that ID (same ACL as every master). Null (the default): tokens are refused like any wrong password.
    /// </summary>
    public byte[]? MasterTokenKey { get; init; }

    /// <summary>Clock that token expiry is judged by.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the broker says why it refused a connection (one line each); null: nowhere (still counted).</summary>
    public Action<string>? Log { get; init; }

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

        if (MasterTokenKey is { Length: < Transport.MasterTokenKey.KeyBytes })
        {
            throw new ArgumentException($"MasterTokenKey must have at least {Transport.MasterTokenKey.KeyBytes} bytes.");
        }

        ArgumentNullException.ThrowIfNull(Time);
    }
}
