namespace MeTAI.Service.Users;

/// <summary>A personal API token as stored (its SHA-256 only; the token itself is shown once).</summary>
public sealed record TokenRecord
{
    /// <summary>Short id (the first characters of the token's hash), for listing and revoking one token.</summary>
    public required string Id { get; init; }

    /// <summary>Its user.</summary>
    public required string User { get; init; }

    /// <summary>Issued (UTC).</summary>
    public required DateTime CreatedUtc { get; init; }

    /// <summary>Expires (UTC).</summary>
    public required DateTime ExpiresUtc { get; init; }

    /// <summary>Revoked (UTC), or null.</summary>
    public DateTime? RevokedUtc { get; init; }
}
