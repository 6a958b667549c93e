using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom;
using MeTAI.Dicom.Rt;

namespace MeTAI.Service.Tests.Uploads;

/// <summary>Uploads of zipped DICOM cases: the good one, the bad ones (each answered with problem details), and a plan on an upload.</summary>
public class UploadTests : IClassFixture<UploadTests.Fixture>
{
    private readonly Fixture _f;

    public UploadTests(Fixture f) => _f = f;

    /// <summary>A service and a written phantom case (tg119-cshape at 8 mm: ct/ + rtstruct.dcm).</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            CaseDirectory = Path.Combine(ServiceFactory.NewDataDirectory(), "case");
            RtPhantom.Write(PhantomLibrary.Build("tg119-cshape", 8), CaseDirectory);
            Client = Service.KeyedClient();
        }

        public ServiceFactory Service { get; } = new(null);

        public HttpClient Client { get; }

        public string CaseDirectory { get; }

        public void Dispose() => Service.Dispose();
    }

    /// <summary>The case as zip entries (name → bytes) under <c>export/</c>.</summary>
    private Dictionary<string, byte[]> CaseEntries() =>
        Directory.EnumerateFiles(_f.CaseDirectory, "*", SearchOption.AllDirectories)
            .ToDictionary(p => "export/" + Path.GetRelativePath(_f.CaseDirectory, p).Replace('\\', '/'), File.ReadAllBytes);

    private static byte[] Zip(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] bytes) in entries)
            {
                using Stream s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                s.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] body, string query = "", string contentType = "application/zip")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await client.PostAsync("/api/uploads" + query, content);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage r, HttpStatusCode expected)
    {
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {expected}, got {(int)r.StatusCode}: {text}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Upload_ValidCase_Answers201WithItsStructures()
    {
        HttpResponseMessage r = await PostAsync(_f.Client, Zip(CaseEntries()), "?name=cshape");
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, text);
        JsonElement u = JsonDocument.Parse(text).RootElement;
        Assert.Equal("cshape", u.GetProperty("name").GetString());
        Assert.False(u.GetProperty("deidentified").GetBoolean());
        Assert.Contains(u.GetProperty("structures").EnumerateArray(), s => s.GetProperty("name").GetString() == "PTV");
        string id = u.GetProperty("id").GetString()!;
        Assert.Equal($"/api/uploads/{id}", r.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await _f.Client.GetAsync($"/api/uploads/{id}")).StatusCode);
        Assert.True(File.Exists(Path.Combine(_f.Service.DataDirectory, "uploads", id, "case", "rtstruct.dcm")));
    }

    [Fact]
    public async Task Upload_Deidentify_StoresDeidentifiedFiles()
    {
        HttpResponseMessage r = await PostAsync(_f.Client, Zip(CaseEntries()), "?deidentify=true");
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        JsonElement u = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.True(u.GetProperty("deidentified").GetBoolean());
        string caseDir = Path.Combine(_f.Service.DataDirectory, "uploads", u.GetProperty("id").GetString()!, "case");
        DicomDataset original = DicomFile.Open(Path.Combine(_f.CaseDirectory, "rtstruct.dcm")).Dataset;
        foreach (string file in Directory.EnumerateFiles(caseDir, "*.dcm", SearchOption.AllDirectories))
        {
            DicomDataset ds = DicomFile.Open(file).Dataset;
            Assert.Equal("YES", ds.GetString(DicomTags.PatientIdentityRemoved));
            Assert.NotEqual(original.GetString(DicomTags.PatientName), ds.GetString(DicomTags.PatientName));
            Assert.NotEqual(original.GetString(DicomTags.StudyInstanceUID), ds.GetString(DicomTags.StudyInstanceUID));
        }
    }

    [Fact]
    public async Task Upload_MalformedDicomEntry_Answers400NamingTheEntry()
    {
        Dictionary<string, byte[]> entries = CaseEntries();
        string victim = entries.Keys.First(k => k.Contains("/ct/", StringComparison.Ordinal));
        entries[victim] = entries[victim][..400]; // cut short inside the dataset
        JsonElement p = await ProblemAsync(await PostAsync(_f.Client, Zip(entries)), HttpStatusCode.BadRequest);
        Assert.Equal(victim, p.GetProperty("entry").GetString());
        Assert.Contains(victim, p.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Malformed DICOM", p.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Upload_NonDicomEntry_Answers400NamingTheEntry()
    {
        Dictionary<string, byte[]> entries = CaseEntries();
        entries["export/notes.txt"] = "not an image"u8.ToArray();
        JsonElement p = await ProblemAsync(await PostAsync(_f.Client, Zip(entries)), HttpStatusCode.BadRequest);
        Assert.Equal("export/notes.txt", p.GetProperty("entry").GetString());
    }

    [Theory]
    [InlineData("../escape.dcm")]
    [InlineData("export/../../escape.dcm")]
    [InlineData("/etc/escape.dcm")]
    public async Task Upload_PathTraversal_Answers400(string name)
    {
        Dictionary<string, byte[]> entries = CaseEntries();
        entries[name] = entries.Values.First();
        JsonElement p = await ProblemAsync(await PostAsync(_f.Client, Zip(entries)), HttpStatusCode.BadRequest);
        Assert.Equal("Unsafe zip entry name", p.GetProperty("title").GetString());
        Assert.False(File.Exists(Path.Combine(_f.Service.DataDirectory, "escape.dcm")));
    }

    [Fact]
    public async Task Upload_WithoutRtstruct_Answers400()
    {
        var entries = CaseEntries().Where(e => !e.Key.EndsWith("rtstruct.dcm", StringComparison.Ordinal));
        JsonElement p = await ProblemAsync(await PostAsync(_f.Client, Zip(entries)), HttpStatusCode.BadRequest);
        Assert.Equal("No RTSTRUCT", p.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Upload_NotAZip_Answers400()
    {
        JsonElement p = await ProblemAsync(await PostAsync(_f.Client, "plain text"u8.ToArray()), HttpStatusCode.BadRequest);
        Assert.Equal("Not a zip file", p.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Upload_WrongContentType_Answers415()
    {
        await ProblemAsync(await PostAsync(_f.Client, Zip(CaseEntries()), contentType: "text/plain"), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Upload_OverTheLimits_AnswersProblems()
    {
        using var limited = new ServiceFactory(null, settings: new Dictionary<string, string?>
        {
            ["Service:MaxUploadBytes"] = "200000",
            ["Service:MaxUploadEntries"] = "200",
            ["Service:MaxUploadUncompressedBytes"] = "2000000",
        });
        HttpClient client = limited.KeyedClient();

        // Too large as sent.
        byte[] noise = new byte[300_000];
        new Random(1).NextBytes(noise);
        JsonElement large = await ProblemAsync(await PostAsync(client, Zip([new("a.dcm", noise)])), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Upload too large", large.GetProperty("title").GetString());

        // A zip bomb: 5 MB of zeros compress to a few kB.
        JsonElement bomb = await ProblemAsync(await PostAsync(client, Zip([new("zeros.dcm", new byte[5_000_000])])), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Upload expands too far", bomb.GetProperty("title").GetString());

        // One entry past Service:MaxUploadEntryBytes is stopped while inflating, before anything parses it.
        using var entryLimited = new ServiceFactory(null, settings: new Dictionary<string, string?> { ["Service:MaxUploadEntryBytes"] = "1000000" });
        JsonElement entry = await ProblemAsync(await PostAsync(entryLimited.KeyedClient(), Zip([new("big/zeros.dcm", new byte[1_500_000])])), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Zip entry too large", entry.GetProperty("title").GetString());
        Assert.Equal("big/zeros.dcm", entry.GetProperty("entry").GetString());

        // Too many entries.
        JsonElement many = await ProblemAsync(await PostAsync(client, Zip(Enumerable.Range(0, 201).Select(n => new KeyValuePair<string, byte[]>($"f{n}.dcm", [1])))), HttpStatusCode.BadRequest);
        Assert.Equal("Too many entries", many.GetProperty("title").GetString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(limited.DataDirectory, "uploads", ".incoming")));
    }

    [Fact]
    public async Task Plan_OnAnUpload_Succeeds()
    {
        HttpResponseMessage r = await PostAsync(_f.Client, Zip(CaseEntries()), "?deidentify=true&name=cshape-anon");
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        string uploadId = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        JsonElement wrong = await ProblemAsync(await _f.Client.PostAsJsonAsync("/api/plans", new { uploadId, protocol = "prostate" }), HttpStatusCode.BadRequest);
        Assert.Contains("'Rectum'", wrong.GetProperty("errors").GetProperty("protocol")[0].GetString(), StringComparison.Ordinal);

        string id = await PlanClient.SubmitAsync(_f.Client, new { uploadId, protocol = "tg119-cshape", beams = 2, histories = 100_000, beamletHistories = 300 });
        (JsonElement plan, _) = await PlanClient.WaitAsync(_f.Client, id, TimeSpan.FromMinutes(2));
        Assert.True(plan.GetProperty("status").GetString() == "succeeded", plan.ToString());
        Assert.Equal("cshape-anon", plan.GetProperty("case").GetString());
        Assert.Equal(3, plan.GetProperty("goals").GetArrayLength());
    }
}
