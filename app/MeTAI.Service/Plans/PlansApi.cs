using System.IO.Compression;
using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.Planner.Plans;
using MeTAI.Service.Audit;
using MeTAI.Service.Jobs;
using MeTAI.Service.Uploads;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.Plans;

/// <summary>
/// <c>/api/plans</c>: submit (202 + Location), list, status with goals, DVH, axial slices, file downloads, cancel and
/// delete; <c>/api/protocols</c> and <c>/api/cases</c> for the new-plan form.
/// </summary>
public static class PlansApi
{
    /// <summary>Files a finished plan offers, by the name used in the URL.</summary>
    public static readonly IReadOnlyDictionary<string, (string File, string ContentType)> Files = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["rtplan"] = ("rtplan.dcm", "application/dicom"),
        ["rtdose"] = ("rtdose.dcm", "application/dicom"),
        ["rtstruct"] = ("rtstruct.dcm", "application/dicom"),
        ["report"] = ("report.json", "application/json"),
        ["ct"] = ("ct/", "application/zip"),
        ["dvh-plot"] = ("dvh.png", "image/png"),
        ["dose-plot"] = ("dose_axial.png", "image/png"),
        ["log"] = (PlannerRunner.LogFile, "text/plain; charset=utf-8"),
    };

    private static readonly string[] SliceFiles = ["rtdose.dcm", "rtstruct.dcm"];

    /// <summary>Maps the plan endpoints.</summary>
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder api = app.MapGroup("/api").WithTags("Plans");
        api.MapGet("/protocols", (ProtocolCatalog protocols) => TypedResults.Ok(protocols.All().Select(p => new
        {
            p.Name,
            p.Description,
            prescription = new { p.Prescription.Target, p.Prescription.DoseGy, p.Prescription.Fractions },
            beams = p.GantryDeg.Count > 0 ? p.GantryDeg.Count : p.BeamCount,
            structures = ProtocolCatalog.RequiredStructures(p),
            goals = p.Goals.Select(g => new { g.Structure, g.Metric, g.Comparison, g.Value, g.Unit, g.Priority }),
        })));
        api.MapGet("/cases", (ProtocolCatalog protocols) =>
        {
            IReadOnlyList<string> names = protocols.Names();
            return TypedResults.Ok(PhantomLibrary.Names.Select(n => new { name = n, description = PhantomLibrary.Describe(n), protocol = names.Contains(n) ? n : null }));
        });

        RouteGroupBuilder plans = api.MapGroup("/plans");
        plans.MapPost("/", Submit).RequireAuthorization(Permissions.PlansWrite);
        plans.MapGet("/", (PlanJobs jobs) => TypedResults.Ok(jobs.Store.ListJobs().Select(j => View(j, jobs.Store.GetReview(j.Id))))).RequireAuthorization(Permissions.PlansRead);
        plans.MapGet("/{id}", Results<Ok<PlanView>, ProblemHttpResult> (string id, PlanJobs jobs) =>
            jobs.Store.GetJob(id) is { } job ? TypedResults.Ok(View(job, jobs.Store.GetReview(id))) : NotFound(id)).RequireAuthorization(Permissions.PlansRead);
        plans.MapGet("/{id}/dvh", Dvh).RequireAuthorization(Permissions.PlansRead);
        plans.MapGet("/{id}/slices", Results<Ok<SliceInfo>, ProblemHttpResult> (string id, PlanJobs jobs, PlanSlices slices, PhiAudit audit, HttpContext http) =>
        {
            if (!Finished(jobs, id, out string? dir, out ProblemHttpResult? problem) || !HasSliceFiles(id, dir!, out problem))
            {
                return problem!;
            }

            audit.Record(http, "viewed", ("plan", id), ("what", "ct and dose slices"));
            return TypedResults.Ok(slices.Info(dir!));
        }).RequireAuthorization(Permissions.PhiRead);
        plans.MapGet("/{id}/slices/{k:int}", Results<Ok<SliceData>, ProblemHttpResult> (string id, int k, PlanJobs jobs, PlanSlices slices) =>
        {
            if (!Finished(jobs, id, out string? dir, out ProblemHttpResult? problem) || !HasSliceFiles(id, dir!, out problem))
            {
                return problem!;
            }

            try
            {
                return TypedResults.Ok(slices.Slice(dir!, k));
            }
            catch (ArgumentOutOfRangeException ex)
            {
                return TypedResults.Problem(ex.Message.Split(Environment.NewLine)[0], statusCode: StatusCodes.Status404NotFound, title: "No such slice");
            }
        }).RequireAuthorization(Permissions.PhiRead);
        plans.MapGet("/{id}/files/{kind}", Download).RequireAuthorization(Permissions.PhiRead);
        plans.MapPost("/{id}/cancel", Cancel).RequireAuthorization(Permissions.PlansWrite);
        plans.MapDelete("/{id}", Results<NoContent, ProblemHttpResult> (string id, PlanJobs jobs, PlanSlices slices, PhiAudit audit, HttpContext http) =>
        {
            JobRecord? job = jobs.Store.GetJob(id);
            if (job is null)
            {
                return NotFound(id);
            }

            if (jobs.Store.GetReview(id) is { State: "approved" })
            {
                return TypedResults.Problem($"Plan {id} is approved; an approved plan is kept as it is.", statusCode: StatusCodes.Status409Conflict, title: "Plan is approved");
            }

            if (!jobs.Delete(id))
            {
                return TypedResults.Problem($"Plan {id} is {Text(job.Status)}; cancel it first (POST /api/plans/{id}/cancel).", statusCode: StatusCodes.Status409Conflict, title: "Plan is still active");
            }

            slices.Forget(jobs.Paths.JobOutput(id));
            audit.Record(http, "deleted", ("plan", id), ("case", job.RequestJson.Length > 0 ? PlanCase(job) : ""));
            return TypedResults.NoContent();
        }).RequireAuthorization(Permissions.PlansWrite);
        return app;
    }

    private static Results<Accepted<PlanView>, ValidationProblem, ProblemHttpResult> Submit(PlanSubmission? body, PlanJobs jobs, ProtocolCatalog protocols, UploadCatalog uploads, PhiAudit audit, HttpContext http,
        Microsoft.Extensions.Options.IOptions<Hosting.ServiceOptions> options)
    {
        string user = http.User.Identity?.Name ?? "unknown";
        int quota = options.Value.MaxActivePlansPerUser;
        if (quota > 0 && jobs.Store.ActiveJobsOf(user) >= quota)
        {
            return TypedResults.Problem($"{user} already has {quota} plan(s) queued or running (Service:MaxActivePlansPerUser); wait for one to finish or cancel one.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Plan quota reached");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Error(string field, string message) => errors[field] = [message];
        body ??= new PlanSubmission();

        string? caseName = null, caseDir = null;
        IReadOnlyList<string> structures = [];
        if ((body.Case is null) == (body.UploadId is null))
        {
            Error("case", "Give either case (a built-in phantom) or uploadId (an uploaded case), not both or neither.");
        }
        else if (body.Case is { } c)
        {
            if (!PhantomLibrary.Names.Contains(c, StringComparer.OrdinalIgnoreCase))
            {
                Error("case", $"Unknown case '{c}'. Built-in cases: {string.Join(", ", PhantomLibrary.Names)}.");
            }
            else
            {
                caseName = PhantomLibrary.Names.First(n => string.Equals(n, c, StringComparison.OrdinalIgnoreCase));
                structures = PhantomStructures(caseName);
            }
        }
        else if (uploads.Get(body.UploadId!) is { } upload)
        {
            caseName = upload.Name;
            caseDir = uploads.CaseDirectory(upload.Id);
            structures = UploadChoice.Structures(upload, body.CtSeries, body.StructureSet, Error);
        }
        else
        {
            Error("uploadId", $"No upload '{body.UploadId}'.");
        }

        string? protocolName = body.Protocol ?? (body.Case is not null && protocols.Names().Contains(caseName ?? string.Empty) ? caseName : null);
        Protocol? protocol = null;
        if (protocolName is null)
        {
            Error("protocol", $"Name a protocol. Protocols: {string.Join(", ", protocols.Names())}.");
        }
        else
        {
            try
            {
                protocol = protocols.Get(protocolName);
                if (protocol is null)
                {
                    Error("protocol", $"Unknown protocol '{protocolName}'. Protocols: {string.Join(", ", protocols.Names())}.");
                }
            }
            catch (ArgumentException ex)
            {
                Error("protocol", ex.Message);
            }
        }

        if (protocol is not null && caseName is not null)
        {
            var missing = ProtocolCatalog.RequiredStructures(protocol).Where(s => !structures.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
            {
                Error("protocol", $"Protocol '{protocol.Name}' names {string.Join(", ", missing.Select(m => $"'{m}'"))}, which case '{caseName}' does not have. Structures: {string.Join(", ", structures)}.");
            }
        }

        if (body.Case is not null && (body.CtSeries ?? body.StructureSet) is not null)
        {
            Error("ctSeries", "ctSeries and structureSet choose within an upload; a built-in case has one of each.");
        }

        if (body.Beams is < 1 or > 36)
        {
            Error("beams", "beams must be 1–36.");
        }

        if (body.VoxelMm is { } v && !(v >= 2 && v <= 10))
        {
            Error("voxelMm", "voxelMm must be 2–10 mm.");
        }

        if (body.Histories is < 10_000 or > 1_000_000_000)
        {
            Error("histories", "histories (of the final dose) must be 10 000 – 1 000 000 000.");
        }

        if (body.BeamletHistories is < 100 or > 1_000_000)
        {
            Error("beamletHistories", "beamletHistories (per 5 mm beamlet) must be 100 – 1 000 000.");
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The plan request is not valid.");
        }

        var request = new PlanJobRequest
        {
            Case = body.Case is null ? null : caseName,
            UploadId = body.UploadId,
            CaseDirectory = caseDir,
            CaseName = caseName!,
            Protocol = protocol!.Name,
            ProtocolPath = protocol.Path,
            BeamletHistories = body.BeamletHistories,
            Beams = body.Beams,
            VoxelMm = body.VoxelMm ?? 5,
            Histories = body.Histories,
            Seed = body.Seed ?? 1,
            CtSeriesUid = body.CtSeries,
            StructureSetUid = body.StructureSet,
            AllowInconsistent = body.AllowInconsistent ?? false,
            SubmittedBy = user,
        };
        JobRecord job = jobs.Submit(request);
        audit.Record(http, "planned", ("plan", job.Id), ("upload", request.UploadId ?? ""), ("case", request.CaseName), ("protocol", request.Protocol));
        return TypedResults.Accepted($"/api/plans/{job.Id}", View(job));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Dvh(string id, PlanJobs jobs, CancellationToken ct)
    {
        if (!Finished(jobs, id, out string? dir, out ProblemHttpResult? problem))
        {
            return problem!;
        }

        string path = Path.Combine(dir!, PlannerRunner.DvhFile);
        return File.Exists(path)
            ? TypedResults.Content(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false), "application/json")
            : MissingFile(id, PlannerRunner.DvhFile);
    }

    /// <summary>Structure names of a built-in phantom (built at a coarse grid, which is quick).</summary>
    private static IReadOnlyList<string> PhantomStructures(string phantom) =>
        [.. PhantomLibrary.Build(phantom, 10).Structures.Select(s => s.Name)];

    private static Results<FileStreamHttpResult, PhysicalFileHttpResult, ProblemHttpResult> Download(string id, string kind, PlanJobs jobs, PhiAudit audit, HttpContext http)
    {
        if (!Files.TryGetValue(kind, out (string File, string ContentType) f))
        {
            return TypedResults.Problem($"No file kind '{kind}'. Kinds: {string.Join(", ", Files.Keys)}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown file kind");
        }

        if (!Finished(jobs, id, out string? dir, out ProblemHttpResult? problem))
        {
            return problem!;
        }

        string path = Path.Combine(dir!, f.File);
        if (kind == "ct" ? !Directory.Exists(path) : !File.Exists(path))
        {
            return MissingFile(id, f.File);
        }

        audit.Record(http, "downloaded", ("plan", id), ("file", kind));
        if (kind == "ct")
        {
            var buffer = new MemoryStream();
            ZipFile.CreateFromDirectory(path, buffer, CompressionLevel.Fastest, includeBaseDirectory: true);
            buffer.Position = 0;
            return TypedResults.Stream(buffer, f.ContentType, $"plan-{id}-ct.zip");
        }

        return TypedResults.PhysicalFile(path, f.ContentType, $"plan-{id}-{f.File}");
    }

    // The slice view reads the CT series, the RTDOSE and the RTSTRUCT: a plan folder without one of them answers 404
    // naming it (a file removed by hand, or a runner that does not write it), not a 500 from the reader.
    private static bool HasSliceFiles(string id, string directory, out ProblemHttpResult? problem)
    {
        problem = null;
        if (!Directory.Exists(Path.Combine(directory, "ct")))
        {
            problem = MissingFile(id, "ct/");
        }
        else if (SliceFiles.FirstOrDefault(f => !File.Exists(Path.Combine(directory, f))) is { } missing)
        {
            problem = MissingFile(id, missing);
        }

        return problem is null;
    }

    private static ProblemHttpResult MissingFile(string id, string file) =>
        TypedResults.Problem($"Plan {id} has no {file} (its runner did not write one, or it was removed).", statusCode: StatusCodes.Status404NotFound, title: "File not found");

    private static Results<Accepted<PlanView>, ProblemHttpResult> Cancel(string id, PlanJobs jobs, PhiAudit audit, HttpContext http)
    {
        CancelOutcome outcome = jobs.Cancel(id);
        if (outcome is CancelOutcome.Cancelled or CancelOutcome.Requested)
        {
            audit.Record(http, "cancelled", ("plan", id));
        }

        switch (outcome)
        {
            case CancelOutcome.NotFound:
                return NotFound(id);
            case CancelOutcome.AlreadyFinished:
                return TypedResults.Problem($"Plan {id} has already finished ({Text(jobs.Store.GetJob(id)!.Status)}).", statusCode: StatusCodes.Status409Conflict, title: "Plan already finished");
            default:
                return TypedResults.Accepted($"/api/plans/{id}", View(jobs.Store.GetJob(id)!));
        }
    }

    private static bool Finished(PlanJobs jobs, string id, out string? directory, out ProblemHttpResult? problem)
    {
        directory = null;
        problem = null;
        JobRecord? job = jobs.Store.GetJob(id);
        if (job is null)
        {
            problem = NotFound(id);
            return false;
        }

        if (job.Status != JobStatus.Succeeded)
        {
            problem = TypedResults.Problem($"Plan {id} is {Text(job.Status)}; results exist once it has succeeded.", statusCode: StatusCodes.Status409Conflict, title: "Plan not finished");
            return false;
        }

        directory = jobs.Paths.JobOutput(id);
        return true;
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"No plan '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Plan not found");

    private static string Text(JobStatus s) => s.ToString().ToLowerInvariant();

    private static string PlanCase(JobRecord job) => JsonSerializer.Deserialize<PlanJobRequest>(job.RequestJson, PlanJobs.Json)?.CaseName ?? "";

    /// <summary>The API view of a job row (with its review, when it has one).</summary>
    public static PlanView View(JobRecord job, PlanReview? review = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        PlanJobRequest request = JsonSerializer.Deserialize<PlanJobRequest>(job.RequestJson, PlanJobs.Json)!;
        PlanOutcome? outcome = job.Status == JobStatus.Succeeded && job.ResultJson is { } r ? JsonSerializer.Deserialize<PlanOutcome>(r, PlanJobs.Json) : null;
        string self = $"/api/plans/{job.Id}";
        Dictionary<string, string>? links = outcome is null ? null : new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["self"] = self,
            ["dvh"] = self + "/dvh",
            ["slices"] = self + "/slices",
        };
        if (links is not null)
        {
            foreach (string kind in Files.Keys)
            {
                links[kind] = $"{self}/files/{kind}";
            }
        }

        return new PlanView
        {
            Id = job.Id,
            Status = job.Status,
            Progress = Math.Round(job.Progress, 4),
            Approval = review?.State ?? "draft",
            Review = review,
            Phase = job.Phase,
            CreatedUtc = job.CreatedUtc,
            StartedUtc = job.StartedUtc,
            FinishedUtc = job.FinishedUtc,
            Error = job.Error,
            Runner = job.Runner,
            Case = request.CaseName,
            UploadId = request.UploadId,
            Protocol = request.Protocol,
            Beams = request.Beams,
            Goals = outcome?.Goals,
            AllGoalsPassed = outcome?.AllGoalsPassed,
            PrescriptionGy = outcome?.PrescriptionGy,
            Target = outcome?.Target,
            Summary = outcome?.Summary,
            Links = links,
        };
    }
}
