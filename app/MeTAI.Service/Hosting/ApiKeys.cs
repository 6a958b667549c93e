using System.Security.Cryptography;
using System.Text;

namespace MeTAI.Service.Hosting;

/// <summary>
/// The configured API keys, gathered once at start from <see cref="ServiceOptions.ApiKeys"/>, the file
/// <see cref="ServiceOptions.ApiKeysFile"/> and the environment variable <c>METAI_API_KEYS</c> (comma-separated).
/// Keys are kept as SHA-256 digests and compared in constant time.
/// </summary>
public sealed class ApiKeys
{
    /// <summary>Environment variable with comma-separated keys.</summary>
    public const string EnvironmentVariable = "METAI_API_KEYS";

    /// <summary>Keys shorter than this are refused (a short key is guessable).</summary>
    public const int MinLength = 16;

    private readonly List<byte[]> _digests = [];

    /// <summary>Collects the keys; throws when a key is too short or the keys file is missing.</summary>
    public ApiKeys(ServiceOptions options, string? environmentValue)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new List<string>(options.ApiKeys);
        if (!string.IsNullOrWhiteSpace(options.ApiKeysFile))
        {
            if (!File.Exists(options.ApiKeysFile))
            {
                throw new FileNotFoundException($"Service:ApiKeysFile {options.ApiKeysFile} does not exist.", options.ApiKeysFile);
            }

            keys.AddRange(File.ReadAllLines(options.ApiKeysFile).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        }

        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            keys.AddRange(environmentValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        foreach (string key in keys.Where(k => !string.IsNullOrWhiteSpace(k)))
        {
            if (key.Length < MinLength)
            {
                throw new ArgumentException($"An API key is shorter than {MinLength} characters; use a long random key (e.g. `openssl rand -hex 24`).");
            }

            _digests.Add(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }
    }

    /// <summary>Number of keys configured.</summary>
    public int Count => _digests.Count;

    /// <summary>True when <paramref name="presented"/> is one of the keys.</summary>
    public bool IsValid(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || _digests.Count == 0)
        {
            return false;
        }

        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        bool match = false;
        foreach (byte[] d in _digests)
        {
            // Look at every key so the time taken does not say which one matched.
            match |= CryptographicOperations.FixedTimeEquals(d, digest);
        }

        return match;
    }
}
