using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// A broker account of the embedded broker: name, role and a salted PBKDF2-SHA256 password hash
/// (<c>pbkdf2-sha256$iterations$saltBase64$hashBase64</c>), never the password itself.
/// </summary>
public sealed class MqttUser
{
    private const int Iterations = 20_000;

    /// <summary>User name (for a master: its master ID).</summary>
    public required string Name { get; init; }

    /// <summary>Role.</summary>
    public required MqttRole Role { get; init; }

    /// <summary>Password hash (<see cref="HashPassword"/>).</summary>
    public required string PasswordHash { get; init; }

    /// <summary>Creates a user from a plain password (hashed here).</summary>
    public static MqttUser Create(string name, MqttRole role, string password) =>
        new() { Name = name, Role = role, PasswordHash = HashPassword(password) };

    /// <summary>Hashes a password with a fresh random salt.</summary>
    public static string HashPassword(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Checks a password in constant time.</summary>
    public bool Verify(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return false;
        }

        string[] parts = PasswordHash.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations))
        {
            return false;
        }

        byte[] salt = Convert.FromBase64String(parts[2]);
        byte[] expected = Convert.FromBase64String(parts[3]);
        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A random password for generated accounts (base64url, 24 bytes of entropy).</summary>
    public static string RandomPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
