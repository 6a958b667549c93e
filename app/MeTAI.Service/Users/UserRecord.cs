namespace MeTAI.Service.Users;

/// <summary>A user as stored (no password or token material).</summary>
public sealed record UserRecord
{
    /// <summary>Sign-in name.</summary>
    public required string Name { get; init; }

    /// <summary>Role.</summary>
    public required Role Role { get; init; }

    /// <summary>When created (UTC).</summary>
    public required DateTime CreatedUtc { get; init; }

    /// <summary>True until the one-time password has been replaced.</summary>
    public bool MustChangePassword { get; init; }

    /// <summary>Changes whenever sessions must end (revocation, role or password change); sessions carry it.</summary>
    public required string SecurityStamp { get; init; }

    /// <summary>Where the user comes from: <c>local</c>.</summary>
    public string Source { get; init; } = "local";
}
