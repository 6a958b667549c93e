using System.Security.Cryptography;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// The key file <see cref="MasterToken"/>s are signed with: one line, the base64 of <see cref="KeyBytes"/> random bytes,
/// readable by its owner only. The service (which issues) and the controller's broker (which checks) name the same file:
/// <c>metai serve --teleop-key FILE</c> and <c>metai control --teleop-key FILE</c>; whichever starts first creates it.
/// </summary>
public static class MasterTokenKey
{
    /// <summary>Key length in bytes.</summary>
    public const int KeyBytes = 32;

    /// <summary>Reads the key from <paramref name="path"/>; throws naming the file when it is missing, not base64, or too short.</summary>
    public static byte[] Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no master-token key file", path);
        }

        string text = File.ReadAllText(path).Trim();
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"{path}: a master-token key file holds one base64 line ({KeyBytes} bytes)");
        }

        if (key.Length < KeyBytes)
        {
            throw new FormatException($"{path}: the key has {key.Length} bytes, fewer than {KeyBytes}");
        }

        return key;
    }

    /// <summary>
    /// Reads the key, or creates the file with a fresh random key (owner read/write only, written to a temporary file
    /// and moved into place; if another process created it meanwhile, that key is read and kept).
    /// </summary>
    public static byte[] LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return Load(path);
        }

        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (FileStream f = CreateOwnerOnly(temp))
            using (var w = new StreamWriter(f))
            {
                w.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
            }

            File.Move(temp, full, overwrite: false);
        }
        catch (IOException) when (File.Exists(full))
        {
            // Another process won the race: use its key.
        }
        finally
        {
            File.Delete(temp);
        }

        return Load(full);
    }

    private static FileStream CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
