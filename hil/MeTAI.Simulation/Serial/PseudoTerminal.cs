using System.Runtime.InteropServices;
using System.Text;

namespace MeTAI.Simulation.Serial;

/// <summary>
/// A Linux pseudo-terminal pair (posix_openpt, grantpt, unlockpt, ptsname_r) with both ends in raw mode
/// (cfmakeraw + tcsetattr). The twin reads and writes the master side; the controller opens <see cref="SlavePath"/>
/// with System.IO.Ports exactly as it would open a USB adapter. The twin keeps its own slave descriptor open so the
/// master side stays valid while the controller closes and reopens the port.
/// </summary>
public sealed partial class PseudoTerminal : IDisposable
{
    private const int ORdWr = 0x2;
    private const int ONoCtty = 0x100;
    private const int TcsaNow = 0;
    private const short PollIn = 0x1;
    private int _master;
    private int _slave;

    /// <summary>Opens a new pair.</summary>
    public PseudoTerminal()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Pseudo-terminals need Linux.");
        }

        _master = PosixOpenpt(ORdWr | ONoCtty);
        if (_master < 0)
        {
            throw new IOException($"posix_openpt failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        if (Grantpt(_master) != 0 || Unlockpt(_master) != 0)
        {
            Close(_master);
            throw new IOException($"grantpt/unlockpt failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        byte[] name = new byte[128];
        if (PtsnameR(_master, name, (nuint)name.Length) != 0)
        {
            Close(_master);
            throw new IOException("ptsname_r failed.");
        }

        SlavePath = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
        _slave = Open(SlavePath, ORdWr | ONoCtty);
        if (_slave < 0)
        {
            Close(_master);
            throw new IOException($"open({SlavePath}) failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        MakeRaw(_slave);
        MakeRaw(_master);
    }

    /// <summary>Path of the slave side (e.g. <c>/dev/pts/7</c>) for the controller.</summary>
    public string SlavePath { get; }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for bytes on the master side, then reads them (0 on timeout).</summary>
    public int Read(Span<byte> buffer, int timeoutMs)
    {
        var fds = new PollFd { Fd = _master, Events = PollIn };
        int ready = Poll(ref fds, 1, timeoutMs);
        if (ready <= 0 || (fds.Revents & PollIn) == 0)
        {
            return 0;
        }

        unsafe
        {
            fixed (byte* p = buffer)
            {
                nint n = ReadFd(_master, p, (nuint)buffer.Length);
                return n < 0 ? 0 : (int)n;
            }
        }
    }

    /// <summary>Writes all bytes to the master side (the controller reads them).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        unsafe
        {
            fixed (byte* p = data)
            {
                int done = 0;
                while (done < data.Length)
                {
                    nint n = WriteFd(_master, p + done, (nuint)(data.Length - done));
                    if (n <= 0)
                    {
                        throw new IOException($"write to pty failed (errno {Marshal.GetLastPInvokeError()}).");
                    }

                    done += (int)n;
                }
            }
        }
    }

    private static unsafe void MakeRaw(int fd)
    {
        // struct termios is 60 bytes on Linux/glibc; a larger buffer is harmless.
        byte* termios = stackalloc byte[256];
        if (TcGetAttr(fd, termios) != 0)
        {
            throw new IOException($"tcgetattr failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        CfMakeRaw(termios);
        if (TcSetAttr(fd, TcsaNow, termios) != 0)
        {
            throw new IOException($"tcsetattr failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>Closes both sides.</summary>
    public void Dispose()
    {
        if (_slave > 0)
        {
            Close(_slave);
            _slave = -1;
        }

        if (_master > 0)
        {
            Close(_master);
            _master = -1;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenpt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static partial int Grantpt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int Unlockpt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    private static partial int PtsnameR(int fd, [Out] byte[] buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static unsafe partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static unsafe partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static unsafe partial void CfMakeRaw(byte* termios);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint nfds, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadFd(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteFd(int fd, byte* buffer, nuint count);
}
