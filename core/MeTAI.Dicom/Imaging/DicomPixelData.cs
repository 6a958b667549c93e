using System.Runtime.InteropServices;

namespace MeTAI.Dicom.Imaging;

/// <summary>
/// The pixel data of an image dataset as frames of native little-endian samples, pixel-interleaved (the layout of
/// Planar Configuration 0, whatever the file's planar configuration): from native transfer syntaxes (values already
/// little-endian in the model) and from RLE Lossless (decoded, PS3.5 Annex G). Other encapsulated syntaxes (JPEG,
/// JPEG-LS, JPEG 2000, …) are not decoded: <see cref="Create(DicomFile)"/> throws
/// <see cref="DicomFormatException"/> "unsupported transfer syntax &lt;UID&gt; (&lt;name&gt;)".
/// Data with 1 bit allocated stays bit-packed (first pixel in the least significant bit), each frame re-aligned to start at bit 0.
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomElement _pixels;

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
        PhotometricInterpretation = dataset.GetString(DicomTags.PhotometricInterpretation) ?? string.Empty;
        NumberOfFrames = ReadFrameCount(dataset);

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
        }
        else if (pixels is not DicomFragmentSequence)
        {
            throw Fail($"transfer syntax {syntax.Uid} ({syntax.Name}) needs encapsulated pixel data");
        }
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

    /// <summary>Photometric Interpretation (0028,0004).</summary>
    public string PhotometricInterpretation { get; }

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
            throw new DicomFormatException($"unsupported transfer syntax {syntax.Uid} ({syntax.Name}): pixel data cannot be decoded by this codec", -1, DicomTags.PixelData);
        }

        if (!dataset.TryGetElement(DicomTags.PixelData, out DicomElement pixels))
        {
            throw new DicomFormatException("dataset has no Pixel Data", -1, DicomTags.PixelData);
        }

        return new DicomPixelData(pixels, syntax, dataset);
    }

    /// <summary>One frame as little-endian, pixel-interleaved bytes (a new array).</summary>
    /// <exception cref="DicomFormatException">When an RLE frame is malformed.</exception>
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
    /// <exception cref="DicomFormatException">When an RLE frame is malformed.</exception>
    public void CopyFrame(int index, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, NumberOfFrames);
        if (destination.Length < FrameLength)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; a frame needs {FrameLength}.", nameof(destination));
        }

        destination = destination[..FrameLength];
        if (_pixels is DicomFragmentSequence fragments)
        {
            RleDecoder.DecodeFrame(RleFrameData(fragments, index), destination, Rows * Columns, SamplesPerPixel, BitsAllocated / 8, index);
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
    /// Refuses, before anything is allocated, an RLE frame that cannot decode to a whole frame: a PackBits run of two
    /// bytes yields at most 128, so a frame holds at most 64 times its compressed size (plus the header).
    /// </summary>
    private void CheckDecodable(int index)
    {
        if (_pixels is DicomFragmentSequence fragments && index >= 0 && index < NumberOfFrames)
        {
            long compressed = RleFrameData(fragments, index).Length;
            if (FrameLength > (64 * compressed) + 64)
            {
                throw Fail($"RLE frame {index} of {compressed} bytes cannot decode to the {FrameLength} bytes a frame needs");
            }
        }
    }

    private ReadOnlyMemory<byte> RleFrameData(DicomFragmentSequence fragments, int index)
    {
        List<ReadOnlyMemory<byte>> list = fragments.Fragments;
        if (list.Count == NumberOfFrames)
        {
            // PS3.5 A.4.2: each RLE frame is exactly one fragment.
            return list[index];
        }

        if (NumberOfFrames == 1 && list.Count > 0)
        {
            return Concatenate(list, 0, list.Count);
        }

        throw Fail($"RLE pixel data has {list.Count} fragments for {NumberOfFrames} frames (one fragment per frame expected)");
    }

    private static ReadOnlyMemory<byte> Concatenate(List<ReadOnlyMemory<byte>> list, int first, int count)
    {
        if (count == 1)
        {
            return list[first];
        }

        long total = 0;
        for (int i = first; i < first + count; i++)
        {
            total += list[i].Length;
        }

        var joined = new byte[total];
        int at = 0;
        for (int i = first; i < first + count; i++)
        {
            list[i].Span.CopyTo(joined.AsSpan(at));
            at += list[i].Length;
        }

        return joined;
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
}
