namespace MeTAI.Service.Hosting;

/// <summary>
/// <c>Service:Oidc</c>: sign-in through a hospital's OpenID Connect identity provider, off unless
/// <see cref="Authority"/> and <see cref="ClientId"/> are set (<see cref="OidcSignIn"/>).
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The provider's issuer URL (its discovery document is at <c>/.well-known/openid-configuration</c> below it).</summary>
    public string? Authority { get; set; }

    /// <summary>This service's client id at the provider.</summary>
    public string? ClientId { get; set; }

    /// <summary>This service's client secret at the provider (a confidential client; PKCE is used as well).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The id-token claim holding the user's groups or roles at the provider.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The id-token claim naming the user (their user name here).</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Provider group or role value → our role (<c>Service:Oidc:RoleMap:radonc-physics=physicist</c>).</summary>
    public IDictionary<string, string> RoleMap { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The provider's name on the sign-in button ("Sign in with …").</summary>
    public string DisplayName { get; set; } = "OpenID Connect";

    /// <summary>Refuse an <c>http://</c> authority (true); false only for a provider on this machine or in tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>True when configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
