using System.Buffers.Binary;
using MeTAI.Dicom.Imaging;

namespace MeTAI.Dicom.Tests.Imaging;

/// <summary>
/// Decodes compressed files with the outside decoders — dcmtk (dcmdjpeg, dcmdjpls) and GDCM (gdcmconv --raw) — and
/// with ours, and compares the stored values: each sample masked to the original's Bits Stored and sign-extended when
/// Pixel Representation is 1 (a tool may rewrite Bits Stored or the bits above it; the stored value is what counts).
/// The outside tools' native output is read with our native reader, which the pydicom comparison holds to pydicom.
/// </summary>
internal static class CodecReference
{
    public static string TempDir(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-codec-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs an outside program; fails the test with its output when it does not exit 0.</summary>
    public static void Tool(string program, params string[] arguments)
    {
        ProcessOutput r = OutsideTools.Run(program, arguments);
        Assert.True(r.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {r.ExitCode}: {r.Output}");
    }

    /// <summary>Decompresses <paramref name="path"/> with <paramref name="tool"/> ("dcmtk" or "gdcm") into a native file.</summary>
    public static string Decompress(string path, string tool, string dir)
    {
        string output = Path.Combine(dir, Path.GetFileNameWithoutExtension(path) + "." + tool + ".dcm");
        DicomTransferSyntax syntax = DicomFile.Open(path).TransferSyntax;
        if (tool == "gdcm")
        {
            Tool("gdcmconv", "--raw", path, output);
        }
        else if (syntax.Uid is "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81")
        {
            Tool("dcmdjpls", path, output);
        }
        else
        {
            // +cn: no YCbCr → RGB conversion (our frames keep the stored colour space, as gdcmconv --raw does).
            Tool("dcmdjpeg", "+cn", path, output);
        }

        return output;
    }

    /// <summary>Every frame's stored values, in our frame layout (pixel-interleaved), as integers.</summary>
    public static long[] StoredValues(string path, int bitsStored, int pixelRepresentation)
    {
        DicomPixelData p = DicomPixelData.Create(DicomFile.Open(path));
        var values = new List<long>();
        for (int f = 0; f < p.NumberOfFrames; f++)
        {
            byte[] frame = p.GetFrame(f);
            int size = p.BitsAllocated / 8;
            for (int at = 0; at < frame.Length; at += size)
            {
                long raw = size switch
                {
                    1 => frame[at],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(at)),
                    _ => BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(at)),
                };
                long v = raw & ((1L << bitsStored) - 1);
                if (pixelRepresentation == 1 && v >= 1L << (bitsStored - 1))
                {
                    v -= 1L << bitsStored;
                }

                values.Add(v);
            }
        }

        return [.. values];
    }

    /// <summary>Our decoding of <paramref name="compressed"/> against <paramref name="reference"/>: max |difference|, mean |difference|, sample count.</summary>
    public static (long Max, double Mean, int Count) Compare(string compressed, string reference)
    {
        DicomDataset ds = DicomFile.Open(compressed).Dataset;
        int bitsStored = ds.GetSingleValue<ushort>(DicomTags.BitsStored);
        int pr = ds.GetSingleValue<ushort>(DicomTags.PixelRepresentation);
        long[] ours = StoredValues(compressed, bitsStored, pr);
        long[] theirs = StoredValues(reference, bitsStored, pr);
        Assert.Equal(theirs.Length, ours.Length);
        long max = 0;
        double sum = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            long d = Math.Abs(ours[i] - theirs[i]);
            max = Math.Max(max, d);
            sum += d;
        }

        return (max, sum / ours.Length, ours.Length);
    }
}
