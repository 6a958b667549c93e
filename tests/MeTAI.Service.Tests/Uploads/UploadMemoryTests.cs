using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Xunit.Abstractions;

namespace MeTAI.Service.Tests.Uploads;

/// <summary>
/// The same 1 GiB-uncompressed zip bomb uploaded three times at once to the service as its own process: its peak
/// resident memory (VmHWM, reset to the idle size first) stays below 600 MB above idle. Before the entry cap and the
/// memory budget each bomb was read whole into memory by the DICOM parser (three at once peaked at 4.6 GB).
/// </summary>
public class UploadMemoryTests(ITestOutputHelper output)
{
    private const string Key = "upload-memory-key-0123456789";
    private const long GiB = 1L << 30;

    public static TheoryData<string, int> Bombs => new()
    {
        { "one-entry", 1 },      // one entry of 1 GiB of zeros
        { "many-entries", 256 }, // 256 entries of 4 MiB of zeros each
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task ThreeZipBombsAtOnce_PeakMemoryBelow600MbAboveIdle(string shape, int entries)
    {
        string data = ServiceFactory.NewDataDirectory();
        string bomb = Path.Combine(data, $"bomb-{shape}.zip");
        WriteBomb(bomb, entries, GiB / entries);
        output.WriteLine($"{shape}: {new FileInfo(bomb).Length:N0} bytes compressed, {GiB:N0} uncompressed");

        // All three admitted at once (the default admits two and answers 503 to the third), so the bound is the
        // entry cap and the memory budget, not the refusal.
        using ServiceProcess service = await ServiceProcess.StartAsync(data, $"--Service:ApiKeys:0={Key}", "--Service:MaxConcurrentUploads=3");
        HttpClient client = service.Client(Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/uploads")).StatusCode); // warm the upload path's dependencies
        await Task.Delay(500);
        long idleKb = service.StatusKb("VmRSS");
        service.ResetPeak();

        HttpResponseMessage[] answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using FileStream file = File.OpenRead(bomb);
            using var content = new StreamContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            return await client.PostAsync("/api/uploads?name=bomb", content);
        }));

        long peakKb = service.StatusKb("VmHWM");
        double aboveMb = (peakKb - idleKb) / 1024.0;
        output.WriteLine($"{shape}: idle {idleKb / 1024.0:F0} MB, peak {peakKb / 1024.0:F0} MB, {aboveMb:F0} MB above idle; answers {string.Join(", ", answers.Select(a => (int)a.StatusCode))}");
        foreach (HttpResponseMessage a in answers)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, a.StatusCode);
        }

        Assert.True(aboveMb < 600, $"peak {aboveMb:F0} MB above idle");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(data, "uploads", ".incoming")));
    }

    private static void WriteBomb(string path, int entries, long entryBytes)
    {
        var zeros = new byte[1 << 20];
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        for (int e = 0; e < entries; e++)
        {
            using Stream s = zip.CreateEntry($"bomb/{e:D4}.dcm", CompressionLevel.SmallestSize).Open();
            for (long written = 0; written < entryBytes; written += zeros.Length)
            {
                s.Write(zeros, 0, (int)Math.Min(zeros.Length, entryBytes - written));
            }
        }
    }
}
