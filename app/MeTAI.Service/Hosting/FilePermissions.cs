using System.Runtime.InteropServices;

namespace MeTAI.Service.Hosting;

/// <summary>
/// Keeps patient data private to the service's account: the process's file-creation mask is set to 077 at start, so
/// everything it creates (databases, uploads, plan outputs, logs) is 0600 and every folder 0700, and files made
/// before are tightened with <see cref="Restrict"/>. Linux and macOS only; elsewhere these do nothing.
/// </summary>
public static partial class FilePermissions
{
    /// <summary>Sets the process's umask to 077 (owner only).</summary>
    public static void OwnerOnlyFromNowOn()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0b000_111_111);
        }
    }

    /// <summary>Makes <paramref name="path"/> 0600 (a file) or 0700 (a folder) when it exists.</summary>
    public static void Restrict(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (Directory.Exists(path))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else if (File.Exists(path))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
