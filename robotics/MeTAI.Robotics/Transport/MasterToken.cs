using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// Short-lived broker passwords for masters that have no account of their own (the service's browser console): the
/// service signs <c>mt1.{issuedUnixS}.{expiresUnixS}.{issuedTo}.{mac}</c> with a key the controller's broker shares
/// (<see cref="MasterTokenKey"/>); <c>mac</c> is HMAC-SHA256 over the master ID, both times and <c>issuedTo</c> (the
/// signed-in user, base64url), so a token is good for one master ID only and only until it expires. The broker checks it
/// at CONNECT (<see cref="EmbeddedBroker"/>); the account it grants has role <see cref="MqttRole.Master"/> and the same ACL
/// as any other master. A session outlives its token (the controller's watchdogs, not the token, end a silent master).
/// </summary>
public static class MasterToken
{
    /// <summary>Every token starts with this (version 1).</summary>
    public const string Prefix = "mt1.";

    /// <summary>Longest lifetime (expiry − issue) a broker accepts, whatever the issuer asked.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    /// <summary>Clock skew tolerated between issuer and broker (an issue time this far in the future is still accepted).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>True when <paramref name="password"/> has a token's form (the broker then checks it as one).</summary>
    public static bool LooksLikeToken(string? password) => password is not null && password.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Signs a token for <paramref name="masterId"/>, issued to <paramref name="issuedTo"/>, valid from <paramref name="issuedUtc"/> to <paramref name="expiresUtc"/>.</summary>
    public static string Issue(ReadOnlySpan<byte> key, string masterId, string issuedTo, DateTimeOffset issuedUtc, DateTimeOffset expiresUtc)
    {
        CheckKey(key);
        CheckMasterId(masterId);
        ArgumentException.ThrowIfNullOrEmpty(issuedTo);
        if (expiresUtc <= issuedUtc || expiresUtc - issuedUtc > MaxLifetime)
        {
            throw new ArgumentException($"A master token lives more than 0 and at most {MaxLifetime.TotalMinutes:F0} minutes.", nameof(expiresUtc));
        }

        long issued = issuedUtc.ToUnixTimeSeconds();
        long expires = expiresUtc.ToUnixTimeSeconds();
        string who = Base64Url(Encoding.UTF8.GetBytes(issuedTo));
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{issued}.{expires}.{who}.{Base64Url(Mac(key, masterId, issued, expires, who))}");
    }

    /// <summary>
    /// Checks <paramref name="token"/> as the password of <paramref name="masterId"/> at <paramref name="nowUtc"/>; on
    /// failure <paramref name="reason"/> says why (malformed, signed for another master or with another key, expired,
    /// too long-lived, issued in the future). <paramref name="issuedTo"/> is the user it was issued to.
    /// </summary>
    public static bool TryVerify(ReadOnlySpan<byte> key, string? masterId, string? token, DateTimeOffset nowUtc, out string issuedTo, out string reason)
    {
        CheckKey(key);
        issuedTo = "";
        if (string.IsNullOrEmpty(masterId) || !IsValidMasterId(masterId))
        {
            reason = "the user name is not a valid master ID";
            return false;
        }

        string[] parts = LooksLikeToken(token) ? token![Prefix.Length..].Split('.') : [];
        if (parts.Length != 4
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long issued)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long expires)
            || !TryBase64Url(parts[2], out byte[] who) || !TryBase64Url(parts[3], out byte[] mac))
        {
            reason = "malformed token (expected mt1.issued.expires.user.mac)";
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(key, masterId, issued, expires, parts[2])))
        {
            reason = "bad signature (forged, altered, signed with another key or for another master ID)";
            return false;
        }

        issuedTo = Encoding.UTF8.GetString(who);
        long now = nowUtc.ToUnixTimeSeconds();
        if (expires <= issued || expires - issued > (long)MaxLifetime.TotalSeconds)
        {
            reason = $"lifetime {expires - issued} s is outside (0, {MaxLifetime.TotalSeconds:F0}] s";
            return false;
        }

        if (issued > now + (long)ClockSkew.TotalSeconds)
        {
            reason = $"issued {issued - now} s in the future (clocks differ?)";
            return false;
        }

        if (now >= expires)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"expired {now - expires} s ago ({DateTimeOffset.FromUnixTimeSeconds(expires):u})");
            return false;
        }

        reason = "";
        return true;
    }

    /// <summary>A master ID is one topic level: 1–64 of letters, digits, '-', '_' and '.'.</summary>
    public static bool IsValidMasterId(string? masterId)
    {
        if (string.IsNullOrEmpty(masterId) || masterId.Length > 64)
        {
            return false;
        }

        foreach (char c in masterId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckMasterId(string masterId)
    {
        if (!IsValidMasterId(masterId))
        {
            throw new ArgumentException($"Master ID '{masterId}' is not 1-64 letters, digits, '-', '_' or '.'.", nameof(masterId));
        }
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length < MasterTokenKey.KeyBytes)
        {
            throw new ArgumentException($"A master-token key has at least {MasterTokenKey.KeyBytes} bytes.", nameof(key));
        }
    }

    private static byte[] Mac(ReadOnlySpan<byte> key, string masterId, long issued, long expires, string who) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"mt1\n{masterId}\n{issued}\n{expires}\n{who}")));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length > 512)
        {
            return false;
        }

        string b64 = text.Replace('-', '+').Replace('_', '/');
        b64 += (b64.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        try
        {
            bytes = Convert.FromBase64String(b64);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
