using System.Security.Claims;
using System.Text.Json;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Service.Audit;
using MeTAI.Service.Jobs;
using MeTAI.Service.Plans;
using MeTAI.Service.Uploads;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Rehearsals;

/// <summary>
/// <c>/api/rehearsals</c>: start a needle rehearsal on a case (202 + Location), list, status, cancel, delete, file
/// downloads, the 3D scene (<c>/scene</c>) and its CT planes (<c>/ct?axis=…&amp;index=…</c>). Rehearsals are jobs of the job store beside plans (same queue, progress,
/// cancel, restart recovery and per-user quota). Starting one needs <see cref="Permissions.RehearsalsWrite"/> (surgeon);
/// seeing them <see cref="Permissions.RehearsalsRead"/> (surgeon, physician, physicist).
/// </summary>
public static class RehearsalsApi
{
    /// <summary>Files a finished rehearsal offers, by the name used in the URL.</summary>
    public static readonly IReadOnlyDictionary<string, (string File, string ContentType)> Files = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["scene"] = (RehearsalRunner.SceneFile, "application/json"),
        ["trajectories"] = ("trajectories.json", "application/json"),
        ["corridor"] = ("corridor.json", "application/json"),
        ["trajectory"] = ("trajectory.json", "application/json"),
        ["summary"] = ("summary.json", "application/json"),
        ["plot"] = ("rehearsal.png", "image/png"),
        ["replay"] = (RehearsalReplay.FileName, "application/octet-stream"),
    };

    /// <summary>Maps the rehearsal endpoints.</summary>
    public static IEndpointRouteBuilder MapRehearsalsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder api = app.MapGroup("/api/rehearsals").WithTags("Rehearsals");
        api.MapGet("/cases", () => TypedResults.Ok(new
        {
            phantoms = RehearsalAvatarSource.Phantoms().Select(p => new { name = p, structures = AvatarConfigLoader.Load(RehearsalAvatarSource.ConfigPath(p)).Structures.Select(s => s.Roi) }),
            uploadAvatarConfig = RehearsalAvatarSource.UploadAvatarConfig,
        })).RequireAuthorization(Permissions.RehearsalsRead);
        api.MapPost("/", Submit).RequireAuthorization(Permissions.RehearsalsWrite);
        api.MapGet("/", (PlanJobs jobs) => TypedResults.Ok(jobs.Store.ListRehearsals().Select(View))).RequireAuthorization(Permissions.RehearsalsRead);
        api.MapGet("/{id}", Results<Ok<RehearsalView>, ProblemHttpResult> (string id, PlanJobs jobs) =>
            jobs.Store.GetRehearsal(id) is { } job ? TypedResults.Ok(View(job)) : NotFound(id)).RequireAuthorization(Permissions.RehearsalsRead);
        api.MapGet("/{id}/scene", (string id, PlanJobs jobs, PhiAudit audit, HttpContext http) => File(id, "scene", jobs, audit, http, "viewed"))
            .RequireAuthorization(Permissions.RehearsalsRead);
        api.MapGet("/{id}/ct", CtPlane).RequireAuthorization(Permissions.RehearsalsRead);
        api.MapGet("/{id}/files/{kind}", (string id, string kind, PlanJobs jobs, PhiAudit audit, HttpContext http) => File(id, kind, jobs, audit, http, "downloaded"))
            .RequireAuthorization(Permissions.RehearsalsRead);
        api.MapPost("/{id}/cancel", Results<Accepted<RehearsalView>, ProblemHttpResult> (string id, PlanJobs jobs, PhiAudit audit, HttpContext http) =>
        {
            CancelOutcome outcome = jobs.Store.GetRehearsal(id) is null ? CancelOutcome.NotFound : jobs.Cancel(id);
            if (outcome is CancelOutcome.Cancelled or CancelOutcome.Requested)
            {
                audit.Record(http, "cancelled", ("rehearsal", id));
            }

            return outcome switch
            {
                CancelOutcome.NotFound => NotFound(id),
                CancelOutcome.AlreadyFinished => TypedResults.Problem($"Rehearsal {id} has already finished ({Text(jobs.Store.GetJob(id)!.Status)}).", statusCode: StatusCodes.Status409Conflict, title: "Rehearsal already finished"),
                _ => TypedResults.Accepted($"/api/rehearsals/{id}", View(jobs.Store.GetJob(id)!)),
            };
        }).RequireAuthorization(Permissions.RehearsalsWrite);
        api.MapDelete("/{id}", Results<NoContent, ProblemHttpResult> (string id, PlanJobs jobs, PhiAudit audit, HttpContext http) =>
        {
            if (jobs.Store.GetRehearsal(id) is not { } job)
            {
                return NotFound(id);
            }

            if (!jobs.Delete(id))
            {
                return TypedResults.Problem($"Rehearsal {id} is {Text(job.Status)}; cancel it first (POST /api/rehearsals/{id}/cancel).", statusCode: StatusCodes.Status409Conflict, title: "Rehearsal is still active");
            }

            audit.Record(http, "deleted", ("rehearsal", id));
            return TypedResults.NoContent();
        }).RequireAuthorization(Permissions.RehearsalsWrite);
        return app;
    }

    private static Results<Accepted<RehearsalView>, ValidationProblem, ProblemHttpResult> Submit(RehearsalSubmission? body, PlanJobs jobs, UploadCatalog uploads, PhiAudit audit, HttpContext http, IOptions<Hosting.ServiceOptions> options)
    {
        string user = http.User.FindFirstValue(ClaimTypes.Name) ?? "unknown";
        int quota = options.Value.MaxActivePlansPerUser;
        if (quota > 0 && jobs.Store.ActiveJobsOf(user) >= quota)
        {
            return TypedResults.Problem($"{user} already has {quota} job(s) queued or running (Service:MaxActivePlansPerUser); wait for one to finish or cancel one.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Job quota reached");
        }

        body ??= new RehearsalSubmission();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Error(string field, string message) => errors[field] = [message];
        string? caseName = null, caseDir = null, configPath = null;
        UploadSummary? uploaded = null;
        IReadOnlyList<string>? rois = null;
        if ((body.Case is null) == (body.UploadId is null))
        {
            Error("case", "Give either case (a built-in phantom) or uploadId (an uploaded case), not both or neither.");
        }
        else if (body.UploadId is { } uploadId)
        {
            if (uploads.Get(uploadId) is not { } upload)
            {
                Error("uploadId", $"No upload '{uploadId}'.");
            }
            else
            {
                // The ROIs of the structure set the job will load (the upload's own choice), checked here so that a
                // misspelt name is a 400 now rather than a failed job; the job's CaseRehearsal.CheckRois checks again.
                uploaded = upload;
                caseName = upload.Name;
                caseDir = uploads.CaseDirectory(upload.Id);
                rois = UploadChoice.Structures(upload, null, null, Error);
            }
        }
        else if (RehearsalAvatarSource.Phantoms().FirstOrDefault(p => string.Equals(p, body.Case, StringComparison.OrdinalIgnoreCase)) is { } phantom)
        {
            caseName = phantom;
            configPath = RehearsalAvatarSource.ConfigPath(phantom);
            rois = [.. AvatarConfigLoader.Load(configPath).Structures.Select(s => s.Roi)];
        }
        else
        {
            Error("case", $"Case '{body.Case}' cannot be rehearsed. Built-in cases with an avatar: {string.Join(", ", RehearsalAvatarSource.Phantoms())}.");
        }

        if (rois is { Count: > 0 })
        {
            // Case-insensitive, as the rehearsal library finds an ROI.
            foreach (string roi in new[] { body.Target ?? string.Empty }.Concat(body.Avoid ?? []).Where(r => r.Length > 0 && !rois.Contains(r, StringComparer.OrdinalIgnoreCase)))
            {
                Error(roi == body.Target ? "target" : "avoid", $"Case '{caseName}' has no ROI '{roi}'. ROIs: {string.Join(", ", rois)}.");
            }
        }

        Validate(body, Error);
        RehearsalPlanDose? planDose = body.PlanId is { } planId ? PlanDose(planId, body.UploadId, uploaded, jobs, Error) : null;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The rehearsal request is not valid.");
        }

        var settings = new RehearsalSettings
        {
            Target = body.Target!,
            Avoid = body.Avoid ?? [],
            Candidates = body.Candidates ?? 12,
            ResolutionMm = body.ResolutionMm,
            SpeedMmPerS = body.SpeedMmPerS ?? 20,
            MinClearanceMm = body.MinClearanceMm ?? 5,
            Seed = body.Seed ?? 1,
            Robot = body.Robot ?? "metai-arm6",
            Plan = planDose,
        };
        JobRecord job = jobs.Submit(new PlanJobRequest
        {
            Case = body.UploadId is null ? caseName : null,
            UploadId = body.UploadId,
            CaseDirectory = caseDir,
            CaseName = caseName!,
            Protocol = "rehearsal",
            ProtocolPath = configPath ?? RehearsalAvatarSource.ConfigPath(RehearsalAvatarSource.UploadAvatarConfig),
            Rehearsal = settings,
            SubmittedBy = user,
        });
        audit.Record(http, "rehearsed", ("rehearsal", job.Id), ("upload", body.UploadId ?? ""), ("case", caseName!), ("target", settings.Target));
        return TypedResults.Accepted($"/api/rehearsals/{job.Id}", View(job));
    }

    // The plan whose isodoses the scene shows: a succeeded plan (not a second check) of the same upload, made on a CT of
    // the same frame of reference as the CT the rehearsal uses (the upload's own choice). The job checks the frame again
    // against the dose file itself.
    private static RehearsalPlanDose? PlanDose(string planId, string? uploadId, UploadSummary? upload, PlanJobs jobs, Action<string, string> error)
    {
        if (uploadId is null)
        {
            error("planId", "planId needs uploadId: a plan's dose is drawn on the uploaded case it was made on (a built-in phantom's rehearsal shows no plan).");
            return null;
        }

        if (jobs.Store.GetPlan(planId) is not { } job)
        {
            error("planId", $"No plan '{planId}'.");
            return null;
        }

        PlanJobRequest request = JsonSerializer.Deserialize<PlanJobRequest>(job.RequestJson, PlanJobs.Json)!;
        if (request.UploadId != uploadId)
        {
            error("planId", $"Plan {planId} was made on {(request.UploadId is null ? $"the built-in case '{request.CaseName}'" : $"upload {request.UploadId}")}, not on upload {uploadId}.");
            return null;
        }

        if (job.Status != JobStatus.Succeeded || job.ResultJson is null)
        {
            error("planId", $"Plan {planId} is {Text(job.Status)}; its dose exists once it has succeeded.");
            return null;
        }

        if (upload is not null)
        {
            string? planCt = request.CtSeriesUid ?? upload.CtSeriesUid;
            string? planFrame = upload.CtSeries.FirstOrDefault(c => c.SeriesInstanceUid == planCt)?.FrameOfReferenceUid;
            string? ownFrame = upload.CtSeries.FirstOrDefault(c => c.SeriesInstanceUid == upload.CtSeriesUid)?.FrameOfReferenceUid;
            if (planFrame is not null && ownFrame is not null && planFrame != ownFrame)
            {
                error("planId", $"Plan {planId} was made on CT series {planCt} (frame of reference {planFrame}), the rehearsal uses {upload.CtSeriesUid} (frame of reference {ownFrame}): its dose cannot be placed on this CT.");
                return null;
            }
        }

        PlanOutcome outcome = JsonSerializer.Deserialize<PlanOutcome>(job.ResultJson, PlanJobs.Json)!;
        return new RehearsalPlanDose(planId, jobs.Paths.JobOutput(planId), outcome.PrescriptionGy, outcome.Target);
    }

    // One plane of the rehearsal's CT (RehearsalCtVolume): axial, coronal or sagittal, at index (default: through the
    // target). Not audited plane by plane: opening the scene is (as a plan's /slices is, not each /slices/{k}).
    private static Results<Ok<object>, ProblemHttpResult> CtPlane(string id, string? axis, string? index, PlanJobs jobs)
    {
        if (jobs.Store.GetRehearsal(id) is not { } job)
        {
            return NotFound(id);
        }

        if (job.Status != JobStatus.Succeeded)
        {
            return TypedResults.Problem($"Rehearsal {id} is {Text(job.Status)}; its CT planes exist once it has succeeded.", statusCode: StatusCodes.Status409Conflict, title: "Rehearsal not finished");
        }

        string directory = jobs.Paths.JobOutput(id);
        if (RehearsalCtVolume.ReadInfo(directory) is not { } info || !System.IO.File.Exists(Path.Combine(directory, RehearsalCtVolume.FileName)))
        {
            return TypedResults.Problem($"Rehearsal {id} has no {RehearsalCtVolume.FileName} (made before the CT was kept for the scene's planes, or removed by hand); rehearse again.", statusCode: StatusCodes.Status404NotFound, title: "File not found");
        }

        if (axis is null || !RehearsalCtVolume.Axes.Contains(axis, StringComparer.Ordinal))
        {
            return BadPlane($"axis must be {string.Join(", ", RehearsalCtVolume.Axes)} (got '{axis}').");
        }

        int count = RehearsalCtVolume.PlaneCount(info, axis);
        int at = info.TargetIndex[axis switch { "axial" => 2, "coronal" => 1, _ => 0 }];
        if (index is not null && (!int.TryParse(index, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out at) || at < 0 || at >= count))
        {
            return BadPlane($"index must be an integer 0–{count - 1} for the {axis} planes of rehearsal {id} (got '{index}').");
        }

        return TypedResults.Ok(RehearsalCtVolume.Slice(directory, info, axis, at));
    }

    private static ProblemHttpResult BadPlane(string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Bad CT plane request");

    private static void Validate(RehearsalSubmission body, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(body.Target))
        {
            error("target", "Name the target ROI.");
        }
        else if (body.Avoid?.Contains(body.Target, StringComparer.Ordinal) == true)
        {
            error("avoid", $"The target '{body.Target}' cannot also be avoided.");
        }

        if (body.Candidates is < 1 or > 64)
        {
            error("candidates", "candidates must be 1–64.");
        }

        if (body.ResolutionMm is { } r && !(r >= 8 && r <= 40))
        {
            error("resolutionMm", "resolutionMm must be 8–40 mm.");
        }

        if (body.SpeedMmPerS is { } s && !(s >= 1 && s <= 200))
        {
            error("speedMmPerS", "speedMmPerS must be 1–200 mm/s.");
        }

        if (body.MinClearanceMm is { } c && !(c >= 0 && c <= 50))
        {
            error("minClearanceMm", "minClearanceMm must be 0–50 mm.");
        }

        if (body.Robot is { } robot && (robot.IndexOfAny(['/', '\\', '.']) >= 0 || !System.IO.File.Exists(Core.IO.ConfigFiles.PathOf("robots", robot + ".json"))))
        {
            error("robot", $"No robot '{robot}' in configs/robots.");
        }
    }

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> File(string id, string kind, PlanJobs jobs, PhiAudit audit, HttpContext http, string auditKind)
    {
        if (!Files.TryGetValue(kind, out (string File, string ContentType) f))
        {
            return TypedResults.Problem($"No file kind '{kind}'. Kinds: {string.Join(", ", Files.Keys)}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown file kind");
        }

        if (jobs.Store.GetRehearsal(id) is not { } job)
        {
            return NotFound(id);
        }

        if (job.Status != JobStatus.Succeeded)
        {
            return TypedResults.Problem($"Rehearsal {id} is {Text(job.Status)}; its files exist once it has succeeded.", statusCode: StatusCodes.Status409Conflict, title: "Rehearsal not finished");
        }

        string path = Path.Combine(jobs.Paths.JobOutput(id), f.File);
        if (!System.IO.File.Exists(path))
        {
            return TypedResults.Problem($"Rehearsal {id} has no {f.File} (removed by hand?).", statusCode: StatusCodes.Status404NotFound, title: "File not found");
        }

        audit.Record(http, auditKind, ("rehearsal", id), ("file", kind));
        return TypedResults.PhysicalFile(path, f.ContentType, kind == "scene" ? null : $"rehearsal-{id}-{f.File}");
    }

    /// <summary>The API view of a rehearsal job.</summary>
    public static RehearsalView View(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        PlanJobRequest request = JsonSerializer.Deserialize<PlanJobRequest>(job.RequestJson, PlanJobs.Json)!;
        RehearsalSettings settings = request.Rehearsal!;
        RehearsalOutcome? result = job.Status == JobStatus.Succeeded && job.ResultJson is { } r ? JsonSerializer.Deserialize<RehearsalOutcome>(r, PlanJobs.Json) : null;
        string self = $"/api/rehearsals/{job.Id}";
        return new RehearsalView
        {
            Id = job.Id,
            Status = job.Status,
            Progress = Math.Round(job.Progress, 4),
            Phase = job.Phase,
            CaseName = request.CaseName,
            UploadId = request.UploadId,
            PlanId = settings.Plan?.PlanId,
            Target = settings.Target,
            Avoid = settings.Avoid,
            Candidates = settings.Candidates,
            SubmittedBy = request.SubmittedBy,
            CreatedUtc = job.CreatedUtc,
            StartedUtc = job.StartedUtc,
            FinishedUtc = job.FinishedUtc,
            Error = job.Error,
            Result = result,
            Links = result is null ? null : Files.Keys.ToDictionary(k => k, k => k == "scene" ? $"{self}/scene" : $"{self}/files/{k}", StringComparer.Ordinal),
        };
    }

    private static string Text(JobStatus status) => status.ToString().ToLowerInvariant();

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"No rehearsal '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Rehearsal not found");
}
