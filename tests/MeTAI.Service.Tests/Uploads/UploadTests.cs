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
        HttpResponseMessage r = await PostAsync(_f.Client, Zip(CaseEntries()), "?deidentify=false&name=cshape"); // the key's user is a physicist
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
    public async Task Upload_NonDicomEntry_IsSkippedAndCounted()
    {
        // Exports carry readme, XML and viewer files beside the images: skipped, counted and listed, not refused.
        Dictionary<string, byte[]> entries = CaseEntries();
        entries["export/notes.txt"] = "not an image"u8.ToArray();
        HttpResponseMessage r = await PostAsync(_f.Client, Zip(entries));
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, text);
        JsonElement u = JsonDocument.Parse(text).RootElement;
        Assert.Equal(1, u.GetProperty("notDicom").GetInt32());
        Assert.Contains(u.GetProperty("ignored").EnumerateArray(), i => i.GetString() == "export/notes.txt: not DICOM (skipped)");
    }

    [Fact]
    public async Task Upload_TruncatedDicomEntryWithoutDcmName_Answers400NamingTheEntry()
    {
        // A file with the DICM prefix that does not parse is DICOM gone bad, whatever its name: named, never skipped.
        Dictionary<string, byte[]> entries = CaseEntries();
        string victim = entries.Keys.First(k => k.Contains("/ct/", StringComparison.Ordinal));
        entries["export/CT.LAST"] = entries[victim][..300];
        JsonElement p = await ProblemAsync(await PostAsync(_f.Client, Zip(entries)), HttpStatusCode.BadRequest);
        Assert.Equal("export/CT.LAST", p.GetProperty("entry").GetString());
        Assert.Equal("Malformed DICOM", p.GetProperty("title").GetString());
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
    public async Task Upload_DeidentifiedByDefault_OptOutNeedsTheRole_LabelsChecked()
    {
        HttpClient dosimetrist = _f.Service.UserClient("upl-dosi", MeTAI.Service.Users.Role.Dosimetrist);
        HttpResponseMessage r = await PostAsync(dosimetrist, Zip(CaseEntries()), "?name=case-1");
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        Assert.True(JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("deidentified").GetBoolean());

        JsonElement optOut = await ProblemAsync(await PostAsync(dosimetrist, Zip(CaseEntries()), "?deidentify=false"), HttpStatusCode.Forbidden);
        Assert.Contains("phi.identified", optOut.GetProperty("detail").GetString(), StringComparison.Ordinal);

        JsonElement markup = await ProblemAsync(await PostAsync(dosimetrist, Zip(CaseEntries()), "?name=" + Uri.EscapeDataString("<script>")), HttpStatusCode.BadRequest);
        Assert.Equal("Label not valid", markup.GetProperty("title").GetString());
        Assert.Contains("character 1 ('<')", markup.GetProperty("detail").GetString(), StringComparison.Ordinal);
        JsonElement longLabel = await ProblemAsync(await PostAsync(dosimetrist, Zip(CaseEntries()), "?name=" + new string('a', 65)), HttpStatusCode.BadRequest);
        Assert.Contains("at most 64", longLabel.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The daily quota: one upload a day for this service's users.
        using var quota = new ServiceFactory(null, settings: new Dictionary<string, string?> { ["Service:MaxUploadsPerUserPerDay"] = "1" });
        HttpClient q = quota.UserClient("upl-quota", MeTAI.Service.Users.Role.Dosimetrist);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(q, Zip(CaseEntries()))).StatusCode);
        JsonElement over = await ProblemAsync(await PostAsync(q, Zip(CaseEntries())), HttpStatusCode.TooManyRequests);
        Assert.Equal("Upload quota reached", over.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Delete_RemovesTheUploadAndThePlansMadeOnIt_AndRetentionPurges()
    {
        HttpResponseMessage r = await PostAsync(_f.Client, Zip(CaseEntries()), "?name=to-delete");
        string uploadId = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        string planId = await PlanClient.SubmitAsync(_f.Client, new { uploadId, protocol = "tg119-cshape", beams = 2, histories = 100_000, beamletHistories = 300 });
        await PlanClient.WaitAsync(_f.Client, planId, TimeSpan.FromMinutes(2));

        Assert.Equal(HttpStatusCode.Forbidden, (await _f.Service.UserClient("upl-surgeon", MeTAI.Service.Users.Role.Surgeon).DeleteAsync($"/api/uploads/{uploadId}")).StatusCode);
        HttpResponseMessage deleted = await _f.Client.DeleteAsync($"/api/uploads/{uploadId}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Contains(planId, await deleted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Client.GetAsync($"/api/uploads/{uploadId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Client.GetAsync($"/api/plans/{planId}")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_f.Service.DataDirectory, "uploads", uploadId)));
        Assert.False(Directory.Exists(Path.Combine(_f.Service.DataDirectory, "jobs", planId)));
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Client.DeleteAsync($"/api/uploads/{uploadId}")).StatusCode);

        // Retention: with 30 days set, an upload stored 31 days ago is purged with its plans, a new one kept.
        using var retained = new ServiceFactory(null, settings: new Dictionary<string, string?> { ["Service:RetentionDays"] = "30" });
        HttpClient c = retained.KeyedClient();
        string old = JsonDocument.Parse(await (await PostAsync(c, Zip(CaseEntries()), "?name=old")).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        string fresh = JsonDocument.Parse(await (await PostAsync(c, Zip(CaseEntries()), "?name=fresh")).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        string db = Path.Combine(retained.DataDirectory, "jobs.db");
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db}"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "UPDATE uploads SET created_utc = $t WHERE id = $id;";
            cmd.Parameters.AddWithValue("$t", DateTime.UtcNow.AddDays(-31).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$id", old);
            cmd.ExecuteNonQuery();
        }

        IReadOnlyList<string> purged = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MeTAI.Service.Uploads.RetentionService>(retained.Services).PurgeOnce();
        Assert.Equal([old], purged);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/api/uploads/{old}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"/api/uploads/{fresh}")).StatusCode);
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
