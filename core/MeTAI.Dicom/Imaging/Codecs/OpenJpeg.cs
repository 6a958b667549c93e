using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// The part of OpenJPEG 2's C API (openjpeg.h) that decodes one codestream held in memory: a stream whose read, skip
/// and seek callbacks walk a pinned buffer, a decompressor with the default parameters, and the decoded image's
/// components (opj_image_t, opj_image_comp_t as laid out by OpenJPEG 2.5 on 64-bit platforms). Errors and warnings
/// OpenJPEG reports are collected and named in the exception; a codestream OpenJPEG reads only in part (it warns and
/// carries on) is refused.
/// </summary>
internal static unsafe class OpenJpeg
{
    /// <summary>libopenjp2, from Debian's libopenjp2-7.</summary>
    public static readonly NativeCodecLibrary Library = new("OpenJPEG", "libopenjp2-7", "libopenjp2.so.7", "libopenjp2.so", "libopenjp2.7.dylib", "openjp2.dll");

    // Warnings after which OpenJPEG returns an image that is missing data: a truncated or damaged codestream.
    private static readonly string[] IncompleteWarnings = ["truncated", "too short", "not enough", "incomplete", "premature", "Stream error", "Stream too"];

    /// <summary>Reads the header and decodes the image; the caller disposes it.</summary>
    /// <exception cref="DicomFormatException">When OpenJPEG is missing or refuses the codestream.</exception>
    public static DecodedImage Decode(MemoryHandle pinned, int length, bool jp2, FrameFormat format, int frameIndex)
    {
        DicomTransferSyntax syntax = format.Syntax;
        var createDecompress = (delegate* unmanaged[Cdecl]<int, IntPtr>)Library.Function("opj_create_decompress", syntax);
        var destroyCodec = (delegate* unmanaged[Cdecl]<IntPtr, void>)Library.Function("opj_destroy_codec", syntax);
        var defaults = (delegate* unmanaged[Cdecl]<void*, void>)Library.Function("opj_set_default_decoder_parameters", syntax);
        var setup = (delegate* unmanaged[Cdecl]<IntPtr, void*, int>)Library.Function("opj_setup_decoder", syntax);
        var setError = (delegate* unmanaged[Cdecl]<IntPtr, delegate* unmanaged[Cdecl]<byte*, void*, void>, void*, int>)Library.Function("opj_set_error_handler", syntax);
        var setWarning = (delegate* unmanaged[Cdecl]<IntPtr, delegate* unmanaged[Cdecl]<byte*, void*, void>, void*, int>)Library.Function("opj_set_warning_handler", syntax);
        var readHeader = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, ImageHeader**, int>)Library.Function("opj_read_header", syntax);
        var decode = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, ImageHeader*, int>)Library.Function("opj_decode", syntax);
        var endDecompress = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int>)Library.Function("opj_end_decompress", syntax);
        var destroyImage = (delegate* unmanaged[Cdecl]<ImageHeader*, void>)Library.Function("opj_image_destroy", syntax);
        var messages = new Messages();
        GCHandle handle = GCHandle.Alloc(messages);
        IntPtr codec = createDecompress(jp2 ? 2 : 0); // OPJ_CODEC_JP2 : OPJ_CODEC_J2K
        // opj_dparameters_t is 8 252 bytes in OpenJPEG 2.5; the buffer leaves room for growth.
        void* parameters = NativeMemory.AllocZeroed(32768);
        var source = new MemorySource { Data = (byte*)pinned.Pointer, Length = length };
        IntPtr stream = IntPtr.Zero;
        ImageHeader* image = null;
        try
        {
            if (codec == IntPtr.Zero)
            {
                throw format.Fail(frameIndex, "OpenJPEG could not create a decompressor");
            }

            setError(codec, &OnError, (void*)GCHandle.ToIntPtr(handle));
            setWarning(codec, &OnWarning, (void*)GCHandle.ToIntPtr(handle));
            defaults(parameters);
            Require(setup(codec, parameters), "opj_setup_decoder", messages, format, frameIndex);
            stream = CreateStream(&source, length, syntax);
            Require(readHeader(stream, codec, &image), "opj_read_header", messages, format, frameIndex);
            CheckHeader(image, format, frameIndex);
            Require(decode(codec, stream, image), "opj_decode", messages, format, frameIndex);
            Require(endDecompress(codec, stream), "opj_end_decompress", messages, format, frameIndex);
            string? incomplete = messages.Warnings.FirstOrDefault(w => IncompleteWarnings.Any(k => w.Contains(k, StringComparison.OrdinalIgnoreCase)));
            if (incomplete is not null)
            {
                throw format.Fail(frameIndex, $"OpenJPEG read the JPEG 2000 codestream only in part: {incomplete}");
            }

            var result = new DecodedImage(image, destroyImage);
            image = null;
            return result;
        }
        finally
        {
            if (image is not null)
            {
                destroyImage(image);
            }

            if (stream != IntPtr.Zero)
            {
                ((delegate* unmanaged[Cdecl]<IntPtr, void>)Library.Function("opj_stream_destroy", syntax))(stream);
            }

            if (codec != IntPtr.Zero)
            {
                destroyCodec(codec);
            }

            NativeMemory.Free(parameters);
            handle.Free();
        }
    }

    private static IntPtr CreateStream(MemorySource* source, int length, DicomTransferSyntax syntax)
    {
        var create = (delegate* unmanaged[Cdecl]<nuint, int, IntPtr>)Library.Function("opj_stream_create", syntax);
        var setRead = (delegate* unmanaged[Cdecl]<IntPtr, delegate* unmanaged[Cdecl]<void*, nuint, void*, nuint>, void>)Library.Function("opj_stream_set_read_function", syntax);
        var setSkip = (delegate* unmanaged[Cdecl]<IntPtr, delegate* unmanaged[Cdecl]<long, void*, long>, void>)Library.Function("opj_stream_set_skip_function", syntax);
        var setSeek = (delegate* unmanaged[Cdecl]<IntPtr, delegate* unmanaged[Cdecl]<long, void*, int>, void>)Library.Function("opj_stream_set_seek_function", syntax);
        var setUserData = (delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr, void>)Library.Function("opj_stream_set_user_data", syntax);
        var setLength = (delegate* unmanaged[Cdecl]<IntPtr, ulong, void>)Library.Function("opj_stream_set_user_data_length", syntax);
        IntPtr stream = create(1 << 16, 1);
        if (stream == IntPtr.Zero)
        {
            throw new DicomFormatException("OpenJPEG could not create a stream", -1, DicomTags.PixelData);
        }

        setRead(stream, &Read);
        setSkip(stream, &Skip);
        setSeek(stream, &Seek);
        setUserData(stream, source, IntPtr.Zero);
        setLength(stream, (ulong)length);
        return stream;
    }

    // Before anything the size of the image is allocated: the codestream must be the frame the dataset describes.
    private static void CheckHeader(ImageHeader* image, FrameFormat format, int frameIndex)
    {
        if (image->NumComps == 0 || image->Comps is null)
        {
            throw format.Fail(frameIndex, "the JPEG 2000 codestream has no components");
        }

        ImageComp* c = image->Comps;
        format.Check(frameIndex, "JPEG 2000", c->W, c->H, (int)Math.Min(image->NumComps, int.MaxValue), (int)Math.Min(c->Prec, 64));
    }

    private static void Require(int ok, string function, Messages messages, FrameFormat format, int frameIndex)
    {
        if (ok == 0)
        {
            string said = messages.Errors.Count > 0 ? string.Join("; ", messages.Errors) : "no message";
            throw format.Fail(frameIndex, $"OpenJPEG {function} failed: {said}");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(byte* message, void* user) => Collect(message, user, error: true);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnWarning(byte* message, void* user) => Collect(message, user, error: false);

    private static void Collect(byte* message, void* user, bool error)
    {
        if (GCHandle.FromIntPtr((IntPtr)user).Target is Messages m && message is not null)
        {
            string text = (Marshal.PtrToStringUTF8((IntPtr)message) ?? string.Empty).Trim();
            (error ? m.Errors : m.Warnings).Add(text);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint Read(void* buffer, nuint count, void* user)
    {
        var s = (MemorySource*)user;
        long left = s->Length - s->Position;
        if (left <= 0)
        {
            return unchecked((nuint)(-1)); // (OPJ_SIZE_T)-1: end of stream
        }

        long n = count > (ulong)left ? left : (long)count;
        Buffer.MemoryCopy(s->Data + s->Position, buffer, (long)count, n);
        s->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long Skip(long count, void* user)
    {
        var s = (MemorySource*)user;
        long target = s->Position + count;
        if (target < 0 || target > s->Length)
        {
            s->Position = target < 0 ? 0 : s->Length;
            return -1;
        }

        s->Position = target;
        return count;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Seek(long offset, void* user)
    {
        var s = (MemorySource*)user;
        if (offset < 0 || offset > s->Length)
        {
            s->Position = s->Length;
            return 0;
        }

        s->Position = offset;
        return 1;
    }

    /// <summary>One component of a decoded image: size, subsampling, precision and sign.</summary>
    public readonly record struct Component(int Width, int Height, int Dx, int Dy, int Precision, bool Signed);

    /// <summary>An opj_image_t owned until disposed.</summary>
    public sealed class DecodedImage : IDisposable
    {
        private readonly delegate* unmanaged[Cdecl]<ImageHeader*, void> _destroy;
        private ImageHeader* _image;

        internal DecodedImage(ImageHeader* image, delegate* unmanaged[Cdecl]<ImageHeader*, void> destroy)
        {
            _image = image;
            _destroy = destroy;
            var components = new Component[image->NumComps];
            for (int c = 0; c < components.Length; c++)
            {
                ImageComp* k = image->Comps + c;
                components[c] = new Component((int)Math.Min(k->W, int.MaxValue), (int)Math.Min(k->H, int.MaxValue), (int)k->Dx, (int)k->Dy, (int)k->Prec, k->Sgnd != 0);
            }

            Components = components;
        }

        /// <summary>The components, in codestream order.</summary>
        public Component[] Components { get; }

        /// <summary>The first <paramref name="count"/> samples of component <paramref name="component"/>.</summary>
        public ReadOnlySpan<int> Samples(int component, int count)
        {
            ImageComp* k = _image->Comps + component;
            if (k->Data is null || (long)k->W * k->H < count)
            {
                throw new InvalidOperationException("OpenJPEG returned a component without its samples");
            }

            return new ReadOnlySpan<int>(k->Data, count);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_image is not null)
            {
                _destroy(_image);
                _image = null;
            }
        }
    }

    private sealed class Messages
    {
        public List<string> Errors { get; } = [];

        public List<string> Warnings { get; } = [];
    }

    /// <summary>The buffer the stream callbacks read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MemorySource
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>opj_image_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ImageHeader
    {
        public uint X0, Y0, X1, Y1;
        public uint NumComps;
        public int ColorSpace;
        public ImageComp* Comps;
        public byte* IccProfile;
        public uint IccProfileLength;
    }

    /// <summary>opj_image_comp_t (bpp is deprecated in 2.5 but still laid out).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ImageComp
    {
        public uint Dx, Dy, W, H, X0, Y0, Prec, Bpp, Sgnd, ResnoDecoded, Factor;
        public int* Data;
        public ushort Alpha;
    }
}
