using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// Writes decoded samples into a frame: little-endian at Bits Allocated, pixel-interleaved. Codecs hand over their
/// samples as integers; for signed data (Pixel Representation 1) that a codec returns unsigned at a precision below
/// Bits Allocated (the JPEG family codes the two's-complement bit pattern), the sample is sign-extended from its top
/// bit — what pydicom does for JPEG 2000 and what our native reader's callers expect of stored values.
/// </summary>
internal readonly ref struct FrameSink
{
    private readonly Span<byte> _frame;
    private readonly int _samples;
    private readonly int _bytes;
    private readonly int _shift;

    /// <summary>A sink for samples of <paramref name="precision"/> bits, signed in the codestream or not.</summary>
    public FrameSink(Span<byte> frame, FrameFormat format, int precision, bool codestreamSigned)
    {
        _frame = frame;
        _samples = format.SamplesPerPixel;
        _bytes = format.BytesPerSample;
        bool extend = format.PixelRepresentation == 1 && !codestreamSigned && precision < format.BitsAllocated;
        _shift = extend ? 32 - precision : 0;
    }

    /// <summary>Sets sample <paramref name="component"/> of pixel <paramref name="pixel"/> (row-major).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(int pixel, int component, int value)
    {
        if (_shift != 0)
        {
            value = (value << _shift) >> _shift;
        }

        int at = ((pixel * _samples) + component) * _bytes;
        switch (_bytes)
        {
            case 1:
                _frame[at] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteInt16LittleEndian(_frame[at..], (short)value);
                break;
            default:
                BinaryPrimitives.WriteInt32LittleEndian(_frame[at..], value);
                break;
        }
    }
}
