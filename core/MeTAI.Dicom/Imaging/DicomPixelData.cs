using System.Runtime.InteropServices;
using MeTAI.Dicom.Imaging.Codecs;

namespace MeTAI.Dicom.Imaging;

/// <summary>
/// The pixel data of an image dataset as frames of little-endian samples, pixel-interleaved (the layout of Planar
/// Configuration 0, whatever the file's planar configuration): from native transfer syntaxes (values already
/// little-endian in the model) and decoded from the encapsulated syntaxes of <see cref="FrameDecoders"/> — RLE
/// Lossless, JPEG baseline/extended/lossless, JPEG-LS and JPEG 2000. Other encapsulated syntaxes (HTJ2K, MPEG, …) are
/// not decoded: <see cref="Create(DicomFile)"/> throws <see cref="DicomFormatException"/>
/// "unsupported transfer syntax &lt;UID&gt; (&lt;name&gt;)". Samples are the stored values (no rescale, no colour
/// conversion); <see cref="FramePhotometricInterpretation"/> says what colour space the frames are in.
/// Data with 1 bit allocated stays bit-packed (first pixel in the least significant bit), each frame re-aligned to start at bit 0.
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomElement _pixels;
    private readonly IFrameDecoder? _decoder;
    private readonly EncapsulatedFrames? _frames;
    private readonly FrameFormat _format;

    private DicomPixelData(DicomElement pixels, DicomTransferSyntax syntax, DicomDataset dataset)
    {
        _pixels = pixels;
        TransferSyntax = syntax;
        Rows = RequiredUShort(dataset, DicomTags.Rows);
        Columns = RequiredUShort(dataset, DicomTags.Columns);
        BitsAllocated = RequiredUShort(dataset, DicomTags.BitsAllocated);
        BitsStored = dataset.TryGetSingleValue(DicomTags.BitsStored, out ushort stored) ? stored : BitsAllocated;
        SamplesPerPixel = dataset.TryGetSingleValue(DicomTags.SamplesPerPixel, out ushort spp) ? spp : 1;
        PixelRepresentation = dataset.TryGetSingleValue(DicomTags.PixelRepresentation, out ushort pr) ? pr : 0;
        PlanarConfiguration = dataset.TryGetSingleValue(DicomTags.PlanarConfiguration, out ushort pc) ? pc : 0;
        PhotometricInterpretation = (dataset.GetString(DicomTags.PhotometricInterpretation) ?? string.Empty).Trim();
        NumberOfFrames = ReadFrameCount(dataset);
        _format = new FrameFormat(syntax, Rows, Columns, SamplesPerPixel, BitsAllocated, BitsStored, PixelRepresentation, PhotometricInterpretation);

        if (Rows == 0 || Columns == 0 || SamplesPerPixel == 0)
        {
            throw Fail($"image of {Rows}×{Columns} pixels with {SamplesPerPixel} samples has no pixels");
        }

        if (BitsAllocated is not (1 or 8 or 16 or 32 or 64))
        {
            throw Fail($"Bits Allocated {BitsAllocated} is not 1, 8, 16, 32 or 64");
        }

        long bits = (long)Rows * Columns * SamplesPerPixel * BitsAllocated;
        long frameLength = (bits + 7) / 8;
        // Native YBR_FULL_422 stores two luminance samples and one Cb, Cr pair per two pixels (PS3.3 C.7.6.3.1.2).
        Subsampled422 = !syntax.IsEncapsulated && SamplesPerPixel == 3 && BitsAllocated >= 8 && Columns % 2 == 0
            && PhotometricInterpretation == "YBR_FULL_422";
        if (frameLength > Array.MaxLength)
        {
            throw Fail($"a frame of {frameLength} bytes is larger than this codec handles");
        }

        FrameLength = (int)frameLength;
        FrameBits = bits;
        StoredFrameLength = Subsampled422 ? FrameLength / 3 * 2 : FrameLength;
        FramePhotometricInterpretation = Subsampled422 ? "YBR_FULL" : PhotometricInterpretation;
        if (!syntax.IsEncapsulated)
        {
            long needed = Subsampled422 ? (long)StoredFrameLength * NumberOfFrames : (bits * NumberOfFrames + 7) / 8;
            if (pixels is DicomFragmentSequence)
            {
                throw Fail($"pixel data is encapsulated but the transfer syntax {syntax.Uid} ({syntax.Name}) is native");
            }

            if (pixels.Length < needed)
            {
                throw Fail($"pixel data holds {pixels.Length} bytes; {NumberOfFrames} frame(s) of {Rows}×{Columns}×{SamplesPerPixel} at {BitsAllocated} bits need {needed}");
            }

            return;
        }

        if (pixels is not DicomFragmentSequence fragments)
        {
            throw Fail($"transfer syntax {syntax.Uid} ({syntax.Name}) needs encapsulated pixel data");
        }

        _decoder = FrameDecoders.For(syntax) ?? throw Unsupported(syntax);
        if (_decoder is not RleCodec && BitsAllocated is not (8 or 16 or 32))
        {
            throw Fail($"Bits Allocated {BitsAllocated} cannot hold {syntax.Name} samples (8, 16 or 32)");
        }

        _frames = EncapsulatedFrames.Split(fragments, NumberOfFrames, dataset, _decoder);
        FramePhotometricInterpretation = _decoder.DecodedPhotometricInterpretation(PhotometricInterpretation);
    }

    /// <summary>The transfer syntax the pixel data is encoded in.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Rows (0028,0010).</summary>
    public int Rows { get; }

    /// <summary>Columns (0028,0011).</summary>
    public int Columns { get; }

    /// <summary>Bits Allocated (0028,0100): 1, 8, 16, 32 or 64.</summary>
    public int BitsAllocated { get; }

    /// <summary>Bits Stored (0028,0101).</summary>
    public int BitsStored { get; }

    /// <summary>Samples per Pixel (0028,0002): 1 for grey, 3 for colour.</summary>
    public int SamplesPerPixel { get; }

    /// <summary>Pixel Representation (0028,0103): 0 unsigned, 1 two's complement.</summary>
    public int PixelRepresentation { get; }

    /// <summary>Planar Configuration (0028,0006) of the stored data (frames returned here are always interleaved).</summary>
    public int PlanarConfiguration { get; }

    /// <summary>Photometric Interpretation (0028,0004) of the stored data.</summary>
    public string PhotometricInterpretation { get; }

    /// <summary>
    /// The Photometric Interpretation of the frames returned: the stored one, except YBR_FULL for YBR_FULL_422 (native
    /// data expanded, JPEG chroma upsampled) and RGB for JPEG 2000's YBR_RCT and YBR_ICT (the decoder inverts the
    /// component transform). No other colour conversion is made.
    /// </summary>
    public string FramePhotometricInterpretation { get; }

    /// <summary>Number of Frames (0028,0008), 1 when absent.</summary>
    public int NumberOfFrames { get; }

    /// <summary>Bytes in one frame as returned by <see cref="GetFrame(int)"/>.</summary>
    public int FrameLength { get; }

    private long FrameBits { get; }

    /// <summary>Bytes of one frame as stored (less than <see cref="FrameLength"/> for native YBR_FULL_422).</summary>
    private int StoredFrameLength { get; }

    /// <summary>True for native YBR_FULL_422, which frames expand to full (Y, Cb, Cr) per pixel.</summary>
    private bool Subsampled422 { get; }

    /// <summary>The pixel data of a file.</summary>
    /// <exception cref="DicomFormatException">No pixel data, inconsistent image attributes, or a transfer syntax whose
    /// pixel data this codec cannot decode ("unsupported transfer syntax &lt;UID&gt; (&lt;name&gt;)").</exception>
    public static DicomPixelData Create(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Create(file.Dataset, file.TransferSyntax);
    }

    /// <summary>The pixel data of a dataset encoded in <paramref name="syntax"/>.</summary>
    /// <exception cref="DicomFormatException">See <see cref="Create(DicomFile)"/>.</exception>
    public static DicomPixelData Create(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        if (!syntax.PixelDataSupported)
        {
            throw Unsupported(syntax);
        }

        if (!dataset.TryGetElement(DicomTags.PixelData, out DicomElement pixels))
        {
            throw new DicomFormatException("dataset has no Pixel Data", -1, DicomTags.PixelData);
        }

        return new DicomPixelData(pixels, syntax, dataset);
    }

    /// <summary>One frame as little-endian, pixel-interleaved bytes (a new array).</summary>
    /// <exception cref="DicomFormatException">When a compressed frame is malformed, does not match the dataset, or its
    /// codec's native library (CharLS, OpenJPEG) is missing.</exception>
    public byte[] GetFrame(int index)
    {
        CheckDecodable(index);
        // Every byte is overwritten below, so skip zeroing (it costs as much as the copy for big frames).
        byte[] frame = GC.AllocateUninitializedArray<byte>(FrameLength);
        CopyFrame(index, frame);
        return frame;
    }

    /// <summary>
    /// One frame as typed samples: <typeparamref name="T"/> must have BitsAllocated/8 bytes (e.g. <c>short</c> or
    /// <c>ushort</c> for 16 bits, <c>byte</c> for 8, <c>int</c>/<c>uint</c>/<c>float</c> for 32). Samples are the stored
    /// values, not rescaled.
    /// </summary>
    /// <exception cref="ArgumentException">When <typeparamref name="T"/> does not match Bits Allocated.</exception>
    public T[] GetFrame<T>(int index)
        where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        if (BitsAllocated != size * 8)
        {
            throw new ArgumentException($"{typeof(T).Name} has {size * 8} bits; this pixel data has {BitsAllocated} bits allocated.", nameof(T));
        }

        CheckDecodable(index);
        T[] samples = GC.AllocateUninitializedArray<T>(FrameLength / size);
        CopyFrame(index, MemoryMarshal.AsBytes(samples.AsSpan()));
        return samples;
    }

    /// <summary>Copies one frame (little-endian, pixel-interleaved) into <paramref name="destination"/>.</summary>
    /// <exception cref="DicomFormatException">When a compressed frame is malformed, does not match the dataset, or its
    /// codec's native library is missing.</exception>
    public void CopyFrame(int index, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, NumberOfFrames);
        if (destination.Length < FrameLength)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; a frame needs {FrameLength}.", nameof(destination));
        }

        destination = destination[..FrameLength];
        if (_decoder is not null && _frames is not null)
        {
            _decoder.Decode(_frames.Frame(index), _format, destination, index);
            return;
        }

        ReadOnlySpan<byte> all = _pixels.Value.Span;
        if (BitsAllocated == 1)
        {
            CopyBits(all, FrameBits * index, FrameBits, destination);
            return;
        }

        ReadOnlySpan<byte> stored = all.Slice(index * StoredFrameLength, StoredFrameLength);
        if (Subsampled422)
        {
            Expand422(stored, destination, Rows * Columns, BitsAllocated / 8);
        }
        else if (SamplesPerPixel > 1 && PlanarConfiguration == 1)
        {
            Interleave(stored, destination, Rows * Columns, SamplesPerPixel, BitsAllocated / 8);
        }
        else
        {
            stored.CopyTo(destination);
        }
    }

    /// <summary>
    /// Refuses, before the frame is allocated, a compressed frame that cannot be the frame the dataset describes: where
    /// the codec bounds its expansion (RLE: a PackBits run of two bytes yields at most 128, so 64 times the compressed
    /// size plus the header), a frame too small for it; where the codestream has a header (JPEG, JPEG-LS, JPEG 2000), a
    /// size, component count or precision that differs from the dataset's.
    /// </summary>
    private void CheckDecodable(int index)
    {
        if (_decoder is null || _frames is null || index < 0 || index >= NumberOfFrames)
        {
            return;
        }

        if (_decoder.MaxExpansion > 0)
        {
            long compressed = _frames.CompressedLength(index);
            if (FrameLength > (_decoder.MaxExpansion * compressed) + 64)
            {
                throw Fail($"{TransferSyntax.Name} frame {index} of {compressed} bytes cannot decode to the {FrameLength} bytes a frame needs");
            }
        }

        _decoder.CheckHeader(_frames.Frame(index).Span, _format, index);
    }

    private static void Interleave(ReadOnlySpan<byte> planar, Span<byte> interleaved, int pixels, int samples, int bytesPerSample)
    {
        int plane = pixels * bytesPerSample;
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<byte> src = planar.Slice(s * plane, plane);
            for (int p = 0; p < pixels; p++)
            {
                src.Slice(p * bytesPerSample, bytesPerSample).CopyTo(interleaved[(((p * samples) + s) * bytesPerSample)..]);
            }
        }
    }

    /// <summary>Y1 Y2 Cb Cr per pixel pair → (Y1 Cb Cr)(Y2 Cb Cr).</summary>
    private static void Expand422(ReadOnlySpan<byte> stored, Span<byte> full, int pixels, int size)
    {
        for (int pair = 0; pair < pixels / 2; pair++)
        {
            ReadOnlySpan<byte> src = stored.Slice(pair * 4 * size, 4 * size);
            Span<byte> dst = full.Slice(pair * 6 * size, 6 * size);
            src[..size].CopyTo(dst);
            src.Slice(2 * size, 2 * size).CopyTo(dst[size..]);
            src.Slice(size, size).CopyTo(dst[(3 * size)..]);
            src.Slice(2 * size, 2 * size).CopyTo(dst[(4 * size)..]);
        }
    }

    private static void CopyBits(ReadOnlySpan<byte> source, long startBit, long bitCount, Span<byte> destination)
    {
        destination.Clear();
        if (startBit % 8 == 0)
        {
            int bytes = (int)((bitCount + 7) / 8);
            source.Slice((int)(startBit / 8), bytes).CopyTo(destination);
            return;
        }

        for (long i = 0; i < bitCount; i++)
        {
            long bit = startBit + i;
            if ((source[(int)(bit >> 3)] & (1 << (int)(bit & 7))) != 0)
            {
                destination[(int)(i >> 3)] |= (byte)(1 << (int)(i & 7));
            }
        }
    }

    private static int ReadFrameCount(DicomDataset dataset)
    {
        string? text = dataset.GetString(DicomTags.NumberOfFrames);
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }

        if (!DicomValueFormat.TryParseIS(text, out long frames) || frames < 1 || frames > int.MaxValue)
        {
            throw new DicomFormatException($"Number of Frames '{text}' is not a positive integer", -1, DicomTags.NumberOfFrames);
        }

        return (int)frames;
    }

    private static int RequiredUShort(DicomDataset dataset, DicomTag tag)
    {
        if (!dataset.TryGetElement(tag, out DicomElement e) || e.Length < 2)
        {
            throw new DicomFormatException($"{DicomDictionary.NameOf(tag)} is required to read pixel data", -1, tag);
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(e.Value.Span);
    }

    private static DicomFormatException Fail(string reason) => new(reason, -1, DicomTags.PixelData);

    private static DicomFormatException Unsupported(DicomTransferSyntax syntax) =>
        new($"unsupported transfer syntax {syntax.Uid} ({syntax.Name}): pixel data cannot be decoded by this codec", -1, DicomTags.PixelData);
}
