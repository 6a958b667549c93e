using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// JPEG-LS (ITU-T T.87): Lossless (1.2.840.10008.1.2.4.80) and Near-Lossless (.81), decoded by CharLS through its C API
/// (Debian libcharls2, libcharls.so.2). CharLS returns 8-bit samples as bytes and 9–16-bit samples as 16-bit words,
/// one plane after another for interleave mode none and pixel by pixel for line and sample interleave; both are
/// written here into the interleaved frame. Near-lossless frames decode to within NEAR of the original, by the
/// standard's definition.
/// </summary>
internal sealed unsafe class JpegLsCodec : IFrameDecoder
{
    private static readonly NativeCodecLibrary Library = new("CharLS", "libcharls2", "libcharls.so.2", "libcharls.so", "libcharls.2.dylib", "charls-2-x64.dll");

    /// <summary>True when CharLS loads.</summary>
    public static bool IsAvailable => Library.IsAvailable;

    /// <inheritdoc />
    public int MaxExpansion => 0;

    /// <inheritdoc />
    public string DecodedPhotometricInterpretation(string stored) => stored == "YBR_FULL_422" ? "YBR_FULL" : stored;

    /// <inheritdoc />
    public bool IsFrameStart(ReadOnlySpan<byte> fragment) => fragment.Length >= 2 && fragment[0] == 0xFF && fragment[1] == JpegMarkers.Soi;

    /// <inheritdoc />
    public void CheckHeader(ReadOnlySpan<byte> data, FrameFormat format, int frameIndex) => JpegCodec.CheckJpegHeader(data, format, frameIndex, "JPEG-LS");

    /// <inheritdoc />
    public void Decode(ReadOnlyMemory<byte> data, FrameFormat format, Span<byte> destination, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(format);
        var api = new Api(format.Syntax);
        IntPtr decoder = api.Create();
        if (decoder == IntPtr.Zero)
        {
            throw format.Fail(frameIndex, "CharLS could not create a decoder");
        }

        try
        {
            using MemoryHandle pinned = data.Pin();
            Check(api, format, frameIndex, api.SetSource(decoder, pinned.Pointer, (nuint)data.Length));
            Check(api, format, frameIndex, api.ReadHeader(decoder));
            FrameInfo info;
            Check(api, format, frameIndex, api.GetFrameInfo(decoder, &info));
            format.Check(frameIndex, "JPEG-LS", info.Width, info.Height, info.ComponentCount, info.BitsPerSample);
            int interleave;
            Check(api, format, frameIndex, api.GetInterleaveMode(decoder, &interleave));
            nuint size;
            Check(api, format, frameIndex, api.GetDestinationSize(decoder, 0, &size));
            int bytes = info.BitsPerSample <= 8 ? 1 : 2;
            long expected = (long)format.Pixels * format.SamplesPerPixel * bytes;
            if ((long)size != expected)
            {
                throw format.Fail(frameIndex, $"CharLS wants a {size}-byte buffer for a {expected}-byte frame");
            }

            byte[] decoded = GC.AllocateUninitializedArray<byte>((int)expected);
            fixed (byte* output = decoded)
            {
                Check(api, format, frameIndex, api.DecodeToBuffer(decoder, output, size, 0));
            }

            Write(decoded, bytes, planar: interleave == 0 && format.SamplesPerPixel > 1, format, info.BitsPerSample, destination);
        }
        finally
        {
            api.Destroy(decoder);
        }
    }

    private static void Write(byte[] decoded, int bytes, bool planar, FrameFormat format, int precision, Span<byte> destination)
    {
        var sink = new FrameSink(destination, format, precision, codestreamSigned: false);
        int pixels = format.Pixels, samples = format.SamplesPerPixel;
        for (int c = 0; c < samples; c++)
        {
            for (int p = 0; p < pixels; p++)
            {
                int index = planar ? (c * pixels) + p : (p * samples) + c;
                int value = bytes == 1 ? decoded[index] : BinaryPrimitives.ReadUInt16LittleEndian(decoded.AsSpan(2 * index));
                sink.Set(p, c, value);
            }
        }
    }

    private static void Check(Api api, FrameFormat format, int frameIndex, int error)
    {
        if (error != 0)
        {
            string message = Marshal.PtrToStringUTF8(api.ErrorMessage(error)) ?? "no message";
            throw format.Fail(frameIndex, $"CharLS: {message} (error {error})");
        }
    }

    /// <summary>charls_frame_info (public_types.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    /// <summary>The CharLS 2 C functions used, resolved once per call from the loaded library.</summary>
    private readonly struct Api(DicomTransferSyntax syntax)
    {
        private readonly delegate* unmanaged[Cdecl]<IntPtr> _create = (delegate* unmanaged[Cdecl]<IntPtr>)Library.Function("charls_jpegls_decoder_create", syntax);
        private readonly delegate* unmanaged[Cdecl]<IntPtr, void> _destroy = (delegate* unmanaged[Cdecl]<IntPtr, void>)Library.Function("charls_jpegls_decoder_destroy", syntax);
        private readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, int> _setSource = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, int>)Library.Function("charls_jpegls_decoder_set_source_buffer", syntax);
        private readonly delegate* unmanaged[Cdecl]<IntPtr, int> _readHeader = (delegate* unmanaged[Cdecl]<IntPtr, int>)Library.Function("charls_jpegls_decoder_read_header", syntax);
        private readonly delegate* unmanaged[Cdecl]<IntPtr, FrameInfo*, int> _frameInfo = (delegate* unmanaged[Cdecl]<IntPtr, FrameInfo*, int>)Library.Function("charls_jpegls_decoder_get_frame_info", syntax);
        private readonly delegate* unmanaged[Cdecl]<IntPtr, int*, int> _interleave = (delegate* unmanaged[Cdecl]<IntPtr, int*, int>)Library.Function("charls_jpegls_decoder_get_interleave_mode", syntax);
        private readonly delegate* unmanaged[Cdecl]<IntPtr, uint, nuint*, int> _size = (delegate* unmanaged[Cdecl]<IntPtr, uint, nuint*, int>)Library.Function("charls_jpegls_decoder_get_destination_size", syntax);
        private readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, uint, int> _decode = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, uint, int>)Library.Function("charls_jpegls_decoder_decode_to_buffer", syntax);
        private readonly delegate* unmanaged[Cdecl]<int, IntPtr> _message = (delegate* unmanaged[Cdecl]<int, IntPtr>)Library.Function("charls_get_error_message", syntax);

        public IntPtr Create() => _create();

        public void Destroy(IntPtr decoder) => _destroy(decoder);

        public int SetSource(IntPtr decoder, void* source, nuint length) => _setSource(decoder, source, length);

        public int ReadHeader(IntPtr decoder) => _readHeader(decoder);

        public int GetFrameInfo(IntPtr decoder, FrameInfo* info) => _frameInfo(decoder, info);

        public int GetInterleaveMode(IntPtr decoder, int* mode) => _interleave(decoder, mode);

        public int GetDestinationSize(IntPtr decoder, uint stride, nuint* size) => _size(decoder, stride, size);

        public int DecodeToBuffer(IntPtr decoder, void* destination, nuint size, uint stride) => _decode(decoder, destination, size, stride);

        public IntPtr ErrorMessage(int error) => _message(error);
    }
}
