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
/// Uploads of exports as other systems leave them — pydicom's flat export (CT.*, RS.*, RP.*, RD.*, README.txt) and
/// dcmtk's DICOMDIR media — grouped by the case loader and stored; two CT series and structure sets stored for the plan
/// request to choose from; a structure set of another patient listed, then refused by a plan unless it allows it.
/// </summary>
public class UploadExportTests : IClassFixture<UploadExportTests.Fixture>
{
    private readonly Fixture _f;

    public UploadExportTests(Fixture f) => _f = f;

    /// <summary>A service.</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture() => Client = Service.KeyedClient();

        public ServiceFactory Service { get; } = new(null);

        public HttpClient Client { get; }

        public void Dispose() => Service.Dispose();
    }

    /// <summary>tg119-cshape at 10 mm with a dose (our layout), for the given patient.</summary>
    private static (string Dir, RtStudy Study) Written(RtPatientStudy? patient = null)
    {
        string dir = Path.Combine(ServiceFactory.NewDataDirectory(), "layout");
        Phantom phantom = PhantomLibrary.Build("tg119-cshape", 10);
        CtSeries ct = RtPhantom.ToCtSeries(phantom, patient);
        var dose = new RtDose { Dose = new MeTAI.Core.Voxels.VoxelGrid<float>(ct.Geometry), ReferencedPlanUid = MeTAI.Dicom.DicomUid.Generate() };
        return (dir, MeTAI.Dicom.Rt.Writers.RtStudyWriter.Write(dir, ct, RtPhantom.RoiMasks(phantom), dose: dose));
    }

    private static byte[] ZipFolder(string folder, string prefix = "")
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                using Stream s = zip.CreateEntry(prefix + Path.GetRelativePath(folder, file).Replace('\\', '/'), CompressionLevel.Fastest).Open();
                s.Write(File.ReadAllBytes(file));
            }
        }

        return buffer.ToArray();
    }

    private async Task<JsonElement> UploadAsync(byte[] zip)
    {
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        // The exports' own UIDs and identities are compared, so they are kept (the test key is a physicist's).
        HttpResponseMessage r = await _f.Client.PostAsync("/api/uploads?deidentify=false", content);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static object Plan(string uploadId, string? ctSeries = null, string? structureSet = null, bool? allowInconsistent = null) =>
        new { uploadId, protocol = "tg119-cshape", beams = 2, histories = 100_000, beamletHistories = 300, ctSeries, structureSet, allowInconsistent };

    [ToolFact("pydicom")]
    public async Task Upload_FlatExport_GroupedAndStoredAsACase()
    {
        (string layout, RtStudy study) = Written();
        string flat = Path.Combine(ServiceFactory.NewDataDirectory(), "flat");
        DicomExports.Flat(flat, true, layout);
        JsonElement u = await UploadAsync(ZipFolder(flat, "EXPORT/"));

        Assert.Equal(study.Ct.SeriesInstanceUid, u.GetProperty("ctSeriesUid").GetString());
        Assert.Equal(study.StructureSet!.SopInstanceUid, u.GetProperty("structureSetUid").GetString());
        Assert.Equal(JsonValueKind.Null, u.GetProperty("choice").ValueKind);
        Assert.Empty(u.GetProperty("inconsistencies").EnumerateArray());
        Assert.Equal(2, u.GetProperty("notDicom").GetInt32());
        Assert.Equal(["CT", "RTSTRUCT", "RTDOSE"], u.GetProperty("found").EnumerateArray().Select(f => f.GetProperty("modality").GetString()));
        Assert.Equal([true, true, false], u.GetProperty("found").EnumerateArray().Select(f => f.GetProperty("stored").GetBoolean()));
        Assert.Contains(u.GetProperty("ignored").EnumerateArray(), i => i.GetString()!.StartsWith("EXPORT/rt/rtdose/RD.", StringComparison.Ordinal) && i.GetString()!.EndsWith("RTDOSE (RT Dose Storage) is not stored; a case keeps CT series and structure sets", StringComparison.Ordinal));
        Assert.Contains(u.GetProperty("structures").EnumerateArray(), s => s.GetProperty("name").GetString() == "PTV");
        string caseDir = Path.Combine(_f.Service.DataDirectory, "uploads", u.GetProperty("id").GetString()!, "case");
        Assert.True(File.Exists(Path.Combine(caseDir, "rtstruct.dcm")));
        Assert.Equal(study.Ct.Geometry.SizeZ, Directory.GetFiles(Path.Combine(caseDir, "ct")).Length);
    }

    [ToolFact("dcmmkdir", "pydicom")]
    public async Task Upload_DicomdirMedia_FilesFoundThroughTheDicomdir()
    {
        (string layout, RtStudy study) = Written();
        string media = Path.Combine(ServiceFactory.NewDataDirectory(), "media");
        DicomExports.DcmtkMedia(media, layout);
        JsonElement u = await UploadAsync(ZipFolder(media, "CDROM/"));
        Assert.True(u.GetProperty("dicomDir").GetBoolean());
        Assert.Equal(study.Ct.SeriesInstanceUid, u.GetProperty("ctSeriesUid").GetString());
        Assert.Contains(u.GetProperty("ignored").EnumerateArray(), i => i.GetString() == "CDROM/DICOMDIR: DICOMDIR (read for the list of files)");
    }

    [ToolFact("pydicom")]
    public async Task Upload_TwoCtSeriesAndStructureSets_StoredForThePlanRequestToChoose()
    {
        RtPatientStudy patient = RtPatientStudy.Create("Upload^Two", "UPLOAD-TWO");
        (string first, RtStudy a) = Written(patient);
        (string second, RtStudy b) = Written(patient);
        string flat = Path.Combine(ServiceFactory.NewDataDirectory(), "two");
        DicomExports.Flat(flat, false, first, second);
        JsonElement u = await UploadAsync(ZipFolder(flat));
        string id = u.GetProperty("id").GetString()!;
        Assert.Equal(JsonValueKind.Null, u.GetProperty("ctSeriesUid").ValueKind);
        Assert.Contains("choose with ctSeries UID and/or structureSet UID", u.GetProperty("choice").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, u.GetProperty("ctSeries").GetArrayLength());
        Assert.Equal(2, u.GetProperty("structureSets").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(_f.Service.DataDirectory, "uploads", id, "case", "rtstruct-2.dcm")));

        HttpResponseMessage refused = await _f.Client.PostAsJsonAsync("/api/plans", Plan(id));
        string text = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(a.Ct.SeriesInstanceUid, text, StringComparison.Ordinal);

        string planId = await PlanClient.SubmitAsync(_f.Client, Plan(id, ctSeries: b.Ct.SeriesInstanceUid));
        (JsonElement plan, _) = await PlanClient.WaitAsync(_f.Client, planId, TimeSpan.FromMinutes(3));
        Assert.True(plan.GetProperty("status").GetString() == "succeeded", plan.ToString());
        string log = await _f.Client.GetStringAsync($"/api/plans/{planId}/files/log");
        Assert.Contains($"case: CT series {b.Ct.SeriesInstanceUid}", log, StringComparison.Ordinal);
        Assert.DoesNotContain("UPLOAD-TWO", log, StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public async Task Upload_StructureSetOfAnotherPatient_ListedThenRefusedByAPlanUnlessAllowed()
    {
        (string layout, _) = Written();
        string flat = Path.Combine(ServiceFactory.NewDataDirectory(), "mismatch");
        IReadOnlyList<(string Modality, string Path)> files = DicomExports.Flat(flat, false, layout);
        DicomExports.Set(DicomExports.Single(files, "RTSTRUCT"), "PatientID=SOMEONE-ELSE");
        JsonElement u = await UploadAsync(ZipFolder(flat));
        string id = u.GetProperty("id").GetString()!;
        string inconsistency = Assert.Single(u.GetProperty("inconsistencies").EnumerateArray()).GetString()!;
        Assert.StartsWith("Patient ID (0010,0020)", inconsistency, StringComparison.Ordinal);
        Assert.Contains("RTSTRUCT RS.", inconsistency, StringComparison.Ordinal); // named by its zip entry
        Assert.DoesNotContain("SOMEONE-ELSE", inconsistency, StringComparison.Ordinal); // and no patient identity

        (JsonElement refused, _) = await PlanClient.WaitAsync(_f.Client, await PlanClient.SubmitAsync(_f.Client, Plan(id)), TimeSpan.FromMinutes(3));
        Assert.Equal("failed", refused.GetProperty("status").GetString());
        Assert.Contains("allowInconsistent uses them anyway", refused.GetProperty("error").GetString(), StringComparison.Ordinal);

        (JsonElement allowed, _) = await PlanClient.WaitAsync(_f.Client, await PlanClient.SubmitAsync(_f.Client, Plan(id, allowInconsistent: true)), TimeSpan.FromMinutes(3));
        Assert.True(allowed.GetProperty("status").GetString() == "succeeded", allowed.ToString());
    }
}
