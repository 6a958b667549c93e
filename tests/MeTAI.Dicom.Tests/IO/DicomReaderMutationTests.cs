using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using MeTAI.Dicom.IO;
using MeTAI.Dicom.Imaging;
using Xunit.Abstractions;

namespace MeTAI.Dicom.Tests.IO;

/// <summary>
/// Robustness of the reader against damaged input: thousands of seeded mutants of the real pydicom test files
/// (truncation, flipped bytes, absurd and random length fields, wrong VR codes, spliced chunks) and synthetic deep or
/// wide sequence nests. For every mutant: only <see cref="DicomFormatException"/> may escape (reading, walking the
/// text values, decoding pixel frames); each read finishes within a 10 s watchdog (a hang detector, not a speed
/// test: a 434-byte mutant once missed a 1 s one on a loaded 2-core machine, waiting for a pool thread, and passed
/// alone); and the bytes allocated while reading stay within 16 × input + 1 MiB, so no length field can make the
/// reader allocate what the input does not hold. Pixel decoding is bounded separately by RLE's 64:1 ceiling.
/// </summary>
public class DicomReaderMutationTests(ITestOutputHelper output)
{
    private const int Mutants = 6000;
    private const long AllocationSlack = 1 << 20;
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(10);

    private enum Kind
    {
        Truncate,
        FlipBytes,
        AbsurdLength,
        RandomLength,
        WrongVR,
        Splice,
        DeepNesting,
        WideSequence,
    }

    [PydicomFact]
    public async Task Read_SeededMutants_ThrowOnlyDicomFormatExceptionWithinTimeAndMemory()
    {
        List<Seed> seeds = LoadSeeds();
        foreach (Seed s in seeds)
        {
            Measure(s.Bytes); // warm up: dictionary, JIT, encodings — one-off allocations are not the reader's per-input cost
        }

        var rng = new Random(20250611);
        var failures = new List<string>();
        var counts = new Dictionary<Kind, int>();
        var outcomes = new Dictionary<string, int>();
        double worstRatio = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Mutants; i++)
        {
            var kind = (Kind)rng.Next(Enum.GetValues<Kind>().Length);
            Seed seed = seeds[rng.Next(seeds.Count)];
            byte[] mutant = Mutate(kind, seed, rng);
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            string name = $"#{i} {kind} of {seed.Name} ({mutant.Length} bytes)";

            Outcome o;
            try
            {
                o = await Task.Run(() => Measure(mutant)).WaitAsync(Watchdog);
            }
            catch (TimeoutException)
            {
                failures.Add($"{name}: still reading after {Watchdog.TotalSeconds} s");
                continue;
            }

            outcomes[o.Result] = outcomes.GetValueOrDefault(o.Result) + 1;
            if (o.Unexpected is not null)
            {
                failures.Add($"{name}: {o.Unexpected.GetType().Name}: {o.Unexpected.Message}\n{o.Unexpected.StackTrace}");
            }

            worstRatio = Math.Max(worstRatio, (o.ReadBytes - AllocationSlack) / (double)mutant.Length);
            long readLimit = (16L * mutant.Length) + AllocationSlack;
            if (o.ReadBytes > readLimit)
            {
                failures.Add($"{name}: reading allocated {o.ReadBytes} bytes, limit {readLimit}");
            }

            long pixelLimit = (64L * mutant.Length) + AllocationSlack;
            if (o.PixelBytes > pixelLimit)
            {
                failures.Add($"{name}: pixel decoding allocated {o.PixelBytes} bytes, limit {pixelLimit}");
            }
        }

        output.WriteLine($"{Mutants} mutants in {clock.Elapsed.TotalSeconds:F1} s; outcomes: {string.Join(", ", outcomes.Select(kv => $"{kv.Key} {kv.Value}"))}");
        output.WriteLine($"kinds: {string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"))}; worst read allocation {worstRatio:F2} × input + const");
        Assert.True(failures.Count == 0, $"{failures.Count} of {Mutants} mutants failed:\n" + string.Join("\n", failures.Take(15)));
        Assert.All(Enum.GetValues<Kind>(), k => Assert.True(counts.GetValueOrDefault(k) > 300, $"{k}: {counts.GetValueOrDefault(k)} mutants"));

        // The mutants must exercise both paths: some still read, most are refused.
        Assert.True(outcomes.GetValueOrDefault("read") > 100, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("refused") > 1000, string.Join(", ", outcomes));
    }

    private sealed record Seed(string Name, byte[] Bytes, int[] Headers);

    private sealed record Outcome(string Result, long ReadBytes, long PixelBytes, Exception? Unexpected);

    /// <summary>Reads, walks every text value, and decodes every frame, recording allocations on this thread.</summary>
    private static Outcome Measure(byte[] input)
    {
        long start = GC.GetAllocatedBytesForCurrentThread();
        long readBytes = 0;
        try
        {
            DicomFile file = DicomFile.Read(input);
            readBytes = GC.GetAllocatedBytesForCurrentThread() - start;
            long pixelStart = GC.GetAllocatedBytesForCurrentThread();
            string result = "read";
            try
            {
                Walk(file.Dataset);
                if (file.Dataset.Contains(DicomTags.PixelData))
                {
                    DicomPixelData pixels = DicomPixelData.Create(file);
                    for (int f = 0; f < pixels.NumberOfFrames; f++)
                    {
                        pixels.GetFrame(f);
                    }
                }
            }
            catch (DicomFormatException)
            {
                result = "read, values refused";
            }

            return new Outcome(result, readBytes, GC.GetAllocatedBytesForCurrentThread() - pixelStart, null);
        }
        catch (DicomFormatException)
        {
            return new Outcome("refused", GC.GetAllocatedBytesForCurrentThread() - start, 0, null);
        }
#pragma warning disable CA1031 // the test's point: any other exception type is a failure to report, not to crash on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new Outcome("crashed", readBytes, 0, ex);
        }
    }

    private static void Walk(DicomDataset dataset)
    {
        foreach (DicomElement e in dataset)
        {
            if (e is DicomSequence s)
            {
                foreach (DicomDataset item in s.Items)
                {
                    Walk(item);
                }
            }
            else if (e.VR.IsText)
            {
                dataset.GetStrings(e.Tag);
            }
        }
    }

    private static List<Seed> LoadSeeds()
    {
        var seeds = new List<Seed>();
        foreach (string path in TestFiles.AllDicom())
        {
            byte[] bytes = File.ReadAllBytes(path);
            seeds.Add(new Seed(Path.GetFileName(path), bytes, HeaderPositions(bytes)));
        }

        Assert.True(seeds.Count >= 50, $"only {seeds.Count} seed files under {TestFiles.PydicomData}");
        return seeds;
    }

    /// <summary>Offsets that look like explicit-VR element headers (a known VR code after the tag).</summary>
    private static int[] HeaderPositions(byte[] bytes)
    {
        var list = new List<int>();
        for (int p = 0; p + 8 <= bytes.Length; p++)
        {
            if (DicomVR.TryParse(bytes[p + 4], bytes[p + 5], out _) && bytes[p + 4] is >= (byte)'A' and <= (byte)'Z')
            {
                list.Add(p);
            }
        }

        return [.. list];
    }

    private static byte[] Mutate(Kind kind, Seed seed, Random rng)
    {
        byte[] b = (byte[])seed.Bytes.Clone();
        switch (kind)
        {
            case Kind.Truncate:
                return b[..rng.Next(b.Length)];

            case Kind.FlipBytes:
                for (int n = rng.Next(1, 17); n > 0; n--)
                {
                    b[rng.Next(b.Length)] ^= (byte)rng.Next(1, 256);
                }

                return b;

            case Kind.AbsurdLength:
            case Kind.RandomLength:
                for (int n = rng.Next(1, 4); n > 0; n--)
                {
                    WriteLength(b, seed, rng, kind == Kind.AbsurdLength);
                }

                return b;

            case Kind.WrongVR:
                for (int n = rng.Next(1, 4); n > 0; n--)
                {
                    int p = PickHeader(seed, rng, b.Length - 6) + 4;
                    if (rng.Next(2) == 0)
                    {
                        DicomVR vr = DicomVR.All.ElementAt(rng.Next(DicomVR.All.Count));
                        b[p] = (byte)vr.Code[0];
                        b[p + 1] = (byte)vr.Code[1];
                    }
                    else
                    {
                        b[p] = (byte)rng.Next(256);
                        b[p + 1] = (byte)rng.Next(256);
                    }
                }

                return b;

            case Kind.Splice:
            {
                int from = rng.Next(b.Length), length = rng.Next(1, Math.Min(4096, b.Length - from) + 1), to = rng.Next(b.Length);
                var spliced = new byte[b.Length + length];
                b.AsSpan(0, to).CopyTo(spliced);
                b.AsSpan(from, length).CopyTo(spliced.AsSpan(to));
                b.AsSpan(to).CopyTo(spliced.AsSpan(to + length));
                return spliced;
            }

            case Kind.DeepNesting:
                return Nest(rng.Next(1, 20_000), rng);

            default:
                return Wide(rng.Next(1, 40_000), rng);
        }
    }

    private static int PickHeader(Seed seed, Random rng, int max) =>
        seed.Headers.Length > 0 && rng.Next(4) != 0 ? Math.Min(seed.Headers[rng.Next(seed.Headers.Length)], Math.Max(0, max)) : rng.Next(Math.Max(1, max));

    private static void WriteLength(byte[] b, Seed seed, Random rng, bool absurd)
    {
        uint[] absurdValues = [0xFFFFFFF0, 0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0x7FFFFFF8, (uint)b.Length, (uint)b.Length + 1];
        int h = PickHeader(seed, rng, b.Length - 12);
        if (h + 12 > b.Length)
        {
            return;
        }

        bool longForm = DicomVR.TryParse(b[h + 4], b[h + 5], out DicomVR vr) && vr.Has32BitLength;
        uint value = absurd ? absurdValues[rng.Next(absurdValues.Length)] : (uint)rng.NextInt64(0, 1L << 32);
        if (longForm || rng.Next(3) == 0)
        {
            // The 32-bit length of a long-form explicit header, or of an implicit header at the same place.
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(longForm ? h + 8 : h + 4), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(h + 6), (ushort)(absurd ? 0xFFFF - rng.Next(2) : (int)(value & 0xFFFF)));
        }
    }

    /// <summary>A Part 10 file whose dataset nests undefined-length sequences <paramref name="depth"/> deep.</summary>
    private static byte[] Nest(int depth, Random rng)
    {
        bool implicitVR = rng.Next(2) == 0;
        bool asUN = !implicitVR && rng.Next(2) == 0;
        bool closed = rng.Next(2) == 0;
        using var s = new MemoryStream();
        WriteHeader(s, implicitVR ? "1.2.840.10008.1.2" : "1.2.840.10008.1.2.1");
        var tag = new DicomTag(0x0009, 0x1001); // private: implicit undefined length means a sequence
        for (int i = 0; i < depth; i++)
        {
            WriteTag(s, tag);
            if (!implicitVR)
            {
                s.Write(asUN ? "UN"u8 : "SQ"u8);
                s.Write([0, 0]);
            }

            WriteUInt32(s, 0xFFFFFFFF);
            WriteTag(s, DicomTag.Item);
            WriteUInt32(s, 0xFFFFFFFF);
        }

        if (closed)
        {
            for (int i = 0; i < depth; i++)
            {
                WriteTag(s, DicomTag.ItemDelimitationItem);
                WriteUInt32(s, 0);
                WriteTag(s, DicomTag.SequenceDelimitationItem);
                WriteUInt32(s, 0);
            }
        }

        return s.ToArray();
    }

    /// <summary>A Part 10 file with one sequence of <paramref name="items"/> empty items (many small objects).</summary>
    private static byte[] Wide(int items, Random rng)
    {
        bool undefined = rng.Next(2) == 0;
        using var s = new MemoryStream();
        WriteHeader(s, "1.2.840.10008.1.2.1");
        WriteTag(s, DicomTags.ReferencedImageSequence);
        s.Write("SQ"u8);
        s.Write([0, 0]);
        WriteUInt32(s, 0xFFFFFFFF);
        for (int i = 0; i < items; i++)
        {
            WriteTag(s, DicomTag.Item);
            WriteUInt32(s, undefined ? 0xFFFFFFFF : 0);
            if (undefined)
            {
                WriteTag(s, DicomTag.ItemDelimitationItem);
                WriteUInt32(s, 0);
            }
        }

        WriteTag(s, DicomTag.SequenceDelimitationItem);
        WriteUInt32(s, 0);
        return s.ToArray();
    }

    private static void WriteHeader(Stream s, string transferSyntax)
    {
        s.Write(new byte[128]);
        s.Write("DICM"u8);
        byte[] uid = System.Text.Encoding.ASCII.GetBytes(transferSyntax.Length % 2 == 1 ? transferSyntax + "\0" : transferSyntax);
        WriteTag(s, DicomTags.TransferSyntaxUID);
        s.Write("UI"u8);
        s.Write([(byte)uid.Length, 0]);
        s.Write(uid);
    }

    private static void WriteTag(Stream s, DicomTag tag)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], tag.Element);
        s.Write(b);
    }

    private static void WriteUInt32(Stream s, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        s.Write(b);
    }

    [Fact]
    public void Read_NestingBeyondTheLimit_NamesTheLimit()
    {
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Read(Nest(DicomReader.MaxSequenceDepth + 5, new Random(1))));
        Assert.Contains(DicomReader.MaxSequenceDepth.ToString(CultureInfo.InvariantCulture), ex.Reason, StringComparison.Ordinal);
    }
}
