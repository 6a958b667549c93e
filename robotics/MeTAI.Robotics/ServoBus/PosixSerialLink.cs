using System.Runtime.InteropServices;

namespace MeTAI.Robotics.ServoBus;

/// <summary>
/// The servo bus's serial device on Linux, on a descriptor of our own (open, raw termios at the bus's baud rate,
/// <c>read</c>/<c>write</c>/<c>FIONREAD</c>/<c>tcflush</c>), used only by the thread that calls it. System.IO.Ports on
/// Unix hands every read and write to an internal I/O thread of normal priority; on a loaded 2-core machine that
/// thread waited behind other processes for longer than the 40 ms servo timeout (12 of 60 campaign runs faulted with
/// no fault injected; docs/safety.md, "Defaults on a shared machine"), while the servo IO thread itself, at SCHED_FIFO,
/// was ready. Here the bytes move on the calling thread, at its priority.
/// </summary>
internal sealed partial class PosixSerialLink : IDisposable
{
    private const int ORdWr = 0x2;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int TcsaNow = 0;
    private const int TcIFlush = 0;
    private const ulong FionRead = 0x541B;
    private const int EAgain = 11;
    private const int EIntr = 4;
    private const short PollOut = 0x4;
    private int _fd;

    private PosixSerialLink(int fd) => _fd = fd;

    /// <summary>The termios speed constant of <paramref name="baud"/> (Linux), or null for a rate the driver has no constant for.</summary>
    internal static uint? SpeedConstant(int baud) => baud switch
    {
        9600 => 0xD,
        19200 => 0xE,
        38400 => 0xF,
        57600 => 0x1001,
        115200 => 0x1002,
        230400 => 0x1003,
        460800 => 0x1004,
        500000 => 0x1005,
        576000 => 0x1006,
        921600 => 0x1007,
        1_000_000 => 0x1008,
        1_152_000 => 0x1009,
        1_500_000 => 0x100A,
        2_000_000 => 0x100B,
        2_500_000 => 0x100C,
        3_000_000 => 0x100D,
        3_500_000 => 0x100E,
        4_000_000 => 0x100F,
        _ => null,
    };

    /// <summary>Opens <paramref name="path"/> read-write, non-blocking, raw, 8N1 at <paramref name="baud"/>.</summary>
    public static unsafe PosixSerialLink Open(string path, int baud)
    {
        uint speed = SpeedConstant(baud) ?? throw new ArgumentException(
            $"serial {path}: {baud} baud is not a rate the Linux tty driver names (Dynamixel rates: 9600, 57600, 115200, 1000000, 2000000, 3000000, 4000000).");
        int fd = OpenFd(path, ORdWr | ONoCtty | ONonBlock);
        if (fd < 0)
        {
            throw new IOException($"serial {path}: open failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        // struct termios is 60 bytes on Linux/glibc; a larger buffer is harmless.
        byte* termios = stackalloc byte[256];
        if (TcGetAttr(fd, termios) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = CloseFd(fd);
            throw new IOException($"serial {path}: not a terminal device (tcgetattr errno {errno}).");
        }

        CfMakeRaw(termios);
        if (CfSetSpeed(termios, speed) != 0 || TcSetAttr(fd, TcsaNow, termios) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = CloseFd(fd);
            throw new IOException($"serial {path}: cannot set raw mode at {baud} baud (errno {errno}).");
        }

        _ = TcFlush(fd, TcIFlush);
        return new PosixSerialLink(fd);
    }

    /// <summary>Bytes waiting in the driver's input queue.</summary>
    public unsafe int BytesToRead
    {
        get
        {
            int n = 0;
            return Ioctl(_fd, FionRead, &n) == 0 ? n : 0;
        }
    }

    /// <summary>Reads what is waiting, at most <paramref name="buffer"/>.Length bytes (0 when nothing).</summary>
    public unsafe int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            nint n = ReadFd(_fd, p, (nuint)buffer.Length);
            if (n >= 0)
            {
                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            return errno is EAgain or EIntr ? 0 : throw new IOException($"serial read failed (errno {errno}).");
        }
    }

    /// <summary>Writes all of <paramref name="data"/> (waiting for room in the driver's queue up to <paramref name="timeoutMs"/>).</summary>
    public unsafe void Write(ReadOnlySpan<byte> data, int timeoutMs)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = WriteFd(_fd, p + done, (nuint)(data.Length - done));
                if (n > 0)
                {
                    done += (int)n;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (n < 0 && errno != EAgain && errno != EIntr)
                {
                    throw new IOException($"serial write failed (errno {errno}).");
                }

                var pfd = new PollFd { Fd = _fd, Events = PollOut };
                if (Poll(ref pfd, 1, timeoutMs) <= 0)
                {
                    throw new TimeoutException($"serial write: the driver took no bytes for {timeoutMs} ms.");
                }
            }
        }
    }

    /// <summary>Drops what waits in the driver's input queue.</summary>
    public void DiscardInBuffer() => _ = TcFlush(_fd, TcIFlush);

    /// <summary>Closes the descriptor.</summary>
    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = CloseFd(_fd);
            _fd = -1;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFd(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFd(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static unsafe partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static unsafe partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static unsafe partial void CfMakeRaw(byte* termios);

    [LibraryImport("libc", EntryPoint = "cfsetspeed", SetLastError = true)]
    private static unsafe partial int CfSetSpeed(byte* termios, uint speed);

    [LibraryImport("libc", EntryPoint = "tcflush")]
    private static partial int TcFlush(int fd, int queueSelector);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int Ioctl(int fd, ulong request, int* value);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint nfds, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadFd(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteFd(int fd, byte* buffer, nuint count);
}
