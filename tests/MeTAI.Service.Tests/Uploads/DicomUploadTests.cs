using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;
using MeTAI.TestUtilities;

namespace MeTAI.Service.Tests.Uploads;

/// <summary>
/// Uploads by DICOM: the service with <c>Service:DicomPort</c> runs the storage SCP of <c>metai dicom listen</c>, and
/// dcmtk's storescu sends it a case. One association makes one upload, listed with the same summary the same files
/// give as a zip; a caller outside the allow-list is rejected; objects that do not make a case leave nothing.
/// </summary>
public class DicomUploadTests : IClassFixture<DicomUploadTests.Fixture>
{
    private const string OurAe = "METAI-SVC";
    private readonly Fixture _f;

    public DicomUploadTests(Fixture f) => _f = f;

    /// <summary>A service listening for DICOM on a free port (callers CTSIM and RSONLY allowed) and a written phantom case.</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            CaseDirectory = Path.Combine(ServiceFactory.NewDataDirectory(), "case");
            RtPhantom.Write(PhantomLibrary.Build("tg119-cshape", 8), CaseDirectory);
            Port = OrthancServer.FreeTcpPort();
            Service = new ServiceFactory(null, settings: new Dictionary<string, string?>
            {
                ["Service:DicomPort"] = Port.ToString(CultureInfo.InvariantCulture),
                ["Service:DicomAeTitle"] = OurAe,
                ["Service:DicomBindAddress"] = "127.0.0.1",
                ["Service:DicomAllowedCallingAeTitles:0"] = "CTSIM",
                ["Service:DicomAllowedCallingAeTitles:1"] = "RSONLY",
            });
            Client = Service.KeyedClient(); // starts the host, and with it the DICOM listener
        }

        public ServiceFactory Service { get; }

        public HttpClient Client { get; }

        public string CaseDirectory { get; }

        public int Port { get; }

        public IReadOnlyList<string> CaseFiles => [.. Directory.EnumerateFiles(CaseDirectory, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

        public void Dispose() => Service.Dispose();
    }

    [ToolFact("storescu")]
    public async Task Storescu_CaseToTheDicomPort_OneUploadWithTheSummaryAZipGets()
    {
        ProcessOutput store = Storescu("CTSIM", _f.CaseFiles);
        Assert.True(store.ExitCode == 0, store.Output);
        await WaitStagingEmptyAsync();

        JsonElement upload = Assert.Single(await UploadsAsync(), u => u.GetProperty("name").GetString() == "DICOM from CTSIM");
        JsonElement zipped = await UploadZipAsync();
        foreach (string field in (string[])["slices", "size", "spacingMm", "structures", "deidentified"])
        {
            Assert.Equal(zipped.GetProperty(field).GetRawText(), upload.GetProperty(field).GetRawText());
        }

        Assert.Contains(upload.GetProperty("structures").EnumerateArray(), s => s.GetProperty("name").GetString() == "PTV");
        string caseDir = Path.Combine(_f.Service.DataDirectory, "uploads", upload.GetProperty("id").GetString()!, "case");
        Assert.Equal(_f.CaseFiles.Count - 1, Directory.GetFiles(Path.Combine(caseDir, "ct"), "*.dcm").Length);
        Assert.Equal(upload.GetProperty("slices").GetInt32(), _f.CaseFiles.Count - 1);
        Assert.True(File.Exists(Path.Combine(caseDir, "rtstruct.dcm")));
    }

    [ToolFact("storescu")]
    public async Task Storescu_FromATitleNotAllowed_RejectedAndNoUpload()
    {
        ProcessOutput store = Storescu("INTRUDER", _f.CaseFiles);

        Assert.NotEqual(0, store.ExitCode);
        Assert.Contains("Calling AE Title Not Recognized", store.Output, StringComparison.Ordinal);
        await WaitStagingEmptyAsync();
        Assert.DoesNotContain(await UploadsAsync(), u => u.GetProperty("name").GetString() == "DICOM from INTRUDER");
    }

    [ToolFact("storescu")]
    public async Task Storescu_AStructureSetAlone_StoredButNoUploadAndNothingLeft()
    {
        ProcessOutput store = Storescu("RSONLY", [Path.Combine(_f.CaseDirectory, "rtstruct.dcm")]);

        Assert.True(store.ExitCode == 0, store.Output); // each object was stored whole; the case check comes after release
        await WaitStagingEmptyAsync();
        Assert.DoesNotContain(await UploadsAsync(), u => u.GetProperty("name").GetString() == "DICOM from RSONLY");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_f.Service.DataDirectory, "uploads", ".incoming")));
    }

    private ProcessOutput Storescu(string callingAe, IEnumerable<string> files) =>
        OutsideTools.Run("storescu", ["-aet", callingAe, "-aec", OurAe, "127.0.0.1", _f.Port.ToString(CultureInfo.InvariantCulture), .. files]);

    private async Task<List<JsonElement>> UploadsAsync() =>
        [.. (await _f.Client.GetFromJsonAsync<JsonElement>("/api/uploads")).EnumerateArray()];

    /// <summary>The same case as a zip through the HTTP API: its summary.</summary>
    private async Task<JsonElement> UploadZipAsync()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (string f in _f.CaseFiles)
            {
                zip.CreateEntryFromFile(f, Path.GetRelativePath(_f.CaseDirectory, f).Replace('\\', '/'), CompressionLevel.Fastest);
            }
        }

        using var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        HttpResponseMessage r = await _f.Client.PostAsync("/api/uploads?name=zip", content);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>
    /// Waits until no upload is being received: the association's staging folder exists from the moment it was
    /// accepted until its upload is stored or discarded, so storescu having finished and the folder being gone means
    /// the service is done with it.
    /// </summary>
    private async Task WaitStagingEmptyAsync()
    {
        string incoming = Path.Combine(_f.Service.DataDirectory, "uploads", ".incoming");
        for (int i = 0; i < 1200 && Directory.EnumerateFileSystemEntries(incoming).Any(); i++)
        {
            await Task.Delay(50);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(incoming));
    }
}
