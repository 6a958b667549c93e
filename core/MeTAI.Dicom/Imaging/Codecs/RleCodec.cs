using System.Buffers.Binary;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// RLE Lossless decoding (PS3.5 Annex G). A frame is a 64-byte header — the number of segments and 15 segment offsets,
/// little-endian uint32 — followed by the segments. Each segment is one byte plane of one sample (most significant
/// byte first, sample by sample), compressed PackBits-style: a control byte n in 0…127 copies the next n+1 bytes, n in
/// −127…−1 repeats the next byte 1−n times, −128 does nothing.
/// </summary>
internal sealed class RleCodec : IFrameDecoder
{
    private const int HeaderLength = 64;

    /// <summary>A PackBits run of two bytes yields at most 128, so a frame holds at most 64 times its compressed size (plus the header).</summary>
    public int MaxExpansion => 64;

    /// <inheritdoc />
    public string DecodedPhotometricInterpretation(string stored) => stored;

    /// <summary>The RLE header says nothing of the image size; <see cref="MaxExpansion"/> bounds the frame instead.</summary>
    public void CheckHeader(ReadOnlySpan<byte> data, FrameFormat format, int frameIndex)
    {
    }

    /// <summary>RLE frames have no marker to find: frames need one fragment each or an offset table.</summary>
    public bool IsFrameStart(ReadOnlySpan<byte> fragment) => false;

    /// <inheritdoc />
    public void Decode(ReadOnlyMemory<byte> data, FrameFormat format, Span<byte> destination, int frameIndex)
    {
        if (format.BitsAllocated is not (8 or 16 or 32 or 64))
        {
            throw format.Fail(frameIndex, $"Bits Allocated {format.BitsAllocated} cannot be RLE-coded (8, 16, 32 or 64)");
        }

        DecodeFrame(data, destination, format.Pixels, format.SamplesPerPixel, format.BytesPerSample, frameIndex);
    }

    /// <summary>
    /// Decodes one frame into <paramref name="destination"/> as little-endian, pixel-interleaved samples
    /// (<paramref name="pixels"/> × <paramref name="samples"/> × <paramref name="bytesPerSample"/> bytes).
    /// </summary>
    /// <exception cref="DicomFormatException">When the header or a segment is malformed or decodes to the wrong size.</exception>
    private static void DecodeFrame(ReadOnlyMemory<byte> frameData, Span<byte> destination, int pixels, int samples, int bytesPerSample, int frameIndex)
    {
        ReadOnlySpan<byte> frame = frameData.Span;
        if (frame.Length < HeaderLength)
        {
            throw Fail($"RLE frame {frameIndex} has {frame.Length} bytes, less than its 64-byte header");
        }

        int segments = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(frame), 16u);
        int expected = samples * bytesPerSample;
        if (segments != expected)
        {
            throw Fail($"RLE frame {frameIndex} has {BinaryPrimitives.ReadUInt32LittleEndian(frame)} segments; {samples} sample(s) of {bytesPerSample} byte(s) need {expected}");
        }

        int stride = samples * bytesPerSample;
        for (int seg = 0; seg < segments; seg++)
        {
            uint start = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + (4 * seg))..]);
            uint end = seg + 1 < segments ? BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + (4 * seg))..]) : (uint)frame.Length;
            if (start < HeaderLength || start > end || end > (uint)frame.Length)
            {
                throw Fail($"RLE frame {frameIndex} segment {seg} spans bytes {start}…{end} of a {frame.Length}-byte frame");
            }

            // Segment seg is byte plane (seg % bytesPerSample) of sample (seg / bytesPerSample), most significant
            // plane first; in little-endian interleaved output that byte sits at this offset within each pixel.
            int sample = seg / bytesPerSample;
            int plane = seg % bytesPerSample;
            int offset = (sample * bytesPerSample) + (bytesPerSample - 1 - plane);
            int produced = DecodeSegment(frame[(int)start..(int)end], destination, offset, stride, pixels);
            if (produced != pixels)
            {
                throw Fail($"RLE frame {frameIndex} segment {seg} decodes to {produced} bytes; {pixels} expected");
            }
        }
    }

    /// <summary>PackBits-decodes one segment into every <paramref name="stride"/>-th byte from <paramref name="offset"/>; returns the bytes produced (at most <paramref name="count"/>).</summary>
    private static int DecodeSegment(ReadOnlySpan<byte> source, Span<byte> destination, int offset, int stride, int count)
    {
        int i = 0, produced = 0, at = offset;
        while (i < source.Length && produced < count)
        {
            int n = (sbyte)source[i++];
            if (n >= 0)
            {
                int run = Math.Min(n + 1, Math.Min(count - produced, source.Length - i));
                if (stride == 1)
                {
                    source.Slice(i, run).CopyTo(destination.Slice(at, run));
                    at += run;
                }
                else
                {
                    for (int k = 0; k < run; k++, at += stride)
                    {
                        destination[at] = source[i + k];
                    }
                }

                i += n + 1;
                produced += run;
            }
            else if (n != -128)
            {
                if (i >= source.Length)
                {
                    break;
                }

                byte value = source[i++];
                int run = Math.Min(1 - n, count - produced);
                if (stride == 1)
                {
                    destination.Slice(at, run).Fill(value);
                    at += run;
                }
                else
                {
                    for (int k = 0; k < run; k++, at += stride)
                    {
                        destination[at] = value;
                    }
                }

                produced += run;
            }
        }

        return produced;
    }

    private static DicomFormatException Fail(string reason) => new(reason, -1, DicomTags.PixelData);
}
