using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Service.Users;
using MeTAI.TestUtilities;

namespace MeTAI.Service.Tests.Rehearsals;

/// <summary>
/// A plan's dose in the rehearsal's scene: the pydicom abdomen is uploaded, planned with the liver-tumor protocol (a
/// quick, noisy plan) and rehearsed naming that plan; the scene's 95 % and 50 % isodose surfaces are closed, wound
/// outward and nested, and lie where the plan's exported dose grid crosses their levels. The CT planes show the case's
/// known CT numbers at the right places. Bad plan choices are refused before a job is queued.
/// </summary>
public class RehearsalIsodoseTests : IClassFixture<SharedService>
{
    private static readonly string[] PortalVein = ["Portal vein"];

    private static readonly string[] Levels = ["isodose:95", "isodose:50"];

    private readonly ServiceFactory _service;

    public RehearsalIsodoseTests(SharedService shared) => _service = shared.Service;

    [ToolFact("pydicom")]
    public async Task Rehearsal_WithAPlanOfTheUpload_HasNestedIsodosesWhereTheDoseIs()
    {
        string uploadId = await RehearsalJobTests.UploadAbdomenAsync(_service);
        HttpClient keyed = _service.KeyedClient();
        string planId = await PlanClient.SubmitAsync(keyed, new { uploadId, protocol = "liver-tumor", beams = 3, histories = 300_000, beamletHistories = 300 });
        (JsonElement plan, _) = await PlanClient.WaitAsync(keyed, planId, TimeSpan.FromMinutes(6));
        Assert.True(plan.GetProperty("status").GetString() == "succeeded", plan.ToString());
        double prescriptionGy = plan.GetProperty("prescriptionGy").GetDouble();
        Assert.Equal(45, prescriptionGy, 6);

        // Refused before a job is queued: a plan with a phantom, a plan that does not exist, a plan of another upload.
        HttpClient surgeon = _service.UserClient("sig", Role.Surgeon);
        string phantom = await BadAsync(surgeon, new { @case = "liver-needle", target = "Tumor", planId });
        Assert.Contains("planId needs uploadId", phantom, StringComparison.Ordinal);
        string missing = await BadAsync(surgeon, new { uploadId, target = "Tumor", planId = "0123456789abcdef" });
        Assert.Contains("No plan '0123456789abcdef'.", missing, StringComparison.Ordinal);
        string other = await RehearsalJobTests.UploadAbdomenAsync(_service);
        string elsewhere = await BadAsync(surgeon, new { uploadId = other, target = "Tumor", planId });
        Assert.Contains($"Plan {planId} was made on upload {uploadId}, not on upload {other}.", elsewhere, StringComparison.Ordinal);

        string id = await RehearsalJobTests.SubmitAsync(surgeon, new { uploadId, planId, target = "Tumor", avoid = PortalVein, candidates = 1, resolutionMm = 20.0, speedMmPerS = 60.0 });
        (JsonElement done, _) = await RehearsalJobTests.WaitAsync(surgeon, id, TimeSpan.FromMinutes(8));
        Assert.True(done.GetProperty("status").GetString() == "succeeded", done.ToString());
        Assert.Equal(planId, done.GetProperty("planId").GetString());

        using JsonDocument scene = JsonDocument.Parse(await surgeon.GetStringAsync($"/api/rehearsals/{id}/scene"));
        JsonElement s = scene.RootElement;
        Assert.Equal(planId, s.GetProperty("plan").GetProperty("id").GetString());
        Assert.Equal(prescriptionGy, s.GetProperty("plan").GetProperty("prescriptionGy").GetDouble(), 3);
        JsonElement[] isodoses = [.. s.GetProperty("isodoses").EnumerateArray()];
        Assert.Equal(Levels, isodoses.Select(i => i.GetProperty("name").GetString()));

        // The plan's exported dose, as the planner wrote it.
        string doseFile = Path.Combine(ServiceFactory.NewDataDirectory(), "rtdose.dcm");
        await File.WriteAllBytesAsync(doseFile, await keyed.GetByteArrayAsync($"/api/plans/{planId}/files/rtdose"));
        RtDose dose = RtDoseReader.Read(doseFile);
        Assert.Equal(dose.MaxDose(), s.GetProperty("plan").GetProperty("maxDoseGy").GetDouble(), 2);

        var surfaces = new Dictionary<double, (double[] P, int[] Ix)>();
        foreach (JsonElement iso in isodoses)
        {
            double percent = iso.GetProperty("percent").GetDouble();
            Assert.Equal(percent / 100 * prescriptionGy, iso.GetProperty("doseGy").GetDouble(), 3);
            double[] p = [.. iso.GetProperty("positions").EnumerateArray().Select(v => v.GetDouble())];
            int[] ix = [.. iso.GetProperty("indices").EnumerateArray().Select(v => v.GetInt32())];
            Assert.True(ix.Length > 0, $"{percent} %: no surface (max dose {dose.MaxDose():0.0} Gy)");
            Assert.Equal(iso.GetProperty("triangles").GetInt32() * 3, ix.Length);
            RehearsalJobTests.AssertClosedAndOriented(ix, iso.GetProperty("name").GetString()!);
            Assert.True(RehearsalJobTests.EnclosedVolumeMm3(p, ix) > 0, $"{percent} %: wound inward");
            surfaces[percent] = (p, ix);
        }

        // Nested: the 95 % region is smaller than the 50 % one and every vertex of it lies inside the 50 % surface
        // (winding number of the 50 % surface about it is 1, not 0).
        (double[] p95, int[] ix95) = surfaces[95];
        (double[] p50, int[] ix50) = surfaces[50];
        Assert.True(RehearsalJobTests.EnclosedVolumeMm3(p95, ix95) < RehearsalJobTests.EnclosedVolumeMm3(p50, ix50));
        int vertices95 = p95.Length / 3;
        for (int n = 0; n < vertices95; n += Math.Max(1, vertices95 / 200))
        {
            var v = new Vec3(p95[3 * n], p95[(3 * n) + 1], p95[(3 * n) + 2]);
            double winding = WindingNumber(p50, ix50, v);
            Assert.True(winding > 0.5, $"95 % vertex {v} has winding number {winding:0.000} about the 50 % surface");
        }

        // Where the dose is: every vertex of the 50 % surface lies on an edge of the plan's dose grid (between two voxel
        // centres one step apart along i, j, k, or a face or cube diagonal), where the RT Dose, interpolated linearly
        // between the edge's two voxels, is 50 % of the prescription. Found from the vertex alone: its integral
        // indices are the edge's fixed ones, the others share one fraction t. (Vertices closing a region at the grid's
        // edge lie beyond it and are counted apart.)
        Assert.Equal(1, s.GetProperty("plan").GetProperty("strideVoxels").GetInt32());
        GridGeometry dg = dose.Dose.Geometry;
        double level = 0.5 * prescriptionGy, worst = 0;
        double tol = (0.006 / Math.Min(dg.SpacingMm.X, Math.Min(dg.SpacingMm.Y, dg.SpacingMm.Z))) + 1e-4; // positions are rounded to 0.01 mm
        int checkedVertices = 0, beyond = 0;
        var trilinear = new List<double>();
        for (int n = 0; n < p50.Length / 3; n++)
        {
            var v = new Vec3(p50[3 * n], p50[(3 * n) + 1], p50[(3 * n) + 2]);
            Vec3 ijk = dg.LpsToIndex(v);
            int[] from = new int[3], step = new int[3];
            double t = double.NaN;
            for (int a = 0; a < 3; a++)
            {
                double f = ijk[a] - Math.Floor(ijk[a]);
                from[a] = (int)Math.Floor(ijk[a]);
                if (f < tol || f > 1 - tol)
                {
                    from[a] = (int)Math.Round(ijk[a]);
                    continue;
                }

                Assert.True(double.IsNaN(t) || Math.Abs(f - t) < 2 * tol, $"50 % vertex {v} (index {ijk}) is on no edge of the dose grid");
                t = f;
                step[a] = 1;
            }

            if (!dg.Contains(from[0], from[1], from[2]) || !dg.Contains(from[0] + step[0], from[1] + step[1], from[2] + step[2]))
            {
                beyond++;
                continue;
            }

            double d0 = dose.Dose[from[0], from[1], from[2]], d1 = dose.Dose[from[0] + step[0], from[1] + step[1], from[2] + step[2]];
            double onEdge = double.IsNaN(t) ? d0 : d0 + ((d1 - d0) * t);

            // Within what the rounding of the positions to 0.01 mm allows: t is known to about tol, so the dose along
            // the edge to |d1 − d0|·tol (which is large where a noisy plan has hot air voxels beside the body).
            // A vertex within tol of a voxel centre is on an edge from it to one of its neighbours: the largest step to one.
            double spread = Math.Abs(d1 - d0);
            if (double.IsNaN(t))
            {
                for (int dk = -1; dk <= 1; dk++)
                {
                    for (int dj = -1; dj <= 1; dj++)
                    {
                        for (int di = -1; di <= 1; di++)
                        {
                            if (dg.Contains(from[0] + di, from[1] + dj, from[2] + dk))
                            {
                                spread = Math.Max(spread, Math.Abs(dose.Dose[from[0] + di, from[1] + dj, from[2] + dk] - d0));
                            }
                        }
                    }
                }
            }

            double allowed = (1e-3 * level) + (spread * 2 * tol);
            worst = Math.Max(worst, Math.Abs(onEdge - level) / allowed);
            trilinear.Add(Math.Abs(GridSampling.TrilinearClamped(dg, dose.Dose.Data, v) - level) / level);
            checkedVertices++;
        }

        Assert.True(checkedVertices > 100 && beyond < checkedVertices / 10, $"{checkedVertices} vertices on the grid's edges, {beyond} beyond the grid");
        Assert.True(worst <= 1, $"the dose on a 50 % vertex's edge differs from 50 % by up to {worst:0.00} times what the positions' rounding allows");

        // Trilinear interpolation (which the tetrahedra follow exactly on the axis edges only) agrees at most vertices.
        trilinear.Sort();
        Assert.True(trilinear[trilinear.Count / 2] < 0.05, $"trilinear dose at the 50 % vertices: median |dose − 50 %| {trilinear[trilinear.Count / 2]:P1} of it");

        // The CT planes show the case's known CT numbers where they are: the vertebra (700 HU, above the window: 255) at
        // (0, 70), the tumour (70 HU: 147) at (-60, 10), liver (60 HU: 140) at (-30, 0), muscle (40 HU: 128) at (30, 50)
        // and (0, 50) above the vertebra, air (0) outside the body, on the
        // axial plane through the target (z = 0) and on the sagittal and coronal planes through those points.
        JsonElement volume = s.GetProperty("ctVolume");
        JsonElement axial = await PlaneAsync(surgeon, id, "axial", null);
        Assert.Equal(255, Pixel(axial, new Vec3(0, 70, 0)));
        Assert.InRange(Pixel(axial, new Vec3(-60, 10, 0)), 140, 154);
        Assert.InRange(Pixel(axial, new Vec3(30, 50, 0)), 120, 135);
        Assert.InRange(Pixel(axial, new Vec3(-30, 0, 0)), 136, 144);
        Assert.Equal(0, Pixel(axial, new Vec3(-150, -110, 0)));
        JsonElement sagittal = await PlaneAsync(surgeon, id, "sagittal", Index(volume, new Vec3(0, 70, 0), 0));
        Assert.Equal(255, Pixel(sagittal, new Vec3(0, 70, 0)));
        Assert.Equal(255, Pixel(sagittal, new Vec3(0, 70, 40)));
        Assert.InRange(Pixel(sagittal, new Vec3(0, 50, 30)), 120, 135);
        JsonElement coronal = await PlaneAsync(surgeon, id, "coronal", Index(volume, new Vec3(-60, 10, 0), 1));
        Assert.InRange(Pixel(coronal, new Vec3(-60, 10, 0)), 140, 154);
        Assert.Equal(0, Pixel(coronal, new Vec3(-150, 10, 0)));
    }

    [Fact]
    public void Isodoses_OnAnotherFrameOfReference_AreRefusedWithTheReason()
    {
        var g = new GridGeometry(4, 4, 4, new Vec3(2, 2, 2), Vec3.Zero);
        var dose = new RtDose { Dose = new VoxelGrid<float>(g), FrameOfReferenceUid = "1.2.3" };
        var plan = new MeTAI.Service.Rehearsals.RehearsalPlanDose("abc", "/nowhere", 45, "Tumor");
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => MeTAI.Service.Rehearsals.RehearsalIsodoses.Build(plan, dose, "1.2.4"));
        Assert.Contains("Plan abc's dose is on frame of reference 1.2.3, the rehearsal's CT on 1.2.4", e.Message, StringComparison.Ordinal);
        (object? none, List<object> empty) = MeTAI.Service.Rehearsals.RehearsalIsodoses.Build(null, "1.2.4");
        Assert.Null(none);
        Assert.Empty(empty);
    }

    private static async Task<string> BadAsync(HttpClient client, object body)
    {
        HttpResponseMessage r = await client.PostAsJsonAsync("/api/rehearsals", body);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, text);
        return text;
    }

    private static async Task<JsonElement> PlaneAsync(HttpClient client, string id, string axis, int? index)
    {
        string url = $"/api/rehearsals/{id}/ct?axis={axis}" + (index is { } i ? $"&index={i}" : "");
        return JsonDocument.Parse(await client.GetStringAsync(url)).RootElement.Clone();
    }

    // The stored volume's plane nearest a point along one axis (0: i, 1: j), from the scene's ctVolume geometry.
    private static int Index(JsonElement volume, Vec3 lps, int axis)
    {
        Vec3 o = Vec(volume.GetProperty("originLps")), step = Vec(volume.GetProperty(axis == 0 ? "stepILps" : "stepJLps"));
        return (int)Math.Round(Vec3.Dot(lps - o, step) / step.LengthSquared);
    }

    // The pixel of a plane under an LPS point, located with the plane's own corners.
    private static int Pixel(JsonElement plane, Vec3 lps)
    {
        Vec3 o = Vec(plane.GetProperty("originLps")), r = Vec(plane.GetProperty("rowEndLps")), c = Vec(plane.GetProperty("columnEndLps"));
        int width = plane.GetProperty("width").GetInt32(), height = plane.GetProperty("height").GetInt32();
        double u = Vec3.Dot(lps - o, r - o) / (r - o).LengthSquared, v = Vec3.Dot(lps - o, c - o) / (c - o).LengthSquared;
        int x = (int)Math.Floor(u * width), y = (int)Math.Floor(v * height);
        Assert.True(x >= 0 && x < width && y >= 0 && y < height, $"{lps} is off the {plane.GetProperty("axis").GetString()} plane");
        return Convert.FromBase64String(plane.GetProperty("pixelsBase64").GetString()!)[(y * width) + x];
    }

    private static Vec3 Vec(JsonElement a) => new(a[0].GetDouble(), a[1].GetDouble(), a[2].GetDouble());

    // Generalised winding number of a closed triangle surface about a point: the solid angles of its triangles summed
    // (Van Oosterom and Strackee), over 4π. 1 inside an outward-wound surface, 0 outside.
    internal static double WindingNumber(double[] p, int[] ix, Vec3 at)
    {
        double total = 0;
        for (int t = 0; t < ix.Length; t += 3)
        {
            Vec3 a = Vertex(p, ix[t]) - at, b = Vertex(p, ix[t + 1]) - at, c = Vertex(p, ix[t + 2]) - at;
            double la = a.Length, lb = b.Length, lc = c.Length;
            double numerator = Vec3.Dot(a, Vec3.Cross(b, c));
            double denominator = (la * lb * lc) + (Vec3.Dot(a, b) * lc) + (Vec3.Dot(b, c) * la) + (Vec3.Dot(c, a) * lb);
            total += 2 * Math.Atan2(numerator, denominator);
        }

        return total / (4 * Math.PI);
    }

    private static Vec3 Vertex(double[] p, int i) => new(p[3 * i], p[(3 * i) + 1], p[(3 * i) + 2]);
}
