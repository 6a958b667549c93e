using System.Diagnostics;
using System.Globalization;
using MeTAI.Dicom;
using MeTAI.Dicom.Imaging;

namespace MeTAI.Benchmarks.Dicom;

/// <summary>The outcome of <see cref="DicomBenchmark.Run"/>.</summary>
/// <param name="Files">Files read per run.</param>
/// <param name="Bytes">Bytes of those files.</param>
/// <param name="Seconds">Wall time of the best run (s).</param>
/// <param name="MbPerSecond">Bytes / 10⁶ / <paramref name="Seconds"/>.</param>
/// <param name="Runs">Runs measured (the best one counts).</param>
/// <param name="Directory">Where the series was written.</param>
/// <param name="Checksum">Sum of all pixel values read (proves the pixels were really decoded).</param>
public sealed record DicomBenchmarkResult(int Files, long Bytes, double Seconds, double MbPerSecond, int Runs, string Directory, long Checksum)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Files} files, {Bytes / 1e6:F1} MB in {Seconds:F3} s = {MbPerSecond:F0} MB/s (best of {Runs})");
}

/// <summary>
/// Reading throughput of the codec: writes a synthetic CT series (<see cref="SyntheticCtSeries"/>, 16-bit, Explicit VR
/// Little Endian) into a directory, then reads the whole series — file bytes → dataset → pixel array as
/// <c>short[]</c> — several times on one thread and reports the best run. The same series read by pydicom
/// (<c>tools/bench-pydicom-dicom.py</c>: dcmread + pixel_array) gives the comparison figure.
/// </summary>
public static class DicomBenchmark
{
    /// <summary>Generates <paramref name="slices"/> slices of <paramref name="size"/>² into <paramref name="dir"/> and times reading them.</summary>
    /// <param name="dir">Directory for the series (created; existing CT*.dcm files in it are replaced).</param>
    /// <param name="slices">Number of slices (e.g. 200).</param>
    /// <param name="size">Rows and columns (e.g. 512).</param>
    /// <param name="runs">Timed runs after one warm-up run.</param>
    public static DicomBenchmarkResult Run(string dir, int slices = 200, int size = 512, int runs = 10)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        string[] files = Generate(dir, slices, size);

        ReadAll(files); // warm-up: JIT, dictionary, page cache
        long bytes = 0;
        foreach (string f in files)
        {
            bytes += new FileInfo(f).Length;
        }

        double best = double.MaxValue;
        long checksum = 0;
        for (int r = 0; r < runs; r++)
        {
            // Start every run from a clean heap so that one run does not pay for the previous run's garbage.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var clock = Stopwatch.StartNew();
            checksum = ReadAll(files);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return new DicomBenchmarkResult(files.Length, bytes, best, bytes / 1e6 / best, runs, Path.GetFullPath(dir), checksum);
    }

    /// <summary>Writes the series; returns the file paths in slice order.</summary>
    public static string[] Generate(string dir, int slices, int size)
    {
        ArgumentNullException.ThrowIfNull(dir);
        Directory.CreateDirectory(dir);
        foreach (string old in Directory.EnumerateFiles(dir, "CT*.dcm"))
        {
            File.Delete(old);
        }

        var series = new SyntheticCtSeries(size);
        var files = new string[slices];
        for (int i = 0; i < slices; i++)
        {
            files[i] = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"CT{i + 1:D4}.dcm"));
            series.CreateSlice(i).Save(files[i]);
        }

        return files;
    }

    private static long ReadAll(string[] files)
    {
        long checksum = 0;
        foreach (string path in files)
        {
            DicomFile file = DicomFile.Open(path);
            short[] pixels = DicomPixelData.Create(file).GetFrame<short>(0);
            checksum += pixels[0] + pixels[^1] + pixels[pixels.Length / 2];
        }

        return checksum;
    }
}
