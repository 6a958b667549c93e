using System.Runtime.InteropServices;

namespace MeTAI.Robotics.ServoBus;

/// <summary>
/// A second, write-only, non-blocking descriptor on the serial device for emergency frames (torque off). System.IO.Ports
/// on Unix queues writes to an internal I/O thread, so a "write" through it is only as prompt as that thread gets the
/// CPU; a <c>write(2)</c> on our own descriptor reaches the tty driver from the calling thread at once. The kernel's
/// per-tty write lock keeps it from interleaving with the IO thread's packets. Linux only; elsewhere unavailable.
/// </summary>
internal sealed partial class EmergencyTtyWriter : IDisposable
{
    private const int OWrOnly = 0x1;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private int _fd = -1;

    private EmergencyTtyWriter(int fd) => _fd = fd;

    /// <summary>Opens <paramref name="path"/> write-only and non-blocking; null when not possible.</summary>
    public static EmergencyTtyWriter? TryOpen(string path)
    {
        if (!OperatingSystem.IsLinux() || !path.StartsWith('/'))
        {
            return null;
        }

        int fd = Open(path, OWrOnly | ONoCtty | ONonBlock);
        return fd < 0 ? null : new EmergencyTtyWriter(fd);
    }

    /// <summary>Writes the frame with one <c>write(2)</c>; false if the driver did not take all of it.</summary>
    public unsafe bool Write(ReadOnlySpan<byte> frame)
    {
        if (_fd < 0)
        {
            return false;
        }

        fixed (byte* p = frame)
        {
            return WriteFd(_fd, p, (nuint)frame.Length) == frame.Length;
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = Close(_fd);
            _fd = -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteFd(int fd, byte* buffer, nuint count);
}
