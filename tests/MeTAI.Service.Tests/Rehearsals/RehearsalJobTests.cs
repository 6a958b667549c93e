using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Dicom.Cases;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Service.Rehearsals;
using MeTAI.Service.Users;
using MeTAI.TestUtilities;

namespace MeTAI.Service.Tests.Rehearsals;

/// <summary>
/// Rehearsal jobs over HTTP: a surgeon rehearses liver-needle (progress, files, the 3D scene checked against the
/// rehearsal's own files and the phantom's masks), cancels, and is the only role that may start one; an abdomen CT +
/// RTSTRUCT written by pydicom is uploaded and rehearsed.
/// </summary>
public class RehearsalJobTests : IClassFixture<SharedService>
{
    /// <summary>A quick rehearsal: liver-needle on a 24 mm lattice, 3 entries at 60 mm/s (seconds, not a minute).</summary>
    public static readonly object Quick = new { @case = "liver-needle", target = "Tumor", avoid = new[] { "Vessel" }, candidates = 3, resolutionMm = 24.0, speedMmPerS = 60.0 };

    private static readonly string[] Vessel = ["Vessel"];

    private static readonly string[] Aorta = ["Aorta"];

    private static readonly string[] PortalVein = ["Portal vein"];

    private readonly ServiceFactory _service;

    public RehearsalJobTests(SharedService shared) => _service = shared.Service;

    [Fact]
    public async Task Rehearsal_LiverNeedle_SucceedsWithProgressFilesAndScene()
    {
        HttpClient surgeon = _service.UserClient("sam", Role.Surgeon);
        string id = await SubmitAsync(surgeon, Quick);
        (JsonElement done, List<string> phases) = await WaitAsync(surgeon, id, TimeSpan.FromMinutes(4));
        Assert.True(done.GetProperty("status").GetString() == "succeeded", done.ToString());
        Assert.Contains(phases, p => p.StartsWith("simulating needle insertions", StringComparison.Ordinal));
        Assert.Equal(1.0, done.GetProperty("progress").GetDouble());
        JsonElement result = done.GetProperty("result");
        Assert.Equal(3, result.GetProperty("candidatesSimulated").GetInt32());

        // The files and the scene agree with each other: the scene's chosen trajectory is trajectories.json's first, its
        // corridor is corridor.json's.
        using JsonDocument trajectories = JsonDocument.Parse(await surgeon.GetStringAsync($"/api/rehearsals/{id}/files/trajectories"));
        using JsonDocument corridor = JsonDocument.Parse(await surgeon.GetStringAsync($"/api/rehearsals/{id}/files/corridor"));
        using JsonDocument scene = JsonDocument.Parse(await surgeon.GetStringAsync($"/api/rehearsals/{id}/scene"));
        JsonElement s = scene.RootElement;
        Assert.Equal("metai-scene", s.GetProperty("format").GetString());
        JsonElement chosen = s.GetProperty("trajectories").EnumerateArray().Single(t => t.GetProperty("chosen").GetBoolean());
        JsonElement first = trajectories.RootElement.GetProperty("candidates")[0];
        for (int a = 0; a < 3; a++)
        {
            Assert.Equal(first.GetProperty("entryLps")[a].GetDouble(), chosen.GetProperty("entryLps")[a].GetDouble(), 2);
        }

        Assert.Equal(corridor.RootElement.GetProperty("radiusMm").GetDouble(), s.GetProperty("corridor").GetProperty("radiusMm").GetDouble(), 3);
        Assert.Equal(result.GetProperty("corridorRadiusMm").GetDouble(), s.GetProperty("corridor").GetProperty("radiusMm").GetDouble(), 3);

        // Every surface is closed and consistently wound (each directed edge met once the other way), and an ROI's
        // surface encloses exactly the ROI's voxels: its divergence-theorem volume is the phantom mask's volume.
        var names = s.GetProperty("surfaces").EnumerateArray().Select(x => x.GetProperty("name").GetString()!).ToList();
        Assert.Contains("tissue:body-wall", names);
        Assert.Contains("tissue:liver", names);
        Assert.Contains("roi:Tumor", names);
        Assert.Contains("roi:Vessel", names);
        PatientCase phantom = CaseLoader.Load("liver-needle", 2);
        foreach (JsonElement surface in s.GetProperty("surfaces").EnumerateArray())
        {
            double[] p = [.. surface.GetProperty("positions").EnumerateArray().Select(v => v.GetDouble())];
            int[] ix = [.. surface.GetProperty("indices").EnumerateArray().Select(v => v.GetInt32())];
            string name = surface.GetProperty("name").GetString()!;
            Assert.True(ix.Length > 0 && ix.Length % 3 == 0 && ix.All(i => i >= 0 && 3 * i < p.Length), name);
            AssertClosedAndOriented(ix, name);
            if (name.StartsWith("roi:", StringComparison.Ordinal))
            {
                double expectedCc = phantom.Mask(name[4..]).VolumeCc;
                Assert.Equal(expectedCc, EnclosedVolumeMm3(p, ix) / 1000, expectedCc * 5e-3);
            }
            else
            {
                Assert.True(EnclosedVolumeMm3(p, ix) > 0, $"{name} encloses no volume (wound inward?)");
            }
        }

        JsonElement robot = s.GetProperty("robot");
        Assert.Equal("metai-arm6", robot.GetProperty("model").GetString());
        Assert.Equal(6, robot.GetProperty("jointsLps").GetArrayLength());
        JsonElement slice = s.GetProperty("ctSlice");
        Assert.Equal(slice.GetProperty("width").GetInt32() * slice.GetProperty("height").GetInt32(), Convert.FromBase64String(slice.GetProperty("pixelsBase64").GetString()!).Length);

        // A phantom has no plan: no isodoses.
        Assert.False(s.TryGetProperty("plan", out _));
        Assert.Equal(0, s.GetProperty("isodoses").GetArrayLength());
        await AssertCtPlanesAsync(surgeon, id, s.GetProperty("ctVolume"), phantom.CtHu);

        // The replay: frames × nodes × xyz int16 displacements, as announced; the nodes are the avatar's (built here as the
        // service built it), its fixed nodes (bone, couch, field-of-view cuts) never move, the tissue does, and the
        // needle tip ends at the target.
        JsonElement replay = s.GetProperty("replay");
        int frames = replay.GetProperty("frames").GetInt32(), nodes = replay.GetProperty("nodes").GetInt32();
        byte[] displacements = await surgeon.GetByteArrayAsync($"/api/rehearsals/{id}/files/replay");
        Assert.Equal(frames * nodes * 3 * sizeof(short), displacements.Length);
        Assert.Equal(frames, replay.GetProperty("tipsLps").GetArrayLength());
        Assert.True(frames >= 30, $"{frames} frames");
        PatientAvatar avatar = AvatarBuilder.FromMasks(phantom.Name, phantom.Masks, phantom.LandmarksLps,
            AvatarConfigLoader.Load(RehearsalAvatarSource.ConfigPath("liver-needle")), MeTAI.Planner.Beams.CtPatientPosition.Read(phantom.Ct, "liver-needle").Position, 24);
        Assert.Equal(avatar.Mesh.NodeCount, nodes);
        double maxMovedMm = 0;
        for (int f = 0; f < frames; f++)
        {
            for (int n = 0; n < nodes; n++)
            {
                for (int a = 0; a < 3; a++)
                {
                    double d = System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(displacements.AsSpan(6 * ((f * nodes) + n) + (2 * a))) * replay.GetProperty("quantumMm").GetDouble();
                    Assert.True(!avatar.FixedNodes[n] || d == 0, $"fixed node {n} moved {d} mm in frame {f}");
                    maxMovedMm = Math.Max(maxMovedMm, Math.Abs(d));
                }
            }
        }

        Assert.InRange(maxMovedMm, 0.5, 100);
        JsonElement lastTip = replay.GetProperty("tipsLps")[frames - 1];
        JsonElement target = s.GetProperty("targetLps");
        double tipToTargetMm = Math.Sqrt(Enumerable.Range(0, 3).Sum(a => Math.Pow(lastTip[a].GetDouble() - target[a].GetDouble(), 2)));
        Assert.True(tipToTargetMm < 10, $"the replayed tip ends {tipToTargetMm:0.0} mm from the target");
        var tissueSurface = s.GetProperty("surfaces").EnumerateArray().First(x => x.GetProperty("kind").GetString() == "tissue");
        Assert.Equal(tissueSurface.GetProperty("positions").GetArrayLength(), 3 * tissueSurface.GetProperty("nodes").GetArrayLength());

        // Rehearsals are not plans.
        string plans = await _service.KeyedClient().GetStringAsync("/api/plans");
        Assert.DoesNotContain(id, plans, StringComparison.Ordinal);
        Assert.Contains(id, await surgeon.GetStringAsync("/api/rehearsals"), StringComparison.Ordinal);
        Assert.Equal("image/png", (await surgeon.GetAsync($"/api/rehearsals/{id}/files/plot")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await surgeon.GetAsync($"/api/rehearsals/{id}/files/nothing")).StatusCode);
    }

    [Fact]
    public async Task Cancel_QueuedAndRunningRehearsals_EndCancelledWithoutFiles()
    {
        HttpClient surgeon = _service.UserClient("sue", Role.Surgeon);
        string running = await SubmitAsync(surgeon, Quick);
        string queued = await SubmitAsync(surgeon, Quick);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while ((await surgeon.GetFromJsonAsync<JsonElement>($"/api/rehearsals/{running}")).GetProperty("status").GetString() == "queued")
        {
            Assert.True(sw.Elapsed < TimeSpan.FromMinutes(3), "the rehearsal never started");
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await surgeon.PostAsync($"/api/rehearsals/{queued}/cancel", null)).StatusCode);
        Assert.Equal("cancelled", (await surgeon.GetFromJsonAsync<JsonElement>($"/api/rehearsals/{queued}")).GetProperty("status").GetString());
        HttpResponseMessage cancel = await surgeon.PostAsync($"/api/rehearsals/{running}/cancel", null);
        (JsonElement end, _) = await WaitAsync(surgeon, running, TimeSpan.FromMinutes(4));
        if (cancel.StatusCode == HttpStatusCode.Conflict)
        {
            // It finished between the poll and the cancel: then it is a success, not a cancellation.
            Assert.Equal("succeeded", end.GetProperty("status").GetString());
            return;
        }

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("cancelled", end.GetProperty("status").GetString());
        Assert.False(Directory.Exists(Path.Combine(_service.DataDirectory, "jobs", running)));
        Assert.Equal(HttpStatusCode.Conflict, (await surgeon.GetAsync($"/api/rehearsals/{running}/scene")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await surgeon.DeleteAsync($"/api/rehearsals/{running}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await surgeon.GetAsync($"/api/rehearsals/{running}")).StatusCode);
    }

    [Theory]
    [InlineData(Role.Dosimetrist, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(Role.Engineer, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(Role.Admin, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(Role.Physician, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(Role.Physicist, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(Role.Surgeon, HttpStatusCode.OK, HttpStatusCode.BadRequest)]
    public async Task Rehearsals_ByRole(Role role, HttpStatusCode list, HttpStatusCode start)
    {
        HttpClient c = _service.UserClient("r-" + Permissions.Name(role), role);
        Assert.Equal(list, (await c.GetAsync("/api/rehearsals")).StatusCode);

        // An invalid request, so a permitted role's start is a 400 and starts nothing.
        HttpResponseMessage r = await c.PostAsJsonAsync("/api/rehearsals", new { @case = "liver-needle" });
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == start, text);
        if (start == HttpStatusCode.Forbidden)
        {
            Assert.Contains($"({Permissions.Name(role)}) may not do this; it needs rehearsals.write", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("Name the target ROI.", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Submit_BadRequests_NameWhatIsWrong()
    {
        HttpClient surgeon = _service.UserClient("stu", Role.Surgeon);
        HttpResponseMessage unknown = await surgeon.PostAsJsonAsync("/api/rehearsals", new { @case = "tg119-cshape", target = "Tumor" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Built-in cases with an avatar: liver-needle", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage roi = await surgeon.PostAsJsonAsync("/api/rehearsals", new { @case = "liver-needle", target = "Spleen", avoid = Vessel });
        Assert.Equal(HttpStatusCode.BadRequest, roi.StatusCode);
        Assert.Contains("Case 'liver-needle' has no ROI 'Spleen'. ROIs: External, Liver, Tumor, Vessel, Ribs.", await roi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage many = await surgeon.PostAsJsonAsync("/api/rehearsals", new { @case = "liver-needle", target = "Tumor", candidates = 500 });
        Assert.Contains("candidates must be 1–64.", await many.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public async Task Rehearsal_UploadedPydicomAbdomen_SucceedsClearOfThePortalVein()
    {
        // An abdomen CT + RTSTRUCT written by pydicom (the CLI's Tools/abdomen_case.py, 4 mm voxels), zipped and uploaded
        // as a hospital export would be, then rehearsed: the avatar is built from the CT and the structure set
        // (configs/avatars/ct-abdomen.json), not from a phantom.
        string uploadId = await UploadAbdomenAsync(_service);

        HttpClient surgeon = _service.UserClient("sid", Role.Surgeon);
        JsonElement cases = await surgeon.GetFromJsonAsync<JsonElement>("/api/rehearsals/cases");
        Assert.Equal(RehearsalAvatarSource.UploadAvatarConfig, cases.GetProperty("uploadAvatarConfig").GetString());

        // An ROI the structure set does not have is refused before a job is queued, listing the upload's ROIs.
        HttpResponseMessage unknown = await surgeon.PostAsJsonAsync("/api/rehearsals", new { uploadId, target = "Tumor", avoid = Aorta });
        string unknownText = await unknown.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("has no ROI 'Aorta'. ROIs: ", unknownText, StringComparison.Ordinal);
        Assert.Contains("Portal vein", unknownText, StringComparison.Ordinal);

        // The same settings as the CLI's RehearseCaseTests: 14 mm cells, 4 entries at 60 mm/s.
        string id = await SubmitAsync(surgeon, new { uploadId, target = "Tumor", avoid = PortalVein, candidates = 4, resolutionMm = 14.0, speedMmPerS = 60.0 });
        (JsonElement done, _) = await WaitAsync(surgeon, id, TimeSpan.FromMinutes(8));
        Assert.True(done.GetProperty("status").GetString() == "succeeded", done.ToString());
        Assert.Equal(4, done.GetProperty("result").GetProperty("candidatesSimulated").GetInt32());

        using JsonDocument trajectories = JsonDocument.Parse(await surgeon.GetStringAsync($"/api/rehearsals/{id}/files/trajectories"));
        JsonElement best = trajectories.RootElement.GetProperty("candidates")[0];
        Assert.True(best.GetProperty("feasible").GetBoolean(), best.ToString());
        Assert.True(best.GetProperty("clearanceByRoiMm").GetProperty("Portal vein").GetDouble() >= 5, best.ToString());

        // The scene: tissues from ROI types and CT numbers, the structure set's ROIs, the chosen path; the target is the
        // tumour pydicom wrote (a 15 mm sphere at (-60, 10, 0) mm).
        using JsonDocument scene = JsonDocument.Parse(await surgeon.GetStringAsync($"/api/rehearsals/{id}/scene"));
        JsonElement s = scene.RootElement;
        var names = s.GetProperty("surfaces").EnumerateArray().Select(x => x.GetProperty("name").GetString()!).ToList();
        Assert.Contains("tissue:liver", names);
        Assert.Contains("roi:Tumor", names);
        Assert.Contains("roi:Portal vein", names);
        Assert.Contains(names, n => n.StartsWith("tissue:", StringComparison.Ordinal) && n != "tissue:liver");
        foreach (JsonElement surface in s.GetProperty("surfaces").EnumerateArray())
        {
            AssertClosedAndOriented([.. surface.GetProperty("indices").EnumerateArray().Select(v => v.GetInt32())], surface.GetProperty("name").GetString()!);
        }

        Assert.Single(s.GetProperty("trajectories").EnumerateArray(), t => t.GetProperty("chosen").GetBoolean());
        JsonElement target = s.GetProperty("targetLps");
        Assert.True(Math.Sqrt(Math.Pow(target[0].GetDouble() + 60, 2) + Math.Pow(target[1].GetDouble() - 10, 2) + Math.Pow(target[2].GetDouble(), 2)) < 2, target.ToString());
        Assert.Contains(id, await surgeon.GetStringAsync("/api/rehearsals"), StringComparison.Ordinal);
    }

    // The CT planes the page moves: each orientation's plane through the target (the default) is the CT's voxels windowed
    // to 8 bits, pixel for pixel, placed where the CT's voxels lie; bad axes and indices are 400s naming the problem.
    private static async Task AssertCtPlanesAsync(HttpClient client, string id, JsonElement volume, MeTAI.Core.Voxels.VoxelGrid<short> ct)
    {
        int[] size = [.. volume.GetProperty("size").EnumerateArray().Select(v => v.GetInt32())];
        int[] stride = [.. volume.GetProperty("strideVoxels").EnumerateArray().Select(v => v.GetInt32())];
        int[] target = [.. volume.GetProperty("targetIndex").EnumerateArray().Select(v => v.GetInt32())];
        Assert.Equal([(ct.Geometry.SizeX - 1) / stride[0] + 1, (ct.Geometry.SizeY - 1) / stride[1] + 1, (ct.Geometry.SizeZ - 1) / stride[2] + 1], size);
        foreach ((string axis, int fixedAxis) in new[] { ("axial", 2), ("coronal", 1), ("sagittal", 0) })
        {
            using JsonDocument plane = JsonDocument.Parse(await client.GetStringAsync($"/api/rehearsals/{id}/ct?axis={axis}"));
            JsonElement p = plane.RootElement;
            Assert.Equal(target[fixedAxis], p.GetProperty("index").GetInt32());
            Assert.Equal(size[fixedAxis], p.GetProperty("count").GetInt32());
            byte[] pixels = Convert.FromBase64String(p.GetProperty("pixelsBase64").GetString()!);
            int width = p.GetProperty("width").GetInt32(), height = p.GetProperty("height").GetInt32();
            Assert.Equal(width * height, pixels.Length);
            int[] a = fixedAxis switch { 2 => [0, 1], 1 => [0, 2], _ => [1, 2] };
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int[] voxel = new int[3];
                    voxel[fixedAxis] = target[fixedAxis] * stride[fixedAxis];
                    voxel[a[0]] = x * stride[a[0]];
                    voxel[a[1]] = y * stride[a[1]];
                    double hu = ct[voxel[0], voxel[1], voxel[2]];
                    byte expected = (byte)Math.Clamp(Math.Round(255 * (hu + 160) / 400), 0, 255);
                    Assert.True(expected == pixels[(y * width) + x], $"{axis} pixel ({x}, {y}) = {pixels[(y * width) + x]}, the CT's voxel ({string.Join(", ", voxel)}) windowed = {expected}");
                }
            }

            // The plane's centre, (rowEnd + columnEnd) / 2, is where the CT grid puts the middle of that plane of voxels
            // (pixels cover ±stride/2 CT voxels around the voxels they show).
            double[] mid = new double[3];
            mid[fixedAxis] = target[fixedAxis] * stride[fixedAxis];
            mid[a[0]] = (width - 1) * stride[a[0]] / 2.0;
            mid[a[1]] = (height - 1) * stride[a[1]] / 2.0;
            MeTAI.Core.Geometry.Vec3 expectedCentre = ct.Geometry.IndexToLps(mid[0], mid[1], mid[2]);
            for (int c = 0; c < 3; c++)
            {
                double got = (p.GetProperty("rowEndLps")[c].GetDouble() + p.GetProperty("columnEndLps")[c].GetDouble()) / 2;
                Assert.True(Math.Abs(got - expectedCentre[c]) < 0.01, $"{axis}: centre[{c}] = {got}, the CT grid says {expectedCentre[c]}");
            }
        }

        async Task<string> BadAsync(string query)
        {
            HttpResponseMessage r = await client.GetAsync($"/api/rehearsals/{id}/ct?{query}");
            string text = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)r.StatusCode} {text}");
            return text;
        }

        Assert.Contains("axis must be axial, coronal, sagittal (got 'oblique')", await BadAsync("axis=oblique&index=1"), StringComparison.Ordinal);
        Assert.Contains("axis must be axial, coronal, sagittal (got '')", await BadAsync("index=1"), StringComparison.Ordinal);
        Assert.Contains($"index must be an integer 0–{size[2] - 1} for the axial planes of rehearsal {id} (got '{size[2]}')", await BadAsync($"axis=axial&index={size[2]}"), StringComparison.Ordinal);
        Assert.Contains("(got '-1')", await BadAsync("axis=sagittal&index=-1"), StringComparison.Ordinal);
        Assert.Contains("(got 'x')", await BadAsync("axis=coronal&index=x"), StringComparison.Ordinal);
    }

    /// <summary>Writes the pydicom abdomen (4 mm voxels), zips and uploads it; returns the upload's id.</summary>
    internal static async Task<string> UploadAbdomenAsync(ServiceFactory service)
    {
        string dir = Path.Combine(ServiceFactory.NewDataDirectory(), "abdomen");
        ProcessOutput script = OutsideTools.Run(OutsideTools.Python, [Path.Combine(AppContext.BaseDirectory, "Rehearsals", "Tools", "abdomen_case.py"), dir, "--voxel", "4"]);
        Assert.True(script.ExitCode == 0, script.Output);
        string zip = dir + ".zip";
        ZipFile.CreateFromDirectory(dir, zip);
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(zip));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        HttpResponseMessage upload = await service.KeyedClient().PostAsync("/api/uploads", content);
        string uploadText = await upload.Content.ReadAsStringAsync();
        Assert.True(upload.StatusCode == HttpStatusCode.Created, uploadText);
        return JsonDocument.Parse(uploadText).RootElement.GetProperty("id").GetString()!;
    }

    internal static async Task<string> SubmitAsync(HttpClient client, object body)
    {
        HttpResponseMessage r = await client.PostAsJsonAsync("/api/rehearsals", body);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"POST /api/rehearsals: {(int)r.StatusCode} {text}");
        Assert.StartsWith("/api/rehearsals/", r.Headers.Location?.OriginalString, StringComparison.Ordinal);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls until the rehearsal leaves queued/running; returns the last view and every phase seen.</summary>
    internal static async Task<(JsonElement View, List<string> Phases)> WaitAsync(HttpClient client, string id, TimeSpan timeout)
    {
        var phases = new List<string>();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            JsonElement view = await client.GetFromJsonAsync<JsonElement>($"/api/rehearsals/{id}");
            if (view.TryGetProperty("phase", out JsonElement phase) && phase.ValueKind == JsonValueKind.String)
            {
                phases.Add(phase.GetString()!);
            }

            string status = view.GetProperty("status").GetString()!;
            if (status is not ("queued" or "running"))
            {
                return (view, phases);
            }

            Assert.True(sw.Elapsed < timeout, $"Rehearsal {id} still {status} after {timeout}: {view}");
            await Task.Delay(100);
        }
    }

    internal static void AssertClosedAndOriented(int[] indices, string name)
    {
        var directed = new Dictionary<(int, int), int>();
        for (int t = 0; t < indices.Length; t += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                (int, int) edge = (indices[t + e], indices[t + ((e + 1) % 3)]);
                directed[edge] = directed.GetValueOrDefault(edge) + 1;
            }
        }

        foreach (((int a, int b), int count) in directed)
        {
            Assert.True(directed.GetValueOrDefault((b, a)) == count, $"{name}: edge {a}→{b} used {count} time(s), {b}→{a} {directed.GetValueOrDefault((b, a))}");
        }
    }

    internal static double EnclosedVolumeMm3(double[] p, int[] ix)
    {
        double v = 0;
        for (int t = 0; t < ix.Length; t += 3)
        {
            int a = 3 * ix[t], b = 3 * ix[t + 1], c = 3 * ix[t + 2];
            v += (p[a] * ((p[b + 1] * p[c + 2]) - (p[b + 2] * p[c + 1])))
                - (p[a + 1] * ((p[b] * p[c + 2]) - (p[b + 2] * p[c])))
                + (p[a + 2] * ((p[b] * p[c + 1]) - (p[b + 1] * p[c])));
        }

        return v / 6;
    }
}
